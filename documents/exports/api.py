"""JSON for the public API (/api/...): documents with their text, people, places, organisations.

Plain dicts built in a fixed number of queries (no per-passage or per-entity queries), shared
by the API views and `export_document --format json`. Every object carries its public URL.
"""

from __future__ import annotations

import json

from django.db.models import Count, Prefetch
from django.urls import reverse

from . import exporter, links
from .metadata import document_authors

KIND_ROUTES = {"person": "people", "place": "places", "org": "organisations"}


def _api_url(name: str, base_url, **kwargs) -> str:
    return links.absolute(reverse(f"documents:{name}", kwargs=kwargs), base_url)


def entity_ref(entity, base_url=None) -> dict:
    return {
        "key": entity.key,
        "kind": entity.kind,
        "name": entity.name,
        "url": links.absolute(entity.get_absolute_url(), base_url),
        "api": _api_url(f"api-{KIND_ROUTES[entity.kind]}-detail", base_url, key=entity.key),
    }


def document_summary(document, base_url=None) -> dict:
    """What a list of documents shows (uses num_passages/num_turns if annotated)."""
    data = {
        "slug": document.slug,
        "title": document.title,
        "kind": document.kind,
        "date": document.date.isoformat() if document.date else None,
        "date_text": document.date_text,
        "summary": document.summary,
        "authors": [a.name for a in document_authors(document)],
        "modified": document.modified.isoformat(),
        "url": links.document_url(document, base_url),
        "api": _api_url("api-document-detail", base_url, slug=document.slug),
    }
    for name in ("num_passages", "num_turns"):
        if hasattr(document, name):
            data[name] = getattr(document, name)
    return data


def document_detail(document, base_url=None) -> dict:
    """The document: metadata, participants, sections, turns and passages (reading + diplomatic text)."""
    from documents.models import Mention

    slug = document.slug
    data = document_summary(document, base_url)
    data.update(
        {
            "subtitle": document.subtitle,
            "time_text": document.time_text,
            "venue": document.venue,
            "language": document.language,
            "review_note": document.review_note,
            "source_note": document.source_note,
            "metadata": document.metadata,
            "formats": {
                "text": links.absolute(reverse("documents:document-text", kwargs={"slug": slug}), base_url),
                "tei": links.absolute(reverse("documents:dts-document"), base_url) + f"?resource={slug}",
                "annotations": _api_url("document-annotations", base_url, slug=slug),
                **{
                    fmt: _api_url("document-cite", base_url, slug=slug, fmt=fmt)
                    for fmt in ("chicago", "apa", "bibtex", "ris", "csl-json")
                },
            },
        }
    )
    from .versions import versions_json

    data["versions"] = versions_json(document, base_url)  # newest first (docs/versions.md)
    data["version"] = data["versions"][0]["number"] if data["versions"] else None
    participations = document.participations.select_related("entity").order_by("order", "pk")
    data["participants"] = [
        {**entity_ref(p.entity, base_url), "role": p.role, "description": p.description} for p in participations
    ]
    data["sections"] = [
        {"id": s["xml_id"], "kind": s["kind"], "heading": s["heading"], "parent": s["parent__xml_id"]}
        for s in document.sections.order_by("order").values("xml_id", "kind", "heading", "parent__xml_id")
    ]
    data["turns"] = [
        {
            "id": t.xml_id,
            "url": links.fragment_url(document, t.xml_id, base_url),
            "section": t.section.xml_id if t.section else None,
            "speaker": entity_ref(t.speaker, base_url) if t.speaker else None,
            "speaker_label": t.speaker_label,
            "speaker_name": t.display_name,
        }
        for t in document.turns.select_related("speaker", "section").order_by("order")
    ]
    mentions = Prefetch("mentions", queryset=Mention.objects.select_related("entity").order_by("start"))
    passages = document.passages.select_related("turn", "section").prefetch_related(mentions).order_by("order")
    data["passages"] = [
        {
            "anchor": p.anchor,
            "kind": p.kind,
            "url": links.fragment_url(document, p.anchor, base_url),
            "section": p.section.xml_id if p.section else None,
            "turn": p.turn.xml_id if p.turn else None,
            "reading_text": p.reading_text,
            "diplomatic_text": p.diplomatic_text,
            "mentions": [
                {"entity": m.entity.key, "text": m.text, "start": m.start, "end": m.end} for m in p.mentions.all()
            ],
        }
        for p in passages
    ]
    return data


def entity_summary(entity, base_url=None) -> dict:
    data = entity_ref(entity, base_url)
    data["description"] = entity.description
    if hasattr(entity, "num_mentions"):
        data["num_mentions"] = entity.num_mentions
    return data


def entity_list_queryset(kind: str):
    from documents.models import Entity

    return Entity.objects.filter(kind=kind).annotate(num_mentions=Count("mentions")).order_by("sort_name", "name")


def entity_detail(entity, base_url=None) -> dict:
    """An entity with its names, affiliation, roles in documents and mentions."""
    data = entity_summary(entity, base_url)
    data.update(
        {
            "sort_name": entity.sort_name,
            "data": entity.data,
            "aliases": [{"name": a.name, "lang": a.lang} for a in entity.aliases.all()],
            "affiliation": entity_ref(entity.affiliation, base_url) if entity.affiliation_id else None,
            "members": [entity_ref(m, base_url) for m in entity.members.order_by("sort_name", "name")],
        }
    )
    data["participations"] = [
        {"document": p.document.slug, "role": p.role, "description": p.description}
        for p in entity.participations.select_related("document").order_by("document__sort_key", "order")
    ]
    mentions = entity.mentions.select_related("passage__document").order_by("passage__document", "passage__order")
    data["mentions"] = [
        {
            "document": m.passage.document.slug,
            "passage": m.passage.anchor,
            "url": links.passage_url(m.passage, base_url),
            "text": m.text,
            "start": m.start,
            "end": m.end,
        }
        for m in mentions
    ]
    return data


@exporter("json", media_type="application/json", extension="json")
def document_json(document, base_url=None) -> str:
    """The document as the API serves it at /api/documents/<slug>/."""
    return json.dumps(document_detail(document, base_url), ensure_ascii=False, indent=2) + "\n"
