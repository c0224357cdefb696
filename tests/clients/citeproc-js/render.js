// Render CSL-JSON items with citeproc-js (npm `citeproc`) and an official CSL style.
// Usage: node render.js STYLE.csl LOCALE.xml FORMAT(text|html) < items.json
// Prints a JSON array of bibliography entries, in the order of the items.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require(path.join(process.env.CITEPROC_JS_DIR || __dirname, "node_modules", "citeproc"));

const [stylePath, localePath, format] = process.argv.slice(2);
const style = fs.readFileSync(stylePath, "utf8");
const locale = fs.readFileSync(localePath, "utf8");
const items = JSON.parse(fs.readFileSync(0, "utf8"));
const byId = Object.fromEntries(items.map((item) => [item.id, item]));

const sys = {
	retrieveLocale: () => locale,
	retrieveItem: (id) => byId[id],
};
const engine = new CSL.Engine(sys, style, "en-US", true);
engine.setOutputFormat(format || "text");
engine.updateItems(items.map((item) => item.id));
const [meta, entries] = engine.makeBibliography();
if (meta.bibliography_errors && meta.bibliography_errors.length) {
	console.error(JSON.stringify(meta.bibliography_errors));
	process.exit(2);
}
process.stdout.write(JSON.stringify(entries.map((entry) => entry.trim())));
