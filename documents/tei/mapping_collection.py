"""A file as a collection: its title and citation facts, its division hierarchy, the text outside documents.

A `teiCorpus`, a FRUS volume (a `<TEI>` whose text holds several `<div type="document">`) or any
other foreign file is a collection (our own files belong to the edition's collection, assigned by
the importer). The `<div>`s above the documents (compilations, chapters, subchapters; the front
matter's lists of persons and papers; the back matter's index) and `<front>`/`<back>` themselves
become sections; every passage they hold outside a document (headings, headnotes, editorial notes,
lists, title page) is kept in a document of kind "matter" whose sections they are, so that it is
stored, rendered, annotated and searched as every other passage is. Each document div is given
its place: the innermost of those sections that holds it.
"""

from __future__ import annotations

from . import XML_ID, XML_LANG, first, local_name, tei, xpath
from .mapping_header import header_xml
from .mapping_refs import FileContext, line_of, slugify
from .mapping_text import TextMapper, iso_date
from .mapping_types import CollectionData, DocumentData, SectionData
from .textview import view_text

#: <text> parts kept as sections of their own (kind = the element's name, no heading: the TEI gives none).
PARTS = frozenset({"front", "back"})
#: Citation facts of a header: metadata key -> path under teiHeader/fileDesc.
FACTS = {
    "series": "t:titleStmt/t:title[@type='series']",
    "subseries": "t:titleStmt/t:title[@type='subseries']",
    "volume": "t:titleStmt/t:title[@type='volume']",
    "volume_number": "t:titleStmt/t:title[@type='volumenumber']",
    "edition": "t:editionStmt/t:edition",
    "publisher": "t:publicationStmt/t:publisher",
    "authority": "t:publicationStmt/t:authority",
    "distributor": "t:publicationStmt/t:distributor",
    "pub_place": "t:publicationStmt/t:pubPlace",
    "date": "t:publicationStmt/t:date",
}
MATTER_SUFFIX = "matter"


def _text(element) -> str:
    return view_text(element) if element is not None else ""


def _is_document(element) -> bool:
    """A document div, as documents.tei.mapping finds them (div[@type='document'])."""
    return element.tag == tei("div") and element.get("type") == "document"


def header_facts(header) -> tuple[str, str, dict]:
    """(title, subtitle, citation facts) of a teiHeader; only what the header states, empty values left out."""
    if header is None:
        return "", "", {}
    desc = header.find(tei("fileDesc"))
    titles = xpath(desc, "t:titleStmt/t:title") if desc is not None else []
    main = first(desc, "t:titleStmt/t:title[@type='complete' or @type='main']")
    main = main if main is not None else next((t for t in titles if not t.get("type")), titles[0] if titles else None)
    sub = first(desc, "t:titleStmt/t:title[@type='sub' or @type='subtitle']")
    facts: dict = {}
    for key, path in FACTS.items():
        value = _text(first(desc, path))
        if value:
            facts[key] = value[:500]
    date = first(desc, "t:publicationStmt/t:date[@when]")
    if date is not None and iso_date(date.get("when")):
        facts["date_when"] = iso_date(date.get("when"))
    people = {"editors": "t:titleStmt/t:editor", "authors": "t:titleStmt/t:author"}
    for key, path in people.items():
        names = [name for name in (_text(e) for e in xpath(desc, path)) if name] if desc is not None else []
        if names:
            facts[key] = names
    idno_elements = xpath(desc, "t:publicationStmt/t:idno") if desc is not None else []
    idnos = {(i.get("type") or "idno"): _text(i) for i in idno_elements if _text(i)}
    if idnos:
        facts["idno"] = idnos
    licence = first(desc, "t:publicationStmt/t:availability/t:licence[@target]")
    if licence is not None:
        facts["licence"] = licence.get("target")
    return _text(main)[:500], _text(sub)[:500], facts


