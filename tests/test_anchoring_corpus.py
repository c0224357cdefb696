"""Every edit type of the re-anchoring corpus (tests/data/anchoring_cases.py), through the real importer.

Each case imports a small TEI text, puts editors' notes on it, re-imports the corrected text and
checks each note's outcome: kept / moved to these words / needs review with these candidates /
orphaned. Across the corpus no note may be moved to wrong words.
"""

import pytest

from documents.models import Document, Note
from documents.services.anchoring import quote_selector, reanchor_document_notes
from documents.services.importer import TEIImporter
from tests.data.anchoring_cases import CASES, check, moved_right, reading_texts, span, tei_document

pytestmark = pytest.mark.django_db


def import_text(folder, xml_body):
    (folder / "anchoring-case.xml").write_text(tei_document(xml_body), encoding="utf-8")
    report = TEIImporter().import_paths([folder])
    assert not report.failed, [str(p) for p in report.problems]
    return Document.objects.get(xml_id="anchoring-case")


def put_notes(document, case):
    notes = []
    for number, wanted in enumerate(case.notes):
        anchor, start, end = span(reading_texts(case.before), wanted.on)
        passage = document.passages.get(anchor=anchor)
        if start is None:
            selector = {"exact": "", "prefix": "", "suffix": "", "start": None, "end": None}
        else:
            selector = quote_selector(passage.reading_text, start, end)
        notes.append(Note.objects.create(
            document=document, passage=passage, anchor=anchor, body=f"Note {number}.", status="published", **selector
        ))  # fmt: skip
    return notes


def outcome_of(note: Note) -> tuple[str, tuple | None, list[tuple]]:
    status = {"ok": "kept", "moved": "moved", "review": "review", "orphan": "orphaned"}[note.anchor_status]
    attached = (note.passage.anchor, note.start, note.end) if note.passage_id else None
    candidates = [(c["anchor"], c["start"], c["end"]) for c in note.anchor_candidates]
    return status, attached, candidates


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_edit_type(tmp_path, case):
    document = import_text(tmp_path, case.before)
    notes = put_notes(document, case)
    import_text(tmp_path, case.after)
    for note, wanted in zip(notes, case.notes, strict=True):
        note.refresh_from_db()
        status, attached, candidates = outcome_of(note)
        assert check(case, wanted, status, attached, candidates) == [], (case.name, wanted.on)
        assert note.body == f"Note {notes.index(note)}."  # never lost
        if status == "review" and attached is None:
            assert note.passage is None and note.old_context  # a question: the old context is shown
        if status in ("kept", "moved"):
            assert note.passage.reading_text[note.start or 0 : note.end or 0] == note.exact


def test_no_note_is_moved_to_wrong_words_and_duplicates_ask_with_both_candidates(tmp_path):
    wrong, moved, asked = [], 0, {}
    for number, case in enumerate(CASES):
        folder = tmp_path / str(number)
        folder.mkdir()
        document = import_text(folder, case.before)
        notes = put_notes(document, case)
        import_text(folder, case.after)
        for note, wanted in zip(notes, case.notes, strict=True):
            note.refresh_from_db()
            status, attached, candidates = outcome_of(note)
            right = moved_right(case, wanted, status, attached)
            if right is not None:
                moved += 1
                if not right:
                    wrong.append((case.name, wanted.on, attached))
            asked[(case.name, wanted.on)] = (status, attached, len(candidates))
        Note.objects.filter(document=document).delete()
        document.delete()
    assert wrong == [] and moved > 20
    for name in ("phrase-deleted-duplicate-elsewhere", "phrase-duplicated-before-original"):
        key = next(k for k in asked if k[0] == name)
        status, attached, count = asked[key]
        assert (status, attached) == ("review", None) and count >= 2, (name, asked[key])


def test_an_unchanged_reimport_of_a_question_changes_nothing(tmp_path):
    case = next(c for c in CASES if c.name == "phrase-duplicated-before-original")
    document = import_text(tmp_path, case.before)
    (note,) = put_notes(document, case)
    import_text(tmp_path, case.after)
    note.refresh_from_db()
    version, candidates = note.version, note.anchor_candidates
    assert len(candidates) >= 2
    report = TEIImporter(force=True).import_paths([tmp_path])
    assert not report.failed
    # The cascade run again on the same text asks the same question: no save, no new history.
    texts = dict(document.passages.values_list("anchor", "reading_text"))
    assert reanchor_document_notes(document, texts)["review"] == 1
    note.refresh_from_db()
    assert (note.version, note.anchor_candidates, note.anchor_status) == (version, candidates, "review")


def test_an_approximate_match_keeps_its_candidates_through_an_unrelated_correction(tmp_path):
    case = next(c for c in CASES if c.name == "typo-fixed-in-quote")
    document = import_text(tmp_path, case.before)
    (note,) = put_notes(document, case)
    import_text(tmp_path, case.after)
    note.refresh_from_db()
    assert note.anchor_status == "review" and note.anchor_candidates
    version, candidates = note.version, note.anchor_candidates
    import_text(tmp_path, case.after.replace("I shall report this", "I shall report all this"))
    note.refresh_from_db()
    assert (note.version, note.anchor_candidates, note.anchor_status) == (version, candidates, "review")
