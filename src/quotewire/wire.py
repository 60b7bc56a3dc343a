"""What wire copy writes around a story, found in one place: the calendar's words, datelines
(``ARKHANGELSK, March 30. /TASS/.``, ``WASHINGTON (Reuters) -``, and the bare ``PORT ALDEN - ``),
photo credits (``(Jane Roe/Courier)``) and stock tickers (``(NYSE:GM)``).

The cleaner reads the dateline for place, agency and date (``find_dateline``) and marks each one
(``dateline_spans``); attribution keeps datelines, credits and tickers out of content, sources and
speakers (``bare_dateline_spans``, ``credit_spans``, ``dateline_cut`` on a name's tokens); coverage
leaves the calendar's words out of an event's names and counts a month put for another as a fact
changed (``MONTHS``, ``WEEKDAYS``, ``CALENDAR_WORDS``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .model import Span

# -- the calendar -------------------------------------------------------------------------------
MONTHS: tuple[str, ...] = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                           "october", "november", "december")
WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SEASONS: tuple[str, ...] = ("spring", "summer", "autumn", "fall", "winter")
#: the short forms news writes beside the three-letter ones ("Sept. 3")
_MONTH_SHORT_EXTRA = {"september": ("sept",)}
#: a month's number by its first three letters ("jan" -> 1)
MONTH_NUMBER: dict[str, int] = {m[:3]: i for i, m in enumerate(MONTHS, 1)}
#: a month's names, lowercase: the whole, the first three letters, and any other short form
MONTH_FORMS: dict[str, tuple[str, ...]] = {m: tuple(dict.fromkeys((m, m[:3], *_MONTH_SHORT_EXTRA.get(m, ())))) for m in MONTHS}
#: every lowercase word that names a month or a weekday (a story's day, not one of its names)
CALENDAR_WORDS: frozenset[str] = frozenset(f for forms in MONTH_FORMS.values() for f in forms) | frozenset(WEEKDAYS)
#: a month as datelines write it, capitalised, whole or short, with or without a full stop
MONTH_RE = "(?:" + "|".join(sorted((f.capitalize() for forms in MONTH_FORMS.values() for f in forms), key=lambda f: (-len(f), f))) + r")\.?"


def month_number(name: str) -> int | None:
    """1-12 for a month's name, whole or short, any case ("Sept" -> 9); None for anything else."""
    return MONTH_NUMBER.get(name.lower().rstrip(".")[:3])


# -- datelines, credits, tickers ---------------------------------------------------------------
# ARKHANGELSK, March 30. /TASS/.   WASHINGTON (Reuters) -   LONDON, Jan 5 (AFP) –   BEIJING, Jan. 3 (Xinhua) --
DATELINE_RE = re.compile(
    rf"""^(?P<place>[A-Z][A-Z.'\- ]{{1,40}}?(?:,\s(?:[A-Z][a-z]+\.?\s?){{1,3}})?)
    (?:,\s*(?P<month>{MONTH_RE})\s(?P<day>\d{{1,2}})(?:,\s(?P<year>\d{{4}}))?)?
    \.?\s*
    (?:/(?P<agency1>[A-Za-z][\w\-]{{1,20}})/\.?|\((?P<agency2>[A-Z][\w\-. ]{{1,30}})\))
    \s*(?:[-–—]{{1,2}}|\.)?\s*""",
    re.VERBOSE,
)
# a dateline without an agency: "PORT ALDEN - ", "KATHMANDU, Nepal -- " at a paragraph start
BARE_DATELINE_RE = re.compile(r"[A-Z][A-Z.'\- ]{1,40}(?:,\s(?:[A-Z][a-z]+\.?\s?){1,3})?\s(?:--|[-–—])\s")
# a photo credit "(Jane Roe/Courier)", "(Photo: Jane Roe)": it names who took a picture, not a speaker
CREDIT_RE = re.compile(r"\((?:(?:Photo|Image|Picture|Credit)s?(?: by)?:?\s*)?[A-Z][\w.'’ -]{1,40}/\s?[A-Z][\w.&'’ -]{1,40}\)|\((?:Photo|Image|Picture|Credit)s?(?: by)?:?\s*[^()\n]{2,60}\)")
# a stock ticker "(NYSE:GM)", "(Nasdaq: AAPL)": the exchange is not who speaks
TICKER_RE = re.compile(r"\((?:[A-Z][A-Za-z]{1,9}\s?:\s?[A-Z][A-Z.\-]{0,7})\)")
#: the dashes that end a dateline before the story's first words
DATELINE_DASHES = ("-", "--", "–", "—")


@dataclass
class Dateline:
    place: str
    agency: str | None
    month: int | None
    day: int | None
    year: int | None
    span: Span


def find_dateline(text: str, max_paragraphs: int = 6) -> Dateline | None:
    """The first wire dateline at the start of one of the first paragraphs."""
    for n, m in enumerate(re.finditer(r"[^\n]+", text)):
        if n >= max_paragraphs:
            break
        d = DATELINE_RE.match(m.group())
        if d:
            place = d.group("place").strip(" ,.")
            place = " ".join(w.capitalize() if w.isupper() else w for w in re.split(r"(\s+|-)", place))
            place = re.sub(r"\s+", " ", place).replace(" - ", "-")
            return Dateline(
                place=place,
                agency=d.group("agency1") or (d.group("agency2") or "").strip() or None,
                month=month_number(d.group("month")) if d.group("month") else None,
                day=int(d.group("day")) if d.group("day") else None,
                year=int(d.group("year")) if d.group("year") else None,
                span=Span(m.start() + d.start(), m.start() + d.end()),
            )
    return None


def _at_paragraph_starts(pattern: re.Pattern, text: str) -> list[Span]:
    out = []
    for m in re.finditer(r"(?:^|\n)([^\n]+)", text):
        d = pattern.match(m.group(1))
        if d:
            out.append(Span(m.start(1), m.start(1) + d.end()))
    return out


def dateline_spans(text: str) -> tuple[Span, ...]:
    """Wire datelines ("PORT ALDEN, Oct. 6 (Courier) -") at paragraph starts: never content or source."""
    return tuple(_at_paragraph_starts(DATELINE_RE, text))


def bare_dateline_spans(text: str) -> list[Span]:
    """Datelines without an agency ("PORT ALDEN - ") at paragraph starts, which the cleaner does not mark."""
    return _at_paragraph_starts(BARE_DATELINE_RE, text)


def credit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each photo credit, then of each stock ticker: names that are not speakers."""
    return [(m.start(), m.end()) for m in CREDIT_RE.finditer(text)] + [(m.start(), m.end()) for m in TICKER_RE.finditer(text)]


def dateline_cut(toks: Sequence) -> Sequence:
    """A name's tokens without a dateline in front ('JOHANNESBURG - The African National
    Congress' is the Congress): capitals and punctuation, then a dash, within its first six."""
    for k, t in enumerate(toks[:6]):
        if t.text in DATELINE_DASHES and k and all(x.text.isupper() or x.is_punct for x in toks[:k]):
            return toks[k + 1 :]
    return toks
