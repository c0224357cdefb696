"""Every example in docs/api.md is executed and answers as documented (issue 11.5/11.7).

The doc is parsed, not copied: each ```sh block's commands are run against the app (with the real
edition imported and `EDITION_BASE_URL=https://edition.example.org`):

- `curl [-s] [-I] [-H 'Name: value'] URL [| jq '.path[1]']`: a GET (HEAD with -I) through the test client;
  the `# HTTP/1.1 <status> ...` and `# Name: value` comment lines under it are the status and headers it
  must give (status 200 when not said). `<the ETag>` in a header stands for the previous answer's ETag.
- `python manage.py <command> <args>`: call_command must succeed (in a scratch directory).
- The code block right after an ```sh block is the body of its last command: JSON compared as a
  pattern (`"..."` as a value matches anything, a `"...": "..."` member allows other members, a `"..."`
  item in a list allows other items in between; otherwise objects have exactly the members shown, lists
  exactly the items), other text compared whole, `...` matching anything.
"""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from documents.services.importer import TEIImporter

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
ORIGIN = "https://edition.example.org"
WILD = "..."


def blocks(text: str):
    """[(language, body)] of the fenced code blocks, in order."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)]


def examples():
    """[(sh block index, [commands with their comment lines], expected body or None, its language)]."""
    found = []
    all_blocks = blocks(DOC.read_text())
    for i, (lang, body) in enumerate(all_blocks):
        if lang != "sh":
            continue
        commands = []
        for line in body.splitlines():
            if line.startswith("#"):
                if commands:
                    commands[-1][1].append(line[1:].strip())
            elif line.strip():
                commands.append((line.strip(), []))
        after = all_blocks[i + 1] if i + 1 < len(all_blocks) and all_blocks[i + 1][0] not in ("sh", "django") else None
        found.append((i, commands, after))
    return found


EXAMPLES = examples()


def test_the_doc_has_examples_of_every_kind():
    commands = [c for _, cmds, _ in EXAMPLES for c, _ in cmds]
    assert len([c for c in commands if c.startswith("curl")]) >= 15
    assert any(c.startswith("python manage.py") for c in commands)
    paths = " ".join(commands)
    for part in ("/notes/", "/api/", "/dts/", "cite.", "annotations.jsonld"):
        assert part in paths, part


def parse_curl(command: str):
    command, _, jq = command.partition(" | jq ")
    command = re.sub(r"\s+#.*$", "", command)  # a trailing comment
    args = shlex.split(command)[1:]
    method, headers, url = "get", {}, None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-H":
            name, _, value = args[i + 1].partition(":")
            headers[name.strip()] = value.strip()
            i += 1
        elif arg.startswith("-") and "I" in arg:
            method = "head"
        elif not arg.startswith("-"):
            url = arg
        i += 1
    assert url and url.startswith(ORIGIN), command
    return method, headers, url[len(ORIGIN) :], shlex.split(jq)[0] if jq else None


def jq(data, path: str):
    for name, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        data = data[name] if name else data[int(index)]
    return data


def text_matches(expected: str, actual: str) -> bool:
    pattern = ".*?".join(re.escape(part) for part in expected.split(WILD))
    return re.fullmatch(pattern, actual, re.S) is not None


def json_matches(expected, actual, where="$") -> list[str]:
    """Differences between a documented JSON pattern and the real value ([] when it matches)."""
    if expected == WILD:
        return []
    if isinstance(expected, str):
        ok = isinstance(actual, str) and (text_matches(expected, actual) if WILD in expected else expected == actual)
        return [] if ok else [f"{where}: {actual!r} is not {expected!r}"]
    if isinstance(expected, dict):
        return object_matches(expected, actual, where)
    if isinstance(expected, list):
        return list_matches(expected, actual, where)
    return [] if expected == actual else [f"{where}: {actual!r} is not {expected!r}"]


def object_matches(expected: dict, actual, where: str) -> list[str]:
    if not isinstance(actual, dict):
        return [f"{where}: {actual!r} is not an object"]
    problems = []
    keys = [k for k in expected if k != WILD]
    missing = [k for k in keys if k not in actual]
    if missing:
        problems.append(f"{where}: no {missing}")
    if WILD not in expected and set(actual) - set(keys):
        problems.append(f"{where}: undocumented members {sorted(set(actual) - set(keys))}")
    for k in keys:
        if k in actual:
            problems += json_matches(expected[k], actual[k], f"{where}.{k}")
    return problems


def list_matches(expected: list, actual, where: str) -> list[str]:
    if not isinstance(actual, list):
        return [f"{where}: {actual!r} is not a list"]
    if WILD not in expected:
        if len(expected) != len(actual):
            return [f"{where}: {len(actual)} items, documented {len(expected)}"]
        return [p for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for p in json_matches(e, a, f"{where}[{i}]")]  # fmt: skip
    j = 0  # items in order, others allowed between
    for e in (e for e in expected if e != WILD):
        while j < len(actual) and json_matches(e, actual[j], where):
            j += 1
        if j == len(actual):
            return [f"{where}: no item like {e!r}"]
        j += 1
    return []


@pytest.fixture
def edition(settings):
    settings.EDITION_BASE_URL = ORIGIN
    settings.ALLOWED_HOSTS = ["edition.example.org", "testserver"]
    report = TEIImporter().import_paths([settings.EDITION_TEI_DIR])
    assert not report.failed


def run_curl(client, command, comments, previous):
    method, headers, path, jq_path = parse_curl(command)
    extra = {}
    for name, value in headers.items():
        if "<the ETag>" in value:
            value = value.replace('"<the ETag>"', previous["ETag"])
        extra["HTTP_" + name.upper().replace("-", "_")] = value
    response = getattr(client, method)(path, secure=True, HTTP_HOST="edition.example.org", **extra)
    status = 200
    for line in comments:
        m = re.match(r"HTTP/1\.1 (\d{3})", line)
        if m:
            status = int(m.group(1))
        elif re.match(r"^[A-Z][A-Za-z-]+: ", line):
            name, _, value = line.partition(": ")
            assert name in response, f"{command}: no {name} header"
            assert text_matches(value, response[name]), f"{command}: {name}: {response[name]!r} is not {value!r}"
    return response, status, jq_path


@pytest.mark.parametrize("index", [i for i, *_ in EXAMPLES])
def test_every_doc_example_answers_as_documented(client, edition, tmp_path, monkeypatch, index):
    _, commands, after = next(e for e in EXAMPLES if e[0] == index)
    monkeypatch.chdir(tmp_path)
    previous = None
    for n, (command, comments) in enumerate(commands):
        last = n == len(commands) - 1
        if command.startswith("python manage.py"):
            args = shlex.split(command)[2:]
            call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
            continue
        assert command.startswith("curl "), command
        response, status, jq_path = run_curl(client, command, comments, previous)
        body = response.content.decode()
        if last and after is not None and after[0] == "json" and '"status": ' in after[1]:
            status = json.loads(after[1])["status"]
        assert response.status_code == status, (command, response.status_code, body[:300])
        previous = response
        if last and after is not None:
            lang, expected = after
            if lang == "json":
                actual = jq(json.loads(body), jq_path) if jq_path else json.loads(body)
                problems = json_matches(json.loads(expected), actual)
                assert not problems, (command, problems)
            else:
                assert text_matches(expected.strip(), body.replace("\r\n", "\n").strip()), (command, body)  # RIS: CRLF
