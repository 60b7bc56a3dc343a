"""Words for comparing renderings: normalised so that spelling, contractions and case do not
make two renderings of one utterance look different."""
from __future__ import annotations

import functools
import re
from collections import Counter

from ..wire import MONTH_FORMS

_WORD = re.compile(r"\d+(?:[.,]\d+)*(?![^\W\d_])|[^\W_]+(?:['’][^\W_]+)?")
CONTRACTIONS = {
    "don't": "do not", "doesn't": "does not", "didn't": "did not", "can't": "can not", "cannot": "can not",
    "won't": "will not", "wouldn't": "would not", "shouldn't": "should not", "couldn't": "could not",
    "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not", "haven't": "have not",
    "hasn't": "has not", "hadn't": "had not", "i'm": "i am", "it's": "it is", "that's": "that is",
    "we're": "we are", "they're": "they are", "you're": "you are", "i've": "i have", "we've": "we have",
    "i'll": "i will", "we'll": "we will", "i'd": "i would", "we'd": "we would", "there's": "there is",
    "let's": "let us", "he's": "he is", "she's": "she is", "what's": "what is", "who's": "who is",
    "where's": "where is", "here's": "here is",
}
STOP = frozenset(
    """a an the and or but if of to in on at by for with from as that this these those it its is are was
    were be been being have has had do does did will would shall should can could may might must not no
    i we you he she they me us him her them my our your his their what which who whom whose when where
    why how all any both each few more most other some such than too very so just also only own same
    about into over after before up down out off again further then once here there said says say told
    tell according""".split()
)
NEGATIONS = frozenset({"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without"})


_ISE = re.compile(r"is(e|es|ed|ing|ation)$")
#: a month as a dateline abbreviates it ("Jan. 1" is "1 January"); "mar" and "may" are words
MONTHS = {f: m for m, forms in MONTH_FORMS.items() for f in forms if f not in (m, "mar")}
_OUR = re.compile(r"our$")
_TRE = re.compile(r"tre$")


@functools.lru_cache(maxsize=1 << 16)
def spelling(word: str) -> str:
    """British and American spellings meet: criticise/criticize, colour/color, centre/center."""
    w = _ISE.sub(r"iz\1", word)
    w = _OUR.sub("or", w) if len(w) > 5 else w
    return _TRE.sub("ter", w)


def words(text: str) -> list[str]:
    """Lowercased words with contractions expanded and spellings unified (punctuation dropped)."""
    out: list[str] = []
    for m in _WORD.finditer(text.lower().replace("’", "'")):
        w = m.group()
        if w in CONTRACTIONS:
            out.extend(CONTRACTIONS[w].split())
        elif w.endswith("n't"):
            out.extend([w[:-3], "not"])
        else:
            out.append(spelling(w.replace(",", "")) if not w[0].isdigit() else w.replace(",", ""))
    return out


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP and (len(w) > 2 or w.isdigit())]


def bag(text: str) -> Counter:
    return Counter(content_words(text))


_OPEN_QUOTES = "\"“‘'«„"
_CLOSE_QUOTES = "\"”’'»"


class Token(tuple):
    """One normalised word of a text with where it stands: (norm, start, end, quoted)."""

    __slots__ = ()

    def __new__(cls, norm: str, start: int, end: int, quoted: bool) -> "Token":
        return tuple.__new__(cls, (norm, start, end, quoted))

    norm = property(lambda self: self[0])
    start = property(lambda self: self[1])
    end = property(lambda self: self[2])
    quoted = property(lambda self: self[3])


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Stretches inside quotation marks. An apostrophe within a word (don't, Kim's) is no mark."""
    spans, opened = [], None
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in "'’" and before.isalnum() and after.isalnum():
            continue
        if ch in "'’" and after == ch:
            continue  # two apostrophes typed for one double quotation mark: the second is the mark
        if opened is None and ch in _OPEN_QUOTES and not after.isspace():
            opened = i + 1
        elif opened is not None and ch in _CLOSE_QUOTES and (not before.isspace() or ch in "”»"):
            spans.append((opened, i))  # a curly closing mark closes even after a space ("nation. ”")
            opened = None
        elif opened is not None and ch in "“«" and not after.isspace():
            opened = i + 1  # a curly opening mark while one is open: the earlier was left open
    if opened is not None:  # a quote that runs on to the end of the rendering
        spans.append((opened, len(text)))
    return spans


#: numbers written out are the number ("ten years" is "10 years"), so that a changed number
#: is seen whichever way each outlet writes it
NUMBER_WORDS = {w: str(k) for k, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
                     "ninety": "90", "hundred": "100"})
#: spellings on either side of the Atlantic beyond -ise/-our/-tre (both sides are mapped alike,
#: so a form that is no American spelling, "fense" for "fence", is harmless)
_VARIANTS = [(re.compile(p), r) for p, r in (
    (r"yse(s|d)?$", r"yze\1"), (r"yzing$", "yzing"), (r"ysing$", "yzing"), (r"elled$", "eled"), (r"elling$", "eling"),
    (r"eller$", "eler"), (r"ence$", "ense"), (r"^programme(s)?$", r"program\1"), (r"^judgement(s)?$", r"judgment\1"),
    (r"^grey$", "gray"), (r"^ageing$", "aging"), (r"^(toward|afterward|backward|forward)s$", r"\1"),
    (r"^amongst$", "among"), (r"^whilst$", "while"))]


@functools.lru_cache(maxsize=1 << 16)
def _compared(w: str) -> str:
    """A word as two renderings are compared: a possessive names what it owns ("Agency's" is
    the agency), a dateline's month abbreviation is the month, a number written out is the
    number, and more spelling variants meet."""
    if w.endswith("'s") and len(w) > 3:
        w = spelling(w[:-2])
    w = MONTHS.get(w, NUMBER_WORDS.get(w, w))
    for pattern, repl in _VARIANTS:
        w = pattern.sub(repl, w)
    return w


def tokens(text: str) -> list[Token]:
    """The words of ``words`` with their character offsets in ``text`` (a contraction gives two
    tokens over one span) and whether they stand inside quotation marks."""
    spans = quoted_spans(text)
    out: list[Token] = []
    k = 0
    lowered = text.lower().replace("’", "'")  # same length as text: offsets carry over
    for m in _WORD.finditer(lowered):
        while k < len(spans) and spans[k][1] <= m.start():
            k += 1
        quoted = k < len(spans) and spans[k][0] <= m.start() < spans[k][1]
        for w in words(m.group()):
            out.append(Token(_compared(w), m.start(), m.end(), quoted))
        if m.group()[:1].isdigit() and text[m.end():m.end() + 1] == "%":
            out.append(Token("percent", m.end(), m.end() + 1, quoted))  # "5%" is "5 percent"
    return out


_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly", "ments", "ment")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude stem for matching renderings (failed/failing/fails, threatens/threatened): one
    common suffix cut, keeping at least three letters. Not for showing, nor for the index."""
    if word[:1].isdigit():
        return word
    for s in _SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 3:
            return word[: -len(s)]
    return word


@functools.lru_cache(maxsize=1 << 14)
def stems(text: str) -> tuple[str, ...]:
    """The content words of a text, stemmed, in order. Cached: an event realigned as articles
    arrive reads its stored renderings again each time, and their words do not change."""
    return tuple(stem(w) for w in content_words(text))
