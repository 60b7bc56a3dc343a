"""The one codec between an Article and flat rows, and the one table layout of those rows.

An Article is one ``articles`` row and one ``attributions`` row per attribution; spans, lists
and provenance are JSON text, and each attribution carries its speaker whole (name, kind,
aliases, roles), so ``from_rows(*to_rows(a)) == a``. The SQLite store, its exports, the Spark
job's Parquet and ``quotewire load`` all read and write these rows and no other.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from .model import Article, Attribution, Span, Speaker, Failure

Row = dict[str, Any]

#: (column, type) of each table; types are "str", "int" or "float" (JSON columns are "str")
ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "str"), ("url", "str"), ("outlet", "str"), ("title", "str"), ("standfirst", "str"), ("published", "str"),
    ("place", "str"), ("agency", "str"), ("authors", "str"), ("language", "str"), ("text", "str"),
    ("sections", "str"), ("datelines", "str"), ("provenance", "str"),
)
ATTRIBUTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "str"), ("seq", "int"), ("kind", "str"), ("content", "str"), ("cue", "str"), ("source", "str"),
    ("content_text", "str"), ("cue_text", "str"), ("source_text", "str"), ("speaker", "str"), ("speaker_kind", "str"),
    ("speaker_aliases", "str"), ("speaker_roles", "str"), ("confidence", "float"), ("rule", "str"),
    ("start", "int"), ("end", "int"),
)
#: one statement a row with its article's metadata (the CSV and Parquet exports). ``speaker``,
#: ``speaker_kind`` and ``speaker_id`` are the store's merged identity (one person across
#: articles); ``speaker_as_written``, ``speaker_aliases`` and ``speaker_roles`` are what the
#: statement's own article gave
STATEMENT_COLUMNS: tuple[tuple[str, str], ...] = (("statement_id", "int"),) + ATTRIBUTION_COLUMNS + (
    ("speaker_id", "int"), ("speaker_as_written", "str"),
    ("outlet", "str"), ("published", "str"), ("title", "str"), ("url", "str"), ("place", "str"), ("agency", "str"),
)
FAILURE_COLUMNS: tuple[tuple[str, str], ...] = (("file", "str"), ("where", "str"), ("record", "int"), ("reason", "str"), ("stage", "str"),
                                                 ("code", "str"))
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": ARTICLE_COLUMNS, "attributions": ATTRIBUTION_COLUMNS, "statements": STATEMENT_COLUMNS,
    "failures": FAILURE_COLUMNS,
}


def _spans(raw: str | None) -> tuple[Span, ...]:
    return tuple(Span(int(s), int(e)) for s, e in json.loads(raw)) if raw else ()


def _lists(spans: Iterable[Span]) -> str:
    return json.dumps([s.to_list() for s in spans])


def article_row(a: Article) -> Row:
    return {
        "id": a.id, "url": a.url, "outlet": a.outlet, "title": a.title, "standfirst": a.standfirst,
        "published": a.published, "place": a.place, "agency": a.agency, "authors": json.dumps(list(a.authors)),
        "language": a.language, "text": a.text, "sections": _lists(a.sections), "datelines": _lists(a.datelines),
        "provenance": json.dumps(a.provenance, default=str),
    }


def attribution_rows(a: Article) -> list[Row]:
    rows = []
    for seq, at in enumerate(a.attributions):
        sp = at.speaker
        rows.append({
            "article_id": a.id, "seq": seq, "kind": at.kind, "content": _lists(at.content), "cue": _lists(at.cue),
            "source": _lists(at.source) if at.source else None, "content_text": at.content_text(a.text),
            "cue_text": " ".join(s.text(a.text) for s in at.cue),
            "source_text": " ".join(s.text(a.text) for s in at.source) if at.source else None,
            "speaker": sp.name if sp else None, "speaker_kind": sp.kind if sp else None,
            "speaker_aliases": json.dumps(list(sp.aliases)) if sp else None,
            "speaker_roles": json.dumps(list(sp.roles)) if sp else None,
            "confidence": float(at.confidence), "rule": at.rule, "start": at.start, "end": at.end,
        })
    return rows


def to_rows(a: Article) -> tuple[Row, list[Row]]:
    """An Article as (its articles row, its attributions rows in order)."""
    return article_row(a), attribution_rows(a)


def attribution_from_row(r: Row) -> Attribution:
    speaker = None
    if r.get("speaker"):
        speaker = Speaker(r["speaker"], r.get("speaker_kind") or "person", tuple(json.loads(r.get("speaker_aliases") or "[]")),
                          tuple(json.loads(r.get("speaker_roles") or "[]")))
    return Attribution(r["kind"], _spans(r["content"]), _spans(r["cue"]), _spans(r.get("source")), speaker,
                       float(r["confidence"]) if r.get("confidence") is not None else 0.0, r.get("rule") or "")


def from_rows(row: Row, attributions: Iterable[Row] = ()) -> Article:
    """The Article of its rows (attributions in ``seq`` order whatever order they come in)."""
    return Article(
        text=row["text"], id=row["id"], url=row["url"], outlet=row["outlet"], title=row["title"],
        standfirst=row["standfirst"], published=row["published"], place=row["place"], agency=row["agency"],
        authors=tuple(json.loads(row.get("authors") or "[]")), language=row["language"],
        sections=_spans(row.get("sections")), datelines=_spans(row.get("datelines")),
        provenance=json.loads(row.get("provenance") or "{}"),
        attributions=tuple(attribution_from_row(r) for r in sorted(attributions, key=lambda r: r["seq"])),
    )


def failure_row(f: Failure, file: str | None = None) -> Row:
    return {"file": file or f.where, "where": f.where, "record": int(f.line or 0), "reason": f.message, "stage": f.stage, "code": f.code}


def failure_from_row(r: Row) -> Failure:
    return Failure(r["where"], r["record"], r["reason"], None, r.get("stage") or "read", r.get("code"))


#: what a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): =, +, -, @, and
#: the tab and carriage return that some put in front of one to hide it
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell as text a spreadsheet shows rather than runs: a string that starts like a
    formula gets a leading apostrophe (statements are untrusted text, and CSV is opened in
    spreadsheets); numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def parquet_schema(table: str):
    """The Parquet (pyarrow) schema of one of TABLES."""
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    return pa.schema([(name, types[t]) for name, t in TABLES[table]])


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]
