"""Issue 10.5 (list side): the home list's filters and sort, the date histogram of ALL selected documents
(one grouped query), long documents paged without losing a permalink."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Document, Passage
from documents.render.listing import ListFilters, date_histogram, parse_period
from documents.render.reader_pages import anchor_page
from tests.conftest import SHARED

FRUS = SHARED / "samples" / "frus1918Russiav03-not-yet-reviewed.xml"
pytestmark = pytest.mark.django_db


def import_(*paths, **options):
    out, err = StringIO(), StringIO()
    call_command("import_tei", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue()


@pytest.fixture
def volume():
    import_()  # the edition
    import_(FRUS)
    return Document.objects.filter(source_file__path=str(FRUS.resolve()))


def test_parse_period():
    assert str(parse_period("1918")) == "1918-01-01" and str(parse_period("1918", end=True)) == "1918-12-31"
    assert str(parse_period("1918-02", end=True)) == "1918-02-28"
    assert str(parse_period("1962-06-08")) == "1962-06-08"
    assert parse_period("1918-13") is None and parse_period("nope") is None and parse_period("") is None


def test_histogram_counts_all_dated_documents_in_one_grouped_query(volume):
    dated = Document.objects.exclude(date=None)
    with CaptureQueriesContext(connection) as queries:
        histogram = date_histogram(Document.objects.all(), ListFilters())
    assert len(queries) == 2  # the bounds, then the counts grouped by period: no document is loaded
    assert histogram["dated"] == dated.count() > 400
    assert histogram["svg"].count("<rect") > 1


def test_home_filters_sort_and_pages_keep_the_filters(client, volume):
    page = client.get("/", {"from": "1918-03", "to": "1918-03", "sort": "-date"})
    html = page.content.decode()
    march = Document.objects.filter(date__year=1918, date__month=3)
    assert page.status_code == 200 and march.count() > 0
    first = march.order_by("-date", "sort_key", "slug").first()
    assert html.index(first.get_absolute_url()) < html.index("Documents by date")
    assert f"{march.count()} dated document" in html  # the histogram is of the selection, all pages of it
    assert 'name="from" value="1918-03"' in html
    all_docs = client.get("/", {"sort": "title"}).content.decode()
    assert "sort=title&amp;page=2" in all_docs  # the pager keeps the filters
    assert client.get("/", {"speaker": "zhang-hanfu"}).content.decode().count('class="doc-link"') == 1
    assert client.get("/", {"speaker": "nobody"}).status_code == 404
    assert client.get("/", {"kind": "minutes"}).content.decode().count('class="doc-link"') == 1
    assert client.get("/", {"from": "1962-06-09"}).content.decode().count('class="doc-link"') == 0


def test_long_document_pages_and_permalinks(client, volume, settings):
    settings.EDITION_READER_PAGE_PASSAGES = 3
    doc = max(volume, key=lambda d: d.passages.count())
    passages = list(doc.passages.order_by("order"))
    assert len(passages) > 6
    last = passages[-1]
    page = last.order // 3 + 1
    assert last.get_absolute_url() == f"{doc.get_absolute_url()}?page={page}#{last.anchor}"
    html = client.get(doc.get_absolute_url(), {"page": page}).content.decode()
    assert f'id="{last.anchor}"' in html and f'id="{passages[0].anchor}"' not in html
    assert f"Page {page} of" in html
    # The bare permalink /documents/<slug>/#anchor lands on page 1, where the anchor links to its page.
    first_page = client.get(doc.get_absolute_url()).content.decode()
    assert first_page.count(f'id="{last.anchor}"') == 1 and f"page={page}#{last.anchor}" in first_page
    # /at/<anchor>/ redirects to the page.
    response = client.get(f"{doc.get_absolute_url()}at/{last.anchor}/")
    assert response.status_code == 302 and response["Location"] == last.get_absolute_url()
    assert client.get(f"{doc.get_absolute_url()}at/nope/").status_code == 404
    assert client.get(doc.get_absolute_url(), {"page": 999}).status_code == 404
    assert anchor_page(doc, passages[0].anchor) == 1
    # Paragraph numbers continue across pages.
    assert f'aria-label="Cite paragraph {len(passages)}"' in html


def test_short_documents_are_one_page(client, volume):
    doc = Document.objects.get(slug="minutes-1962-06-08")
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "Pages of this document" not in html
    assert Passage.objects.filter(document=doc).first().get_absolute_url().startswith(f"{doc.get_absolute_url()}#")
