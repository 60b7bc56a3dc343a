"""Loading the spaCy pipeline once per process, and which model that is."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .errors import QuotewireError
from .settings import DEFAULT_MODELS

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language


def resolve_model_name(name: str | None) -> str:
    """The named model, or the first installed of DEFAULT_MODELS (official package preferred)."""
    if name:
        return name
    import spacy.util

    for candidate in DEFAULT_MODELS:
        if spacy.util.is_package(candidate):
            return candidate
    raise QuotewireError("Q002", names=", ".join(DEFAULT_MODELS))


PARAGRAPHS = "quotewire_paragraphs"


def _paragraph_breaks(doc):
    """Start a sentence after every line break, so headlines and subheads stand alone.

    One pass over arrays: setting ``token.is_sent_start`` one token at a time makes spaCy check
    the whole Doc for a parse on every call, which costs tokens x line breaks on long articles.
    """
    import numpy

    from .attribution.quotes import soft_wrap
    from spacy.attrs import IS_SPACE, ORTH, SENT_START

    if len(doc) < 2:
        return doc
    arr = doc.to_array([ORTH, IS_SPACE, SENT_START])
    orth, is_space = arr[:, 0], arr[:, 1].astype(bool)
    # a token's trailing whitespace is at most one space, so a line break is always in a token's text
    strings = doc.vocab.strings
    breaking = [o for o in numpy.unique(orth) if "\n" in strings[int(o)]]
    after_break = numpy.zeros(len(doc), dtype=bool)
    after_break[1:] = numpy.isin(orth[:-1], breaking) & ~is_space[1:]
    # a hard-wrapped line ("word\nword") is no paragraph break; doc.text joins every token
    # anew on each call, so it is read once (per break it made the pass quadratic again)
    text = doc.text
    for i in numpy.flatnonzero(after_break):
        if soft_wrap(text, doc[int(i)].idx - 1):
            after_break[i] = False
    if after_break.any():
        starts = arr[:, 2].copy()
        starts[after_break] = 1
        doc.from_array([SENT_START], starts)
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS)(_paragraph_breaks)


@functools.lru_cache(maxsize=4)
def load(name: str | None = None) -> "Language":
    """The pipeline, loaded once per process; texts up to 5M characters are allowed."""
    import spacy

    resolved = resolve_model_name(name)
    try:
        nlp = spacy.load(resolved)
    except (OSError, ImportError) as exc:
        raise QuotewireError("Q001", name=resolved, reason=str(exc).splitlines()[0]) from None
    nlp.max_length = max(nlp.max_length, 5_000_000)
    _register()
    if PARAGRAPHS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    missing = {"parser", "tagger", "ner"} - set(nlp.pipe_names)
    if missing:
        raise QuotewireError("Q001", name=resolved, reason=f"it lacks the components {sorted(missing)}")
    return nlp


def pieces(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters that join back to it exactly:
    at a paragraph break if there is one, else a line break, a sentence end, a space; a piece
    with none of these is cut where it reaches the limit."""
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        for sep in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(sep, start, end)
            if cut > start:
                end = cut + len(sep)
                break
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def parse_long(nlp: "Language", text: str, piece_chars: int):
    """The Doc of ``text``, whatever its length: a text over ``piece_chars`` is parsed piece by
    piece and the pieces joined into one Doc whose text is the text given, so offsets into it
    stay offsets into Article.text."""
    from spacy.tokens import Doc

    if len(text) <= piece_chars:
        return nlp(text)
    # one piece at a time: a batch is padded to its longest text, and memory is what this bounds
    doc = Doc.from_docs(list(nlp.pipe(pieces(text, piece_chars), batch_size=1)), ensure_whitespace=False)
    assert doc.text == text, "pieces of a long text must join back to it"
    return doc
