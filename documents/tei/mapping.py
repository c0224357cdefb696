"""Map a parsed TEI file to plain data (FileData): entities, documents, links.

- ``<TEI>`` with several ``<div type="document">`` (a FRUS volume): one document per div.
- ``<teiCorpus>``: one document per ``<TEI>`` (or per document div inside it).
- Otherwise the ``<TEI>`` is one document (its text may still hold one document div).

Slugs: our files use ``TEI/@xml:id``; documents from foreign files are prefixed with the file
stem when the file holds several (``frus1918russiav03-d1``), so that corpora never collide.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from . import XML_ID, local_name, tei, xpath
from .mapping_collection import map_collection
from .mapping_container import add_container
from .mapping_entities import collect_entity_ids, map_entities
from .mapping_header import map_div_metadata, map_tei_metadata, participants_from_text
from .mapping_links import map_links
from .mapping_refs import FileContext, line_of, slugify
from .mapping_speakers import asks_for_detection
from .mapping_text import TextMapper
from .mapping_types import DocumentData, FileData
from .mapping_unpointed import unpointed_entities


def _document_divs(tei_el):
    text = tei_el.find(tei("text"))
    if text is None:
        return []
    divs = xpath(text, ".//t:div[@type='document']")
    # Outermost only: a document div nested in another belongs to it.
    return [d for d in divs if not xpath(d, "ancestor::t:div[@type='document']")]


#: Raised when the same TEI comes to be stored differently (a mapping or text-view change), so that the next
#: import rewrites every document once (with a migration that clears the files' checksums). 2: <lb/> is a
#: word boundary in the reading text; notes keep their @n (migration 0011).
MAPPING_REVISION = 2


def fingerprint(doc: DocumentData) -> str:
    """SHA-256 over everything the importer writes for a document (cheap: strings already built)."""
    digest = hashlib.sha256(f"mapping {MAPPING_REVISION}\n".encode())
    scalars = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc) if f.name not in _LISTS}
    digest.update(json.dumps(scalars, sort_keys=True, default=str).encode("utf-8"))
    for p in doc.passages:
        refs = [(m.ref.key, m.start, m.end) for m in p.mentions]
        digest.update(repr((p.anchor, p.kind, p.section, p.turn, p.tei, refs)).encode("utf-8"))
    for s in doc.sections:
        digest.update(repr(s).encode("utf-8"))
    for t in doc.turns:
        detected = (True,) if t.label_in_text else ()  # only then: other turns' fingerprints stay as they were
        speaker = t.speaker and t.speaker.key
        digest.update(repr((t.xml_id, t.who, speaker, t.speaker_label, t.section, *detected)).encode("utf-8"))
    for n in doc.notes:
        digest.update(repr((n.xml_id, n.kind, n.body, n.anchor, n.exact, n.prefix, n.suffix, n.start, n.end,
                            n.n)).encode())  # fmt: skip
    for pp in doc.participants:
        digest.update(repr((pp.ref.key, pp.role, pp.description)).encode("utf-8"))
    return digest.hexdigest()


_LISTS = {"participants", "sections", "turns", "passages", "notes", "fingerprint", "line"}


def _map_text(ctx: FileContext, doc: DocumentData, element) -> None:
    mapper = TextMapper(ctx, doc, element)
    mapper.walk_children(element, doc.xml_id or doc.slug, None, None)
    mapper.finish()


def map_tei_document(ctx: FileContext, tei_el, slug: str) -> DocumentData | None:
    text = tei_el.find(tei("text"))
    doc = DocumentData(slug=slug, xml_id=tei_el.get(XML_ID) or slug, line=line_of(tei_el))
    map_tei_metadata(ctx, tei_el, doc)
    if text is not None:
        _map_text(ctx, doc, text)
    if not ctx.ours:
        participants_from_text(doc)
    return doc


def map_div_document(ctx: FileContext, div, header, slug: str, ordinal: int) -> DocumentData:
    doc = DocumentData(slug=slug, xml_id=div.get(XML_ID) or slug, line=line_of(div))
    map_div_metadata(ctx, div, doc, header, ordinal)
    _map_text(ctx, doc, div)
    participants_from_text(doc)
    return doc


def _documents_of(ctx: FileContext, tei_el, several: bool, header=None) -> list[DocumentData]:
    """The documents of one <TEI>; `several`: the file holds more than one <TEI>."""
    header = tei_el.find(tei("teiHeader")) if tei_el.find(tei("teiHeader")) is not None else header
    divs = _document_divs(tei_el)
    ident = tei_el.get(XML_ID) or ""
    if len(divs) >= 2:
        docs = []
        for ordinal, div in enumerate(divs, 1):
            key = div.get(XML_ID) or div.get("n") or str(ordinal)
            prefix = ctx.root.get(XML_ID) or ctx.stem
            base = f"{prefix}-{ident}-{key}" if several and ident else f"{prefix}-{key}"
            docs.append(map_div_document(ctx, div, header, slugify(base).lower()[:200], ordinal))
        if not ctx.ours:
            add_container(docs, header)  # cited as parts of their volume (mapping_container.py)
        return docs
    if ctx.ours:
        if not ident:
            ctx.problem(tei_el, "<TEI> needs an xml:id: it is the document's slug")
            return []
        slug = ident
    elif several:
        slug = slugify(f"{ctx.root.get(XML_ID) or ctx.stem}-{ident or 'text'}").lower()[:200]
    else:
        slug = slugify(ident or ctx.stem).lower()[:200]
    doc = map_tei_document(ctx, tei_el, slug)
    if doc is not None and several and not ctx.ours:
        add_container([doc], ctx.root.find(tei("teiHeader")))  # a sitting of a corpus: cited as part of it
    return [doc] if doc is not None else []


def all_entity_refs(ctx: FileContext) -> list:
    """Every name's @ref in the file (text, notes and header), so that none can dangle unseen."""
    names = [tei(n) for n in ("persName", "placeName", "orgName", "name", "rs", "affiliation")]
    refs = []
    for element in ctx.root.iter(*names):
        if element.get("ref"):
            refs.extend(ctx.resolve(element.get("ref"), element, "ref"))
    return refs


