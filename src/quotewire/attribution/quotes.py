"""Quotation marks: classify each mark, pair them within paragraphs, never rewrite the text.

A paragraph that opens a double quote and does not close it continues the quote when the
next paragraph opens with a mark (the wire convention for long quotes); otherwise the quote
closes at the paragraph's end. So a stray mark can cost at most one paragraph, never the
rest of the article, and nothing here raises on odd input.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„‟«"
DOUBLE_CLOSE = "”»"
DOUBLE_AMBIGUOUS = '"'
SINGLE_OPEN = "‘‚‛‹"
SINGLE_CLOSE = "›"
SINGLE_AMBIGUOUS = "'’"
ALL_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_AMBIGUOUS + SINGLE_OPEN + SINGLE_CLOSE + SINGLE_AMBIGUOUS
# two apostrophes (or backticks) stand for a double mark in some wire and LaTeX-ish text, and
# two curly singles for a curly double in some papers' systems ("“You have made ...’’")
_MARK_RE = re.compile("''|``|’’|‘‘|[" + re.escape(ALL_MARKS) + "]")
_PAIRS = {"``": "“", "‘‘": "“", "’’": "”", "''": '"'}
_PARAGRAPH_RE = re.compile(r"[^\n]+")
_OPEN_BEFORE = set(" \t\n([{—–-/") | set(DOUBLE_OPEN) | set(SINGLE_OPEN) | {'"', "'"}


@dataclass(frozen=True)
class Quote:
    """A quoted region: ``pieces`` are [start, end) ranges, marks included, one a paragraph."""

    pieces: tuple[tuple[int, int], ...]
    double: bool
    closed: bool

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    def inner_text(self, text: str) -> str:
        return " ".join(text[s:e] for s, e in self.pieces).strip(ALL_MARKS + " ,.")


def soft_wrap(text: str, i: int) -> bool:
    """A single line break inside a sentence of hard-wrapped text ("provide more\nservices",
    '"...journalists,"\nsaid Qin'): a word, a comma or a quote closed on a comma before it and
    a lowercase word after it."""
    return (
        0 < i < len(text) - 1 and text[i] == "\n"
        and (text[i - 1].isalnum() or text[i - 1] in ",;" or (i > 1 and text[i - 1] in "\"”’" and text[i - 2] in ",?!"))
        and text[i + 1].islower()
    )


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines as [start, end) ranges, soft-wrapped lines joined: the unit within
    which marks pair."""
    return list(_paragraphs(text))


@functools.lru_cache(maxsize=4)  # four stages of one extraction ask for the same text's paragraphs
def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for m in _PARAGRAPH_RE.finditer(text):
        if not m.group().strip():
            continue
        if out and out[-1][1] == m.start() - 1 and soft_wrap(text, m.start() - 1):
            out[-1] = (out[-1][0], m.end())
        else:
            out.append((m.start(), m.end()))
    return tuple(out)


def _role(text: str, i: int, ch: str, width: int = 1) -> str:
    """'open', 'close', 'either' or 'none' (an apostrophe) for the mark at i."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + width] if i + width < len(text) else " "
    if ch in SINGLE_OPEN and nxt.isdigit():
        return "none"  # ‘90s is an elision
    if ch in DOUBLE_OPEN or ch in SINGLE_OPEN:
        return "open"
    if ch in DOUBLE_CLOSE or ch in SINGLE_CLOSE:
        # a closing curly mark used as an opener (seen in badly converted text)
        return "either" if prev in _OPEN_BEFORE and not nxt.isspace() else "close"
    if ch in SINGLE_AMBIGUOUS:
        if prev.isalnum() and nxt.isalnum():
            return "none"  # don't, Russia’s
        if prev in _OPEN_BEFORE or i == 0:
            return "none" if nxt.isdigit() else "open"  # ‘90s is an elision
        if nxt.isspace() or not nxt.isalnum():
            return "close"  # also voters’ (decided by whether a single quote is open)
        return "none"
    # straight double quote
    prev_open = prev in _OPEN_BEFORE or i == 0
    next_space = nxt.isspace() or i + width >= len(text)
    if prev_open and not next_space:
        return "open"
    if not prev_open and (next_space or not nxt.isalnum()):
        return "close"
    return "either"


def find_quotes(text: str) -> list[Quote]:
    """Top-level quotes in text order; single quotes count only outside double ones."""
    quotes: list[Quote] = []
    carried: list[tuple[int, int]] = []  # pieces of a double quote continued from earlier paragraphs
    for p_start, p_end in paragraphs(text):
        open_double: int | None = None
        open_single: int | None = None
        if carried:
            first = p_start + len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())
            if first < p_end and (text[first] in DOUBLE_OPEN or text[first] == '"' or text.startswith("''", first)):
                open_double = first
            else:  # the earlier paragraph's quote ends where its paragraph ended
                quotes.append(Quote(tuple(carried), True, False))
                carried = []
        for m in _MARK_RE.finditer(text, p_start, p_end):
            i, ch = m.start(), m.group()
            width = len(ch)
            if width == 2:
                ch = _PAIRS[ch]
            is_double = ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch == '"'
            role = _role(text, i, ch, width)
            if role == "none":
                continue
            if is_double:
                if open_double is None:
                    if role in ("open", "either"):
                        open_double, open_single = i, None
                elif role in ("close", "either") and i > open_double:
                    pieces = tuple(carried) + ((open_double, i + width),)
                    quotes.append(Quote(pieces, True, True))
                    carried, open_double = [], None
                elif role == "open" and ch in DOUBLE_OPEN and ch != text[open_double]:
                    continue  # a nested opener of another style: keep the outer quote
            elif open_double is None:
                if open_single is None:
                    if role == "open":
                        open_single = i
                elif role == "close":
                    quotes.append(Quote(((open_single, i + 1),), False, True))
                    open_single = None
        if open_double is not None:
            end = p_end
            while end > open_double + 1 and text[end - 1].isspace():
                end -= 1
            carried.append((open_double, end))
    if carried:
        quotes.append(Quote(tuple(carried), True, False))
    return quotes
