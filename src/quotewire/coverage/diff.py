"""How a rendering differs from the reference rendering of the same utterance.

same: the same words up to punctuation, case, spelling variants, contractions, a leading
complementiser; shortened: a cut of the reference's words, in order; reworded: the same
utterance in other words; altered: a fact differs (a number, a negation, a name). Precedence:
altered > shortened > reworded > same, as in the shared COVERAGE.md.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from .text import NEGATIONS, words

LEADERS = ("that", "well", "and", "but", "so")
DATE_WORDS = frozenset(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday spring summer autumn fall winter yesterday today tomorrow
    tonight morning evening week month year""".split()
)


@dataclass(frozen=True)
class Difference:
    relation: str  # same | shortened | reworded | altered
    note: str | None
    diff: list[tuple[str, str]]  # (op, text): op is "=", "-", "+"


def _norm(text: str) -> list[str]:
    w = words(text)
    while w and w[0] in LEADERS:
        w = w[1:]
    return w


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(x == y for y in it) for x in short)


def word_diff(ref: list[str], other: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, ref, other, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(ref[i1:i2])))
        else:
            if i2 > i1:
                out.append(("-", " ".join(ref[i1:i2])))
            if j2 > j1:
                out.append(("+", " ".join(other[j1:j2])))
    return out


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence start: names, roughly."""
    toks = text.replace("“", " ").replace("”", " ").replace('"', " ").split()
    out = set()
    for i, t in enumerate(toks):
        w = t.strip(".,;:!?()'’")
        if w[:1].isupper() and i > 0 and not toks[i - 1].endswith((".", "!", "?")) and w.lower() not in ("i",):
            out.add(w.lower())
    return out


def _title_case(text: str) -> bool:
    ws = [w for w in text.split() if w[:1].isalpha()]
    return len(ws) >= 3 and sum(w[0].isupper() for w in ws) >= 0.7 * len(ws)


def compare(reference: str, rendering: str) -> Difference:
    ref, oth = _norm(reference), _norm(rendering)
    diff = word_diff(ref, oth)
    changed_numbers = {t for op, seg in diff if op == "+" for t in seg.split() if t[0].isdigit()} - set(ref)
    if changed_numbers:
        return Difference("altered", f"number: {', '.join(sorted(changed_numbers))}", diff)
    removed = {t for op, seg in diff if op == "-" for t in seg.split()}
    added = {t for op, seg in diff if op == "+" for t in seg.split()}
    if (added & DATE_WORDS) and (removed & DATE_WORDS) and (added & DATE_WORDS) != (removed & DATE_WORDS):
        return Difference("altered", f"date: {', '.join(sorted(removed & DATE_WORDS))} -> {', '.join(sorted(added & DATE_WORDS))}", diff)
    # a negation that flips: a short edit holding "not" inside kept words, not a whole clause cut
    flips = [op for op, seg in diff if op in "-+" and len(seg.split()) <= 3 and NEGATIONS & set(seg.split())]
    neg_ref, neg_oth = sum(w in NEGATIONS for w in ref), sum(w in NEGATIONS for w in oth)
    if flips and (neg_ref == 0) != (neg_oth == 0):
        return Difference("altered", "negation " + ("added" if flips[0] == "+" else "dropped"), diff)
    # a swapped actor: the rendering names someone the reference does not, in place of
    # someone it does (a headline in Title Case capitalises everything, so it cannot tell)
    names_ref, names_oth = _names(reference), _names(rendering)
    added, dropped = names_oth - names_ref - set(ref), names_ref - names_oth - set(oth)
    if added and dropped and not _title_case(rendering):
        return Difference("altered", f"name: {', '.join(sorted(dropped))} -> {', '.join(sorted(added))}", diff)
    if ref == oth:
        return Difference("same", None, diff)
    if len(oth) < len(ref) and _is_subsequence(oth, ref):
        return Difference("shortened", f"{len(ref) - len(oth)} of {len(ref)} words dropped", diff)
    return Difference("reworded", None, diff)
