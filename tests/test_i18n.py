"""Interface languages (issue 15.1-15.2, docs/i18n.md): en, zh-Hans, ru, ug chosen by cookie or Accept-Language
(no URL prefixes), ?lang= for one response, the switcher, lang/dir, the page cache keyed per language, the
catalogues compiled and marked for review, and entity names in the reader's language."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from lxml import html

from documents.exports.links import absolute
from documents.models import Entity, EntityAlias
from tests import builders as f

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = ["zh_Hans", "ru", "ug"]
REVIEW = "needs review by a native speaker"
MINUTES = "/documents/minutes-1962-06-08/"
#: One interface string per language: the "People" link of the site navigation.
PEOPLE = {"en": "People", "zh-hans": "人物", "ru": "Лица", "ug": "كىشىلەر"}


@pytest.fixture
def ed():
    edition = f.make_edition()
    EntityAlias.objects.create(entity=Entity.objects.get(key="zhang-hanfu"), name="章汉夫", lang="zh-Hans")
    EntityAlias.objects.create(entity=Entity.objects.get(key="zhang-hanfu"), name="Чжан Ханьфу", lang="ru")
    cache.clear()  # the aliases were added after the import's content-version bump
    return edition


def tree(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def nav_people(page) -> str:
    return page.cssselect("nav.site-nav a[href='/people/']")[0].text_content()


def test_languages_locale_paths_and_middleware_order():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "zh-hans", "ru", "ug"]
    assert dict(settings.LANGUAGES)["ug"] == "ئۇيغۇرچە" and dict(settings.LANGUAGES)["zh-hans"] == "简体中文"
    assert Path(settings.LOCALE_PATHS[0]) == LOCALE
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")
    assert "django.template.context_processors.i18n" in settings.TEMPLATES[0]["OPTIONS"]["context_processors"]


@pytest.mark.parametrize("lang,direction", [("en", "ltr"), ("zh-hans", "ltr"), ("ru", "ltr"), ("ug", "rtl")])
def test_accept_language_sets_lang_dir_and_the_interface_strings(client, ed, lang, direction):
    for url in ("/", MINUTES):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        page = tree(response)
        assert page.get("lang") == lang and page.get("dir") == direction, url
        assert nav_people(page) == PEOPLE[lang], url
        assert response["Content-Language"] == lang


def test_permalinks_have_no_language_prefix(client, ed):
    assert client.get(MINUTES, HTTP_ACCEPT_LANGUAGE="ru").status_code == 200
    assert client.get("/ru" + MINUTES).status_code == 404


def test_the_switcher_posts_the_language_and_goes_back_to_next(client, ed):
    page = tree(client.get(MINUTES + "?view=diplomatic"))
    form = page.cssselect("form.language-switcher")[0]
    assert form.get("method") == "post" and form.get("action") == "/i18n/setlang/"
    assert form.cssselect("input[name=next]")[0].get("value") == MINUTES + "?view=diplomatic"
    assert form.cssselect("button[type=submit]") and form.cssselect("label[for=language-select]")
    options = {o.get("value"): o.text_content() for o in form.cssselect("select[name=language] option")}
    assert options == {"en": "English", "zh-hans": "简体中文", "ru": "Русский", "ug": "ئۇيغۇرچە"}

    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": MINUTES})
    assert response.status_code == 302 and response["Location"] == MINUTES
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = tree(client.get(MINUTES + "?view=reading"))  # the cookie wins over Accept-Language
    assert page.get("lang") == "zh-hans" and nav_people(page) == "人物"
    assert nav_people(tree(client.get("/", HTTP_ACCEPT_LANGUAGE="ru"))) == "人物"


def test_the_switcher_refuses_cross_site_posts_and_foreign_next(client, ed):
    forged = client.post("/i18n/setlang/", {"language": "ru", "next": "/"}, HTTP_ORIGIN="https://evil.example")
    assert forged.status_code == 403 and settings.LANGUAGE_COOKIE_NAME not in forged.cookies
    cross = client.post("/i18n/setlang/", {"language": "ru"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert cross.status_code == 403
    same = client.post("/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"},
                       HTTP_ORIGIN="http://testserver")  # fmt: skip
    assert same.status_code == 302 and same["Location"] == "/"
    assert client.get("/i18n/setlang/").status_code == 405


def test_lang_parameter_renders_one_response_and_sets_no_cookie(client, ed):
    response = client.get(MINUTES + "?lang=ru")
    page = tree(response)
    assert page.get("lang") == "ru" and nav_people(page) == "Лица"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert tree(client.get(MINUTES)).get("lang") == "en"
    assert tree(client.get(MINUTES + "?lang=xx")).get("lang") == "en"


def test_hreflang_alternates_point_at_the_lang_urls(client, ed):
    page = tree(client.get(MINUTES + "?view=diplomatic&junk=1"))
    links = {link.get("hreflang"): link.get("href") for link in page.cssselect("head link[rel=alternate][hreflang]")}
    base = absolute(MINUTES)  # the public origin (EDITION_BASE_URL), never the request's Host
    assert links == {
        "en": base + "?view=diplomatic&lang=en",
        "zh-Hans": base + "?view=diplomatic&lang=zh-hans",
        "ru": base + "?view=diplomatic&lang=ru",
        "ug": base + "?view=diplomatic&lang=ug",
        "x-default": base + "?view=diplomatic",
    }
    for tag, href in links.items():
        if tag != "x-default":
            assert tree(client.get(href.removeprefix("http://testserver"))).get("lang").lower() == tag.lower()


def test_pages_vary_on_accept_language_and_cookie(client, ed):
    response = client.get(MINUTES)
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_the_page_cache_keys_on_the_language(client, ed):
    zh = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert zh["X-Edition-Cache"] == "miss" and en["X-Edition-Cache"] == "miss"
    assert nav_people(tree(en)) == "People" and nav_people(tree(zh)) == "人物"
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again["X-Edition-Cache"] == "hit" and nav_people(tree(again)) == "人物"
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert english["X-Edition-Cache"] == "hit" and nav_people(tree(english)) == "People"
    via_lang = client.get("/?lang=zh-hans")
    assert via_lang["X-Edition-Cache"] == "hit" and nav_people(tree(via_lang)) == "人物"


def test_machine_readable_responses_stay_in_english(client, ed):
    response = client.get(MINUTES + "text.txt", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Language"] == "en"
    api = client.get("/api/documents/", HTTP_ACCEPT_LANGUAGE="ru")
    assert api.status_code == 200 and "Меморандум" not in api.content.decode()


def test_dates_follow_the_reader(client, ed):
    def first_date(lang):
        page = tree(client.get("/", HTTP_ACCEPT_LANGUAGE=lang))
        return page.cssselect(".document-list time")[0].text_content()

    assert first_date("en") in ("7 June 1962", "8 June 1962")
    assert re.fullmatch(r"[78] июня 1962 г\.", first_date("ru"))
    assert re.fullmatch(r"1962年6月[78]日", first_date("zh-hans"))


def test_the_editions_texts_keep_their_language(client, ed):
    english = tree(client.get(MINUTES))
    assert all(p.get("lang") is None for p in english.cssselect(".text .passage"))
    uyghur = tree(client.get(MINUTES, HTTP_ACCEPT_LANGUAGE="ug"))
    passages = uyghur.cssselect(".text .passage")
    assert passages and all((p.get("lang"), p.get("dir")) == ("en", "ltr") for p in passages)
    assert uyghur.cssselect("h1#doc-title")[0].get("lang") == "en"
    assert all(b.get("lang") == "en" for b in uyghur.cssselect(".note-body"))


def test_entity_names_in_the_readers_language(client, ed):
    page = tree(client.get("/people/zhang-hanfu/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    h1 = page.cssselect("h1")[0]
    assert h1.cssselect("span[lang=zh-Hans]")[0].text_content() == "章汉夫"
    assert "Zhang Hanfu" in h1.cssselect(".name-original")[0].text_content()
    index = tree(client.get("/people/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    link = index.cssselect(".entity-list a[href='/people/zhang-hanfu/']")[0]
    assert link.text_content() == "章汉夫 (Zhang Hanfu)"
    russian = tree(client.get("/people/", HTTP_ACCEPT_LANGUAGE="ru"))
    russian_link = russian.cssselect(".entity-list a[href='/people/zhang-hanfu/']")[0]
    assert russian_link.text_content() == "Чжан Ханьфу (Zhang Hanfu)"
    reader = tree(client.get(MINUTES, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "章汉夫" in reader.cssselect(".participants")[0].text_content()
    english = tree(client.get("/people/", HTTP_ACCEPT_LANGUAGE="en"))
    assert english.cssselect(".entity-list a[href='/people/zhang-hanfu/']")[0].text_content() == "Zhang Hanfu"
    uyghur = tree(client.get("/people/", HTTP_ACCEPT_LANGUAGE="ug"))  # no Uyghur alias: the edition's form
    assert uyghur.cssselect(".entity-list a[href='/people/zhang-hanfu/']")[0].text_content() == "Zhang Hanfu"


@pytest.mark.parametrize("url", ["/people/", MINUTES])
def test_names_in_another_language_cost_one_query_at_most(client, ed, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as english:
        client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    with django_assert_max_num_queries(len(english.captured_queries) + 1):
        client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")


# -- the catalogues ----------------------------------------------------------------------------------------


def _messages(catalogue) -> dict:
    """{(msgctxt, msgid): msgstr or plural forms} of the entries a compiled catalogue holds."""
    held = {}
    for entry in catalogue:
        if not entry.msgid or "fuzzy" in entry.flags:
            continue
        plural = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
        value = plural if entry.msgid_plural else entry.msgstr
        if (value if isinstance(value, str) else all(value)):
            held[(entry.msgctxt or None, entry.msgid)] = value
    return held


@pytest.mark.parametrize("lang", CATALOGUES)
def test_the_committed_mo_holds_exactly_the_po(lang, tmp_path):
    """A stale .mo fails: the committed one holds the same messages as its .po compiled now (pure Python)."""
    po_path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    compiled = tmp_path / "django.mo"
    po.save_as_mofile(str(compiled))
    committed = polib.mofile(str(po_path.with_suffix(".mo")))
    assert _messages(committed) == _messages(polib.mofile(str(compiled)))
    assert committed.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


@pytest.mark.parametrize("lang", CATALOGUES)
def test_every_translation_is_marked_for_review_and_keeps_its_placeholders(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert not po.metadata_is_fuzzy and not po.fuzzy_entries()
    assert po.translated_entries()
    placeholder = re.compile(r"%\((\w+)\)s")
    for entry in po.translated_entries():
        assert REVIEW in entry.comment and REVIEW in entry.tcomment, entry.msgid
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wanted = set(placeholder.findall(entry.msgid))
        for form in forms:
            # A plural form may leave out the count (e.g. "Editor"/"Editors" has none to keep).
            assert set(placeholder.findall(form)) == wanted, (entry.msgid, form)
        assert ("<a " in entry.msgid) == all("<a " in form for form in forms), entry.msgid


def test_the_catalogues_are_used():
    from django.utils import translation

    for lang, word in PEOPLE.items():
        with translation.override(lang):
            assert translation.gettext("People") == word
    with translation.override("ru"):
        assert translation.ngettext("%(n)s document", "%(n)s documents", 5) % {"n": 5} == "5 документов"
        assert translation.ngettext("%(n)s document", "%(n)s documents", 2) % {"n": 2} == "2 документа"


def test_a_clamped_page_links_to_the_page_it_shows(client, ed):
    """?page= beyond the last page shows the last page: its alternates and switcher say so, so its bytes
    are the last page's (no new representation per junk number, tests/test_cache_security.py)."""
    beyond, first = client.get("/people/?page=99"), client.get("/people/")
    links = [link.get("href") for link in tree(beyond).cssselect("head link[rel=alternate]")]
    assert links and not any("page=" in href for href in links)
    assert tree(beyond).cssselect("form.language-switcher input[name=next]")[0].get("value") == "/people/"
    assert beyond["ETag"] == first["ETag"]