class MatterMapper(TextMapper):
    """The text of a <TEI> outside its document divs; each document div's place is recorded, not walked."""

    def __init__(self, ctx: FileContext, doc: DocumentData, scope):
        super().__init__(ctx, doc, scope)
        self.places: dict = {}  # document div element -> xml:id of the section holding it (None: none)
        self.holding: set[str] = set()  # sections that hold documents (kept even without text of their own)

    def walk(self, element, parent_id, section, turn) -> None:
        name = local_name(element)
        if _is_document(element):
            self.places[element] = section
            if section:
                self.holding.add(section)  # kept with its ancestors (_prune)
            return
        if name in PARTS and element.getparent() is not None and local_name(element.getparent()) == "text":
            self.add_part(element, parent_id, section, turn)
            return
        super().walk(element, parent_id, section, turn)

    def add_part(self, element, parent_id, section, turn) -> None:
        """<front> or <back>: a section of its kind (xml:id "front"/"back" unless taken)."""
        name = local_name(element)
        wanted = element.get(XML_ID) or name
        xml_id = wanted if wanted not in self.ids.used and wanted not in self.ids.reserved else None
        if xml_id is None:
            xml_id = self.ids.take(None, parent_id, name, name)
        else:
            self.ids.used.add(xml_id)
        self.doc.sections.append(
            SectionData(xml_id=xml_id, kind=name, heading="", order=len(self.doc.sections), parent=section)
        )
        self.walk_children(element, xml_id, xml_id, turn)

    def finish(self) -> None:
        sections = list(self.doc.sections)
        super().finish()  # drops the sections without passages; map_collection prunes once all members are walked
        self.doc.sections = sections


def _prune(matter: DocumentData, holding: set[str]) -> None:
    """Keep the sections that hold passages, turns or documents, and their ancestors."""
    parents = {s.xml_id: s.parent for s in matter.sections}
    used = {p.section for p in matter.passages if p.section} | {t.section for t in matter.turns if t.section}
    keep: set[str] = set()
    for ident in used | holding:
        while ident and ident not in keep:
            keep.add(ident)
            ident = parents.get(ident)
    matter.sections = [s for s in matter.sections if s.xml_id in keep]


def map_collection(ctx: FileContext, root, documents: list[tuple[DocumentData, object]]) -> CollectionData | None:
    """The collection of a foreign file; `documents`: (document, its document div or None) in file order.

    Returns None for our own files. The matter document (if the file has text outside its
    documents or sections above them) is in `.matter`; the caller adds it to the file's documents.
    """
    if ctx.ours:
        return None
    is_corpus = local_name(root) == "teiCorpus"
    header = root.find(tei("teiHeader"))
    title, subtitle, facts = header_facts(header)
    slug = slugify(root.get(XML_ID) or ctx.stem).lower()[:180]
    collection = CollectionData(
        slug=slug,
        title=title or ctx.stem,
        subtitle=subtitle,
        metadata=facts,
        header_tei=header_xml(header, ctx.cache),
        line=line_of(root),
    )
    divs = {div for _, div in documents if div is not None}
    matter = DocumentData(
        slug=f"{slug}-{MATTER_SUFFIX}",
        xml_id=f"{root.get(XML_ID) or slug}-{MATTER_SUFFIX}",
        kind=MATTER_SUFFIX,
        title=f"{collection.title}: text outside the documents"[:500],
        header_tei=collection.header_tei,
        line=line_of(root),
        language=(root.get(XML_LANG) or "en")[:20],
    )
    matter.sort_key = f"{ctx.stem}-00000"[:100]  # before the documents (mapping_header: stem-ordinal)
    places: dict = {}
    holding: set[str] = set()
    ids = None
    members = xpath(root, ".//t:TEI") if is_corpus else [root]
    for member in members:
        text = member.find(tei("text"))
        if text is None or not any(div in divs for div in xpath(text, ".//t:div[@type='document']")):
            continue
        mapper = MatterMapper(ctx, matter, text)
        if ids is not None:  # one matter document for every <TEI> of a corpus: ids unique across them
            ids.reserved.update(mapper.ids.reserved)
            mapper.ids = ids
        ids = mapper.ids
        mapper.walk_children(text, matter.xml_id, None, None)
        mapper.finish()
        places.update(mapper.places)
        holding |= mapper.holding
    _prune(matter, holding)
    collection.places = [(doc.slug, places.get(div) if div is not None else None) for doc, div in documents]
    if matter.passages or matter.sections:
        collection.matter = matter
    return collection
