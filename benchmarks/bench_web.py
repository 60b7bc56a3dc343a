"""Page and API latency on a store of 100,000 statements (issue #4).

The store is generated as in bench_search.py; a real uvicorn server runs on 127.0.0.1 and an
HTTP client asks a bounded number of requests of each kind: search pages and their JSON, speaker
pages, article pages. The baseline, measured in the same run, is the server's cheapest answer
(a static file), so the ratio says what our pages add to the HTTP stack itself.

    python benchmarks/bench_web.py [--statements 100000] [--requests 100]
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random
import socket
import statistics
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_search import generate, pct  # noqa: E402
from quotewire.store import connect  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=100)
    args = ap.parse_args()
    import httpx
    import uvicorn

    from quotewire.web import create_app

    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        db = pathlib.Path(tmp) / "web.db"
        conn = connect(db)
        g = generate(conn, args.statements, 10, rng)
        speaker_ids = [r[0] for r in conn.execute("SELECT id FROM speakers")]
        article_ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        conn.close()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        vocab = g["vocab"]
        kinds = {
            "static file (baseline)": lambda: "/static/style.css",
            "search page": lambda: f"/search?q={rng.choice(vocab[:300])}",
            "search api": lambda: f"/api/search?q={rng.choice(vocab[:300])}&kind=direct",
            "search page, filters only": lambda: f"/search?speaker={rng.choice(g['speakers']).split()[-1]}",
            "search page, newest first": lambda: f"/search?q={rng.choice(vocab[:300])}&sort=date",
            "search download, csv": lambda: f"/api/search.csv?q={rng.choice(vocab[:300])}",
            "speakers list, name search": lambda: f"/speakers?q={rng.choice(g['speakers']).split()[-1]}",
            "speaker page": lambda: f"/speakers/{rng.choice(speaker_ids)}",
            "speaker api": lambda: f"/api/speakers/{rng.choice(speaker_ids)}",
            "article page": lambda: f"/articles/{rng.choice(article_ids)}",
            "article api": lambda: f"/api/articles/{rng.choice(article_ids)}",
        }
        report: dict = {"statements": g["statements"], "articles": g["articles"], "requests_each": args.requests}
        with httpx.Client(base_url=base, timeout=30) as client:
            for name, make in kinds.items():
                times = []
                for _ in range(args.requests):
                    path = make()
                    t = time.perf_counter()
                    r = client.get(path)
                    times.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200, (path, r.status_code, r.text[:200])
                report[name] = {"median_ms": round(statistics.median(times), 2), "p95_ms": round(pct(times, 95), 2)}
        floor = report["static file (baseline)"]["median_ms"]
        for name in kinds:
            report[name]["ratio_to_static"] = round(report[name]["median_ms"] / floor, 1)
        server.should_exit = True
        thread.join(timeout=10)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
