"""Choose hybrid.v1's policy on the PolNeAR TRAIN articles the tagger was not trained on.

tools/train_tagger.py holds out a share of train (by its seed) for early stopping; the tagger
never learnt from those articles, so its output there is what it does on unseen text. This
sweeps the knobs of hybrid.v1 there and prints the scores of ANNOTATION.md for each setting,
beside rules.v1 and tagger.v1 alone. PolNeAR dev is not read.

    python tools/tune_hybrid.py [--data ../shared/data] [--config tools/tagger_config.json] [--per-sieve] [--gate]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import numpy  # noqa: E402
from train_tagger import heldout_ids, read_articles  # noqa: E402

from quotewire.attribution import EXTRACTORS, extract, get_extractor  # noqa: E402
from quotewire.attribution.hybrid import combine, cue_pos_ok  # noqa: E402
from quotewire.attribution.quotes import find_quotes  # noqa: E402
from quotewire.clean import mark_datelines  # noqa: E402
from quotewire.evaluate import score  # noqa: E402
from quotewire.model import Article, Span  # noqa: E402
from quotewire.settings import HYBRID_CUE_LEFT_POS, HYBRID_MIN_TAGGER_SCORE, HYBRID_TAGGER_CONTENT_FOR, HYBRID_TAGGER_CUE_POS  # noqa: E402

SCORES = ("content_overlap", "content_exact")


def summary(s: dict) -> dict:
    out = {k: s[k]["f1"] for k in SCORES}
    out.update(recall=s["content_overlap"]["recall"], precision=s["content_overlap"]["precision"],
               source=s["source_exact_accuracy"], cue=s["cue_exact_accuracy"], predicted=s["predicted"])
    return out


def main() -> None:
    from quotewire import nlp as nlp_mod

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--config", default=str(ROOT / "tools" / "tagger_config.json"))
    ap.add_argument("--per-sieve", action="store_true", help="also try each sieve's content giving way to the tagger's")
    ap.add_argument("--gate", action="store_true", help="only score a learnt gate over the tagger's additions (out-of-fold by article)")
    args = ap.parse_args()
    config = json.loads(pathlib.Path(args.config).read_text(encoding="utf-8"))
    articles = read_articles(pathlib.Path(args.data) / config["train"])
    held = heldout_ids(articles, config)
    gold = [a for a in articles if a["id"] in held]
    nlp = nlp_mod.load(None)
    rows = []
    for g, doc in zip(gold, nlp.pipe((g["text"] for g in gold), batch_size=32)):
        article = mark_datelines(Article(text=g["text"], id=g["id"]))
        quotes = find_quotes(g["text"])
        rows.append((g, doc, article, get_extractor("rules.v1")(doc, quotes), get_extractor("tagger.v1")(doc, quotes)))

    def run(pick, rows=rows) -> dict:
        predicted = {}
        for g, doc, article, rules, tagged in rows:
            EXTRACTORS["tune.v0"] = lambda d, q, r=rules, t=tagged, doc=doc: pick(r, t, doc)
            predicted[g["id"]] = article.with_attributions(extract(doc, ("tune.v0",), article.datelines)).to_dict()
        return summary(score(gold, predicted))

    print(f"{len(gold)} held-out train articles, {sum(len(g['attributions']) for g in gold)} attributions")
    if args.gate:
        gate_report(rows)
        return
    print("rules.v1 ", json.dumps(run(lambda r, t, d: r)))
    print("tagger.v1", json.dumps(run(lambda r, t, d: t)))
    for min_score in (0.0, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9):
        print(f"hybrid min_score={min_score}", json.dumps(run(lambda r, t, d, m=min_score: combine(r, t, m, frozenset(), d))))
    # the parts of speech a tagger cue must have a word of (HYBRID_TAGGER_CUE_POS), at each min_score
    kept = [(g, doc, article, rules, [c for c in tagged if cue_pos_ok(doc, c)]) for g, doc, article, rules, tagged in rows]
    for min_score in (0.6, 0.65, 0.7, 0.75, 0.8):
        got = run(lambda r, t, d, m=min_score: combine(r, t, m, frozenset(), d), kept)
        print(f"hybrid min_score={min_score} cue_pos={','.join(sorted(HYBRID_TAGGER_CUE_POS))}", json.dumps(got))
    for pos in (frozenset(), frozenset({"VERB", "AUX"}), HYBRID_TAGGER_CUE_POS, HYBRID_TAGGER_CUE_POS | {"ADJ", "PROPN"}):
        kept = [(g, doc, article, rules, [c for c in tagged if cue_pos_ok(doc, c, pos)]) for g, doc, article, rules, tagged in rows]
        got = run(lambda r, t, d: combine(r, t, HYBRID_MIN_TAGGER_SCORE, frozenset(), d), kept)
        print(f"hybrid min_score={HYBRID_MIN_TAGGER_SCORE} cue_pos={','.join(sorted(pos)) or 'any'}", json.dumps(got))
    # where a rule and the tagger read one cue: the rule's cue and source as they are, with the
    # tagger's verb group words before the cue (HYBRID_CUE_LEFT_POS), with the tagger's relative clause
    kept = [(g, doc, article, rules, [c for c in tagged if cue_pos_ok(doc, c)]) for g, doc, article, rules, tagged in rows]
    for left_pos, relative in ((frozenset(), False), (HYBRID_CUE_LEFT_POS, False), (frozenset(), True), (HYBRID_CUE_LEFT_POS, True)):
        got = run(lambda r, t, d, lp=left_pos, rel=relative: combine(r, t, HYBRID_MIN_TAGGER_SCORE, frozenset(), d, lp, rel), kept)
        print(f"hybrid cue_left_pos={','.join(sorted(left_pos)) or 'none'} source_relative={relative}", json.dumps(got))
    # where a rule and the tagger read one cue and their contents start at one word: the rule's
    # content runs on to the tagger's end at this tagger score or more (HYBRID_CONTENT_END_SCORE)
    for end_score in (2.0, 0.98, 0.96, 0.94, 0.92, 0.9, 0.85, 0.8):
        got = run(lambda r, t, d, e=end_score: combine(r, t, HYBRID_MIN_TAGGER_SCORE, HYBRID_TAGGER_CONTENT_FOR, d, end_score=e), kept)
        print(f"hybrid content_end_score={end_score}", json.dumps(got))
    # a tagger attribution joins only with a source (HYBRID_TAGGER_SPEAKER_SAFE; with
    # HYBRID_TAGGER_SOURCE_OFF_CUE, one whose parse mention stays off its cue): what that costs here (its gain is in the speakers, not scored here)
    for need in (False, True):
        got = run(lambda r, t, d, n=need: combine(r, t, HYBRID_MIN_TAGGER_SCORE, HYBRID_TAGGER_CONTENT_FOR, d, safe_only=n), kept)
        print(f"hybrid speaker_safe={need}", json.dumps(got))
    if not args.per_sieve:
        return
    # per sieve: does its content gain by giving way to the tagger's where both read one cue?
    names = sorted({c.attribution.rule for row in rows for c in row[3]})
    for name in names:
        n = sum(c.attribution.rule == name for row in rows for c in row[3])
        got = run(lambda r, t, d, k=name: combine(r, [c for c in t if cue_pos_ok(d, c)], HYBRID_MIN_TAGGER_SCORE, frozenset({k}), d))
        print(f"hybrid tagger content for {name} ({n} candidates)", json.dumps(got))


def addition_features(doc, cand, text: str, quote: dict) -> list[float]:
    """What a gate over one tagger addition may read: its score, its source, its cue, where it
    stands and what its content is like (nothing from gold)."""
    from quotewire.attribution.hybrid import _tokens, source_holds_cue
    from quotewire.attribution.quotes import paragraphs
    from quotewire.attribution.tagger import _lexicon_buckets

    a = cand.attribution
    cue = _tokens(doc, a.cue)
    content = _tokens(doc, a.content)
    subj = cand.subject
    bucket = max([_lexicon_buckets().get(t.lemma_.lower(), 0) for t in cue] or [0])
    first = content[0].lower_ if content else ""
    headline = a.content[0].start < paragraphs(text)[0][1]
    x = [1.0, a.confidence, float(bool(a.source))]
    x += [float(subj is not None and subj.pos_ == p) for p in ("PRON", "PROPN", "NOUN")]
    x += [float(bucket == b) for b in range(7)]
    x += [float(headline), float(first == "to"), float(first in ("whether", "if")), float(first == "that")]
    x += [float(quote.get("kind") == k) for k in ("direct", "mixed")]
    x += [numpy.log1p(len(content)), float(source_holds_cue(doc, cand)), float(not {t.pos_ for t in cue} & {"VERB", "AUX"})]
    x += [float(len(a.content) > 1), a.content[0].start / max(1, len(text))]
    return x


def _fit(X, y, l2: float = 1.0, steps: int = 2000, rate: float = 0.5):
    w = numpy.zeros(X.shape[1])
    for _ in range(steps):
        p = 1 / (1 + numpy.exp(-X @ w))
        w -= rate * (X.T @ (p - y) / len(y) + l2 * numpy.r_[0, w[1:]] / len(y))
    return w


def _auc(p, y) -> float:
    """The chance that a positive scores above a negative, a tie counting one half (tied scores
    share the mean of their ranks)."""
    p = numpy.asarray(p, dtype=float)
    order = numpy.argsort(p, kind="mergesort")
    rank = numpy.empty(len(p))
    rank[order] = numpy.arange(len(p))
    _, inverse = numpy.unique(p, return_inverse=True)
    rank = (numpy.bincount(inverse, weights=rank) / numpy.bincount(inverse))[inverse]
    n1 = y.sum()
    n0 = len(y) - n1
    return float((rank[y == 1].sum() - n1 * (n1 - 1) / 2) / (n1 * n0)) if n1 and n0 else float("nan")


def gate_report(rows) -> None:
    """A logistic regression over each tagger addition of hybrid.v1 (addition_features), labelled
    by whether it matched a gold attribution (content overlap, content exact); 5 folds by article,
    the out-of-fold AUC printed beside the tagger's score alone."""
    from quotewire.attribution.hybrid import hybrid_candidates
    from quotewire.evaluate import match, tokens, trimmed

    X, labels, article_of = [], [], []
    for g, doc, article, rules, tagged in rows:
        text = g["text"]
        cands = {c.attribution.cue: c for c in hybrid_candidates(doc, find_quotes(text)) if c.attribution.rule == "tagger.v1"}
        quotes = article.with_attributions(extract(doc, ("hybrid.v1",), article.datelines)).to_dict()["quotes"]
        pairs = {pi: (gi, n) for gi, pi, n in match(g["attributions"], quotes, text)}
        for pi, q in enumerate(quotes):
            cand = cands.get(tuple(Span(s, e) for s, e in q["cue"]))
            if q.get("rule") != "tagger.v1" or cand is None:
                continue
            gi, n = pairs.get(pi, (None, 0))
            gq = g["attributions"][gi] if gi is not None else None
            ov = gq is not None and n >= 0.5 * len(tokens(text, gq["content"]))
            exact = gq is not None and trimmed(text, gq["content"]) == trimmed(text, q["content"])
            X.append(addition_features(doc, cand, text, q))
            labels.append((float(ov), float(exact)))
            article_of.append(g["id"])
    X, Y = numpy.asarray(X), numpy.asarray(labels)
    ids = sorted(set(article_of))
    numpy.random.RandomState(0).shuffle(ids)
    fold_of = {i: k % 5 for k, i in enumerate(ids)}
    fold = numpy.asarray([fold_of[a] for a in article_of])
    for j, name in enumerate(("overlap", "exact")):
        y, oof = Y[:, j], numpy.zeros(len(Y))
        for k in range(5):
            w = _fit(X[fold != k], y[fold != k])
            oof[fold == k] = 1 / (1 + numpy.exp(-X[fold == k] @ w))
        print(f"gate {name}: {len(y)} additions, {int(y.sum())} right; out-of-fold AUC {_auc(oof, y):.3f}, tagger score alone {_auc(X[:, 1], y):.3f}")


if __name__ == "__main__":
    main()
