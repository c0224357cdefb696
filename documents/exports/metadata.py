"""Bibliographic facts of a document or passage, shared by every citation format.

Nothing is invented: authors come from the document's participants with role "author"
(TEI particDesc, e.g. the ministry that issued the minutes) or, failing that, from
`Document.metadata["authors"]`; a document without either is cited by its title.
The edition is the container and (unless settings.EDITION_PUBLISHER says otherwise) the publisher of its
own documents; a document imported from a foreign file (a FRUS volume, a sitting of a teiCorpus) is part of
the volume or corpus that file's teiHeader describes, with its publisher, editors, place, date and series
(`container_facts`, from `Document.metadata["container"]`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from . import links

AUTHOR_ROLE = "author"
_CACHE_ATTR = "_citation_authors"


@dataclass(frozen=True)
class Creator:
    """An author: an organisation (cited by its full name) or a person."""

    name: str
    kind: str = "org"  # "org" or "person"
    family: str = ""
    given: str = ""

    @property
    def is_org(self) -> bool:
        return self.kind != "person"


@dataclass
class CitationData:
    key: str
    title: str
    genre: str
    authors: list[Creator]
    date: datetime.date | None
    date_text: str
    container: str
    publisher: str
    url: str
    accessed: datetime.date
    language: str
    passage_anchor: str = ""
    passage_speaker: str = ""
    archive: str = ""  # holding archive, e.g. a ministry's archive
    archive_location: str = ""  # file number and pages, as the record cites them
    translators: list[Creator] = field(default_factory=list)
    original_language: str = ""  # BCP 47 code of the text translated, e.g. "zh"
    version: str = ""  # version number of the cited text ("" = unversioned/latest)
    version_date: datetime.date | None = None
    # The volume or corpus of a document imported from a foreign file (container_facts; all "" for ours):
    series: str = ""  # e.g. "Papers Relating to the Foreign Relations of the United States, 1918"
    volume: str = ""  # as the header writes it ("Volume III")
    editors: list[Creator] = field(default_factory=list)
    publisher_place: str = ""
    container_date: str = ""  # when the container was published ("1932"), not the document's date
    in_own_container: bool = False  # True: cited as part of its own volume, not of this edition

    @property
    def year(self) -> str:
        if self.date:
            return str(self.date.year)
        return ""

    @property
    def locator(self) -> str:
        """Human-readable pointer to a passage ('' for a whole document)."""
        if not self.passage_anchor:
            return ""
        who = f" ({self.passage_speaker})" if self.passage_speaker else ""
        return f"passage {self.passage_anchor}{who}"


def _creator_from_entity(entity) -> Creator:
    if entity.kind == "person":
        sort_name = entity.sort_name or ""
        if "," in sort_name:
            family, given = (part.strip() for part in sort_name.split(",", 1))
            return Creator(entity.name, "person", family, given)
        return Creator(entity.name, "person")
    return Creator(entity.name, "org")


def _creators_from_metadata(metadata, *keys: str, default_kind: str = "org") -> list[Creator]:
    """Creators listed in `Document.metadata` under the first of `keys` present: names, or dicts with
    `name`, `kind` ("org"/"person") and, for a person, `family` and `given`."""
    metadata = metadata or {}
    raw = next((metadata[key] for key in keys if metadata.get(key)), [])
    if isinstance(raw, str | dict):
        raw = [raw]
    creators = []
    for item in raw:
        if isinstance(item, str) and item.strip():
            creators.append(Creator(item.strip(), default_kind))
        elif isinstance(item, dict) and str(item.get("name", "")).strip():
            kind = item.get("kind", default_kind)
            family, given = str(item.get("family", "")).strip(), str(item.get("given", "")).strip()
            creators.append(Creator(str(item["name"]).strip(), kind, family, given))
    return creators


def prefetch_authors(documents) -> None:
    """Resolve the authors of many documents in one query (for lists, collections)."""
    from documents.models import Participation

    documents = list(documents)
    by_doc: dict[int, list[Creator]] = {d.pk: [] for d in documents}
    rows = (
        Participation.objects.filter(document__in=documents, role=AUTHOR_ROLE)
        .select_related("entity")
        .order_by("document_id", "order", "pk")
    )
    for row in rows:
        by_doc[row.document_id].append(_creator_from_entity(row.entity))
    for document in documents:
        authors = by_doc[document.pk] or _creators_from_metadata(document.metadata, "authors", "author")
        setattr(document, _CACHE_ATTR, authors)


def document_authors(document) -> list[Creator]:
    """The document's authors (memoised on the instance: one query per document at most)."""
    if not hasattr(document, _CACHE_ATTR):
        prefetch_authors([document])
    return getattr(document, _CACHE_ATTR)


