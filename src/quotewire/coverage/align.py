"""Statement alignment: which renderings, across the articles of an event, are one utterance.

A rendering is an attribution, cut into its sentences (``units``): one extracted quotation
often runs several statements together, and each sentence keeps its spans into Article.text;
the sentences of one quotation that join one statement are merged back into one rendering.
Renderings are taken one at a time, in the order their articles arrived, and each joins the
statement it matches best, or starts one of its own: so adding an article costs its renderings
against each statement's representative (found through an index of their content words), never
all pairs again, and aligning a whole event is the same walk from an empty start.

How well a rendering matches a statement is a calibrated probability (``link_probability``): a
logistic model over the overlap of their content words (containment in the shorter, coverage
of the longer, word pairs in common, how much of a reporter's quoted words the other holds),
whether they come from one article, and whether their resolved speakers agree (a pair with an
unresolved speaker needs a few content words in common to link at all); its weights
live in settings and were fitted on the pairs of crossoutlet-dev (checked leave one event out,
see benchmarks/bench_coverage.py). A statement is matched through its representative (its
fullest direct rendering) and its first direct rendering together, so that it does not drift
as fuller renderings of a neighbouring statement join it. Two statements whose sentences run
on into each other in most of the quotations that render them are one statement of two
sentences (``_join_running_on``).
"""
from __future__ import annotations

import difflib
import functools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .. import settings
from ..model import CONTENT_SEPARATOR, part_text
from . import semantic
from .diff import Difference, compare
from .text import STOP, stem, stems, tokens

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
    #: the attribution's content spans (into Article.text) and text, when known: what a part
    #: of it is cut from and merged back into
    spans: tuple = ()
    whole: str | None = None
    #: this rendering's spans when it is a part (some sentences) of its attribution, else None
    part: tuple | None = None

    @property
    def uid(self) -> object:
        """The rendering's identity: its attribution, and where its part starts."""
        return (self.key, self.part[0][0]) if self.part else self.key

    def prepare(self) -> "Rendering":
        if not self.words:
            seq = stems(self.content)
            self.words = Counter(seq)
            self.pairs = set(zip(seq, seq[1:]))
        return self

    @property
    def quoted(self) -> Counter:
        """The content words inside quotation marks of a reporter's rendering ("called him a
        'son of a whore'"): the speaker's own words in it."""
        return _quoted_words(self.content)

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
        max(_quoted_in(a, b), _quoted_in(b, a)),  # a reporter's quoted words in the other
    ]


@functools.lru_cache(maxsize=1 << 14)
def _quoted_words(text: str) -> Counter:
    return Counter(stem(t.norm) for t in tokens(text) if t.quoted and t.norm not in STOP and (len(t.norm) > 2 or t.norm.isdigit()))


def _quoted_in(a: Rendering, b: Rendering) -> float:
    n = sum(a.quoted.values())
    return sum((a.quoted & b.words).values()) / n if n >= 2 else 0.0


def link_probability(a: Rendering, b: Rendering) -> float:
    """The link model's probability that a and b render one utterance; nil for a pair one of
    whose speakers is unresolved that shares fewer than settings.COVERAGE_MIN_SHARED_UNRESOLVED
    content words (nothing beside two common words says it is one statement)."""
    if not (a.speaker and b.speaker) and sum((a.words & b.words).values()) < settings.COVERAGE_MIN_SHARED_UNRESOLVED:
        return 0.0
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
        #: statements that renderings joined since the seed, and the uids of the references
        #: the seeded ones had (an untouched statement keeps its reference)
        self.touched: set[int] = set()
        self.references: set[object] = set()

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
        """r against statement g: its representative and its first direct rendering (else its
        first) averaged; the one alone let a statement follow a fuller quotation of its
        neighbour's words (dev 0.78 -> 0.81 with, out of fold 0.74 -> 0.79)."""
        best = max(link_probability(r, x) for x in self.reps[g])
        first = next((m for m in self.groups[g] if m.kind == "direct"), self.groups[g][0])
        return best if first in self.reps[g] else (best + link_probability(r, first)) / 2

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
            self.touched.add(len(self.groups) - 1)
            return len(self.groups) - 1
        self._join(where, r)
        self.touched.add(where)
        return where

    def extend(self, renderings: Iterable[Rendering]) -> "Aligner":
        for r in renderings:
            self.add(r)
        return self

    def statements(self, differences: dict | None = None) -> list[Statement]:
        """The statements carried by at least two renderings, each with its reference and
        differences (by rendering uid). Parts of one quotation that joined one statement are one
        rendering of it. ``differences`` caches them across calls: (reference uid, uid) -> Difference."""
        cache = {} if differences is None else differences
        out = []
        for ks in _join_running_on(self.groups):
            members = [m for k in ks for m in self.groups[k]]
            if len(members) < 2:
                continue
            parts: dict[object, list[Rendering]] = {}
            for m in members:
                parts.setdefault(m.key, []).append(m)
            if len(parts) < 2:
                continue  # sentences of one quotation only
            rs = [merge(p).prepare() for p in parts.values()]
            known = None if self.touched.intersection(ks) or len(ks) > 1 else next((r for r in rs if r.uid in self.references), None)
            out.append(statement(rs, cache, known))
        out.sort(key=lambda s: (s.first.published or "9999", s.first.order))
        return out


