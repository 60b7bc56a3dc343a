"""Batch extraction: texts in, Articles with attributions out, in input order.

One process parses with ``nlp.pipe``; N processes each load the model once and take chunks
of articles, so extraction runs where the parse runs and only small results travel back.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

from .attribution import extract
from .model import Article
from .settings import Settings

_WORKER_SETTINGS: Settings | None = None


def annotate(article: Article, settings: Settings | None = None) -> Article:
    """One article: parse and extract."""
    return next(annotate_many([article], settings))


def _annotate_serial(articles: Iterable[Article], settings: Settings) -> Iterator[Article]:
    from . import nlp as nlp_mod

    nlp = nlp_mod.load(settings.model)
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, batch_size=settings.batch_size, as_tuples=True):
        yield article.with_attributions(extract(doc, settings.extractors))


def _init_worker(settings: Settings) -> None:
    global _WORKER_SETTINGS
    from . import nlp as nlp_mod

    _WORKER_SETTINGS = settings
    nlp_mod.load(settings.model)


def _work(chunk: list[Article]) -> list[Article]:
    assert _WORKER_SETTINGS is not None
    return list(_annotate_serial(chunk, _WORKER_SETTINGS))


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def annotate_many(articles: Iterable[Article], settings: Settings | None = None) -> Iterator[Article]:
    """Attributions for every article, in input order; ``settings.processes`` workers."""
    settings = settings or Settings.from_env()
    if settings.processes <= 1:
        yield from _annotate_serial(articles, settings)
        return
    with ProcessPoolExecutor(settings.processes, initializer=_init_worker, initargs=(settings,)) as pool:
        # a bounded window of chunks in flight keeps memory flat on endless input
        pending = []
        for chunk in _chunks(articles, settings.batch_size):
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= settings.processes * 2:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()
