"""Events: the articles of several outlets that report one occasion, grouped as they arrive.

A new article looks for its event among a few candidates, never the whole store: the
full-text index returns the articles that share its most distinctive words (SQLite FTS5,
ranked), within a few days of it when both are dated. Each candidate is scored by tf-idf
cosine over content words (document frequencies kept in the store as articles arrive), plus a bonus for a
shared speaker and for a quotation both carry word for word. The best event above the
threshold takes it; otherwise it starts its own. The same speaker on another day is another
event: dated articles more than MAX_DAYS apart never join.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import sqlite3
from collections import Counter

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
    """(day, month) of a published date: full dates give both, 'YYYY-MM' only the month."""
    if not published:
        return None, None
    try:
        return dt.date.fromisoformat(published[:10]), published[:7]
    except ValueError:
        return None, published[:7] if re.match(r"^\d{4}-\d{2}", published) else None


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


def count_terms(conn: sqlite3.Connection, text: str, delta: int = 1) -> None:
    """Keep document frequencies as articles come and go (one row a word, O(1) to read)."""
    words = [(w, delta) for w in terms(text)]
    conn.executemany(
        "INSERT INTO term_df(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df", words
    )


class Corpus:
    """Document frequencies of the store's articles (table term_df, kept by the writer)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # the highest rowid stands in for the count: as good for idf, and O(log n), not O(n)
        self.n = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 1
        self._df: dict[str, int] = {}

    def df(self, words: list[str]) -> dict[str, int]:
        missing = [w for w in words if w not in self._df]
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            rows = self.conn.execute(
                f"SELECT term, df FROM term_df WHERE term IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            found = {r[0]: r[1] for r in rows}
            for w in chunk:
                self._df[w] = found.get(w, 0)
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


def _quote_shingles(conn: sqlite3.Connection, article_id: str, n: int = 5) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for (text,) in conn.execute("SELECT content_text FROM attributions WHERE article_id = ? AND kind != 'indirect'", (article_id,)):
        w = [m.group().lower() for m in _TERM.finditer(text)]
        out.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    return out


def _speakers(conn: sqlite3.Connection, article_id: str) -> set[int]:
    return {r[0] for r in conn.execute("SELECT DISTINCT speaker_id FROM attributions WHERE article_id = ? AND speaker_id IS NOT NULL", (article_id,))}


def candidates(conn: sqlite3.Connection, article_id: str, vec: dict[str, float], published: str | None,
               corpus: "Corpus | None" = None) -> list[tuple[str, int, str | None]]:
    """(article id, event id, published) of placed articles that share its distinctive words."""
    # the most distinctive words that some other article has too (a word only this article
    # has finds nothing)
    corpus = Corpus(conn) if corpus is None else corpus
    df = corpus.df(list(vec))
    top = sorted((w for w in vec if df.get(w, 0) >= 2), key=vec.get, reverse=True)[:QUERY_TERMS]
    if not top:
        return []
    query = " OR ".join(f'"{w}"' for w in top)
    rows = conn.execute(
        """
        SELECT ar.id, ea.event_id, ar.published FROM articles_fts f
        JOIN articles ar ON ar.rowid = f.rowid JOIN event_articles ea ON ea.article_id = ar.id
        WHERE articles_fts MATCH ? AND ar.id != ? ORDER BY f.rank LIMIT ?
        """,
        (query, article_id, CANDIDATES),
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows if dates_compatible(published, r[2])]


def score_pair(conn: sqlite3.Connection, corpus: Corpus, vec_a: dict[str, float], a: str, b: str, cache: dict) -> float:
    if b not in cache:
        row = conn.execute("SELECT coalesce(title, '') || ' ' || text FROM articles WHERE id = ?", (b,)).fetchone()
        cache[b] = (corpus.vector(terms(row[0])), _speakers(conn, b), _quote_shingles(conn, b))
    vec_b, spk_b, quotes_b = cache[b]
    if a not in cache:
        cache[a] = (vec_a, _speakers(conn, a), _quote_shingles(conn, a))
    _, spk_a, quotes_a = cache[a]
    s = cosine(vec_a, vec_b)
    if spk_a & spk_b:
        s += SPEAKER_BONUS
    if quotes_a & quotes_b:
        s += QUOTE_BONUS
    return s


def place(conn: sqlite3.Connection, article_id: str, corpus: Corpus | None = None) -> tuple[int, bool, float]:
    """Put one stored article into an event: (event id, whether it joined one, its score).

    The event's date is the earliest of its articles' dates.
    """
    row = conn.execute("SELECT title, text, published FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise KeyError(article_id)
    existing = conn.execute("SELECT event_id FROM event_articles WHERE article_id = ?", (article_id,)).fetchone()
    if existing:
        return existing[0], True, 1.0
    corpus = corpus or Corpus(conn)
    vec = corpus.vector(terms((row["title"] or "") + " " + row["text"]))
    cache: dict = {}
    best: dict[int, float] = {}
    dated = parse_day(row["published"])[1] is not None
    for other, event_id, other_published in candidates(conn, article_id, vec, row["published"], corpus):
        s = score_pair(conn, corpus, vec, article_id, other, cache)
        # a pair with a date missing on either side must clear the higher bar
        bar = EVENT_THRESHOLD if dated and parse_day(other_published)[1] else UNDATED_THRESHOLD
        margin = s - bar
        if margin >= 0 and margin >= best.get(event_id, -1.0):
            best[event_id] = margin
    if best:
        event_id, margin = max(best.items(), key=lambda kv: kv[1])
        s = margin
        if margin >= 0:
            conn.execute("INSERT INTO event_articles(article_id, event_id, score) VALUES (?, ?, ?)", (article_id, event_id, s))
            conn.execute(
                "UPDATE events SET first_published = min(coalesce(first_published, ?), coalesce(?, first_published)) WHERE id = ?",
                (row["published"], row["published"], event_id),
            )
            return event_id, True, s
    title = row["title"] or " ".join(row["text"].split()[:14])
    cur = conn.execute("INSERT INTO events(title, first_published) VALUES (?, ?)", (title, row["published"]))
    event_id = int(cur.lastrowid)
    conn.execute("INSERT INTO event_articles(article_id, event_id, score) VALUES (?, ?, NULL)", (article_id, event_id))
    return event_id, False, best and max(best.values()) or 0.0


def replace_loner(conn: sqlite3.Connection, article_id: str, corpus: Corpus) -> int | None:
    """An article still alone in its event looks again, now that later articles are placed:
    an event that came after it may be its own. Returns the event it moved to."""
    row = conn.execute(
        "SELECT ea.event_id, (SELECT count(*) FROM event_articles x WHERE x.event_id = ea.event_id) AS n "
        "FROM event_articles ea WHERE ea.article_id = ?", (article_id,),
    ).fetchone()
    if row is None or row["n"] != 1:
        return None
    old = row["event_id"]
    conn.execute("DELETE FROM event_articles WHERE article_id = ?", (article_id,))
    event_id, joined, _ = place(conn, article_id, corpus)
    if joined:
        conn.execute("DELETE FROM events WHERE id = ?", (old,))
        return event_id
    # alone again: keep the old event (and its id), drop the new one
    conn.execute("DELETE FROM event_articles WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
    conn.execute("INSERT INTO event_articles(article_id, event_id, score) VALUES (?, ?, NULL)", (article_id, old))
    return None
