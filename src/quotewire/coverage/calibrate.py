"""Fitting the link model of statement alignment (align.features -> same utterance or not) on
labelled pairs: L2-regularised logistic regression by Newton's method. Used by
benchmarks/bench_coverage.py (fit on gold events, checked leave one event out); the weights in
use live in settings.COVERAGE_LINK_WEIGHTS."""
from __future__ import annotations

import itertools
from typing import Iterable

from .align import MIN_WORDS, Rendering, features, units

#: L2 penalty: few events, so the weights are kept modest
PENALTY = 1.0


def pairs(renderings: list[Rendering], label: dict[object, object]) -> Iterable[tuple[list[float], int]]:
    """(features, 1 if both carry one gold statement) for all pairs of an event's renderings,
    cut into sentences as alignment cuts them; ``label``: rendering uid -> gold statement
    (absent: no gold statement)."""
    rs = [u.prepare() for r in renderings for u in units(r)]
    rs = [r for r in rs if r.size >= MIN_WORDS]
    for a, b in itertools.combinations(rs, 2):
        la, lb = label.get(a.uid), label.get(b.uid)
        yield features(a, b), int(la is not None and la == lb)


def fit(samples: list[tuple[list[float], int]], iterations: int = 30) -> tuple[float, ...]:
    import numpy as np

    X = np.array([[1.0] + x for x, _ in samples])
    y = np.array([t for _, t in samples], dtype=float)
    # positives are rare: weigh the classes evenly so the probability is not dragged to 0
    pos = max(1.0, y.sum())
    sw = np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * max(1.0, len(y) - pos)))
    w = np.zeros(X.shape[1])
    reg = PENALTY * np.eye(X.shape[1])
    reg[0, 0] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-X @ w))
        g = X.T @ (sw * (p - y)) + reg @ w
        H = (X * (sw * p * (1 - p))[:, None]).T @ X + reg
        w -= np.linalg.solve(H, g)
    return tuple(round(float(v), 3) for v in w)


def gold_labels(renderings: list[tuple[object, str, list]], gold_events: list[dict], texts: dict[str, str]) -> dict[object, object]:
    """Rendering key -> gold statement, matched as COVERAGE.md scores do (one to one within an
    article, the predicted content holding at least half the gold content's tokens).
    ``renderings``: (key, article id, content spans)."""
    from .score import _tokens

    by_article: dict[str, list] = {}
    for ev in gold_events:
        for st in ev["statements"]:
            for r in st["renderings"]:
                by_article.setdefault(r["article"], []).append(((ev["event"], st["id"]), _tokens(texts[r["article"]], r["content"])))
    cands = []
    for key, article, spans in renderings:
        mine = _tokens(texts[article], spans)
        for gi, (st, theirs) in enumerate(by_article.get(article, [])):
            n = len(theirs & mine)
            if theirs and n >= 0.5 * len(theirs):
                cands.append((n, key, (article, gi), st))
    out: dict[object, object] = {}
    used: set = set()
    for n, key, g, st in sorted(cands, key=lambda c: -c[0]):
        if key not in out and g not in used:
            out[key] = st
            used.add(g)
    return out
