"""Exporting the store: JSON Lines (one article a line, the shape `quotewire extract --jsonl`
prints), CSV and Parquet (one statement a row, with its article's metadata and its speaker as
the store's merged identity, beside the name its article wrote). CSV cells that a spreadsheet
would run as formulas are neutralised (``rows.spreadsheet_safe``)."""
from __future__ import annotations

import csv
import json
import sqlite3
from typing import IO, Iterator

from ..errors import QuotewireError
from ..rows import columns, parquet_schema, spreadsheet_safe
from .queries import load_article

FORMATS = ("jsonl", "csv", "parquet")
COLUMNS = columns("statements")

#: the statement's speaker is the merged identity (the speakers table); what its article wrote
#: stays in speaker_as_written (and, for a statement with no stored identity, in speaker too)
_ATTRIBUTION = ", ".join(
    "coalesce(s.name, a.speaker_name) AS speaker" if c == "speaker" else "coalesce(s.kind, a.speaker_kind) AS speaker_kind"
    if c == "speaker_kind" else f"a.{c}" for c in columns("attributions")
)
_ROWS = f"""
    SELECT a.id AS statement_id, {_ATTRIBUTION}, a.speaker_id, a.speaker_name AS speaker_as_written, ar.outlet, ar.published, ar.title, ar.url, ar.place, ar.agency
    FROM attributions a JOIN articles ar ON ar.id = a.article_id LEFT JOIN speakers s ON s.id = a.speaker_id
    ORDER BY ar.published, a.article_id, a.seq
"""


def statement_rows(conn: sqlite3.Connection) -> Iterator[dict]:
    for r in conn.execute(_ROWS):
        yield dict(r)


def export(conn: sqlite3.Connection, fmt: str, out: IO, path: str | None = None) -> int:
    """Write the store in fmt to out (text stream; Parquet needs a path). Returns rows written."""
    if fmt not in FORMATS:
        raise QuotewireError("Q063", fmt=fmt)
    n = 0
    if fmt == "jsonl":
        for (article_id,) in conn.execute("SELECT id FROM articles ORDER BY published, id").fetchall():
            out.write(json.dumps(load_article(conn, article_id).to_dict(), ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in statement_rows(conn):
            writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
            n += 1
        return n
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(statement_rows(conn))
    table = pa.Table.from_pylist(rows, schema=parquet_schema("statements"))
    pq.write_table(table, path or out)
    return len(rows)
