"""`quotewire extract FILES -p 2` against `-p 1` on the same files (issue 9), or with
``--ingest`` `quotewire ingest FILES -p 2` against `-p 1` into a fresh store each time (issue 13):
wall time of the whole command, model load included, alternating in the same run; the ratio is
what counts. Efficiency is the one-process time over twice the two-process time (1.0: two
processes do the work in half the time).

    python benchmarks/bench_processes.py [--rounds 3] [FILES ...]   (default: samples/*.txt)
    python benchmarks/bench_processes.py --ingest [--rounds 3] [FILES ...]
        (default: the 80 Fundus pages of ../shared/data/article-extraction/)
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


FUNDUS = ROOT.parent / "shared" / "data" / "article-extraction" / "fundus-evaluation" / "html"


def _cpu() -> float:
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(files: list[str], processes: int, ingest: bool = False) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its workers)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        command = ["ingest", *files, "--db", f"{tmp}/news.db", "-q"] if ingest else ["extract", *files, "--json"]
        started, cpu = time.perf_counter(), _cpu()
        done = subprocess.run([sys.executable, "-m", "quotewire.cli", *command, "-p", str(processes)],
                              stdout=subprocess.DEVNULL, env=env)
        elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    if done.returncode not in (0, 1):  # 1: some input failed, reported in its place
        raise SystemExit(f"quotewire exited {done.returncode}")
    return elapsed, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ingest", action="store_true", help="time `ingest` into a fresh store instead of `extract`")
    args = ap.parse_args()
    default = sorted(FUNDUS.glob("*.html.gz")) if args.ingest else sorted((ROOT / "samples").glob("*.txt"))
    files = args.files or [str(p) for p in default]
    if not files:
        sys.exit(f"skip: no input ({FUNDUS} not found)")
    times: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    for i in range(args.rounds):
        for p in ((1, 2) if i % 2 == 0 else (2, 1)):  # alternate which goes first: drift hits both
            wall, used = run(files, p, args.ingest)
            times[p].append(wall)
            cpu[p].append(used)
    med = {p: statistics.median(t) for p, t in times.items()}
    pairs = [a / b for a, b in zip(times[2], times[1])]
    print(json.dumps({"command": "ingest" if args.ingest else "extract", "files": len(files), "rounds": args.rounds,
                      "p1_seconds": round(med[1], 2), "p2_seconds": round(med[2], 2),
                      "ratio_p2_over_p1": round(med[2] / med[1], 3),
                      "efficiency": round(med[1] / (2 * med[2]), 3),
                      "ratio_by_round": [round(r, 3) for r in pairs],
                      # CPU seconds: what the second process costs in extra work, whatever the load
                      "cpu_p1_seconds": round(statistics.median(cpu[1]), 2), "cpu_p2_seconds": round(statistics.median(cpu[2]), 2),
                      "load_average_1min_at_end": round(os.getloadavg()[0], 2),
                      "all": {p: [round(x, 2) for x in t] for p, t in times.items()}}, indent=2))


if __name__ == "__main__":
    main()
