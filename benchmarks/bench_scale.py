"""Throughput on one process, N local processes and Spark local[N], on the same generated WARC
input in one run (issue #6): articles/s and words/s per core, efficiency against N x one
process, and peak memory per worker.

The input is generated: HTML pages built from this project's sample articles, with names,
numbers and paragraph order varied, packed into WARC files of 20 records each.

    python benchmarks/bench_scale.py [--pages 120] [--processes 2]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import pathlib
import random
import resource
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire.settings import Settings  # noqa: E402
from quotewire.ingest import ingest  # noqa: E402
from quotewire.store import connect  # noqa: E402

NAMES = ["Holm", "Marsh", "Okafor", "Lunde", "Raman", "Ellis", "Berg", "Novak", "Sato", "Costa"]


def pages(n: int, rng: random.Random) -> list[tuple[str, bytes]]:
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    out = []
    for i in range(n):
        text = rng.choice(samples)
        paras = [p for p in text.split("\n\n") if p.strip()]
        title, body = paras[0], paras[1:]
        rng.shuffle(body)
        a, b = rng.sample(NAMES, 2)
        body = [p.replace(a, b).replace("2030", str(2030 + i % 9)) for p in body]
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        html = (f"<html><head><title>{title} ({i})</title><meta property='article:published_time' content='{day}'></head>"
                f"<body><article><h1>{title} ({i})</h1>" + "".join(f"<p>{p}</p>" for p in body) + "</article></body></html>")
        out.append((f"https://bench.example/{i}", html.encode("utf-8")))
    return out


def write_warcs(folder: pathlib.Path, docs: list[tuple[str, bytes]], per_file: int = 20) -> list[pathlib.Path]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    paths = []
    for k in range(0, len(docs), per_file):
        path = folder / f"bench-{k // per_file:03d}.warc.gz"
        with open(path, "wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for url, body in docs[k : k + per_file]:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--skip-spark", action="store_true")
    args = ap.parse_args()
    n = args.processes
    rng = random.Random(3)
    report: dict = {"pages": args.pages, "processes": n, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = pathlib.Path(tmp)
        warcs = write_warcs(tmpdir, pages(args.pages, rng))
        words = None
        runs = {}
        for label, procs in (("one process", 1), (f"{n} local processes", n)):
            conn = connect(tmpdir / f"{procs}.db")
            t = time.perf_counter()
            r = ingest([str(p) for p in warcs], conn, Settings.from_env(processes=procs))
            secs = time.perf_counter() - t
            if words is None:
                words = sum(len(x[0].split()) for x in conn.execute("SELECT text FROM articles"))
            conn.close()
            runs[label] = {"seconds": round(secs, 1), "articles": r.stored, "statements": r.statements}
        runs[f"{n} local processes"]["peak_rss_mb_per_worker"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        runs["one process"]["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        if not args.skip_spark:
            from quotewire.scale.spark import run

            listing = tmpdir / "warcs.txt"
            listing.write_text("".join(f"{p}\n" for p in warcs), encoding="utf-8")
            t = time.perf_counter()
            result = run(str(listing), str(tmpdir / "spark-out"), f"local[{n}]", partitions=len(warcs))
            secs = time.perf_counter() - t
            import pyarrow.parquet as pq

            workers = pq.read_table(tmpdir / "spark-out" / "workers").to_pylist()
            runs[f"spark local[{n}]"] = {
                "seconds": round(secs, 1), "articles": result["processed"], "statements": result["statements"],
                "peak_rss_mb_per_worker": round(max(w["peak_rss_mb"] for w in workers), 1),
                "seconds_in_partitions": round(sum(w["seconds"] for w in workers), 1),
            }
        one = runs["one process"]["seconds"]
        for label, r in runs.items():
            cores = 1 if label == "one process" else n
            r["articles_per_s"] = round(r["articles"] / r["seconds"], 2)
            r["words_per_s_per_core"] = round(words / r["seconds"] / cores)
            r["efficiency"] = round(one / (r["seconds"] * cores), 3)
        report["words"] = words
        report["runs"] = runs
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
