"""The whole edition as TEI files, for backup: entities.xml, one file per document, links.xml.

`python manage.py export_edition DIR` writes them; `python manage.py import_tei DIR` restores them
into an empty database. Only the edition's own documents (whose header declares the ``ent:``
prefix) and entities (plain xml:id keys) are written: foreign corpora are re-imported from
their sources. Notes: the current published ones (see documents/exports/tei.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

from documents.models import Document, Entity, Note, PassageLink
from documents.tei import TEI_NS, XML_ID, XML_LANG, tei

from .tei import ExportStats, document_tree, link_element, serialize

ENT_PREFIX = 'ident="ent"'
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
LISTS = (("person", "listPerson", "person", "persName"), ("org", "listOrg", "org", "orgName"),
         ("place", "listPlace", "place", "placeName"))  # fmt: skip


@dataclass
class EditionExport:
    files: list[Path] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    skipped_documents: list[str] = field(default_factory=list)
    entities: int = 0
    skipped_entities: list[str] = field(default_factory=list)
    stats: ExportStats = field(default_factory=ExportStats)


def edition_documents():
    """The edition's own documents (their TEI header declares the ent: prefix) and the others."""
    docs = list(Document.objects.in_order())
    return [d for d in docs if ENT_PREFIX in d.header_tei], [d for d in docs if ENT_PREFIX not in d.header_tei]


