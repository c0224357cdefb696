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

Entity names in the reader's script (issue 15.2): `alias_for_language` picks an entity's alias in the
active language; `localise_names` sets it on a list of entities with one prefetch (none in English).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import prefetch_related_objects
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


def wants_aliases(language: str | None = None) -> bool:
    """Whether entity names have a form of their own in this interface language (not English)."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE) in ALIAS_LANGS


def alias_for_language(entity, language: str | None = None, aliases=None):
    """The entity's name in the interface language: an alias whose xml:lang is that language, or None
    (English interface, or no such alias). With several, the fullest (longest) form, as the main names
    of the entity list are full forms ("Xinjiang Uyghur Autonomous Region": 新疆维吾尔自治区, not 新疆).
    `aliases` defaults to the entity's prefetched `aliases` (see localise_names: no query per entity)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in ALIAS_LANGS:
        return None
    best = None
    for alias in entity.aliases.all() if aliases is None else aliases:
        rank = _alias_rank(language, alias.lang)
        if rank is None or alias.name == entity.name:
            continue
        key = (rank, -len(alias.name), alias.name)
        if best is None or key < best[0]:
            best = (key, alias)
    return best[1] if best else None


def localise_names(entities) -> list:
    """Set `local_alias` (alias_for_language) on each entity; one query for all of them, none in English."""
    entities = [e for e in entities if e is not None]
    if not wants_aliases():
        for entity in entities:
            entity.local_alias = None
        return entities
    prefetch_related_objects(entities, "aliases")
    for entity in entities:
        entity.local_alias = alias_for_language(entity)
    return entities
