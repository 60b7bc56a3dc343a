"""JSON Lines: one article a line, ``{"id", "text" or "html", "url", "published", "outlet", ...}``.

A bad line is reported in its place (a Failure), never fatal. The ``id`` given is kept as
the article id. ``text`` is taken as given (offsets of a gold file must stay valid);
``html`` goes through the HTML reader.
"""
from __future__ import annotations

import io
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
        yield record_item(record, name, n, where)
    yield from held
    if not records:
        yield Failure(name, 0, QuotewireError("Q057", where=name))


def record_item(record: Any, name: str, n: int, where: str) -> Article | Failure:
    """One decoded record as an Article (lone surrogates replaced, with a Q059 warning), or the
    Failure that stands in its place (``name``, record ``n``)."""
    record, replaced = scrub(record)
    try:
        article = article_from_record(record, where)
        if replaced:
            warning = str(QuotewireError("Q059", where=where, count=replaced))
            article = Article(**{**article.__dict__, "provenance": {**article.provenance, "warnings": [*article.warnings, warning]}})
        return article
    except Exception as exc:  # noqa: BLE001 - one record, whatever is wrong with it, is one line
        rid = record.get("id") if isinstance(record, dict) else None
        reason = reason_of(exc)
        message = exc if isinstance(exc, QuotewireError) else QuotewireError("Q077", where=where, reason=reason)
        return Failure(name, n, message, str(rid) if rid is not None else None)


def is_article(value: Any) -> bool:
    """A record an article is read from: an object with a "text" or an "html" string."""
    return isinstance(value, dict) and (isinstance(value.get("text"), str) or isinstance(value.get("html"), str))


def _shape(doc: Any) -> str:
    """What a JSON document holds, in a few words, for the line that sets it aside."""
    if isinstance(doc, dict):
        keys = ", ".join(repr(k if len(k) <= 24 else k[:23] + "…") for k in list(doc)[:3]) + (", ..." if len(doc) > 3 else "")
        return f"an object of {len(doc)} key{'s' * (len(doc) != 1)} ({keys}) without a \"text\" or \"html\" string" if doc else "an empty object"
    if isinstance(doc, list):
        return f"a list of {len(doc)} item{'s' * (len(doc) != 1)}, none an article" if doc else "an empty list"
    return f"a single {type(doc).__name__ if doc is not None else 'null'}"


def read_json(data: bytes, name: str) -> Iterator[Article | Failure]:
    """A JSON document (a ``.json`` file): an article, ``{"text": ...}`` or ``{"html": ...}``
    as a JSON Lines record is, or a list of them, indented or not. A document that holds
    neither (a data set keyed by page, a tool's report) is set aside with one line (Q100,
    stage "skip": not a failure); a file of one JSON object a line is read as JSON Lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Failure(name, 0, QuotewireError("Q022", path=name, offset=exc.start))
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        first = next((line for line in text.splitlines() if line.strip()), "")
        try:
            json.loads(first)
            lines = True  # its first line is a value of its own: JSON Lines under a .json name
        except json.JSONDecodeError:
            lines = False
        if lines or not first:
            yield from read_jsonl(io.BytesIO(data), name)
        else:
            yield Failure(name, exc.lineno, QuotewireError("Q021", path=name, line=exc.lineno, reason=exc.msg))
        return
    items = doc if isinstance(doc, list) else [doc]
    if not any(is_article(x) for x in items):
        yield Failure(name, 0, QuotewireError("Q100", where=name, what=_shape(doc)), stage="skip")
        return
    for n, record in enumerate(items, 1):
        where = f"{name}[{n - 1}]" if isinstance(doc, list) else name
        yield record_item(record, name, n if isinstance(doc, list) else 0, where)
