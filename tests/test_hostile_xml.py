"""Hostile XML beyond the parser's own tests (tests/test_parser.py): XInclude (absolute paths, `..`, URLs,
cycles), external DTDs and parameter entities, XSLT processing instructions, huge attributes, invalid encodings.

Each file goes through `import_tei` as an operator would run it. Whatever the outcome (imported, or refused
with a `file:line` error and a non-zero exit), the command never crashes, never reads a file or URL it was
pointed at (a loopback HTTP server on a port 83xx counts requests; a secret file's words must not appear in the
database) and never serves the instruction back (exports carry no xml-stylesheet).
"""

from __future__ import annotations

import http.server
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.models import Document, Passage

pytestmark = pytest.mark.django_db
PORTS = range(8310, 8400)  # this engineer's loopback ports; the first free one is used
SECRET = "zebrafishsecretword"
TEI_NS = 'xmlns="http://www.tei-c.org/ns/1.0"'
XI_NS = 'xmlns:xi="http://www.w3.org/2001/XInclude"'


def tei(body: str, head: str = "", root_attrs: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<TEI {TEI_NS} {root_attrs}><teiHeader><fileDesc><titleStmt>'
        "<title>Hostile</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>"
        f"</fileDesc></teiHeader><text><body><div><p>Visible words.</p>{body}</div></body></text></TEI>"
    )


@pytest.fixture
def server():
    """A loopback HTTP server that records every request (nothing may reach it)."""
    class Requests(list):
        port = 0

    requests = Requests()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(f"<p>{SECRET}</p>".encode())

        def log_message(self, *args):
            pass

    for port in PORTS:
        try:
            httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    requests.port = port
    yield requests
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def secret(tmp_path):
    """A file outside the import folder whose words must never be imported."""
    path = tmp_path / "outside" / "secret.xml"
    path.parent.mkdir()
    path.write_text(f'<p {TEI_NS}>{SECRET}</p>', encoding="utf-8")
    return path


