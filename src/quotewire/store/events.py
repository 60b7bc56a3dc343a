"""The coverage tables: events, the articles they hold, aligned statements and renderings.

All of coverage's SQL lives here. ``EventStore`` is what ``coverage`` places and aligns
through (it computes, this keeps); ``events``, ``event_record`` and ``statement_hits`` are the
reads the CLI, the pages and ``coverage.elsewhere`` use.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from ..model import part_text


class EventStore:
    """The store as coverage sees it: articles to place, candidates, events to keep."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @contextmanager
    def transaction(self) -> Iterator["EventStore"]:
        with self.conn:
            yield self

    # -- articles -------------------------------------------------------------------------
    def unplaced(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM event_articles) "
            "ORDER BY coalesce(published, '9999'), rowid"
        )]

    def article(self, article_id: str) -> sqlite3.Row | None:
        """(title, text, published, outlet) of one stored article."""
        return self.conn.execute("SELECT title, text, published, outlet FROM articles WHERE id = ?", (article_id,)).fetchone()

    def article_words(self, article_id: str) -> str:
        return self.conn.execute("SELECT coalesce(title, '') || ' ' || text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]

    def quoted_texts(self, article_id: str) -> list[str]:
        """The content of an article's direct and mixed statements."""
        return [r[0] for r in self.conn.execute(
            "SELECT content_text FROM attributions WHERE article_id = ? AND kind != 'indirect'", (article_id,))]

    def person_statements(self, article_id: str) -> list[tuple[str, str, str]]:
        """(speaker name, content, kind) of what an article has people say (organisations and
        documents left out); kind is direct, mixed or indirect."""
        return [(r[0], r[1], r[2]) for r in self.conn.execute(
            "SELECT speaker_name, content_text, kind FROM attributions WHERE article_id = ? AND speaker_name IS NOT NULL "
            "AND speaker_kind = 'person'", (article_id,))]

    def speaker_ids(self, article_id: str) -> set[int]:
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT speaker_id FROM attributions WHERE article_id = ? AND speaker_id IS NOT NULL", (article_id,))}

    # -- document frequencies (kept by the writer) -----------------------------------------
    def size(self) -> int:
        # the highest rowid stands in for the count: as good for idf, and O(log n), not O(n)
        return self.conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 1

    def df(self, words: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for i in range(0, len(words), 500):
            chunk = words[i : i + 500]
            rows = self.conn.execute(f"SELECT term, df FROM term_df WHERE term IN ({','.join('?' * len(chunk))})", chunk)
            found.update((r[0], r[1]) for r in rows)
        return {w: found.get(w, 0) for w in words}

    # -- candidates ----------------------------------------------------------------------
    def placed_sharing(self, article_id: str, words: list[str], limit: int) -> list[tuple[str, int, str | None]]:
        """(article id, event id, published) of placed articles the full-text index finds for
        any of words, best ranked first."""
        query = " OR ".join(f'"{w}"' for w in words)
        rows = self.conn.execute(
            """
            SELECT ar.id, ea.event_id, ar.published FROM articles_fts f
            JOIN articles ar ON ar.rowid = f.rowid JOIN event_articles ea ON ea.article_id = ar.id
            WHERE articles_fts MATCH ? AND ar.id != ? ORDER BY f.rank LIMIT ?
            """,
            (query, article_id, limit),
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    # -- events --------------------------------------------------------------------------
    def event_of(self, article_id: str) -> int | None:
        row = self.conn.execute("SELECT event_id FROM event_articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def members(self, event_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT article_id FROM event_articles WHERE event_id = ? ORDER BY rowid", (event_id,))]

    def event_span(self, event_id: int) -> tuple[str | None, str | None]:
        """The earliest and latest full date among an event's articles."""
        row = self.conn.execute(
            "SELECT min(ar.published), max(ar.published) FROM event_articles ea JOIN articles ar ON ar.id = ea.article_id "
            "WHERE ea.event_id = ? AND length(ar.published) >= 10", (event_id,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def event_size(self, event_id: int) -> int:
        return self.conn.execute("SELECT count(*) FROM event_articles WHERE event_id = ?", (event_id,)).fetchone()[0]

    def join(self, article_id: str, event_id: int, score: float | None, published: str | None) -> None:
        """Put an article into an event; the event's date is the earliest of its articles'."""
        self.conn.execute("INSERT INTO event_articles(article_id, event_id, score) VALUES (?, ?, ?)", (article_id, event_id, score))
        if published is not None:
            self.conn.execute(
                "UPDATE events SET first_published = min(coalesce(first_published, ?), coalesce(?, first_published)) WHERE id = ?",
                (published, published, event_id),
            )

    def new_event(self, title: str, published: str | None) -> int:
        return int(self.conn.execute("INSERT INTO events(title, first_published) VALUES (?, ?)", (title, published)).lastrowid)

    def leave(self, article_id: str) -> None:
        self.conn.execute("DELETE FROM event_articles WHERE article_id = ?", (article_id,))

    def drop_event(self, event_id: int) -> None:
        self.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))

    # -- statements ----------------------------------------------------------------------
    def renderings(self, event_id: int) -> list[sqlite3.Row]:
        """Every attribution of an event's articles: (id, article_id, published, speaker_name,
        kind, content_text, ord, content), in arrival order."""
        return self.conn.execute(
            """
            SELECT a.id, a.article_id, ar.published, a.speaker_name, a.kind, a.content_text, ar.rowid AS ord, a.content
            FROM event_articles ea JOIN articles ar ON ar.id = ea.article_id JOIN attributions a ON a.article_id = ar.id
            WHERE ea.event_id = ? ORDER BY ar.rowid, a.seq
            """,
            (event_id,),
        ).fetchall()

    def stored_renderings(self, event_id: int) -> list[tuple[int, int, str, str | None, str | None, list | None]]:
        """What an event holds now: (attribution id, statement id, relation, note, diff json,
        part) a rendering; part: its spans when it is some sentences of its attribution."""
        out = []
        for r in self.conn.execute(
                "SELECT r.attribution_id, r.statement_id, r.relation, r.note, r.diff FROM renderings r "
                "JOIN event_statements s ON s.id = r.statement_id WHERE s.event_id = ?", (event_id,)):
            if r[4] and r[4].startswith("{"):  # a part: its spans beside the diff
                diff, part = _unpack(r[4])
                out.append((r[0], r[1], r[2], r[3], json.dumps(diff) if diff is not None else None, part))
            else:
                out.append((r[0], r[1], r[2], r[3], r[4], None))
        return out

    def clear_statements(self, event_id: int) -> None:
        self.conn.execute("DELETE FROM event_statements WHERE event_id = ?", (event_id,))

    def add_statement(self, event_id: int, seq: int, speaker: str | None,
                      renderings: Iterable[tuple[Any, ...]]) -> int:
        """One aligned statement and its renderings: (attribution id, relation, note, diff[,
        part]), part the rendering's spans when it is some sentences of its attribution."""
        sid = self.conn.execute(
            "INSERT INTO event_statements(event_id, seq, speaker) VALUES (?, ?, ?)", (event_id, seq, speaker)
        ).lastrowid
        self.conn.executemany(
            "INSERT INTO renderings(statement_id, attribution_id, relation, note, diff) VALUES (?, ?, ?, ?, ?)",
            [(sid, r[0], r[1], r[2], _pack(r[3], r[4] if len(r) > 4 else None)) for r in renderings],
        )
        return int(sid)

    def statement_hits(self, attribution_id: int, words: list[str], limit: int = 200) -> tuple[sqlite3.Row | None, list[sqlite3.Row]]:
        """One statement, and the others the full-text index finds for any of words."""
        return statement(self.conn, attribution_id), statement_hits(self.conn, attribution_id, words, limit)


def _pack(diff: Any, part: Any) -> str | None:
    """The diff column: the diff's JSON, or with a part, {"part": spans, "diff": diff} (the
    renderings table has no column of its own for a part before a schema migration)."""
    if part:
        return json.dumps({"part": [list(x) for x in part], "diff": diff})
    return json.dumps(diff) if diff is not None else None


def _unpack(value: str | None) -> tuple[Any, list | None]:
    """(diff, part) from the diff column."""
    if not value:
        return None, None
    data = json.loads(value)
    if isinstance(data, dict):
        return data.get("diff"), data.get("part")
    return data, None


def statement(conn: sqlite3.Connection, attribution_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT id, article_id, content_text, speaker_name FROM attributions WHERE id = ?", (attribution_id,)).fetchone()


def statement_hits(conn: sqlite3.Connection, attribution_id: int, words: list[str], limit: int = 200) -> list[sqlite3.Row]:
    if not words:
        return []
    query = " OR ".join(f'"{w}"' for w in words)
    return conn.execute(
        "SELECT a.id, a.article_id, a.content_text, a.speaker_name, a.kind, ar.outlet, ar.published FROM attributions_fts f "
        "JOIN attributions a ON a.id = f.rowid JOIN articles ar ON ar.id = a.article_id "
        "WHERE attributions_fts MATCH ? AND a.id != ? ORDER BY f.rank LIMIT ?",
        (query, attribution_id, limit),
    ).fetchall()


def events(conn: sqlite3.Connection, limit: int = 50, offset: int = 0, min_articles: int = 1, min_outlets: int = 1) -> list[dict[str, Any]]:
    """Events with at least min_articles articles from at least min_outlets outlets (an article
    with no outlet counts as its own), largest first; ``statements``: those carried by more than
    one outlet (a statement two articles of one outlet carry is that outlet's, not coverage)."""
    rows = conn.execute(
        """
        SELECT e.id, e.title, e.first_published, count(ea.article_id) AS articles,
               count(DISTINCT coalesce(lower(ar.outlet), ar.id)) AS outlets,
               (SELECT count(*) FROM event_statements s WHERE s.event_id = e.id AND (
                    SELECT count(DISTINCT coalesce(lower(sa.outlet), sa.id)) FROM renderings r
                    JOIN attributions a ON a.id = r.attribution_id JOIN articles sa ON sa.id = a.article_id
                    WHERE r.statement_id = s.id) >= 2) AS statements
        FROM events e JOIN event_articles ea ON ea.event_id = e.id JOIN articles ar ON ar.id = ea.article_id
        GROUP BY e.id HAVING count(ea.article_id) >= ? AND count(DISTINCT coalesce(lower(ar.outlet), ar.id)) >= ?
        ORDER BY articles DESC, e.first_published DESC LIMIT ? OFFSET ?
        """,
        (min_articles, min_outlets, limit, offset),
    ).fetchall()
    return [dict(r) for r in rows]


def event_record(conn: sqlite3.Connection, event_id: int) -> dict[str, Any] | None:
    """One event in the shape of crossoutlet-dev.jsonl (COVERAGE.md), with more keys beside it."""
    ev = conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    if ev is None:
        return None
    articles = [dict(r) for r in conn.execute(
        "SELECT ar.id, ar.outlet, ar.published, ar.title, ar.url FROM event_articles ea JOIN articles ar ON ar.id = ea.article_id "
        "WHERE ea.event_id = ? ORDER BY coalesce(ar.published, '9999'), ar.rowid", (event_id,))]
    statements = []
    for st in conn.execute("SELECT * FROM event_statements WHERE event_id = ? ORDER BY seq", (event_id,)).fetchall():
        rend = []
        for r in conn.execute(
            """
            SELECT r.relation, r.note, r.diff, a.id AS attribution_id, a.article_id, a.content, a.kind, a.content_text,
                   a.cue_text, a.source_text, ar.outlet, ar.published
            FROM renderings r JOIN attributions a ON a.id = r.attribution_id JOIN articles ar ON ar.id = a.article_id
            WHERE r.statement_id = ? ORDER BY r.relation != 'reference', coalesce(ar.published, '9999'), ar.rowid, a.seq
            """, (st["id"],)):
            diff, part = _unpack(r["diff"])
            content = json.loads(r["content"])
            rend.append({
                "article": r["article_id"], "content": part or content, "kind": r["kind"], "relation": r["relation"],
                "note": r["note"], "content_text": part_text(r["content_text"], content, part) if part else r["content_text"],
                "cue_text": r["cue_text"], "source_text": r["source_text"],
                "outlet": r["outlet"], "published": r["published"], "attribution_id": r["attribution_id"],
                "diff": diff,
            })
        dated = [x for x in rend if x["published"]]
        first = min(dated, key=lambda x: x["published"]) if dated else (rend[0] if rend else None)
        outlets = len({(x["outlet"] or "").lower() or x["article"] for x in rend})
        statements.append({"id": f"s{st['seq'] + 1}", "speaker": st["speaker"], "first_outlet": first and first["outlet"],
                           "outlets": outlets, "renderings": rend})
    return {"event": ev["id"], "title": ev["title"], "date": ev["first_published"], "articles": articles, "statements": statements,
            # carried by more than one outlet (the rest: two articles of one outlet)
            "shared_statements": sum(st["outlets"] >= 2 for st in statements)}
