"""Links between passages: ``<linkGrp type="..."><link target="a.xml#x b.xml#y" type="answers"/></linkGrp>``.

The first pointer is the source, the second the target; the kind is link/@type, else
linkGrp/@type (answers, repeats; anything else is kept as 'related' with the TEI type as
description). Pointers to other files are resolved by the importer against the database.
"""

from __future__ import annotations

from . import XML_ID, tei
from .mapping_refs import FileContext, line_of
from .mapping_types import LinkData
from .textview import view_text

KINDS = {"answers", "repeats", "related"}


def _split(pointer: str) -> tuple[str, str]:
    file_part, _, anchor = pointer.partition("#")
    return file_part, anchor


def map_link(ctx: FileContext, link, group_type: str) -> LinkData | None:
    pointers = (link.get("target") or "").split()
    if len(pointers) != 2 or not all("#" in p for p in pointers):
        ctx.issue(link, f"link @target={link.get('target')!r}: two pointers 'file.xml#anchor' expected")
        return None
    (source_file, source_anchor), (target_file, target_anchor) = (_split(p) for p in pointers)
    tei_type = (link.get("type") or group_type or "related").strip()
    kind = tei_type if tei_type in KINDS else "related"
    description = view_text(link) or (link.get("n") or "")
    if kind != tei_type:
        description = description or tei_type
    return LinkData(
        xml_id=link.get(XML_ID) or "",
        kind=kind,
        description=description[:500],
        source_file=source_file,
        source_anchor=source_anchor,
        target_file=target_file,
        target_anchor=target_anchor,
        line=line_of(link),
    )


def map_links(ctx: FileContext) -> list[LinkData]:
    links: list[LinkData] = []
    for group in ctx.root.iter(tei("linkGrp")):
        for link in group.iter(tei("link")):
            data = map_link(ctx, link, group.get("type") or "")
            if data is not None:
                links.append(data)
    return links
