"""WARC archives (Common Crawl News style): each HTML response record is one article.

warcio reads the records; a broken or truncated archive yields the records before the break
and one Failure that names the record where it broke. Provenance keeps (file, offset,
length) of each record, as cc-pyspark does.
"""
from __future__ import annotations

import gzip
import zlib
from typing import IO, Iterator

from ..errors import QuotewireError
from ..model import Article, Failure


HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: IO[bytes], name: str, max_bytes: int) -> Iterator[Article | Failure]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type != "response":
                continue
            n += 1
            ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if not any(t in ctype.lower() for t in HTML_TYPES):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{name}#{n}"
            try:
                status = record.http_headers.get_statuscode() if record.http_headers else "200"
                if status and not str(status).startswith("2"):
                    continue
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise QuotewireError("Q051", where=where, size=len(data), limit=max_bytes)
                if getattr(record.raw_stream, "limit", 0) > 0:
                    # fewer bytes than the record declares: the archive ends inside it
                    yield Failure(name, n, str(QuotewireError("Q054", where=name, record=n, reason="the archive ends inside this record")))
                    return
                from .html import read_html

                provenance = {"file": name, "record": n, "offset": records.get_record_offset(), "url": url}
                yield read_html(data, where, url=url, provenance=provenance)
            except QuotewireError as exc:
                yield Failure(name, n, str(exc))
            except Exception as exc:  # one bad record must not cost the archive
                yield Failure(name, n, f"record {n} ({url}) could not be read: {exc!r}")
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, gzip.BadGzipFile, ValueError) as exc:
        yield Failure(name, n + 1, str(QuotewireError("Q054", where=name, record=n + 1, reason=str(exc).splitlines()[0][:200] or type(exc).__name__)))
