"""Parsing what a reader types into a safe, backend-neutral query.

The syntax is the familiar web-search one (as PostgreSQL's websearch_to_tsquery):
words are ANDed, "quoted words" are a phrase, OR between two terms makes alternatives,
a leading - excludes a term. Anything else (stray quotes, brackets, *, operators in odd
places, control characters) is treated as plain text, never as syntax, so no input can
cause a database syntax error. Terms without a letter or digit are dropped.

The parsed query is compiled to an FTS5 MATCH expression (every term quoted, so FTS5's
own operators cannot be injected) and to a canonical websearch string for PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_TERMS = 20
#: Beyond these a query is refused (HTTP 400, "query too complex") rather than cut: nobody types them.
MAX_RAW_CHARS = 2_000
MAX_RAW_TOKENS = 200
_WORD = re.compile(r"[^\W_]", re.UNICODE)
# A token: an optionally negated quoted phrase (closing quote optional), or a run of non-space, non-quote text.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|([^\s"]+)')
#: English stop words (PostgreSQL's english.stop, the Snowball list). Single words from this list are
#: dropped on every backend, so "the" behaves the same on SQLite (which would match it) and PostgreSQL.
STOPWORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her "
    "hers herself it its itself they them their theirs themselves what which who whom this that these "
    "those am is are was were be been being have has had having do does did doing a an the and but if or "
    "because as until while of at by for with about against between into through during before after "
    "above below to from up down in out on off over under again further then once here there when where "
    "why how all any both each few more most other some such no nor not only own same so than too very s "
    "t can will just don should now"
    .split()
)
#: The index's own filter tokens (documents/search/tokens.py): never searched for as words.
_RESERVED = re.compile(r"zz[a-z]+\d+", re.IGNORECASE)
#: Private-use characters used as highlight markers inside the database; removed from indexed text.
MARK_START, MARK_END = "\ue000", "\ue001"


@dataclass(frozen=True)
class Term:
    """A word or a phrase (several words that must follow each other)."""

    text: str
    phrase: bool = False

    def fts5(self) -> str:
        # A quoted FTS5 string is tokenized like the indexed text: "U.S.S.R." becomes a phrase u s s r.
        return '"' + self.text.replace('"', '""') + '"'

    def websearch(self) -> str:
        return '"' + self.text.replace('"', " ") + '"'


@dataclass(frozen=True)
class Clause:
    """One or more alternative terms (OR); negated clauses exclude their matches."""

    terms: tuple[Term, ...]
    negated: bool = False


@dataclass
class ParsedQuery:
    raw: str
    clauses: list[Clause] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self) -> list[Clause]:
        return [c for c in self.clauses if c.negated]

    @property
    def is_searchable(self) -> bool:
        return bool(self.positive)

    def fts5(self) -> str:
        """FTS5 MATCH expression: (a OR b) AND (c) NOT (d)."""

        def group(clause: Clause) -> str:
            return "(" + " OR ".join(t.fts5() for t in clause.terms) + ")"

        expr = " AND ".join(group(c) for c in self.positive)
        for clause in self.negative:
            expr = f"({expr}) NOT {group(clause)}"
        return expr

    def websearch(self) -> str:
        """Canonical input for websearch_to_tsquery: every term quoted, OR and - explicit."""
        parts = []
        for clause in self.clauses:
            alternatives = " or ".join(t.websearch() for t in clause.terms)
            parts.append(("-" if clause.negated else "") + alternatives)
        return " ".join(parts)

    def describe(self) -> str:
        """The query as understood, for display."""
        out = []
        for clause in self.clauses:
            alts = " OR ".join(f"“{t.text}”" if t.phrase else t.text for t in clause.terms)
            out.append(("not " if clause.negated else "") + alts)
        return ", ".join(out)


def too_complex(raw: str | None) -> str:
    """Why a query is refused outright (empty when it is not): pathological length or number of terms/ORs.
    Queries up to these limits are parsed, and cut to MAX_QUERY_CHARS / MAX_TERMS with a message."""
    raw = raw or ""
    if len(raw) > MAX_RAW_CHARS:
        return f"The query is {len(raw):,} characters long; the most a search can take is {MAX_RAW_CHARS:,}."
    tokens = len(raw.split()) + raw.count('"') // 2
    if tokens > MAX_RAW_TOKENS:
        return f"The query has {tokens:,} words and operators; the most a search can take is {MAX_RAW_TOKENS:,}."
    return ""


def _clean(raw: str) -> str:
    # Normalise (NFC), drop control/format/private-use characters, unify curly quotes.
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("“", '"').replace("”", '"').replace("„", '"').replace("«", '"').replace("»", '"')
    return "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"} else ch for ch in text)


def _has_word(text: str) -> bool:
    return bool(_WORD.search(text))


@dataclass
class _Skipped:
    """The words of a query that are not searched for, and why (reported in the parsed query's messages)."""

    dropped: bool = False  # symbols without letters or digits
    stopped: list[str] = field(default_factory=list)  # very common words
    reserved: list[str] = field(default_factory=list)  # the index's own filter words

    def keeps(self, term: Term, source: str | None) -> bool:
        """Whether `term` is searched for; if not, remember why."""
        if not _has_word(term.text):
            self.dropped = self.dropped or bool((source or "").strip())
        elif any(_RESERVED.fullmatch(word) for word in term.text.split()):
            self.reserved.append(term.text)
        elif not term.phrase and term.text.lower() in STOPWORDS:
            self.stopped.append(term.text)
        else:
            return True
        return False

    def messages(self) -> list[str]:
        out = []
        if self.stopped:
            words = ", ".join(f"“{w}”" for w in dict.fromkeys(self.stopped))
            out.append(f"Very common words are not searched for: {words}. Use quotes for an exact phrase.")
        if self.dropped:
            out.append("Symbols without letters or digits were ignored.")
        if self.reserved:
            words = ", ".join(f"“{w}”" for w in dict.fromkeys(self.reserved))
            out.append(f"Words like {words} name the index's filters and are not searched for.")
        return out


def _term(negate: str, quoted: str | None, bare: str | None) -> tuple[Term, str]:
    """One token as a term and its negation ("-" or ""): a bare word (its * dropped) or a quoted phrase
    (a phrase of one word is a word)."""
    if bare is not None:
        negate = "-" if bare.startswith("-") and len(bare) > 1 else ""
        word = bare.lstrip("-").strip("*") if negate else bare.strip("*")
        return Term(" ".join(word.split()), phrase=False), negate
    words = quoted.split()
    return Term(" ".join(words), phrase=len(words) != 1), negate


def _add(parsed: ParsedQuery, term: Term, negate: str, pending_or: bool) -> None:
    """Add a term: to the last clause after an OR, else as a clause of its own."""
    if pending_or and not negate:
        parsed.clauses[-1] = Clause(parsed.clauses[-1].terms + (term,), negated=False)
    else:
        parsed.clauses.append(Clause((term,), negated=bool(negate)))


def parse(raw: str | None) -> ParsedQuery:
    """Parse a reader's query; never raises. Problems are reported in `messages`."""
    raw = raw or ""
    parsed = ParsedQuery(raw=raw)
    text = _clean(raw).strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.messages.append(f"Your query was very long; only its first {MAX_QUERY_CHARS} characters were used.")
    pending_or = False
    skipped = _Skipped()
    for match in _TOKEN.finditer(text):
        negate, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare in ("OR", "AND"):
            if bare == "OR":
                pending_or = bool(parsed.clauses) and not parsed.clauses[-1].negated
            continue
        term, negate = _term(negate, quoted, bare)
        if not skipped.keeps(term, bare or quoted):
            continue
        if len(parsed.clauses) >= MAX_TERMS:
            parsed.messages.append(f"Only the first {MAX_TERMS} terms of your query were used.")
            break
        _add(parsed, term, negate, pending_or)
        pending_or = False
    parsed.messages += skipped.messages()
    if parsed.clauses and not parsed.positive:
        parsed.messages.append("Your query only excludes words; add a word to search for.")
    return parsed
