"""Readers: one a format, all yielding Articles, or a Failure in the place of what failed.

``read_sources(inputs)`` takes what a user points at: files by extension or by sniffing
their first bytes (.txt, .html, .warc(.gz), .jsonl, gzip of any of them), folders
(recursively), ``-`` for standard input and http(s) URLs. Nothing here raises on bad input:
each failure is one Failure (file, record, reason) and the run goes on.
"""
from __future__ import annotations

import io
import os
import pathlib
import re
import stat
import sys
import zlib
from typing import IO, Callable, Iterable, Iterator

from ..errors import SET_ASIDE, QuotewireError, reason_of
from ..model import Article, Failure
from .html import read_html
from .jsonl import read_json, read_jsonl
from .text import decode_text, read_text, read_text_file
from .warc import read_warc

from .gz import Expanded, ExpandedTooLarge
from ..settings import DEFAULT_MAX_BYTES, DEFAULT_MAX_EXPANDED_BYTES, DEFAULT_URL_SECONDS

Item = Article | Failure

EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".arc": "warc",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    # one document (an article, a list of them), or JSON Lines under this name: read_json tells
    ".json": "json",
}


#: a JSON list, as opposed to a text that opens with a bracket ("[Updated] ..."): "[" and then an
#: object, a list, a string or its end
_JSON_LIST = re.compile(rb'\[\s*[\[{"\]]')


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
    if body.startswith(b"{") or _JSON_LIST.match(body):
        return "jsonl"  # JSON: JSON Lines, or one document (an article, a list of them) when held whole
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
        yield from read_jsonl(data_or_stream, where, max_bytes)
        return
    data = data_or_stream
    if len(data) > max_bytes:
        yield Failure(where, 0, QuotewireError("Q051", where=where, size=len(data), limit=max_bytes))
        return
    if kind == "json":
        yield from read_json(data, where)
        return
    try:
        if not data.strip():
            raise QuotewireError("Q057", where=where)
        yield read_html(data, where) if kind == "html" else read_text(data, where)
    except QuotewireError as exc:
        yield Failure(where, 0, exc, stage="skip" if exc.code in SET_ASIDE else "read")
    except Exception as exc:  # noqa: BLE001 - a cleaner's bug on one page is that page's line
        yield _unreadable(where, exc)


def read_file(path: pathlib.Path, max_bytes: int = DEFAULT_MAX_BYTES, sniff_unknown: bool = True,
              max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES, shape: Callable[[str], str | None] | None = None) -> Iterator[Item]:
    """The items of one file. ``shape``: asked of the head of a plain (uncompressed) file that
    gave an article, read once with it: a reason it is not news sets the article aside (Q088)."""
    where = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            # opening a FIFO waits for a writer forever; a device may never end
            yield Failure(where, 0, QuotewireError("Q073", path=where))
            return
        with open(path, "rb") as fh:
            yield from _read_open(path, fh, max_bytes, sniff_unknown, max_expanded, shape=shape)
    except OSError as exc:
        yield Failure(where, 0, QuotewireError("Q077", where=where, reason=exc.strerror or str(exc)))
    except Exception as exc:  # noqa: BLE001 - a reader's bug on one file is that file's line
        yield _unreadable(where, exc)


def _unreadable(where: str, exc: BaseException) -> Failure:
    reason = reason_of(exc)
    return Failure(where, 0, QuotewireError("Q077", where=where, reason=reason))


