"""The attribution stage: ``extract(doc) -> [Attribution]``.

Extractors are registered by versioned name (``rules.v1``); each turns a parsed Doc into
candidates (an Attribution without its speaker, plus the subject token that names the
source). ``extract`` runs the configured extractors, keeps the outermost of nested
candidates, labels the kind from the quotation marks, and resolves speakers. A trained
tagger slots in as one more registered extractor, beside or instead of the rules.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable

from spacy.tokens import Doc, Token

from ..errors import QuotewireError
from ..model import Attribution, Span
from ..wire import bare_dateline_spans, credit_spans
from .common import source_span, text_of
from .quotes import Quote, find_quotes


@dataclass
class Candidate:
    """An attribution before speaker resolution; ``priority`` orders conflicting candidates."""

    attribution: Attribution
    subject: Token | None
    priority: float


ExtractorFn = Callable[[Doc, list[Quote]], list[Candidate]]
EXTRACTORS: dict[str, ExtractorFn] = {}


def register(name: str) -> Callable[[ExtractorFn], ExtractorFn]:
    def deco(fn: ExtractorFn) -> ExtractorFn:
        EXTRACTORS[name] = fn
        return fn

    return deco


def get_extractor(name: str) -> ExtractorFn:
    from . import hybrid, rules, tagger  # noqa: F401  (register rules.v1, tagger.v1, hybrid.v1; the model loads on first use)

    try:
        return EXTRACTORS[name]
    except KeyError:
        raise QuotewireError("Q040", name=name, known=", ".join(sorted(EXTRACTORS))) from None


def extract(doc: Doc, extractors: Iterable[str] | None = None, datelines: Iterable[Span] = ()) -> list[Attribution]:
    """Every attribution in the Doc, in text order, with resolved speakers.

    ``datelines`` are the article's wire datelines (``Article.datelines``, marked by the
    cleaner): never content or source. ``extractors``: the default of settings when None."""
    from ..settings import DEFAULT_EXTRACTORS
    from .speakers import Resolver, build_entities

    if extractors is None:
        extractors = DEFAULT_EXTRACTORS

    quotes = find_quotes(text_of(doc))
    candidates: list[Candidate] = []
    for name in extractors:
        candidates.extend(get_extractor(name)(doc, quotes))
    kept = outermost(candidates)
    text = text_of(doc)
    datelines = list(datelines)
    datelines += [s for s in bare_dateline_spans(text) if all(s.start != d.start for d in datelines)]
    credits = credit_spans(text)
    resolver = Resolver(doc, build_entities(doc, [(d.start, d.end) for d in datelines] + credits), quoted=[(q.start, q.end) for q in quotes])
    starts = [q.start for q in quotes]
    out: list[Attribution] = []
    for cand in sorted(kept, key=lambda c: c.attribution.start):
        a = cand.attribution
        if datelines:
            a = _without_datelines(a, datelines, text_of(doc))
            if not a.content:
                continue
        kind = kind_of(a.content, quotes, starts)
        subject = cand.subject
        if subject is not None and _in_spans(subject.idx, datelines):
            # "PORT ALDEN - The Harbour Authority said": the parser took the dateline for a subject
            subject = next((c for c in subject.head.children if c.dep_ == subject.dep_ and not _in_spans(c.idx, datelines)), None)
            src = source_span(doc, subject) if subject is not None else None
            a = Attribution(a.kind, a.content, a.cue, (src,) if src else (), a.speaker, a.confidence, a.rule)
        while subject is not None and any(s <= subject.idx < e for s, e in credits) and subject.head.i != subject.i:
            subject = subject.head  # "General Motors Company (NYSE:GM)": the company, not the exchange
        speaker = resolver.speaker_for(subject) if a.source else None
        out.append(Attribution(kind, a.content, a.cue, a.source, speaker, a.confidence, a.rule))
    return continue_in_quote_paragraphs(out, quotes, text)


# a sentence boundary: after it the paragraph says something the attribution does not cover
_SENTENCE_END_RE = re.compile(r"[.?!][\"”’']?\s+[\"“‘A-Z]")


def continue_in_quote_paragraphs(found: list[Attribution], quotes: list[Quote], text: str) -> list[Attribution]:
    """A paragraph that is one quote and nothing else, with no cue of its own, goes on with the
    attribution that ends the paragraph before it (the wire convention: '"A," he said.' then a
    paragraph '"B."'); chains over several such paragraphs."""
    if not found or not quotes:
        return found
    from .quotes import paragraphs

    paras = paragraphs(text)
    starts = [p[0] for p in paras]

    def para_index(char: int) -> int:
        return bisect_right(starts, char) - 1

    out = list(found)
    covered = [(s.start, s.end) for a in out for s in a.content + a.cue]
    for q in quotes:
        k = para_index(q.start)
        if not q.double or len(q.inner_text(text).split()) < 4:
            continue  # "'A very good signal'": a subheading in single marks, not more speech
        if k <= 0 or q.start != paras[k][0] or any(s < q.end and q.start < e for s, e in covered):
            continue
        if text[q.end : paras[para_index(q.end - 1)][1]].strip(" .,;\t\"”’'"):
            continue  # the quote's paragraph goes on after it: its own attribution or none
        prev_start, prev_end = paras[k - 1]
        # the attribution whose last span ends in the paragraph before, with nothing after it there
        best = None
        for n, a in enumerate(out):
            end = max(s.end for s in a.content + a.cue)
            if prev_start <= end <= prev_end and (best is None or end > best[1]):
                best = (n, end)
        if best is None:
            continue
        n, end = best
        if _SENTENCE_END_RE.search(text, end, prev_end) or any(m in text[end:prev_end] for m in "“\"‘"):
            continue
        a = out[n]
        kind = a.kind if a.kind in ("direct", "mixed") else "mixed"
        pieces = tuple(Span(s, e) for s, e in q.pieces)
        out[n] = Attribution(kind, a.content + pieces, a.cue, a.source, a.speaker, a.confidence, a.rule)
        covered.extend(q.pieces)
    return out


def _in_spans(char: int, spans: list[Span]) -> bool:
    return any(d.start <= char < d.end for d in spans)


def _without_datelines(a: Attribution, datelines: list[Span], text: str) -> Attribution:
    def cut(spans: tuple[Span, ...]) -> tuple[Span, ...]:
        kept = []
        for s in spans:
            for d in datelines:
                if d.start <= s.start < d.end:
                    s = Span(min(d.end, s.end), s.end)
            start = s.start
            while start < s.end and text[start] in " ,-–—":
                start += 1
            if s.end > start:
                kept.append(Span(start, s.end))
        return tuple(kept)

    content, source = cut(a.content), cut(a.source)
    if content == a.content and source == a.source:
        return a
    return Attribution(a.kind, content, a.cue, source, a.speaker, a.confidence, a.rule)


def _inside(spans: Iterable[Span], outer: Iterable[Span]) -> bool:
    outer = list(outer)
    return all(any(o.start <= s.start and s.end <= o.end for o in outer) for s in spans)


def _overlap(a: tuple[Span, ...], b: tuple[Span, ...]) -> int:
    return sum(max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a for y in b)


def _extent(c: Candidate) -> tuple[int, int]:
    spans = c.attribution.content + c.attribution.cue
    return min(s.start for s in spans), max(s.end for s in spans)


def _neighbours(candidates: list[Candidate]) -> list[list[int]]:
    """For each candidate, the others whose extent overlaps its own (a sweep, not all pairs)."""
    order = sorted(range(len(candidates)), key=lambda i: _extent(candidates[i]))
    extents = [_extent(c) for c in candidates]
    out: list[list[int]] = [[] for _ in candidates]
    active: list[int] = []
    for i in order:
        start, end = extents[i]
        active = [j for j in active if extents[j][1] > start]
        for j in active:
            out[i].append(j)
            out[j].append(i)
        active.append(i)
    return out


def outermost(candidates: list[Candidate]) -> list[Candidate]:
    """Drop a candidate whose cue lies in another's content (nested speech), and of two that
    share most of their content or their cue keep the one of higher priority."""
    near = _neighbours(candidates)

    def nested_in(c: Candidate, o: Candidate) -> bool:
        return _inside(c.attribution.cue, o.attribution.content)

    # the outer attribution wins whatever the priorities; when each holds the other's cue
    # (a parse gone round in a circle), priority decides
    alive = [
        not any(
            nested_in(c, candidates[j]) and (not nested_in(candidates[j], c) or candidates[j].priority > c.priority)
            for j in near[i]
        )
        for i, c in enumerate(candidates)
    ]
    kept: set[int] = set()
    for i in sorted((i for i in range(len(candidates)) if alive[i]), key=lambda i: -candidates[i].priority):
        a = candidates[i].attribution
        clash = False
        for j in near[i]:
            if j not in kept:
                continue
            b = candidates[j].attribution
            if any(s.overlaps(t) for s in a.cue for t in b.cue):
                clash = True
                break
            shared = _overlap(a.content, b.content)
            if shared and shared >= 0.5 * min(sum(map(len, a.content)), sum(map(len, b.content))):
                clash = True
                break
        if not clash:
            kept.add(i)
    return [candidates[i] for i in sorted(kept)]


def kind_of(content: tuple[Span, ...], quotes: list[Quote], starts: list[int] | None = None) -> str:
    """direct: all content within quotes; mixed: a quote inside; indirect: none (ANNOTATION.md)."""
    inside = 0
    touched = False
    starts = starts if starts is not None else [q.start for q in quotes]
    for span in content:
        # quotes that can touch the span: those starting before its end (bisect), nearest first
        k = bisect_right(starts, span.end)
        for q in reversed(quotes[max(0, k - 50) : k]):
            if q.end <= span.start and q.start < span.start - 5000:
                break
            for s, e in q.pieces:
                lo, hi = max(s, span.start), min(e, span.end)
                if hi > lo:
                    touched = True
                    inside += hi - lo
    if not touched:
        return "indirect"
    total = sum(len(s) for s in content)
    return "direct" if inside >= total - 1 else "mixed"
