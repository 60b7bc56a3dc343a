"""WARC archives (Common Crawl News style): each HTML response record is one article.

warcio parses the records from a stream we decompress ourselves (``gz.Expanded``), so that
every byte is counted and a gzip bomb stops at the limits. A record that breaks yields one
Failure naming it; gzip members are independent, so reading resumes at the next member and the
good records after a corrupt one are kept. A file cut short says so, with the number of records
read. Provenance keeps (file, record, offset of its gzip member), as cc-pyspark does.
"""
from __future__ import annotations

import zlib
from typing import IO, Iterator

from ..errors import QuotewireError, reason_of
from ..model import Article, Failure
from ..settings import DEFAULT_MAX_EXPANDED_BYTES
from .gz import Expanded, ExpandedTooLarge, Truncated

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _broken(name: str, record: int, read: int, reason: str) -> Failure:
    reason = f"{reason}; {read} record(s) read"
    return Failure(name, record, QuotewireError("Q054", where=name, record=record, reason=reason))


def read_warc(stream: IO[bytes], name: str, max_bytes: int, max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES) -> Iterator[Article | Failure]:
    from warcio.archiveiterator import ArchiveIterator

    if not (hasattr(stream, "seekable") and stream.seekable()):
        import io

        stream = io.BytesIO(stream.read())  # a pipe: held whole (the file readers pass files)
    head = stream.read(2)
    stream.seek(0)
    raw = stream
    if not head:
        yield Failure(name, 0, QuotewireError("Q057", where=name))
        return
    # no header line or HTML line of a record we would keep is longer than a whole record
    data = Expanded(raw, max_expanded, max_line=max_bytes + 65536, compressed=head == b"\x1f\x8b")
    n = 0  # records seen (all types: the number a user finds the record by)
    read = 0  # response records read
    while True:
        base, start = data.total, n
        last, error = None, None
        try:
            # large blocks: warcio joins a long line block by block, at a cost of the square of their number
            records = ArchiveIterator(data, block_size=1 << 20)
            for record in records:
                n += 1
                last = record
                if record.rec_type != "response":
                    continue
                read += 1
                item = _article(record, records, data, base, name, n, max_bytes)
                if item is not None:
                    yield item
        except ExpandedTooLarge as exc:
            yield Failure(name, n + 1, QuotewireError("Q072", where=name, limit=max_expanded, reason=str(exc)))
            return
        except Truncated:  # the record just read is short
            error = "short"
        except Exception as exc:  # noqa: BLE001 - a corrupt record is one line; the next gzip member is read
            error = (str(exc).splitlines() or [""])[0][:200] or type(exc).__name__
        short = error == "short" or (last is not None and getattr(last.raw_stream, "limit", 0) > 0)
        if short:  # the last record seen was cut: it is the broken one
            read -= last is not None and last.rec_type == "response"
            n -= 1
        if data.corrupt:
            yield _broken(name, n + 1, read, data.corrupt)
        elif data.truncated or short or (n == start and data.total > base and not data.compressed):
            # (bytes but no record: the file ends inside a record's header)
            yield _broken(name, n + 1, read, "the file ends inside it")
            return
        elif error is not None:
            yield _broken(name, n + 1, read, error)
        else:
            return
        n += 1
        if not data.resync():
            return


def _article(record, records, data: Expanded, base: int, name: str, n: int, max_bytes: int) -> Article | Failure | None:
    ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    if not any(t in ctype.lower() for t in HTML_TYPES):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    where = f"{name}#{n}"
    status = record.http_headers.get_statuscode() if record.http_headers else "200"
    if status and not str(status).startswith("2"):
        return None
    try:
        body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:
            raise QuotewireError("Q051", where=where, size=len(body), limit=max_bytes)
        if getattr(record.raw_stream, "limit", 0) > 0:
            raise Truncated("the archive ends inside this record")
        from .html import read_html

        offset = records.get_record_offset() + base
        if data.compressed:
            offset = data.compressed_offset(offset)
        provenance = {"file": name, "record": n, "offset": offset, "url": url}
        return read_html(body, where, url=url, provenance=provenance)
    except QuotewireError as exc:
        return Failure(name, n, exc)
    except (Truncated, ExpandedTooLarge, zlib.error, OSError, EOFError):
        raise  # the stream itself broke: the caller reports it and resyncs
    except Exception as exc:  # noqa: BLE001 - one bad record must not cost the archive
        return Failure(name, n, QuotewireError("Q077", where=f"{name}, record {n} ({url})", reason=reason_of(exc)))