def _read_open(path: pathlib.Path, fh: IO[bytes], max_bytes: int, sniff_unknown: bool, max_expanded: int,
               size: int | None = None, shape: Callable[[str], str | None] | None = None, where: str | None = None) -> Iterator[Item]:
    """The items of one open input: its kind by its name (``path``), else by its first bytes.
    Content sniffed as JSON is held whole (up to max_bytes) and read as a file named .json is:
    an article, a list of them, JSON Lines, or a document of no articles set aside (Q100); past
    max_bytes it can only be JSON Lines, read line by line. The same for a plain file, a gzip
    (of any name but .jsonl.gz), standard input and a URL. ``where``: its name in lines (a URL)."""
    where = where or str(path)
    kind = kind_of(path)
    head = fh.read(4096)
    fh.seek(0)
    if not head:
        yield Failure(where, 0, QuotewireError("Q057", where=where))
        return
    if kind == "warc" or (kind is None and sniff(head) == "warc"):
        # the WARC reader decompresses itself, member by member, so that it can resync
        yield from read_warc(fh, where, max_bytes, max_expanded)
        return
    size = path.stat().st_size if size is None else size
    if head[:2] != b"\x1f\x8b":
        if kind == "jsonl" or (size > max_bytes and (kind == "json" or (kind is None and sniff(head) == "jsonl"))):
            # named JSON Lines, or JSON (named, or sniffed in a file of no known name) too big to
            # hold as one document: JSON Lines (or nothing), read line by line, as a gzip's is
            yield from read_jsonl(fh, where, max_bytes)
            return
        if size > max_bytes:
            yield Failure(where, 0, QuotewireError("Q051", where=where, size=size, limit=max_bytes))
            return
        data = fh.read()
        if kind is None:
            kind = sniff(data[:4096])
            if kind is None:
                if sniff_unknown:
                    yield Failure(where, 0, QuotewireError("Q056", path=where))
                return
            if kind == "warc":
                yield from _read_stream(kind, io.BytesIO(data), where, max_bytes)
                return
            kind = "json" if kind == "jsonl" else kind  # held whole already: a document or JSON Lines
        # judged once for the file, however many articles it holds
        why = shape(data[:_SHAPE_BYTES].decode("utf-8", "replace")) if shape is not None else None
        for item in _read_stream(kind, data, where, max_bytes):
            yield _skipped(where, why) if why and isinstance(item, Article) else item
        return
    # gzip of a text, page or JSON Lines: decompressed as a stream, every byte counted, so that
    # a bomb stops at the limit instead of expanding in memory
    inner = kind_of(pathlib.Path(path.name[:-3])) if path.name.lower().endswith(".gz") else None
    data = Expanded(fh, max_expanded)
    try:
        peek = data.read(4096)
        if not peek and (data.corrupt or data.truncated):
            raise EOFError(data.corrupt or "the file ends inside the compressed data")
        kind = inner if inner not in (None, "gzip") else sniff(peek)
        if kind == "warc":
            fh.seek(0)
            yield from read_warc(fh, where, max_bytes, max_expanded)
            return
        if kind is None:
            if sniff_unknown:
                yield Failure(where, 0, QuotewireError("Q056", path=where))
            return
        body = peek
        if inner != "jsonl":  # (named JSON Lines is a stream: a feed may be endless)
            kind = "json" if kind == "jsonl" else kind  # sniffed JSON: held whole, as a plain file's is
            body += data.read(max_bytes + 1 - len(peek))
        if kind == "jsonl" or (kind == "json" and len(body) > max_bytes):
            # named JSON Lines, or JSON too big to hold as one document: read line by line
            data.unread(body)
            yield from read_jsonl(data, where, max_bytes)
            if data.corrupt or data.truncated:
                yield Failure(where, 0, QuotewireError("Q053", where=where, reason=data.corrupt or "the file ends inside the compressed data"))
            return
        if len(body) > max_bytes:
            yield Failure(where, 0, QuotewireError("Q051", where=f"{where} (decompressed)", size=len(body), limit=max_bytes))
            return
        if data.corrupt or data.truncated:
            raise EOFError(data.corrupt or "the file ends inside the compressed data")
    except (OSError, EOFError, zlib.error) as exc:
        yield Failure(where, 0, QuotewireError("Q053", where=where, reason=str(exc) or type(exc).__name__))
        return
    except ExpandedTooLarge as exc:
        yield Failure(where, 0, QuotewireError("Q072", where=where, limit=max_expanded, reason=str(exc)))
        return
    yield from _read_stream(kind, body, where, max_bytes)


