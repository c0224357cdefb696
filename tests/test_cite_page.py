"""The per-paragraph Cite page (/documents/<slug>/cite/?passage=<anchor>) and the reader's "Cite" links to it."""

import html5lib
import pytest
from django.utils import timezone
from lxml import html

from documents.models import Passage
from tests.builders import reader_edition

pytestmark = pytest.mark.django_db

URL = "/documents/minutes-1962-06-08/cite/"


@pytest.fixture
def ed():
    return reader_edition()


def parse(response):
    assert response.status_code == 200
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    root = html.fromstring(response.content)
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))
    return root


def test_the_cite_page_of_a_paragraph(client, ed):
    root = parse(client.get(URL + "?passage=m-zhang-report"))
    number = list(ed["minutes"].passages.order_by("order").values_list("anchor", flat=True)).index("m-zhang-report") + 1
    heading = root.xpath("string(//h1)")
    assert heading == f"Cite paragraph {number} of {ed['minutes'].title}"
    assert "I will report to our government" in root.xpath("string(//blockquote)")
    panel = root.xpath("//details[@id='cite-m-zhang-report']")[0]
    assert panel.get("open") is not None and "cite-compact" not in panel.get("class")  # open, full width
    chicago = panel.xpath("string(.//p[@id='cite-m-zhang-report-chicago'])")
    assert chicago.startswith("PRC Ministry of Foreign Affairs. “Minutes of the Meeting")
    assert "Passage m-zhang-report (Zhang Hanfu)." in chicago
    assert chicago.endswith("http://testserver/documents/minutes-1962-06-08/#m-zhang-report.")
    apa = panel.xpath("string(.//p[@id='cite-m-zhang-report-apa'])")
    assert "http://testserver/documents/minutes-1962-06-08/#m-zhang-report" in apa
    permalink = panel.xpath(".//a[@class='cite-permalink']/@href")
    assert permalink == ["http://testserver/documents/minutes-1962-06-08/#m-zhang-report"]
    accessed = panel.xpath(".//p[@class='cite-dates']/time/@datetime")[0]
    assert accessed == timezone.localdate().isoformat()
    downloads = panel.xpath(".//p[@class='cite-downloads']/a/@href")
    assert downloads == [
        f"/documents/minutes-1962-06-08/cite.{fmt}?passage=m-zhang-report" for fmt in ("bibtex", "ris", "csl-json")
    ]
    for href in downloads:
        assert "m-zhang-report" in client.get(href).content.decode()
    assert root.xpath("//a[text()='Back to the paragraph in the document']/@href") == [
        "/documents/minutes-1962-06-08/#m-zhang-report"
    ]
    assert root.xpath("//script/@src")  # cite.js reveals the copy buttons


def test_without_a_passage_the_page_cites_the_document(client, ed):
    root = parse(client.get(URL))
    assert root.xpath("string(//h1)") == f"Cite {ed['minutes'].title}"
    assert root.xpath("//details[@id='cite-minutes-1962-06-08'][@open]")


def test_the_cite_page_escapes_the_text_and_title(client, ed):
    doc = ed["minutes"]
    doc.title = 'Minutes <script>alert("t")</script> & co'
    doc.save()
    Passage.objects.filter(anchor="m-zhang-report").update(reading_text='Say <img src=x onerror="alert(1)"> & go')
    response = client.get(URL + "?passage=m-zhang-report")
    body = response.content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert" in body and "&lt;img src=x" in body
    root = parse(response)
    assert "Say <img src=x" in root.xpath("string(//blockquote)")


@pytest.mark.parametrize(
    "url",
    [
        URL + "?passage=no-such-anchor",
        URL + "?passage=memo-received",  # a passage of the other document
        "/documents/no-such-document/cite/?passage=m-zhang-report",
    ],
)
def test_unknown_documents_and_anchors_are_404(client, ed, url):
    assert client.get(url).status_code == 404


def test_only_safe_methods(client, ed):
    assert client.head(URL + "?passage=m-zhang-report").status_code == 200
    assert client.post(URL + "?passage=m-zhang-report").status_code == 405


def test_every_paragraph_of_the_reader_has_a_cite_link(client, ed):
    root = parse(client.get("/documents/minutes-1962-06-08/"))
    tools = root.xpath("//div[@class='ptools']")
    anchors = list(ed["minutes"].passages.order_by("order").values_list("anchor", flat=True))
    assert len(tools) == len(anchors)
    for number, (anchor, cell) in enumerate(zip(anchors, tools, strict=True), 1):
        link = cell.xpath("a[@class='cite-link']")
        assert len(link) == 1, anchor
        assert link[0].get("href") == f"{URL}?passage={anchor}"
        assert link[0].get("aria-label") == f"Cite paragraph {number}"
        assert link[0].text == "Cite"
        # The page it opens names the same paragraph number as the reader.
        page = parse(client.get(link[0].get("href")))
        assert page.xpath("string(//h1)").startswith(f"Cite paragraph {number} of ")