def content_modified(document):
    """When the document page's content last changed: its text or metadata, or a published note on it.

    One aggregate query, memoised on the instance (the Cite panels of all paragraphs share it).
    """
    if not hasattr(document, "_content_modified"):
        from django.db.models import Max

        latest = document.notes.published().aggregate(latest=Max("modified"))["latest"]
        document._content_modified = max(filter(None, [document.modified, latest]))
    return document._content_modified


def _source(document) -> dict:
    """The source note (TEI sourceDesc, mapped by the importer into metadata["provenance"]["source"])."""
    return ((document.metadata or {}).get("provenance") or {}).get("source") or {}


def source_facts(document) -> dict:
    """The source note's facts that citations carry: archive, archive location (file and pages),
    translators (names, or dicts with `name`, `kind`, `family`, `given`) and original language."""
    source = _source(document)
    return {
        "archive": str(source.get("archive") or "").strip(),
        "archive_location": str(source.get("archive_location") or "").strip(),
        "translators": _creators_from_metadata(source, "translators", default_kind="person"),
        "original_language": str(source.get("original_language") or "").strip(),
    }


def container_facts(document) -> dict:
    """The volume or corpus a document imported from a foreign file belongs to, as the importer read it from
    that file's teiHeader (documents/tei/mapping_container.py): CitationData fields. {} for our documents."""
    container = (document.metadata or {}).get("container") or {}
    title = str(container.get("title") or "").strip()
    if not title:
        return {}
    return {
        "container": title,
        "publisher": str(container.get("publisher") or "").strip(),
        "series": str(container.get("series") or "").strip(),
        "volume": str(container.get("volume") or "").strip(),
        "editors": _creators_from_metadata(container, "editors", default_kind="person"),
        "publisher_place": str(container.get("place") or "").strip(),
        "container_date": str(container.get("date") or "").strip(),
        "in_own_container": True,
    }


def record_url(document) -> str:
    """Address of the published record the source note cites ("" when none)."""
    return (_source(document).get("record") or {}).get("url", "")


#: Names of the original languages the edition's source notes give (citations spell them out).
LANGUAGE_NAMES = {"zh": "Chinese", "ru": "Russian", "en": "English"}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.split("-")[0].lower(), code) if code else ""


def publisher() -> str:
    return getattr(settings, "EDITION_PUBLISHER", "") or settings.EDITION_TITLE


def cited_version(document, version=None):
    """The version a citation names: the one given (a DocumentVersion), else the latest (None if unversioned)."""
    if version is not None:
        return version
    from documents.services.version_text import latest_version

    return latest_version(document)


def citation_data(document, passage=None, base_url: str | None = None, accessed=None, version=None) -> CitationData:
    """Everything a citation of `document` (or of one of its passages) says.

    `version` (a DocumentVersion) cites that version at its own URL (/documents/<slug>/v/<n>/); without
    it the citation names the latest version and points at the undated URL (always the latest text).
    A passage of an earlier version may be given as a documents.services.version_text.VersionPassage.
    """
    if passage is not None and getattr(passage, "document_id", document.pk) != document.pk:
        raise ValueError(f"passage {passage.anchor!r} is not part of document {document.slug!r}")
    pinned = version is not None
    version = cited_version(document, version)
    key = document.slug
    url = links.version_url(version, base_url) if pinned else links.document_url(document, base_url)
    anchor = speaker = ""
    if passage is not None:
        key = f"{document.slug}-{passage.anchor}"
        url = f"{url}#{passage.anchor}"
        anchor = passage.anchor
        turn = passage.turn if getattr(passage, "turn_id", None) else None
        if turn is not None:  # the speaker's name; the label as written ("Zhang:"), else the @who, if unresolved
            speaker = turn.display_name
        else:
            speaker = getattr(passage, "speaker", "")
    if pinned:
        key = f"{key}-v{version.number}"
    return CitationData(
        key=key,
        title=document.title,
        genre=document.get_kind_display() if document.kind != "other" else "",
        authors=document_authors(document),
        date=document.date,
        date_text=document.date_text,
        url=url,
        accessed=accessed or timezone.localdate(),
        language=document.language,
        passage_anchor=anchor,
        passage_speaker=speaker,
        **source_facts(document),
        version=str(version.number) if version is not None else "",
        version_date=version.date if version is not None else None,
        **(container_facts(document) or {"container": settings.EDITION_TITLE, "publisher": publisher()}),
    )

