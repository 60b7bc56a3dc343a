"""One model load per test session; helpers that find attributions by their text."""
from __future__ import annotations

import pytest

from quotewire import Article
from quotewire.attribution import extract


@pytest.fixture(scope="session")
def nlp():
    from quotewire import nlp as nlp_mod

    return nlp_mod.load(None)


@pytest.fixture(scope="session")
def run(nlp):
    """run(text) -> Article with attributions."""

    def _run(text: str) -> Article:
        return Article(text=text).with_attributions(extract(nlp(text)))

    return _run


def find(article: Article, content_part: str):
    """The one attribution whose content contains content_part (asserts there is exactly one)."""
    hits = [a for a in article.attributions if content_part in a.content_text(article.text, " ")]
    assert len(hits) == 1, f"{len(hits)} attributions contain {content_part!r}: {describe(article)}"
    return hits[0]


def describe(article: Article) -> str:
    t = article.text
    rows = []
    for a in article.attributions:
        rows.append(
            f"\n  {a.kind} cue={' '.join(s.text(t) for s in a.cue)!r} source={' '.join(s.text(t) for s in a.source)!r} "
            f"speaker={a.speaker.name if a.speaker else None!r} content={a.content_text(t)!r}"
        )
    return "".join(rows) or " (none)"


def texts(article: Article, a) -> dict:
    t = article.text
    return {
        "kind": a.kind,
        "content": [s.text(t) for s in a.content],
        "cue": " ".join(s.text(t) for s in a.cue),
        "source": " ".join(s.text(t) for s in a.source) if a.source else None,
        "speaker": a.speaker.name if a.speaker else None,
    }
