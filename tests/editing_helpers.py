"""Small ORM builders for the editing tests (until the importer provides real documents)."""

from xml.sax.saxutils import escape

from documents.models import Document, Note, Passage
from documents.services.anchoring import quote_selector
from documents.tei import local_name

TEI = "http://www.tei-c.org/ns/1.0"
HEADER = (
    f'<teiHeader xmlns="{TEI}"><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc>'
    '<encodingDesc><listPrefixDef><prefixDef ident="ent" matchPattern="([a-z-]+)" '
    'replacementPattern="entities.xml#$1"/></listPrefixDef></encodingDesc></teiHeader>'
)


def passage_tei(anchor, text):
    return f'<p xmlns="{TEI}" xml:id="{anchor}">{escape(text)}</p>'


def make_document(slug="minutes", texts=None, kind="minutes", title=None):
    """A document with one passage per (anchor, reading text) pair."""
    doc = Document.objects.create(
        slug=slug, xml_id=slug, kind=kind, title=title or f"Document {slug}", header_tei=HEADER
    )
    for order, (anchor, text) in enumerate((texts or {}).items()):
        Passage.objects.create(
            document=doc,
            anchor=anchor,
            order=order,
            tei=passage_tei(anchor, text),
            reading_text=text,
            diplomatic_text=text,
        )
    return doc


def make_note(document, anchor, exact, body="A note.", occurrence=1, **fields):
    """An editor's note on the n-th occurrence of `exact` in the passage `anchor`."""
    passage = document.passages.get(anchor=anchor)
    start = -1
    for _ in range(occurrence):
        start = passage.reading_text.index(exact, start + 1)
    sel = quote_selector(passage.reading_text, start, start + len(exact))
    fields.setdefault("status", Note.Status.PUBLISHED)
    return Note.objects.create(document=document, passage=passage, anchor=anchor, body=body, **sel, **fields)


def rewrite(document, texts):
    """Simulate a re-import: replace the passages' texts (new anchors created, missing ones deleted).

    Returns old_texts as the importer passes it to reanchor_document_notes.
    """
    old_texts = dict(document.passages.values_list("anchor", "reading_text"))
    document.passages.exclude(anchor__in=list(texts)).delete()
    for order, (anchor, text) in enumerate(texts.items()):
        Passage.objects.update_or_create(
            document=document,
            anchor=anchor,
            defaults={"order": order, "tei": passage_tei(anchor, text), "reading_text": text, "diplomatic_text": text},
        )
    return old_texts


# -- users and fixtures shared by the editing tests (import them into a test module) ------------------
import pytest  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402

MINUTES = {
    "m-p1": "The Soviet side handed over a memorandum dated 7 June 1962 about the events in Xinjiang.",
    "m-p2": "Zhang Hanfu said that the Chinese side would study the memorandum and answer the memorandum.",
}


def make_editor(username="editor"):
    user = User.objects.create_user(username, is_staff=True)  # no password: tests use force_login
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def minutes(db):
    return make_document(texts=MINUTES)


def note_form(document, passage, exact="", body="A note.", **extra):
    """POST data of the note admin form."""
    data = {
        "document": document.pk,
        "passage": passage.pk,
        "exact": exact,
        "occurrence": "",
        "kind": "editorial",
        "status": "draft",
        "body": body,
        "expected_version": "",
        "_save": "Save",
    }
    data.update({k: ("" if v is None else v) for k, v in extra.items()})
    return data


def active_content(html: str) -> list[str]:
    """Everything in `html` that a browser would run or load: scripts, on* handlers, dangerous URLs, style.

    Returns a description of each problem (empty when the HTML is inert).
    """
    import lxml.html

    if not html.strip():
        return []
    problems = []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = local_name(el).lower()
        if tag in {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link"}:
            problems.append(f"<{tag}> element")
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                problems.append(f"{lname} attribute on <{tag}>")
            if lname in {"style", "srcdoc", "formaction"}:
                problems.append(f"{lname} attribute on <{tag}>")
            if lname in {"href", "src", "action", "xlink:href", "data", "poster", "background"}:
                url = "".join(value.split()).lower()
                if not url.startswith(("http:", "https:", "mailto:", "#", "/")):
                    problems.append(f"{lname}={value!r} on <{tag}>")
    return problems


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser("admin", email="admin@example.org", password=None)
    client.force_login(user)
    return client
