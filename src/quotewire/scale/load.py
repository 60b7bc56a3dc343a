"""Bring the Spark job's Parquet output into a SQLite store, as if it had been ingested here:
the same writer (idempotent, batch by batch), speakers merged across partitions by the same
identity rules, then events placed."""
from __future__ import annotations

import json
import pathlib
import sqlite3
from collections import defaultdict
from typing import Iterator

from ..errors import QuotewireError
from ..model import Article, Attribution, Span, Speaker
from ..sources.jsonl import ReadError
from ..batching import chunks
from ..store.ingest import IngestReport, StoreWriter


def _table(out_dir: pathlib.Path, name: str) -> list[dict]:
    import pyarrow.dataset as ds

    path = out_dir / name
    if not path.exists():
        return []
    return ds.dataset(str(path), format="parquet", partitioning="hive").to_table().to_pylist()


def _spans(raw: str | None) -> tuple[Span, ...]:
    return tuple(Span(s, e) for s, e in json.loads(raw)) if raw else ()


def articles_from(out_dir: str | pathlib.Path) -> Iterator[Article]:
    out = pathlib.Path(out_dir)
    if not (out / "articles").exists() and not (out / "_quotewire.json").exists():
        raise QuotewireError("Q065", path=str(out))
    speakers: dict[tuple[str, str], Speaker] = {}
    for r in _table(out, "speakers"):
        speakers[(r["article_id"], r["name"])] = Speaker(r["name"], r["kind"], tuple(json.loads(r["aliases"])), tuple(json.loads(r["roles"])))
    atts: dict[str, list[dict]] = defaultdict(list)
    for r in _table(out, "attributions"):
        atts[r["article_id"]].append(r)
    for r in _table(out, "articles"):
        rows = sorted(atts.get(r["id"], []), key=lambda x: x["seq"])
        attributions = tuple(
            Attribution(
                x["kind"], _spans(x["content"]), _spans(x["cue"]), _spans(x["source"]),
                speakers.get((r["id"], x["speaker"])) or (Speaker(x["speaker"], x["speaker_kind"] or "person") if x["speaker"] else None),
                x["confidence"] or 0.0, x["rule"] or "",
            )
            for x in rows
        )
        yield Article(
            text=r["text"], id=r["id"], url=r["url"], outlet=r["outlet"], title=r["title"], standfirst=r["standfirst"],
            published=r["published"], place=r["place"], agency=r["agency"], authors=tuple(json.loads(r["authors"] or "[]")),
            language=r["language"], sections=_spans(r["sections"]), provenance=json.loads(r["provenance"] or "{}"),
            attributions=attributions,
        )


def failures_from(out_dir: str | pathlib.Path) -> list[ReadError]:
    return [ReadError(r["where"], r["record"], r["reason"]) for r in _table(pathlib.Path(out_dir), "failures")]


def load(out_dir: str | pathlib.Path, conn: sqlite3.Connection, batch_size: int = 200) -> IngestReport:
    from .. import coverage

    report = IngestReport()
    writer = StoreWriter(conn)
    for batch in chunks(articles_from(out_dir), batch_size):
        report.read += len(batch)
        writer.write(batch, report)
    report.failures.extend(failures_from(out_dir))
    coverage.update(conn)
    return report
