"""Statement alignment: which renderings, across the articles of an event, are one utterance.

A rendering is an attribution. Renderings are taken one at a time, in the order their articles
arrived, and each joins the statement whose representatives it matches best, or starts one of
its own: so adding an article costs its renderings against each statement's representatives
(found through an index of their content words), never all pairs again, and aligning a whole
event is the same walk from an empty start.

How well a rendering matches a representative is a calibrated probability (``link_probability``):
a logistic model over the overlap of their content words (containment in the shorter, the
share of distinctive words, word pairs in common), whether they come from one article, and
whether their resolved speakers agree; its weights live in settings and were fitted on the
pairs of crossoutlet-dev (checked leave one event out, see benchmarks/bench_coverage.py).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .. import settings
from . import semantic
from .diff import Difference, compare
from .text import stems

#: content-word containment at which another store's rendering counts as this statement
#: (``elsewhere``: no event, only the words to go by)
LINK_THRESHOLD = 0.34
MIN_WORDS = 3
#: representatives a statement keeps: its fullest renderings, direct ones first (more than
#: one let a statement drift towards its neighbours on crossoutlet-dev)
REPRESENTATIVES = 1


@dataclass
class Rendering:
    key: object  # the caller's id for it (an attribution id)
    article: str
    published: str | None
    speaker: str | None
    kind: str
    content: str
    order: int = 0  # position in ingest order: ties of date go to the earlier
    words: Counter = field(default_factory=Counter)
    pairs: set = field(default_factory=set)

    def prepare(self) -> "Rendering":
        if not self.words:
            seq = stems(self.content)
            self.words = Counter(seq)
            self.pairs = set(zip(seq, seq[1:]))
        return self

    @property
    def size(self) -> int:
        return sum(self.words.values())


@dataclass
class Statement:
    speaker: str | None
    renderings: list[Rendering]
    reference: Rendering
    differences: dict[object, Difference]
    first: Rendering


def similarity(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    shared = sum((a & b).values())
    return shared / min(sum(a.values()), sum(b.values()))


def speakers_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    sa, sb = a.lower().split(), b.lower().split()
    return sa == sb or sa[-1] == sb[-1] or sa[0] == sb[0]


def features(a: Rendering, b: Rendering) -> list[float]:
    """What the link model sees of a pair of renderings."""
    shared = sum((a.words & b.words).values())
    small, large = sorted((a.size, b.size))
    pairs = len(a.pairs & b.pairs) / max(1, min(len(a.pairs), len(b.pairs)))
    return [
        shared / small if small else 0.0,  # containment in the shorter
        shared / large if large else 0.0,  # coverage of the longer
        pairs,  # word pairs kept in order
        math.log1p(shared),
        1.0 if a.article == b.article else 0.0,
        0.0 if speakers_agree(a.speaker, b.speaker) else 1.0,
    ]


def link_probability(a: Rendering, b: Rendering) -> float:
    w = settings.COVERAGE_LINK_WEIGHTS
    z = w[0] + sum(x * y for x, y in zip(w[1:], features(a, b)))
    return 1.0 / (1.0 + math.exp(-z))


class Aligner:
    """Statements of one event, grown a rendering at a time."""

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = settings.COVERAGE_LINK_PROBABILITY if threshold is None else threshold
        self.groups: list[list[Rendering]] = []
        self.reps: list[list[Rendering]] = []
        self.index: dict[str, set[int]] = defaultdict(set)

    def seed(self, groups: Iterable[list[Rendering]]) -> "Aligner":
        """Start from statements already made (and lone renderings, as groups of one)."""
        for g in groups:
            members = [r.prepare() for r in g]
            self._new(members[0])
            for r in members[1:]:
                self._join(len(self.groups) - 1, r)
        return self

    def _new(self, r: Rendering) -> None:
        self.groups.append([r])
        self.reps.append([r])
        for w in r.words:
            self.index[w].add(len(self.groups) - 1)

    def _join(self, g: int, r: Rendering) -> None:
        self.groups[g].append(r)
        reps = sorted(self.reps[g] + [r], key=lambda x: (x.kind != "direct", -x.size, x.order))[:REPRESENTATIVES]
        if r in reps:
            for w in r.words:
                self.index[w].add(g)
        self.reps[g] = reps

    def score(self, r: Rendering, g: int) -> float:
        return max(link_probability(r, x) for x in self.reps[g])

    def add(self, r: Rendering) -> int | None:
        """Place one rendering: the index of the statement it joined or started."""
        r.prepare()
        if r.size < MIN_WORDS:
            return None
        cands = set().union(*(self.index.get(w, ()) for w in r.words))
        best, where = self.threshold, None
        for g in cands:
            s = self.score(r, g)
            if s >= best:
                best, where = s, g
        if where is None:
            self._new(r)
            return len(self.groups) - 1
        self._join(where, r)
        return where

    def extend(self, renderings: Iterable[Rendering]) -> "Aligner":
        for r in renderings:
            self.add(r)
        return self

    def statements(self, differences: dict | None = None) -> list[Statement]:
        """The statements carried by at least two renderings, each with its reference and
        differences. ``differences`` caches them across calls: (reference key, key) -> Difference."""
        cache = {} if differences is None else differences
        out = []
        for members in self.groups:
            if len(members) < 2:
                continue
            out.append(statement(members, cache))
        out.sort(key=lambda s: (s.first.published or "9999", s.first.order))
        return out


def reference_of(members: list[Rendering]) -> Rendering:
    """COVERAGE.md's reference: the fullest direct quote of this statement; with no direct
    quote, the fullest rendering. Fullness counts first the words the other renderings share
    with it: an extracted quotation that runs a cut of this statement together with the
    speaker's next sentences is not fuller for them. Among equals the longer, then the
    earliest."""
    direct = [m for m in members if m.kind == "direct"] or members

    def shared(r: Rendering) -> int:
        return sum(sum((r.words & m.words).values()) for m in members if m is not r)
    return min(direct, key=lambda r: (-shared(r), -r.size, r.published or "9999", r.order))


#: how Attribution.content_text joins the spans of a quotation cut by the reporter
SEGMENT = " … "
#: and the speaker's sentences within one span (gold statements are sentences or less)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])")


def matching_part(reference: str, rendering: str) -> str:
    """The run of the reference's segments and sentences that this rendering renders (best by
    Dice over content words). An extracted quotation may run several of the speaker's sentences
    together ("A" … "B", or "A. B."); a rendering of only "B" is the same as "B", not a cut of
    "A … B" (COVERAGE.md: a rendering covers its statement's part of a quote only)."""
    parts = [p for seg in reference.split(SEGMENT) for p in _SENTENCE_END.split(seg) if p.strip()]
    if len(parts) < 2:
        return reference
    mine = Counter(stems(rendering))
    if not mine:
        return reference
    bags = [Counter(stems(p)) for p in parts]
    size = sum(mine.values())
    best, best_score = reference, -1.0
    for i in range(len(parts)):
        theirs: Counter = Counter()
        for j in range(i, len(parts)):
            theirs += bags[j]
            n = sum(theirs.values())
            score = 2 * sum((mine & theirs).values()) / (size + n) if n else 0.0
            if score > best_score + 1e-9:
                best, best_score = SEGMENT.join(parts[i:j + 1]), score
    return best


def statement(members: list[Rendering], cache: dict) -> Statement:
    members = sorted(members, key=lambda r: (r.published or "9999", r.order))
    reference = reference_of(members)
    diffs = {}
    for m in members:
        if m is reference:
            continue
        key = (reference.key, m.key)
        if key not in cache:
            cache[key] = compare(matching_part(reference.content, m.content), m.content, m.kind)
        diffs[m.key] = cache[key]
    speaker = Counter(m.speaker for m in members if m.speaker).most_common(1)
    return Statement(speaker[0][0] if speaker else None, members, reference, diffs, members[0])


def align(renderings: list[Rendering]) -> list[Statement]:
    """Statements carried by at least two renderings, each with its reference and differences."""
    rs = sorted(renderings, key=lambda r: r.order)
    if semantic.enabled():
        return _align_semantic(rs)
    return Aligner().extend(rs).statements()


def _align_semantic(rs: list[Rendering]) -> list[Statement]:
    """With embeddings on: a rendering that matches nothing by its words may still join the
    statement whose representative means the same (another translation, a paraphrase)."""
    aligner = Aligner()
    for r in rs:
        g = aligner.add(r)
        if g is not None and len(aligner.groups[g]) == 1 and len(aligner.groups) > 1:
            texts = [r.content] + [aligner.reps[k][0].content for k in range(len(aligner.groups) - 1)]
            sims = semantic.similarities(texts)
            if sims:
                k = max(range(1, len(texts)), key=lambda i: sims[0][i])
                if sims[0][k] >= semantic.SEMANTIC_THRESHOLD and speakers_agree(r.speaker, aligner.reps[k - 1][0].speaker):
                    aligner.groups.pop()
                    aligner.reps.pop()
                    for w in r.words:
                        aligner.index[w].discard(g)
                    aligner._join(k - 1, r)
    return aligner.statements()


def extend(renderings: list[Rendering], stored: dict[object, tuple[int, str, str | None, str | None]] | None = None,
           new_articles: set[str] | None = None) -> list[Statement]:
    """The statements of an event after some articles arrive, without aligning all pairs again.

    ``renderings``: all of the event's renderings; ``stored``: what the store holds already,
    rendering key -> (statement, relation, note, diff json); ``new_articles``: the articles that
    just arrived. The stored statements, and the event's other renderings as statements of one,
    are taken as they are; only the new articles' renderings are aligned, each against every
    statement's representative. Differences already stored are kept unless the statement's
    reference changes. With nothing stored (or no new articles named) it aligns from scratch.
    """
    import json

    stored = stored or {}
    if not stored or new_articles is None:
        return align(renderings)
    rs = sorted(renderings, key=lambda r: r.order)
    groups: dict[int, list[Rendering]] = {}
    loners, new = [], []
    cache: dict = {}
    references: dict[int, object] = {}
    for r in rs:
        if r.article in new_articles:
            new.append(r)
        elif r.key in stored:
            sid, relation, *_ = stored[r.key]
            groups.setdefault(sid, []).append(r)
            if relation == "reference":
                references[sid] = r.key
        else:
            loners.append([r])
    for r in rs:
        if r.key in stored and r.article not in new_articles:
            sid, relation, note, diff = stored[r.key]
            if relation != "reference" and sid in references:
                cache[(references[sid], r.key)] = Difference(relation, note, [tuple(x) for x in json.loads(diff)] if diff else [])
    aligner = Aligner().seed([groups[k] for k in sorted(groups)] + loners)
    aligner.extend(new)
    return aligner.statements(cache)
