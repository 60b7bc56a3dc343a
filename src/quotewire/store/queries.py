"""Reading the store: statement search, speakers, one article. Parameterised SQL only.

Each function returns plain dicts, so the CLI, the JSON API and the pages render the same data.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..errors import QuotewireError
from ..model import Article, Attribution, Span, Speaker

KINDS = ("direct", "mixed", "indirect")
COUNT_CAP = 10_000

_SELECT = """
    SELECT a.id AS statement_id, a.article_id, a.seq, a.kind, a.content_text, a.cue_text, a.source_text,
           a.speaker_name AS speaker, s.kind AS speaker_kind, a.confidence, a.rule, a.start, a.end,
           ar.outlet, ar.published, ar.title, ar.url, ar.place
"""


def search(
    conn: sqlite3.Connection, query: str | None = None, *, speaker: str | None = None, outlet: str | None = None,
    since: str | None = None, until: str | None = None, kind: str | None = None, article: str | None = None,
    limit: int = 20, offset: int = 0,
) -> dict[str, Any]:
    """Statements matching a full-text query (FTS5 syntax) and filters, best match first.

    Without a query: the newest statements that pass the filters.
    """
    where: list[str] = []
    params: list[Any] = []
    if query and query.strip():
        base = " FROM attributions_fts f JOIN attributions a ON a.id = f.rowid"
        where.append("attributions_fts MATCH ?")
        params.append(query)
        order = " ORDER BY f.rank"
    else:
        base = " FROM attributions a"
        order = " ORDER BY ar.published DESC, a.article_id, a.seq"
    base += " JOIN articles ar ON ar.id = a.article_id LEFT JOIN speakers s ON s.id = a.speaker_id"
    if speaker:
        # the speakers first (a small table), then their statements by index
        pattern = f"%{speaker}%"
        ids = [r[0] for r in conn.execute(
            "SELECT speaker_id FROM speaker_aliases WHERE alias LIKE ? UNION SELECT id FROM speakers WHERE name LIKE ?",
            (pattern, pattern),
        )]
        where.append(f"a.speaker_id IN ({','.join('?' * len(ids)) or 'NULL'})")
        params += ids
    if outlet:
        where.append("ar.outlet LIKE ?")
        params.append(outlet)
    if since:
        where.append("ar.published >= ?")
        params.append(since)
    if until:
        where.append("ar.published <= ?")
        params.append(until + "\uffff")
    if kind:
        if kind not in KINDS:
            raise QuotewireError("Q011", kind=kind)
        # with a text query the full-text index leads; '+' keeps the planner off the kind index
        where.append("+a.kind = ?" if query and query.strip() else "a.kind = ?")
        params.append(kind)
    if article:
        where.append("a.article_id = ?")
        params.append(article)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    try:
        # counting stops at COUNT_CAP: past that, "more than" is all a reader needs
        total = conn.execute(f"SELECT count(*) FROM (SELECT 1{base}{clause} LIMIT {COUNT_CAP + 1})", params).fetchone()[0]
        rows = conn.execute(_SELECT + base + clause + order + " LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        if "fts5" in msg or "syntax error" in msg or "unterminated" in msg or "no such column" in msg:
            raise QuotewireError("Q060", query=query, reason=msg) from None
        raise
    return {"total": min(total, COUNT_CAP), "total_capped": total > COUNT_CAP, "limit": limit, "offset": offset,
            "statements": [dict(r) for r in rows]}


def speakers(conn: sqlite3.Connection, top: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Who is quoted most, with how many outlets and articles quote them."""
    rows = conn.execute(
        """
        SELECT s.id, s.name, s.kind, count(*) AS statements, count(DISTINCT a.article_id) AS articles,
               count(DISTINCT lower(ar.outlet)) AS outlets, min(ar.published) AS first, max(ar.published) AS last
        FROM attributions a JOIN speakers s ON s.id = a.speaker_id JOIN articles ar ON ar.id = a.article_id
        GROUP BY s.id ORDER BY statements DESC, s.name LIMIT ? OFFSET ?
        """,
        (top, offset),
    ).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["aliases"] = [x[0] for x in conn.execute("SELECT alias FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias", (r["id"],))]
        d["roles"] = [x[0] for x in conn.execute("SELECT role FROM speaker_roles WHERE speaker_id = ? ORDER BY role", (r["id"],))]
        out.append(d)
    return out


def find_article_id(conn: sqlite3.Connection, ref: str) -> str | None:
    """An article by id, unique id prefix, or URL."""
    row = conn.execute("SELECT id FROM articles WHERE id = ? OR url = ?", (ref, ref)).fetchone()
    if row:
        return row[0]
    rows = conn.execute("SELECT id FROM articles WHERE id LIKE ? LIMIT 2", (ref.replace("%", "") + "%",)).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def load_article(conn: sqlite3.Connection, ref: str, db: str = "the store") -> Article:
    """The stored Article with its attributions, as the model (offsets into its text)."""
    article_id = find_article_id(conn, ref)
    if article_id is None:
        raise QuotewireError("Q062", ref=ref, db=db)
    r = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    atts = []
    for a in conn.execute(
        "SELECT a.*, s.kind AS speaker_kind FROM attributions a LEFT JOIN speakers s ON s.id = a.speaker_id "
        "WHERE article_id = ? ORDER BY seq", (article_id,),
    ):
        spans = lambda raw: tuple(Span(s, e) for s, e in json.loads(raw)) if raw else ()  # noqa: E731
        speaker = Speaker(a["speaker_name"], a["speaker_kind"] or "person") if a["speaker_name"] else None
        atts.append(Attribution(a["kind"], spans(a["content"]), spans(a["cue"]), spans(a["source"]), speaker, a["confidence"] or 0.0, a["rule"] or ""))
    return Article(
        text=r["text"], id=r["id"], url=r["url"], outlet=r["outlet"], title=r["title"], standfirst=r["standfirst"],
        published=r["published"], place=r["place"], agency=r["agency"], authors=tuple(json.loads(r["authors"])),
        language=r["language"], sections=tuple(Span(s, e) for s, e in json.loads(r["sections"])),
        provenance=json.loads(r["provenance"]), attributions=tuple(atts),
    )


def stats(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
        "statements": conn.execute("SELECT count(*) FROM attributions").fetchone()[0],
        "speakers": conn.execute("SELECT count(*) FROM speakers").fetchone()[0],
    }
