"""Reported speech on the parse: a cue word, the content its frame governs, its subject.

    Putin said (that) Russia wants ...          (ccomp)
    Russia wants ..., Putin said.               (ccomp before the cue)
    Russia, Putin said, wants ...               (parataxis: the content is the host clause)
    Putin expects the US to help ...            (xcomp with its subject)
    ... according to Putin / According to Putin, ...
    It was reported that ...                    (no source)

Mixed quotes come out of here too: a content that embeds a quote is mixed.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..model import Span
from .common import text_of, char_span, coordinated_cue, cue_tokens, source_span, subject_of, token_spans
from .frames import content_tokens, verb_frames
from .lexicon import ACCORDING_HEADS, ASKED_LEMMAS, CAPTION_NOUNS, REFUSAL_LEMMAS, frame_score, is_action, is_speech_lemma
from .quotes import ALL_MARKS, Quote
from .ranker import Ranker, features, load_ranker

#: without the ranker, a (lemma, frame) pair must have given the gold content this often in train
MIN_FRAME_SCORE = 0.15
#: with it, any pair that ever did is a candidate, and the ranker decides
CANDIDATE_FLOOR = 0.0001
EXPLETIVES = ("it", "there")
DANGLING_LEMMAS = frozenset({"say", "add", "stress", "note", "emphasize", "emphasise", "report"})


@dataclass
class ReportedHit:
    content: list[Span]
    cue: tuple[Span, ...]
    source: Span | None
    subject: Token | None
    cue_head: int
    rule: str
    score: float
    features: list[str] | None = None


def _frames(tok: Token, min_score: float) -> list[tuple[str, float]]:
    """The token's frames the lexicon knows, best first."""
    out = []
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in REFUSAL_LEMMAS:
        return out
    if tok.lemma_.lower() in ASKED_LEMMAS and tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return out
    negated = any(c.dep_ == "neg" for c in tok.children)
    for frame in verb_frames(tok):
        if is_action(tok.lemma_, frame):
            continue
        if negated and frame.startswith("prep_"):
            continue  # "did not respond to a request", "has not commented on": nothing was said
        score = frame_score(tok.lemma_, frame)
        if frame == "parataxis" and is_speech_lemma(tok.lemma_):
            score = max(score, 0.5)
        if score >= min_score:
            out.append((frame, score))
    return sorted(out, key=lambda x: -x[1])


def _candidate(doc: Doc, tok: Token, frame: str, score: float, lookup, ranker) -> ReportedHit | None:
    """The attribution that tok would head in frame, scored by the ranker when there is one."""
    ranges = content_tokens(tok, frame)
    if not ranges:
        return None
    subj = subject_of(tok) if tok.pos_ in ("VERB", "AUX") else subject_of(tok.head)
    if subj is not None and subj.lemma_.lower() in CAPTION_NOUNS:
        return None
    cue_ids = cue_tokens(tok)
    if tok.pos_ in ("NOUN", "ADJ"):
        # "expressed confidence that ...", "is a staunch opponent of ...": the verb that
        # takes the noun is part of the cue
        if tok.dep_ in ("dobj", "attr", "acomp") and tok.head.pos_ in ("VERB", "AUX"):
            cue_ids = sorted(set(cue_ids) | set(cue_tokens(tok.head)) | set(range(tok.head.i, tok.i + 1)))
        else:
            return None
    if frame == "dobj":
        # "expressed confidence that ...": the noun joins the cue, its clause is the content
        obj = next(c for c in tok.children if c.dep_ == "dobj")
        clause = _that_clause(obj)
        if clause is not None:
            ranges = [(clause.left_edge.i, clause.right_edge.i + 1)]
            cue_ids = sorted(set(cue_ids) | set(range(tok.i, obj.i + 1)))
    if frame.startswith("prep_"):
        # "calling for", "accusing her of": the preposition belongs to the cue
        prep = next(c for c in tok.children if c.dep_ == "prep" and "prep_" + c.lower_ == frame)
        if 0 < prep.i - tok.i <= 3:
            cue_ids = sorted(set(cue_ids) | set(range(tok.i, prep.i + 1)))
        else:
            cue_ids = sorted(set(cue_ids) | {prep.i})
    exclude = set(cue_ids) | _reporting_participles(doc, ranges, tok)
    source = None
    if subj is not None:
        passive = any(c.dep_ == "nsubjpass" for c in tok.children)
        if subj.lower_ in EXPLETIVES and (passive or subj.dep_ == "expl"):
            subj = None
        else:
            exclude |= set(range(subj.left_edge.i, subj.right_edge.i + 1))
            source = source_span(doc, subj)
    spans = _content_spans(doc, ranges, exclude)
    if not spans:
        return None
    spans = _to_quote_end(spans, lookup)
    if subj is None and not any(c.dep_ in ("nsubjpass", "expl") for c in tok.children):
        # a cue with no subject and no passive is a noun phrase or a fragment: too loose
        if tok.dep_ not in ("ROOT",) or frame not in ("ccomp",):
            return None
    n_content = sum(1 for sp in spans for _ in doc.char_span(sp.start, sp.end, alignment_mode="expand") or ())
    first = doc[ranges[0][0]]
    feats = features(
        doc, tok, frame, subj, n_content, first, spans[0].start < doc[tok.i].idx,
        lookup.inside(tok.idx), any(lookup.any_in(sp.start, sp.end) for sp in spans),
    )
    if ranker:
        score = ranker.probability(feats)
        if score < ranker.threshold:
            return None
    return ReportedHit(spans, token_spans(doc, cue_ids), source, subj, tok.i, f"reported.{frame}.v1", score, feats)


