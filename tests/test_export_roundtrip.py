"""Round trip: the edition with editors' notes and links -> export_edition -> import into an empty database.

The text, entities, notes (as readers see them, with their anchors) and links come back the same.
Uses the real TEI of the edition (documents/tei/) and the importer service.
"""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.forms.models import model_to_dict

from documents.markup import render_note_body
from documents.models import (
    DateMention,
    Document,
    Entity,
    EntityAlias,
    Mention,
    Note,
    Participation,
    Passage,
    PassageLink,
    Section,
    SourceFile,
    Turn,
)
from documents.services.importer import TEIImporter
from documents.tei.mapping_notes import quote_selector

pytestmark = pytest.mark.django_db

SKIP = {"id", "created", "modified", "source_file", "imported_at", "fingerprint"}  # importer bookkeeping


def rows(model, *keys):
    """Every row of `model` as a comparable tuple: own fields, foreign keys by natural key."""
    out = []
    for obj in model.objects.all():
        data = {k: v for k, v in model_to_dict(obj).items() if k not in SKIP}
        for key in keys:
            data[key] = str(getattr(obj, key)) if getattr(obj, key) is not None else None
        out.append(tuple(sorted((k, repr(v)) for k, v in data.items() if not k.endswith("_id"))))
    return sorted(out)


def snapshot():
    fk = ("document", "passage", "turn", "section", "entity", "speaker", "affiliation", "parent")
    plain = {
        "documents": rows(Document),
        "sections": rows(Section, "document", "parent"),
        "turns": rows(Turn, "document", "section", "speaker"),
        "passages": rows(Passage, "document", "section", "turn"),
        "entities": rows(Entity, "affiliation"),
        "aliases": rows(EntityAlias, "entity"),
        "participations": rows(Participation, "document", "entity"),
        "mentions": rows(Mention, "passage", "entity"),
        "dates": rows(DateMention, "passage"),
    }
    for name, values in plain.items():
        for row in values:
            assert not any(k in fk and v.isdigit() for k, v in row), f"{name}: a foreign key by id"
    plain["notes"] = sorted(
        (n.document.slug, n.passage.anchor, n.anchor, n.kind, n.exact, n.prefix, n.suffix, n.start, n.end,
         render_note_body(n.body, n.document))
        for n in Note.objects.published().select_related("document", "passage")
    )  # fmt: skip
    plain["links"] = sorted(
        (ln.source_document.slug, ln.source.anchor, ln.target_document.slug, ln.target.anchor, ln.kind)
        for ln in PassageLink.objects.filter(status="published").select_related("source", "target")
    )
    return plain


def empty_the_database():
    for model in (Note, PassageLink, Mention, DateMention, Participation, Passage, Turn, Section, Document,
                  EntityAlias, Entity, SourceFile):  # fmt: skip
        model.objects.all().delete()


def import_dir(path):
    report = TEIImporter().import_paths([path])
    assert not report.failed, [str(p) for p in report.problems]
    return report


def editors_work():
    """Notes and a link as editors add them in the admin: a span, a whole passage, Markdown, a draft."""
    minutes = Document.objects.get(kind="minutes")
    memo = Document.objects.get(kind="memorandum")
    passage = minutes.passages.filter(turn__isnull=False).order_by("order")[1]
    exact = " ".join(passage.reading_text.split()[2:5])
    start = passage.reading_text.index(exact)
    body = "The *translation* has **these** words; see [FRUS](https://history.state.gov/).\n\nSecond paragraph."
    selector = quote_selector(passage.reading_text, start, start + len(exact))
    Note.objects.create(
        document=minutes, passage=passage, anchor=passage.anchor, status="published", kind="translation",
        body=body, **selector,
    )  # fmt: skip
    other = memo.passages.order_by("order")[2]
    body = f"On the whole passage; compare [the minutes](/documents/{minutes.slug}/#{passage.anchor})."
    Note.objects.create(
        document=memo, passage=other, anchor=other.anchor, status="published", kind="commentary", body=body
    )
    Note.objects.create(document=memo, passage=other, anchor=other.anchor, status="draft", body="Draft, not exported.")
    source, target = minutes.passages.order_by("-order")[0], memo.passages.order_by("order")[1]
    PassageLink.objects.create(
        source=source, source_document=minutes, source_anchor=source.anchor,
        target=target, target_document=memo, target_anchor=target.anchor, kind="related",
    )  # fmt: skip


def test_export_edition_then_import_into_an_empty_database_restores_it(tmp_path):
    import_dir(settings.EDITION_TEI_DIR)
    editors_work()
    before = snapshot()
    assert len(before["notes"]) >= 12 and len(before["links"]) >= 5 and len(before["entities"]) >= 10
    out = io.StringIO()
    call_command("export_edition", str(tmp_path / "backup"), stdout=out)
    assert "1 draft notes not exported" in out.getvalue()
    empty_the_database()
    assert not Document.objects.exists() and not Note.objects.exists()
    import_dir(tmp_path / "backup")
    after = snapshot()
    for key in before:
        assert after[key] == before[key], key


def test_the_exported_edition_is_idempotent(tmp_path):
    """Exporting the restored edition gives the same files (but for the export date)."""
    import_dir(settings.EDITION_TEI_DIR)
    editors_work()
    call_command("export_edition", str(tmp_path / "one"), stdout=io.StringIO())
    empty_the_database()
    import_dir(tmp_path / "one")
    call_command("export_edition", str(tmp_path / "two"), stdout=io.StringIO())

    def content(path):  # without the export date of the generated headers
        return re.sub(rb'<date when="[0-9-]+">[0-9-]+</date>', b"", path.read_bytes())

    for path in sorted((tmp_path / "one").iterdir()):
        assert content(tmp_path / "two" / path.name) == content(path), path.name


def test_exported_files_are_valid_against_the_edition_schema(tmp_path):
    from lxml import etree

    import_dir(settings.EDITION_TEI_DIR)
    editors_work()
    call_command("export_edition", str(tmp_path / "backup"), stdout=io.StringIO())
    schema = etree.RelaxNG(etree.parse(str(settings.BASE_DIR / "documents" / "schema" / "edition.rng")))
    for path in sorted((tmp_path / "backup").iterdir()):
        assert schema.validate(etree.parse(str(path))), (path.name, str(schema.error_log))


def test_a_single_document_export_with_its_links_reimports(client, tmp_path):
    """/documents/<slug>/tei.xml (text + standOff links) is valid against edition.rng and imports as it is."""
    TEIImporter().import_paths([settings.EDITION_TEI_DIR])
    exported = client.get("/documents/minutes-1962-06-08/tei.xml").content
    assert b"<standOff" in exported
    for name in ("entities.xml", "memorandum-1962-06-07.xml"):
        (tmp_path / name).write_bytes((settings.EDITION_TEI_DIR / name).read_bytes())
    (tmp_path / "minutes-1962-06-08.xml").write_bytes(exported)
    links_before = sorted(PassageLink.objects.values_list("source_anchor", "target_anchor", "kind"))
    texts_before = list(Passage.objects.filter(document__slug="minutes-1962-06-08").values_list("anchor", "tei"))
    for model in (PassageLink, Note, Document, Entity, SourceFile):
        model.objects.all().delete()
    report = TEIImporter().import_paths([tmp_path])
    assert not report.failed, [str(p) for p in report.problems]
    assert sorted(PassageLink.objects.values_list("source_anchor", "target_anchor", "kind")) == links_before
    texts_after = list(Passage.objects.filter(document__slug="minutes-1962-06-08").values_list("anchor", "tei"))
    assert texts_after == texts_before
