"""Train the reported-speech ranker on PolNeAR train; choose its threshold on dev (best sum of content overlap and exact F1).

Candidates are what the sieves propose with every frame the lexicon knows (score >= the
candidate floor); a candidate is positive when a gold attribution has its cue there and half
the gold content's words are in the candidate's content. Logistic regression, L2, Adagrad,
in numpy. Writes src/quotewire/attribution/ranker.json.

    python tools/train_ranker.py ../shared/data/polnear/train.jsonl ../shared/data/polnear/dev.jsonl
"""
from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire import nlp as qnlp  # noqa: E402
from quotewire.attribution import extract, ranker as ranker_mod  # noqa: E402
from quotewire.attribution.common import TokenIndex  # noqa: E402
from quotewire.attribution.direct import find_direct  # noqa: E402
from quotewire.attribution.quotes import find_quotes, paragraphs  # noqa: E402
from quotewire.attribution.reported import CANDIDATE_FLOOR, find_reported  # noqa: E402
from quotewire.evaluate import score, tokens  # noqa: E402

OUT = ROOT / "src/quotewire/attribution/ranker.json"


def parse(path: str, docbin: str | None, nlp):
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    if docbin:
        from spacy.tokens import DocBin

        return rows, list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    return rows, list(nlp.pipe((r["text"] for r in rows), batch_size=32))


def examples(rows, docs):
    X, y = [], []
    for row, doc in zip(rows, docs):
        text = row["text"]
        quotes = find_quotes(text)
        claimed = {h.cue_head for h in find_direct(doc, quotes, paragraphs(text), TokenIndex(doc))}
        gold_at: dict[int, list[dict]] = collections.defaultdict(list)
        for a in row["attributions"]:
            for s, e in a["cue"]:
                for i in range(s, e):
                    gold_at[i].append(a)
        for hit in find_reported(doc, claimed, quotes, ranker=False, min_score=CANDIDATE_FLOOR, every_frame=True):
            if hit.features is None:
                continue
            pred = tokens(text, [[s.start, s.end] for s in hit.content])
            ok = False
            for a in gold_at.get(doc[hit.cue_head].idx, []):
                gt = tokens(text, a["content"])
                if gt and len(gt & pred) >= 0.5 * len(gt):
                    ok = True
            X.append(hit.features)
            y.append(1.0 if ok else 0.0)
    return X, np.array(y)


def fit(X, y, min_count: int, l2: float, epochs: int, lr: float):
    counts = collections.Counter(f for feats in X for f in set(feats))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count or f == "bias"))}
    rows = [np.array(sorted({vocab[f] for f in feats if f in vocab}), dtype=np.int64) for feats in X]
    flat = np.concatenate(rows)
    owner = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    w = np.zeros(len(vocab))
    g2 = np.full(len(vocab), 1e-8)
    for _ in range(epochs):
        z = np.bincount(owner, weights=w[flat], minlength=len(rows))
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        err = p - y
        grad = np.bincount(flat, weights=err[owner], minlength=len(vocab)) / len(rows) + l2 * w
        g2 += grad**2
        w -= lr * grad / np.sqrt(g2)
    loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
    return {f: float(w[i]) for f, i in vocab.items() if abs(w[i]) > 1e-4}, loss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("dev")
    ap.add_argument("--train-docbin")
    ap.add_argument("--dev-docbin")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--epochs", type=int, default=400)
    ap.add_argument("--lr", type=float, default=0.5)
    args = ap.parse_args()
    nlp = qnlp.load(None)
    started = time.time()
    rows, docs = parse(args.train, args.train_docbin, nlp)
    X, y = examples(rows, docs)
    print(f"{len(X)} candidates, {int(y.sum())} positive", flush=True)
    weights, loss = fit(X, y, args.min_count, args.l2, args.epochs, args.lr)
    print(f"{len(weights)} weights, train log loss {loss:.4f}", flush=True)
    # the threshold is the one setting chosen on dev
    dev_rows, dev_docs = parse(args.dev, args.dev_docbin, nlp)
    best = None
    for threshold in [x / 100 for x in range(20, 75, 5)]:
        ranker_mod.load_ranker.cache_clear()
        OUT.write_text(json.dumps({"threshold": threshold, "weights": weights}), encoding="utf-8")
        predicted = {r["id"]: {"text": r["text"], "quotes": [a.to_dict() for a in extract(d)]} for r, d in zip(dev_rows, dev_docs)}
        s = score(dev_rows, predicted)
        f1 = s["content_overlap"]["f1"] + s["content_exact"]["f1"]
        print(f"threshold {threshold:.2f}: overlap F1 {s['content_overlap']['f1']:.4f}, exact F1 {s['content_exact']['f1']:.4f}", flush=True)
        if best is None or f1 > best[0]:
            best = (f1, threshold, s["content_overlap"]["f1"], s["content_exact"]["f1"])
    meta = {
        "trained_on": pathlib.Path(args.train).name, "candidates": len(X), "positives": int(y.sum()),
        "min_count": args.min_count, "l2": args.l2, "epochs": args.epochs, "threshold_from": pathlib.Path(args.dev).name,
        "dev_overlap_f1": best[2], "dev_exact_f1": best[3], "seconds": round(time.time() - started),
    }
    OUT.write_text(json.dumps({"threshold": best[1], "meta": meta, "weights": dict(sorted(weights.items()))}, indent=0) + "\n", encoding="utf-8")
    print(f"threshold {best[1]} (dev overlap F1 {best[2]:.4f}, exact F1 {best[3]:.4f}) written to {OUT}")


if __name__ == "__main__":
    main()