def _to_quote_end(spans: list[Span], lookup: "_QuoteLookup") -> list[Span]:
    """A content that opens a quotation runs to its closing mark: the parser ends a sentence at
    an ellipsis inside a quote ('"... paid off mortgages . . . they're getting ..."')."""
    last = spans[-1]
    piece = lookup.closed_piece_at(last.end - 1)
    if piece is None or piece[0] < spans[0].start or piece[1] <= last.end:
        return spans
    return spans[:-1] + [Span(last.start, piece[1])]


def _content_spans(doc: Doc, ranges: list[tuple[int, int]], exclude: set[int]) -> list[Span]:
    spans: list[Span] = []
    for start, end in ranges:
        run_start = None
        for i in range(start, end + 1):
            inside = i < end and i not in exclude
            if inside and run_start is None:
                run_start = i
            elif not inside and run_start is not None:
                span = char_span(doc, run_start, i)
                if span:
                    spans.append(span)
                run_start = None
    return spans


def _according(doc: Doc, tok: Token) -> ReportedHit | None:
    """'according to X': the host clause is the content, X the source."""
    to = [c for c in tok.children if c.lower_ == "to"]
    if not to:
        return None
    objs = [g for g in to[0].children if g.dep_ == "pobj"]
    if not objs:
        return None
    src = objs[0]
    phrase = set(range(tok.i, to[0].right_edge.i + 1))
    host = tok.head if tok.head.i != tok.i else tok
    while host.head.i != host.i and host.dep_ in ("prep", "pobj", "conj"):
        host = host.head  # "X proposed ... but has not received ..., according to Y": the whole coordination
    sent = tok.sent
    if host.i == tok.i:
        ranges = [(sent.start, sent.end)]
    else:
        ranges = [(host.left_edge.i, host.right_edge.i + 1)]
        if host.dep_ == "ROOT":
            ranges = [(sent.start, sent.end)]
    spans = _content_spans(doc, ranges, phrase)
    if not spans:
        return None
    source = source_span(doc, src)
    if tok.i == sent.start or (doc[tok.i - 1].is_punct and tok.i - 1 == sent.start):
        # "According to Putin, Russia and the US have ...": the source ends at the comma
        comma = next((t for t in doc[src.i : src.right_edge.i + 1] if t.text == ","), None)
        if comma is not None:
            source = char_span(doc, src.left_edge.i, comma.i)
            spans = _content_spans(doc, [(comma.i + 1, sent.end)], set()) or spans
    return ReportedHit(spans, token_spans(doc, [tok.i, to[0].i]), source, src, tok.i, "reported.according_to.v1", 0.9)


