#!/usr/bin/env python
"""Two app servers for real: two gunicorn instances on two ports sharing one PostgreSQL database and one Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/edition_w17 \\
    python bench/two_servers.py [--redis redis://127.0.0.1:6379/3] [--ports 8302 8303]

Prepares the database (migrate, import the edition, collect static files), adds an editor and a published
editor's note, starts server A and server B (gunicorn.conf.py, production settings, the same secret key), and:

1. reads the reader page, its annotations and a search through B until B serves them from the shared cache;
2. signs in to the admin on A (session and CSRF as a browser does them, behind an https proxy header) and
   saves a new body for the note through the note form;
3. at once reads the same three URLs through B: each must show the new body (the save on A bumped the
   content version in Redis, so B's cached pages are never served again);
4. changes the note through the ORM in this process (a third client of the same database and Redis) and
   reads it through A and B again.

Prints each step with PASS/FAIL and exits non-zero if any failed; stops both servers.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure  # noqa: E402

ROOT = configure("two-servers")
SLUG = "minutes-1962-06-08"
PASSWORD = secrets.token_urlsafe(16)
FAILED: list[str] = []


def check(label: str, ok: bool, detail: str = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {label}{(' -- ' + detail) if detail and not ok else ''}", flush=True)
    if not ok:
        FAILED.append(label)


def env_for(port: int, redis: str) -> dict:
    env = dict(os.environ)
    env.update(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", DJANGO_SECURE_SSL_REDIRECT="0",
               GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2", GUNICORN_ACCESS_LOG="/dev/null",
               REDIS_URL=redis, PYTHONPATH=str(ROOT))  # fmt: skip
    return env


class Browser:
    """Enough of a browser for the admin: cookies (Secure ones too: the proxy header says https), CSRF, forms."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | list | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        text = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, path):
        return self.request("GET", path)


def form_values(html: str, field_names=None) -> list[tuple[str, str]]:
    import lxml.html

    forms = [f for f in lxml.html.fromstring(html).forms if f.get("method", "").lower() == "post"]
    form = max(forms, key=lambda f: len(f.inputs))  # the note form, not the header's log-out form
    return [(k, v) for k, v in form.form_values() if field_names is None or k in field_names]


def start(port: int, redis: str) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env_for(port, redis),
                               start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Browser(port).get("/")[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"two_servers: gunicorn on {port} did not answer")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--ports", type=int, nargs=2, default=[8302, 8303])
    args = parser.parse_args()
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("two_servers: set DATABASE_URL to a PostgreSQL database (the servers must share it)")
    base_env = env_for(args.ports[0], args.redis)
    for argv in (["migrate", "--noinput", "-v0"], ["import_tei"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *argv], cwd=ROOT, env=base_env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    os.environ.update({k: base_env[k] for k in ("DJANGO_DEBUG", "REDIS_URL", "DJANGO_ALLOWED_HOSTS")})
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from documents.models import Document, Note

    editor, _ = User.objects.get_or_create(username="two-servers-editor", defaults={"is_staff": True})
    editor.set_password(PASSWORD)
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"))
    document = Document.objects.get(slug=SLUG)
    passage = document.passages.order_by("order").first()
    Note.objects.filter(body__startswith="Two servers:").delete()
    note = Note.objects.create(document=document, passage=passage, anchor=passage.anchor, status="published",
                               body="Two servers: the first body, okapi.")  # fmt: skip
    a_proc, b_proc = start(args.ports[0], args.redis), start(args.ports[1], args.redis)
    a, b = Browser(args.ports[0]), Browser(args.ports[1])
    urls = [f"/documents/{SLUG}/", f"/documents/{SLUG}/annotations.jsonld"]
    try:
        for url in urls + ["/search/?q=okapi"]:
            b.get(url)
            status, headers, text = b.get(url)
            check(f"B serves {url} from the shared cache", status == 200 and headers.get("x-edition-cache") == "hit",
                  f"{status} {headers.get('x-edition-cache')}")
            check(f"B shows the first body on {url}", "the first body" in text)
        status, _h, login = a.get("/admin/login/?next=/admin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        status, headers, _t = a.request("POST", "/admin/login/?next=/admin/", {
            "csrfmiddlewaretoken": token, "username": editor.username, "password": PASSWORD, "next": "/admin/"})
        check("A: the editor signs in to the admin", status == 302 and "sessionid" in a.cookies, str(status))
        change = f"/admin/documents/note/{note.pk}/change/"
        status, _h, page = a.get(change)
        values = [(k, v) for k, v in form_values(page) if k != "body"]
        values += [("body", "Two servers: the second body, saved on A, quokka."), ("_save", "Save")]
        status, headers, text = a.request("POST", change, values)
        saved = time.perf_counter()
        check("A: the note form saves the new body", status == 302, f"{status} {text[:300]}")
        for url in urls + ["/search/?q=quokka"]:
            status, headers, text = b.get(url)
            check(f"B shows the body saved on A at once on {url}",
                  status == 200 and "saved on A" in text and "the first body" not in text,
                  f"{status} {headers.get('x-edition-cache')}")  # fmt: skip
        print(f"      (save on A -> fresh pages on B: {1000 * (time.perf_counter() - saved):.0f} ms for three reads)")
        note.refresh_from_db()
        note.body = "Two servers: the third body, from the ORM, wombat."
        note.save()  # the post_save signal bumps the content version in Redis
        for browser, name in ((a, "A"), (b, "B")):
            status, _h, text = browser.get(urls[0])
            check(f"{name} shows the body saved through the ORM at once", "from the ORM, wombat" in text)
    finally:
        stop(a_proc)
        stop(b_proc)
        Note.objects.filter(pk=note.pk).delete()
        editor.delete()
    print("all passed" if not FAILED else f"{len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
