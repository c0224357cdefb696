#!/usr/bin/env python
"""Generate a synthetic but realistic TEI corpus following docs/encoding.md (deterministic).

    python bench/make_corpus.py --documents 1000 --out /tmp/corpus-1k [--seed 1962] [--passages 100]

Writes `entities.xml` (people and places with aliases in Latin, Cyrillic and Chinese script) and one
file per document: a full teiHeader (titleStmt/respStmt, publicationStmt, sourceDesc, langUsage,
particDesc with roles, settingDesc with the date), a body with a heading, meta lines and speaker
turns (`<sp who="ent:..">` with `<speaker>` and paragraphs), entity mentions (persName/placeName
with ref="ent:.."), dates, translator's <supplied> words and corrected slips (<choice>), and
editorial notes in `<back><div type="notes">` targeting passages and spans. The vocabulary is
Zipf-distributed English-like words mixed with the edition's own terms (repatriation, border, ...).
N=10,000 documents with the default 100 passages each gives about a million passages.
The texts are synthetic: they state nothing about history.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
import time
from pathlib import Path

# bandit B406: escapes text we write, parses no XML
from xml.sax.saxutils import escape, quoteattr  # nosec B406

DOMAIN = (
    "repatriation repatriate repatriated residents border borders crossing crossed flight fled refugees "
    "memorandum government ministry ambassador minister consulate frontier authorities measures dissuade "
    "persuade return illegal migration socialist relations bilateral negotiations proposal reply declaration "
    "territory livestock herdsmen collective farm region autonomous province district garrison passport "
    "document reports opinion conditions situation agreement cooperation friendly normal order issue"
).split()
FUNCTION = "the of and to in that we is was for on with as by this have our it be are not which at from".split()
SYLLABLES = "ka ri mo ta shi na lo ve den tur sar ban gul min tash kol bek zhan ush yar ol em ak sen dor pol".split()
SURNAMES = "Zhang Wang Li Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Ma Zhu Hu Guo Lin He Gao Luo".split()
GIVEN = "Hanfu Gaiqing Zifan Man Wei Ming Jun Tao Hua Ping Bin Lei Qiang Yong Jie Ying Hong Fang".split()
RU_SURNAMES = "Ivanov Petrov Sidorov Kuznetsov Smirnov Popov Volkov Orlov Belov Sokolov Lebedev Kozlov".split()
RU_CYR = dict(
    zip(
        RU_SURNAMES,
        "Иванов Петров Сидоров Кузнецов Смирнов Попов Волков Орлов Белов Соколов Лебедев Козлов".split(),
        strict=True,
    )
)
ZH = dict(zip(SURNAMES, "张 王 李 刘 陈 杨 赵 黄 周 吴 徐 孙 马 朱 胡 郭 林 何 高 罗".split(), strict=True))
HEADER_NS = 'xmlns="http://www.tei-c.org/ns/1.0"'
PREFIX_DEF = (
    '<listPrefixDef><prefixDef ident="ent" matchPattern="([A-Za-z0-9_.-]+)" replacementPattern="entities.xml#$1">'
    "<p>Private URI prefix for the corpus entities.</p></prefixDef></listPrefixDef>"
)


class Vocabulary:
    """Zipf-distributed words: function words and domain terms are common, invented words form the long tail."""

    def __init__(self, rng: random.Random, size: int = 6000):
        invented = set()
        while len(invented) < size:
            invented.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        tail = sorted(invented)
        rng.shuffle(tail)
        # Domain terms are spread over ranks ~60..3000, as topical words are in real archives;
        # function words keep the top ranks.
        self.words = FUNCTION + tail
        for i, word in enumerate(DOMAIN):
            self.words.insert(min(len(self.words), 60 + int(6 * (i + 1) ** 1.55)), word)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))

    def sample(self, rng: random.Random, k: int) -> list[str]:
        total = self.cumulative[-1]
        return [self.words[bisect.bisect_left(self.cumulative, rng.random() * total)] for _ in range(k)]


def make_entities(rng: random.Random, documents: int):
    people, places = [], []
    for i in range(60 + documents // 5):
        if i % 3 == 2:
            surname = rng.choice(RU_SURNAMES)
            name = f"{rng.choice('ABCDEFGKLMNPSTV')}. {rng.choice('ABVGDEIKLMNPS')}. {surname}"
            aliases = [(RU_CYR[surname], "ru")]
        else:
            surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
            name = f"{surname} {given}"
            aliases = [(ZH[surname] + "".join(rng.choice("汉夫明军涛华平斌") for _ in range(2)), "zh-Hans")]
            if rng.random() < 0.3:
                aliases.append((f"{surname} {given[:2]}-{given[2:].lower() or 'fu'}", "en"))
        people.append((f"p{i:05d}", name, aliases))
    for i in range(30 + documents // 20):
        base = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        places.append((f"pl{i:05d}", base, [(base.replace("k", "q").replace("sh", "x") + "ia", "en")]))
    return people, places


def entities_xml(people, places) -> str:
    def names(element, name, aliases):
        out = [f"<{element}>{escape(name)}</{element}>"]
        out += [f'<{element} type="alias" xml:lang="{lang}">{escape(a)}</{element}>' for a, lang in aliases]
        return "".join(out)

    persons = "\n".join(
        f'<person xml:id="{key}">{names("persName", n, a)}<note>Synthetic person.</note></person>'
        for key, n, a in people
    )
    place_xml = "\n".join(
        f'<place xml:id="{key}">{names("placeName", n, a)}<note>Synthetic place.</note></place>'
        for key, n, a in places
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI {HEADER_NS} xml:id="entities" xml:lang="en">'
        "<teiHeader><fileDesc><titleStmt><title>Synthetic entity lists</title>"
        "<respStmt><resp>Synthetic entity lists</resp><name>bench/make_corpus.py</name></respStmt></titleStmt>"
        "<publicationStmt><publisher>Benchmark corpus; not for publication.</publisher></publicationStmt>"
        "<sourceDesc><p>Generated by bench/make_corpus.py.</p></sourceDesc></fileDesc>"
        f"<encodingDesc>{PREFIX_DEF}</encodingDesc></teiHeader>"
        f"<standOff><listPerson>\n{persons}\n</listPerson><listPlace>\n{place_xml}\n</listPlace></standOff></TEI>\n"
    )


def _sentence(rng, vocab, people, places, participants, date) -> str:
    words = vocab.sample(rng, rng.randint(8, 22))
    out = []
    for i, word in enumerate(words):
        text = word.capitalize() if i == 0 else word
        roll = rng.random()
        if roll < 0.025:
            key, name, _ = rng.choice(places)
            text = f'<placeName ref="ent:{key}">{escape(name)}</placeName>'
        elif roll < 0.04:
            key, name, _ = rng.choice(participants if rng.random() < 0.7 else people)
            text = f'<persName ref="ent:{key}">{escape(name)}</persName>'
        elif roll < 0.043:
            text = f'<date when="{date}">{date}</date>'
        elif roll < 0.046:
            text = f'<supplied resp="#translator">{escape(word)}</supplied>'
        elif roll < 0.048:
            text = f'<choice><sic>{escape(word[::-1])}</sic><corr resp="#editors">{escape(word)}</corr></choice>'
        out.append(text)
    return " ".join(out) + "."


def document_xml(n: int, rng, vocab, people, places, passages: int):
    slug = f"doc-{n:06d}"
    year = 1949 + n % 30
    date = f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    participants = rng.sample(people, k=min(len(people), rng.randint(2, 4)))
    speakers = participants[:2]
    title = " ".join(vocab.sample(rng, 6)).capitalize()
    roles = "".join(
        f'<person sameAs="ent:{key}" role="{"speaker" if i < 2 else "attendee"}"><persName>{escape(name)}</persName>'
        "</person>"
        for i, (key, name, _) in enumerate(participants)
    )
    body = [
        f'<head type="title" xml:id="{slug}-title">{escape(title)}</head>',
        f'<p xml:id="{slug}-meta-date"><label>Date:</label> <date when="{date}">{date}</date></p>',
    ]
    anchors = [f"{slug}-title", f"{slug}-meta-date"]
    remaining, turn = passages - 2, 0
    while remaining > 0:
        turn += 1
        key, _, _ = speakers[turn % 2]
        paras = []
        for _ in range(min(remaining, rng.randint(1, 5))):
            anchor = f"{slug}-t{turn}-p{len(paras) + 1}"
            text = " ".join(_sentence(rng, vocab, people, places, participants, date) for _ in range(rng.randint(1, 4)))
            paras.append(f'<p xml:id="{anchor}">{text}</p>')
            anchors.append(anchor)
        remaining -= len(paras)
        label = escape(speakers[turn % 2][1].split()[-1]) + ":"
        body.append(f'<sp who="ent:{key}" xml:id="{slug}-t{turn}"><speaker>{label}</speaker>{"".join(paras)}</sp>')
    notes = []
    for i in range(max(1, passages // 20)):
        target = rng.choice(anchors)
        words = escape(" ".join(vocab.sample(rng, rng.randint(10, 40))))
        notes.append(
            f'<note xml:id="n-{slug}-{i}" type="{rng.choice(["editorial", "commentary", "translation"])}" '
            f'target="#{target}"><p>{words.capitalize()}.</p></note>'
        )
    header = (
        f"<teiHeader><fileDesc><titleStmt><title>{escape(title)}</title><respStmt xml:id=\"editors\">"
        "<resp>Synthetic encoding</resp><name>bench/make_corpus.py</name></respStmt></titleStmt>"
        f'<publicationStmt><publisher>Benchmark corpus; not for publication.</publisher><idno type="slug">{slug}</idno>'
        "</publicationStmt><sourceDesc><bibl type=\"witness\"><title>Synthetic witness</title>"
        "<respStmt xml:id=\"translator\"><resp>translation</resp><name>none</name></respStmt></bibl></sourceDesc>"
        f"</fileDesc><encodingDesc>{PREFIX_DEF}</encodingDesc>"
        '<profileDesc><langUsage><language ident="en">English</language></langUsage>'
        f"<particDesc><listPerson>{roles}</listPerson></particDesc>"
        f'<settingDesc><setting><date when="{date}">{date}</date><locale>Meeting room</locale></setting>'
        "</settingDesc></profileDesc></teiHeader>"
    )
    kind = rng.choice(["minutes", "memorandum"])
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI {HEADER_NS} xml:id={quoteattr(slug)} xml:lang="en">{header}'
        f'<text type="{kind}"><body>\n' + "\n".join(body) + "\n</body>"
        '<back><div type="notes">\n' + "\n".join(notes) + "\n</div></back></text></TEI>\n"
    )
    return slug, xml, len(anchors), len(notes)


def generate(out: Path, documents: int, seed: int = 1962, passages: int = 100, progress=None) -> dict:
    rng = random.Random(seed)
    vocab = Vocabulary(rng)
    people, places = make_entities(rng, documents)
    out.mkdir(parents=True, exist_ok=True)
    (out / "entities.xml").write_text(entities_xml(people, places), encoding="utf-8")
    totals = {"documents": 0, "passages": 0, "notes": 0, "entities": len(people) + len(places), "bytes": 0}
    for n in range(1, documents + 1):
        doc_rng = random.Random(f"{seed}:{n}")  # each document reproducible on its own
        count = max(5, int(doc_rng.gauss(passages, passages / 4)))
        slug, xml, num_passages, num_notes = document_xml(n, doc_rng, vocab, people, places, count)
        data = xml.encode("utf-8")
        (out / f"{slug}.xml").write_bytes(data)
        totals["documents"] += 1
        totals["passages"] += num_passages
        totals["notes"] += num_notes
        totals["bytes"] += len(data)
        if progress and n % 1000 == 0:
            progress(n, documents)
    return totals


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", "-n", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=1962, help="random seed (same seed, same corpus)")
    parser.add_argument("--passages", type=int, default=100, help="mean passages per document (default 100)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    totals = generate(
        args.out, args.documents, args.seed, args.passages,
        progress=lambda n, total: print(f"  {n}/{total} documents", file=sys.stderr),
    )
    elapsed = time.perf_counter() - started
    print(
        f"Wrote {totals['documents']} documents, {totals['passages']} passages, {totals['notes']} notes, "
        f"{totals['entities']} entities ({totals['bytes'] / 1e6:.1f} MB) to {args.out} in {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()
