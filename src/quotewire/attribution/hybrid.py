"""``hybrid.v1``: the rules first, and what only the learned tagger finds (issue #14).

The two miss different things (the rules most "according to" frames and quotes, the tagger
more noun and adjective cues and cues at the end of long sentences), so the product is both:
every rule candidate stays, and a tagger attribution joins when neither its cue nor its
content touches a rule candidate's. The policy's knobs (settings.HYBRID_*) were chosen on
held-out PolNeAR train articles the tagger was not trained on (tools/tune_hybrid.py).
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from ..settings import HYBRID_MIN_TAGGER_SCORE, HYBRID_TAGGER_CONTENT_FOR, HYBRID_TAGGER_CUE_POS
from . import Candidate, get_extractor, register
from .quotes import Quote
from .tagger import tagger_candidates


def _touches(a: Candidate, b: Candidate) -> bool:
    x, y = a.attribution, b.attribution
    return any(s.overlaps(t) for s in x.cue + x.content for t in y.cue + y.content)


def combine(rules: list[Candidate], tagged: list[Candidate], min_score: float = HYBRID_MIN_TAGGER_SCORE,
            trust_tagger: frozenset[str] = HYBRID_TAGGER_CONTENT_FOR) -> list[Candidate]:
    """Rule candidates, plus tagger candidates of at least ``min_score`` that touch none of them.

    Where a rule candidate of a sieve in ``trust_tagger`` and a tagger candidate share their
    cue, the rule's content gives way to the tagger's (the rule keeps its cue, source and speaker)."""
    out = []
    for r in rules:
        a = r.attribution
        if a.rule in trust_tagger:
            same = [t for t in tagged if any(x == y for x in a.cue for y in t.attribution.cue)]
            if len(same) == 1:
                a = replace(a, content=same[0].attribution.content)
                r = Candidate(a, r.subject, r.priority)
        out.append(r)
    for t in tagged:
        if t.attribution.confidence >= min_score and not any(_touches(t, r) for r in out):
            out.append(t)
    return out


def cue_pos_ok(doc: Doc, cand: Candidate, pos: frozenset[str] = HYBRID_TAGGER_CUE_POS) -> bool:
    """A word of the candidate's cue has one of the parts of speech ``pos`` (the POS tagger's,
    no parse needed); an empty ``pos`` keeps every candidate."""
    if not pos:
        return True
    for s in cand.attribution.cue:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is not None and any(t.pos_ in pos for t in span):
            return True
    return False


@register("hybrid.v1")
def hybrid_candidates(doc: Doc, quotes: list[Quote]) -> list[Candidate]:
    tagged = [t for t in tagger_candidates(doc, quotes) if cue_pos_ok(doc, t)]
    return combine(get_extractor("rules.v1")(doc, quotes), tagged)