def files_in(folder: pathlib.Path, errors: list[OSError] | None = None) -> Iterator[pathlib.Path]:
    """Every file below folder, in sorted order, hidden ones left out; a folder that cannot be
    read is appended to ``errors`` (when given) rather than skipped silently."""
    for root, dirs, files in os.walk(folder, onerror=None if errors is None else errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield pathlib.Path(root) / name


def read_folder(folder: pathlib.Path, max_bytes: int = DEFAULT_MAX_BYTES, max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES) -> Iterator[Item]:
    """Every readable file below folder, in sorted order; hidden files and unknown binaries
    skipped, a folder that cannot be read reported."""
    for unit in units([str(folder)]):
        yield from read_unit(unit, max_bytes, max_expanded)


#: how ``units`` marks a folder it could not read (its reason rides in the unit)
UNREADABLE = "unreadable"


def units(inputs: Iterable[str]) -> Iterator[tuple[str, bool | str]]:
    """What ``read_sources(inputs)`` reads, one input at a time, folders opened into their files:
    each ``(spec, in_folder)``, which ``read_unit`` reads alone, in whatever process (so that
    reading and HTML cleaning can run beside the parse). ``-`` is standard input: this process's.
    A folder that cannot be read is ``(path, UNREADABLE + ": " + reason)``."""

    def unreadable(errors: list[OSError], spec: str) -> Iterator[tuple[str, str]]:
        while errors:
            e = errors.pop(0)
            yield str(e.filename or spec), f"{UNREADABLE}: {e.strerror or e}"

    for spec in inputs:
        if spec != "-" and not spec.startswith(("http://", "https://")) and pathlib.Path(spec).is_dir():
            errors: list[OSError] = []
            for path in files_in(pathlib.Path(spec), errors):
                yield from unreadable(errors, spec)
                yield str(path), True
            yield from unreadable(errors, spec)
        else:
            yield spec, False


#: The names a project gives its own papers (GitHub's community files, the GNU conventions):
#: met in a folder of news they are the folder's paperwork, not articles. Names that could also
#: title an article count only in the capitals the convention writes them in (CHANGES, HISTORY).
_PAPERS_ANY_CASE = re.compile(r"(readme|licen[cs]e|copying|copyright|changelog|contributing|code[-_]of[-_]conduct)([-_.].*)?", re.I)
_PAPERS_CAPITALS = re.compile(r"(CHANGES|HISTORY|NOTICE|AUTHORS|CONTRIBUTORS|SECURITY|INSTALL|CITATION|TODO)([-_.].*)?")
#: the names a file of program source or configuration goes by (by its language's convention):
#: met in a folder of news it is the project's code, not an article, whatever its words. By the
#: name, not the lines: a shape of code (lines ending in ; or {) also fits news that carries its
#: page's stylesheet (one PolNeAR train article does)
_CODE_SUFFIXES = frozenset(
    ".py .pyi .pyx .ipynb .js .mjs .cjs .ts .tsx .jsx .c .h .cc .cpp .cxx .hpp .java .kt .kts .scala .go .rs .rb .php .pl .pm"
    " .sh .bash .zsh .fish .ps1 .bat .cmd .r .jl .swift .m .lua .sql .css .scss .less .yml .yaml .toml .ini .cfg .conf"
    " .lock .gradle .mk .cmake".split())
#: the names of a data table's file: rows of values, not an article
_TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".psv"})
#: the shapes of a document that news never takes: a fenced code block, a Markdown table's rule,
#: a script's first line, lines of tab-separated columns (a data table)
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.M)
_TABLE_RULE = re.compile(r"^ *\|? *:?-{3,}:? *(\| *:?-{3,}:? *)+\|? *$", re.M)
_SHEBANG = re.compile(r"\A\s*#!")


def _tab_separated(text: str) -> bool:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    return len(lines) >= 3 and sum("\t" in line for line in lines) >= 0.8 * len(lines)


def not_news(path: pathlib.Path, text: str | None = None) -> str | None:
    """Why a file met in a folder is not news (its name, or the shape of its text), or None."""
    if _PAPERS_ANY_CASE.fullmatch(path.name) or _PAPERS_CAPITALS.fullmatch(path.name):
        return f"{path.name.split('.')[0]} by its name: a project's paper"
    if path.suffix.lower() in _CODE_SUFFIXES:
        return f"program source or configuration by its name, {path.suffix}"
    if path.suffix.lower() in _TABLE_SUFFIXES:
        return f"a data table by its name, {path.suffix}"
    if text is not None:
        if _FENCE.search(text):
            return "a document with fenced code blocks"
        if _TABLE_RULE.search(text):
            return "a document with Markdown tables"
        if _SHEBANG.match(text):
            return "a script"
        if _tab_separated(text):
            return "a table of tab-separated values"
    return None


def _skipped(where: str, reason: str) -> Failure:
    return Failure(where, 0, QuotewireError("Q088", where=where, reason=reason), stage="skip")


#: how much of a text file its shape is judged by
_SHAPE_BYTES = 65_536


def read_unit(unit: tuple[str, bool | str], max_bytes: int = DEFAULT_MAX_BYTES, max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES,
              url_seconds: float = DEFAULT_URL_SECONDS) -> Iterator[Item]:
    """The items of one unit of ``units``: what ``read_sources`` yields for it, in order. A file
    met in a folder that is not news (``not_news``) is one Q088 line, stage "skip": set aside
    on purpose, counted apart from failures; named itself, the same file is read."""
    spec, in_folder = unit
    if isinstance(in_folder, str):
        return iter([Failure(spec, 0, QuotewireError("Q074", path=spec, reason=in_folder.split(": ", 1)[-1]))])
    if in_folder:
        path = pathlib.Path(spec)
        why = not_news(path)
        if why:
            return iter([_skipped(spec, why)])
        # only plain text can be a document in disguise; a page, an archive or a feed says what it is.
        # Its shape is judged on the text as written (the cleaner folds tabs and may take a first
        # line for a title), from the bytes read for the article
        shape = (lambda text: not_news(path, text)) if kind_of(path) in ("text", None) else None
        return read_file(path, max_bytes, sniff_unknown=kind_of(path) is not None, max_expanded=max_expanded, shape=shape)
    return read_sources([spec], max_bytes, max_expanded=max_expanded, url_seconds=url_seconds)


