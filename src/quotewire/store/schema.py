"""The SQLite store: one file, WAL mode, foreign keys on, a schema version and migrations.

Migrations are numbered SQL scripts applied in order inside one transaction each; the
database's ``PRAGMA user_version`` is the number of the last one applied. A database newer
than this code, or a file that is not SQLite, is a clear error.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from ..errors import QuotewireError

DEFAULT_DB = "quotewire.db"

MIGRATIONS: list[str] = [
    # 1: articles, attributions, speakers with aliases and roles, full-text indexes
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url TEXT,
        outlet TEXT,
        title TEXT,
        standfirst TEXT,
        published TEXT,
        place TEXT,
        agency TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        language TEXT,
        text TEXT NOT NULL,
        sections TEXT NOT NULL DEFAULT '[]',
        provenance TEXT NOT NULL DEFAULT '{}',
        content_hash TEXT NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet ON articles(outlet COLLATE NOCASE);

    CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE,
        surname TEXT,
        kind TEXT NOT NULL DEFAULT 'person'
    );
    CREATE INDEX speakers_surname ON speakers(surname);
    CREATE TABLE speaker_aliases (
        speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        alias TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (speaker_id, alias)
    );
    CREATE INDEX speaker_aliases_alias ON speaker_aliases(alias);
    CREATE TABLE speaker_roles (
        speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (speaker_id, role)
    );

    CREATE TABLE attributions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'mixed', 'indirect')),
        content TEXT NOT NULL,
        cue TEXT NOT NULL,
        source TEXT,
        content_text TEXT NOT NULL,
        cue_text TEXT NOT NULL,
        source_text TEXT,
        speaker_id INTEGER REFERENCES speakers(id),
        speaker_name TEXT,
        confidence REAL,
        rule TEXT,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        UNIQUE (article_id, seq)
    );
    CREATE INDEX attributions_speaker ON attributions(speaker_id);
    CREATE INDEX attributions_kind ON attributions(kind);

    CREATE VIRTUAL TABLE attributions_fts USING fts5(
        content_text, content='attributions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER attributions_ai AFTER INSERT ON attributions BEGIN
        INSERT INTO attributions_fts(rowid, content_text) VALUES (new.id, new.content_text);
    END;
    CREATE TRIGGER attributions_ad AFTER DELETE ON attributions BEGIN
        INSERT INTO attributions_fts(attributions_fts, rowid, content_text) VALUES ('delete', old.id, old.content_text);
    END;

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    """,
    # 2: coverage across outlets: events, their articles, aligned statements and renderings
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        title TEXT,
        first_published TEXT
    );
    CREATE TABLE event_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        score REAL
    );
    CREATE INDEX event_articles_event ON event_articles(event_id);
    CREATE TABLE event_statements (
        id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        speaker TEXT
    );
    CREATE INDEX event_statements_event ON event_statements(event_id);
    CREATE TABLE renderings (
        statement_id INTEGER NOT NULL REFERENCES event_statements(id) ON DELETE CASCADE,
        attribution_id INTEGER NOT NULL REFERENCES attributions(id) ON DELETE CASCADE,
        relation TEXT NOT NULL CHECK (relation IN ('reference', 'same', 'shortened', 'reworded', 'altered')),
        note TEXT,
        diff TEXT,
        PRIMARY KEY (statement_id, attribution_id)
    );
    CREATE INDEX renderings_attribution ON renderings(attribution_id);
    CREATE TABLE term_df (
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 3: what the row codec keeps and 1-2 lost: datelines, and each statement's speaker as the
    # article saw it (kind, aliases, roles; the speakers table holds the merged identity)
    """
    ALTER TABLE articles ADD COLUMN datelines TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE attributions ADD COLUMN speaker_kind TEXT;
    ALTER TABLE attributions ADD COLUMN speaker_aliases TEXT;
    ALTER TABLE attributions ADD COLUMN speaker_roles TEXT;
    """,
    # 4: search at archive size. Each statement carries its article's outlet and date, so every
    # filter (outlet, date, kind, speaker) is one index, ordered newest first, that a query can
    # walk alone or meet the full-text index with; kept in step with the article by triggers.
    # The full-text index is rebuilt once, with prefix indexes.
    # These indexes start with speaker_id and kind, so the single-column ones go.
    """
    ALTER TABLE attributions ADD COLUMN outlet TEXT COLLATE NOCASE;
    ALTER TABLE attributions ADD COLUMN published TEXT;
    UPDATE attributions SET (outlet, published) = (SELECT ar.outlet, ar.published FROM articles ar WHERE ar.id = attributions.article_id);
    DROP INDEX IF EXISTS attributions_speaker;
    DROP INDEX IF EXISTS attributions_kind;
    CREATE INDEX attributions_published ON attributions(published DESC, article_id, seq);
    CREATE INDEX attributions_outlet ON attributions(outlet, published DESC, article_id, seq);
    CREATE INDEX attributions_speaker ON attributions(speaker_id, published DESC, article_id, seq);
    CREATE INDEX attributions_kind ON attributions(kind, published DESC, article_id, seq);
    -- a statement's filter and facet fields by id, in a few dozen bytes instead of its whole row:
    -- what a text match is checked against and counted by
    CREATE INDEX attributions_by_id ON attributions(id, kind, outlet, published, speaker_id, speaker_name);
    -- prefix queries (e.g. cyber*) read one entry of a prefix index instead of merging every
    -- term under the prefix across the whole store
    DROP TRIGGER attributions_ai;
    DROP TRIGGER attributions_ad;
    DROP TABLE attributions_fts;
    CREATE VIRTUAL TABLE attributions_fts USING fts5(
        content_text, content='attributions', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    );
    INSERT INTO attributions_fts(attributions_fts) VALUES ('rebuild');
    CREATE TRIGGER attributions_ai AFTER INSERT ON attributions BEGIN
        INSERT INTO attributions_fts(rowid, content_text) VALUES (new.id, new.content_text);
    END;
    CREATE TRIGGER attributions_ad AFTER DELETE ON attributions BEGIN
        INSERT INTO attributions_fts(attributions_fts, rowid, content_text) VALUES ('delete', old.id, old.content_text);
    END;
    CREATE TRIGGER attributions_article_fields AFTER INSERT ON attributions BEGIN
        UPDATE attributions SET (outlet, published) = (SELECT ar.outlet, ar.published FROM articles ar WHERE ar.id = new.article_id)
        WHERE id = new.id;
    END;
    CREATE TRIGGER articles_fields_au AFTER UPDATE OF outlet, published ON articles BEGIN
        UPDATE attributions SET outlet = new.outlet, published = new.published WHERE article_id = new.id;
    END;
    """,
    # 5: an article can be found by its address (show URL, /api/articles?url=...)
    """
    CREATE INDEX articles_url ON articles(url);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def db_path(path: str | os.PathLike | None = None) -> Path:
    """--db, else QUOTEWIRE_DB, else ./quotewire.db."""
    return Path(path or os.environ.get("QUOTEWIRE_DB") or DEFAULT_DB)


def connect(path: str | os.PathLike | None = None, readonly: bool = False) -> sqlite3.Connection:
    """An open, migrated connection (read-only ones never create or migrate)."""
    p = db_path(path)
    if readonly:
        if not p.exists():
            raise QuotewireError("Q061", path=str(p), reason="no such file; run `quotewire ingest` first")
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, timeout=30)
    else:
        p.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(p, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        if readonly and _readonly_folder(p):
            # a WAL store in a folder no one may write (a read-only mount, an archive): SQLite
            # cannot make the shared-memory file a reader needs, but nothing can be writing it
            # either, so it is read as an immutable file (a writer closes a WAL store checkpointed)
            conn = sqlite3.connect(f"file:{p}?mode=ro&immutable=1", uri=True, timeout=30)
            conn.row_factory = sqlite3.Row
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.DatabaseError as exc2:
                conn.close()
                raise QuotewireError("Q061", path=str(p), reason=str(exc2)) from None
        else:
            raise QuotewireError("Q061", path=str(p), reason=str(exc)) from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise QuotewireError("Q061", path=str(p), reason=f"its schema {version} is newer than this quotewire's {SCHEMA_VERSION}; upgrade quotewire")
    if version and not readonly:
        _check_ours(conn, p)
    if version < SCHEMA_VERSION:
        if readonly:
            conn.close()
            raise QuotewireError("Q061", path=str(p), reason=f"schema {version} needs migrating; run `quotewire ingest` once")
        migrate(conn, version)
    return conn


def _readonly_folder(p: Path) -> bool:
    """Can nothing be created beside the store? (root passes os.access on a read-only mount)"""
    try:
        fd, name = tempfile.mkstemp(dir=p.parent, prefix=".quotewire-probe-")
    except OSError:
        return True
    os.close(fd)
    os.unlink(name)
    return False


def _check_ours(conn: sqlite3.Connection, p: Path) -> None:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"articles", "attributions", "speakers"} <= names:
        conn.close()
        raise QuotewireError("Q061", path=str(p), reason="it has no quotewire tables")


def migrate(conn: sqlite3.Connection, current: int) -> None:
    if current == 0:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if names:
            raise QuotewireError("Q061", path="the database", reason=f"it already holds other tables ({', '.join(sorted(names)[:5])})")
    for n in range(current, SCHEMA_VERSION):
        with conn:
            conn.executescript("BEGIN;" + MIGRATIONS[n] + f";PRAGMA user_version = {n + 1};COMMIT;")
