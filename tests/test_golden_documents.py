"""Whole documents of the edition in every output, compared with golden files (tests/golden/documents/).

Every output the element table (documents.tei.elements) drives, for both edition documents: the
reader's passages and notes in the reading and the diplomatic view, the plain text in both views,
the TEI export and the DTS document. A missing golden file fails; EDITION_UPDATE_GOLDEN=1 writes
them (tests/golden.py). test_every_element_of_the_table_is_in_a_golden_file checks that each rule
of the table is exercised: by the edition, or by the small fixture tests/fixtures/tei/elements.xml.
"""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from documents.exports import export
from documents.models import Document
from documents.render.page import reader_context
from tests.golden import check_golden

pytestmark = pytest.mark.django_db

SLUGS = ("minutes-1962-06-08", "memorandum-1962-06-07")


@pytest.fixture
def edition():
    call_command("import_tei", stdout=io.StringIO(), stderr=io.StringIO())
    return {d.slug: d for d in Document.objects.filter(slug__in=SLUGS)}


def reader_html(document, view: str) -> str:
    """The passages and notes of the reader's page (the part the renderers make), one per line."""
    context = reader_context(document, user=AnonymousUser(), view=view)
    lines = []
    for block in context["blocks"]:
        for row in block.rows:
            lines.append(f'<{row.tag} id="{row.html_id}">{row.html}</{row.tag}>')
            for item in row.notes:
                lines.append(f'  <li id="{item.html_id}" value="{item.number}">{item.body}</li>')
    return "\n".join(lines)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_reader_html(edition, slug, view):
    check_golden(f"documents/{slug}.{view}.html", reader_html(edition[slug], view))


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_plain_text(edition, slug, view):
    check_golden(f"documents/{slug}.{view}.txt", export("text", edition[slug], view=view))


@pytest.mark.parametrize("slug", SLUGS)
def test_tei_export(edition, slug):
    check_golden(f"documents/{slug}.tei.xml", export("tei", edition[slug]))


@pytest.mark.parametrize("slug", SLUGS)
def test_dts_document(edition, slug):
    check_golden(f"documents/{slug}.dts.xml", export("dts", edition[slug]))


@pytest.mark.parametrize("slug", SLUGS)
def test_tei_and_dts_share_one_body(edition, slug):
    """One rebuilder (documents.exports.tei_text): the TEI export's <body> is the DTS document's."""
    from lxml import etree

    def body(data: bytes) -> bytes:
        (element,) = etree.fromstring(data).iter("{http://www.tei-c.org/ns/1.0}body")
        for el in element.iter():  # the TEI export indents between structural elements
            if len(el) and el.text is not None and not el.text.strip():
                el.text = None
            if el.tail is not None and not el.tail.strip():
                el.tail = None
        return etree.tostring(element, method="c14n")

    assert body(export("tei", edition[slug])) == body(export("dts", edition[slug]))
