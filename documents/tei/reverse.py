"""The element table read backwards: which TEI element an HTML tag of a note body goes back to.

The TEI export writes editors' notes back as TEI (documents/exports/tei_body.py): their Markdown is
rendered to the HTML readers see (documents.markup), and each HTML tag of it becomes the TEI
element whose rule in the element table (documents.tei.elements) makes that tag. No second list of
elements: a new rule with ``markdown="em"`` or ``inline("sup")`` is read back as well.

For each HTML tag the FIRST rule, in the table's order, that makes it wins; a rule makes

- the tag of its Markdown form as the note renderer writes it (`MARKDOWN_HTML`: ``markdown="em"``
  is ``<em>``, ``"link"`` is ``<a href>``, ``"break"`` is ``<br>``, ``"para"`` is ``<p>``), and
- its own tag when it is an ``inline`` without class or title (``inline("i")``: ``<i>``).

A rule goes back only when its TEI can be written from the HTML: the selector's ``=`` and ``~=``
predicates become attributes (``hi[rend~=italic]`` -> ``<hi rend="italic">``), a present-attribute
predicate takes the link's href (``ref[target]``), ``*=`` cannot be written; a ``code`` rule that
decorates its words (``gi`` shown as ``<{}>``) would not give the same words back.
Markdown's ``“quote”`` is text in the HTML, so it stays text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .elements import TABLE, Behaviour, ElementTable, Rule

#: The HTML the note renderer (documents.markup, CommonMark) makes of each Markdown form.
MARKDOWN_HTML = {"em": "em", "strong": "strong", "code": "code", "link": "a", "break": "br", "para": "p"}


@dataclass(frozen=True)
class TeiFor:
    """The TEI element one HTML tag goes back to."""

    name: str  # TEI local name
    selector: str  # the rule it comes from
    attrib: dict = field(default_factory=dict)  # fixed attributes, from the selector's predicates
    link: str = ""  # the attribute that takes the HTML element's href (ref[target]: "target")
    empty: bool = False  # a break: no content
    text_only: bool = False  # a code element: its words only, no markup inside


def html_tags(behaviour: Behaviour) -> list[str]:
    """The HTML tags of a note body that `behaviour` makes (see the module docstring)."""
    tags = []
    if behaviour.markdown in MARKDOWN_HTML and (behaviour.kind != "code" or behaviour.shown == "{}"):
        tags.append(MARKDOWN_HTML[behaviour.markdown])
    if behaviour.kind == "inline" and not behaviour.cls and not behaviour.title:
        tags.append(behaviour.tag)
    return tags


def tei_for(rule: Rule, html_tag: str) -> TeiFor | None:
    """How `rule`'s element is written from an HTML `html_tag` (None: it cannot be)."""
    attrib, link = {}, ""
    for predicate in rule.predicates:
        if predicate.op in ("=", "~="):
            attrib[predicate.attribute] = predicate.value
        elif predicate.op == "" and html_tag == "a" and not link:
            link = predicate.attribute
        else:
            return None
    kind = rule.behaviour.kind
    return TeiFor(rule.name, rule.selector, attrib, link, empty=kind == "break", text_only=kind == "code")


def html_to_tei(table: ElementTable | None = None) -> dict[str, TeiFor]:
    """HTML tag -> the TEI element it goes back to, for every tag some rule of `table` makes."""
    out: dict[str, TeiFor] = {}
    for rules in (table or TABLE).rules.values():
        for rule in rules:
            for tag in html_tags(rule.behaviour):
                if tag not in out and (reverse := tei_for(rule, tag)) is not None:
                    out[tag] = reverse
    return out