def _join_running_on(groups: list[list[Rendering]]) -> list[list[int]]:
    """The groups (by index) that make one statement each: two are one when, in most
    quotations that render either, a sentence of the one runs straight on into a sentence of
    the other (and in two at least): the speaker's statement was two sentences, and the outlets
    quote them together."""
    quotes: dict[object, list[tuple[int, int]]] = defaultdict(list)
    holders: list[set] = []
    for k, g in enumerate(groups):
        holders.append({m.key for m in g})
        for m in g:
            if m.part:
                quotes[m.key].append((m.part[0][0], k))
    follows: Counter = Counter()
    for parts in quotes.values():
        parts.sort()
        for (_, a), (_, b) in zip(parts, parts[1:]):
            if a != b:
                follows[(a, b)] += 1
    root = list(range(len(groups)))

    def find(k: int) -> int:
        while root[k] != k:
            k = root[k]
        return k
    for (a, b), n in follows.items():
        share = settings.COVERAGE_RUNNING_ON
        if n >= 2 and n >= share * len(holders[a]) and n >= share * len(holders[b]):
            root[find(b)] = find(a)
    out: dict[int, list[int]] = {}
    for k in range(len(groups)):
        out.setdefault(find(k), []).append(k)
    return list(out.values())


#: the speaker's sentences within one span (gold statements are sentences or less)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])")
#: a full stop after these ends no sentence ("U.S. President", "Mr. Kim", "Jan. 1")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Prof|Lt|Col|Sgt|No|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|vs|etc)\.$")
#: a span of a cut quotation that opens with a capital opens a sentence ("A," he said. "B.")
_OPENS_SENTENCE = re.compile(r"[\s\"“‘'«]*[A-Z]")
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’'»]*\s*$")


