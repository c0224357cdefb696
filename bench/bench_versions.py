#!/usr/bin/env python
"""Storage of citable versions: bytes of 10 versions of the FRUS sample / bytes of 1.

    python bench/bench_versions.py [--versions 10] [--edits 5]

Imports ../shared/samples/frus1918Russiav03-not-yet-reviewed.xml (hundreds of documents) into a
fresh database, then re-imports it `--versions - 1` times, each time with `--edits` words changed in
as many random paragraphs (a few corrections per version, as editors make them). It prints the bytes
the versions take (snapshots: passage TEI and texts, headers, structures; version rows: entries and
change notes, as stored: UTF-8 text and JSON) after the first import and after the last, and the
ratio. Unchanged passages, headers and structures are shared (content-addressed), so the ratio
stays far below the number of versions. Deterministic (seeded); nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure, fresh_database  # noqa: E402

ROOT = configure("versions")

import django  # noqa: E402

django.setup()


from documents.models import Document, DocumentVersion, Snapshot  # noqa: E402
from documents.services.importer import TEIImporter  # noqa: E402

FRUS = ROOT.parent / "shared" / "samples" / "frus1918Russiav03-not-yet-reviewed.xml"
WORD = re.compile(r"(<p(?:\s[^>]*)?>[^<]*?\b)([a-z]{4,})\b")


def stored_bytes() -> int:
    """UTF-8 bytes of what the versions store (the text columns and JSON of their rows)."""
    total = 0
    for row in Snapshot.objects.values_list("digest", "kind", "tei", "reading_text", "diplomatic_text", "spans"):
        total += sum(len(str(v).encode("utf-8")) for v in row[:5]) + len(json.dumps(row[5]).encode("utf-8"))
    for row in DocumentVersion.objects.values_list("message", "title", "entries", "notes_moved"):
        total += len(row[0].encode()) + len(row[1].encode()) + len(json.dumps(row[2])) + len(json.dumps(row[3]))
        total += 8 * 6  # number, dates, foreign keys
    return total


def edit(path: Path, rng: random.Random, edits: int) -> int:
    text = path.read_text(encoding="utf-8")
    matches = list(WORD.finditer(text))
    chosen = sorted(rng.sample(matches, min(edits, len(matches))), key=lambda m: m.start(), reverse=True)
    for m in chosen:  # from the end, so earlier offsets stay valid
        text = text[: m.start(2)] + m.group(2)[::-1] + text[m.end(2) :]
    path.write_text(text, encoding="utf-8")
    return len(chosen)


def run(path: Path, message: str) -> None:
    report = TEIImporter(message=message).import_paths([path])
    if report.failed:
        raise SystemExit("the import failed:\n" + "\n".join(str(p) for p in report.problems[:10]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--edits", type=int, default=5, help="words changed per version")
    args = parser.parse_args()
    fresh_database(flush=True)
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / FRUS.name
        shutil.copy(FRUS, path)
        run(path, "First import.")
        one = stored_bytes()
        documents = Document.objects.count()
        for n in range(2, args.versions + 1):
            edit(path, rng, args.edits)
            run(path, f"Corrections, round {n}.")
        many = stored_bytes()
    versions = DocumentVersion.objects.count()
    print(f"FRUS sample: {documents} documents, {Snapshot.objects.filter(kind='p').count()} distinct paragraph texts")
    print(f"{args.versions} rounds of {args.edits} edits: {versions} versions in all "
          f"({versions - documents} new ones: only the edited documents get a version)")  # fmt: skip
    print(f"bytes after 1 version:  {one:>12,}")
    print(f"bytes after {args.versions} versions: {many:>12,}")
    print(f"ratio (bytes of {args.versions} versions / bytes of 1): {many / one:.3f}  "
          f"(full copies would be {args.versions:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
