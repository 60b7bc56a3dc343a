"""Direct quotes: a quote that opens its sentence and a cue right after it or right before it.

    "...," the Russian leader said.     "...," said Smith.     Putin said: "..."
    "We hear ...," he said. "We suggested ..."   (one attribution, two pieces)

A quote that does not open its clause ("X are used "in the battle," Putin said") is left to
the reported-speech sieve, which gives it the whole clause and calls it mixed.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..model import Span
from .common import text_of, TokenIndex, cue_tokens, source_span, subject_of, token_spans
from .lexicon import is_speech_lemma
from .quotes import ALL_MARKS, Quote

MAX_TAIL_TOKENS = 24  # "...," the Russian president said in response to a question ...
NAME_POS = ("PROPN", "PRON", "NOUN")
DASHES = ("―", "—", "–", "-", "--")


@dataclass
class DirectHit:
    quote: Quote
    pieces: list[tuple[int, int]]
    cue: tuple[Span, ...]
    source: Span | None
    subject: Token | None
    cue_head: int
    rule: str


def _opens_clause(text: str, para_start: int, prev_end: int, q: Quote) -> bool:
    """Nothing but punctuation between the clause start (paragraph, sentence or previous quote) and q."""
    lead = text[max(para_start, prev_end) : q.start]
    # the last sentence boundary in lead
    cut = max(lead.rfind(". "), lead.rfind("? "), lead.rfind("! "), lead.rfind(": "))
    if cut >= 0:
        lead = lead[cut + 2 :]
    return not any(ch.isalnum() for ch in lead.strip(ALL_MARKS))


def _cue_after(doc: Doc, index: TokenIndex, q: Quote, limit: int) -> tuple[Token, Token | None] | None:
    """A speech verb with a subject (or a 'said Smith' inversion) just after the quote."""
    first = index.token_at(q.end)
    if first < len(doc) and doc[first].idx < q.end:
        first += 1
    last = first
    for i in range(first, min(len(doc), first + MAX_TAIL_TOKENS)):
        tok = doc[i]
        if tok.idx >= limit or "\n" in tok.text or tok.text in ALL_MARKS:
            break
        last = i
        if tok.text in (".", "?", "!", ";"):
            break
    tail = doc[first : last + 1]
    if len(tail) >= 2 and tail[0].text in DASHES and tail[1].pos_ == "PROPN":
        # “...” ― Pamela Padilla: a byline-style dash is the cue, the name the source
        name = tail[1]
        while name.i + 1 < len(doc) and doc[name.i + 1].pos_ == "PROPN" and doc[name.i + 1].i <= last:
            name = doc[name.i + 1]
        return tail[0], name
    for tok in tail:
        if tok.pos_ in ("VERB", "AUX") and (is_speech_lemma(tok.lemma_) or _has_subject_in(tok, first, last)):
            subj = subject_of(tok)
            if subj is not None and (first <= subj.i <= last or subj.lower_ in ("who",)):
                return tok, subj
            if subj is None:
                # "..., said Smith": the name after the verb, often parsed as a dobj or appos
                for c in tok.rights:
                    if c.pos_ in NAME_POS and c.i <= last and c.dep_ in ("dobj", "nsubj", "attr", "npadvmod", "appos"):
                        return tok, c
                if is_speech_lemma(tok.lemma_) and tok.i == first:
                    return tok, None
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            break  # another verb stands between the quote and any cue
    return None


def _has_subject_in(tok: Token, first: int, last: int) -> bool:
    return any(c.dep_ == "nsubj" and first <= c.i <= last and c.pos_ in NAME_POS for c in tok.children) and tok.i - first <= 6


def _cue_before(doc: Doc, index: TokenIndex, q: Quote, floor: int) -> tuple[Token, Token | None] | None:
    """``S V: "..."`` or ``S V, "..."``: a speech verb ending the text just before the quote."""
    j = index.token_at(q.start) - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j < 0 or doc[j].idx < floor:
        return None
    sep = doc[j]
    if sep.text not in (":", ","):
        return None
    for i in range(j - 1, max(-1, j - 8), -1):
        tok = doc[i]
        if tok.idx < floor or tok.text in ALL_MARKS or tok.text in (".", "?", "!"):
            return None
        if tok.pos_ in ("VERB", "AUX") and is_speech_lemma(tok.lemma_):
            subj = subject_of(tok)
            if sep.text == "," and subj is None:
                return None
            return tok, subj
    return None


def find_direct(doc: Doc, quotes: list[Quote], paragraphs: list[tuple[int, int]], index: TokenIndex) -> list[DirectHit]:
    text = text_of(doc)
    hits: list[DirectHit] = []
    para_of = _paragraph_lookup(paragraphs)
    prev_end = 0
    last_hit: DirectHit | None = None
    for n, q in enumerate(quotes):
        p_start, p_end = para_of(q.pieces[-1][0])
        next_start = quotes[n + 1].start if n + 1 < len(quotes) else len(text)
        found = None
        rule = "direct.cue_after.v1"
        if len(q.inner_text(text).split()) >= 2:
            if _opens_clause(text, para_of(q.start)[0], prev_end, q):
                found = _cue_after(doc, index, q, min(p_end, next_start))
            if found is None:
                # 'Trump said, "When people ..."': only a cue and its subject before the quote
                found = _cue_before(doc, index, q, max(para_of(q.start)[0], prev_end))
                rule = "direct.cue_before.v1"
        if last_hit is not None and (
            (found is not None and found[0].i == last_hit.cue_head)
            or (found is None and _follows(doc, index, last_hit, q, para_of))
        ):
            # "A," he said. "B" / "A," he said, "B": a quote with no cue of its own, right
            # after an attributed one, is the same attribution's next piece
            last_hit.pieces.extend(q.pieces)
            prev_end = q.end
            continue
        if found is None:
            prev_end = q.end
            last_hit = None
            continue
        verb, subj = found
        cue_ids = cue_tokens(verb)
        source = source_span(doc, subj) if subj is not None else None
        hit = DirectHit(q, list(q.pieces), token_spans(doc, cue_ids), source, subj, verb.i, rule)
        hits.append(hit)
        last_hit = hit if rule == "direct.cue_after.v1" else None
        prev_end = q.end
    return hits


def _follows(doc: Doc, index: TokenIndex, hit: DirectHit, q: Quote, para_of) -> bool:
    """q opens the sentence right after the one holding hit's cue, in the same paragraph."""
    cue_end = hit.cue[-1].end
    if para_of(cue_end) != para_of(q.start) or q.start < cue_end:
        return False
    sent = doc[index.token_at(cue_end - 1)].sent
    sent_end = sent.end_char
    if q.start >= sent_end:
        return not text_of(doc)[sent_end : q.start].strip()
    # the same sentence goes on: "A," he said, "B"
    between = text_of(doc)[cue_end : q.start]
    return len(between) < 200 and not any(m in between for m in ALL_MARKS)


def _paragraph_lookup(paragraphs: list[tuple[int, int]]):
    from bisect import bisect_right

    starts = [p[0] for p in paragraphs]

    def para_of(char: int) -> tuple[int, int]:
        i = bisect_right(starts, char) - 1
        return paragraphs[i] if i >= 0 else (0, 0)

    return para_of
