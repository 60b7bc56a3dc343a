"""Frames: the ways a cue word takes its content in a dependency parse.

A frame names the dependency that carries the content: ``ccomp`` (said that ...), ``xcomp``
(wants to ...), ``dobj`` (called them "deplorables"), ``prep_for`` (called for ...),
``parataxis`` (..., he said, ...: the cue hangs off the content), ``acl`` (a noun cue:
confidence that ...). The lexicon (lexicon.json, learnt from PolNeAR train by
tools/build_lexicon.py) says which (lemma, frame) pairs are cues; ``content_tokens`` turns a
frame into the token ranges of the content.
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Token

CLAUSE_DEPS = ("ccomp", "xcomp", "dobj", "oprd")


def verb_frames(tok: Token) -> Iterator[str]:
    """Every frame this token shows, most specific first."""
    deps = {c.dep_ for c in tok.children}
    if tok.pos_ in ("VERB", "AUX"):
        if "ccomp" in deps or _object_clause(tok) is not None:
            yield "ccomp"
        if "xcomp" in deps:
            yield "xcomp"
        if "dobj" in deps and "ccomp" not in deps:
            yield "dobj"
        for c in tok.children:
            if c.dep_ == "prep" and any(g.dep_ in ("pobj", "pcomp") for g in c.children):
                yield "prep_" + c.lower_
        if tok.dep_ in ("parataxis", "ccomp") and tok.head.i != tok.i and "ccomp" not in deps and "nsubj" in deps:
            yield "parataxis"
    elif tok.pos_ in ("NOUN", "ADJ"):
        for c in tok.children:
            if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ in ("that", "whether", "if") for g in c.children):
                yield "acl"
                break


RELATIVISERS = frozenset({"who", "whom", "which", "that", "whose", "where", "when"})


def _object_clause(tok: Token) -> Token | None:
    """'told the forum he sees ...': sm often makes the clause a relative clause of the object."""
    for obj in tok.children:
        if obj.dep_ != "dobj":
            continue
        for r in obj.rights:
            if r.dep_ == "relcl" and r.left_edge.lower_ not in RELATIVISERS and any(
                c.dep_ == "nsubj" and c.lower_ not in RELATIVISERS and c.i > obj.i for c in r.children
            ):
                return r
    return None


def subtree_range(tok: Token) -> tuple[int, int]:
    """[start, end) token indices of tok's subtree."""
    return tok.left_edge.i, tok.right_edge.i + 1


def content_tokens(tok: Token, frame: str) -> list[tuple[int, int]]:
    """Token ranges of the content that ``tok`` governs in ``frame``, in text order."""
    if frame in ("ccomp", "xcomp", "dobj"):
        comp = [c for c in tok.children if c.dep_ == frame]
        if not comp and frame == "ccomp":
            clause = _object_clause(tok)
            comp = [clause] if clause is not None else []
        if not comp:
            return []
        start, end = subtree_range(comp[0])
        if frame == "dobj":
            # "called them deplorables": the object and its predicate travel together
            for c in tok.children:
                if c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > comp[0].i:
                    end = max(end, c.right_edge.i + 1)
        if frame == "xcomp":
            # "expects US to help": a subject-like object before the infinitive belongs to it
            for c in tok.children:
                if c.dep_ == "dobj" and c.i < comp[0].i and c.i > tok.i:
                    start = min(start, c.left_edge.i)
        return [(start, end)]
    if frame.startswith("prep_"):
        for c in tok.children:
            if c.dep_ == "prep" and "prep_" + c.lower_ == frame:
                objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                if objs:
                    return [subtree_range(objs[0])]
        return []
    if frame == "parataxis":
        head = tok.head
        h_start, h_end = subtree_range(head)
        t_start, t_end = subtree_range(tok)
        return [r for r in ((h_start, t_start), (t_end, h_end)) if r[1] > r[0]]
    if frame == "acl":
        for c in tok.children:
            if c.dep_ in ("acl", "ccomp"):
                return [subtree_range(c)]
    return []
