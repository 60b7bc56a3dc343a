"""Coverage across outlets: events (events.py), aligned statements (align.py), differences
(diff.py), computed as articles arrive. Pure: what is stored is read and kept through an
``EventStore`` (``store/events.py``), never by SQL here. ``update`` places new articles and
realigns the events they join; ``elsewhere`` finds a statement's other renderings.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from . import semantic
from .align import LINK_THRESHOLD, Rendering, extend, similarity
from .events import Corpus, describe_ties, place, replace_loner, terms, ties
from .text import bag

__all__ = ["describe_ties", "elsewhere", "realign", "terms", "ties", "update"]


def update(store: Any, article_ids: Iterable[str] | None = None, embeddings: bool | None = None) -> set[int]:
    """Place articles (all unplaced ones by default) and realign the events they joined."""
    if embeddings is not None:
        semantic.use(embeddings)
    ids = list(article_ids) if article_ids is not None else store.unplaced()
    touched: set[int] = set()
    with store.transaction():
        corpus = Corpus(store)
        placed: list[tuple[str, bool]] = []
        for article_id in ids:
            event_id, joined, _ = place(store, article_id, corpus)
            touched.add(event_id)
            placed.append((article_id, joined))
        # those that started an event alone look again at what arrived after them (the last
        # of a batch has nothing after it: one search is enough)
        for article_id, joined in placed[:-1]:
            if not joined:
                moved = replace_loner(store, article_id, corpus)
                if moved is not None:
                    touched.add(moved)
        for event_id in touched | corpus.merged:
            if store.event_size(event_id):
                # an event that absorbed another holds renderings aligned apart: align it whole
                realign(store, event_id, None if event_id in corpus.merged else set(ids))
    return touched


def realign(store: Any, event_id: int, new_articles: set[str] | None = None) -> int:
    """Recompute the statements of one event from its articles' attributions (only the
    renderings of ``new_articles`` aligned anew when named)."""
    stored = {}
    for key, sid, relation, note, diff, part in store.stored_renderings(event_id):
        part = tuple(tuple(x) for x in part) if part else None
        stored[(key, part[0][0]) if part else key] = (sid, relation, note, diff, part)
    store.clear_statements(event_id)
    rows = store.renderings(event_id)
    if len({r["article_id"] for r in rows}) < 2:
        return 0
    renderings = [Rendering(r["id"], r["article_id"], r["published"], r["speaker_name"], r["kind"], r["content_text"], r["ord"],
                            spans=tuple(tuple(x) for x in json.loads(r["content"] or "[]")), whole=r["content_text"]) for r in rows]
    statements = extend(renderings, stored, new_articles)
    for seq, st in enumerate(statements):
        out = []
        for r in st.renderings:
            d = st.differences.get(r.uid)
            relation = "reference" if r is st.reference else d.relation
            out.append((r.key, relation, d.note if d else None, d.diff if d else None, r.part))
        store.add_statement(event_id, seq, st.speaker, out)
    return len(statements)


def elsewhere(store: Any, attribution_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """Where else in the whole store this statement was reported: other renderings by the same
    speaker whose content words overlap enough (found through the full-text index)."""
    row, _ = store.statement_hits(attribution_id, [])
    if row is None:
        return []
    words = bag(row["content_text"])
    if not words:
        return []
    _, hits = store.statement_hits(attribution_id, [w for w, _ in words.most_common(12)])
    out = []
    for h in hits:
        if row["speaker_name"] and h["speaker_name"] and row["speaker_name"].split()[-1].lower() != h["speaker_name"].split()[-1].lower():
            continue
        s = similarity(words, bag(h["content_text"]))
        if s >= LINK_THRESHOLD:
            out.append({**dict(h), "similarity": round(s, 3)})
    return sorted(out, key=lambda x: -x["similarity"])[:limit]
