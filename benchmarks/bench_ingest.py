"""Ingest throughput: articles per second end to end on a folder of HTML pages, against
`quotewire extract --jsonl` on the same texts, in the same run (issue #3).

The pages are the article-extraction benchmark's (../shared/data/article-extraction), unpacked
into a temporary folder outside the repository. Ingest does everything (read, HTML extraction,
cleaning, parse, attribution, store); the baseline parses and extracts the texts ingest stored
and prints them as JSON Lines. Rounds alternate; the median of each is compared.

    python benchmarks/bench_ingest.py [--rounds 2] [--processes 1]
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire import nlp as nlp_mod  # noqa: E402
from quotewire.settings import Settings  # noqa: E402
from quotewire.sources import read_jsonl  # noqa: E402
from quotewire.pipeline import annotate_many  # noqa: E402
from quotewire.ingest import ingest  # noqa: E402
from quotewire.store import connect  # noqa: E402


def unpack(data: pathlib.Path, folder: pathlib.Path, limit: int) -> int:
    n = 0
    for sub in ("zyte-article-extraction-benchmark/html", "fundus-evaluation/html"):
        for gz in sorted((data / sub).glob("*.gz"))[:limit]:
            (folder / gz.name.removesuffix(".gz").replace(".html", "") ).with_suffix(".html").write_bytes(gzip.decompress(gz.read_bytes()))
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_EXTRACTION_DATA", str(ROOT.parent / "shared" / "data" / "article-extraction")))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--limit", type=int, default=1000, help="pages per set")
    args = ap.parse_args()
    settings = Settings.from_env(processes=args.processes)
    nlp_mod.load(settings.model)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = pathlib.Path(tmp)
        pages = tmpdir / "pages"
        pages.mkdir()
        n_pages = unpack(pathlib.Path(args.data), pages, args.limit)
        # warm up both paths (imports, first batches) on a few pages before timing
        warm = tmpdir / "warm"
        warm.mkdir()
        for page in sorted(pages.iterdir())[:5]:
            (warm / page.name).write_bytes(page.read_bytes())
        ingest([str(warm)], connect(tmpdir / "warm.db"), settings)
        ingest_times, extract_times = [], []
        stored = statements = 0
        texts_jsonl = b""
        for r in range(args.rounds):
            db = tmpdir / f"r{r}.db"
            conn = connect(db)
            t = time.perf_counter()
            report = ingest([str(pages)], conn, settings)
            ingest_times.append(time.perf_counter() - t)
            stored, statements, failed = report.stored, report.statements, report.failed
            if not texts_jsonl:
                rows = conn.execute("SELECT id, text FROM articles ORDER BY rowid").fetchall()
                texts_jsonl = b"".join(json.dumps({"id": i, "text": x}).encode() + b"\n" for i, x in rows)
            conn.close()
            t = time.perf_counter()
            sink = io.StringIO()
            for item in annotate_many(read_jsonl(io.BytesIO(texts_jsonl), "texts.jsonl"), settings):
                sink.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
            extract_times.append(time.perf_counter() - t)
        ti, te = statistics.median(ingest_times), statistics.median(extract_times)
        report = {
            "pages": n_pages, "stored": stored, "failed_or_skipped": failed, "statements": statements,
            "processes": args.processes, "rounds": args.rounds,
            "ingest_articles_per_s": round(stored / ti, 2), "extract_jsonl_articles_per_s": round(stored / te, 2),
            "ratio_ingest_to_extract": round(te / ti, 3),
            "ingest_seconds": [round(x, 1) for x in ingest_times], "extract_seconds": [round(x, 1) for x in extract_times],
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
