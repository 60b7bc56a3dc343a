"""Reading the store: statement search, speakers, one article. Parameterised SQL only.

Each function returns plain dicts, so the CLI, the JSON API and the pages render the same data.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from ..errors import QuotewireError
from ..model import Article
from ..rows import columns, from_rows

KINDS = ("direct", "mixed", "indirect")
COUNT_CAP = 10_000

_SELECT = """
    SELECT a.id AS statement_id, a.article_id, a.seq, a.kind, a.content_text, a.cue_text, a.source_text,
           a.speaker_name AS speaker, a.speaker_id, s.kind AS speaker_kind, a.confidence, a.rule, a.start, a.end,
           ar.outlet, ar.published, ar.title, ar.url, ar.place
"""


@dataclass
class Filters:
    """A statement query: full text (FTS5 syntax) and filters. One builder for search and facets."""

    query: str | None = None
    speaker: str | None = None
    speaker_id: int | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    article: str | None = None

    @property
    def has_query(self) -> bool:
        return bool(self.query and self.query.strip())

    def sql(self, conn: sqlite3.Connection) -> tuple[str, str, list[Any]]:
        """(FROM ... JOINs, WHERE ..., parameters)."""
        where: list[str] = []
        params: list[Any] = []
        if self.has_query:
            base = " FROM attributions_fts f JOIN attributions a ON a.id = f.rowid"
            where.append("attributions_fts MATCH ?")
            params.append(self.query)
        else:
            base = " FROM attributions a"
        base += " JOIN articles ar ON ar.id = a.article_id LEFT JOIN speakers s ON s.id = a.speaker_id"
        if self.speaker:
            # the speakers first (a small table), then their statements by index
            pattern = f"%{self.speaker}%"
            ids = [r[0] for r in conn.execute(
                "SELECT speaker_id FROM speaker_aliases WHERE alias LIKE ? UNION SELECT id FROM speakers WHERE name LIKE ?",
                (pattern, pattern),
            )]
            where.append(f"a.speaker_id IN ({','.join('?' * len(ids)) or 'NULL'})")
            params += ids
        if self.speaker_id is not None:
            where.append("a.speaker_id = ?")
            params.append(self.speaker_id)
        if self.outlet:
            where.append("ar.outlet LIKE ?")
            params.append(self.outlet)
        if self.since:
            where.append("ar.published >= ?")
            params.append(self.since)
        if self.until:
            where.append("ar.published <= ?")
            params.append(self.until + "\uffff")
        if self.kind:
            if self.kind not in KINDS:
                raise QuotewireError("Q011", kind=self.kind)
            # with a text query the full-text index leads; '+' keeps the planner off the kind index
            where.append("+a.kind = ?" if self.has_query else "a.kind = ?")
            params.append(self.kind)
        if self.article:
            where.append("a.article_id = ?")
            params.append(self.article)
        return base, (" WHERE " + " AND ".join(where)) if where else "", params


def _run(conn: sqlite3.Connection, f: Filters, sql: str, params: list[Any]) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        if f.has_query and ("fts5" in msg or "syntax error" in msg or "unterminated" in msg or "no such column" in msg):
            raise QuotewireError("Q060", query=f.query, reason=msg) from None
        raise


def search(
    conn: sqlite3.Connection, query: str | None = None, *, limit: int = 20, offset: int = 0, **filters: Any,
) -> dict[str, Any]:
    """Statements matching a full-text query (FTS5 syntax) and filters, best match first.

    Without a query: the newest statements that pass the filters.
    """
    f = Filters(query=query, **filters)
    base, clause, params = f.sql(conn)
    order = " ORDER BY f.rank" if f.has_query else " ORDER BY ar.published DESC, a.article_id, a.seq"
    # counting stops at COUNT_CAP: past that, "more than" is all a reader needs
    total = _run(conn, f, f"SELECT count(*) FROM (SELECT 1{base}{clause} LIMIT {COUNT_CAP + 1})", params)[0][0]
    rows = _run(conn, f, _SELECT + base + clause + order + " LIMIT ? OFFSET ?", params + [limit, offset])
    return {"total": min(total, COUNT_CAP), "total_capped": total > COUNT_CAP, "limit": limit, "offset": offset,
            "statements": [dict(r) for r in rows]}


def facets(conn: sqlite3.Connection, query: str | None = None, *, size: int = 10, **filters: Any) -> dict[str, list[dict]]:
    """Counts by kind, outlet and speaker for the statements a search would find."""
    f = Filters(query=query, **filters)
    base, clause, params = f.sql(conn)
    out: dict[str, list[dict]] = {}
    for name, expr in (("kind", "a.kind"), ("outlet", "ar.outlet"), ("speaker", "a.speaker_name")):
        rows = _run(
            conn, f,
            f"SELECT {expr} AS value, count(*) AS n{base}{clause}{' AND' if clause else ' WHERE'} {expr} IS NOT NULL "
            f"GROUP BY {expr} ORDER BY n DESC, value LIMIT ?", params + [size],
        )
        out[name] = [{"value": r["value"], "count": r["n"]} for r in rows]
    return out


def speaker(conn: sqlite3.Connection, speaker_id: int) -> dict[str, Any] | None:
    """One speaker: names, roles, the outlets that quote them and their statements by month."""
    row = conn.execute("SELECT id, name, kind FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    if row is None:
        return None
    d = dict(row)
    d["aliases"] = [x[0] for x in conn.execute("SELECT alias FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias", (speaker_id,))]
    d["roles"] = [x[0] for x in conn.execute("SELECT role FROM speaker_roles WHERE speaker_id = ? ORDER BY role", (speaker_id,))]
    d["outlets"] = [dict(r) for r in conn.execute(
        "SELECT ar.outlet AS outlet, count(*) AS statements FROM attributions a JOIN articles ar ON ar.id = a.article_id "
        "WHERE a.speaker_id = ? GROUP BY ar.outlet ORDER BY statements DESC", (speaker_id,))]
    d["timeline"] = [dict(r) for r in conn.execute(
        "SELECT substr(ar.published, 1, 7) AS month, count(*) AS statements FROM attributions a "
        "JOIN articles ar ON ar.id = a.article_id WHERE a.speaker_id = ? AND ar.published IS NOT NULL "
        "GROUP BY month ORDER BY month", (speaker_id,))]
    d["statements"] = conn.execute("SELECT count(*) FROM attributions WHERE speaker_id = ?", (speaker_id,)).fetchone()[0]
    return d


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
    r = conn.execute(f"SELECT {', '.join(columns('articles'))} FROM articles WHERE id = ?", (article_id,)).fetchone()
    atts = conn.execute(
        f"SELECT {_ATTRIBUTION_COLUMNS} FROM attributions a LEFT JOIN speakers s ON s.id = a.speaker_id "
        "WHERE a.article_id = ?", (article_id,),
    ).fetchall()
    return from_rows(dict(r), [dict(x) for x in atts])


#: the codec's attribution columns as the store keeps them (the speaker's name and, in stores
#: written before schema 3, its kind come from the merged speaker)
_ATTRIBUTION_COLUMNS = ", ".join(
    "a.speaker_name AS speaker" if c == "speaker" else "coalesce(a.speaker_kind, s.kind) AS speaker_kind" if c == "speaker_kind"
    else f"a.{c}" for c in columns("attributions")
)
