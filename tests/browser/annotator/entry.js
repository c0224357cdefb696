// Bundled by esbuild into .clients/annotator/annotator.js (an IIFE) and injected into the reader page.
import { createTextPositionSelectorMatcher, createTextQuoteSelectorMatcher } from "@apache-annotator/dom";
import { makeRefinable } from "@apache-annotator/selector";

window.EditionAnnotator = { createTextPositionSelectorMatcher, createTextQuoteSelectorMatcher, makeRefinable };
