"""The re-anchoring benchmark corpus: real edit types of a TEI correction, each with its notes' expected outcome.

Read by tests/test_anchoring_corpus.py (through the real importer, on SQLite and PostgreSQL) and by
bench/bench_anchoring.py (parser and cascade only, no database). Each `Case` is a small TEI text
before and after one correction; each `NoteCase` is an editor's note on the n-th occurrence of some
words in a passage before the correction, and what must become of it:

- ``kept`` / ``moved``: attached to ``to`` = (anchor, words, occurrence) in the corrected text;
- ``review``: in "Needs attention"; attached to ``to`` if given (an approximate match), otherwise
  attached to nothing; ``candidates`` (anchor, words, occurrence) must all be among those stored;
- ``orphaned``: words not found, note kept without a passage.

The persons and places are the test fixtures' invented ones (Alpha, Betov, Riverland): no
historical claim is made here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[str, str, int]  # (anchor, words, occurrence: 1 = the first in the passage)

P1 = (
    '<p xml:id="p1">I came today to continue our talks about the border crossings in Riverland. '
    "The memorandum of our government was handed over last week.</p>"
)
P2 = (
    '<p xml:id="p2">Our government asks that the border crossings be kept open and that the residents '
    "of Riverland be allowed to return to their homes.</p>"
)
P3 = (
    '<p xml:id="p3">We have studied the memorandum carefully. As to the border crossings, they were '
    "closed by the local authorities, not by the ministry.</p>"
)
P4 = '<p xml:id="p4">We will answer the memorandum in writing before the end of the month.</p>'
P5 = '<p xml:id="p5">I shall report this to my government. I thank the Vice Minister for the conversation.</p>'
T1 = '<sp xml:id="t-betov-1"><speaker>Betov:</speaker>{}{}</sp>'
T2 = '<sp xml:id="t-alpha-1"><speaker>Alpha:</speaker>{}{}</sp>'
T3 = '<sp xml:id="t-betov-2"><speaker>Betov:</speaker>{}</sp>'
HEAD = '<head xml:id="h1">Minutes of the conversation between Alpha and Betov</head>'


def body(p1=P1, p2=P2, p3=P3, p4=P4, p5=P5, order=None) -> str:
    turns = {"t1": T1.format(p1, p2), "t2": T2.format(p3, p4), "t3": T3.format(p5)}
    return HEAD + "".join(turns[t] for t in (order or ("t1", "t2", "t3")))


BASE = body()


def edit(xml: str, old: str, new: str) -> str:
    assert xml.count(old) == 1, old
    return xml.replace(old, new)


def tei_document(xml_body: str) -> str:
    """A whole TEI file around `xml_body` (what the importer reads)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="anchoring-case">'
        '<teiHeader><fileDesc><titleStmt><title type="main">Re-anchoring case</title></titleStmt>'
        "<publicationStmt><p>Test corpus.</p></publicationStmt><sourceDesc><p>Invented text.</p></sourceDesc>"
        f'</fileDesc></teiHeader><text type="minutes"><body>{xml_body}</body></text></TEI>\n'
    )


def reading_texts(xml_body: str) -> dict[str, str]:
    """{anchor: reading text} of the passages, in order, as the importer's mapper computes them."""
    from documents.tei.mapping import map_tree
    from documents.tei.parser import parse_bytes

    data = map_tree(parse_bytes(tei_document(xml_body).encode(), "case.xml"), "case.xml")
    assert not data.problems, data.problems
    return {p.anchor: p.reading for doc in data.documents for p in doc.passages}


def span(texts: dict[str, str], where: Span) -> tuple[str, int, int]:
    """(anchor, start, end) of `where` in the reading texts."""
    anchor, words, occurrence = where
    if not words:
        return anchor, None, None  # a note on the whole passage
    start = -1
    for _ in range(occurrence):
        start = texts[anchor].index(words, start + 1)
    return anchor, start, start + len(words)


@dataclass
class NoteCase:
    on: Span
    expect: str  # kept | moved | review | orphaned
    to: Span | None = None
    candidates: list[Span] = field(default_factory=list)


@dataclass
class Case:
    name: str
    edit: str  # the edit type
    after: str
    notes: list[NoteCase]
    before: str = BASE


def check(case: Case, note: NoteCase, outcome: str, attached: tuple | None, candidates: list[tuple]) -> list[str]:
    """What is wrong with a note's outcome ([] = as expected).

    outcome: kept | moved | review | orphaned; attached: (anchor, start, end) or None; candidates:
    the stored candidates as (anchor, start, end).
    """
    texts = reading_texts(case.after)
    problems = []
    if outcome != note.expect:
        problems.append(f"{outcome}, expected {note.expect}")
    wanted = span(texts, note.to) if note.to else None
    if note.expect in ("kept", "moved", "review") and attached != wanted:
        problems.append(f"attached to {attached}, expected {wanted}")
    missing = [c for c in note.candidates if span(texts, c) not in candidates]
    if missing:
        problems.append(f"candidates {missing} not among {candidates}")
    return problems


