"""Citations of a document or of one passage: Chicago and APA text, BibTeX, RIS and CSL-JSON.

Every format is a function `(document, passage=None, base_url=None, accessed=None)` registered
by name; the facts come from `metadata.citation_data` so that the formats never disagree.
Chicago and APA are rendered by citeproc-py from the CSL-JSON item with the official styles
(`csl.py`); they also render as HTML (`html=True`: escaped, with the italics the styles ask for).
BibTeX is written by bibtexparser, RIS by rispy (`reference_files.py`). Each format also has a
`*_from_data(CitationData)` form, for callers that already hold the facts.
"""

from __future__ import annotations

import json

from . import exporter, reference_files
from .csl import csl_item as csl_item_from_data
from .csl import render
from .metadata import CitationData, citation_data

#: Formats offered as downloads, in the order the Cite panel lists them.
DOWNLOADS = ("bibtex", "ris", "csl-json")
#: Text formats shown in the Cite panel.
TEXT_STYLES = ("chicago", "apa")
CITATION_FORMATS = TEXT_STYLES + DOWNLOADS

def _data(document, passage, base_url, accessed, version=None) -> CitationData:
    """The facts of a citation; `version` (a DocumentVersion) cites that version (docs/versions.md)."""
    return citation_data(document, passage=passage, base_url=base_url, accessed=accessed, version=version)


@exporter("chicago", extension="txt")
def chicago(document, passage=None, base_url=None, accessed=None, html: bool = False, version=None) -> str:
    """Chicago (17th ed., notes and bibliography) bibliography entry, rendered by citeproc-py."""
    return render("chicago", _data(document, passage, base_url, accessed, version), html=html)


@exporter("apa", extension="txt")
def apa(document, passage=None, base_url=None, accessed=None, html: bool = False, version=None) -> str:
    """APA (7th ed.) reference, rendered by citeproc-py; no "Retrieved ... from" (the text does not change)."""
    return render("apa", _data(document, passage, base_url, accessed, version), html=html)


@exporter("bibtex", media_type="application/x-bibtex; charset=utf-8", extension="bib")
def bibtex(document, passage=None, base_url=None, accessed=None, version=None) -> str:
    """A biblatex `@unpublished` entry (Zotero imports it as a Manuscript), written by bibtexparser."""
    return reference_files.bibtex(_data(document, passage, base_url, accessed, version))


@exporter("ris", media_type="application/x-research-info-systems; charset=utf-8", extension="ris")
def ris(document, passage=None, base_url=None, accessed=None, version=None) -> str:
    """A RIS record of type MANSCPT (Zotero: Manuscript), written by rispy; CRLF line ends."""
    return reference_files.ris(_data(document, passage, base_url, accessed, version))


def csl_item(document, passage=None, base_url=None, accessed=None, version=None) -> dict:
    return csl_item_from_data(_data(document, passage, base_url, accessed, version))


@exporter("csl-json", media_type="application/vnd.citationstyles.csl+json", extension="json")
def csl_json(document, passage=None, base_url=None, accessed=None, version=None) -> str:
    """CSL-JSON: an array holding one item, as citeproc processors and Zotero read it."""
    item = csl_item(document, passage=passage, base_url=base_url, accessed=accessed, version=version)
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"