def map_tree(tree, path: str, detect_speakers: bool = False) -> FileData:
    """All the data of one parsed TEI file. Problems (errors) and warnings are collected, not raised.

    detect_speakers: paragraphs beginning with a speaker's label ('NAME: ...') become speaker turns, as
    the file's own `<?edition detect-speakers?>` processing instruction asks too (mapping_speakers.py)."""
    root = tree.getroot()
    ctx = FileContext(path, root)
    ctx.detect_speakers = detect_speakers or asks_for_detection(root)
    data = FileData(path=str(path), ours=ctx.ours)
    name = local_name(root)
    if root.tag not in (tei("TEI"), tei("teiCorpus")):
        ctx.problem(root, f"the root element is <{name}>, not <TEI> or <teiCorpus> in the TEI namespace")
        data.problems = ctx.problems
        return data
    collect_entity_ids(ctx)
    data.entities = map_entities(ctx)
    members = [root] if name == "TEI" else xpath(root, ".//t:TEI")
    corpus_header = root.find(tei("teiHeader")) if name == "teiCorpus" else None
    placed = []  # (document, its document div or None), for the collection
    for tei_el in members:
        docs = _documents_of(ctx, tei_el, several=name == "teiCorpus", header=corpus_header)
        divs = _document_divs(tei_el) if len(docs) > 1 else []
        for i, doc in enumerate(docs):
            if not doc.passages and (data.entities or tei_el.find(tei("standOff")) is not None):
                continue  # an entity list or link file with a formal <text>
            doc.fingerprint = fingerprint(doc)
            data.documents.append(doc)
            placed.append((doc, divs[i] if len(divs) == len(docs) else None))
    if placed:
        data.collection = map_collection(ctx, root, placed)
        if data.collection is not None and data.collection.matter is not None:
            data.collection.matter.fingerprint = fingerprint(data.collection.matter)
            data.documents.append(data.collection.matter)
    data.links = map_links(ctx)
    data.unpointed = unpointed_entities(ctx)
    if ctx.ours:
        data.refs = all_entity_refs(ctx)
    slugs: dict[str, int] = {}
    for doc in data.documents:
        if doc.slug in slugs:
            ctx.problem(doc.line, f"two documents in this file have the slug {doc.slug!r}")
        slugs[doc.slug] = doc.line
    data.problems, data.warnings = ctx.problems, ctx.warnings
    return data
