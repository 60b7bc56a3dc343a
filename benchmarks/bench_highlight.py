"""What the search page's additions cost (issue #13): highlighting the page's statements and
ordering by date, against the plain relevance search of the same query, in one process on one
generated store (as in bench_search.py), queries interleaved so the machine's load hits both.

Printed: median ms of search + facets (the page before), the same plus highlights, and the same
ordered by date; the ratios to the first.

    python benchmarks/bench_highlight.py [--statements 100000] [--queries 200]
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random
import re
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_search import generate  # noqa: E402
from quotewire.store import connect, queries  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--store", help="reuse (or create) this store file")
    args = ap.parse_args()
    rng = random.Random(5)
    path = pathlib.Path(args.store or pathlib.Path(tempfile.gettempdir()) / f"quotewire-highlight-{args.statements}.db")
    fresh = not path.exists()
    conn = connect(path)
    if fresh:
        vocab = generate(conn, args.statements, 10, rng)["vocab"][:300]
    else:  # a reused store: the words of its first statements
        vocab = sorted({w for (t,) in conn.execute("SELECT content_text FROM attributions LIMIT 300") for w in re.findall(r"[a-z]+", t)})
    times: dict[str, list[float]] = {"search + facets": [], "+ highlights": [], "by date + facets + highlights": []}
    for _ in range(args.queries):
        q = rng.choice(vocab)
        t = time.perf_counter()
        r = queries.search(conn, q, limit=20)
        queries.facets(conn, q)
        times["search + facets"].append(time.perf_counter() - t)
        t = time.perf_counter()
        r = queries.search(conn, q, limit=20)
        queries.facets(conn, q)
        queries.highlights(conn, q, [s["statement_id"] for s in r["statements"]])
        times["+ highlights"].append(time.perf_counter() - t)
        t = time.perf_counter()
        r = queries.search(conn, q, limit=20, sort="date")
        queries.facets(conn, q)
        queries.highlights(conn, q, [s["statement_id"] for s in r["statements"]])
        times["by date + facets + highlights"].append(time.perf_counter() - t)
    base = statistics.median(times["search + facets"])
    print(json.dumps({"statements": conn.execute("SELECT count(*) FROM attributions").fetchone()[0], "queries": args.queries,
                      **{k: {"median_ms": round(statistics.median(v) * 1000, 2),
                             "ratio": round(statistics.median(v) / base, 2)} for k, v in times.items()}}, indent=2))
    conn.close()


if __name__ == "__main__":
    main()
