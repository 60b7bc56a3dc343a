"""A rendering in its outlet's own words, with its differences from the reference marked on
them: what the event page and `quotewire compare` show.

A stored diff (diff.py) is the rendering's text cut into "=" (kept) and "+" (its words the
reference lacks) segments, with "-" segments holding the reference's words it lacks. Here the
kept and added segments are laid back onto the article text by the rendering's content offsets,
so that every character shown is one the outlet printed; the gaps between the content's spans
are shown as gaps. A diff that does not spell out the rendering's text (an older store's
lowercased diff) is not shown at all: the rendering's words are, unmarked.
"""
from __future__ import annotations

from typing import Sequence

from ..model import CONTENT_SEPARATOR  # how model.Attribution.content_text joins the spans of one content


def own_words(content_text: str, diff: Sequence[Sequence[str]] | None, article_text: str | None = None,
              spans: Sequence[Sequence[int]] | None = None, frame: bool = False) -> list[dict]:
    """Segments {"op", "text", "start", "end"}: op "=" kept, "+" added, "-" the reference's
    words missing here, "gap" between two spans, and with ``frame`` "~" the reporter's lead-in
    set aside (else shown as kept); start/end are offsets into the article (None for "-" and
    gaps, and when no article text is given)."""
    pieces = _pieces(content_text, article_text, spans)
    joined = CONTENT_SEPARATOR.join(text for text, _ in pieces)
    segs = [("=" if op == "~" and not frame else op, text) for op, text in (diff or [])]
    if "".join(t for op, t in segs if op != "-") != joined:
        segs = [("=", joined)]
    # where each character of the joined text stands in the article (None: a separator)
    where: list[int | None] = []
    for k, (text, start) in enumerate(pieces):
        if k:
            where.extend([None] * len(CONTENT_SEPARATOR))
        where.extend(range(start, start + len(text)) if start is not None else [None] * len(text))
    out: list[dict] = []
    pos = 0
    for op, text in segs:
        if op == "-":
            out.append({"op": "-", "text": text, "start": None, "end": None})
            continue
        i = 0
        while i < len(text):
            gap = _separator_at(joined, pos + i, pieces)
            if gap:
                out.append({"op": "gap", "text": CONTENT_SEPARATOR.strip(), "start": None, "end": None})
                i += len(CONTENT_SEPARATOR)
                continue
            j = i
            while j < len(text) and not _separator_at(joined, pos + j, pieces):
                j += 1
            start = where[pos + i]
            out.append({"op": op, "text": text[i:j], "start": start, "end": None if start is None else start + (j - i)})
            i = j
        pos += len(text)
    if article_text is not None:
        for s in out:
            if s["start"] is not None:
                s["text"] = article_text[s["start"]:s["end"]]  # the outlet's characters, by offset
    return [s for s in out if s["text"]]


def _pieces(content_text: str, article_text: str | None, spans) -> list[tuple[str, int | None]]:
    if article_text is not None and spans:
        pieces = [(article_text[s:e], s) for s, e in spans]
        if CONTENT_SEPARATOR.join(p for p, _ in pieces) == content_text:
            return pieces
    return [(content_text, None)]


def _separator_at(joined: str, i: int, pieces) -> bool:
    """Whether a separator between two spans starts at i of the joined text."""
    if len(pieces) < 2:
        return False
    pos = 0
    for text, _ in pieces[:-1]:
        pos += len(text)
        if i == pos:
            return True
        pos += len(CONTENT_SEPARATOR)
    return False