def _reporting_participles(doc: Doc, ranges: list[tuple[int, int]], cue: Token) -> set[int]:
    """', adding that ...' inside a content is a report of its own, not part of this content."""
    out: set[int] = set()
    for start, end in ranges:
        for t in doc[start:end]:
            if t.i > cue.i and t.dep_ == "advcl" and t.tag_ == "VBG" and is_speech_lemma(t.lemma_):
                lo = t.left_edge.i
                if lo > 0 and doc[lo - 1].text == ",":
                    lo -= 1
                out.update(range(lo, t.right_edge.i + 1))
            elif t.i > cue.i and coordinated_cue(t, cue):
                # "X said A and claimed B": sm hangs the second cue off A; it is X's second report
                lo = t.left_edge.i
                while lo > start and (doc[lo - 1].dep_ == "cc" or doc[lo - 1].text == ","):
                    lo -= 1
                out.update(range(lo, t.right_edge.i + 1))
    return out


def _that_clause(noun: Token) -> Token | None:
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            return c
    return None


def _dangling(doc: Doc, tok: Token) -> ReportedHit | None:
    """'Russia intends .... Putin said on Thursday.': a bare 'X said' sentence reports the one before."""
    if tok.dep_ != "ROOT" or tok.lemma_ not in DANGLING_LEMMAS:
        return None
    # tok.sent walks the whole sentence: asked only of the one root a sentence has, never of
    # every token (that made one 500 KB quotation cost the square of its length)
    sent = tok.sent
    if any(c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis", "advcl", "conj") for c in tok.children):
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in doc[tok.i + 1 : sent.end]):
        return None  # "Toyota said in a statement that it would ...": the clause is here, misparsed
    subj = subject_of(tok)
    if subj is None or subj.i > tok.i or sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    if "\n" in text_of(doc)[prev.end_char : sent.start_char] or any(t.text in ALL_MARKS for t in sent):
        return None
    spans = _content_spans(doc, [(prev.start, prev.end)], set())
    if not spans:
        return None
    return ReportedHit(spans, token_spans(doc, cue_tokens(tok)), source_span(doc, subj), subj, tok.i, "reported.previous_sentence.v1", 0.4)


class _QuoteLookup:
    """Is a character offset inside a quote? (bisect over the quote pieces)"""

    def __init__(self, quotes: list[Quote]) -> None:
        self.pieces = sorted(p for q in quotes for p in q.pieces)
        self.starts = [p[0] for p in self.pieces]
        # a quote left open runs to its paragraph's end: no closing mark to run to
        self.closed = sorted(p for q in quotes if q.closed for p in q.pieces)
        self.closed_starts = [p[0] for p in self.closed]

    def inside(self, char: int) -> bool:
        k = bisect_right(self.starts, char) - 1
        return k >= 0 and self.pieces[k][0] <= char < self.pieces[k][1]

    def closed_piece_at(self, char: int) -> tuple[int, int] | None:
        k = bisect_right(self.closed_starts, char) - 1
        return self.closed[k] if k >= 0 and self.closed[k][0] <= char < self.closed[k][1] else None

    def any_in(self, start: int, end: int) -> bool:
        k = bisect_right(self.starts, end - 1) - 1
        return k >= 0 and self.pieces[k][1] > start


def find_reported(
    doc: Doc, claimed: set[int], quotes: list[Quote] | None = None, ranker: Ranker | None | bool = True,
    min_score: float | None = None, every_frame: bool = False,
) -> list[ReportedHit]:
    """Reported-speech candidates. With a ranker (the shipped one by default), every frame the
    lexicon knows at all is a candidate and the ranker decides; without one (ranker=False)
    the lexicon score alone does, at ``min_score``. ``every_frame`` returns each frame's candidate
    (for training) instead of the best one per cue word."""
    if ranker is True:
        ranker = load_ranker()
    if min_score is None:
        min_score = CANDIDATE_FLOOR if ranker else MIN_FRAME_SCORE
    lookup = _QuoteLookup(quotes or [])
    hits: list[ReportedHit] = []
    for tok in doc:
        if tok.i in claimed or tok.pos_ not in ("VERB", "AUX", "NOUN", "ADJ"):
            continue
        if tok.lemma_.lower() in ACCORDING_HEADS and tok.dep_ == "prep":
            hit = _according(doc, tok)
            if hit:
                hits.append(hit)
            continue
        dangling = _dangling(doc, tok)
        if dangling is not None:
            hits.append(dangling)
            continue
        frames = _frames(tok, min_score)
        if not ranker and not every_frame:
            frames = frames[:1]
        options = [h for h in (_candidate(doc, tok, frame, score, lookup, ranker) for frame, score in frames) if h]
        if every_frame:
            hits.extend(options)
        elif options:
            hits.append(options[0])  # the frame the lexicon rates highest
    return hits
