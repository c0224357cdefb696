"""Issue 17.1: in production settings (DJANGO_DEBUG=0, real settings module, a subprocess) every page type sends a
Content-Security-Policy without 'unsafe-inline', HSTS (behind TLS), Permissions-Policy and the other hardening
headers; plain http redirects to https; no template has an inline script, style element or style attribute.
Issue 13.1: the site's own stylesheets are inlined by a template tag and allowed by their hashes (style-src
'self' plus documents/inline_css.py's hashes), never by 'unsafe-inline'."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from documents.inline_css import inline_style_hashes
from tests.conftest import ROOT
from tests.test_settings import PROD_ENV

PAGES = [
    "/", "/documents/minutes-1962-06-08/", "/documents/minutes-1962-06-08/?view=diplomatic",
    "/compare/minutes-1962-06-08/memorandum-1962-06-07/", "/people/", "/places/", "/organisations/",
    "/search/?q=border", "/documents/minutes-1962-06-08/cite/", "/documents/minutes-1962-06-08/cite.bibtex",
    "/documents/minutes-1962-06-08/tei.xml", "/documents/minutes-1962-06-08/text.txt", "/api/", "/dts/",
    "/admin/login/", "/admin/", "/admin/documents/note/", "/admin/documents/note/add/", "/no-such-page/",
]  # fmt: skip
SCRIPT = textwrap.dedent("""
    import json, sys
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("import_tei", verbosity=0)
    from django.contrib.auth.models import User
    from django.test import Client
    from documents.models import Entity
    client, admin = Client(), Client()
    admin.force_login(User.objects.create_superuser("root"))
    pages = json.loads(sys.argv[1]) + ["/people/" + Entity.objects.filter(kind="person").first().key + "/"]
    out = {}
    for url in pages:
        who = admin if url.startswith("/admin/") and url != "/admin/login/" else client
        r = who.get(url, secure=True, HTTP_HOST="edition.example.org")
        out[url] = {"status": r.status_code, "headers": dict(r.headers)}
    plain = client.get("/", HTTP_HOST="edition.example.org")
    out["http"] = {"status": plain.status_code, "headers": dict(plain.headers)}
    print("RESULT" + json.dumps(out))
""")


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EDITION_")) and k != "DATABASE_URL"}
    env.update(PROD_ENV)
    env.update({"DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "DJANGO_STATIC_ROOT": str(tmp / "static"),
                "REDIS_URL": "redis://127.0.0.1:8299/2", "DJANGO_SETTINGS_MODULE": "edition.settings"})  # fmt: skip
    result = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(PAGES)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert "RESULT" in result.stdout, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout.split("RESULT", 1)[1])


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_every_page_type_sends_the_hardening_headers(production):
    assert len(production) == len(PAGES) + 2
    for url, seen in production.items():
        if url == "http":
            continue
        headers = seen["headers"]
        assert seen["status"] in (200, 302, 404), (url, seen["status"])
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", url
        assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY", url
        assert headers["Referrer-Policy"] == "same-origin" and headers["Cross-Origin-Opener-Policy"] == "same-origin"
        policy = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        csp = directives(policy)
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'", *inline_style_hashes()], url
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]


def test_plain_http_is_redirected_to_https(production):
    assert production["http"]["status"] == 301
    assert production["http"]["headers"]["Location"].startswith("https://edition.example.org/")


INLINE = re.compile(r"<style\b|\sstyle=|<script(?![^>]*\b(src=|type=\"application/ld\+json\"))|\son[a-z]+=")


@pytest.mark.parametrize("folder", ["templates", "documents"])
def test_no_template_has_inline_scripts_or_styles(folder):
    bad = []
    for path in (ROOT / folder).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in INLINE.finditer(text):
            bad.append(f"{path.relative_to(ROOT)}: {match.group(0)!r}")
    assert not bad


def test_the_grid_rows_stylesheet_is_current():
    from documents.rows_css import rows_css

    assert (ROOT / "static" / "css" / "rows.css").read_text(encoding="utf-8") == rows_css()
