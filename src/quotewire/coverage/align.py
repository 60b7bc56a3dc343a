"""Statement alignment: which renderings, across the articles of an event, are one utterance.

A rendering is an attribution. Two renderings link when their content words overlap enough
(containment: the share of the shorter one's words found in the longer), with a stricter bar
within one article and when their resolved speakers differ. Groups grow by average linkage,
so that one loose link does not chain two utterances into one.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import semantic
from .diff import Difference, compare
from .text import bag

#: content-word containment for two renderings of one utterance (chosen on crossoutlet-dev)
LINK_THRESHOLD = 0.34
SAME_ARTICLE_THRESHOLD = 0.5
SPEAKER_MISMATCH_THRESHOLD = 0.6
GROUP_THRESHOLD = 0.3
MIN_WORDS = 3


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


def _speakers_agree(a: Rendering, b: Rendering) -> bool:
    if not a.speaker or not b.speaker:
        return True
    sa, sb = a.speaker.lower().split(), b.speaker.lower().split()
    return sa == sb or sa[-1] == sb[-1] or sa[0] == sb[0]


def align(renderings: list[Rendering]) -> list[Statement]:
    """Statements carried by at least two renderings, each with its reference and differences."""
    for r in renderings:
        r.words = bag(r.content)
    rs = [r for r in renderings if sum(r.words.values()) >= MIN_WORDS]
    n = len(rs)
    sem = semantic.similarities([r.content for r in rs]) if semantic.enabled() else None
    # pair strength: the words in common when they clear the pair's bar, else nothing
    strength = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            a, b = rs[i], rs[j]
            sim = similarity(a.words, b.words)
            # a resolved speaker that differs needs more words in common (speaker resolution
            # errs more often than a long verbatim overlap does)
            bar = SAME_ARTICLE_THRESHOLD if a.article == b.article else LINK_THRESHOLD
            if not _speakers_agree(a, b):
                bar = max(bar, SPEAKER_MISMATCH_THRESHOLD)
            if sim >= bar:
                strength[i][j] = strength[j][i] = sim
            elif sem is not None and a.article != b.article and _speakers_agree(a, b) and sem[i][j] >= semantic.SEMANTIC_THRESHOLD:
                # the same meaning in other words (a paraphrase, another translation)
                strength[i][j] = strength[j][i] = sem[i][j]
    # average linkage: merge the two groups whose renderings are, on average, most strongly
    # linked, while that average clears the bar (single links alone would chain paraphrases)
    clusters: list[list[int]] = [[i] for i in range(n)]
    while len(clusters) > 1:
        best, pair = GROUP_THRESHOLD, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                cx, cy = clusters[x], clusters[y]
                avg = sum(strength[i][j] for i in cx for j in cy) / (len(cx) * len(cy))
                if avg >= best:
                    best, pair = avg, (x, y)
        if pair is None:
            break
        x, y = pair
        clusters[x] = clusters[x] + clusters[y]
        del clusters[y]
    groups = {k: [rs[i] for i in c] for k, c in enumerate(clusters)}
    out = []
    for members in groups.values():
        if len({m.article for m in members}) < 2 and len(members) < 2:
            continue
        members.sort(key=lambda r: (r.published or "9999", r.order))
        # the reference: the earliest direct rendering (the fullest among equals), else the fullest
        direct = [m for m in members if m.kind == "direct"]
        if direct:
            reference = min(direct, key=lambda r: (r.published or "9999", -sum(r.words.values()), r.order))
        else:
            reference = max(members, key=lambda r: (sum(r.words.values()), -r.order))
        diffs = {m.key: compare(reference.content, m.content) for m in members if m is not reference}
        speaker = next((m.speaker for m in members if m.speaker), None)
        out.append(Statement(speaker, members, reference, diffs, members[0]))
    out.sort(key=lambda s: (s.first.published or "9999", s.first.order))
    return out
