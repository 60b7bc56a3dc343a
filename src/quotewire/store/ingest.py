"""Writing to the store: idempotent, batch by batch, and safe to kill.

- The same article twice is stored once (same id and same content hash: skipped before any
  parsing); a changed article replaces its old version and its attributions.
- Each batch is one transaction: a run killed at any moment leaves every batch before it
  whole and nothing of the one it was in; rerunning skips what is stored and does the rest.
- Speakers are one identity across articles: the same normalised name, an alias seen before,
  or a surname that only one stored person has ("Putin" -> "Vladimir Putin").
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..batching import chunks as batches
from ..model import Article, Speaker
from ..sources.jsonl import ReadError

_NON_WORD = re.compile(r"[^\w\s]")


def speaker_key(name: str) -> str:
    """Case, punctuation and a leading 'the' do not make another speaker."""
    words = _NON_WORD.sub(" ", name.lower()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def content_hash(article: Article) -> str:
    h = hashlib.sha1()
    for part in (article.text, article.title or "", article.url or "", article.outlet or "", article.published or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    replaced: int = 0
    unchanged: int = 0
    statements: int = 0
    events_touched: int = 0
    failures: list[ReadError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def to_dict(self) -> dict:
        return {
            "read": self.read, "stored": self.stored, "replaced": self.replaced, "unchanged": self.unchanged,
            "statements": self.statements, "events_touched": self.events_touched, "failed": self.failed,
            "failures": [{"where": f.where, "record": f.line, "reason": f.message} for f in self.failures],
        }


class StoreWriter:
    """The one writer of a store; reads what it needs to stay idempotent."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._speaker_cache: dict[tuple[str, str], int] = {}

    # -- idempotency ---------------------------------------------------------------------
    def stored_hash(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def unchanged(self, article: Article) -> bool:
        return self.stored_hash(article.id) == content_hash(article)

    # -- speakers ------------------------------------------------------------------------
    def speaker_id(self, sp: Speaker) -> int:
        key = speaker_key(sp.name)
        cache_key = (key, sp.kind)
        if cache_key in self._speaker_cache:
            sid = self._speaker_cache[cache_key]
        else:
            sid = self._find_or_create(sp, key)
            self._speaker_cache[cache_key] = sid
        c = self.conn
        c.executemany("INSERT OR IGNORE INTO speaker_aliases(speaker_id, alias) VALUES (?, ?)", [(sid, a) for a in {sp.name, *sp.aliases}])
        if sp.roles:
            c.executemany("INSERT OR IGNORE INTO speaker_roles(speaker_id, role) VALUES (?, ?)", [(sid, r) for r in sp.roles])
        return sid

    def _find_or_create(self, sp: Speaker, key: str) -> int:
        c = self.conn
        row = c.execute("SELECT id FROM speakers WHERE key = ?", (key,)).fetchone()
        if row:
            return row[0]
        words = key.split()
        surname = words[-1] if words and sp.kind == "person" else None
        if sp.kind == "person" and len(words) == 1:
            # "Putin": the one stored person with that surname, if there is exactly one
            rows = c.execute("SELECT id FROM speakers WHERE surname = ? AND kind = 'person'", (surname,)).fetchall()
            if len(rows) == 1:
                return rows[0][0]
        if sp.kind == "person" and len(words) > 1:
            # a bare surname stored earlier grows into the full name
            row = c.execute("SELECT id FROM speakers WHERE key = ? AND kind = 'person'", (surname,)).fetchone()
            if row:
                c.execute("UPDATE speakers SET name = ?, key = ? WHERE id = ?", (sp.name, key, row[0]))
                c.execute("UPDATE attributions SET speaker_name = ? WHERE speaker_id = ?", (sp.name, row[0]))
                self._speaker_cache = {k: v for k, v in self._speaker_cache.items() if v != row[0]}
                return row[0]
        else:
            row = c.execute(
                "SELECT DISTINCT speaker_id FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
                "WHERE a.alias = ? AND s.kind = ?", (sp.name, sp.kind),
            ).fetchall()
            if len(row) == 1:
                return row[0][0]
        cur = c.execute("INSERT INTO speakers(name, key, surname, kind) VALUES (?, ?, ?, ?)", (sp.name, key, surname, sp.kind))
        return int(cur.lastrowid)

    # -- articles ------------------------------------------------------------------------
    def write(self, articles: Iterable[Article], report: IngestReport) -> list[str]:
        """One batch, one transaction; returns the ids of the articles written (new or changed)."""
        with self.conn:
            return [a.id for a in articles if self._write_one(a, report)]

    def _write_one(self, a: Article, report: IngestReport) -> bool:
        c = self.conn
        digest = content_hash(a)
        old = self.stored_hash(a.id)
        if old == digest:
            report.unchanged += 1
            return False
        from ..coverage.events import count_terms

        if old is not None:
            prev = c.execute("SELECT coalesce(title, '') || ' ' || text FROM articles WHERE id = ?", (a.id,)).fetchone()[0]
            count_terms(c, prev, -1)
            c.execute("DELETE FROM attributions WHERE article_id = ?", (a.id,))
            c.execute("DELETE FROM articles WHERE id = ?", (a.id,))
            report.replaced += 1
        else:
            report.stored += 1
        c.execute(
            "INSERT INTO articles(id, url, outlet, title, standfirst, published, place, agency, authors, language, text, sections, provenance, content_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (a.id, a.url, a.outlet, a.title, a.standfirst, a.published, a.place, a.agency, json.dumps(list(a.authors)),
             a.language, a.text, json.dumps([[s.start, s.end] for s in a.sections]), json.dumps(a.provenance, default=str), digest),
        )
        count_terms(c, (a.title or "") + " " + a.text)
        rows = []
        for seq, at in enumerate(a.attributions):
            sid = self.speaker_id(at.speaker) if at.speaker else None
            rows.append((
                a.id, seq, at.kind, json.dumps([s.to_list() for s in at.content]), json.dumps([s.to_list() for s in at.cue]),
                json.dumps([s.to_list() for s in at.source]) if at.source else None,
                at.content_text(a.text), " ".join(s.text(a.text) for s in at.cue),
                " ".join(s.text(a.text) for s in at.source) if at.source else None,
                sid, at.speaker.name if at.speaker else None, at.confidence, at.rule, at.start, at.end,
            ))
        c.executemany(
            "INSERT INTO attributions(article_id, seq, kind, content, cue, source, content_text, cue_text, source_text, "
            "speaker_id, speaker_name, confidence, rule, start, end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        report.statements += len(rows)
        return True


#: below this share of common English words a text of some length is taken as not English
MIN_ENGLISH_SHARE = 0.12


def check_article(article: Article, where: str) -> ReadError | None:
    """What makes an article not worth parsing: no text, or not English."""
    from ..article import english_share
    from ..errors import QuotewireError

    if not article.text.strip():
        return ReadError(where, 0, str(QuotewireError("Q057", where=where)), article.id)
    if len(article.text.split()) >= 20:
        share = english_share(article.text)
        if share < MIN_ENGLISH_SHARE:
            return ReadError(where, 0, str(QuotewireError("Q052", where=where, share=share)), article.id)
    return None


def ingest(inputs: Iterable[str], conn: sqlite3.Connection, settings=None, max_bytes: int | None = None,
           batch_size: int = 64, on_progress=None, with_events: bool = True) -> IngestReport:
    """Read every input, skip what is stored unchanged, extract the rest, write batch by batch."""
    from ..pipeline import annotate_many
    from ..sources import DEFAULT_MAX_BYTES, read_sources

    writer = StoreWriter(conn)
    report = IngestReport()

    def to_parse() -> Iterator[Article | ReadError]:
        for item in read_sources(inputs, max_bytes or DEFAULT_MAX_BYTES):
            if isinstance(item, ReadError):
                yield item
                continue
            report.read += 1
            where = item.provenance.get("record") or item.provenance.get("file") or item.url or item.id
            problem = check_article(item, str(where))
            if problem is not None:
                yield problem
            elif writer.unchanged(item):
                report.unchanged += 1
                if on_progress:
                    on_progress(report)
            else:
                yield item

    from .. import coverage

    if with_events:
        coverage.update(conn)  # articles a killed run stored but did not place (one scan a run)
    for batch in batches(annotate_many(to_parse(), settings), batch_size):
        report.failures.extend(x for x in batch if isinstance(x, ReadError))
        written = writer.write([x for x in batch if isinstance(x, Article)], report)
        if with_events and written:
            report.events_touched += len(coverage.update(conn, written))
        if on_progress:
            on_progress(report)
    return report
