"""Interface languages (docs/i18n.md).

Django's LocaleMiddleware picks the interface language from the language cookie (set by the switcher,
`set_language`) or else from Accept-Language; there are no per-language URLs, so every permalink stays
valid. `LanguageMiddleware`, right after it, adds two things:

- `?lang=<code>` on any page renders that one response in that language (it sets no cookie: a GET
  changes nothing). These are the URLs the `hreflang` alternates of every page point to, so each
  alternate really is that page in that language.
- Machine-readable responses (JSON API, DTS, OAI-PMH, TEI, citation files: documents/http.py) are always
  in the default language: their labels are data, the same for every client.
- `Vary: Accept-Language, Cookie` on every page, since either may choose its language: a shared cache
  must not hand a Chinese page to an English reader. The site's own page cache keys on the active
  language (documents/cache.py).

Entity names in the reader's script: `alias_for_language` picks an entity's alias in the active language
from its prefetched aliases (no query).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

LANG_PARAM = "lang"


def supported(code: str | None) -> str | None:
    """The LANGUAGES code for `code` (case-insensitive, "zh-Hans" or "zh_hans" alike), or None."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    return code if code in dict(settings.LANGUAGES) else None


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from documents.http import is_machine_readable

        if is_machine_readable(request.path_info):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return self.get_response(request)
        chosen = supported(request.GET.get(LANG_PARAM))
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


#: Which alias `lang` values (BCP 47, lower-cased) stand for each interface language.
ALIAS_LANGS = {
    "zh-hans": ("zh-hans", "zh-hans-cn", "zh-cn", "zh", "zh-hant"),
    "ru": ("ru", "ru-cyrl"),
    "ug": ("ug", "ug-arab"),
}


def _alias_rank(interface: str, alias_lang: str) -> int | None:
    wanted = ALIAS_LANGS.get(interface, ())
    alias_lang = (alias_lang or "").lower()
    return wanted.index(alias_lang) if alias_lang in wanted else None


def alias_for_language(entity, language: str | None = None):
    """The entity's alias (name, lang) in the interface language, from its prefetched aliases; None if it
    has none (or the interface is English, whose form is the entity's own name)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in ALIAS_LANGS:
        return None
    best = None
    for alias in entity.aliases.all():
        rank = _alias_rank(language, alias.lang)
        if rank is not None and alias.name != entity.name and (best is None or rank < best[0]):
            best = (rank, alias)
    return best[1] if best else None
