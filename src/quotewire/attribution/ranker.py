"""A candidate ranker for reported speech: is this (cue, frame, content, subject) an attribution?

The lexicon alone knows how often a (lemma, frame) pair was a cue in PolNeAR train; the
ranker adds the context that decides a single case: who the subject is, negation and modals,
where the content stands, whether it is quoted. A logistic regression over sparse string
features, trained by tools/train_ranker.py on PolNeAR train and stored as ranker.json
(weights, the threshold chosen on dev, and how it was trained). Plain Python at run time.
"""
from __future__ import annotations

import functools
import json
import math
from importlib import resources
from typing import Iterable

from spacy.tokens import Doc, Token

from .lexicon import cue_lemma

MODAL = frozenset({"would", "could", "may", "might", "should", "can", "will", "must"})
WH = frozenset({"what", "who", "whom", "which", "why", "how", "when", "where", "whether", "if"})


def _bucket(n: int) -> str:
    for limit in (1, 3, 7, 15, 31):
        if n <= limit:
            return str(limit)
    return "32+"


def subject_kind(subj: Token | None) -> str:
    if subj is None:
        return "none"
    low = subj.lower_
    if subj.pos_ == "PRON":
        return "pron:" + low if low in ("he", "she", "they", "it", "i", "we", "you", "who", "that", "which") else "pron"
    if subj.ent_type_:
        return "ent:" + subj.ent_type_
    plural = "pl" if subj.tag_ in ("NNS", "NNPS") else "sg"
    return f"{subj.pos_}:{plural}"


def features(
    doc: Doc, tok: Token, frame: str, subj: Token | None, content_tokens: int,
    content_first: Token | None, content_before: bool, in_quote: bool, content_quoted: bool,
) -> list[str]:
    """Sparse features of one candidate (the lexicon score is left out: it was counted on the
    same train articles the ranker learns from, and would leak their labels)."""
    lemma = cue_lemma(tok.lemma_)
    sk = subject_kind(subj)
    f = [
        "bias", f"lf={lemma}|{frame}", f"l={lemma}", f"f={frame}", f"tag={tok.tag_}", f"dep={tok.dep_}",
        f"hdep={tok.head.dep_ if tok.head.i != tok.i else 'ROOT'}", f"subj={sk}", f"l={lemma}|subj={sk}",
        f"f={frame}|subj={sk}", f"l={lemma}|dep={tok.dep_}", f"len={_bucket(content_tokens)}",
        f"f={frame}|len={_bucket(content_tokens)}",
    ]
    if subj is not None:
        f.append(f"subjdep={subj.dep_}")
    for c in tok.children:
        if c.dep_ == "neg":
            f.append("neg")
        elif c.dep_ in ("aux", "auxpass") and c.lower_ in MODAL:
            f.append("modal")
        elif c.dep_ == "auxpass":
            f.append("passive")
    if content_first is not None:
        first = content_first.lower_
        f.append("cstart=" + (first if first in WH or first in ("that", "to") else content_first.pos_))
    if content_before:
        f.append("cbefore")
        f.append(f"l={lemma}|cbefore")
    if in_quote:
        f.append("inquote")
        f.append(f"f={frame}|inquote")
    if content_quoted:
        f.append("cquote")
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    f.append("prev=" + prev)
    if tok.i + 1 < len(doc):
        f.append("next=" + doc[tok.i + 1].lower_)
    return f


class Ranker:
    def __init__(self, weights: dict[str, float], threshold: float, meta: dict) -> None:
        self.weights = weights
        self.threshold = threshold
        self.meta = meta

    def probability(self, feats: Iterable[str]) -> float:
        w = self.weights
        z = sum(w.get(x, 0.0) for x in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.lru_cache(maxsize=1)
def load_ranker() -> Ranker | None:
    """The trained ranker shipped with the package, or None (then the lexicon threshold rules)."""
    path = resources.files(__package__).joinpath("ranker.json")
    if not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Ranker(raw["weights"], raw["threshold"], raw.get("meta", {}))
