"""Search latency at archive size (issues #3, #15): 100k and 1M statements, the same command.

The store is generated (no parsing): articles from 20 outlets over two years, statements of
12-40 words drawn from a Zipf-like vocabulary, 800 speakers with aliases. A mix of queries
(common and rare words, phrases, prefixes, filters by speaker, outlet, date and kind, and
filters alone) runs through `store.queries.search` and `store.queries.facets`, the functions
the CLI, the API and the pages call. Printed: p50/p95/max overall and by query type, for
search alone, for search followed by facets (two calls, each planning and walking the query),
and for `search_page` (both on one plan and one walk: what a search page costs now), and how
many pages' facets counted the newest matches rather than all of them (``sampled_facets``); the
baseline is the same word queries answered by a LIKE scan of the statement text.

Building a store of a million statements takes a while, so the generated store is cached
(by size and seed) and reused: by default under the system temp directory; `--store` names
the file. A cached store written by an older schema is migrated in place when opened.

    python benchmarks/bench_search.py [--statements 100000] [--queries 400] [--json]
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
from quotewire.store.queries import facets, search, search_page  # noqa: E402

SYLLABLES = "ka lo mi ne ru sa ti vo da pe ri zu an el or in us ta ko me".split()
QUERY_TYPES = ["common word", "rare word", "phrase", "prefix", "word+speaker", "word+outlet+since", "word+kind",
               "speaker+since only"]


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
    return {"vocab": vocab, "speakers": [s.name for s in speakers], "outlets": outlets, "articles": a, "statements": made}


def open_store(path: pathlib.Path, n_statements: int, seed: int) -> tuple[object, dict]:
    """The cached store and what generated it, built first if absent."""
    meta_path = path.with_suffix(".meta.json")
    if path.exists() and meta_path.exists():
        return connect(path), json.loads(meta_path.read_text())
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    conn = connect(path)
    t = time.perf_counter()
    g = generate(conn, n_statements, 10, random.Random(seed))
    g["build_seconds"] = round(time.perf_counter() - t, 1)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    meta_path.write_text(json.dumps(g))
    return conn, g


def query_mix(g: dict, rng: random.Random, n: int) -> list[tuple[str, dict]]:
    vocab = g["vocab"]
    mix = []
    for i in range(n):
        common, mid, rare = rng.choice(vocab[:50]), rng.choice(vocab[200:2000]), rng.choice(vocab[5000:])
        sp = rng.choice(g["speakers"]).split()[-1]
        kind = i % 8
        q: dict = [
            {"query": common},
            {"query": rare},
            {"query": f'"{common} {rng.choice(vocab[:50])}"'},
            {"query": mid[:3] + "*"},
            {"query": mid, "speaker": sp},
            {"query": common, "outlet": rng.choice(g["outlets"]), "since": "2024-01-01"},
            {"query": mid, "kind": "direct"},
            {"query": None, "speaker": sp, "since": "2023-06-01"},
        ][kind]
        mix.append((QUERY_TYPES[kind], q))
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


def summary(values: list[float]) -> dict:
    return {"p50": round(statistics.median(values), 2), "p95": round(pct(values, 95), 2), "max": round(max(values), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--store", help="the generated store (cached; default: <tmp>/quotewire-bench-search-<N>-<seed>.db)")
    ap.add_argument("--build-only", action="store_true", help="build (or migrate) the cached store and stop")
    ap.add_argument("--baseline", type=int, default=40, help="word queries also answered by a LIKE scan (0: none)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON (the default is also JSON, indented)")
    args = ap.parse_args()
    store = pathlib.Path(args.store or pathlib.Path(tempfile.gettempdir()) / f"quotewire-bench-search-{args.statements}-{args.seed}.db")
    t = time.perf_counter()
    conn, g = open_store(store, args.statements, args.seed)
    opened = time.perf_counter() - t
    if args.build_only:
        print(json.dumps({"store": str(store), "statements": g["statements"], "build_seconds": g["build_seconds"],
                          "open_seconds": round(opened, 1)}))
        return
    mix = query_mix(g, random.Random(args.seed + 1), args.queries)
    for _, q in mix[:16]:  # warm the page cache the way a running server has it
        search(conn, q["query"], **{k: v for k, v in q.items() if k != "query"})
    lat, with_facets, page_lat, totals, approx, sampled = [], [], [], [], 0, 0
    by_type: dict[str, dict[str, list[float]]] = {name: {"search": [], "with_facets": [], "page": []} for name in QUERY_TYPES}
    for name, q in mix:
        filters = {k: v for k, v in q.items() if k != "query"}
        t = time.perf_counter()
        res = search(conn, q["query"], **filters, limit=20)
        s = (time.perf_counter() - t) * 1000
        facets(conn, q["query"], **filters)
        f = (time.perf_counter() - t) * 1000
        # what the search page calls: the same search and facets on one plan and one walk
        t = time.perf_counter()
        shown = search_page(conn, q["query"], **filters, limit=20)
        p = (time.perf_counter() - t) * 1000
        lat.append(s)
        with_facets.append(f)
        page_lat.append(p)
        by_type[name]["search"].append(s)
        by_type[name]["with_facets"].append(f)
        by_type[name]["page"].append(p)
        totals.append(res["total"])
        approx += bool(res.get("total_approximate"))
        sampled += any(f["approximate"] for items in shown["facets"].values() for f in items)
    base, fts_same = [], []
    words = [q for _, q in mix if q.get("query") and len(q) == 1][: args.baseline]
    for q in words:
        t = time.perf_counter()
        like_baseline(conn, q["query"])
        base.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        search(conn, q["query"], limit=20)
        fts_same.append((time.perf_counter() - t) * 1000)
    report = {
        "statements": g["statements"], "articles": g["articles"], "speakers": len(g["speakers"]),
        "store_bytes": store.stat().st_size, "build_seconds": g["build_seconds"], "queries": len(lat),
        "search_ms": summary(lat), "search_with_facets_ms": summary(with_facets), "search_page_ms": summary(page_lat),
        "median_hits": statistics.median(totals), "approximate_totals": approx, "sampled_facets": sampled,
        "by_query_type": {name: {"search_ms": summary(v["search"]), "search_with_facets_ms": summary(v["with_facets"]),
                                 "search_page_ms": summary(v["page"])}
                          for name, v in by_type.items() if v["search"]},
    }
    if base:
        report.update(like_scan_ms_median=round(statistics.median(base), 2),
                      fts_ms_median_same_queries=round(statistics.median(fts_same), 2),
                      ratio_like_to_fts=round(statistics.median(base) / statistics.median(fts_same), 2))
    print(json.dumps(report, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
