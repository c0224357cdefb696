"""Citations (Chicago, APA, BibTeX, RIS, CSL-JSON), the Cite panel, reference-manager metadata,
note permalinks and the export_document command."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.exports import EXPORTERS, export, media_type
from documents.exports.citation import CITATION_FORMATS
from documents.models import Document, Participation
from tests.builders import add_paragraphs, reader_edition

pytestmark = pytest.mark.django_db

BASE = "https://edition.example.org"
ACCESSED = datetime.date(2026, 11, 30)
EDITION = "The Xinjiang Border Crisis of 1962: Minutes and Memorandum of 8 June 1962"
MINUTES_TITLE = (
    "Minutes of the Meeting between the Vice Minister [Zhang Hanfu] and the Ambassador of the Soviet Union to China "
    "[Chervonenko]"
)


@pytest.fixture
def ed():
    return reader_edition()


def cite(fmt, ed, passage=None, doc="minutes"):
    return export(fmt, ed[doc], passage=ed[passage] if passage else None, base_url=BASE, accessed=ACCESSED)


def test_every_citation_format_is_registered_with_its_media_type():
    assert set(CITATION_FORMATS) <= set(EXPORTERS)
    assert media_type("bibtex").startswith("application/x-bibtex")
    assert media_type("ris").startswith("application/x-research-info-systems")
    assert media_type("csl-json") == "application/vnd.citationstyles.csl+json"
    assert media_type("chicago").startswith("text/plain")


def test_chicago_document(ed):
    """citeproc-py with the official Chicago 17 style; no access date (the document is dated)."""
    assert cite("chicago", ed) == (
        f"PRC Ministry of Foreign Affairs. “{MINUTES_TITLE}.” Minutes. In {EDITION}. June 8, 1962. "
        f"{BASE}/documents/minutes-1962-06-08/."
    )


def test_chicago_passage_names_the_passage_and_links_its_anchor(ed):
    text = cite("chicago", ed, passage="p2")
    assert "June 8, 1962. Passage m-zhang-report (Zhang Hanfu). " in text
    assert text.endswith(f"{BASE}/documents/minutes-1962-06-08/#m-zhang-report.")


def test_chicago_html_escapes_and_italicises_the_container(ed):
    ed["minutes"].title = "Minutes <script>"
    html = export("chicago", ed["minutes"], base_url=BASE, accessed=ACCESSED, html=True)
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert f"<i>{EDITION}</i>" in html


def test_apa_document_and_passage(ed):
    """APA 7: no "Retrieved ... from" for a text that does not change."""
    assert cite("apa", ed, doc="memo") == (
        "Government of the Soviet Union. (1962). Memorandum Submitted by the Ambassador of the Soviet Union "
        f"to Zhang Hanfu on 8 June 1962 [Memorandum]. In {EDITION}. {BASE}/documents/memorandum-1962-06-07/"
    )
    passage = cite("apa", ed, passage="p1")
    assert "Passage m-chervonenko-visit (S. V. Chervonenko). https://" in passage and "Retrieved" not in passage


def test_no_invented_author_when_the_document_has_none(ed):
    Participation.objects.filter(document=ed["memo"], role="author").delete()
    memo = Document.objects.get(slug="memorandum-1962-06-07")
    apa = export("apa", memo, base_url=BASE, accessed=ACCESSED)
    assert apa.startswith("Memorandum Submitted by the Ambassador")
    assert "author" not in export("bibtex", memo, base_url=BASE, accessed=ACCESSED)
    assert "\r\nAU  - " not in export("ris", memo, base_url=BASE, accessed=ACCESSED)
    assert "author" not in json.loads(export("csl-json", memo, base_url=BASE, accessed=ACCESSED))[0]


def test_authors_fall_back_to_document_metadata(ed):
    Participation.objects.filter(document=ed["memo"], role="author").delete()
    memo = Document.objects.get(slug="memorandum-1962-06-07")
    memo.metadata = {"authors": ["Embassy of the USSR in Beijing"]}
    assert export("chicago", memo, base_url=BASE, accessed=ACCESSED).startswith("Embassy of the USSR in Beijing.")


def test_person_authors_are_split_for_reference_managers(ed):
    Participation.objects.create(document=ed["memo"], entity=ed["cherv"], role="author", order=5)
    memo = Document.objects.get(slug="memorandum-1962-06-07")
    bib = export("bibtex", memo, base_url=BASE, accessed=ACCESSED)
    assert "author = {{Government of the Soviet Union} and Chervonenko, S. V.}" in bib
    csl = json.loads(export("csl-json", memo, base_url=BASE, accessed=ACCESSED))[0]
    assert csl["author"] == [{"literal": "Government of the Soviet Union"}, {"family": "Chervonenko", "given": "S. V."}]
    assert "Government of the Soviet Union, & Chervonenko, S. V." in export(
        "apa", memo, base_url=BASE, accessed=ACCESSED
    )
    assert "AU  - Chervonenko, S. V.\r\n" in export("ris", memo, base_url=BASE, accessed=ACCESSED)


def test_bibtex(ed):
    bib = cite("bibtex", ed, passage="p3")
    assert bib.startswith("@unpublished{minutes-1962-06-08-m-zhang-second,\n")
    assert "  author = {{PRC Ministry of Foreign Affairs}},\n" in bib
    assert f"  title = {{{{{MINUTES_TITLE}}}}},\n" in bib
    assert f"  howpublished = {{{EDITION}}}" in bib and "  date = {1962-06-08}" in bib
    assert "  type = {Minutes}" in bib and "publisher" not in bib
    assert "  note = {passage m-zhang-second (Zhang Hanfu)}" in bib
    assert f"  url = {{{BASE}/documents/minutes-1962-06-08/#m-zhang-second}}" in bib
    assert "  urldate = {2026-11-30}" in bib
    assert bib.count("{") == bib.count("}")


def test_bibtex_escapes_latex_specials(ed):
    ed["minutes"].title = "Costs: 50% & more_#1 {draft}"
    bib = export("bibtex", ed["minutes"], base_url=BASE, accessed=ACCESSED)
    assert r"title = {{Costs: 50\% \& more\_\#1 \{draft\}}}" in bib


def test_ris(ed):
    ris = cite("ris", ed, passage="p2")
    lines = ris.split("\r\n")
    assert lines[0] == "TY  - MANSCPT" and lines[-2] == "ER  - " and lines[-1] == ""
    for expected in (
        "AU  - PRC Ministry of Foreign Affairs",
        f"TI  - {MINUTES_TITLE}",
        "M3  - Minutes",
        "PY  - 1962",
        "DA  - 1962/06/08/",
        f"DP  - {EDITION}",
        f"UR  - {BASE}/documents/minutes-1962-06-08/#m-zhang-report",
        "Y2  - 2026/11/30/",
        "N1  - passage m-zhang-report (Zhang Hanfu)",
    ):
        assert expected in lines
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert not any(line.startswith(("T2", "PB")) for line in lines)  # Zotero would file a journal's article


def test_archive_translators_and_original_language_in_every_format(ed):
    ed["memo"].metadata = {"provenance": {"source": {  # fictional values, where the importer puts the source note
        "archive": "Example Ministry Archive",
        "archive_location": "File 000-00000-00",
        "translators": [{"name": "Jane Roe", "kind": "person", "family": "Roe", "given": "Jane"}],
        "original_language": "zh",
    }}}  # fmt: skip
    csl = json.loads(cite("csl-json", ed, doc="memo"))[0]
    assert csl["archive"] == "Example Ministry Archive" and csl["archive_location"] == "File 000-00000-00"
    assert csl["translator"] == [{"family": "Roe", "given": "Jane"}] and csl["note"] == "Translated from Chinese."
    ris = cite("ris", ed, doc="memo")
    for line in ("DB  - Example Ministry Archive", "AN  - File 000-00000-00", "A4  - Roe, Jane",
                 "N1  - Translated from Chinese by Jane Roe."):  # fmt: skip
        assert line + "\r\n" in ris
    bib = cite("bibtex", ed, doc="memo")
    assert "  library = {Example Ministry Archive, File 000-00000-00}" in bib
    assert "  addendum = {Translated from Chinese by Jane Roe.}" in bib
    chicago = cite("chicago", ed, doc="memo")
    assert "translated by Jane Roe" in chicago and "File 000-00000-00. Example Ministry Archive." in chicago
    assert "Translated from Chinese." in chicago
    assert "(J. Roe, Trans.)" in cite("apa", ed, doc="memo")
    html = render("{% citation_meta document %}", document=ed["memo"])
    assert '<meta name="z.translators" content="Roe, Jane">' in html and "citation_author" not in html
    assert '<meta name="DC.creator" content="Government of the Soviet Union,">' in html
    assert '<meta name="DC.coverage" content="File 000-00000-00">' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["holdingArchive"] == {"@type": "ArchiveOrganization", "name": "Example Ministry Archive"}
    assert ld["itemLocation"] == "File 000-00000-00" and ld["translationOfWork"]["inLanguage"] == "zh"
    assert ld["translator"] == [{"@type": "Person", "name": "Jane Roe"}]


def test_version_in_every_format(ed):
    from dataclasses import replace

    from documents.exports.csl import csl_item, render
    from documents.exports.metadata import citation_data
    from documents.exports.reference_files import bibtex, ris

    data = replace(citation_data(ed["memo"], base_url=BASE, accessed=ACCESSED), version="2",
                   version_date=datetime.date(2026, 12, 1))  # fmt: skip
    item = csl_item(data)
    assert item["version"] == "2" and item["available-date"] == {"date-parts": [[2026, 12, 1]]}
    assert "N1  - Version 2 of 2026-12-01.\r\n" in ris(data)
    assert "addendum = {Version 2 of 2026-12-01.}" in bibtex(data)
    assert "version 2 of December 1, 2026" in render("chicago", data)
    assert "(Version 2 of December 1, 2026)" in render("apa", data)


def test_csl_json(ed):
    (item,) = json.loads(cite("csl-json", ed))
    assert item == {
        "id": "minutes-1962-06-08",
        "type": "manuscript",
        "title": MINUTES_TITLE,
        "author": [{"literal": "PRC Ministry of Foreign Affairs"}],
        "issued": {"date-parts": [[1962, 6, 8]]},
        "genre": "Minutes",
        "container-title": EDITION,
        "language": "en",
        "URL": f"{BASE}/documents/minutes-1962-06-08/",
        "accessed": {"date-parts": [[2026, 11, 30]]},
    }


def test_publisher_can_differ_from_the_container(ed, settings):
    settings.EDITION_PUBLISHER = "Example Edition Project"
    assert "In The Xinjiang" in cite("chicago", ed) and "Example Edition Project" in cite("chicago", ed)
    assert json.loads(cite("csl-json", ed))[0]["publisher"] == "Example Edition Project"


def test_a_passage_of_another_document_is_refused(ed):
    with pytest.raises(ValueError, match="not part of document"):
        export("chicago", ed["memo"], passage=ed["p1"], base_url=BASE)


@pytest.mark.parametrize(
    "fmt, content_type, filename",
    [
        ("chicago", "text/plain; charset=utf-8", None),
        ("apa", "text/plain; charset=utf-8", None),
        ("bibtex", "application/x-bibtex; charset=utf-8", "minutes-1962-06-08.bib"),
        ("ris", "application/x-research-info-systems; charset=utf-8", "minutes-1962-06-08.ris"),
        ("csl-json", "application/vnd.citationstyles.csl+json", "minutes-1962-06-08.json"),
    ],
)
def test_cite_views_serve_each_format(client, ed, fmt, content_type, filename):
    response = client.get(f"/documents/minutes-1962-06-08/cite.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    if filename:
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    body = response.content.decode()
    assert "http://testserver/documents/minutes-1962-06-08/" in body
    today = timezone.localdate()
    if fmt not in ("chicago", "apa"):  # the styles print no access date for a dated document
        assert str(today.year) in body and str(today.month) in body


def test_cite_view_for_a_passage(client, ed):
    response = client.get("/documents/minutes-1962-06-08/cite.ris?passage=m-zhang-report")
    assert "UR  - http://testserver/documents/minutes-1962-06-08/#m-zhang-report" in response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="minutes-1962-06-08-m-zhang-report.ris"'


@pytest.mark.parametrize(
    "url",
    [
        "/documents/minutes-1962-06-08/cite.mla",
        "/documents/no-such-document/cite.bibtex",
        "/documents/minutes-1962-06-08/cite.bibtex?passage=no-such-anchor",
        "/documents/minutes-1962-06-08/cite.bibtex?passage=memo-received",  # a passage of the other document
    ],
)
def test_cite_view_errors_are_404(client, ed, url):
    assert client.get(url).status_code == 404


def render(template, **context):
    request = RequestFactory().get("/documents/minutes-1962-06-08/")
    return Template("{% load citation_tags %}" + template).render(Context({"request": request, **context}))


def test_cite_panel_for_a_document_works_without_javascript(ed):
    html = render("{% cite_panel document %}", document=ed["minutes"])
    assert html.lstrip().startswith('<details class="cite-panel" id="cite-minutes-1962-06-08">')
    assert "Cite this document" in html
    assert "PRC Ministry of Foreign Affairs. “Minutes of the Meeting" in html
    assert f"<i>{EDITION}</i>" in html
    assert 'href="http://testserver/documents/minutes-1962-06-08/"' in html
    for fmt in ("bibtex", "ris", "csl-json"):
        assert f'href="/documents/minutes-1962-06-08/cite.{fmt}"' in html
    assert "hidden>Copy Chicago citation</button>" in html  # revealed by cite.js only
    assert timezone.localdate().strftime("%Y-%m-%d") in html


def test_cite_panel_for_a_passage(ed):
    html = render("{% cite_panel passage %}", passage=ed["p2"])
    assert '<details class="cite-panel cite-compact" id="cite-m-zhang-report">' in html
    assert '<summary>Cite<span class="cite-vh"> this paragraph</span></summary>' in html  # short in a margin
    assert 'href="/documents/minutes-1962-06-08/cite.bibtex?passage=m-zhang-report"' in html
    assert "http://testserver/documents/minutes-1962-06-08/#m-zhang-report" in html


def test_cite_panels_for_every_passage_take_a_fixed_number_of_queries(ed):
    def queries():
        document = Document.objects.get(slug="minutes-1962-06-08")
        with CaptureQueriesContext(connection) as ctx:
            html = render(
                "{% citation_meta document %}{% for p in passages %}{% cite_panel p %}{% endfor %}",
                document=document,
                passages=document.passages.for_reader(),
            )
        return len(ctx.captured_queries), html.count('<details class="cite-panel')

    few, panels = queries()
    add_paragraphs(ed["minutes"], 25)
    assert queries() == (few, panels + 25)


def test_citation_meta_for_reference_managers(ed):
    html = render("{% citation_meta document %}", document=ed["minutes"])
    assert f'<meta name="citation_title" content="{MINUTES_TITLE}">' in html
    assert '<meta name="citation_author" content="PRC Ministry of Foreign Affairs,">' in html  # one name
    assert '<meta name="citation_date" content="1962-06-08">' in html
    assert "citation_inbook_title" not in html and "citation_publisher" not in html  # no Book Section
    assert '<meta name="bibo.type" content="Manuscript">' in html
    assert '<meta name="DC.type" content="Minutes">' in html
    assert '<meta name="citation_public_url" content="http://testserver/documents/minutes-1962-06-08/">' in html
    assert '<meta name="dcterms.modified"' in html
    assert 'rel="alternate" type="application/x-bibtex" href="/documents/minutes-1962-06-08/cite.bibtex"' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "ArchiveComponent" and ld["dateCreated"] == "1962-06-08"
    assert ld["author"] == [{"@type": "Organization", "name": "PRC Ministry of Foreign Affairs"}]
    assert ld["isPartOf"]["name"] == EDITION and "dateModified" in ld


def test_citation_meta_json_ld_cannot_close_its_script(ed):
    ed["minutes"].title = "</script><script>alert(1)</script>"
    html = render("{% citation_meta document %}", document=ed["minutes"])
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(script)["name"] == "</script><script>alert(1)</script>"
    assert "<script>alert" not in html


def test_last_modified_tag(ed):
    html = render("{% last_modified document %}", document=ed["minutes"])
    assert html.startswith('<p class="last-modified">Last modified <time datetime="')


# Note permalinks


def test_note_permalink_redirects_to_its_passage(client, ed):
    response = client.get(f"/notes/{ed['note'].uuid}/")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/minutes-1962-06-08/#note-{ed['note'].uuid.hex[:12]}"
    ed["note"].xml_id = "n-xinjiang"
    ed["note"].save()
    assert client.get(f"/notes/{ed['note'].uuid}/")["Location"] == "/documents/minutes-1962-06-08/#n-xinjiang"
    assert "Accept" in response["Vary"]


def test_note_permalink_serves_the_annotation_as_json_ld(client, ed):
    response = client.get(f"/notes/{ed['note'].uuid}/", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    assert response.json()["id"] == f"http://testserver/notes/{ed['note'].uuid}/"


def test_orphan_note_permalink_leads_to_the_document(client, ed):
    note = ed["note"]
    note.passage = None
    note.anchor_status = "orphan"
    note.save()
    assert client.get(f"/notes/{note.uuid}/")["Location"] == "/documents/minutes-1962-06-08/"


def test_draft_note_permalink_is_404_for_readers_but_works_for_editors(client, ed):
    url = f"/notes/{ed['draft'].uuid}/"
    assert client.get(url).status_code == 404
    editor = User.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="change_note"))
    client.force_login(editor)
    assert client.get(url)["Location"] == f"/documents/minutes-1962-06-08/#note-{ed['draft'].uuid.hex[:12]}"


def test_unknown_note_is_404(client, ed):
    assert client.get("/notes/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_last_modified_counts_published_notes_but_not_drafts(ed):
    from documents.models import Note

    later = timezone.now() + datetime.timedelta(days=3)
    Note.objects.update(modified=timezone.now() - datetime.timedelta(days=30))
    Note.objects.filter(pk=ed["draft"].pk).update(modified=later + datetime.timedelta(days=1))
    document = Document.objects.get(slug="minutes-1962-06-08")
    assert f'datetime="{document.modified.isoformat()}' in render("{% last_modified document %}", document=document)
    Note.objects.filter(pk=ed["note"].pk).update(modified=later)
    document = Document.objects.get(slug="minutes-1962-06-08")
    html = render("{% last_modified document %}{% citation_meta document %}", document=document)
    assert f'<time datetime="{later.isoformat()}">' in html
    assert f'<meta name="dcterms.modified" content="{later.isoformat()}">' in html


def test_cite_snippet_included_directly_renders_the_panel(ed):
    html = render('{% include "documents/snippets/cite.html" %}', document=ed["minutes"])
    assert 'id="cite-minutes-1962-06-08"' in html and "PRC Ministry of Foreign Affairs." in html
    html = render('{% include "documents/snippets/cite.html" with cite_object=p %}', document=ed["minutes"], p=ed["p2"])
    assert 'id="cite-m-zhang-report"' in html