def run(path) -> tuple[bool, str]:
    """(imported, stdout+stderr) of import_tei on `path`; a refusal must name the file and a line."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_tei", str(path), stdout=out, stderr=err)
        return True, out.getvalue() + err.getvalue()
    except CommandError:
        text = out.getvalue() + err.getvalue()
        assert f"{path}:" in text, text  # file:line:col: message
        return False, text


def nothing_leaked(requests) -> None:
    assert requests == []
    assert not Passage.objects.filter(reading_text__contains=SECRET).exists()
    assert not Document.objects.filter(title__contains=SECRET).exists()


def _write(tmp_path, name: str, content: str | bytes):
    folder = tmp_path / "import"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


XINCLUDES = {
    "absolute": lambda secret, tmp: f'<xi:include href="{secret}"/>',
    "file-url": lambda secret, tmp: f'<xi:include href="file://{secret}"/>',
    "dotdot": lambda secret, tmp: '<xi:include href="../outside/secret.xml"/>',
    "http-url": lambda secret, tmp: '<xi:include href="http://127.0.0.1:{port}/x.xml"/>',
    "text-parse": lambda secret, tmp: f'<xi:include href="{secret}" parse="text"/>',
    "self-cycle": lambda secret, tmp: '<xi:include href="xinclude.xml"/>',
    "fallback": lambda secret, tmp: '<xi:include href="http://127.0.0.1:{port}/y"><xi:fallback>ok</xi:fallback></xi:include>',
}


@pytest.mark.parametrize("case", list(XINCLUDES))
def test_xinclude_is_never_followed(tmp_path, secret, server, case):
    body = XINCLUDES[case](secret, tmp_path).replace("{port}", str(server.port))
    path = _write(tmp_path, "xinclude.xml", tei(body, root_attrs=XI_NS))
    imported, output = run(path)
    assert not imported and "xi:include" in output, output  # refused by documents/tei/xinclude.py, not ignored
    nothing_leaked(server)


DOCTYPES = {
    "external-dtd-http": '<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd">',
    "external-dtd-file": '<!DOCTYPE TEI SYSTEM "{secret}">',
    "public-dtd": '<!DOCTYPE TEI PUBLIC "-//EVIL//DTD//EN" "http://127.0.0.1:{port}/p.dtd">',
    "parameter-entity-file": '<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{secret}"> %p;]>',
    "parameter-entity-http": '<!DOCTYPE TEI [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/e"> %p;]>',
    "parameter-entity-nested": '<!DOCTYPE TEI [<!ENTITY % a "<!ENTITY &#37; b SYSTEM \'{secret}\'>"> %a; %b;]>',
}


@pytest.mark.parametrize("case", list(DOCTYPES))
def test_external_dtds_and_parameter_entities_are_never_loaded(tmp_path, secret, server, case):
    head = DOCTYPES[case].replace("{secret}", str(secret)).replace("{port}", str(server.port))
    imported, _text = run(_write(tmp_path, "doctype.xml", tei("<p>&amp;</p>", head=head)))
    nothing_leaked(server)
    if "ENTITY" in head:
        assert not imported  # entity declarations are refused outright


def test_an_xslt_processing_instruction_is_ignored_and_never_served(client, tmp_path, server):
    head = f'<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:{server.port}/evil.xsl"?>'
    imported, text = run(_write(tmp_path, "xslt.xml", tei("<p>Styled words.</p>", head=head)))
    assert imported, text
    nothing_leaked(server)
    doc = Document.objects.get(source_file__path__endswith="xslt.xml")
    for url in (f"/documents/{doc.slug}/tei.xml", f"/dts/document/?resource={doc.slug}", doc.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200 and b"xml-stylesheet" not in response.content, url
    assert server == []


@pytest.mark.parametrize("size", [200_000, 12_000_000])
def test_huge_attributes_are_refused_or_bounded(tmp_path, size):
    path = _write(tmp_path, "huge.xml", tei(f'<p rend="{"x" * size}">Huge attribute.</p>'))
    imported, text = run(path)
    if imported:
        assert all(len(p.tei) < size for p in Passage.objects.all()) or size < 1_000_000, "a 12 MB attribute was kept"
    else:
        assert "huge.xml:" in text


ENCODINGS = {
    "invalid-utf8-byte": tei("<p>bad \xff byte</p>").encode("latin-1"),
    "overlong-utf8": tei("<p>over PLACEHOLDER long</p>").encode("utf-8").replace(b"PLACEHOLDER", b"\xc0\xaf"),
    "surrogate-utf8": tei("<p>lone PLACEHOLDER surrogate</p>").encode("utf-8").replace(b"PLACEHOLDER", b"\xed\xa0\x80"),
    "unknown-encoding": tei("<p>x</p>").replace('encoding="UTF-8"', 'encoding="x-evil-42"').encode("utf-8"),
    "declared-utf16-is-utf8": tei("<p>x</p>").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-8"),
    "utf16-without-bom": tei("<p>x</p>").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le"),
    "truncated-utf8": tei("<p>cut PLACEHOLDER</p>").encode("utf-8").replace(b"PLACEHOLDER", b"\xe6\xb1"),
    "nul-byte": tei("<p>nul \x00 byte</p>").encode("utf-8"),
}


@pytest.mark.parametrize("case", list(ENCODINGS))
def test_invalid_encodings_are_refused_with_a_location(tmp_path, case):
    path = _write(tmp_path, "encoding.xml", ENCODINGS[case])
    imported, text = run(path)
    if imported:  # a parser that accepts it must have decoded real text, not garbage
        assert Document.objects.filter(source_file__path__endswith="encoding.xml").exists()
        assert not Passage.objects.filter(reading_text__contains="\ufffd").exists()
    else:
        assert "encoding.xml:" in text


def test_the_counting_server_does_count(server):
    """The detector itself: a real fetch of its URL is recorded (so an empty list means nothing was fetched)."""
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/probe", timeout=10) as response:  # nosec B310
        assert SECRET in response.read().decode()
    assert list(server) == ["/probe"]
