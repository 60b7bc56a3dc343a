"""JSON Lines: one article a line, ``{"id", "text" or "html", "url", "published", "outlet", ...}``.

A bad line is reported in its place (a Failure), never fatal. The ``id`` given is kept as
the article id. ``text`` is taken as given (offsets of a gold file must stay valid);
``html`` goes through the HTML reader.
"""
from __future__ import annotations

import json
from typing import IO, Iterator

from ..errors import QuotewireError
from ..model import Article, Failure

_META = ("url", "outlet", "title", "published", "place", "agency", "language")


def article_from_record(record: dict, where: str) -> Article:
    if not isinstance(record, dict):
        raise QuotewireError("Q020", where=where)
    meta = {k: str(record[k]) for k in _META if record.get(k) is not None}
    rid = str(record.get("id") or "")
    provenance = {"record": where}
    text = record.get("text")
    if not isinstance(text, str) and isinstance(record.get("html"), str):
        from .html import read_html

        url = meta.pop("url", None)
        article = read_html(record["html"], where, url=url, provenance=provenance, **meta)
        return article if not rid else Article(**{**article.__dict__, "id": rid})
    if not isinstance(text, str):
        raise QuotewireError("Q020", where=f"{where} (id {record.get('id', '?')})")
    if isinstance(record.get("authors"), list):
        meta["authors"] = tuple(str(a) for a in record["authors"])
    from ..clean import fill_metadata

    return fill_metadata(Article(text=text.replace("\r\n", "\n"), id=rid, provenance=provenance, **meta))


def read_jsonl(stream: IO[bytes], name: str) -> Iterator[Article | Failure]:
    """Articles in input order; each unreadable line yields a Failure in its place."""
    for n, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        where = f"{name}:{n}"
        try:
            line = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            yield Failure(name, n, str(QuotewireError("Q022", path=where, offset=exc.start)))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(name, n, str(QuotewireError("Q021", path=name, line=n, reason=exc.msg)))
            continue
        try:
            yield article_from_record(record, where)
        except QuotewireError as exc:
            rid = record.get("id") if isinstance(record, dict) else None
            yield Failure(name, n, str(exc), str(rid) if rid is not None else None)