def read_url(url: str, max_bytes: int = DEFAULT_MAX_BYTES, seconds: float = DEFAULT_URL_SECONDS,
             max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES) -> Iterator[Item]:
    """A page (by its content type or its first bytes) or a text, under its address; anything
    else (JSON, JSON Lines, a WARC, gzip of any of these) is read as the file its address names
    would be, by the address's last part and by its content (``_read_open``)."""
    from urllib.parse import urlsplit

    from .url import fetch

    try:
        data, ctype = fetch(url, max_bytes, deadline=seconds)
        sniffed = sniff(data[:4096])
        name = pathlib.PurePosixPath(urlsplit(url).path).name or "index"
        kind = kind_of(pathlib.Path(name))
        json_type = "json" in ctype.split(";")[0].lower()
        if sniffed in ("gzip", "warc", "jsonl") or kind in ("gzip", "warc", "json", "jsonl") or json_type:
            yield from _read_open(pathlib.Path(name), io.BytesIO(data), max_bytes, True, max_expanded, size=len(data), where=url)
            return
        if "html" in ctype or sniffed == "html" or sniffed is None:
            yield read_html(data, url, url=url)
        else:
            yield read_text(data, url, url=url)
    except QuotewireError as exc:
        yield Failure(url, 0, exc, stage="skip" if exc.code in SET_ASIDE else "read")


class _Prepended(io.RawIOBase):
    """A stream whose first bytes were already read (to sniff its kind), given back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.head[: len(buffer)] if self.head else self.rest.read(len(buffer))
        self.head = self.head[len(chunk):]
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _streams_as_lines(head: bytes, whole: bool) -> bool:
    """Whether JSON that starts with ``head`` is JSON Lines to stream, not one document to hold
    (``whole``: the head is all there is, held already): its first line is a JSON object of its
    own. A head without a line's end holds no first line to judge: one that opens an object (a
    long record) is streamed; one that opens a list is one document, held whole (up to the
    byte limit) as a file's is, whatever its length."""
    import json

    first, ended, _ = head.lstrip(b"\xef\xbb\xbf \t\r\n").partition(b"\n")
    if not ended:
        return not whole and first.startswith(b"{")
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def read_stdin(stream: IO[bytes], max_bytes: int = DEFAULT_MAX_BYTES, max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES) -> Iterator[Item]:
    """Standard input, read no further than its limit: JSON Lines as a stream, line by line (a
    feed may be endless); a WARC or gzip held up to the decompressed limit (the WARC reader needs
    to seek); a text or page up to max_bytes."""
    where = "<stdin>"
    head = stream.read(4096)
    kind = sniff(head)
    # JSON Lines are streamed (a feed may be endless); a JSON document is held whole, as a file's
    if kind == "jsonl" and _streams_as_lines(head, whole=len(head) < 4096):
        yield from read_jsonl(io.BufferedReader(_Prepended(head, stream)), where, max_bytes)
        return
    limit = max_expanded if kind in ("warc", "gzip") else max_bytes
    data = head + stream.read(limit + 1 - len(head))
    if len(data) > limit:
        yield Failure(where, 0, QuotewireError("Q051", where=where, size=len(data), limit=limit))
        return
    yield from _read_open(pathlib.Path(where), io.BytesIO(data), max_bytes, True, max_expanded, size=len(data))


def read_sources(inputs: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, stdin: IO[bytes] | None = None,
                 max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES, url_seconds: float = DEFAULT_URL_SECONDS) -> Iterator[Item]:
    """Articles from every input, in order; failures as Failures in their place."""
    for spec in inputs:
        if spec == "-":
            yield from read_stdin(stdin or sys.stdin.buffer, max_bytes, max_expanded)
        elif spec.startswith(("http://", "https://")):
            yield from read_url(spec, max_bytes, url_seconds, max_expanded)
        else:
            path = pathlib.Path(spec)
            if path.is_dir():
                yield from read_folder(path, max_bytes, max_expanded)
            elif path.exists():
                yield from read_file(path, max_bytes, max_expanded=max_expanded)
            else:
                yield Failure(spec, 0, QuotewireError("Q024", path=spec))


__all__ = ["Failure", "decode_text", "files_in", "read_file", "read_folder", "read_jsonl", "read_sources", "read_text_file", "read_unit", "read_url", "sniff", "units"]
