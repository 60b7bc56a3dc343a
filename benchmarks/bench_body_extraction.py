"""Body extraction on ../shared/data/article-extraction, each set scored with its own metric.

- Zyte: word 4-gram shingles, per-page TP/FP/FN normalised, macro P and R, F1 of the means
  (the metric of that set's README; this scorer is checked against its reference outputs).
- Fundus: paragraph match (multiset of whitespace-normalised paragraphs, best variant over
  the optional "[...]" paragraphs, mean F1 over pages with TP > 0).

quotewire's body (sources/html.py) against trafilatura's own `extract` on the same pages in
the same run: the ratio is what counts.

    python benchmarks/bench_body_extraction.py [--data ../shared/data/article-extraction]
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import pathlib
import re
import sys
import time
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire.sources.html import extract_page  # noqa: E402

_W = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    toks = _W.findall(text or "")
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def zyte_scores(truth: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    ps, rs, acc = [], [], 0
    for key, gold in truth.items():
        g, p = shingles(gold), shingles(pred.get(key, ""))
        tp = sum((g & p).values())
        fp = sum(p.values()) - tp
        fn = sum(g.values()) - tp
        total = tp + fp + fn
        if total:
            tp, fp, fn = tp / total, fp / total, fn / total
        if fp == 0 and fn == 0:
            prec = rec = 1.0
        else:
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
        if tp + fp > 0:
            ps.append(prec)
        if tp + fn > 0:
            rs.append(rec)
        acc += _W.findall(gold or "") == _W.findall(pred.get(key, "") or "")
    P = sum(ps) / len(ps) if ps else 0.0
    R = sum(rs) / len(rs) if rs else 0.0
    return {"f1": round(2 * P * R / (P + R), 4) if P + R else 0.0, "precision": round(P, 4), "recall": round(R, 4), "accuracy": round(acc / len(truth), 4)}


def _norm_paras(paras):
    return [" ".join(p.split()) for p in paras if p.strip()]


def fundus_paragraph_f1(truth: dict[str, list[str]], pred: dict[str, list[str]], max_optional: int = 4) -> dict[str, float]:
    f1s = []
    for key, body in truth.items():
        got = Counter(_norm_paras(pred.get(key, [])))
        optional = [i for i, p in enumerate(body) if p.startswith("[") and p.endswith("]")]
        if len(optional) > max_optional:
            subsets = [(), tuple(optional)]
        else:
            subsets = [c for r in range(len(optional) + 1) for c in itertools.combinations(optional, r)]
        best = None
        for removed in subsets:
            ref = Counter(_norm_paras([p[1:-1] if i in optional else p for i, p in enumerate(body) if i not in removed]))
            tp = sum((ref & got).values())
            if tp == 0:
                continue
            prec, rec = tp / sum(got.values()), tp / sum(ref.values())
            f = 2 * prec * rec / (prec + rec)
            best = f if best is None else max(best, f)
        if best is not None:
            f1s.append(best)
    return {"paragraph_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0, "pages_scored": len(f1s), "pages": len(truth)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_EXTRACTION_DATA", str(ROOT.parent / "shared" / "data" / "article-extraction")))
    ap.add_argument("--json", help="also write the report here")
    args = ap.parse_args()
    import trafilatura

    data = pathlib.Path(args.data)
    report: dict = {"trafilatura_version": trafilatura.__version__}

    zdir = data / "zyte-article-extraction-benchmark"
    truth = {k: v["articleBody"] for k, v in json.loads((zdir / "ground-truth.json").read_text()).items()}
    ref = json.loads((zdir / "reference-output" / "trafilatura.json").read_text())["output"]
    report["zyte_scorer_check_trafilatura_2_0_0"] = zyte_scores(truth, {k: v["articleBody"] for k, v in ref.items()})
    ours, theirs, t_ours, t_theirs = {}, {}, 0.0, 0.0
    for key in truth:
        html = gzip.decompress((zdir / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8")
        t = time.perf_counter()
        theirs[key] = trafilatura.extract(html) or ""
        t_theirs += time.perf_counter() - t
        t = time.perf_counter()
        ours[key] = "\n".join(extract_page(html).body)
        t_ours += time.perf_counter() - t
    z_ours, z_theirs = zyte_scores(truth, ours), zyte_scores(truth, theirs)
    report["zyte"] = {"quotewire": z_ours, "trafilatura": z_theirs, "f1_ratio": round(z_ours["f1"] / z_theirs["f1"], 4),
                      "seconds_quotewire": round(t_ours, 1), "seconds_trafilatura": round(t_theirs, 1)}

    fdir = data / "fundus-evaluation"
    ftruth = {k: v["body"] for k, v in json.loads((fdir / "ground_truth.json").read_text()).items()}
    f_ours, f_theirs = {}, {}
    for key in ftruth:
        html = gzip.decompress((fdir / "html" / key).read_bytes()).decode("utf-8")
        f_theirs[key] = (trafilatura.extract(html, include_tables=False, include_comments=False) or "").split("\n")
        f_ours[key] = extract_page(html).body
    p_ours, p_theirs = fundus_paragraph_f1(ftruth, f_ours), fundus_paragraph_f1(ftruth, f_theirs)
    report["fundus_paragraph_match"] = {"quotewire": p_ours, "trafilatura": p_theirs,
                                        "f1_ratio": round(p_ours["paragraph_f1"] / p_theirs["paragraph_f1"], 4)}
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        pathlib.Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
