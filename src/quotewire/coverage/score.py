"""The scores of the shared COVERAGE.md: event grouping, statement alignment, relations."""
from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any

_TOK = re.compile(r"\w+")


def _tokens(text: str, spans) -> set[int]:
    out: set[int] = set()
    for s, e in spans or ():
        out.update(m.start() for m in _TOK.finditer(text, s, e))
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def grouping(gold: dict[str, str], pred: dict[str, str], distractors: set[str]) -> dict[str, Any]:
    """gold/pred: article id -> cluster label (each distractor is its own gold cluster)."""
    ids = sorted(gold)
    pairs = lambda lab: {(a, b) for a, b in itertools.combinations(ids, 2) if lab.get(a) is not None and lab.get(a) == lab.get(b)}  # noqa: E731
    gp, pp = pairs(gold), pairs(pred)
    tp = len(gp & pp)
    bp, br = [], []
    for a in ids:
        gset = {b for b in ids if gold[b] == gold[a]}
        pset = {b for b in ids if pred.get(b) == pred.get(a)}
        inter = len(gset & pset)
        bp.append(inter / len(pset))
        br.append(inter / len(gset))
    P, R = sum(bp) / len(bp), sum(br) / len(br)
    merged = sum(1 for d in distractors if any(pred.get(d) == pred.get(o) for o in ids if o != d))
    return {"pairwise": _prf(tp, len(pp), len(gp)), "bcubed": {"precision": round(P, 4), "recall": round(R, 4), "f1": round(2 * P * R / (P + R), 4) if P + R else 0.0},
            "distractors_merged": merged, "distractors": len(distractors)}


def alignment(gold_events: list[dict], pred_events: list[dict], texts: dict[str, str]) -> dict[str, Any]:
    """Match predicted renderings to gold ones of the same article (>= half the gold tokens),
    then pairwise P/R/F1 over matched renderings linked to one statement, and relation accuracy."""
    gold_r, pred_r = [], []
    for ev in gold_events:
        for st in ev["statements"]:
            for r in st["renderings"]:
                gold_r.append({**r, "statement": (ev["event"], st["id"])})
    for ev in pred_events:
        for st in ev["statements"]:
            for r in st["renderings"]:
                pred_r.append({**r, "statement": (ev["event"], st["id"])})
    matched: dict[int, int] = {}  # gold index -> pred index
    used: set[int] = set()
    cands = []
    for gi, g in enumerate(gold_r):
        gt = _tokens(texts[g["article"]], g["content"])
        for pi, p in enumerate(pred_r):
            if p["article"] != g["article"]:
                continue
            n = len(gt & _tokens(texts[p["article"]], p["content"]))
            if gt and n >= 0.5 * len(gt):
                cands.append((n, gi, pi))
    for n, gi, pi in sorted(cands, reverse=True):
        if gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    ms = sorted(matched)
    gold_pairs = {(a, b) for a, b in itertools.combinations(ms, 2) if gold_r[a]["statement"] == gold_r[b]["statement"]}
    pred_pairs = {(a, b) for a, b in itertools.combinations(ms, 2) if pred_r[matched[a]]["statement"] == pred_r[matched[b]]["statement"]}
    rel = [(gold_r[g]["relation"], pred_r[matched[g]]["relation"]) for g in ms if gold_r[g]["relation"] != "reference"]
    return {
        "renderings_gold": len(gold_r), "renderings_predicted": len(pred_r), "renderings_matched": len(ms),
        "pairwise": _prf(len(gold_pairs & pred_pairs), len(pred_pairs), len(gold_pairs)),
        "relation_accuracy": round(sum(g == p for g, p in rel) / len(rel), 4) if rel else 0.0,
        "relations_scored": len(rel),
        # gold relation -> predicted relation -> count: where the labels go wrong
        "relation_confusion": {g: {p: n for (g2, p), n in sorted(Counter(rel).items()) if g2 == g} for g in sorted({g for g, _ in rel})},
    }
