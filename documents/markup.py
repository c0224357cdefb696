"""Note bodies: Markdown rendered to HTML, then sanitized with an allow-list (nh3).

Editors write Markdown; readers only ever see the sanitized HTML. Raw HTML in the
Markdown source is not passed through by the parser, and nh3 removes anything outside
the allow-list (scripts, event handlers, style, javascript:/data: URLs, SVG, ...).

`render_note_body` is the ONE note renderer: the reader, the admin preview and change page, the
W3C annotations and the TEI export all show a note through it. TEI pointers in imported note
bodies (``file.xml#anchor``) are resolved to the reader's URLs first
(documents.services.pointers.PointerResolver); an unresolved one loses its href in `sanitize`
(it is neither absolute nor site-relative).
"""

import functools
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


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "href":
        return value
    return value if _SAFE_HREF.match(value.strip()) else None


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


@functools.lru_cache(maxsize=4096)
def render_markdown(source: str) -> str:
    """Markdown source -> sanitized HTML, safe to mark as safe in templates.

    A pure function of the text, so remembered per process (a reader page renders every note).
    """
    return sanitize(_md.render(source or ""))


def render_note_body(body: str, document=None, resolver=None) -> str:
    """A note body as readers see it: TEI pointers resolved to the edition's URLs, then render_markdown.

    resolver: a documents.services.pointers.PointerResolver shared by the notes of a page (its
    pointers looked up once); by default one for `document`.
    """
    if resolver is None:
        from documents.services.pointers import PointerResolver

        resolver = PointerResolver(document)
    return render_markdown(resolver.resolve(body or ""))
