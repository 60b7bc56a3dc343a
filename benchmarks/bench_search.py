"""Search latency on a store of 100,000 statements (issue #3).

The store is generated (no parsing): articles from 20 outlets over two years, statements of
12-40 words drawn from a Zipf-like vocabulary, 800 speakers with aliases. A mix of queries
(common and rare words, phrases, prefixes, filters by speaker, outlet, date and kind, and
filters alone) runs through `store.queries.search`, the function the CLI and the web call;
the baseline is the same word queries answered by a LIKE scan of the statement text.

    python benchmarks/bench_search.py [--statements 100000] [--queries 300]
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire.model import Article, Attribution, Span, Speaker  # noqa: E402
from quotewire.store import StoreWriter, connect  # noqa: E402
from quotewire.store.writer import IngestReport  # noqa: E402
from quotewire.store.queries import search  # noqa: E402

SYLLABLES = "ka lo mi ne ru sa ti vo da pe ri zu an el or in us ta ko me".split()


def make_vocab(rng: random.Random, n: int) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def generate(conn, n_statements: int, per_article: int, rng: random.Random) -> dict:
    vocab = make_vocab(rng, 20000)
    weights = [1 / (i + 1) for i in range(len(vocab))]
    first = ["Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"]
    speakers = [Speaker(f"{rng.choice(first)} {w.capitalize()}", "person", (w.capitalize(),), ("minister",)) for w in rng.sample(vocab, 800)]
    outlets = [f"Outlet{i}" for i in range(20)]
    writer = StoreWriter(conn)
    report = IngestReport()
    batch = []
    made = 0
    a = 0
    while made < n_statements:
        parts, atts, pos = [], [], 0
        for _ in range(per_article):
            sentence = " ".join(rng.choices(vocab, weights, k=rng.randint(12, 40)))
            quote = f'"{sentence}," {rng.choice(["he", "she", "the minister"])} said.'
            atts.append(Attribution("direct" if made % 3 else "indirect", (Span(pos, pos + len(sentence) + 3),), (Span(pos + len(quote) - 5, pos + len(quote) - 1),), (), rng.choice(speakers)))
            parts.append(quote)
            pos += len(quote) + 2
            made += 1
        day = f"20{rng.choice(['23', '24'])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        batch.append(Article(text="\n\n".join(parts), id=f"gen-{a}", outlet=rng.choice(outlets), published=day, attributions=tuple(atts)))
        a += 1
        if len(batch) >= 500:
            writer.write(batch, report)
            batch = []
    writer.write(batch, report)
    return {"vocab": vocab, "speakers": speakers, "outlets": outlets, "articles": a, "statements": made}


def query_mix(g: dict, rng: random.Random, n: int) -> list[dict]:
    vocab = g["vocab"]
    mix = []
    for i in range(n):
        common, mid, rare = rng.choice(vocab[:50]), rng.choice(vocab[200:2000]), rng.choice(vocab[5000:])
        sp = rng.choice(g["speakers"]).name.split()[-1]
        kind = i % 8
        if kind == 0:
            mix.append({"query": common})
        elif kind == 1:
            mix.append({"query": rare})
        elif kind == 2:
            mix.append({"query": f'"{common} {rng.choice(vocab[:50])}"'})
        elif kind == 3:
            mix.append({"query": mid[:3] + "*"})
        elif kind == 4:
            mix.append({"query": mid, "speaker": sp})
        elif kind == 5:
            mix.append({"query": common, "outlet": rng.choice(g["outlets"]), "since": "2024-01-01"})
        elif kind == 6:
            mix.append({"query": mid, "kind": "direct"})
        else:
            mix.append({"query": None, "speaker": sp, "since": "2023-06-01"})
    return mix


def like_baseline(conn, q: str) -> int:
    """The same answer without the index: count the matches, fetch the first page."""
    pattern = f"%{q.strip(chr(34)).rstrip('*')}%"
    conn.execute("SELECT count(*) FROM attributions WHERE content_text LIKE ?", (pattern,)).fetchone()
    return len(conn.execute(
        "SELECT a.id FROM attributions a JOIN articles ar ON ar.id = a.article_id WHERE a.content_text LIKE ? LIMIT 20",
        (pattern,),
    ).fetchall())


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(pathlib.Path(tmp) / "bench.db")
        t = time.perf_counter()
        g = generate(conn, args.statements, 10, rng)
        build = time.perf_counter() - t
        mix = query_mix(g, rng, args.queries)
        lat, base, totals = [], [], []
        by_type: dict[int, list[float]] = {}
        for i, q in enumerate(mix):
            t = time.perf_counter()
            res = search(conn, q.pop("query"), **q, limit=20)
            lat.append((time.perf_counter() - t) * 1000)
            by_type.setdefault(i % 8, []).append(lat[-1])
            totals.append(res["total"])
        words = [m for m in query_mix(g, random.Random(args.seed), args.queries) if m.get("query")]
        for q in words[:100]:
            t = time.perf_counter()
            like_baseline(conn, q["query"])
            base.append((time.perf_counter() - t) * 1000)
        fts_same = []
        for q in words[:100]:
            t = time.perf_counter()
            search(conn, q["query"], limit=20)
            fts_same.append((time.perf_counter() - t) * 1000)
        report = {
            "statements": g["statements"], "articles": g["articles"], "speakers": len(g["speakers"]),
            "build_seconds": round(build, 1), "queries": len(lat),
            "search_ms_median": round(statistics.median(lat), 2), "search_ms_p95": round(pct(lat, 95), 2),
            "search_ms_max": round(max(lat), 2), "median_hits": statistics.median(totals),
            "median_ms_by_query_type": {name: round(statistics.median(by_type[i]), 2) for i, name in enumerate(
                ["common word", "rare word", "phrase", "prefix", "word+speaker", "word+outlet+since", "word+kind", "speaker+since only"])},
            "like_scan_ms_median": round(statistics.median(base), 2),
            "fts_ms_median_same_queries": round(statistics.median(fts_same), 2),
            "ratio_like_to_fts": round(statistics.median(base) / statistics.median(fts_same), 2),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
