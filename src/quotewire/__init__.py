"""quotewire: who said what in the news.

    >>> from quotewire import Article, annotate
    >>> article = annotate(Article(text='"We will win," the minister said.'))
    >>> [(a.kind, a.speaker) for a in article.attributions]   # doctest: +SKIP
"""
from __future__ import annotations

__version__ = "0.1.0"

from .model import Article, Attribution, Span, Speaker  # noqa: E402


def annotate(article: Article, settings=None) -> Article:
    """Parse one article and return it with its attributions (loads the model once per process)."""
    from .pipeline import annotate as _annotate

    return _annotate(article, settings)


__all__ = ["Article", "Attribution", "Span", "Speaker", "annotate", "__version__"]
