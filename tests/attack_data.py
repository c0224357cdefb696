"""Hostile data for the attack sweeps: the XSS payload list (tests/data/xss_payloads.txt) and a TEI corpus that
carries a payload in every field a TEI file controls (titles, headings, entity names and aliases, speakers'
names, passages, notes, dates), plus editors' notes whose bodies are payloads.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

DATA = Path(__file__).resolve().parent / "data"
PAYLOADS = [
    line for line in (DATA / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("# ")
]  # fmt: skip
PER_DOCUMENT = 12
STEM = "hostile-corpus"  # entity keys of a foreign file are namespaced by its file stem


def _groups():
    return [PAYLOADS[i : i + PER_DOCUMENT] for i in range(0, len(PAYLOADS), PER_DOCUMENT)]


def hostile_tei() -> str:
    """A teiCorpus: a person (name + alias) and a place per payload, one sitting per group of payloads."""
    persons = "\n".join(
        f'<person xml:id="p{i}"><persName>{escape(p)}</persName><persName xml:lang="ru">alias {escape(p)}</persName>'
        f"</person>" for i, p in enumerate(PAYLOADS)
    )  # fmt: skip
    places = "\n".join(f'<place xml:id="pl{i}"><placeName>{escape(p)}</placeName></place>' for i, p in enumerate(PAYLOADS))
    sittings = []
    for g, group in enumerate(_groups()):
        title = escape(f"Hostile sitting {g} " + " ".join(group))
        turns = []
        for j, payload in enumerate(group):
            i = g * PER_DOCUMENT + j
            p = escape(payload)
            turns.append(
                f'<note type="speaker">{p}:</note>'
                f'<u who="#p{i}" xml:id="u{i}"><seg>Payload {i} said {p} about '
                f'<persName ref="#p{i}">{p}</persName> in <placeName ref="#pl{i}">{p}</placeName> on '
                f'<date when="1962-06-08">{p}</date>.</seg><note>A note: {p}</note></u>'
            )
        sittings.append(f"""
  <TEI xml:id="sitting.{g}">
    <teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt><publicationStmt><p>{title}</p></publicationStmt>
      <sourceDesc><p>{title}</p></sourceDesc></fileDesc>
      <profileDesc><settingDesc><setting><name type="city">{escape(group[0])}</name><date when="1962-06-08">{escape(group[-1])}</date></setting></settingDesc></profileDesc>
    </teiHeader>
    <text><body><div><head>{title}</head>{''.join(turns)}</div></body></text>
  </TEI>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xml:id="hostile">
  <teiHeader>
    <fileDesc><titleStmt><title>Hostile corpus</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>
    <profileDesc><particDesc><listPerson>{persons}</listPerson></particDesc>
      <settingDesc><listPlace>{places}</listPlace></settingDesc></profileDesc>
  </teiHeader>{''.join(sittings)}
</teiCorpus>
"""


def write_hostile_tei(folder: Path) -> Path:
    path = folder / f"{STEM}.xml"
    path.write_text(hostile_tei(), encoding="utf-8")
    return path


def add_editor_notes(draft_marker: str = "DRAFT-SECRET") -> None:
    """A published editor's note per payload (its body is the payload), and one draft per document."""
    from documents.models import Document, Note

    for document in Document.objects.filter(slug__startswith="hostile"):
        passages = list(document.passages.order_by("order"))
        for n, passage in enumerate(passages):
            payload = PAYLOADS[(n + passages[0].pk) % len(PAYLOADS)]
            Note.objects.create(document=document, passage=passage, anchor=passage.anchor, body=payload,
                                status=Note.Status.PUBLISHED)  # fmt: skip
        Note.objects.create(document=document, passage=passages[0], anchor=passages[0].anchor,
                            body=f"{draft_marker} zanzibarian draft", status=Note.Status.DRAFT)  # fmt: skip


DATA_SCRIPTS = {"application/ld+json", "application/json"}


def page_problems(html: str) -> list[str]:
    """tests.test_xss.page_problems, where data blocks (<script type="application/ld+json">, never run) may hold
    the payloads' text: a payload that broke out of one would be an element of its own and still be found."""
    import lxml.html

    from tests.test_xss import page_problems as active

    root = lxml.html.fromstring(html)
    for script in list(root.iter("script")):
        if (script.get("type") or "").split(";")[0].strip().lower() in DATA_SCRIPTS and not script.get("src"):
            script.getparent().remove(script)
    return active(lxml.html.tostring(root, encoding="unicode"))