def sentences(text: str) -> list[tuple[int, int]]:
    """Where the sentences of one span's text stand in it (whitespace left out)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[max(0, m.start() - 8):m.start()]):
            continue
        end = m.start() + (1 if text[m.start()] in "\"”’'" else 0)
        out.append((start, end))
        start = m.end()
    out.append((start, len(text.rstrip())))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in out if text[a:b].strip()]


def _cut(r: Rendering, part: tuple) -> Rendering:
    part = _coalesce(r, part)
    whole = tuple(tuple(x) for x in r.spans)
    return Rendering(r.key, r.article, r.published, r.speaker, r.kind, part_text(r.whole, whole, part) if part != whole else r.whole,
                     r.order, spans=whole, whole=r.whole, part=part if part != whole else None)


def _coalesce(r: Rendering, part) -> tuple:
    """Spans of one attribution put in order, neighbours with only white space between them
    made one."""
    out: list[list[int]] = []
    text = r.whole or ""
    for a, b in sorted(part):
        if out:
            gap = part_text(text, r.spans, ((out[-1][1], a),)) if any(s <= out[-1][1] and a <= e for s, e in r.spans) else None
            if gap is not None and not gap.strip():
                out[-1][1] = max(out[-1][1], b)
                continue
        out.append([a, b])
    return tuple((a, b) for a, b in out)


def units(r: Rendering) -> list[Rendering]:
    """A rendering cut into its sentences, each a rendering of its own with its spans into
    Article.text: one extracted quotation often runs several statements together, and
    COVERAGE.md has a rendering cover its statement's part of a quote only. A cut quotation
    whose span ends mid-sentence goes on into the next span; a sentence of fewer than
    MIN_WORDS content words stays with the one before it. Without spans, the rendering whole."""
    if not r.spans or r.whole is None or r.part is not None:
        return [r]
    spans = tuple(tuple(x) for x in r.spans)
    pieces = r.whole.split(CONTENT_SEPARATOR)
    if len(pieces) != len(spans) or any(len(p) != e - s for p, (s, e) in zip(pieces, spans)):
        return [r]
    groups: list[list[tuple[int, int]]] = [[]]
    for piece, (s, _) in zip(pieces, spans):
        if _OPENS_SENTENCE.match(piece) and groups[-1]:
            groups.append([])
        for k, (a, b) in enumerate(sentences(piece)):
            if k:
                groups.append([])
            groups[-1].append((s + a, s + b))
        if _ENDS_SENTENCE.search(piece) and groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    merged: list[list[tuple[int, int]]] = []
    for g in groups:
        if merged and len(stems(part_text(r.whole, spans, tuple(g)))) < MIN_WORDS:
            merged[-1].extend(g)
        else:
            merged.append(list(g))
    if len(merged) > 1 and len(stems(part_text(r.whole, spans, tuple(merged[0])))) < MIN_WORDS:
        first = merged.pop(0)
        merged[0][:0] = first
    if len(merged) < 2:
        return [r]
    return [_cut(r, tuple(g)) for g in merged]


def merge(parts: list[Rendering]) -> Rendering:
    """Parts of one attribution that joined one statement, as one rendering."""
    if len(parts) == 1:
        return parts[0]
    first = min(parts, key=lambda x: (x.part or x.spans)[0][0])
    return _cut(first, tuple(sp for x in parts for sp in (x.part or x.spans)))


#: which renderings may be a statement's reference, best first: COVERAGE.md's "fullest direct
#: quote", and failing one a rendering that quotes some of the speaker's words
KIND_RANK = {"direct": 0, "mixed": 1}


@functools.lru_cache(maxsize=1 << 14)
def _normalised(text: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokens(text))


def agreement(a: Rendering, b: Rendering) -> int:
    """How many of a's words b gives in the same order (normalised: case, punctuation,
    spelling variants and contractions do not count)."""
    return _agreement(a.content, b.content)


@functools.lru_cache(maxsize=1 << 16)
def _agreement(a: str, b: str) -> int:
    # kept across arrivals: a statement a new rendering joins compares only the new pairs
    sm = difflib.SequenceMatcher(None, _normalised(a), _normalised(b), autojunk=False)
    return sum(m.size for m in sm.get_matching_blocks())


def reference_of(members: list[Rendering]) -> Rendering:
    """COVERAGE.md's reference: the fullest direct quote of this statement; with no direct
    quote, the fullest rendering that quotes the speaker (mixed), else the fullest of all.
    Fullness is the words the other renderings give in the same order: a quotation that runs
    a cut of this statement together with more is not fuller for the rest, and of two full
    quotations the one whose wording the other outlets repeat ("itself or its allies" in most,
    "and" in one) is the speaker's. Among equals the longer (in content words, then in all
    words), then a whole quotation (the outlet's marks open and close it), then one the
    reporter did not break into ("A," … "B" after "A B"), then the one that arrived first (not
    the earliest dated: most pages carry no date, and a dated one is no earlier for it)."""
    best = min(KIND_RANK.get(m.kind, 2) for m in members)
    candidates = [m for m in members if KIND_RANK.get(m.kind, 2) == best]
    if len(candidates) == 1:
        return candidates[0]
    shared = {id(r): sum(agreement(r, m) for m in members if m is not r) for r in candidates}
    return min(candidates, key=lambda r: (-shared[id(r)], -r.size, -len(_normalised(r.content)),
                                             not _whole_quotation(r.content), r.content.count(CONTENT_SEPARATOR), r.order))


_OPENS_QUOTE = re.compile(r"^\s*[\"“‘'«]")
_CLOSES_QUOTE = re.compile(r"[\"”’'»][.,!?]?\s*$")


def _whole_quotation(text: str) -> bool:
    """The outlet's quotation marks open and close the text: it quoted this stretch as it
    stands, not a sentence cut out of a longer quotation or a quotation run into the
    reporter's sentence."""
    return bool(_OPENS_QUOTE.search(text) and _CLOSES_QUOTE.search(text))


def statement(members: list[Rendering], cache: dict, reference: Rendering | None = None) -> Statement:
    """One statement of its renderings (``reference``: when already known). Each rendering is
    compared with the whole reference: a rendering is cut into its sentences before aligning,
    so the reference holds this statement's sentences only, and a rendering of one of them is
    a cut of it (COVERAGE.md's gold)."""
    members = sorted(members, key=lambda r: (r.published or "9999", r.order))
    reference = reference or reference_of(members)
    diffs = {}
    for m in members:
        if m is reference:
            continue
        key = (reference.uid, m.uid)
        if key not in cache:
            cache[key] = compare(reference.content, m.content, m.kind)
        diffs[m.uid] = cache[key]
    speaker = Counter(m.speaker for m in members if m.speaker).most_common(1)
    return Statement(speaker[0][0] if speaker else None, members, reference, diffs, members[0])


def align(renderings: list[Rendering]) -> list[Statement]:
    """Statements carried by at least two renderings, each with its reference and differences."""
    rs = [u for r in sorted(renderings, key=lambda r: r.order) for u in units(r)]
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


def extend(renderings: list[Rendering], stored: dict[object, tuple] | None = None,
           new_articles: set[str] | None = None) -> list[Statement]:
    """The statements of an event after some articles arrive, without aligning all pairs again.

    ``renderings``: all of the event's renderings (whole attributions: they are cut into
    sentences here); ``stored``: what the store holds already, rendering uid -> (statement,
    relation, note, diff json[, part]) where part is the rendering's spans when it is a part of
    its attribution; ``new_articles``: the articles that just arrived. The stored statements,
    and the event's other sentences as statements of one, are taken as they are; only the new
    articles' renderings are aligned, each against every statement's representative.
    Differences already stored are kept unless the statement's reference changes. With nothing
    stored (or no new articles named) it aligns from scratch.
    """
    import json

    stored = stored or {}
    if not stored or new_articles is None:
        return align(renderings)
    by_attribution: dict[object, list[tuple[tuple | None, tuple]]] = defaultdict(list)
    for uid, row in stored.items():
        part = tuple(tuple(x) for x in row[4]) if len(row) > 4 and row[4] else None
        by_attribution[uid[0] if part else uid].append((part, row))
    rs = sorted(renderings, key=lambda r: r.order)
    groups: dict[int, list[Rendering]] = {}
    loners: list[list[Rendering]] = []
    new: list[Rendering] = []
    cache: dict = {}
    references: dict[int, object] = {}
    kept: list[tuple[Rendering, tuple]] = []
    for r in rs:
        if r.article in new_articles:
            new.extend(units(r))
            continue
        entries = by_attribution.get(r.key, [])
        whole = next((row for part, row in entries if part is None), None)
        if whole is not None:
            kept.append((r, whole))
            continue
        taken: dict[int, list[Rendering]] = defaultdict(list)
        for u in units(r):
            start = (u.part or u.spans or ((0, 0),))[0][0]
            k = next((i for i, (part, _) in enumerate(entries) if any(a <= start < b for a, b in part)), None)
            if k is None:
                loners.append([u])
            else:
                taken[k].append(u)
        kept.extend((merge(us), entries[k][1]) for k, us in taken.items())
    for r, (sid, relation, *_) in kept:
        groups.setdefault(sid, []).append(r)
        if relation == "reference":
            references[sid] = r.uid
    for r, (sid, relation, note, diff, *_) in kept:
        if relation != "reference" and sid in references:
            cache[(references[sid], r.uid)] = Difference(relation, note, [tuple(x) for x in json.loads(diff)] if diff else [])
    aligner = Aligner().seed([groups[k] for k in sorted(groups)] + loners)
    aligner.references = set(references.values())
    aligner.extend(new)
    return aligner.statements(cache)
