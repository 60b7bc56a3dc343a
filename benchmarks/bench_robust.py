"""Hostile inputs are bounded (issue 12): time and peak memory of a gzip bomb and of one huge
quotation, each measured in a fresh child process (peak = that child's max RSS).

- bomb: a gzip of N MB of zeros (1 GB -> about 1 MB of gzip) as .warc.gz, .txt.gz, .html.gz and
  .jsonl.gz, read by ``read_sources`` with the default limits. Every case must end in one
  failure line, in bounded time and memory.
- quote: one quotation of N characters in one sentence, parsed and extracted. ``--baseline
  SRC`` runs the same text on another checkout's src (e.g. /work/main/src) in the same run,
  for the ratio; the cost must grow linearly (2x the text, about 2x the time).

    python benchmarks/bench_robust.py bomb [--mb 1024]
    python benchmarks/bench_robust.py quote [--chars 100000 200000 500000] [--baseline /work/main/src]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[1]

CHILD_BOMB = """
import json, resource, sys, time
from quotewire.sources import read_sources
t = time.perf_counter()
items = list(read_sources([sys.argv[1]]))
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "items": [getattr(i, "message", type(i).__name__)[:160] for i in items]}))
"""

CHILD_QUOTE = """
import json, resource, sys, time
from quotewire.model import Article
from quotewire.pipeline import annotate_many
from quotewire.settings import Settings
from quotewire import nlp
nlp.load(None)
n = int(sys.argv[1])
words = "the council will build the new harbour wall and pay for it with the port fees".split()
body = []
size = 0
i = 0
while size < n:
    w = words[i % len(words)]
    body.append(w)
    size += len(w) + 1
    i += 1
text = 'Harbour director Mara Quist said: "' + " ".join(body) + '." She left the hall after that.'
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
(res,) = annotate_many([Article(text, id="q")], Settings())
print(json.dumps({"chars": len(text), "seconds": time.perf_counter() - t, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "model_mb": base, "result": type(res).__name__, "attributions": len(getattr(res, "attributions", ()))}))
"""


def child(code: str, args: list[str], src: str) -> dict:
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=3600)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1:] or out.returncode}
    return json.loads(out.stdout.strip().splitlines()[-1])


def bomb(mb: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = bytes(1 << 20)
        data = b"".join(c.compress(block) for _ in range(mb)) + c.flush()
        for name in ("bomb.warc.gz", "bomb.txt.gz", "bomb.html.gz", "bomb.jsonl.gz"):
            path = pathlib.Path(d) / name
            path.write_bytes(data)
            r = child(CHILD_BOMB, [str(path)], str(ROOT / "src"))
            if "error" in r:
                print(f"bomb {name}: {r['error']}")
                continue
            print(f"bomb {name}: {len(data) / 1e6:.1f} MB gzip of {mb} MB zeros -> {r['seconds']:.2f} s, peak {r['peak_mb']:.0f} MB; "
                  f"{len(r['items'])} item(s): {r['items'][0][:110] if r['items'] else '-'}")


def quote(sizes: list[int], baseline: str | None) -> None:
    for n in sizes:
        r = child(CHILD_QUOTE, [str(n)], str(ROOT / "src"))
        line = f"quote {n:,} chars: {r.get('seconds', 0):.1f} s, peak {r.get('peak_mb', 0):.0f} MB (model loaded: {r.get('model_mb', 0):.0f} MB), {r.get('result')} {r.get('attributions')} attribution(s)"
        if baseline:
            b = child(CHILD_QUOTE, [str(n)], baseline)
            if "error" in b:
                line += f" | baseline: {b['error']}"
            else:
                line += f" | baseline {b['seconds']:.1f} s, peak {b['peak_mb']:.0f} MB: {b['seconds'] / max(1e-9, r['seconds']):.1f}x the time"
        print(line, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bomb")
    b.add_argument("--mb", type=int, default=1024)
    q = sub.add_parser("quote")
    q.add_argument("--chars", type=int, nargs="+", default=[100_000, 200_000, 500_000])
    q.add_argument("--baseline", default=None, help="another checkout's src to run the same text on, for the ratio")
    args = ap.parse_args()
    if args.cmd == "bomb":
        bomb(args.mb)
    else:
        quote(args.chars, args.baseline)


if __name__ == "__main__":
    main()
