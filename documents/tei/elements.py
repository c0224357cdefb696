"""The one element -> behaviour table: what every TEI element is in every output.

Each output walks TEI on its own (the text view, `documents.tei.textview`; the reader's HTML,
`documents.render`; note bodies as Markdown, `documents.tei.mapping_notes`), but none of them
keeps a list of elements: they ask this table what an element *is* and act on its `kind`.
To teach the edition a new element, add one rule here (docs/architecture.md).

A rule is a selector and a `Behaviour`. The selector is an element's local name with optional
predicates in CSS style, as CETEIcean's behaviours and TEI Publisher's processing model have them:

    hi[rend~=italic]    @rend contains the word "italic" (white-space separated, case-insensitive)
    ref[target]         @target is present
    seg[type=aside]     @type is exactly "aside"
    hi[rend*=ital]      @rend contains the characters "ital"
    quote:has(p,lg)     a child element named p or lg (a block quotation, not a phrase)

For an element the first rule of its name whose predicates all hold wins (rules with predicates
are tried before the plain name). `TABLE.override(selector, behaviour)` puts a rule before all
others: the one hook for a project that renders an element differently. An element that is in
no rule is unknown: its words are kept everywhere and the HTML renderer logs a warning.

The kinds:

==========  ==========================================================================================
drop        not part of the passage's text (speaker labels, running heads, ...); its tail is kept
note        an inline note: not text; the text view reports its place, the renderer skips it
unwrap      no markup of its own: its words are rendered in place (``choice`` says which branch of a
            ``<choice>`` it is: "reading" or "diplomatic")
inline      an HTML element of its own (``tag``, ``cls``, ``title``) around its words
link        a pointer (``<ref target>``): a link where the target is known on the page or in the edition
            (``#pg_5`` to its page break), else a span (``cls``)
block       a block-level HTML element (``tag``, ``cls``): a paragraph inside a passage, a block quote, a
            line group, a table row, a list item; set apart by a space in the text view
table       ``<table>`` (its ``<head>`` the caption): one block, rows and cells inside
cell        a table cell: ``<th>`` when it or its row has @role="label", ``<td>`` otherwise; @cols/@rows
            become colspan/rowspan
list        a list (``tag`` ul or ol; a list with ``<label>`` children is a ``<dl>``, label/item as dt/dd);
            its ``<head>`` goes before it, nested lists stay nested
verse       a verse line ``<l>``: its number (@n, else counted in its ``<lg>``) shown beside it, not text
choice      ``<choice>``: the reading view keeps the "reading" child, the diplomatic view the other
mention     a mention of an entity (by @ref, @corresp or @key); ``cls`` is its kind (person, place...)
date        a date: ``<time datetime>`` when @when/@from is ISO, a span otherwise; a span of the text
supplied    words supplied by the translator or the editors, in square brackets
break       a line break
page        a page break: a discreet [p. n] in both views, its xml:id the marker's id (so #pg_5 resolves)
gap         an omission in the witness, shown as […] with its @reason and @extent
code        in a note body, markup talk: ``shown`` formats the words (``<{}>`` for ``<gi>``)
==========  ==========================================================================================

``markdown`` says what a note body's element becomes in Markdown (documents.tei.mapping_notes):
"" its words, "em" *words*, "strong" **words**, "quote" “words”, "code" `words`, "link"
[words](target), "para" a paragraph, "break" a hard line break, "omit" nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import XML_NS, local_name

KINDS = ("drop", "note", "unwrap", "inline", "link", "block", "table", "cell", "list", "verse", "choice", "mention",
         "date", "supplied", "break", "page", "gap", "code")  # fmt: skip
#: Kinds that are blocks of their own: the text view sets them apart by a space (no two cells' or items'
#: words run together), the renderer makes them HTML blocks (a passage holding one is a <div>).
BLOCK_KINDS = frozenset({"block", "table", "cell", "list", "verse"})
MARKDOWN = ("", "em", "strong", "quote", "code", "link", "para", "break", "omit")


@dataclass(frozen=True)
class Behaviour:
    """What an element is; see the module docstring for the kinds."""

    kind: str
    tag: str = ""  # HTML element (inline, block)
    cls: str = ""  # HTML class (inline, block); the entity kind (mention)
    title: str = ""  # HTML title (inline)
    markdown: str = ""  # in a note body (see MARKDOWN)
    choice: str = ""  # unwrap inside <choice>: "reading" or "diplomatic"
    shown: str = "{}"  # code: how the words are shown

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown behaviour kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        if self.markdown not in MARKDOWN:
            raise ValueError(f"unknown markdown {self.markdown!r}; expected one of {', '.join(MARKDOWN)}")

    @property
    def is_text(self) -> bool:
        """Whether the element's words are part of the passage's text."""
        return self.kind not in ("drop", "note")


# -- the builder API -------------------------------------------------------------------------------
def drop() -> Behaviour:
    return Behaviour("drop")


def note() -> Behaviour:
    return Behaviour("note", markdown="omit")


def unwrap(markdown: str = "", choice: str = "") -> Behaviour:
    return Behaviour("unwrap", markdown=markdown, choice=choice)


def inline(tag: str, cls: str = "", title: str = "", markdown: str = "") -> Behaviour:
    return Behaviour("inline", tag=tag, cls=cls, title=title, markdown=markdown)


def block(tag: str, cls: str = "", markdown: str = "para") -> Behaviour:
    return Behaviour("block", tag=tag, cls=cls, markdown=markdown)


def table() -> Behaviour:
    return Behaviour("table", tag="table", markdown="para")


def cell() -> Behaviour:
    return Behaviour("cell", tag="td", markdown="para")  # in a note body, a paragraph: no cells run together


def listing(tag: str = "ul", cls: str = "") -> Behaviour:
    """A list (``ul``/``ol``; the renderer makes a list with labels a ``dl``)."""
    return Behaviour("list", tag=tag, cls=cls, markdown="para")


def verse_line() -> Behaviour:
    return Behaviour("verse", tag="div", cls="l", markdown="para")


def choice() -> Behaviour:
    return Behaviour("choice")


def mention(entity_kind: str = "entity") -> Behaviour:
    return Behaviour("mention", cls=entity_kind)


def date() -> Behaviour:
    return Behaviour("date")


def supplied() -> Behaviour:
    return Behaviour("supplied")


def line_break() -> Behaviour:
    return Behaviour("break", markdown="break")


def page_break() -> Behaviour:
    return Behaviour("page")


def gap() -> Behaviour:
    return Behaviour("gap")


def code(shown: str = "{}") -> Behaviour:
    return Behaviour("code", tag="code", markdown="code", shown=shown)


# -- selectors -------------------------------------------------------------------------------------
_SELECTOR = re.compile(r"^([A-Za-z_][\w.-]*)((?:\[[^\]]+\])*)(?::has\(([\w.,\s-]+)\))?$")
_PREDICATE = re.compile(r"\[\s*([\w:.-]+)\s*(?:([~*]?=)\s*([^\]]*?)\s*)?\]")


@dataclass(frozen=True)
class Predicate:
    attribute: str
    op: str = ""  # "" present, "=" equal, "~=" has the word, "*=" contains, "has" a child named in value
    value: str = ""

    def holds(self, element) -> bool:
        if self.op == "has":
            names = self.value.split()
            return any(isinstance(child.tag, str) and local_name(child) in names for child in element)
        actual = element.get(self.attribute)
        if actual is None:
            return False
        if self.op == "":
            return True
        if self.op == "=":
            return actual == self.value
        if self.op == "~=":
            return self.value.lower() in actual.lower().split()
        return self.value.lower() in actual.lower()


def parse_selector(selector: str) -> tuple[str, tuple[Predicate, ...]]:
    """'hi[rend~=italic]' -> ('hi', (Predicate('rend', '~=', 'italic'),)); 'quote:has(p,lg)' -> a child test."""
    match = _SELECTOR.match(selector.strip())
    if match is None:
        raise ValueError(f"not an element selector: {selector!r} (expected e.g. 'hi' or 'hi[rend~=italic]')")
    predicates = []
    for attribute, op, value in _PREDICATE.findall(match.group(2)):
        if attribute.startswith("xml:"):
            attribute = f"{{{XML_NS}}}{attribute[4:]}"
        predicates.append(Predicate(attribute, op, value.strip("\"'")))
    if match.group(3):
        predicates.append(Predicate("", "has", " ".join(n.strip() for n in match.group(3).split(","))))
    return match.group(1), tuple(predicates)


@dataclass
class Rule:
    selector: str
    name: str
    predicates: tuple[Predicate, ...]
    behaviour: Behaviour


@dataclass
class ElementTable:
    """Rules by element name; `lookup(element)` is the behaviour of one element (None: unknown)."""

    rules: dict[str, list[Rule]] = field(default_factory=dict)
    #: name -> behaviour, for names whose only rule has no predicate (the common, fast case).
    _plain: dict[str, Behaviour] = field(default_factory=dict)
    #: lxml tag (Clark name) -> behaviour of such names, filled as elements are seen (a walk visits
    #: every element of every import: one dict lookup is what the table may cost there).
    _by_tag: dict = field(default_factory=dict)
    #: lxml tag -> kind, for names whose rules all have one kind ("" for names with no rule).
    _kind_by_tag: dict = field(default_factory=dict)

    def add(self, selector: str, behaviour: Behaviour, first: bool = False) -> ElementTable:
        name, predicates = parse_selector(selector)
        rule = Rule(selector, name, predicates, behaviour)
        rules = self.rules.setdefault(name, [])
        if first:
            rules.insert(0, rule)
        elif predicates:  # rules with predicates before the plain name, each group in the order given
            rules.insert(next((i for i, r in enumerate(rules) if not r.predicates), len(rules)), rule)
        else:
            rules.append(rule)
        self._reindex(name)
        return self

    def override(self, selector: str, behaviour: Behaviour) -> ElementTable:
        """Put a rule before every other rule of its element (the hook for a project's own rendering)."""
        return self.add(selector, behaviour, first=True)

    def remove(self, selector: str) -> None:
        """Take a rule out again (by its selector as written)."""
        name, _ = parse_selector(selector)
        self.rules[name] = [r for r in self.rules.get(name, []) if r.selector != selector]
        self._reindex(name)

    def _reindex(self, name: str) -> None:
        self._by_tag.clear()
        self._kind_by_tag.clear()
        rules = self.rules.get(name, [])
        if len(rules) == 1 and not rules[0].predicates:
            self._plain[name] = rules[0].behaviour
        else:
            self._plain.pop(name, None)

    def lookup(self, element, name: str | None = None) -> Behaviour | None:
        """The behaviour of `element` (its local name may be passed when known), or None if unknown."""
        tag = element.tag if element is not None else None
        behaviour = self._by_tag.get(tag)
        if behaviour is not None:
            return behaviour
        if name is None:
            name = local_name(element)
        behaviour = self._plain.get(name)
        if behaviour is not None:
            if isinstance(tag, str) and len(self._by_tag) < 10_000:
                self._by_tag[tag] = behaviour
            return behaviour
        rule = self.rule_for(element, name)
        return rule.behaviour if rule is not None else None

    def kind_of(self, element, name: str | None = None) -> str:
        """The kind of `element` ("" when unknown), without testing predicates when every rule of its
        name has the same kind and one has none (what the text view needs: is it text, a choice...)."""
        tag = element.tag
        kind = self._kind_by_tag.get(tag)
        if kind is not None:
            return kind
        if name is None:
            name = local_name(element)
        rules = self.rules.get(name, ())
        kinds = {r.behaviour.kind for r in rules}
        if len(kinds) > 1 or (rules and all(r.predicates for r in rules)):  # the predicates decide
            behaviour = self.lookup(element, name)
            return behaviour.kind if behaviour is not None else ""
        kind = kinds.pop() if kinds else ""
        if isinstance(tag, str) and len(self._kind_by_tag) < 10_000:
            self._kind_by_tag[tag] = kind
        return kind

    def rule_for(self, element, name: str | None = None) -> Rule | None:
        """The rule that decides `element` (None: unknown)."""
        for rule in self.rules.get(local_name(element) if name is None else name, ()):
            if all(p.holds(element) for p in rule.predicates):
                return rule
        return None

    def names(self, *kinds: str) -> frozenset[str]:
        """The element names with a rule (of one of `kinds`, when given)."""
        return frozenset(
            name
            for name, rules in self.rules.items()
            if rules and (not kinds or any(r.behaviour.kind in kinds for r in rules))
        )

    def names_where(self, test) -> frozenset[str]:
        """The element names with a rule whose behaviour passes `test` (a predicate on Behaviour)."""
        return frozenset(name for name, rules in self.rules.items() if any(test(r.behaviour) for r in rules))

    def selectors(self) -> list[str]:
        return [r.selector for rules in self.rules.values() for r in rules]


def _default() -> ElementTable:
    t = ElementTable()
    for name in ("speaker", "fw", "figDesc", "teiHeader", "interpGrp", "linkGrp", "link"):
        t.add(name, drop())
    t.add("note", note())
    for name in ("s", "phr", "w", "c", "pc", "seg", "span", "ab", "div", "sp", "said", "num", "measure",
                 "roleName", "surname", "forename", "addName", "time", "signed", "salute", "dateline", "opener",
                 "closer", "address", "addrLine", "bibl", "idno", "subst", "damage"):  # fmt: skip
        t.add(name, unwrap())
    # A passage's own <p> is its row on the page (the template's element); a <p> inside a passage (in a
    # quotation, a list item, a cell) is a paragraph of its own.
    t.add("p", block("p"))
    t.add("table", table())
    t.add("row", block("tr"))
    t.add("cell", cell())
    for selector in ("list[type=ordered]", "list[type=numbered]", "list[rend~=numbered]"):
        t.add(selector, listing("ol"))
    t.add("list", listing("ul"))
    t.add("item", block("li", "item"))
    for name in ("corr", "reg", "expan"):
        t.add(name, unwrap(choice="reading"))
    for name in ("sic", "orig", "abbr"):
        t.add(name, unwrap(choice="diplomatic"))
    t.add("choice", choice())
    t.add("supplied", supplied())
    for name, kind in (("persName", "person"), ("placeName", "place"), ("geogName", "place"), ("orgName", "org"),
                       ("name", "entity"), ("rs", "entity")):  # fmt: skip
        t.add(name, mention(kind))
    t.add("date", date())
    t.add("hi[rend~=italic]", inline("i", markdown="em"))
    t.add("hi[rend~=bold]", inline("b", markdown="strong"))
    for rend, tag in (("sup", "sup"), ("superscript", "sup"), ("sub", "sub"), ("subscript", "sub")):
        t.add(f"hi[rend~={rend}]", inline(tag))
    t.add("hi", inline("span", "hi"))
    t.add("emph", inline("em", markdown="em"))
    t.add("title", inline("cite", markdown="em"))
    # Drama and verse after the phrase rules: a note's <em> goes back to hi[rend~=italic], not to <stage>
    # (documents/tei/reverse.py: the first rule that makes a tag wins).
    t.add("castList", listing("ul", "cast-list"))
    t.add("castGroup", listing("ul", "cast-group"))
    t.add("castItem", block("li", "cast-item"))
    t.add("role", inline("span", "role"))
    t.add("roleDesc", inline("span", "role-desc"))
    t.add("actor", inline("span", "actor"))
    t.add("lg", block("div", "lg"))
    t.add("l", verse_line())
    t.add("stage", inline("span", "stage", markdown="em"))
    for name in ("q", "quote"):  # a quotation of paragraphs or verse is a block; of words, a phrase (<q> first: a
        # note's <q> goes back to <q>, documents/tei/reverse.py)
        t.add(f"{name}:has(p,lg,l,list,sp,table)", block("blockquote", "quote"))
        t.add(f"{name}[rend~=blockquote]", block("blockquote", "quote"))
        t.add(name, inline("q", markdown="quote"))
    t.add("soCalled", inline("q", "so-called", markdown="quote"))
    t.add("foreign", inline("i", "foreign", markdown="em"))
    t.add("term", inline("span", "term", markdown="em"))
    t.add("mentioned", inline("i", "mentioned", markdown="em"))
    t.add("unclear", inline("span", "unclear", title="Unclear in the witness"))
    t.add("add", inline("ins", "add"))
    t.add("del", inline("del", "del"))
    t.add("label", inline("span", "label"))
    t.add("head", inline("span", "head"))
    t.add("ref[target]", Behaviour("link", tag="a", cls="ref", markdown="link"))
    t.add("ref", inline("span", "ref"))
    t.add("lb", line_break())
    t.add("pb", page_break())
    t.add("gap", gap())
    t.add("gi", code("<{}>"))
    t.add("att", code("@{}"))
    t.add("code", code())
    t.add("tag", code())
    return t


#: The edition's table. Outputs read it at call time, so an override applies everywhere at once.
TABLE = _default()
lookup = TABLE.lookup
override = TABLE.override
