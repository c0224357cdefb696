#!/usr/bin/env python
"""Bounded load on loopback: gunicorn (started here, gunicorn.conf.py, production settings) and a small asyncio
HTTP/1.1 client; throughput, p50/p99 latency and errors per URL, and each URL's ratio to the static file.

    python bench/bench_load.py [--connections 32] [--seconds 10] [--max-requests 20000] [--port 8301]
                               [--workers N] [--redis redis://127.0.0.1:6379/3] [--samples]

The database is DATABASE_URL's (default: a SQLite file of its own in /tmp, see bench/_benchenv.py): it is
migrated, the edition is imported (with --samples also ../shared/samples/, 480 documents more) and the static
files are collected. Every URL is then loaded for --seconds at --connections connections (at most
--max-requests requests), after one warm-up request; the run stops by itself and stops gunicorn. Nothing
is asserted; the targets of issue 17 are printed with PASS/FAIL beside the figures:
search >= 0.3x the reader page's throughput at 32 connections, 0 errors, p99 < 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure  # noqa: E402

ROOT = configure("load")
SLUG = "minutes-1962-06-08"
#: Search queries the "search (varied)" URL cycles through: each is a miss the first time, then cached.
WORDS = ["repatriation", "border", "Xinjiang", "memorandum", "consulate", "residents", "Soviet", "Chinese",
         "government", "ambassador", "Ili", "crossing", "\"border crossing\"", "Zhang OR Chervonenko",
         "minister", "frontier", "authorities", "measures", "statement", "reply"]  # fmt: skip
URLS = {
    "static file": "/static/css/edition.css",
    "reader": f"/documents/{SLUG}/",
    "search": "/search/?q=repatriation",
    "search (varied)": None,  # one of WORDS per request, in turn
    "annotations": f"/documents/{SLUG}/annotations.jsonld",
    "DTS navigation": f"/dts/navigation/?resource={SLUG}&down=-1",
    "API document": f"/api/documents/{SLUG}/",
}


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", GUNICORN_BIND=f"127.0.0.1:{args.port}",
               GUNICORN_ACCESS_LOG="/dev/null", GUNICORN_LOG_LEVEL="warning", PYTHONPATH=str(ROOT))  # fmt: skip
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    if args.redis:
        env["REDIS_URL"] = args.redis
    return env


def prepare(args) -> None:
    python = sys.executable
    env = server_env(args)

    def manage(*argv):
        subprocess.run([python, "manage.py", *argv], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    manage("migrate", "--noinput", "-v0")
    manage("import_tei")
    if args.samples:
        manage("import_tei", str(ROOT.parent / "shared" / "samples"))
    manage("collectstatic", "--noinput", "-v0")


def start_gunicorn(args) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py"], cwd=ROOT, env=server_env(args),
                               start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/", timeout=2) as response:  # nosec B310
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("bench_load: gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _request(port: int, path: str, conn: dict) -> int:
    """One GET on a kept-alive connection (reopened when the server closes it); returns the status."""
    if conn.get("writer") is None:
        conn["reader"], conn["writer"] = await asyncio.open_connection("127.0.0.1", port)
    reader, writer = conn["reader"], conn["writer"]
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n".encode("latin-1"))
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
    if headers.get("connection", "").lower() == "close" or "content-length" not in headers and not headers.get(
            "transfer-encoding"):  # fmt: skip
        writer.close()
        conn["writer"] = None
    return status


async def load(port: int, path, connections: int, seconds: float, max_requests: int) -> dict:
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.monotonic() + seconds

    async def worker():
        nonlocal errors, issued
        conn: dict = {}
        while time.monotonic() < deadline and issued < max_requests:
            issued += 1
            target = path(issued) if callable(path) else path
            began = time.perf_counter()
            try:
                status = await _request(port, target, conn)
                if status != 200:
                    errors += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                conn["writer"] = None
            latencies.append(time.perf_counter() - began)
        if conn.get("writer") is not None:
            conn["writer"].close()

    began = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0.0,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--redis", default="", help="REDIS_URL for the shared cache (default: local memory)")
    parser.add_argument("--samples", action="store_true", help="also import ../shared/samples/")
    parser.add_argument("--skip-prepare", action="store_true", help="the database is ready (migrated, imported)")
    args = parser.parse_args()
    if not args.skip_prepare:
        prepare(args)
    process = start_gunicorn(args)
    results = {}
    try:
        for label, path in URLS.items():
            target = path or (lambda n: "/search/?q=" + urllib.request.quote(WORDS[n % len(WORDS)]))
            for warm in (WORDS if path is None else [None]):
                warm_path = "/search/?q=" + urllib.request.quote(warm) if warm else path
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}{warm_path}", timeout=30).read()  # nosec B310
            results[label] = asyncio.run(load(args.port, target, args.connections, args.seconds, args.max_requests))
    finally:
        stop(process)
    static = results["static file"]["rps"] or 1.0
    print(f"{'URL':<18} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x static':>9}")
    for label, r in results.items():
        print(f"{label:<18} {r['requests']:>9} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7} "
              f"{r['rps'] / static:>9.2f}")  # fmt: skip
    reader = results["reader"]
    database = os.environ["DATABASE_URL"].split(":")[0]
    print(f"\n{args.connections} connections, {args.seconds:g} s per URL, database {database}, "
          f"cache {'Redis' if args.redis else 'local memory'}")  # fmt: skip
    for label in ("search", "search (varied)"):
        r = results[label]
        checks = [("throughput >= 0.3x reader", r["rps"] >= 0.3 * reader["rps"]), ("0 errors", r["errors"] == 0),
                  ("p99 < 500 ms", r["p99"] < 500)]  # fmt: skip
        print(f"target, {label}: " + ", ".join(f"{name} {'PASS' if ok else 'FAIL'}" for name, ok in checks)
              + f" ({r['rps'] / (reader['rps'] or 1):.2f}x reader)")


if __name__ == "__main__":
    main()
