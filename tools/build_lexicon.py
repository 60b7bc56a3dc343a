"""Learn the cue lexicon from PolNeAR train: which (lemma, frame) pairs are attribution cues.

A frame is how the verb takes its content (``ccomp``, ``xcomp``, ``dobj``, ``prep_for`` ...).
For each pair we count its occurrences in train and how many of them head a gold cue whose
content the frame recovers (half the gold content and half of ours overlap); pairs that do
so often enough go into ``src/quotewire/attribution/lexicon.json``, with their
counts, so the choice can be audited and re-made. Dev is never read here.

    python tools/build_lexicon.py ../shared/data/polnear/train.jsonl
"""
from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "src"))

from quotewire import nlp as qnlp  # noqa: E402
from quotewire.attribution.frames import content_tokens, verb_frames  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "src/quotewire/attribution/lexicon.json"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("--docbin", help="pre-parsed DocBin of the same file, to save time")
    ap.add_argument("--min-cues", type=int, default=2)
    ap.add_argument("--min-precision", type=float, default=0.05)
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.train, encoding="utf-8")]
    nlp = qnlp.load(None)
    if args.docbin:
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((r["text"] for r in rows), batch_size=32))
    seen: collections.Counter[tuple[str, str]] = collections.Counter()
    good: collections.Counter[tuple[str, str]] = collections.Counter()
    for row, doc in zip(rows, docs):
        content_of_cue: dict[int, set[int]] = {}
        for a in row["attributions"]:
            chars = {i for s, e in a["content"] for i in range(s, e)}
            for s, e in a["cue"]:
                for i in range(s, e):
                    content_of_cue[i] = chars
        for tok in doc:
            if tok.pos_ not in ("VERB", "AUX", "NOUN", "ADJ"):
                continue
            for frame in verb_frames(tok):
                key = (tok.lemma_.lower(), frame)
                seen[key] += 1
                gold = content_of_cue.get(tok.idx)
                if gold:
                    ranges = content_tokens(tok, frame)
                    got = {i for s, e in ranges for t in doc[s:e] for i in range(t.idx, t.idx + len(t))}
                    if len(got & gold) >= 0.5 * len(gold) and len(got & gold) >= 0.5 * len(got):
                        good[key] += 1
    lexicon = {}
    for key, n_good in good.items():
        n = seen[key]
        if n_good >= args.min_cues and n_good / n >= args.min_precision:
            lexicon[f"{key[0]}|{key[1]}"] = [n_good, n]
    OUT.write_text(json.dumps(dict(sorted(lexicon.items())), indent=0) + "\n")
    print(f"{len(lexicon)} cue frames written to {OUT}")


if __name__ == "__main__":
    main()
