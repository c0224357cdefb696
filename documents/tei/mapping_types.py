"""Plain data produced by the TEI mapping and consumed by the importer (no lxml, no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Ref:
    """A pointer to an entity as found in the TEI: the resolved key and where it stands."""

    key: str
    raw: str
    line: int


@dataclass
class Problem:
    """Something wrong in a file, with its position (line 0 = the file as a whole)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass
class EntityData:
    key: str
    kind: str  # person | place | org
    name: str
    sort_name: str = ""
    description: str = ""
    affiliation: Ref | None = None
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (name, xml:lang)
    data: dict = field(default_factory=dict)
    line: int = 0


@dataclass
class MentionData:
    ref: Ref
    text: str
    start: int
    end: int
    element: str = ""  # persName, placeName, ...
    type: str = ""  # the element's @type (FRUS: from / to)


@dataclass
class DateData:
    when: str  # ISO date YYYY-MM-DD
    text: str
    start: int
    end: int


@dataclass
class PassageData:
    anchor: str
    kind: str
    order: int
    tei: str
    reading: str
    diplomatic: str
    section: str | None = None  # SectionData.xml_id
    turn: str | None = None  # TurnData.xml_id
    mentions: list[MentionData] = field(default_factory=list)
    dates: list[DateData] = field(default_factory=list)
    line: int = 0


@dataclass
class SectionData:
    xml_id: str
    kind: str
    heading: str
    order: int
    parent: str | None = None


@dataclass
class TurnData:
    xml_id: str
    who: str
    speaker: Ref | None
    speaker_label: str
    order: int
    section: str | None = None
    line: int = 0
    #: The label is the start of the turn's own paragraph (a detected 'NAME:' speaker, mapping_speakers.py).
    label_in_text: bool = False


@dataclass
class NoteData:
    """A note: its target is a passage anchor plus a text-quote/position selector.

    start=end=None: the whole passage; exact="" and start=end: a point (a footnote marker).
    """

    xml_id: str
    kind: str
    body: str  # Markdown
    anchor: str
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    line: int = 0
    n: str = ""  # the number the source prints for the note (note/@n), if any


@dataclass
class ParticipantData:
    ref: Ref
    role: str
    description: str = ""


@dataclass
class DocumentData:
    slug: str
    xml_id: str
    kind: str = "other"
    title: str = ""
    subtitle: str = ""
    summary: str = ""
    date: str | None = None
    date_text: str = ""
    time_text: str = ""
    venue: str = ""
    review_note: str = ""
    source_note: str = ""
    language: str = "en"
    sort_key: str = ""
    header_tei: str = ""
    metadata: dict = field(default_factory=dict)
    participants: list[ParticipantData] = field(default_factory=list)
    sections: list[SectionData] = field(default_factory=list)
    turns: list[TurnData] = field(default_factory=list)
    passages: list[PassageData] = field(default_factory=list)
    notes: list[NoteData] = field(default_factory=list)
    fingerprint: str = ""  # SHA-256 of everything above: unchanged documents are skipped
    line: int = 0


@dataclass
class LinkData:
    xml_id: str
    kind: str
    description: str
    source_file: str  # file name as written ('' = same file)
    source_anchor: str
    target_file: str
    target_anchor: str
    line: int = 0


@dataclass
class CollectionData:
    """A file holding many documents (a teiCorpus, a FRUS volume) or a foreign file of its own.

    `matter` is the text outside the documents (front and back matter, headnotes, section
    headings), stored as a document of kind "matter" whose sections are the collection's
    division hierarchy; `places` gives each document slug its section (an xml:id of one of
    those sections, or None) in file order.
    """

    slug: str
    title: str
    subtitle: str = ""
    header_tei: str = ""
    metadata: dict = field(default_factory=dict)  # citation facts from the header (mapping_collection.py)
    matter: DocumentData | None = None
    places: list[tuple[str, str | None]] = field(default_factory=list)  # (document slug, section xml:id)
    line: int = 0


@dataclass
class FileData:
    """Everything mapped from one TEI file."""

    path: str
    ours: bool  # uses the edition's ent: prefix: strict checks apply
    entities: list[EntityData] = field(default_factory=list)
    #: Index entries for names without a pointer, by key (unreviewed; documents/tei/mapping_unpointed.py).
    unpointed: list[EntityData] = field(default_factory=list)
    documents: list[DocumentData] = field(default_factory=list)
    links: list[LinkData] = field(default_factory=list)
    #: The collection the file is (None: our own files, which belong to the edition's collection).
    collection: CollectionData | None = None
    #: Our files: every entity pointer anywhere in the file (notes and header included), checked on import.
    refs: list[Ref] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors: the file is not imported
    warnings: list[Problem] = field(default_factory=list)  # reported; the file is imported

    @property
    def stage(self) -> int:
        """Import order: 0 entity lists, 1 documents, 2 link files."""
        if self.documents:
            return 1
        if self.links:
            return 2
        return 0
