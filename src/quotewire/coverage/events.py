"""Events: the articles of several outlets that report one occasion, grouped as they arrive.

A new article looks for its event among a few candidates, never the whole store: the
full-text index returns the articles that share its most distinctive words (SQLite FTS5,
ranked), within a few days of it when both are dated. Each candidate is scored by tf-idf
cosine over content words (document frequencies kept in the store as articles arrive), plus a bonus for a
shared speaker and for a quotation both carry word for word. The best event above the
threshold takes it; otherwise it starts its own. The same speaker on another day is another
event: dated articles more than MAX_DAYS apart never join.

Nothing here touches SQL: what is stored is asked of ``store`` (``store.events.EventStore``,
or anything with its methods), what is decided is computed here.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from typing import Any

from ..model import published_parts
from .text import STOP

EVENT_THRESHOLD = 0.15
#: an undated article has no time to corroborate it, so it needs stronger wording in common
UNDATED_THRESHOLD = 0.3
MAX_DAYS = 3
CANDIDATES = 40
QUERY_TERMS = 24
SPEAKER_BONUS = 0.08
QUOTE_BONUS = 0.15

_TERM = re.compile(r"[^\W\d_]{3,}")


def terms(text: str) -> Counter:
    return Counter(w for w in (m.group().lower() for m in _TERM.finditer(text)) if w not in STOP)


def parse_day(published: str | None) -> tuple[dt.date | None, str | None]:
    """(day, month) of a published date: full dates give both, 'YYYY-MM' only the month.
    Read through the model's one date check, which never raises on a bad stored date."""
    day, month, _ = published_parts(published)
    return day, month


def dates_compatible(a: str | None, b: str | None) -> bool:
    da, ma = parse_day(a)
    db, mb = parse_day(b)
    if da and db:
        return abs((da - db).days) <= MAX_DAYS
    if ma and mb:
        if da or db:  # a day against a month: in that month, or a few days from its edges
            day, month = (da, mb) if da else (db, ma)
            y, m = map(int, month.split("-"))
            start = dt.date(y, m, 1)
            end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
            return start - dt.timedelta(days=MAX_DAYS) <= day <= end + dt.timedelta(days=MAX_DAYS)
        return ma == mb
    return True


class Corpus:
    """Document frequencies of the store's articles (term_df, kept by the writer), cached."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.n = store.size()
        self._df: dict[str, int] = {}

    def df(self, words: list[str]) -> dict[str, int]:
        missing = [w for w in words if w not in self._df]
        if missing:
            self._df.update(self.store.df(missing))
        return {w: self._df[w] for w in words}

    def vector(self, bag: Counter) -> dict[str, float]:
        df = self.df(list(bag))
        v = {w: (1 + math.log(c)) * math.log((self.n + 1) / (df[w] + 0.5)) for w, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items() if x > 0}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def quote_shingles(texts: list[str], n: int = 5) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for text in texts:
        w = [m.group().lower() for m in _TERM.finditer(text)]
        out.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    return out


def candidates(store: Any, article_id: str, vec: dict[str, float], published: str | None,
               corpus: "Corpus | None" = None) -> list[tuple[str, int, str | None]]:
    """(article id, event id, published) of placed articles that share its distinctive words."""
    # the most distinctive words that some other article has too (a word only this article
    # has finds nothing)
    corpus = Corpus(store) if corpus is None else corpus
    df = corpus.df(list(vec))
    top = sorted((w for w in vec if df.get(w, 0) >= 2), key=vec.get, reverse=True)[:QUERY_TERMS]
    if not top:
        return []
    return [r for r in store.placed_sharing(article_id, top, CANDIDATES) if dates_compatible(published, r[2])]


def score_pair(store: Any, corpus: Corpus, vec_a: dict[str, float], a: str, b: str, cache: dict) -> float:
    if b not in cache:
        cache[b] = (corpus.vector(terms(store.article_words(b))), store.speaker_ids(b), quote_shingles(store.quoted_texts(b)))
    vec_b, spk_b, quotes_b = cache[b]
    if a not in cache:
        cache[a] = (vec_a, store.speaker_ids(a), quote_shingles(store.quoted_texts(a)))
    _, spk_a, quotes_a = cache[a]
    s = cosine(vec_a, vec_b)
    if spk_a & spk_b:
        s += SPEAKER_BONUS
    if quotes_a & quotes_b:
        s += QUOTE_BONUS
    return s


def place(store: Any, article_id: str, corpus: Corpus | None = None) -> tuple[int, bool, float]:
    """Put one stored article into an event: (event id, whether it joined one, its score).

    The event's date is the earliest of its articles' dates.
    """
    row = store.article(article_id)
    if row is None:
        raise KeyError(article_id)
    existing = store.event_of(article_id)
    if existing is not None:
        return existing, True, 1.0
    corpus = corpus or Corpus(store)
    vec = corpus.vector(terms((row["title"] or "") + " " + row["text"]))
    cache: dict = {}
    best: dict[int, float] = {}
    dated = parse_day(row["published"])[1] is not None
    for other, event_id, other_published in candidates(store, article_id, vec, row["published"], corpus):
        s = score_pair(store, corpus, vec, article_id, other, cache)
        # a pair with a date missing on either side must clear the higher bar
        bar = EVENT_THRESHOLD if dated and parse_day(other_published)[1] else UNDATED_THRESHOLD
        margin = s - bar
        if margin >= 0 and margin >= best.get(event_id, -1.0):
            best[event_id] = margin
    if best:
        event_id, margin = max(best.items(), key=lambda kv: kv[1])
        if margin >= 0:
            store.join(article_id, event_id, margin, row["published"])
            return event_id, True, margin
    title = row["title"] or " ".join(row["text"].split()[:14])
    event_id = store.new_event(title, row["published"])
    store.join(article_id, event_id, None, None)
    return event_id, False, best and max(best.values()) or 0.0


def replace_loner(store: Any, article_id: str, corpus: Corpus) -> int | None:
    """An article still alone in its event looks again, now that later articles are placed:
    an event that came after it may be its own. Returns the event it moved to."""
    old = store.event_of(article_id)
    if old is None or store.event_size(old) != 1:
        return None
    store.leave(article_id)
    event_id, joined, _ = place(store, article_id, corpus)
    if joined:
        store.drop_event(old)
        return event_id
    # alone again: keep the old event (and its id), drop the new one
    store.leave(article_id)
    store.drop_event(event_id)
    store.join(article_id, old, None, None)
    return None
