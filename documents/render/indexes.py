"""Index pages of people, places and organisations: roles, turns spoken, mentions in context."""

from __future__ import annotations

from documents.models import Passage

from .timeline import context_parts, snippet

CONTEXT = 90


def entity_context(entity) -> dict:
    """Everything the entity page shows, in a fixed number of queries."""
    participations = list(entity.participations.select_related("document").order_by("document__sort_key", "order"))
    turns = list(entity.turns.select_related("document").order_by("document__sort_key", "document", "order"))
    first_passages = {}
    if turns:
        for passage in Passage.objects.filter(turn__in=turns).order_by("order"):
            first_passages.setdefault(passage.turn_id, passage)
    mentions = list(
        entity.mentions.select_related("passage__document", "passage__turn__speaker").order_by(
            "passage__document__sort_key", "passage__document", "passage__order", "start"
        )
    )
    documents = {p.document_id for p in [m.passage for m in mentions] + list(first_passages.values())}
    numbers = Passage.objects.filter(document__in=documents).paragraph_numbers()
    turn_items = []
    for turn in turns:
        passage = first_passages.get(turn.pk)
        text = passage.reading_text if passage else ""
        turn_items.append(
            {
                "turn": turn,
                "url": f"{turn.document.get_absolute_url()}#{turn.xml_id}",
                "snippet": snippet(text, 0, 0, CONTEXT * 2) if text else "",
                "number": numbers.get(passage.pk) if passage else None,
            }
        )
    mention_items = []
    for m in mentions:
        before, words, after = context_parts(m.passage.reading_text, m.start, m.end, CONTEXT + m.end - m.start)
        mention_items.append(
            {
                "mention": m,
                "url": m.passage.get_absolute_url(),
                "number": numbers.get(m.passage_id),
                "before": before,
                "words": words,
                "after": after,
                "speaker": m.passage.turn.speaker if m.passage.turn_id and m.passage.turn.speaker_id else None,
            }
        )
    return {
        "entity": entity,
        "participations": participations,
        "turns": turn_items,
        "mentions": mention_items,
        "members": list(entity.members.order_by("sort_name", "name")),
        "aliases": list(entity.aliases.all()),
    }
