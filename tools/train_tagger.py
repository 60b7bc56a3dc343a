"""Train the attribution tagger (``tagger.v1``, issue #14) on PolNeAR train.

Seeded and reproducible: the config (tools/tagger_config.json) names the seed, the network
and the schedule. A share of the TRAIN articles (chosen by the seed) is held out for early
stopping; PolNeAR dev is never read. Each epoch's figures go to train.log beside the model.

    python tools/train_tagger.py [--data ../shared/data] [--config tools/tagger_config.json]
        [--out src/quotewire/models/tagger] [--limit N] [--epochs N]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# the BiLSTM steps are small matrix products: BLAS threads only fight over them (12x slower
# measured on a busy 2-core machine); set before numpy loads
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy  # noqa: E402

from quotewire.nlp import PARAGRAPHS  # noqa: E402
from quotewire.attribution.tagger import LABELS, TAGS, Tagger, build_model, features, load_vectors, spans_of, units, viterbi  # noqa: E402


def read_articles(path: pathlib.Path, limit: int | None = None) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
                if limit and len(out) >= limit:
                    break
    return out


def gold_tags(doc, attributions: list[dict]) -> numpy.ndarray:
    """BIO tags of the gold spans, per token: a token belongs to a span its start lies in.
    Where spans of two roles share tokens (rare), cue wins over source over content;
    white space inside a span (a no-break space is a token) is in it."""
    starts = numpy.asarray([t.idx for t in doc], dtype=numpy.int64)
    role = numpy.full(len(doc), -1, dtype=numpy.int64)
    span_id = numpy.full(len(doc), -1, dtype=numpy.int64)
    n = 0
    for priority, label in ((0, "CONTENT"), (2, "SOURCE"), (1, "CUE")):
        j = LABELS.index(label)
        key = label.lower()
        for a in attributions:
            for s, e in a.get(key) or ():
                lo, hi = numpy.searchsorted(starts, s), numpy.searchsorted(starts, e)
                # a token is in if it starts inside the span; white space at its edges is not
                while lo < hi and doc[lo].is_space:
                    lo += 1
                while hi > lo and doc[hi - 1].is_space:
                    hi -= 1
                for i in range(lo, hi):
                    role[i] = j
                    span_id[i] = n
                n += 1
    tags = numpy.zeros(len(doc), dtype=numpy.int64)
    for i in range(len(doc)):
        if role[i] < 0:
            continue
        j = int(role[i])
        inside = i > 0 and role[i - 1] == j and span_id[i - 1] == span_id[i]
        tags[i] = 2 + 2 * j if inside else 1 + 2 * j
    return tags


def heldout_ids(articles: list[dict], config: dict) -> set[str]:
    """The train articles kept out of training (for early stopping, and for tuning hybrid.v1)."""
    ids = sorted(a["id"] for a in articles)
    random.Random(config["seed"]).shuffle(ids)
    return set(ids[:max(1, round(len(ids) * config["heldout_share"]))])


def examples(articles: list[dict], nlp) -> list[tuple[numpy.ndarray, numpy.ndarray]]:
    """(features, gold tags) per paragraph of every article."""
    out = []
    disable = [p for p in ("parser", PARAGRAPHS) if p in nlp.pipe_names]
    texts = [a["text"] for a in articles]
    for a, doc in zip(articles, nlp.pipe(texts, batch_size=32, disable=disable)):
        feats = features(doc)
        tags = gold_tags(doc, a["attributions"])
        for s, e in units(doc):
            out.append((feats[s:e], tags[s:e]))
    return out


def batches(data: list, batch_words: int, rng: random.Random) -> list[list[int]]:
    """Units of like length together (the BiLSTM pads to the longest), batches shuffled."""
    order = list(range(len(data)))
    rng.shuffle(order)
    out = []
    for k in range(0, len(order), 400):
        chunk = sorted(order[k:k + 400], key=lambda i: len(data[i][0]))
        batch: list[int] = []
        for i in chunk:
            if batch and (len(batch) + 1) * len(data[i][0]) > batch_words:
                out.append(batch)
                batch = []
            batch.append(i)
        if batch:
            out.append(batch)
    rng.shuffle(out)
    return out


def span_scores(tagger: Tagger, data: list) -> dict:
    """Exact span precision, recall and F1 per label on held-out units."""
    probs = tagger.predict_units([x for x, _ in data])
    counts = {label: [0, 0, 0] for label in LABELS}  # tp, predicted, gold
    for (_x, y), p in zip(data, probs):
        pred = {(s.label, s.start, s.end) for s in spans_of(viterbi(p))}
        gold = {(s.label, s.start, s.end) for s in spans_of(y)}
        for label in LABELS:
            pl = {s for s in pred if s[0] == label}
            gl = {s for s in gold if s[0] == label}
            counts[label][0] += len(pl & gl)
            counts[label][1] += len(pl)
            counts[label][2] += len(gl)
    out = {}
    for label, (tp, npred, ngold) in counts.items():
        prec, rec = tp / max(npred, 1), tp / max(ngold, 1)
        out[label] = {"p": round(prec, 4), "r": round(rec, 4), "f1": round(2 * prec * rec / max(prec + rec, 1e-9), 4)}
    out["mean_f1"] = round(sum(out[label]["f1"] for label in LABELS) / len(LABELS), 4)
    return out


def train(config: dict, data_dir: pathlib.Path, out_dir: pathlib.Path, limit: int | None = None,
          epochs: int | None = None, log=print) -> dict:
    from thinc.api import Adam, fix_random_seed

    from quotewire import nlp as nlp_mod

    seed = config["seed"]
    fix_random_seed(seed)
    rng = random.Random(seed)
    nrng = numpy.random.default_rng(seed)
    articles = read_articles(data_dir / config["train"], limit)
    held_ids = heldout_ids(articles, config)
    n_held = len(held_ids)
    nlp = nlp_mod.load(None)
    t0 = time.perf_counter()
    train_data = examples([a for a in articles if a["id"] not in held_ids], nlp)
    held_data = examples([a for a in articles if a["id"] in held_ids], nlp)
    words = sum(len(x) for x, _ in train_data)
    log(f"data: {len(articles) - n_held} train articles ({len(train_data)} paragraphs, {words} tokens), "
        f"{n_held} held-out train articles ({len(held_data)} paragraphs); features in {time.perf_counter() - t0:.0f} s")
    vectors = None
    if config["model"].get("vectors"):
        # the static vector table (tools/build_tagger_vectors.py), shipped beside the model
        # (a name is read beside this tool, the model's copy keeps only the file name)
        vector_path = pathlib.Path(config["model"]["vectors"])
        vector_path = vector_path if vector_path.is_absolute() else ROOT / "tools" / vector_path
        raw = vector_path.read_bytes()
        vectors = load_vectors(raw)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / vector_path.name).write_bytes(raw)
        config = {**config, "model": {**config["model"], "vectors": vector_path.name}}
        log(f"static vectors {vector_path}: {len(vectors['keys'])} words, {vectors['table'].shape[1]} dims")
    model = build_model(config["model"], vectors)
    model.initialize(X=[train_data[0][0]], Y=[numpy.zeros((len(train_data[0][0]), len(TAGS)), dtype="f")])
    tagger = Tagger(model, config)
    tcfg = config["training"]
    optimizer = Adam(tcfg["learn_rate"], grad_clip=tcfg["grad_clip"])
    best = {"mean_f1": -1.0}
    best_bytes = None
    stale = 0
    started = time.perf_counter()
    eye = numpy.eye(len(TAGS), dtype="f")
    history = []
    for epoch in range(1, (epochs or tcfg["max_epochs"]) + 1):
        t = time.perf_counter()
        loss = 0.0
        for batch in batches(train_data, tcfg["batch_words"], rng):
            X = [train_data[i][0] for i in batch]
            if tcfg.get("word_dropout"):
                # the word itself hidden on a share of tokens: the rest (affixes, shape, tag,
                # lexicon, quotation) must carry them, as for words unseen in training
                X = [x.copy() for x in X]
                for x in X:
                    x[nrng.random(len(x)) < tcfg["word_dropout"], 0] = 0
            Y = [eye[train_data[i][1]] for i in batch]
            guesses, backprop = model.begin_update(X)
            n = sum(len(y) for y in Y)
            d = [(g - y) / n for g, y in zip(guesses, Y)]
            loss += float(sum(-(numpy.log(numpy.maximum(g, 1e-9)) * y).sum() for g, y in zip(guesses, Y)))
            backprop(d)
            model.finish_update(optimizer)
        seconds = time.perf_counter() - t
        scores = span_scores(tagger, held_data)
        row = {"epoch": epoch, "loss": round(loss / words, 4), "seconds": round(seconds), "train_words_per_s": round(words / seconds),
               **{label: scores[label] for label in LABELS}, "mean_f1": scores["mean_f1"]}
        history.append(row)
        log(json.dumps(row))
        if scores["mean_f1"] > best["mean_f1"]:
            best, best_bytes, stale = {**scores, "epoch": epoch}, model.to_bytes(), 0
        else:
            stale += 1
        if stale >= tcfg["patience"]:
            log(f"stop: {stale} epochs without a better held-out mean span F1")
            break
        if (time.perf_counter() - started) / 60 > tcfg["max_minutes"]:
            log(f"stop: past {tcfg['max_minutes']} minutes")
            break
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "model.bin").write_bytes(best_bytes)
    (out_dir / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    log(f"kept epoch {best['epoch']}: held-out span F1 content {best['CONTENT']['f1']}, cue {best['CUE']['f1']}, "
        f"source {best['SOURCE']['f1']}; {(out_dir / 'model.bin').stat().st_size / 1e6:.1f} MB")
    return {"best": best, "history": history}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--config", default=str(ROOT / "tools" / "tagger_config.json"))
    ap.add_argument("--out", default=str(ROOT / "src" / "quotewire" / "models" / "tagger"))
    ap.add_argument("--limit", type=int, help="read only the first N train articles (a smoke run)")
    ap.add_argument("--epochs", type=int, help="at most this many epochs (else the config's)")
    args = ap.parse_args()
    config = json.loads(pathlib.Path(args.config).read_text(encoding="utf-8"))
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "train.log", "w", encoding="utf-8") as log_file:
        def log(line: str) -> None:
            stamp = time.strftime("%H:%M:%S")
            print(f"{stamp} {line}", flush=True)
            log_file.write(f"{stamp} {line}\n")
            log_file.flush()

        log(f"config {args.config}: {json.dumps(config)}")
        train(config, pathlib.Path(args.data), out, args.limit, args.epochs, log)


if __name__ == "__main__":
    main()
