"""JSON Lines: one article a line, ``{"id", "text" or "html", "url", "published", "outlet", ...}``.

A bad line is reported in its place (a Failure), never fatal. The ``id`` given is kept as
the article id. ``text`` is taken as given (offsets of a gold file must stay valid);
``html`` goes through the HTML reader.
"""
from __future__ import annotations

import json
import re
from typing import IO, Any, Iterator

from ..errors import QuotewireError, reason_of
from ..model import Article, Failure

#: a file whose first this-many records are all not JSON is no JSON Lines at all (a pretty-printed
#: .json document, a log): one line for the file, not one for each of its thousands of lines
NOT_JSONL_AFTER = 5

_META = ("url", "outlet", "title", "published", "place", "agency", "language")
#: JSON can escape half of a surrogate pair ("\ud800") that no UTF-8 text can hold
_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(value: Any) -> tuple[Any, int]:
    """The record with each lone surrogate replaced by U+FFFD (one code point for one, so the
    offsets of a gold file stay valid), and how many there were."""
    if isinstance(value, str):
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        done = [scrub(v) for v in value]
        return [v for v, _ in done], sum(n for _, n in done)
    if isinstance(value, dict):
        out, total = {}, 0
        for k, v in value.items():
            (k2, n1), (v2, n2) = scrub(k), scrub(v)
            out[k2] = v2
            total += n1 + n2
        return out, total
    return value, 0


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


def _lines(stream: IO[bytes], limit: int | None) -> Iterator[bytes | None]:
    """The lines of a stream, each read at most ``limit`` bytes at a time; a longer line is
    skipped in bounded pieces and given as None."""
    if limit is None:
        yield from stream
        return
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            if hasattr(stream, "skip_line"):
                stream.skip_line()
            else:
                while line and not line.endswith(b"\n"):
                    line = stream.readline(1 << 20)
            yield None
            continue
        yield line


def read_jsonl(stream: IO[bytes], name: str, max_bytes: int | None = None,
               give_up: int | None = NOT_JSONL_AFTER) -> Iterator[Article | Failure]:
    """Articles in input order; each unreadable line yields a Failure in its place, an input
    with no record at all one Failure. When the first ``give_up`` records are all invalid JSON
    the input is reported once as not JSON Lines and left (``None``: every line answered, as
    batch extraction needs to keep output line N for input line N)."""
    records = 0
    held: list[Failure] = []  # the first bad lines, held until the file proves to be JSON Lines
    for n, raw in enumerate(_lines(stream, max_bytes), 1):
        where = f"{name}:{n}"
        if raw is None:
            records += 1
            yield Failure(name, n, QuotewireError("Q051", where=where, size=max_bytes + 1, limit=max_bytes))
            continue
        if not raw.strip():
            continue
        records += 1
        try:
            line = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            yield Failure(name, n, QuotewireError("Q022", path=where, offset=exc.start))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            failure = Failure(name, n, QuotewireError("Q021", path=name, line=n, reason=exc.msg))
            if give_up is not None and len(held) == records - 1:  # nothing but bad JSON so far
                held.append(failure)
                if len(held) >= give_up:
                    yield Failure(name, 0, QuotewireError("Q027", path=name, lines=len(held)))
                    return
                continue
            yield failure
            continue
        yield from held
        held.clear()
        record, replaced = scrub(record)
        try:
            article = article_from_record(record, where)
            if replaced:
                warning = str(QuotewireError("Q059", where=where, count=replaced))
                article = Article(**{**article.__dict__, "provenance": {**article.provenance, "warnings": [*article.warnings, warning]}})
            yield article
        except Exception as exc:  # noqa: BLE001 - one record, whatever is wrong with it, is one line
            rid = record.get("id") if isinstance(record, dict) else None
            reason = reason_of(exc)
            message = exc if isinstance(exc, QuotewireError) else QuotewireError("Q077", where=where, reason=reason)
            yield Failure(name, n, message, str(rid) if rid is not None else None)
    yield from held
    if not records:
        yield Failure(name, 0, QuotewireError("Q057", where=name))
