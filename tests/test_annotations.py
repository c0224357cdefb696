"""Published notes as W3C Web Annotations: one per note, an AnnotationPage per document."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.exports import export, media_type
from documents.exports.annotations import note_annotation
from documents.models import Note
from tests.builders import add_paragraphs, reader_edition

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
ANNO_TYPE = f'application/ld+json; profile="{ANNO}"'
BASE = "https://edition.example.org"

# What the W3C Web Annotation Data Model requires (https://www.w3.org/TR/annotation-model/), as a small schema:
# key -> expected type, or a set of allowed values.
ANNOTATION = {"id": str, "type": {"Annotation"}, "target": (str, dict)}
TEXTUAL_BODY = {"type": {"TextualBody"}, "value": str}
SPECIFIC_RESOURCE = {"source": str}
SELECTORS = {
    "TextQuoteSelector": {"type": {"TextQuoteSelector"}, "exact": str},
    "TextPositionSelector": {"type": {"TextPositionSelector"}, "start": int, "end": int},
    "FragmentSelector": {"type": {"FragmentSelector"}, "value": str},
}
OPTIONAL = {"prefix": str, "suffix": str, "format": str, "language": str, "purpose": str, "motivation": str}


def check(obj: dict, schema: dict, where: str) -> list[str]:
    problems = []
    for key, expected in schema.items():
        if key not in obj:
            problems.append(f"{where}: missing {key!r}")
        elif isinstance(expected, set):
            if obj[key] not in expected:
                problems.append(f"{where}.{key}: {obj[key]!r} not in {sorted(expected)}")
        elif not isinstance(obj[key], expected):
            problems.append(f"{where}.{key}: wrong type {type(obj[key]).__name__}")
    for key, expected in OPTIONAL.items():
        if key in obj and not isinstance(obj[key], expected):
            problems.append(f"{where}.{key}: wrong type")
    return problems


def validate_annotation(a: dict, where="annotation") -> list[str]:
    """Every rule of the model this edition relies on; returns the list of violations (empty: valid)."""
    problems = check(a, ANNOTATION, where)
    if not a.get("id", "").startswith(("http://", "https://")):
        problems.append(f"{where}.id: not an absolute IRI")
    bodies = a.get("body", [])
    for i, body in enumerate(bodies if isinstance(bodies, list) else [bodies]):
        problems += check(body, TEXTUAL_BODY, f"{where}.body[{i}]")
    target = a.get("target")
    if isinstance(target, dict):
        problems += check(target, SPECIFIC_RESOURCE, f"{where}.target")
        selectors = target.get("selector", [])
        for i, sel in enumerate(selectors if isinstance(selectors, list) else [selectors]):
            problems += validate_selector(sel, f"{where}.target.selector[{i}]")
    return problems


def validate_selector(sel: dict, where: str) -> list[str]:
    schema = SELECTORS.get(sel.get("type"))
    if schema is None:
        return [f"{where}: unknown type {sel.get('type')!r}"]
    problems = check(sel, schema, where)
    if sel["type"] == "TextPositionSelector" and not 0 <= sel["start"] <= sel["end"]:
        problems.append(f"{where}: start > end")
    if sel["type"] == "FragmentSelector" and sel.get("conformsTo") != "http://tools.ietf.org/rfc/rfc3986":
        problems.append(f"{where}: an HTML id is a fragment conforming to RFC 3986")
    if "refinedBy" in sel:
        problems += validate_selector(sel["refinedBy"], f"{where}.refinedBy")
    return problems


def test_the_validator_rejects_what_the_model_forbids():
    bad = {"type": "Note", "target": {"selector": {"type": "TextPositionSelector", "start": 5, "end": 1}}}
    problems = validate_annotation(bad)
    assert "annotation: missing 'id'" in problems
    assert any("type" in p and "Note" in p for p in problems)
    assert "annotation.target: missing 'source'" in problems
    assert any("start > end" in p for p in problems)


@pytest.fixture
def ed():
    return reader_edition()


def test_annotation_page_lists_published_notes_only(ed):
    page = json.loads(export("annotations", ed["minutes"], base_url=BASE))
    assert page["@context"] == ANNO
    assert page["type"] == "AnnotationPage"
    assert page["id"] == f"{BASE}/documents/minutes-1962-06-08/annotations.jsonld"
    ids = [item["id"] for item in page["items"]]
    assert ids == [f"{BASE}/notes/{ed['whole_note'].uuid}/", f"{BASE}/notes/{ed['note'].uuid}/"]  # reading order
    assert f"{BASE}/notes/{ed['draft'].uuid}/" not in ids
    assert "Draft" not in json.dumps(page)
    for i, item in enumerate(page["items"]):
        assert validate_annotation(item, f"items[{i}]") == []
        assert "@context" not in item  # given once, on the page


def test_annotation_of_a_span(ed):
    a = note_annotation(ed["note"], BASE)
    assert validate_annotation(a) == []
    assert a["@context"] == ANNO and a["motivation"] == "commenting"
    assert a["body"]["type"] == "TextualBody" and a["body"]["format"] == "text/html"
    assert a["target"]["source"] == f"{BASE}/documents/minutes-1962-06-08/"
    by_quote, by_position = a["target"]["selector"]
    for selector in (by_quote, by_position):  # each alternative: the passage element, then the words in it
        assert selector["type"] == "FragmentSelector" and selector["value"] == "m-zhang-second"
    quote, position = by_quote["refinedBy"], by_position["refinedBy"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Xinjiang",
        "prefix": "peat the process of how, in the ",
        "suffix": " Uyghur Autonomous Region, Chine",
    }
    text = ed["p3"].reading_text
    assert position == {"type": "TextPositionSelector", "start": 50, "end": 58}
    assert text[position["start"] : position["end"]] == quote["exact"]
    assert text[: position["start"]].endswith(quote["prefix"]) and text[position["end"] :].startswith(quote["suffix"])


def test_annotation_body_is_sanitized_html(ed):
    value = note_annotation(ed["note"], BASE)["body"]["value"]
    assert "<strong>Xinjiang</strong>" in value
    assert "<script" not in value  # the raw HTML is shown as text, never as markup
    assert "href" not in value  # the javascript: link is not made a link


def test_whole_passage_note_has_only_its_fragment(ed):
    a = note_annotation(ed["whole_note"], BASE)
    assert validate_annotation(a) == []
    assert a["target"] == {
        "type": "SpecificResource", "source": f"{BASE}/documents/minutes-1962-06-08/",
        "selector": {"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
                     "value": "m-zhang-report"},
    }  # fmt: skip


def test_point_note_has_only_a_position(ed):
    note = Note.objects.create(
        document=ed["minutes"], passage=ed["p2"], anchor="m-zhang-report", exact="", start=10, end=10,
        status=Note.Status.PUBLISHED, body="A footnote marker here.",
    )  # fmt: skip
    a = note_annotation(note, BASE)
    assert validate_annotation(a) == []
    # The page writes the turn's speaker label before its first passage: positions count it.
    label = ed["p2"].turn.speaker_label + " "
    assert a["target"]["selector"]["value"] == "m-zhang-report"
    shifted = 10 + len(label)
    assert a["target"]["selector"]["refinedBy"] == {"type": "TextPositionSelector", "start": shifted, "end": shifted}


def test_orphan_note_targets_the_document_by_its_words(ed):
    note = ed["note"]
    note.passage = None
    note.anchor_status = Note.AnchorStatus.ORPHAN
    note.save()
    a = note_annotation(note, BASE)
    assert validate_annotation(a) == []
    assert a["target"]["source"] == f"{BASE}/documents/minutes-1962-06-08/"
    assert a["target"]["selector"]["type"] == "TextQuoteSelector"  # positions are meaningless without the passage


def test_annotations_view_media_type(client, ed):
    response = client.get("/documents/minutes-1962-06-08/annotations.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == ANNO_TYPE == media_type("annotations")
    assert response["Access-Control-Allow-Origin"] == "*"
    page = response.json()
    assert page["id"] == "http://testserver/documents/minutes-1962-06-08/annotations.jsonld"
    assert all(validate_annotation(item) == [] for item in page["items"])


def test_annotations_of_a_document_without_notes(client, ed):
    page = client.get("/documents/memorandum-1962-06-07/annotations.jsonld").json()
    assert page["type"] == "AnnotationPage" and page["items"] == []


def test_annotations_of_an_unknown_document_is_404(client, ed):
    assert client.get("/documents/nope/annotations.jsonld").status_code == 404


def test_single_annotation_in_the_api(client, ed):
    response = client.get(f"/api/notes/{ed['note'].uuid}/")
    assert response["Content-Type"] == ANNO_TYPE
    assert validate_annotation(response.json()) == []
    assert client.get(f"/api/notes/{ed['draft'].uuid}/").status_code == 404
    missing = client.get("/api/notes/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_annotation_page_query_count_does_not_grow_with_notes(client, ed):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            items = client.get("/documents/minutes-1962-06-08/annotations.jsonld").json()["items"]
        return len(ctx.captured_queries), len(items)

    few, n = count()
    add_paragraphs(ed["minutes"], 20)
    assert count() == (few, n + 20)


def test_order_is_the_reading_order_on_every_database(ed):
    """Same passage: the note on words before the note on the whole passage; orphans last."""
    on_words = Note.objects.create(
        document=ed["minutes"], passage=ed["p2"], anchor="m-zhang-report", exact="report", start=7, end=13,
        status=Note.Status.PUBLISHED, body="On words.",
    )  # fmt: skip
    orphan = Note.objects.create(
        document=ed["minutes"], passage=None, anchor="m-gone", exact="gone", status=Note.Status.PUBLISHED,
        anchor_status=Note.AnchorStatus.ORPHAN, body="Orphan.",
    )  # fmt: skip
    page = json.loads(export("annotations", ed["minutes"], base_url=BASE))
    uuids = [item["id"].rsplit("/", 2)[-2] for item in page["items"]]
    expected = [on_words, ed["whole_note"], ed["note"], orphan]
    assert uuids == [str(n.uuid) for n in expected]
