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

from .lexicon import is_speech_lemma
from .quotes import ALL_MARKS

CLAUSE_DEPS = ("ccomp", "xcomp", "dobj", "oprd")


_WHEN = ("DATE", "TIME")


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
            # ("promised on Tuesday that ...": a date is when, never what was said)
            if c.dep_ == "prep" and any(g.dep_ in ("pobj", "pcomp") and g.ent_type_ not in _WHEN for g in c.children):
                yield "prep_" + c.lower_
        if tok.dep_ in ("parataxis", "ccomp") and tok.head.i != tok.i and "ccomp" not in deps and "nsubj" in deps:
            yield "parataxis"
        elif _comma_conj(tok, deps):
            yield "parataxis"
    elif tok.pos_ in ("NOUN", "ADJ"):
        if tok.dep_ in ("attr", "acomp", "dobj") and tok.head.pos_ in ("VERB", "AUX"):
            # "is a staunch opponent of X", "has been critical of X", "raised questions about X"
            for c in tok.children:
                if c.dep_ == "prep" and any(g.dep_ in ("pobj", "pcomp") for g in c.children):
                    yield "prep_" + c.lower_
        for c in tok.children:
            if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ in ("that", "whether", "if") for g in c.children):
                yield "acl"
                break


def _comma_conj(tok: Token, deps: set[str]) -> bool:
    """'The world is in uncharted territory, the head of the WHO said.': sm often makes the cue a
    conjunct of the content's verb; with a comma and no 'and' before its subject it is the
    cue hanging off the content (parataxis), not a second clause."""
    if tok.dep_ != "conj" or tok.head.i >= tok.i or not is_speech_lemma(tok.lemma_) or deps & {"ccomp", "dobj", "xcomp"}:
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i), None)
    if subj is None or subj.left_edge.i == 0 or tok.doc[subj.left_edge.i - 1].text != ",":
        return False
    return not any(c.dep_ == "cc" and c.i < tok.i for c in tok.head.children)


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


RIGHT_SIDE_FRAMES = ("ccomp", "dobj")


def content_tokens(tok: Token, frame: str) -> list[tuple[int, int]]:
    """Token ranges of the content that ``tok`` governs in ``frame``, in text order.

    When the content follows the cue, it runs to the end of the cue's phrase: PolNeAR train
    says so for objects ("cited remarks Trump had made ... as examples of ...": 46% exact
    against 43% for the object's subtree alone) and no worse for clauses.
    """
    ranges = _frame_tokens(tok, frame)
    if len(ranges) == 1 and (frame in RIGHT_SIDE_FRAMES or frame.startswith("prep_")) and ranges[0][0] > tok.i:
        start, end = ranges[0]
        # up to the first right-hand child that starts something else: a coordinated verb
        # ("... and said ..."), a clause after a comma, a parenthetical
        stop = tok.right_edge.i + 1
        for c in tok.rights:
            if c.i >= end and c.dep_ == "conj" and _loose_participle(tok, c):
                continue
            if c.i >= end and (c.dep_ in ("conj", "cc", "parataxis") or (c.dep_ in ("advcl", "npadvmod") and tok.doc[c.left_edge.i - 1].text == ",")):
                stop = c.left_edge.i
                break
        end = max(end, stop)
        while end > start + 1 and tok.doc[end - 1].is_punct and tok.doc[end - 1].text not in ALL_MARKS:
            end -= 1
        return [(start, end)]
    return ranges


def _loose_participle(tok: Token, conj: Token) -> bool:
    """'..., demonstrated in the 17 catches': a participle after a comma, with no 'and' and no
    subject of its own, that sm made a conjunct of the cue; it modifies the content."""
    return (
        conj.tag_ in ("VBN", "VBG") or (conj.tag_ == "VBD" and not any(c.dep_ in ("dobj", "ccomp") for c in conj.children))
    ) and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children) and not any(
        c.dep_ == "cc" and c.i < conj.i for c in tok.children
    ) and tok.doc[conj.left_edge.i - 1].text == ","


def _frame_tokens(tok: Token, frame: str) -> list[tuple[int, int]]:
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
