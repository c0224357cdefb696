"""The language switcher and the hreflang alternates of a page (docs/i18n.md)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import to_language

from documents.exports.links import absolute
from documents.i18n import LANG_PARAM

register = template.Library()


def bcp47(code: str) -> str:
    """A LANGUAGES code as a BCP 47 tag: "zh-hans" -> "zh-Hans"."""
    lang, _, rest = code.partition("-")
    return f"{lang}-{rest.title()}" if len(rest) == 4 else to_language(code)


def _shown_page(context) -> int | None:
    """The number of the page actually shown (a ?page= beyond the last one shows the last one)."""
    for name in ("page_obj", "reader_page"):
        number = getattr(context.get(name), "number", None)
        if isinstance(number, int):
            return number
    return None


def _query_without_lang(context, request) -> str:
    """This page's query: the parameters the view reads (a cached view's GET is narrowed), without ?lang=,
    with ?page= the page shown, so that a clamped page's bytes are those of the page it shows."""
    query = request.GET.copy()
    query.pop(LANG_PARAM, None)
    shown = _shown_page(context)
    if "page" in query and shown is not None:
        if shown > 1:
            query["page"] = str(shown)
        else:
            query.pop("page")
    return query.urlencode()


def _here(context, request) -> str:
    query = _query_without_lang(context, request)
    return request.path + (f"?{query}" if query else "")


@register.inclusion_tag("documents/snippets/hreflang.html", takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each interface language (this URL with ?lang=) and x-default."""
    request = context.get("request")
    if request is None or request.method not in ("GET", "HEAD"):
        return {"links": []}
    query = _query_without_lang(context, request)
    base = absolute(request.path)  # the public origin (EDITION_BASE_URL), never the request's Host
    joiner = f"?{query}&" if query else "?"
    links = [(bcp47(code), f"{base}{joiner}{LANG_PARAM}={code}") for code, _name in settings.LANGUAGES]
    links.append(("x-default", base + (f"?{query}" if query else "")))
    return {"links": links}


@register.inclusion_tag("documents/snippets/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    return {
        "languages": [(code, name, bcp47(code)) for code, name in settings.LANGUAGES],
        "current": context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE),
        "next": _here(context, request) if request is not None else "/",
    }


#: Primary language subtags written right to left (in their usual script).
RTL_LANGUAGES = {"ar", "fa", "he", "ug", "ur", "ps", "yi", "dv", "ckb", "sd"}


def text_dir(lang: str) -> str:
    parts = (lang or "").replace("_", "-").lower().split("-")
    latin_or_cyrillic = any(p in ("latn", "cyrl") for p in parts[1:])
    return "rtl" if parts[0] in RTL_LANGUAGES and not latin_or_cyrillic else "ltr"


@register.simple_tag(takes_context=True)
def text_lang_attrs(context, lang):
    """` lang=".." dir=".."` for an element holding the edition's own text (never translated) when its
    language is not the interface's; "" when they agree (so English pages are unchanged)."""
    lang = lang or settings.LANGUAGE_CODE
    interface = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    if lang.lower() == str(interface).lower():
        return ""
    return format_html(' lang="{}" dir="{}"', lang, text_dir(lang))
