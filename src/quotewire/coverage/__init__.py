"""Coverage across outlets: events (events.py), aligned statements (align.py), differences
(diff.py), kept in the store as articles arrive. ``update`` places new articles and realigns
the events they join; the rest reads."""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable

from .align import Rendering, extend
from .events import Corpus, place, replace_loner


def unplaced(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM event_articles) ORDER BY coalesce(published, '9999'), rowid"
    )]


def update(conn: sqlite3.Connection, article_ids: Iterable[str] | None = None) -> set[int]:
    """Place articles (all unplaced ones by default) and realign the events they joined."""
    ids = list(article_ids) if article_ids is not None else unplaced(conn)
    touched: set[int] = set()
    with conn:
        corpus = Corpus(conn)
        placed: list[tuple[str, bool]] = []
        for article_id in ids:
            event_id, joined, _ = place(conn, article_id, corpus)
            touched.add(event_id)
            placed.append((article_id, joined))
        # those that started an event alone look again at what arrived after them
        for article_id, joined in placed:
            if not joined:
                moved = replace_loner(conn, article_id, corpus)
                if moved is not None:
                    touched.add(moved)
        for event_id in touched:
            if conn.execute("SELECT 1 FROM event_articles WHERE event_id = ? LIMIT 1", (event_id,)).fetchone():
                realign(conn, event_id, set(ids))
    return touched


def realign(conn: sqlite3.Connection, event_id: int, new_articles: set[str] | None = None) -> int:
    """Recompute the statements of one event from its articles' attributions (only the
    renderings of ``new_articles`` aligned anew when named)."""
    stored = {r[0]: tuple(r[1:]) for r in conn.execute(
        "SELECT r.attribution_id, r.statement_id, r.relation, r.note, r.diff FROM renderings r "
        "JOIN event_statements s ON s.id = r.statement_id WHERE s.event_id = ?", (event_id,))}
    conn.execute("DELETE FROM event_statements WHERE event_id = ?", (event_id,))
    rows = conn.execute(
        """
        SELECT a.id, a.article_id, ar.published, a.speaker_name, a.kind, a.content_text, ar.rowid AS ord
        FROM event_articles ea JOIN articles ar ON ar.id = ea.article_id JOIN attributions a ON a.article_id = ar.id
        WHERE ea.event_id = ? ORDER BY ar.rowid, a.seq
        """,
        (event_id,),
    ).fetchall()
    if len({r["article_id"] for r in rows}) < 2:
        return 0
    renderings = [Rendering(r["id"], r["article_id"], r["published"], r["speaker_name"], r["kind"], r["content_text"], r["ord"]) for r in rows]
    statements = extend(renderings, stored, new_articles)
    for seq, st in enumerate(statements):
        cur = conn.execute("INSERT INTO event_statements(event_id, seq, speaker) VALUES (?, ?, ?)", (event_id, seq, st.speaker))
        sid = cur.lastrowid
        for r in st.renderings:
            d = st.differences.get(r.key)
            relation = "reference" if r is st.reference else d.relation
            conn.execute(
                "INSERT INTO renderings(statement_id, attribution_id, relation, note, diff) VALUES (?, ?, ?, ?, ?)",
                (sid, r.key, relation, d.note if d else None, json.dumps(d.diff) if d else None),
            )
    return len(statements)


def events(conn: sqlite3.Connection, limit: int = 50, offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
    rows = conn.execute(
        """
        SELECT e.id, e.title, e.first_published, count(ea.article_id) AS articles,
               count(DISTINCT lower(ar.outlet)) AS outlets,
               (SELECT count(*) FROM event_statements s WHERE s.event_id = e.id) AS statements
        FROM events e JOIN event_articles ea ON ea.event_id = e.id JOIN articles ar ON ar.id = ea.article_id
        GROUP BY e.id HAVING count(ea.article_id) >= ? ORDER BY articles DESC, e.first_published DESC LIMIT ? OFFSET ?
        """,
        (min_articles, limit, offset),
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
            rend.append({
                "article": r["article_id"], "content": json.loads(r["content"]), "kind": r["kind"], "relation": r["relation"],
                "note": r["note"], "content_text": r["content_text"], "cue_text": r["cue_text"], "source_text": r["source_text"],
                "outlet": r["outlet"], "published": r["published"], "attribution_id": r["attribution_id"],
                "diff": json.loads(r["diff"]) if r["diff"] else None,
            })
        dated = [x for x in rend if x["published"]]
        first = min(dated, key=lambda x: x["published"]) if dated else (rend[0] if rend else None)
        statements.append({"id": f"s{st['seq'] + 1}", "speaker": st["speaker"], "first_outlet": first and first["outlet"], "renderings": rend})
    return {"event": ev["id"], "title": ev["title"], "date": ev["first_published"], "articles": articles, "statements": statements}


def elsewhere(conn: sqlite3.Connection, attribution_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """Where else in the whole store this statement was reported: other renderings by the same
    speaker whose content words overlap enough (found through the full-text index)."""
    from .align import LINK_THRESHOLD, similarity
    from .text import bag

    row = conn.execute("SELECT id, article_id, content_text, speaker_name FROM attributions WHERE id = ?", (attribution_id,)).fetchone()
    if row is None:
        return []
    words = bag(row["content_text"])
    if not words:
        return []
    query = " OR ".join(f'"{w}"' for w, _ in words.most_common(12))
    hits = conn.execute(
        "SELECT a.id, a.article_id, a.content_text, a.speaker_name, a.kind, ar.outlet, ar.published FROM attributions_fts f "
        "JOIN attributions a ON a.id = f.rowid JOIN articles ar ON ar.id = a.article_id "
        "WHERE attributions_fts MATCH ? AND a.id != ? ORDER BY f.rank LIMIT 200",
        (query, attribution_id),
    ).fetchall()
    out = []
    for h in hits:
        if row["speaker_name"] and h["speaker_name"] and row["speaker_name"].split()[-1].lower() != h["speaker_name"].split()[-1].lower():
            continue
        s = similarity(words, bag(h["content_text"]))
        if s >= LINK_THRESHOLD:
            out.append({**dict(h), "similarity": round(s, 3)})
    return sorted(out, key=lambda x: -x["similarity"])[:limit]
