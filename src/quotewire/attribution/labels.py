"""Headline labels: ``Pat Caddell: Democrat Voters Worried ...``, ``Poll: Trump Ties Clinton``.

A line that opens with a short name and a colon attributes the rest of the line to that
name (the colon is the cue, as data/ANNOTATION.md allows when nothing else is). Section
labels ("Update:", "Photo:") and datelines in capitals are not sources.
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..model import Span
from .common import char_span, text_of
from .quotes import paragraphs

MAX_LABEL_TOKENS = 5
NOT_SOURCES = frozenset(
    """update updated photo photos video watch read listen note editor editors related see also
    breaking exclusive live opinion analysis correction clarification q a tags share caption
    credit source sources getty ap file warning""".split()
)


def find_labels(doc: Doc, index) -> list[tuple[list[Span], Span, Span, int]]:
    """(content spans, cue span, source span, source head token) for each labelled line."""
    text = text_of(doc)
    out = []
    for p_start, p_end in paragraphs(text):
        colon = text.find(":", p_start, min(p_end, p_start + 80))
        if colon < 0:
            continue
        label = text[p_start:colon]
        if not label.strip() or label.strip().isupper() and len(label.strip()) > 3:
            continue  # WASHINGTON: is a dateline
        toks = [doc[i] for i in index.tokens_between(p_start, colon)]
        toks = [t for t in toks if not t.is_space]
        while toks and not any(ch.isalnum() for ch in toks[0].text):
            toks = toks[1:]  # a list's bullet ("• Lavrov: ..."), tagged NUM by the model
        if not toks or len(toks) > MAX_LABEL_TOKENS:
            continue
        if any(t.pos_ in ("VERB", "AUX", "NUM", "PRON") and t.lower_ not in ("he", "she") for t in toks):
            continue
        if not any(t.pos_ in ("PROPN", "NOUN") or t.lower_ in ("he", "she") for t in toks):
            continue
        if any(t.lower_ in NOT_SOURCES for t in toks):
            continue
        if label.count("(") > label.count(")") or label.count("[") > label.count("]"):
            continue  # "General Motors Company (NYSE:GM) said": a ticker's colon, not a label
        rest = [doc[i] for i in index.tokens_between(colon + 1, p_end)]
        rest = [t for t in rest if not t.is_space]
        if len(rest) < 3:
            continue
        if sum(t.like_num for t in rest) >= 2 and not any(t.pos_ in ("VERB", "AUX") for t in rest):
            continue  # "Containers: 1 Green, 1 Red, 1 tsp.": a list of amounts, no statement
        if all(t.ent_type_ in ("GPE", "LOC") for t in toks) and _is_clause(rest):
            continue  # "Kathmandu: Indian coach X said ...": a place before a sentence is a dateline
        content = char_span(doc, rest[0].i, rest[-1].i + 1)
        source = char_span(doc, toks[0].i, toks[-1].i + 1)
        if content is None or source is None:
            continue
        head = max(toks, key=lambda t: (t.pos_ == "PROPN", t.i))
        out.append(([content], Span(colon, colon + 1), source, head.i))
    return out


def _is_clause(tokens) -> bool:
    """A sentence with a finite verb and its subject, as a report's first line has (a headline after
    a label is mostly a verbless phrase or a bare claim: "Poll: Trump Ties Clinton")."""
    return len(tokens) > 12 and any(t.dep_ == "nsubj" and t.head.tag_ in ("VBD", "VBZ", "VBP") for t in tokens)
