"""Compressed input read as a stream, every byte counted as it is decompressed.

A gzip bomb (1 MB of gzip holding 1 GB of zeros) must cost neither the memory nor the time of
what it expands to: ``Expanded`` decompresses at most a block at a time, stops at a cap on the
bytes it has given out, and stops a line that runs on past a cap (a WARC header or a JSON
Lines record with no end). Gzip members are independent, so after a corrupt one ``resync``
finds the next member and reading goes on from there.
"""
from __future__ import annotations

import bisect
import zlib
from typing import IO

_BLOCK = 1 << 16
_MAGIC = b"\x1f\x8b\x08"


class ExpandedTooLarge(Exception):
    """More decompressed bytes than the cap."""


class LineTooLong(Exception):
    """A line longer than the cap: no header or record ends there."""


class Truncated(Exception):
    """The compressed data ends inside a gzip member."""


class Expanded:
    """The decompressed bytes of a (multi-member) gzip stream, or of a plain one.

    ``max_total`` caps all bytes given out; ``max_line`` caps the bytes between two newlines.
    ``member_offsets`` pairs the decompressed offset where each member starts with its offset in
    the compressed file, so a record's place in the file can be named."""

    def __init__(self, raw: IO[bytes], max_total: int, max_line: int | None = None, compressed: bool = True) -> None:
        self.raw = raw
        self.max_total = max_total
        self.max_line = max_line
        self.compressed = compressed
        self.total = 0  # decompressed bytes given out
        self.raw_pos = 0  # compressed bytes consumed from raw
        self._line = 0  # bytes since the last newline
        self._out = bytearray()  # appending and cutting from the front are both cheap
        self._in = b""
        self._d = None
        self._member_start = 0
        self._done = False
        self.member_offsets: list[tuple[int, int]] = []
        #: the compressed data ended inside a member
        self.truncated = False
        #: why the current member could not be decompressed (None while all is well)
        self.corrupt: str | None = None

    # -- decompressing ---------------------------------------------------------------------
    def _raw_read(self) -> bytes:
        chunk = self.raw.read(_BLOCK)
        return chunk or b""

    def _fill(self) -> None:
        """Append at most one block of decompressed bytes to ``_out`` (or mark the end)."""
        if not self.compressed:
            chunk = self._raw_read()
            self.raw_pos += len(chunk)
            if not chunk:
                self._done = True
            self._out += chunk
            return
        if self._d is None:
            if not self._in:
                self._in = self._raw_read()
            if not self._in:
                self._done = True
                return
            self._member_start = self.raw_pos
            self.member_offsets.append((self.total + len(self._out), self._member_start))
            self._d = zlib.decompressobj(31)
        d = self._d
        if d.unconsumed_tail:
            data = d.unconsumed_tail
        else:
            data = self._in or self._raw_read()
            self._in = b""
            if not data:
                # what came before is good: hand it out, and let the reader say where it broke
                self.truncated = True
                self._done = True
                return
        before = len(data)
        try:
            out = d.decompress(data, _BLOCK)  # a block at a time, whatever the ratio
        except zlib.error as exc:
            # what came before is good: hand it out, and let the reader resync after it
            self.corrupt = f"corrupt gzip data ({exc})"
            self._done = True
            return
        consumed = before - len(d.unconsumed_tail) - (len(d.unused_data) if d.eof else 0)
        self.raw_pos += consumed
        if d.eof:
            self._in = d.unused_data
            self._d = None
        self._out += out

    def _take(self, n: int) -> bytes:
        data = bytes(self._out[:n])
        del self._out[:n]
        self.total += len(data)
        if self.total > self.max_total:
            raise ExpandedTooLarge(f"over {self.max_total:,} bytes when decompressed")
        if self.max_line is not None:
            cut = data.rfind(b"\n")
            self._line = len(data) - cut - 1 if cut >= 0 else self._line + len(data)
            if self._line > self.max_line:
                raise LineTooLong(f"a line runs on past {self.max_line:,} bytes")
        return data

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.max_total + 1
        while len(self._out) < n and not self._done:
            self._fill()
        return self._take(n)

    def readline(self, limit: int = -1) -> bytes:
        cut, seen = self._out.find(b"\n"), 0
        while cut < 0 and not self._done and (limit < 0 or len(self._out) < limit):
            seen = len(self._out)
            self._fill()
            cut = self._out.find(b"\n", seen)
        n = cut + 1 if cut >= 0 else len(self._out)
        if limit >= 0:
            n = min(n, limit)
        return self._take(n)

    def skip_line(self) -> None:
        """Drop the rest of the current line without handing it out (still counted)."""
        while True:
            cut = self._out.find(b"\n")
            n = cut + 1 if cut >= 0 else len(self._out)
            self.total += n
            del self._out[:n]
            if self.total > self.max_total:
                raise ExpandedTooLarge(f"over {self.max_total:,} bytes when decompressed")
            if cut >= 0 or self._done:
                self._line = 0
                return
            self._fill()

    def __iter__(self):
        while True:
            line = self.readline(self.max_line + 1 if self.max_line else -1)
            if not line:
                return
            yield line

    def unread(self, data: bytes) -> None:
        """Put back bytes just read (a peek at the head to tell the kind)."""
        self._out[:0] = data
        self.total -= len(data)

    # -- after a break ---------------------------------------------------------------------
    def resync(self) -> bool:
        """Skip to the next gzip member after the one that broke; False when there is none."""
        if not self.compressed or not hasattr(self.raw, "seek"):
            return False
        self._d, self._out, self._in, self._line, self.corrupt = None, bytearray(), b"", 0, None
        pos = self._member_start + 1
        self.raw.seek(pos)
        carry = b""
        while True:
            chunk = self.raw.read(_BLOCK)
            if not chunk:
                self._done = True
                return False
            buf = carry + chunk
            at = buf.find(_MAGIC)
            if at >= 0:
                start = pos - len(carry) + at
                self.raw.seek(start)
                self.raw_pos = start
                self._done = False
                return True
            carry = buf[-2:]
            pos += len(chunk)

    def compressed_offset(self, decompressed: int) -> int | None:
        """The compressed offset of the member holding a decompressed offset."""
        at = bisect.bisect_right(self.member_offsets, (decompressed, float("inf"))) - 1
        return self.member_offsets[at][1] if at >= 0 else None
