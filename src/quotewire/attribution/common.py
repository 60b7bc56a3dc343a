"""Small helpers shared by the sieves: token ranges to character spans, trimming, cue groups."""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

from spacy.tokens import Doc, Token

from ..model import Span
from .lexicon import is_speech_lemma

EDGE_PUNCT = ",;:—–- \n\t"
SUBJECT_DEPS = ("nsubj", "nsubjpass")


def text_of(doc: Doc) -> str:
    """doc.text, built once: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get("quotewire_text")
    if text is None:
        text = doc.user_data["quotewire_text"] = doc.text
    return text


class TokenIndex:
    """Maps character offsets to token indices for one Doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def token_at(self, char: int) -> int:
        """Index of the token that contains or precedes char."""
        return max(0, bisect_right(self.starts, char) - 1)

    def tokens_between(self, start: int, end: int) -> range:
        """Token indices whose start lies in [start, end)."""
        lo = bisect_right(self.starts, start - 1)
        hi = bisect_right(self.starts, end - 1)
        return range(lo, hi)


def char_span(doc: Doc, start_tok: int, end_tok: int) -> Span | None:
    """[start, end) tokens as a character Span with edge punctuation and spaces trimmed.

    Quotation marks are kept: a direct quote's content includes its marks (ANNOTATION.md).
    """
    if end_tok <= start_tok:
        return None
    text = text_of(doc)
    start = doc[start_tok].idx
    last = doc[end_tok - 1]
    end = last.idx + len(last.text)
    return trim(text, start, end)


def trim(text: str, start: int, end: int, strip: str = EDGE_PUNCT) -> Span | None:
    while start < end and text[start] in strip:
        start += 1
    while end > start and (text[end - 1] in strip or text[end - 1] == "."):
        end -= 1  # a full stop inside a quote is followed by its mark, so it survives
    if end <= start or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return Span(start, end)


def cue_tokens(tok: Token) -> list[int]:
    """The verb group of a cue: auxiliaries and negation before it, a particle after it."""
    ids = [tok.i]
    for c in tok.lefts:
        if c.dep_ in ("aux", "auxpass", "neg") and tok.i - c.i <= 3:
            ids.append(c.i)
    for c in tok.rights:
        if c.dep_ == "prt" and c.i - tok.i <= 2:
            ids.append(c.i)
    return sorted(ids)


def token_spans(doc: Doc, ids: Iterable[int]) -> tuple[Span, ...]:
    """Contiguous runs of token ids as character spans (no trimming)."""
    ids = sorted(set(ids))
    spans: list[Span] = []
    run: list[int] = []
    for i in ids:
        if run and i != run[-1] + 1:
            spans.append(Span(doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]].text)))
            run = []
        run.append(i)
    if run:
        spans.append(Span(doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]].text)))
    return tuple(spans)


def _is_mark(tok: Token) -> bool:
    """A quotation mark the parser took for a word ("’’" closing a quote in some papers)."""
    return all(ch in "'’‘\"“”`´" for ch in tok.text)


def coordinated_cue(t: Token, cue: Token | None = None) -> bool:
    """A speech verb with no subject of its own, coordinated with the verb of a clause that a
    speech verb governs ("Adams said O'Neill was ... and claimed ..."): it shares the outer subject."""
    head = t.head
    if t.dep_ != "conj" or head.dep_ != "ccomp" or not is_speech_lemma(t.lemma_) or t.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) or not is_speech_lemma(head.head.lemma_):
        return False
    return cue is None or head.head.i == cue.i


def subject_of(tok: Token) -> Token | None:
    """The speaker-side subject of a cue: its own, or a coordinated or governing verb's.

    "X said ... and added that ...", "X said ..., adding that ...": the second cue has no
    subject of its own and borrows the first one's.
    """
    if tok.dep_ == "advcl" and tok.tag_ == "VBG":
        # "X said Y, adding that Z": the participle may hang inside Y; its speaker is X's
        for anc in tok.ancestors:
            if anc.pos_ in ("VERB", "AUX") and is_speech_lemma(anc.lemma_):
                subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
                if subj is not None:
                    return subj
    if coordinated_cue(tok):
        tok = tok.head.head  # "Adams said O'Neill was ... and claimed ...": Adams claimed
    seen = 0
    while tok is not None and seen < 4:
        subjects = [c for c in tok.children if c.dep_ == "nsubj" and not _is_mark(c)]
        if len(subjects) > 1:
            # "Embarrassing loss for India but coach says ...": a parse with two subjects; the
            # one that can speak (a name, a pronoun, a title), else the one next to the verb
            from .speakers import ANONYMOUS_HEADS, TITLE_WORDS

            def can_speak(c: Token) -> bool:
                return c.ent_type_ in ("PERSON", "ORG", "NORP") or c.pos_ == "PRON" or c.lemma_.lower() in TITLE_WORDS | ANONYMOUS_HEADS

            speakers = [c for c in subjects if can_speak(c)]
            before = [c for c in (speakers or subjects) if c.i < tok.i]
            return before[-1] if before else (speakers or subjects)[0]
        for c in tok.children:
            if c.dep_ == "nsubj" and not _is_mark(c):
                return c
            if c.dep_ == "agent":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if tok.dep_ in ("conj", "advcl", "xcomp") and tok.head.i != tok.i and tok.pos_ in ("VERB", "AUX"):
            tok = tok.head
            seen += 1
            continue
        if tok.dep_ == "relcl":
            return tok.head
        return None
    return None


def source_span(doc: Doc, subj: Token, avoid: tuple[int, int] | None = None) -> Span | None:
    """The source mention as written: the subject's subtree, without a clause it governs."""
    start, end = subj.left_edge.i, subj.right_edge.i + 1
    if avoid:
        if avoid[0] <= start < avoid[1]:
            start = avoid[1]
        if avoid[0] < end <= avoid[1]:
            end = avoid[0]
    # a relative clause ("who replaced Y") is not part of the mention
    for c in subj.rights:
        if c.dep_ in ("relcl", "acl") and c.i > subj.i:
            end = min(end, c.left_edge.i)
    if subj.lower_ in ("who", "which", "that"):
        start, end = subj.i, subj.i + 1
    return char_span(doc, start, end)
