"""Readers: one a format, all yielding Articles, or a Failure in the place of what failed.

``read_sources(inputs)`` takes what a user points at: files by extension or by sniffing
their first bytes (.txt, .html, .warc(.gz), .jsonl, gzip of any of them), folders
(recursively), ``-`` for standard input and http(s) URLs. Nothing here raises on bad input:
each failure is one Failure (file, record, reason) and the run goes on.
"""
from __future__ import annotations

import gzip
import io
import os
import pathlib
import sys
import zlib
from typing import Callable, IO, Iterable, Iterator

from ..errors import QuotewireError
from ..model import Article, Failure
from .html import read_html
from .jsonl import read_jsonl
from .text import decode_text, read_text, read_text_file
from .warc import read_warc

Item = Article | Failure
from ..settings import DEFAULT_MAX_BYTES

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".arc": "warc",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
}


def sniff(head: bytes) -> str | None:
    """The kind of content from its first bytes, or None for a binary we do not read."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"WARC/", b"\x00WARC")):
        return "warc"
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower = body[:2048].lower()
    if body.startswith(b"<") and (b"<html" in lower or b"<!doctype" in lower or b"<body" in lower or b"<p" in lower or b"<div" in lower):
        return "html"
    if body.startswith(b"{"):
        return "jsonl"
    if b"\x00" in head:
        return None
    return "text"


def kind_of(path: pathlib.Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    if name.endswith(".gz"):
        return "gzip"
    return EXTENSIONS.get(path.suffix.lower())


def _read_stream(kind: str, data_or_stream, where: str, max_bytes: int) -> Iterator[Item]:
    """Items of one input of a known kind (bytes for text/html, a stream for warc/jsonl)."""
    if kind == "warc":
        yield from read_warc(data_or_stream, where, max_bytes)
        return
    if kind == "jsonl":
        yield from read_jsonl(data_or_stream, where)
        return
    data = data_or_stream
    if len(data) > max_bytes:
        yield Failure(where, 0, str(QuotewireError("Q051", where=where, size=len(data), limit=max_bytes)))
        return
    try:
        if not data.strip():
            raise QuotewireError("Q057", where=where)
        yield read_html(data, where) if kind == "html" else read_text(data, where)
    except QuotewireError as exc:
        yield Failure(where, 0, str(exc))


def read_file(path: pathlib.Path, max_bytes: int = DEFAULT_MAX_BYTES, sniff_unknown: bool = True) -> Iterator[Item]:
    where = str(path)
    try:
        kind = kind_of(path)
        if kind in ("warc", "jsonl"):
            # warcio reads gzipped WARC itself (record by record, offsets intact)
            gz = kind == "jsonl" and path.name.lower().endswith(".gz")
            opener: Callable[..., IO[bytes]] = gzip.open if gz else open
            with opener(path, "rb") as stream:
                yield from _read_stream(kind, stream, where, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes and kind != "gzip":
            yield Failure(where, 0, str(QuotewireError("Q051", where=where, size=size, limit=max_bytes)))
            return
        data = path.read_bytes()
        if kind == "gzip" or data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as exc:
                yield Failure(where, 0, str(QuotewireError("Q053", where=where, reason=str(exc) or type(exc).__name__)))
                return
            inner = kind_of(pathlib.Path(path.name[:-3]))
            kind = inner if inner not in (None, "gzip") else sniff(data[:4096])
            if kind in ("warc", "jsonl"):
                yield from _read_stream(kind, io.BytesIO(data), where, max_bytes)
                return
        if kind is None:
            kind = sniff(data[:4096])
            if kind is None:
                if sniff_unknown:
                    yield Failure(where, 0, str(QuotewireError("Q056", path=where)))
                return
            if kind in ("warc", "jsonl"):
                yield from _read_stream(kind, io.BytesIO(data), where, max_bytes)
                return
        yield from _read_stream(kind, data, where, max_bytes)
    except OSError as exc:
        yield Failure(where, 0, f"could not read: {exc.strerror or exc}")


def files_in(folder: pathlib.Path) -> Iterator[pathlib.Path]:
    """Every file below folder, in sorted order, hidden ones left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield pathlib.Path(root) / name


def read_folder(folder: pathlib.Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Every readable file below folder, in sorted order; hidden files and unknown binaries skipped."""
    for path in files_in(folder):
        yield from read_file(path, max_bytes, sniff_unknown=kind_of(path) is not None)


def units(inputs: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """What ``read_sources(inputs)`` reads, one input at a time, folders opened into their files:
    each ``(spec, in_folder)``, which ``read_unit`` reads alone, in whatever process (so that
    reading and HTML cleaning can run beside the parse). ``-`` is standard input: this process's."""
    for spec in inputs:
        if spec != "-" and not spec.startswith(("http://", "https://")) and pathlib.Path(spec).is_dir():
            yield from ((str(path), True) for path in files_in(pathlib.Path(spec)))
        else:
            yield spec, False


def read_unit(unit: tuple[str, bool], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """The items of one unit of ``units``: what ``read_sources`` yields for it, in order."""
    spec, in_folder = unit
    if in_folder:
        path = pathlib.Path(spec)
        return read_file(path, max_bytes, sniff_unknown=kind_of(path) is not None)
    return read_sources([spec], max_bytes)


def read_url(url: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    from .url import fetch

    try:
        data, ctype = fetch(url, max_bytes)
        kind = "html" if "html" in ctype or sniff(data[:4096]) == "html" else sniff(data[:4096]) or "html"
        if kind in ("warc", "jsonl"):
            yield from _read_stream(kind, io.BytesIO(data), url, max_bytes)
            return
        article = read_html(data, url, url=url) if kind == "html" else read_text(data, url, url=url)
        yield article
    except QuotewireError as exc:
        yield Failure(url, 0, str(exc))


def read_sources(inputs: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, stdin: IO[bytes] | None = None) -> Iterator[Item]:
    """Articles from every input, in order; failures as Failures in their place."""
    for spec in inputs:
        if spec == "-":
            stream = stdin or sys.stdin.buffer
            data = stream.read()
            kind = sniff(data[:4096])
            if kind in ("warc", "jsonl"):
                yield from _read_stream(kind, io.BytesIO(data), "<stdin>", max_bytes)
            elif kind is None:
                yield Failure("<stdin>", 0, str(QuotewireError("Q023", path="<stdin>")))
            else:
                yield from _read_stream(kind if kind != "gzip" else "text", data, "<stdin>", max_bytes)
        elif spec.startswith(("http://", "https://")):
            yield from read_url(spec, max_bytes)
        else:
            path = pathlib.Path(spec)
            if path.is_dir():
                yield from read_folder(path, max_bytes)
            elif path.exists():
                yield from read_file(path, max_bytes)
            else:
                yield Failure(spec, 0, str(QuotewireError("Q024", path=spec)))


__all__ = ["Failure", "decode_text", "files_in", "read_file", "read_folder", "read_jsonl", "read_sources", "read_text_file", "read_unit", "read_url", "sniff", "units"]
