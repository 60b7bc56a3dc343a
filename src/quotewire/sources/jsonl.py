"""JSON Lines: one article a line, ``{"id", "text", ...}``; a bad line is reported, not fatal."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import IO, Iterator

from ..errors import QuotewireError
from ..model import Article

_META = ("url", "outlet", "title", "published", "place", "agency", "language")


@dataclass(frozen=True)
class ReadError:
    """One input record that could not be read: where, and why."""

    where: str
    line: int
    message: str
    id: str | None = None


def article_from_record(record: dict, where: str) -> Article:
    if not isinstance(record, dict):
        raise QuotewireError("Q020", where=where)
    text = record.get("text")
    if not isinstance(text, str):
        raise QuotewireError("Q020", where=f"{where} (id {record.get('id', '?')})")
    meta = {k: str(record[k]) for k in _META if record.get(k) is not None}
    return Article(text=text.replace("\r\n", "\n"), id=str(record.get("id") or ""), provenance={"record": where}, **meta)


def read_jsonl(stream: IO[bytes], name: str) -> Iterator[Article | ReadError]:
    """Articles in input order; each unreadable line yields a ReadError in its place."""
    for n, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        where = f"{name}:{n}"
        try:
            line = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            yield ReadError(name, n, str(QuotewireError("Q022", path=where, offset=exc.start)))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(name, n, str(QuotewireError("Q021", path=name, line=n, reason=exc.msg)))
            continue
        try:
            yield article_from_record(record, where)
        except QuotewireError as exc:
            rid = record.get("id") if isinstance(record, dict) else None
            yield ReadError(name, n, str(exc), str(rid) if rid is not None else None)
