"""Collection pages: the table of contents of a collection, and a document's place in it.

The table of contents is the collection's sections (the matter document's sections) as a tree,
each with its heading, its documents (headings and dates) and its own prose: short prose (a
headnote) is rendered inline, longer prose (a list of papers, an index) is linked to where the
reader shows it with its notes and permalinks. A fixed number of queries, whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils.safestring import mark_safe

from documents.models import DateMention, Document, Passage, Section

from .listing import ListFilters, date_histogram, form_choices
from .page import safe_render
from .passage import Rendered
from .timeline import timeline_svg

#: A section's own prose up to this many words is shown in the table of contents; longer prose is linked.
INLINE_WORDS = 300
#: Documents per page of a collection's filtered list.
LIST_PER_PAGE = 50
#: What a section of a kind without a heading is called (the TEI gives <front> and <back> no heading).
PART_NAMES = {"front": "Front matter", "back": "Back matter"}


@dataclass
class TocNode:
    section: Section | None
    heading: str
    children: list[TocNode] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    prose: list = field(default_factory=list)  # rendered passages (Rendered: short prose only)
    words: int = 0  # words of the section's own prose (its heading excluded)
    link: str = ""  # where the section's prose is read (the matter document's reader page)
    first_order: float | None = None  # position of its first document in the collection

    @property
    def html_id(self) -> str:
        return f"s-{self.section.xml_id}" if self.section is not None else "documents"

    @property
    def items(self) -> list:
        """Documents and sub-sections in their order in the file, as ('document', d) / ('section', node)."""
        return [*(("document", d) for d in self.documents), *(("section", c) for c in self.children)]


def _heading(section: Section) -> str:
    return section.heading or PART_NAMES.get(section.kind, "") or section.kind.capitalize() or section.xml_id


def _place(nodes: list[TocNode]) -> list[TocNode]:
    """Sections in file order: one holding documents stands where its first document does; one holding
    none (front or back matter) stays after the section before it."""
    keyed, last = [], float("-inf")
    for i, node in enumerate(nodes):
        if node.first_order is not None:
            last = node.first_order
        keyed.append(((last, i), node))
    return [node for _, node in sorted(keyed, key=lambda item: item[0])]


def table_of_contents(collection) -> TocNode:
    """The tree of the collection's sections, documents and prose (root: the collection itself)."""
    root = TocNode(section=None, heading=collection.title)
    documents = list(
        Document.objects.in_collection(collection).only(
            "slug", "title", "date", "date_text", "kind", "collection_section_id", "collection_order", "sort_key"
        )
    )
    matter = collection.matter
    sections = list(Section.objects.filter(document=matter).order_by("order")) if matter is not None else []
    nodes = {s.pk: TocNode(section=s, heading=_heading(s)) for s in sections}
    for doc in documents:
        node = nodes.get(doc.collection_section_id, root)
        node.documents.append(doc)
    if matter is not None:
        passages = Passage.objects.filter(document=matter, section__isnull=False).order_by("order")
        heads = {}
        for passage in passages.only("pk", "anchor", "kind", "section_id", "tei", "reading_text", "diplomatic_text"):
            node = nodes[passage.section_id]
            if not node.link:
                node.link = f"{matter.get_absolute_url()}#{passage.anchor}"
            if passage.kind == "head" and passage.section_id not in heads:
                heads[passage.section_id] = passage
                continue
            node.words += len(passage.reading_text.split())
            node.prose.append(passage)
        for node in nodes.values():
            shown = node.prose if node.words <= INLINE_WORDS else []
            node.prose = [_safe(safe_render(p, "reading", (), None, matter.slug)) for p in shown]
    for section in sections:
        parent = nodes.get(section.parent_id, root)
        parent.children.append(nodes[section.pk])
    for section in reversed(sections):  # children before parents: a section's first document is its subtree's
        node = nodes[section.pk]
        orders = [d.collection_order for d in node.documents] + [
            c.first_order for c in node.children if c.first_order is not None
        ]
        node.first_order = min(orders) if orders else None
    for node in [root, *nodes.values()]:
        node.children = _place(node.children)
    return root


def _safe(rendered: Rendered) -> Rendered:
    return Rendered(mark_safe(rendered.html), rendered.blocks)  # noqa: S308 -- built by the renderer with lxml


def collection_context(collection, filters: ListFilters | None = None, page: str | None = None) -> dict:
    """The collection page: its facts, its table of contents, the filter form over its documents (type,
    date, speaker, sort: the home page's, documents/render/listing.py) with, when a filter or a sort is
    chosen, the matching documents LIST_PER_PAGE a page (`page`: ?page=) in place of the contents; a
    histogram of the dates of ALL its documents the filters select, and the timeline of all its dated mentions."""
    filters = filters or ListFilters()
    documents = Document.objects.in_collection(collection)
    selection = filters.apply(documents, keep_order=True)
    listing = bool(filters.active or filters.sort)
    matches = Paginator(selection, LIST_PER_PAGE).get_page(page) if listing else None
    toc = table_of_contents(collection)
    mentions = list(
        DateMention.objects.filter(passage__document__collection=collection)
        .exclude(passage__document__kind=Document.Kind.MATTER)
        .select_related("passage__document")
        .order_by("when")
    )
    numbers = Passage.objects.filter(document__in={m.passage.document_id for m in mentions}).paragraph_numbers()
    return {
        "collection": collection,
        "toc": toc,
        "document_count": sum(1 for _ in _documents_of(toc)),
        "timeline": mark_safe(timeline_svg(mentions, numbers)),  # noqa: S308 -- built with lxml
        "event_count": len(mentions),
        "filters": filters,
        "filter_query": filters.query(page=None),
        "choices": form_choices(documents),
        "histogram": date_histogram(selection, filters),
        "page_obj": matches,
        "listing": listing,
        "list_url": collection.get_absolute_url(),
    }


def _documents_of(node: TocNode):
    yield from node.documents
    for child in node.children:
        yield from _documents_of(child)


def collection_nav(document) -> dict:
    """A document's place in its collection: the collection, its section, the previous and next documents."""
    if document.collection_id is None:
        return {}
    previous, following = Document.objects.neighbours(document)
    section = document.collection_section
    return {
        "collection": document.collection,
        "section": _heading(section) if section is not None else "",
        "section_id": f"s-{section.xml_id}" if section is not None else "",
        "previous": previous,
        "next": following,
    }
