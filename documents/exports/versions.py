"""The version history in exports: the TEI header's revisionDesc, and the versions list of the JSON API / DTS."""

from __future__ import annotations

from lxml import etree

from documents.tei import TEI_NS

from . import links


def _t(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def change_text(version) -> str:
    note = version.message or "no change note"
    return f"Version {version.number}: {note}"


def revision_desc(header, document) -> None:
    """Complete `header`'s (a teiHeader element) revisionDesc from the document's versions, in place.

    A version whose change note is already one of the file's change entries is that entry (kept as
    written, so that an export imports back into the same header); every other version gets a
    ``<change when="..">Version n: note</change>``, newest first, before the file's own entries.
    """
    versions = list(document.versions.order_by("-number"))
    if not versions:
        return
    old = header.find(_t("revisionDesc"))
    written = {_text(c) for c in old.iter(_t("change"))} if old is not None else set()
    missing = [v for v in versions if v.message not in written and change_text(v) not in written]
    if not missing:
        return
    if old is None:
        old = etree.SubElement(header, _t("revisionDesc"))
        old.text, old.tail = "\n" + " " * 6, "\n  "
        if len(header) > 1:
            header[-2].tail = "\n    "
    for position, version in enumerate(missing):
        change = etree.Element(_t("change"), when=version.created.date().isoformat())
        if version.who:
            change.set("who", version.who)
        change.text = change_text(version)
        change.tail = "\n" + " " * 6 if position < len(missing) - 1 or len(old) else "\n" + " " * 4
        old.insert(position, change)


def versions_json(document, base_url=None) -> list[dict]:
    """The document's versions for the JSON API and DTS (newest first)."""
    return [
        {
            "number": v.number,
            "date": v.created.date().isoformat(),
            "created": v.created.isoformat(),
            "message": v.message,
            "origin": v.origin,
            "restored_from": v.restored_from,
            "url": links.version_url(v, base_url),
        }
        for v in document.versions.order_by("-number")
    ]
