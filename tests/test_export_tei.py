"""The TEI export: text unchanged, published notes as pointers, links, the view and export_edition."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from documents.exports import export
from documents.exports.tei_body import markdown_to_tei
from documents.models import Note, PassageLink, Turn
from tests.builders import TEI, make_document, make_note

pytestmark = pytest.mark.django_db
NS = {"t": TEI}


def tree(data: bytes):
    return etree.fromstring(data)


@pytest.fixture
def memo(db):
    return make_document(slug="memo", kind="memorandum", texts={"memo-p1": "The memorandum was handed over."})


def test_text_is_the_stored_tei_unchanged_in_turns(minutes):
    turn = Turn.objects.create(document=minutes, xml_id="m-sp1", who="ent:zhang", speaker_label="Zhang:", order=0)
    minutes.passages.update(turn=turn)
    root = tree(export("tei", minutes))
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "minutes"
    assert root.find("t:teiHeader/t:encodingDesc/t:listPrefixDef/t:prefixDef", NS).get("ident") == "ent"
    sp = root.find("t:text/t:body/t:sp", NS)
    assert (sp.get("who"), sp.find("t:speaker", NS).text) == ("ent:zhang", "Zhang:")
    exported = [etree.tostring(p, encoding="unicode", with_tail=False) for p in sp.findall("t:p", NS)]
    assert exported == [p.tei for p in minutes.passages.order_by("order")]
    assert root.find("t:text", NS).get("type") == "minutes"


def test_published_notes_point_into_the_text_drafts_and_orphans_stay_out(minutes):
    span = make_note(minutes, "m-p1", "memorandum dated 7 June 1962", body="See *Pravda*.", kind="translation")
    whole = Note.objects.create(document=minutes, passage=minutes.passages.get(anchor="m-p2"), anchor="m-p2",
                                body="On the whole passage.", status="published")  # fmt: skip
    make_note(minutes, "m-p1", "handed over", body="Draft.", status="draft")
    orphan = make_note(minutes, "m-p2", "Zhang Hanfu", body="Orphan.")
    Note.objects.filter(pk=orphan.pk).update(passage=None, anchor_status="orphan")
    root = tree(export("tei", minutes))
    notes = root.findall("t:text/t:back/t:div[@type='notes']/t:note", NS)
    assert [n.get("target") for n in notes] == [f"#string-range(m-p1,{span.start},28)", "#m-p2"]
    assert [n.get("type") for n in notes] == ["translation", "editorial"]
    assert notes[0].get("{http://www.w3.org/XML/1998/namespace}id") == f"n-{span.uuid}"
    assert etree.tostring(notes[0].find("t:p", NS), encoding="unicode", with_tail=False).endswith(
        'See <hi rend="italic">Pravda</hi>.</p>'
    )
    assert b"Draft." not in export("tei", minutes) and b"Orphan." not in export("tei", minutes)
    assert whole.pk


def test_links_of_the_document_in_standoff(minutes, memo):
    PassageLink.objects.create(
        source=minutes.passages.get(anchor="m-p1"), source_document=minutes, source_anchor="m-p1",
        target=memo.passages.get(), target_document=memo, target_anchor="memo-p1", kind="answers",
    )  # fmt: skip
    for doc in (minutes, memo):
        links = tree(export("tei", doc)).findall("t:standOff/t:linkGrp/t:link", NS)
        assert [(ln.get("type"), ln.get("target")) for ln in links] == [
            ("answers", "minutes.xml#m-p1 memo.xml#memo-p1")
        ]
    assert tree(export("tei", minutes, include_links=False)).find("t:standOff", NS) is None


def test_markdown_bodies_become_tei_prose():
    def xml(md):
        return [etree.tostring(p, encoding="unicode").replace(f' xmlns="{TEI}"', "") for p in markdown_to_tei(md)]

    assert xml("A **bold** [link](https://example.org/x) and `code`.") == [
        '<p>A <hi rend="bold">bold</hi> <ref target="https://example.org/x">link</ref> and <code>code</code>.</p>'
    ]
    assert xml("- one\n- two") == ["<p>• one</p>", "<p>• two</p>"]
    assert xml("> quoted") == ["<p><quote>quoted</quote></p>"]
    assert xml("[the minutes](/documents/minutes-1962-06-08/#m-zhang-1)") == [
        '<p><ref target="minutes-1962-06-08.xml#m-zhang-1">the minutes</ref></p>'
    ]
    assert xml("<script>alert(1)</script>") == ["<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"]


def test_tei_view(client, minutes):
    make_note(minutes, "m-p1", "handed over", body="Published.")
    response = client.get(reverse("documents:document-tei", kwargs={"slug": "minutes"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/tei+xml; charset=utf-8"
    assert tree(response.content).find("t:text/t:back/t:div/t:note", NS) is not None
    assert client.get(reverse("documents:document-tei", kwargs={"slug": "nothing"})).status_code == 404


def test_export_edition_writes_documents_entities_and_links(tmp_path, minutes, memo):
    from documents.models import Entity, EntityAlias

    person = Entity.objects.create(key="chervonenko", kind="person", name="S. V. Chervonenko",
                                   sort_name="Chervonenko, S. V.", description="Ambassador.")  # fmt: skip
    EntityAlias.objects.create(entity=person, name="Степан Васильевич Червоненко", lang="ru")
    Entity.objects.create(key="frus:x", kind="person", name="Foreign")
    make_note(minutes, "m-p1", "handed over")
    make_note(minutes, "m-p1", "memorandum", status="draft")
    out = io.StringIO()
    call_command("export_edition", str(tmp_path / "backup"), stdout=out)
    files = sorted(p.name for p in (tmp_path / "backup").iterdir())
    assert files == ["entities.xml", "memo.xml", "minutes.xml"]  # no links yet: no links.xml
    summary = out.getvalue()
    assert "wrote 3 files" in summary and "2 documents, 1 entities, 1 notes, 0 links" in summary
    assert "1 draft notes not exported" in summary
    person = tree((tmp_path / "backup" / "entities.xml").read_bytes()).find(".//t:person", NS)
    assert person.find("t:persName[@type='alias']", NS).text == "Степан Васильевич Червоненко"
    assert person.find("t:persName/t:surname", NS).text == "Chervonenko"
    assert person.find("t:persName/t:forename", NS).text == "S. V."


def test_export_edition_dry_run_writes_nothing(tmp_path, minutes):
    out = io.StringIO()
    call_command("export_edition", str(tmp_path / "backup"), "--dry-run", stdout=out)
    assert "would write 1 files" in out.getvalue()
    assert not (tmp_path / "backup").exists()


def test_export_edition_reports_an_unwritable_directory(tmp_path, minutes):
    from django.core.management.base import CommandError

    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError, match="cannot write the export"):
        call_command("export_edition", str(tmp_path / "file" / "sub"), stdout=io.StringIO())
