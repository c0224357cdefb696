"""Issue 19.6: TEI that would break pages is refused at import with file:line (nesting deeper than the outputs
support, non-NCName xml:ids, an external DTD with an undefined entity); TEI at the limit renders everywhere."""


import pytest
from django.test import Client

from documents.models import Document
from documents.tei.parser import MAX_SUPPORTED_DEPTH
from tests.builders import make_editor
from tests.test_importer import edit, run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_edition_schema")]



URLS = ["/documents/doc-b/", "/documents/doc-b/?view=diplomatic", "/compare/doc-b/doc-b/", "/documents/doc-b/tei.xml",
        "/dts/document/?resource=doc-b", "/dts/navigation/?resource=doc-b&down=-1", "/documents/doc-b/cite.bibtex",
        "/documents/doc-b/cite.ris", "/documents/doc-b/text.txt", "/documents/doc-b/cite/?passage=b-p1",
        "/api/documents/doc-b/", "/search/?q=deep"]  # fmt: skip
TEI_LEVELS = 4  # TEI/text/body/p around the nested <hi>


def nest(path, levels):
    edit(path, "was closed on", "\n" + "<hi rend='i'>" * levels + "deep" + "</hi>" * levels + " was closed on")


def test_nesting_deeper_than_the_outputs_support_is_refused_at_import(edition):
    nest(edition / "doc-b.xml", 245)
    out, err, exc = run(edition)
    assert exc is not None
    assert f"doc-b.xml:22:0: elements nested deeper than {MAX_SUPPORTED_DEPTH} levels" in err
    assert not Document.objects.filter(slug="doc-b").exists()


def test_nesting_at_the_limit_renders_on_every_page(edition):
    nest(edition / "doc-b.xml", MAX_SUPPORTED_DEPTH - TEI_LEVELS)
    out, err, exc = run(edition)
    assert exc is None, err
    editor = Client()
    editor.force_login(make_editor())
    for client in (Client(), editor):
        for url in URLS:
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("value", ['b-"p1', "b<p1", "b p1", "1b", "b:p1"])
def test_xml_ids_that_outputs_cannot_carry_are_refused_at_import(edition, value):
    escaped = value.replace("<", "&lt;").replace('"', "&quot;")
    edit(edition / "doc-b.xml", 'xml:id="b-p1"', f'xml:id="{escaped}"')
    out, err, exc = run(edition)
    assert exc is not None
    assert "doc-b.xml:21:0: xml:id" in err and "NCName" in err
    assert not Document.objects.filter(slug="doc-b").exists()


def test_an_external_dtd_with_an_undefined_entity_is_refused_at_import(edition):
    path = edition / "doc-b.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("?>\n", '?>\n<!DOCTYPE TEI SYSTEM "tei_all.dtd">\n', 1).replace(
        "Test fixture.", "Test &undefinedthing; fixture."), encoding="utf-8")  # fmt: skip
    out, err, exc = run(edition)
    assert exc is not None
    assert "doc-b.xml:2:1: the DOCTYPE names an external DTD" in err
    assert not Document.objects.filter(slug="doc-b").exists()
