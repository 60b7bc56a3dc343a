"""Soak (issue 12), not in CI: PolNeAR dev x N with new ids ingested while ``serve`` answers
8 concurrent clients for 60 s and a second ``ingest`` writes the same store. Must show:
0 errors (every answer a 200), 0 lost rows (every id of both inputs stored), both ingests finish.

    python benchmarks/soak.py [--copies 6] [--clients 8] [--seconds 60] [--data ../shared/data] [--src /work/main/src]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
QW = [sys.executable, "-c", "from quotewire.cli import main; main()"]
PATHS = ["/", "/api/search?q=said", "/api/search?q=Clinton", "/api/speakers", "/api/events", "/search?q=president",
         "/speakers", "/events", "/api/search?speaker=Trump", "/api/search?page=2"]


def copies(src: pathlib.Path, out: pathlib.Path, tags: list[str]) -> list[str]:
    ids = []
    with out.open("w", encoding="utf-8") as fh:
        for tag in tags:
            for line in src.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    r = json.loads(line)
                    r["id"] = f"{r['id']}-{tag}"
                    ids.append(r["id"])
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=6)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--src", default=str(ROOT / "src"), help="the checkout's src to run (another one for a baseline)")
    args = ap.parse_args()
    dev = pathlib.Path(args.data) / "polnear" / "dev.jsonl"
    env = {**os.environ, "PYTHONPATH": args.src}
    with tempfile.TemporaryDirectory() as d:
        d = pathlib.Path(d)
        db = d / "soak.db"
        first_ids = copies(dev, d / "first.jsonl", [f"soak{k}" for k in range(args.copies)])
        second_ids = copies(dev, d / "second.jsonl", ["second"])
        subprocess.run([sys.executable, "-c", f"from quotewire.store import connect; connect({str(db)!r}).close()"], env=env, check=True)  # an empty store to serve
        port = free_port()
        server = subprocess.Popen(QW + ["serve", "--db", str(db), "--port", str(port)], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/search", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        started = time.monotonic()
        first = subprocess.Popen(QW + ["ingest", str(d / "first.jsonl"), "--db", str(db), "-q", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(5)
        second = subprocess.Popen(QW + ["ingest", str(d / "second.jsonl"), "--db", str(db), "-q", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        answers, errors, lock = [0], [], threading.Lock()

        def client(n: int) -> None:
            rnd = random.Random(n)
            until = time.monotonic() + args.seconds
            while time.monotonic() < until:
                path = rnd.choice(PATHS)
                try:
                    with urllib.request.urlopen(base + path, timeout=30) as resp:
                        resp.read()
                        ok = resp.status == 200
                except urllib.error.HTTPError as exc:
                    ok = False
                    path = f"{path} -> {exc.code}"
                except Exception as exc:  # noqa: BLE001 - counted, shown
                    ok = False
                    path = f"{path} -> {exc!r}"
                with lock:
                    answers[0] += 1
                    if not ok:
                        errors.append(path)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        served = time.monotonic() - started
        out1, err1 = first.communicate()
        out2, err2 = second.communicate()
        took = time.monotonic() - started
        server.terminate()
        server.wait(10)
        conn = sqlite3.connect(db)
        stored = {r[0] for r in conn.execute("SELECT id FROM articles")}
        statements = conn.execute("SELECT count(*) FROM attributions").fetchone()[0]
        conn.close()
        lost = [i for i in first_ids + second_ids if i not in stored]
        r1 = json.loads(out1) if out1.strip().startswith("{") else {"error": err1.strip()[-300:]}
        r2 = json.loads(out2) if out2.strip().startswith("{") else {"error": err2.strip()[-300:]}
        print(f"soak: {len(first_ids)} + {len(second_ids)} articles; {args.clients} clients for {served:.0f} s: {answers[0]} answers, {len(errors)} errors")
        print(f"  first ingest: exit {first.returncode}, {r1.get('stored')} stored, {r1.get('failed')} failed {r1.get('error', '')}")
        print(f"  second ingest: exit {second.returncode}, {r2.get('stored')} stored, {r2.get('failed')} failed {r2.get('error', '')}")
        print(f"  store: {len(stored)} articles, {statements} statements; lost rows: {len(lost)}; all done in {took:.0f} s")
        for e in errors[:10]:
            print("  error:", e)
        ok = not errors and not lost and first.returncode == 0 and second.returncode == 0
        print("soak:", "PASS" if ok else "FAIL")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
