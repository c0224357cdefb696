#!/usr/bin/env python
"""CPU time of the bulk import's parse+map step per file, against the raw lxml parse (no database).

    python bench/make_corpus.py --documents 300 --out /tmp/corpus-300
    python bench/bench_prepare.py /tmp/corpus-300 [more files or folders] [--repeat 3]
        [--save /tmp/mapped.json | --check /tmp/mapped.json] [--profile 30]

For every file, in this one process and on the same bytes, the steps of `bulk_import.prepare_file`
are timed one by one with `time.process_time` (CPU of this process: steady on a shared machine):

- raw parse: `lxml.etree.fromstring(data)` with lxml's default parser (the yardstick);
- secure parse: `TEIImporter.parse` (prolog scan, secure parser, depth and xml:id checks, xi:include);
- mapping: `documents.tei.mapping.map_tree`;
- validation: `TEIImporter.validate` (edition.rng, our own files only);
- completeness: `TEIImporter.measure` (documents/tei/completeness.py);
- total: `prepare_file` itself, called separately (read, checksum, all of the above).

It prints ms per document file for each and its ratio to the raw parse (best of --repeat runs).

--save writes a SHA-256 per file of everything `prepare_file` returns (the FileResult: status, problems,
warnings, completeness; the mapped FileData with every field; the checksum), --check compares against
such a file and fails on any difference: a speed-up must not change a result. --profile N prints
cProfile's top N functions (own time) of one `prepare_file` pass.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import hashlib
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure  # noqa: E402

configure("prepare")

import django  # noqa: E402

django.setup()

from lxml import etree  # noqa: E402

from documents.services import bulk_import  # noqa: E402
from documents.services.importer import FileResult, TEIImporter, import_digest  # noqa: E402
from documents.tei.mapping import map_tree  # noqa: E402
from documents.tei.parser import read_file  # noqa: E402

STEPS = ("raw parse", "secure parse", "mapping", "validation", "completeness", "total (prepare_file)")


def files_of(paths: list[str]) -> list[Path]:
    files, _ = TEIImporter.expand(paths)
    return files


def plain(value):
    """A JSON-able form of a result (dataclasses by field, sets sorted) for comparing runs."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    return value


def result_digest(prepared) -> str:
    result, mapped, digest = prepared
    text = json.dumps([plain(result), plain(mapped), digest, mapped.stage if mapped else None],
                      sort_keys=True, ensure_ascii=False, default=repr)  # fmt: skip
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def job_of(path: Path, importer: TEIImporter) -> tuple:
    schema = str(importer.schema_path) if importer.schema_path else None
    return (path, None, True, (importer.max_bytes, importer.max_depth, schema, importer.detect_speakers))


def steps_pass(files: list[Path], importer: TEIImporter) -> dict[str, float]:
    """CPU seconds of each step over all files (the steps of prepare_file, one by one)."""
    clock = time.process_time
    spent = dict.fromkeys(STEPS[:-1], 0.0)
    for path in files:
        data = read_file(path, max_bytes=importer.max_bytes)
        digest = import_digest(data, importer.detect_speakers)
        t0 = clock()
        etree.fromstring(data)
        t1 = clock()
        tree, digest = importer.parse(data, path, digest)
        t2 = clock()
        mapped = map_tree(tree, str(path), detect_speakers=importer.detect_speakers)
        t3 = clock()
        if mapped.ours:
            importer.validate(tree, mapped)
        t4 = clock()
        if not mapped.problems:
            importer.measure(tree, mapped, FileResult(path=str(path)))
        t5 = clock()
        for step, seconds in zip(STEPS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=False):
            spent[step] += seconds
    return spent


def total_pass(files: list[Path], importer: TEIImporter) -> tuple[float, dict[str, str]]:
    """CPU seconds of prepare_file over all files, and the digest of each file's result."""
    digests, spent = {}, 0.0
    for path in files:
        started = time.process_time()
        prepared = bulk_import.prepare_file(job_of(path, importer))
        spent += time.process_time() - started
        digests[str(path)] = result_digest(prepared)  # not timed
    return spent, digests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="TEI files or folders (their *.xml)")
    parser.add_argument("--repeat", type=int, default=3, help="passes; the best (least CPU) is reported")
    parser.add_argument("--save", help="write each file's result digest to this JSON file")
    parser.add_argument("--check", help="compare each file's result digest with this JSON file")
    parser.add_argument("--profile", type=int, default=0, help="cProfile's top N functions of one pass")
    args = parser.parse_args()

    files = files_of(args.paths)
    importer = TEIImporter()
    importer.schema()  # compiled once per process, as in a bulk worker
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB, load average {load}, {when}")
    best = dict.fromkeys(STEPS, float("inf"))
    digests: dict[str, str] = {}
    for _ in range(max(1, args.repeat)):
        for step, seconds in steps_pass(files, importer).items():
            best[step] = min(best[step], seconds)
        seconds, digests = total_pass(files, importer)
        best[STEPS[-1]] = min(best[STEPS[-1]], seconds)
    raw = best["raw parse"] / len(files)
    print(f"{'step':<22} {'ms/file':>9} {'x raw parse':>12}")
    for step in STEPS:
        per_file = best[step] / len(files)
        print(f"{step:<22} {per_file * 1000:9.2f} {per_file / raw if raw else 0:12.1f}")

    status = 0
    if args.save:
        Path(args.save).write_text(json.dumps(digests, indent=0, sort_keys=True))
        print(f"saved {len(digests)} result digests to {args.save}")
    if args.check:
        expected = json.loads(Path(args.check).read_text())
        differ = sorted(p for p in digests if expected.get(p) != digests[p])
        missing = sorted(set(expected) - set(digests))
        if differ or missing:
            status = 1
            for path in differ[:20]:
                print(f"DIFFERENT: {path}")
            for path in missing[:20]:
                print(f"NOT RUN: {path}")
        print(f"check: {len(digests) - len(differ)} of {len(digests)} results identical to {args.check}"
              + (f", {len(missing)} not run" if missing else ""))  # fmt: skip
    if args.profile:
        profile = cProfile.Profile()
        for path in files:
            profile.enable()
            bulk_import.prepare_file(job_of(path, importer))
            profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
    return status


if __name__ == "__main__":
    sys.exit(main())