def moved_right(case: Case, note: NoteCase, outcome: str, attached) -> bool | None:
    """For precision: None if the note was not attached without review, else whether it is on the right words."""
    if outcome not in ("kept", "moved"):
        return None
    return note.to is not None and attached == span(reading_texts(case.after), note.to)


def same(expect: str, anchor: str, words: str, occurrence: int = 1) -> NoteCase:
    """A note that must stay on (kept) or follow (moved) its own words in its own passage."""
    return NoteCase((anchor, words, occurrence), expect, (anchor, words, occurrence))


# -- the corpus ----------------------------------------------------------------------------------------
def _p3_swapped():
    return (
        '<p xml:id="p3">As to the border crossings, they were closed by the local authorities, not by the '
        "ministry. We have studied the memorandum carefully.</p>"
    )


P4_TWICE = P4.replace("month.", "month, as the memorandum asks.")
P3_TYPO = P3.replace("the memorandum carefully", "the memorandun carefully")
P2_SIC = P2.replace("their homes", "there homes")

CASES = [
    Case("word-fixed-before", "a word inserted earlier in the passage",
         edit(BASE, "I came today", "I came here today"), [
        same("moved", "p1", "our talks"),
        same("moved", "p1", "The memorandum of our government"),
        same("kept", "p3", "studied the memorandum"),
    ]),
    Case("word-fixed-next-to-quote", "a word right after the words corrected",
         edit(BASE, "writing before the end", "writing by the end"), [
        same("kept", "p4", "answer the memorandum in writing"),
    ]),
    Case("word-fixed-other-passage", "a word corrected in another passage",
         edit(BASE, "the residents of Riverland", "the inhabitants of Riverland"), [
        same("kept", "p3", "the local authorities"),
        same("moved", "p2", "be allowed to return"),
    ]),
    Case("phrase-deleted-duplicate-elsewhere", "the annotated phrase deleted; it stands in two other passages",
         edit(BASE, "asks that the border crossings be kept open and that", "asks that"), [
        NoteCase(("p2", "the border crossings", 1), "review",
                 candidates=[("p1", "the border crossings", 1), ("p3", "the border crossings", 1)]),
        same("moved", "p2", "the residents"),
    ]),
    Case("phrase-deleted-duplicate-same-passage", "the annotated phrase deleted; it stands earlier in its passage",
         edit(body(p4=P4_TWICE), ", as the memorandum asks", ""), [
        NoteCase(("p4", "the memorandum", 2), "review",
                 candidates=[("p4", "the memorandum", 1), ("p3", "the memorandum", 1)]),
        same("kept", "p4", "the memorandum"),
    ], before=body(p4=P4_TWICE)),
    Case("phrase-duplicated-before-original", "the same phrase inserted just before the annotated one",
         edit(BASE, "studied the memorandum carefully",
              "studied the memorandum of your government and the memorandum carefully"), [
        NoteCase(("p3", "the memorandum", 1), "review",
                 candidates=[("p3", "the memorandum", 1), ("p3", "the memorandum", 2)]),
    ]),
    Case("phrase-duplicated-far-before", "a sentence with the same phrase inserted at the start of the passage",
         edit(BASE, '<p xml:id="p4">We will', '<p xml:id="p4">We have received the memorandum. We will'), [
        NoteCase(("p4", "the memorandum", 1), "moved", ("p4", "the memorandum", 2)),
    ]),
    Case("paragraph-split", "a paragraph split in two (the second gets a new xml:id)",
         edit(BASE, "in Riverland. The memorandum", 'in Riverland.</p><p xml:id="p1a">The memorandum'), [
        same("kept", "p1", "the border crossings in Riverland"),
        NoteCase(("p1", "The memorandum of our government", 1), "moved",
                 ("p1a", "The memorandum of our government", 1)),
        NoteCase(("p1", "handed over last week", 1), "moved", ("p1a", "handed over last week", 1)),
        same("kept", "p1", ""),
    ]),
    Case("paragraph-merged", "two paragraphs merged (the second xml:id disappears)",
         edit(BASE, 'ministry.</p><p xml:id="p4">We will', "ministry. We will"), [
        NoteCase(("p4", "in writing", 1), "moved", ("p3", "in writing", 1)),
        NoteCase(("p4", "the memorandum", 1), "moved", ("p3", "the memorandum", 2)),
        same("kept", "p3", "the local authorities"),
        NoteCase(("p4", "", 1), "orphaned"),
    ]),
    Case("paragraph-moved", "a paragraph moved before its neighbour (xml:ids kept)",
         edit(BASE, P3 + P4, P4 + P3), [
        same("kept", "p4", "in writing"),
        same("kept", "p3", "the local authorities"),
    ]),
    Case("turn-moved", "a speaker's turn moved (xml:ids kept)", body(order=("t1", "t3", "t2")), [
        same("kept", "p5", "report this to my government"),
        same("kept", "p3", "studied the memorandum"),
    ]),
    Case("turn-moved-renumbered", "a turn moved and its paragraphs renumbered",
         body(p3=P3.replace('"p3"', '"p6"'), p4=P4.replace('"p4"', '"p7"'), order=("t1", "t3", "t2")), [
        NoteCase(("p3", "studied the memorandum carefully", 1), "moved", ("p6", "studied the memorandum carefully", 1)),
        NoteCase(("p4", "the memorandum", 1), "moved", ("p7", "the memorandum", 1)),
    ]),
    Case("sentence-moved", "two sentences of a paragraph swapped", body(p3=_p3_swapped()), [
        same("moved", "p3", "studied the memorandum carefully"),
        same("moved", "p3", "the local authorities"),
    ]),
    Case("typo-fixed-in-quote", "a typo corrected inside the annotated words", body(p2=P2),
         notes=[NoteCase(("p2", "to return to there homes", 1), "review", ("p2", "to return to their homes", 1))],
         before=body(p2=P2_SIC)),
    Case("sic-corr-added-in-quote", "the witness's slip encoded as <choice><sic>/<corr> inside the words",
         body(p2=P2_SIC.replace("there homes", "<choice><sic>there</sic><corr>their</corr></choice> homes")),
         notes=[NoteCase(("p2", "return to there homes", 1), "review", ("p2", "return to their homes", 1))],
         before=body(p2=P2_SIC)),
    Case("typo-fixed-word-recurs", "a one-word note whose typo is fixed; the corrected word stands elsewhere too",
         body(), notes=[NoteCase(("p3", "memorandun", 1), "review", ("p3", "memorandum", 1))],
         before=body(p3=P3_TYPO)),
    Case("capitals-fixed-in-quote", "capitals corrected inside the words",
         edit(BASE, "the Vice Minister for", "the vice-minister for"), [
        NoteCase(("p5", "thank the Vice Minister", 1), "review", ("p5", "thank the vice-minister", 1)),
    ]),
    Case("punctuation-in-quote", "a comma inserted inside the words",
         edit(BASE, "in writing before", "in writing, before"), [
        NoteCase(("p4", "in writing before the end", 1), "review", ("p4", "in writing, before the end", 1)),
    ]),
    Case("words-inserted-in-quote", "a word inserted inside the words",
         edit(BASE, "be kept open", "be kept fully open"), [
        NoteCase(("p2", "the border crossings be kept open", 1), "review",
                 ("p2", "the border crossings be kept fully open", 1)),
    ]),
    Case("word-fixed-in-recurring-phrase", "a word of the annotated phrase changed; the old phrase stands elsewhere",
         edit(BASE, "about the border crossings in", "about the frontier crossings in"), [
        NoteCase(("p1", "the border crossings", 1), "review", candidates=[("p1", "the frontier crossings", 1)]),
    ]),
    Case("sentence-deleted", "the sentence with the annotated words deleted",
         edit(BASE, " I thank the Vice Minister for the conversation.", ""), [
        NoteCase(("p5", "thank the Vice Minister", 1), "orphaned"),
        # A lookalike elsewhere ("of the conversation" in the heading) is offered, never attached.
        NoteCase(("p5", "for the conversation", 1), "review", candidates=[("h1", "of the conversation", 1)]),
        same("kept", "p5", "report this to my government"),
    ]),
    Case("markup-only", "a name encoded as <placeName>: the reading text is unchanged",
         edit(BASE, "in Riverland. The", 'in <placeName>Riverland</placeName>. The'), [
        same("kept", "p1", "the border crossings in Riverland"),
    ]),
    Case("line-break-encoded", "a line break of the witness encoded (<lb/>) inside the words",
         edit(BASE, "the border crossings in Riverland", "the border <lb/>crossings in Riverland"), [
        same("kept", "p1", "the border crossings in Riverland"),
    ]),
    Case("quote-across-a-split", "a paragraph split inside the annotated words",
         edit(BASE, "in Riverland. The memorandum", 'in Riverland.</p><p xml:id="p1a">The memorandum'), [
        NoteCase(("p1", "in Riverland. The memorandum", 1), "orphaned"),
    ]),
    Case("paragraph-deleted", "a whole paragraph deleted",
         edit(BASE, P5, '<p xml:id="p5b">Thank you.</p>'), [
        NoteCase(("p5", "report this to my government", 1), "orphaned"),
        NoteCase(("p5", "", 1), "orphaned"),
    ]),
]  # fmt: skip
