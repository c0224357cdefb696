"""Note bodies: Markdown rendered to HTML, then sanitized with an allow-list (nh3).

Editors write Markdown; readers only ever see the sanitized HTML. Raw HTML in the
Markdown source is not passed through by the parser, and nh3 removes anything outside
the allow-list (scripts, event handlers, style, javascript:/data: URLs, SVG, ...).

Pointers between the edition's TEI files (``minutes-1962-06-08.xml#m-zhang-1``, as notes
imported from the TEI write them) become links to the reader (``/documents/<slug>/#anchor``).
"""

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")

ALLOWED_TAGS = {"p", "em", "strong", "a", "code", "ul", "ol", "li", "blockquote", "br", "sup", "sub", "cite", "q"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
#: Links may be absolute (allowed schemes) or point into the edition (/documents/..., #anchor);
#: anything else (protocol-relative //host, percent-encoded schemes, bare words) loses its href.
_SAFE_HREF = re.compile(r"^(?:https?://|mailto:|/(?![/\\])|#)", re.IGNORECASE)
#: A TEI pointer to another file of the edition: <slug>.xml or <slug>.xml#anchor.
TEI_POINTER = re.compile(r"^([A-Za-z0-9_-]+)\.xml(#[A-Za-z_][A-Za-z0-9_.-]*)?$")


def tei_pointer_url(pointer: str) -> str | None:
    """The reader's URL for `file.xml#anchor`, or None if it is not such a pointer."""
    from django.urls import NoReverseMatch, reverse

    match = TEI_POINTER.match(pointer)
    if not match:
        return None
    try:
        return reverse("documents:document", kwargs={"slug": match.group(1)}) + (match.group(2) or "")
    except NoReverseMatch:
        return None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "href":
        return value
    value = value.strip()
    if not _SAFE_HREF.match(value):
        return tei_pointer_url(value)
    return value


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )


def render_markdown(source: str) -> str:
    """Markdown source -> sanitized HTML, safe to mark as safe in templates."""
    return sanitize(_md.render(source or ""))
