"""`quotewire extract FILES -p 2` against `-p 1` on the same files (issue 9): wall time of the
whole command, model load included, alternating in the same run; the ratio is what counts.

    python benchmarks/bench_processes.py [--rounds 3] [FILES ...]   (default: samples/*.txt)
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run(files: list[str], processes: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "quotewire.cli", "extract", *files, "-p", str(processes), "--json"],
                   check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    files = args.files or sorted(str(p) for p in (ROOT / "samples").glob("*.txt"))
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.rounds):
        for p in (1, 2):
            times[p].append(run(files, p))
    med = {p: statistics.median(t) for p, t in times.items()}
    print(json.dumps({"files": len(files), "rounds": args.rounds, "p1_seconds": round(med[1], 2), "p2_seconds": round(med[2], 2),
                      "ratio_p2_over_p1": round(med[2] / med[1], 2), "all": {p: [round(x, 2) for x in t] for p, t in times.items()}}, indent=2))


if __name__ == "__main__":
    main()
