#!/usr/bin/env python
"""Search latency (p50/p95) as the corpus grows, on the database given by DATABASE_URL.

    python bench/bench_search.py --sizes 1000,10000 [--passages 100] [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/edition_bench python bench/bench_search.py --sizes 1000,10000

Importing 100k TEI files is too slow for a benchmark run on a small machine, so the tables the
search reads (documents, turns, passages, mentions, notes, entities with aliases, and the index
rows) are generated *directly in bulk* with the same vocabulary and entity model as
bench/make_corpus.py; the full-text index is then built the way production builds it (FTS5
triggers / the stored tsvector + GIN index). Sizes are loaded incrementally into one database.

For every size it times the whole search service call the /search/ page makes (count, one
ranked page, snippets, grouping and all facets) for a mix of queries, and prints p50/p95 and
two ratios measured in the same run: against the same size's naive baseline (a LIKE scan over
the passages, what a site without a full-text index would do; capped at a few runs), and against
the first size (how latency grows).

Default database: a fresh SQLite file /tmp/edition-bench-search.sqlite3.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure  # noqa: E402

ROOT = configure("search")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from make_corpus import Vocabulary, make_entities  # noqa: E402

from documents.models import (  # noqa: E402
    Document,
    Entity,
    EntityAlias,
    Mention,
    Note,
    Passage,
    SearchEntry,
    Turn,
)
from documents.search import schema, tokens  # noqa: E402
from documents.search.indexing import vector_expression  # noqa: E402
from documents.search.query import STOPWORDS  # noqa: E402
from documents.search.service import search  # noqa: E402

QUERIES = [
    ("domain word", "repatriation", {}),
    ("common word", "border", {}),
    ("most frequent", None, {}),  # the most frequent word that is not a stop word (~10% of passages)
    ("two words", "residents flight", {}),
    ("phrase", '"illegal migration"', {}),
    ("OR", "consulate OR garrison", {}),
    ("rare word", None, {}),  # filled with a tail word of the vocabulary
    ("person alias", None, {}),  # a Chinese or Cyrillic alias
    ("word + speaker", "repatriation", {"speaker": None}),
    ("word + year", "passport", {"date": "1955"}),
    ("stemmed", "repatriate", {}),
]


def fresh_database():
    if connection.vendor == "sqlite":
        connection.close()
        path = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")


class Loader:
    """Writes synthetic rows for documents [start, end) straight into the tables."""

    def __init__(self, seed: int, passages: int, max_documents: int):
        rng = random.Random(seed)
        self.vocab = Vocabulary(rng)
        self.people, self.places = make_entities(rng, max_documents)
        self.passages = passages
        self.seed = seed
        self.entity_pk: dict[str, int] = {}
        self.names: dict[str, str] = {}

    def entities(self):
        for key, name, aliases in self.people + self.places:
            kind = Entity.Kind.PERSON if key.startswith("p0") else Entity.Kind.PLACE
            entity = Entity.objects.create(key=key, kind=kind, name=name)
            EntityAlias.objects.bulk_create([EntityAlias(entity=entity, name=a, lang=lang) for a, lang in aliases])
            self.entity_pk[key] = entity.pk
            self.names[key] = " ".join([name] + [a for a, _ in aliases])

    def load(self, start: int, end: int):
        for chunk in range(start, end, 200):
            with transaction.atomic():
                self._load_chunk(chunk, min(end, chunk + 200))

    def _load_chunk(self, start, end):
        import datetime as dt

        docs, turns_by_doc, rows = [], {}, []
        for n in range(start, end):
            rng = random.Random(f"{self.seed}:{n}")
            date = dt.date(1949 + n % 30, 1 + n % 12, 1 + n % 28)
            docs.append(Document(slug=f"doc-{n:06d}", xml_id=f"doc-{n:06d}", title=f"Document {n}", date=date,
                                 kind="minutes", sort_key=f"{n:06d}"))
            speakers = rng.sample(self.people, 2)
            count = max(5, int(rng.gauss(self.passages, self.passages / 4)))
            plan = []
            for i in range(count):
                words = self.vocab.sample(rng, rng.randint(20, 70))
                mentioned = []
                for j in range(len(words)):
                    roll = rng.random()
                    if roll < 0.025:
                        mentioned.append(rng.choice(self.places))
                        words[j] = mentioned[-1][1]
                    elif roll < 0.04:
                        mentioned.append(rng.choice(speakers if rng.random() < 0.7 else self.people))
                        words[j] = mentioned[-1][1]
                plan.append((i, speakers[(i // 3) % 2], " ".join(words).capitalize() + ".", mentioned))
            rows.append((n, date, speakers, plan, rng))
        Document.objects.bulk_create(docs)
        by_slug = dict(Document.objects.filter(slug__in=[d.slug for d in docs]).values_list("slug", "pk"))
        date_of = dict(Document.objects.filter(pk__in=by_slug.values()).values_list("pk", "date"))
        turns = [Turn(document_id=by_slug[f"doc-{n:06d}"], xml_id=f"t{k}", speaker_id=self.entity_pk[s[0]],
                      speaker_label=s[1] + ":", order=k) for n, _, speakers, _, _ in rows
                 for k, s in enumerate(speakers)]
        Turn.objects.bulk_create(turns)
        for t in Turn.objects.filter(document_id__in=by_slug.values()):
            turns_by_doc[(t.document_id, t.order)] = t
        passages = []
        for n, _, speakers, plan, _ in rows:
            doc = by_slug[f"doc-{n:06d}"]
            for i, speaker, text, _ in plan:
                turn = turns_by_doc[(doc, speakers.index(speaker))]
                passages.append(Passage(document_id=doc, turn_id=turn.pk, anchor=f"doc-{n:06d}-p{i}", order=i,
                                        tei="", reading_text=text, diplomatic_text=text))
        Passage.objects.bulk_create(passages, batch_size=5000)
        pk_of = dict(Passage.objects.filter(document_id__in=by_slug.values()).values_list("anchor", "pk"))
        mentions, entries, notes = [], [], []
        for n, date, speakers, plan, rng in rows:
            doc = by_slug[f"doc-{n:06d}"]
            for i, speaker, text, mentioned in plan:
                anchor = f"doc-{n:06d}-p{i}"
                keys = list(dict.fromkeys(m[0] for m in mentioned))
                for key in keys:
                    mentions.append(Mention(passage_id=pk_of[anchor], entity_id=self.entity_pk[key], text="x",
                                            start=0, end=1))
                turn = turns_by_doc[(doc, speakers.index(speaker))]
                entity_ids = [self.entity_pk[k] for k in keys]
                entries.append(SearchEntry(kind="passage", document_id=doc, passage_id=pk_of[anchor],
                                           turn_id=turn.pk, speaker_id=turn.speaker_id, anchor=anchor, order=i,
                                           date=date, text=text, names=" ".join(self.names[k] for k in keys),
                                           filters=tokens.for_entry(doc, turn.speaker_id, "passage", date,
                                                                    entity_ids)))
            for i in range(max(1, len(plan) // 20)):
                anchor = f"doc-{n:06d}-p{rng.randrange(len(plan))}"
                notes.append(Note(document_id=doc, passage_id=pk_of[anchor], anchor=anchor, xml_id=f"n-{n}-{i}",
                                  body=" ".join(self.vocab.sample(rng, 30)), status="published", provenance="tei"))
        Mention.objects.bulk_create(mentions, batch_size=5000)
        Note.objects.bulk_create(notes, batch_size=5000)
        for note in Note.objects.filter(document_id__in=by_slug.values()).select_related("passage"):
            entries.append(SearchEntry(kind="note", document_id=note.document_id, passage_id=note.passage_id,
                                       note_id=note.pk, turn_id=note.passage.turn_id, anchor=note.anchor,
                                       order=note.passage.order, date=date_of[note.document_id], text=note.body,
                                       filters=tokens.for_entry(note.document_id, None, "note",
                                                                date_of[note.document_id], [])))
        SearchEntry.objects.bulk_create(entries, batch_size=5000)
        if connection.vendor == "postgresql":
            SearchEntry.objects.filter(document_id__in=by_slug.values()).update(search_vector=vector_expression())


def replicate(factor: int) -> None:
    """PostgreSQL: copy the index entries (vectors included) until there are `factor` times as many
    as there were originally (the copies point at the same documents), then rebuild the GIN index."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT (document_id, anchor, kind, note_id)) "
                       "FROM documents_searchentry")
        total, original = cursor.fetchone()
        if total >= original * factor:
            print(f"already {total} entries ({total / original:.0f} x {original})")
            return
        schema.drop_schema(connection)
        columns = ('kind, anchor, "order", date, text, names, filters, search_vector, document_id, note_id, '
                   "passage_id, speaker_id, turn_id")
        cursor.execute("SELECT min(id) FROM documents_searchentry")
        low = cursor.fetchone()[0]
        while total < original * factor:  # one copy of the first `original` entries at a time
            cursor.execute(f"INSERT INTO documents_searchentry ({columns}) SELECT {columns} FROM documents_searchentry "
                           "WHERE id >= %s ORDER BY id LIMIT %s", [low, original])
            total += cursor.rowcount
            print(f"  replicated: {total} entries ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        schema.ensure_schema(connection)
        cursor.execute("VACUUM ANALYZE documents_searchentry")
    print(f"replicated x{factor}: {total} entries in {time.perf_counter() - started:.0f} s")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def naive(word: str) -> float:
    started = time.perf_counter()
    list(Passage.objects.filter(reading_text__icontains=word).values_list("id", flat=True)[:20])
    Passage.objects.filter(reading_text__icontains=word).count()
    return time.perf_counter() - started


CPU: dict[str, list[float]] = {}


def measure(queries, repeat: int) -> dict[str, list[float]]:
    """Wall-clock seconds per query label; this process's CPU seconds go to CPU (on SQLite that is
    all the work, so it shows the cost on an idle machine even when the benchmark host is busy)."""
    timings: dict[str, list[float]] = {}
    CPU.clear()
    for _ in range(repeat):
        for label, q, params in queries:
            started, cpu = time.perf_counter(), time.process_time()
            results = search(q, params)
            timings.setdefault(label, []).append(time.perf_counter() - started)
            CPU.setdefault(label, []).append(time.process_time() - cpu)
            # bandit B101: a bench self-check
            assert not results.error, (label, results.error)  # nosec B101
    return timings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated document counts (ascending)")
    parser.add_argument("--passages", type=int, default=100, help="mean passages per document")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each query per size")
    parser.add_argument("--seed", type=int, default=1962)
    parser.add_argument("--measure-only", action="store_true",
                        help="keep the database loaded by an earlier run (same --seed) and only measure it")
    parser.add_argument("--replicate", type=int, default=1, metavar="N",
                        help="with --measure-only, on PostgreSQL: first copy the index entries until there are N "
                        "times as many (copies of the same documents' entries), to measure an index of N times "
                        "the size when generating N times the documents would take hours")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.replicate > 1:
        if not args.measure_only or connection.vendor != "postgresql":
            parser.error("--replicate needs --measure-only and PostgreSQL")
        replicate(args.replicate)
    if args.measure_only:
        sizes = [Document.objects.count()]
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); sizes {sizes}; "
          f"~{args.passages} passages/document; {args.repeat} runs per query")
    loader = Loader(args.seed, args.passages, max(sizes))
    if args.measure_only:
        loaded = sizes[0]
    else:
        fresh_database()
        loader.entities()
        loaded = 0
    rare = loader.vocab.words[-50]
    frequent = next(w for w in loader.vocab.words if w not in STOPWORDS)
    alias = next(a for _, _, aliases in loader.people for a, lang in aliases if lang == "zh-Hans")
    first = None
    for size in sizes:
        started = time.perf_counter()
        if connection.vendor == "postgresql" and size - loaded >= 10_000:
            # A bulk load builds the GIN index once at the end instead of growing it row by row
            # (what rebuild_search_index amounts to on a new archive); the index is the same.
            schema.drop_schema(connection)
        loader.load(loaded, size)
        loaded = size
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                schema.ensure_schema(connection)
            # As docs/deployment.md advises after a large import (and autovacuum does eventually).
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            if connection.vendor == "sqlite":  # merge the FTS5 segments written chunk by chunk
                cursor.execute(f"INSERT INTO {schema.FTS}({schema.FTS}) VALUES ('optimize')")
        load_s = time.perf_counter() - started
        speaker = Entity.objects.filter(
            pk=SearchEntry.objects.filter(kind="passage").order_by("id").values("speaker_id")[:1]).first()
        queries = []
        for label, q, params in QUERIES:
            q = q or {"rare word": rare, "person alias": alias, "most frequent": frequent}[label]
            params = {k: (speaker.key if k == "speaker" else v) for k, v in params.items()}
            queries.append((label, q, params))
        measure(queries, 1)  # warm caches
        timings = measure(queries, args.repeat)
        everything = [t for values in timings.values() for t in values]
        baseline = [naive("repatriation") for _ in range(3)]
        base = statistics.median(baseline)
        entries = SearchEntry.objects.count()
        p50, p95 = percentile(everything, 50), percentile(everything, 95)
        first = first or p95
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        what = "already loaded" if args.measure_only else f"loaded in {load_s:.0f} s"
        print(f"\n== {size} documents: {entries} index entries ({what}; load average {load})")
        print(f"  {'query':<16} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8}  hits")
        for label, q, params in queries:
            result = search(q, params, facets=False)
            hits = f"{'>' if not result.total_exact else ''}{result.total}"
            values, cpu = timings[label], CPU[label]
            print(f"  {label:<16} {percentile(values, 50) * 1000:8.1f} {percentile(values, 95) * 1000:8.1f} "
                  f"{percentile(cpu, 50) * 1000:8.1f} {percentile(cpu, 95) * 1000:8.1f}  {hits}")
        cpu_all = [t for values in CPU.values() for t in values]
        print(f"  ALL              {p50 * 1000:8.1f} {p95 * 1000:8.1f} {percentile(cpu_all, 50) * 1000:8.1f} "
              f"{percentile(cpu_all, 95) * 1000:8.1f}")
        print(f"  baseline: naive LIKE scan for 'repatriation' (count + first page) {base * 1000:.1f} ms")
        print(f"  ratio p95 / naive scan = {p95 / base:.3f};  p95 / p95 at {sizes[0]} documents = {p95 / first:.2f}")


if __name__ == "__main__":
    main()
