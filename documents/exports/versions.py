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


class VersionRefError(LookupError):
    pass


def _fragment(xml: str):
    from documents.tei.parser import make_parser

    return etree.fromstring(xml.encode("utf-8"), make_parser())


def version_tree(version, ref: str | None = None):
    """A version's text as TEI: header and body rebuilt around its passages (divisions, speaker turns).

    ref: one passage (its anchor), turn or division (xml:id) of the version, in a DTS wrapper."""
    from documents.services.version_text import version_header, version_passages, version_structure
    from documents.tei import XML_ID

    structure = version_structure(version)
    sections = {s["xml_id"]: s for s in structure.get("sections", [])}
    turns = {t["xml_id"]: t for t in structure.get("turns", [])}
    root = etree.Element(_t("TEI"), nsmap={None: TEI_NS})
    root.set(XML_ID, version.document.slug)
    if version_header(version).strip():
        root.append(_fragment(version_header(version)))
    text = etree.SubElement(root, _t("text"))
    if structure.get("kind") and structure["kind"] != "other":
        text.set("type", structure["kind"])
    body = etree.SubElement(text, _t("body"))
    divs: dict[str, object] = {}

    def container(section_id):
        if not section_id or section_id not in sections:
            return body
        if section_id not in divs:
            section = sections[section_id]
            div = etree.SubElement(container(section.get("parent")), _t("div"))
            if section.get("kind"):
                div.set("type", section["kind"])
            div.set(XML_ID, section_id)
            divs[section_id] = div
        return divs[section_id]

    sp, sp_turn = None, None
    for passage in version_passages(version):
        parent = container(passage.section)
        if passage.turn and passage.turn in turns:
            if sp is None or sp_turn != passage.turn or sp.getparent() is not parent:
                turn = turns[passage.turn]
                sp, sp_turn = etree.SubElement(parent, _t("sp")), passage.turn
                if turn.get("who"):
                    sp.set("who", turn["who"])
                sp.set(XML_ID, passage.turn)
                etree.SubElement(sp, _t("speaker")).text = turn.get("speaker_label", "")
            parent = sp
        else:
            sp, sp_turn = None, None
        parent.append(_fragment(passage.tei))
    if ref is None:
        return root
    found = [el for el in root.iter() if el.get(XML_ID) == ref and el is not root]
    if not found:
        raise VersionRefError(f"unknown ref {ref!r} in version {version.number}")
    from .dts import DTS_NS

    wrapped = etree.Element(_t("TEI"), nsmap={None: TEI_NS})
    wrapper = etree.SubElement(wrapped, f"{{{DTS_NS}}}wrapper", nsmap={"dts": DTS_NS})
    wrapper.append(found[0])
    return wrapped


def version_tei(version, ref: str | None = None) -> bytes:
    return etree.tostring(version_tree(version, ref), xml_declaration=True, encoding="UTF-8")


def apply_version(data: dict, version, base_url=None) -> dict:
    """The JSON API's document resource (exports.api.document_detail) for one recorded version: its
    title and passages as they stood (same anchors, URLs into /documents/<slug>/v/<n>/)."""
    from documents.models import Snapshot
    from documents.services.version_text import version_passages, version_structure

    structure = version_structure(version)
    url = links.version_url(version, base_url)
    snapshots = Snapshot.objects.in_bulk({e[1] for e in version.entries})
    data.update(
        title=version.title or data["title"],
        version=version.number,
        version_date=version.created.date().isoformat(),
        version_url=url,
        passages=[
            {
                "anchor": p.anchor,
                "kind": p.kind,
                "url": f"{url}#{p.anchor}",
                "section": p.section or None,
                "turn": p.turn or None,
                "reading_text": p.reading_text,
                "diplomatic_text": p.diplomatic_text,
                "mentions": [
                    {"entity": m["ref"]["key"], "text": m["text"], "start": m["start"], "end": m["end"]}
                    for m in (snapshots[p.snapshot_id].spans or {}).get("mentions", [])
                ],
            }
            for p in version_passages(version, snapshots)
        ],
    )
    for name in ("subtitle", "summary", "date_text", "venue", "source_note"):
        if name in structure:
            data[name] = structure[name]
    return data
