"""One model load per test session; helpers that find attributions by their text."""
from __future__ import annotations

import pytest

from quotewire import Article
from quotewire.attribution import extract
from quotewire.clean import mark_datelines


@pytest.fixture(scope="session")
def nlp():
    from quotewire import nlp as nlp_mod

    return nlp_mod.load(None)


@pytest.fixture(scope="session")
def run(nlp):
    """run(text) -> Article with attributions."""

    def _run(text: str) -> Article:
        article = mark_datelines(Article(text=text))
        return article.with_attributions(extract(nlp(text), datelines=article.datelines))

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


XSS_TEXT = (
    "Mayor <script>window.__xss = 1; alert('xss')</script> speaks out\n\n"
    'PORT ALDEN, May 2 (Courier) - "We will not allow <img src=x onerror=alert(1)> in the council," '
    "the mayor Elena Marsh said on Friday.\n\n"
    "Officials said the <b>bold</b> plan & the \"quoted\" budget would pass."
)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory, nlp):
    """A store of our own sample articles, a fixture page and an article full of markup."""
    import json
    import pathlib

    from quotewire.ingest import ingest
    from quotewire.store import connect

    root = pathlib.Path(__file__).resolve().parents[1]
    d = tmp_path_factory.mktemp("web")
    extra = d / "extra.jsonl"
    extra.write_text(json.dumps({"id": "xss-article", "outlet": "Courier", "published": "2025-05-02", "text": XSS_TEXT}) + "\n", encoding="utf-8")
    db = d / "web.db"
    conn = connect(db)
    report = ingest([str(root / "samples"), str(root / "tests" / "fixtures" / "harbour-page.html"), str(extra),
                     str(root / "tests" / "fixtures" / "coverage" / "events.jsonl")], conn)
    conn.close()
    assert report.failed == 0, report.failures
    return str(db)
