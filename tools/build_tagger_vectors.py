"""Derive the tagger's small static word-vector table from en_core_web_md's vectors (issue #14).

en_core_web_md is NOT a dependency: this runs once, offline, on an unpacked copy of its
vocab/ directory, and writes a table that ships beside the tagger model. The words kept are
the lowercase alphabetic keys of the md vectors (general English: most words the tagger will
meet, not only PolNeAR's) plus every PolNeAR TRAIN norm seen at least --min-count times that
the vectors know; the vectors are projected by PCA (fitted on the md rows) to --dims
dimensions, scaled to a mean row norm of 1, and stored in float16. Each kept word points to
one row: md shares its 20k rows among its keys, so the table stays small.

    python tools/build_tagger_vectors.py --md PATH/TO/en_core_web_md/vocab
        [--dims 96] [--min-count 2] [--out src/quotewire/models/tagger/tagger_vectors.npz]

tools/tagger_config.json (the shipped model's config) reads the table where it ships (train_tagger.py copies it into
its --out directory), so the repository holds one copy.

Output (numpy .npz): ``keys`` (uint64, sorted: the spaCy string hash of the norm, as the
tagger's NORM feature column holds it), ``rows`` (uint16, a row of ``table`` per key) and
``table`` (float16, rows x dims).
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import sys
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy  # noqa: E402

_WORD = re.compile(r"^[a-z][a-z'\-]{0,23}$")


def train_norms(path: pathlib.Path, nlp) -> Counter:
    """How often each token norm occurs in PolNeAR train (the tokenizer only)."""
    counts: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    for doc in nlp.tokenizer.pipe(texts, batch_size=64):
        counts.update(t.norm_ for t in doc if not t.is_space)
    return counts


def build(md_vocab: pathlib.Path, train_path: pathlib.Path, dims: int, min_count: int) -> dict[str, numpy.ndarray]:
    import spacy
    from spacy.strings import StringStore, hash_string
    from spacy.vectors import Vectors

    vectors = Vectors().from_disk(str(md_vocab))
    strings = StringStore().from_disk(str(md_vocab / "strings.json"))
    data = numpy.asarray(vectors.data, dtype=numpy.float64)
    keep: dict[int, int] = {}
    for key, row in vectors.key2row.items():
        if key in strings and _WORD.match(strings[key]):
            keep[int(key)] = int(row)
    n_general = len(keep)
    counts = train_norms(train_path, spacy.blank("en"))
    n_train = 0
    for norm, n in counts.items():
        if n < min_count:
            continue
        key = int(hash_string(norm))
        row = vectors.key2row.get(key, -1)
        if row >= 0:
            n_train += key not in keep
            keep[key] = int(row)
    # PCA on the rows in use
    used = numpy.unique(numpy.fromiter(keep.values(), dtype=numpy.int64))
    X = data[used]
    X = X - X.mean(axis=0)
    _u, sv, vt = numpy.linalg.svd(X, full_matrices=False)
    proj = X @ vt[:dims].T
    proj /= numpy.linalg.norm(proj, axis=1).mean()
    explained = float((sv[:dims] ** 2).sum() / (sv ** 2).sum())
    remap = numpy.full(len(data), -1, dtype=numpy.int64)
    remap[used] = numpy.arange(len(used))
    keys = numpy.asarray(sorted(keep), dtype=numpy.uint64)
    rows = remap[numpy.asarray([keep[int(k)] for k in keys], dtype=numpy.int64)].astype(numpy.uint16)
    print(f"{len(keys)} words ({n_general} lowercase md words, {n_train} more PolNeAR train norms seen >= {min_count} times), "
          f"{len(used)} rows, PCA {dims} dims keep {explained:.1%} of the variance")
    return {"keys": keys, "rows": rows, "table": proj.astype(numpy.float16)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--md", required=True, help="the vocab/ directory of an unpacked en_core_web_md")
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--dims", type=int, default=96)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "src" / "quotewire" / "models" / "tagger" / "tagger_vectors.npz"))
    args = ap.parse_args()
    table = build(pathlib.Path(args.md), pathlib.Path(args.data) / "polnear" / "train.jsonl", args.dims, args.min_count)
    numpy.savez_compressed(args.out, **table)
    print(f"wrote {args.out}: {pathlib.Path(args.out).stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