def header(title: str, description: str):
    """A minimal header valid against the edition's schema, declaring the ent: prefix."""
    today = timezone.now().date()
    root = etree.Element(tei("teiHeader"))
    file_desc = etree.SubElement(root, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = title
    resp_stmt = etree.SubElement(title_stmt, tei("respStmt"))
    etree.SubElement(resp_stmt, tei("resp")).text = "Exported from the edition's database"
    etree.SubElement(resp_stmt, tei("name")).text = "manage.py export_edition"
    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(publication, tei("publisher")).text = settings.EDITION_TITLE
    etree.SubElement(publication, tei("date"), when=today.isoformat()).text = today.isoformat()
    source = etree.SubElement(file_desc, tei("sourceDesc"))
    etree.SubElement(source, tei("p")).text = description
    encoding = etree.SubElement(root, tei("encodingDesc"))
    prefixes = etree.SubElement(encoding, tei("listPrefixDef"))
    etree.SubElement(
        prefixes,
        tei("prefixDef"),
        ident="ent",
        matchPattern="([A-Za-z0-9_.-]+)",
        replacementPattern="entities.xml#$1",
    )
    return root


def _tei_root(xml_id: str):
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    root.set(XML_ID, xml_id)
    root.set(XML_LANG, "en")
    return root


def _main_name(parent, name_tag: str, entity: Entity):
    """The preferred name; a person's structured as surname/forename in the order it is written."""
    name = etree.SubElement(parent, tei(name_tag))
    sur, _, fore = entity.sort_name.partition(", ")
    parts = None
    if entity.kind == Entity.Kind.PERSON and fore and sur:
        if entity.name == f"{fore} {sur}":
            parts = (("forename", fore), ("surname", sur))
        elif entity.name == f"{sur} {fore}":  # e.g. Chinese names: surname first
            parts = (("surname", sur), ("forename", fore))
    if parts is None:
        name.text = entity.name
        return
    for tag, text in parts:
        etree.SubElement(name, tei(tag)).text = text
    name[0].tail = " "


def _inline_names(root):
    """Undo pretty-printing inside structured names: the importer reads a laid-out name differently."""
    for name in root.iter(tei("persName")):
        if len(name):
            name.text = None
            for part in name[:-1]:
                part.tail = " "
            name[-1].tail = None


def entity_element(entity: Entity, tag: str, name_tag: str):
    el = etree.Element(tei(tag))
    el.set(XML_ID, entity.key)
    _main_name(el, name_tag, entity)
    for alias in entity.aliases.all():
        alt = etree.SubElement(el, tei(name_tag), type="alias")
        alt.set(XML_LANG, alias.lang or "und")
        alt.text = alias.name
    description = entity.description
    data = entity.data or {}
    if entity.kind == Entity.Kind.PERSON:
        occupation = data.get("occupation", "")
        if occupation:
            etree.SubElement(el, tei("occupation")).text = occupation
            if description == occupation:
                description = ""  # the importer describes a person without a note by their occupation
        if entity.affiliation_id and NCNAME.match(entity.affiliation.key):
            aff = etree.SubElement(el, tei("affiliation"), ref=f"ent:{entity.affiliation.key}")
            aff.text = data.get("affiliation") or entity.affiliation.name
    if entity.kind == Entity.Kind.PLACE and data.get("geo"):
        location = etree.SubElement(el, tei("location"))
        geo = etree.SubElement(location, tei("geo"))
        geo.text = data["geo"]
        if data.get("geo_source"):  # the record the point was read from (docs/map.md)
            geo.set("source", data["geo_source"])
    if description:
        etree.SubElement(el, tei("note")).text = description
    return el


def _org_parents(members: list[Entity]) -> dict[str, str]:
    """Organisation key -> the key of the exported <org> to write it in. TEI has no <affiliation> in <org>:
    a part (a ministry's department) is an <org> nested in its parent, which the importer reads back as
    Entity.affiliation. A parent that is not exported, or a chain of parents that loops, leaves it at the top."""
    keys = {e.key for e in members}
    parents = {e.key: e.affiliation.key for e in members if e.affiliation_id and e.affiliation.key in keys}
    nested = {}
    for key, parent in parents.items():
        seen, current = {key}, parent
        while current in parents and current not in seen:
            seen.add(current)
            current = parents[current]
        if current not in seen:
            nested[key] = parent
    return nested


def entities_tree(result: EditionExport):
    root = _tei_root("entities")
    root.append(header("People, places and organisations of the edition", "Exported entity lists."))
    stand_off = etree.SubElement(root, tei("standOff"))
    entities = Entity.objects.select_related("affiliation").prefetch_related("aliases").order_by("kind", "key")
    for kind, list_tag, tag, name_tag in LISTS:
        members = [e for e in entities if e.kind == kind]
        result.skipped_entities += [e.key for e in members if not NCNAME.match(e.key)]
        members = [e for e in members if NCNAME.match(e.key)]
        if members:
            group = etree.SubElement(stand_off, tei(list_tag))
            elements = {entity.key: entity_element(entity, tag, name_tag) for entity in members}
            parents = _org_parents(members) if kind == Entity.Kind.ORGANISATION else {}
            for entity in members:
                parent = parents.get(entity.key)
                (elements[parent] if parent else group).append(elements[entity.key])
            result.entities += len(members)
    return root if len(stand_off) else None


def links_tree(slugs: set[str], result: EditionExport):
    links = (
        PassageLink.objects.filter(status=Note.Status.PUBLISHED, source__isnull=False, target__isnull=False)
        .filter(source_document__slug__in=slugs, target_document__slug__in=slugs)
        .select_related("source_document", "target_document")
        .order_by("source_document__slug", "source_anchor", "target_anchor", "kind")
    )
    if not links:
        return None
    root = _tei_root("links")
    root.append(header("Links between passages of the edition", "Exported passage links."))
    group = etree.SubElement(etree.SubElement(root, tei("standOff")), tei("linkGrp"), type="correspondence")
    for link in links:
        group.append(link_element(link))
    result.stats.links += len(links)
    return root


def _write(path: Path, root, result: EditionExport, dry_run: bool):
    if not dry_run:
        if root.find(tei("text")) is None:  # entity and link files: no mixed content but names
            etree.indent(root, space="  ")
            _inline_names(root)
        tmp = path.with_suffix(".xml.tmp")
        tmp.write_bytes(serialize(root))
        tmp.replace(path)
    result.files.append(path)


def export_edition(directory, dry_run: bool = False, progress=lambda message: None) -> EditionExport:
    """Write the edition to `directory` (created if needed); returns what was written."""
    directory = Path(directory)
    result = EditionExport()
    if not dry_run:
        directory.mkdir(parents=True, exist_ok=True)
    entities = entities_tree(result)
    if entities is not None:
        _write(directory / "entities.xml", entities, result, dry_run)
        progress(f"entities.xml: {result.entities} entities")
    ours, others = edition_documents()
    result.skipped_documents = [d.slug for d in others]
    for doc in ours:
        before = result.stats.notes
        _write(directory / f"{doc.slug}.xml", document_tree(doc, include_links=False, stats=result.stats), result,
               dry_run)  # fmt: skip
        result.documents.append(doc.slug)
        progress(f"{doc.slug}.xml: {result.stats.notes - before} notes")
    links = links_tree({d.slug for d in ours}, result)
    if links is not None:
        _write(directory / "links.xml", links, result, dry_run)
        progress(f"links.xml: {result.stats.links} links")
    return result
