"""``rules.v1``: the ordered sieves of ATTRIBUTION.md route (a), most precise first.

Direct quotes with an adjacent cue claim their cue verbs first; reported speech (including
mixed quotes and "according to") takes the rest of the cue lexicon.
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Attribution, Span
from . import Candidate, register
from .common import text_of, TokenIndex
from .direct import find_direct
from .labels import find_labels
from .quotes import Quote, paragraphs
from .reported import find_reported

DIRECT_PRIORITY = 2.0
ACCORDING_PRIORITY = 1.5
LABEL_PRIORITY = 0.6


@register("rules.v1")
def rule_candidates(doc: Doc, quotes: list[Quote]) -> list[Candidate]:
    index = TokenIndex(doc)
    out: list[Candidate] = []
    direct = find_direct(doc, quotes, paragraphs(text_of(doc)), index)
    for hit in direct:
        content = tuple(Span(s, e) for s, e in hit.pieces)
        source = (hit.source,) if hit.source else ()
        a = Attribution("direct", content, hit.cue, source, None, 0.9, hit.rule)
        out.append(Candidate(a, hit.subject if hit.source else None, DIRECT_PRIORITY))
    for content, cue, source, head in find_labels(doc, index):
        a = Attribution("indirect", tuple(content), (cue,), (source,), None, 0.6, "label.colon.v1")
        out.append(Candidate(a, doc[head], LABEL_PRIORITY))
    claimed = {hit.cue_head for hit in direct}
    for rep in find_reported(doc, claimed, quotes):
        source = (rep.source,) if rep.source else ()
        a = Attribution("indirect", tuple(rep.content), rep.cue, source, None, round(rep.score, 3), rep.rule)
        priority = ACCORDING_PRIORITY if "according" in rep.rule else rep.score
        out.append(Candidate(a, rep.subject if rep.source else None, priority))
    return out
