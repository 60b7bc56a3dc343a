"""Batch extraction: Articles in, Articles with attributions out, in input order.

Input may interleave ReadErrors (lines that could not be read); they pass through in their
place, so output line N answers input line N. One process parses with ``nlp.pipe``; with
N processes each worker loads the model once and takes whole chunks, so extraction runs
where the parse runs and only small results travel back.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator, Union

from .attribution import extract
from .batching import chunks
from .model import Article
from .settings import Settings
from .sources.jsonl import ReadError

Item = Union[Article, ReadError]
_WORKER_SETTINGS: Settings | None = None


def annotate(article: Article, settings: Settings | None = None) -> Article:
    """One article: parse and extract."""
    result = next(annotate_many([article], settings))
    if isinstance(result, ReadError):
        raise RuntimeError(result.message)
    return result


def _annotate_chunk(chunk: list[Item], settings: Settings) -> list[Item]:
    from . import nlp as nlp_mod

    nlp = nlp_mod.load(settings.model)
    articles = [a for a in chunk if isinstance(a, Article)]
    done: dict[int, Item] = {}
    docs = nlp.pipe((a.text for a in articles), batch_size=settings.batch_size)
    for article, doc in zip(articles, docs):
        try:
            done[id(article)] = article.with_attributions(extract(doc, settings.extractors))
        except Exception as exc:  # one article's failure must not cost the batch
            done[id(article)] = ReadError(article.provenance.get("record", article.id), 0, f"extraction failed: {exc!r}", article.id)
    return [done[id(x)] if isinstance(x, Article) else x for x in chunk]


def _init_worker(settings: Settings) -> None:
    global _WORKER_SETTINGS
    from . import nlp as nlp_mod

    _WORKER_SETTINGS = settings
    nlp_mod.load(settings.model)


def _work(chunk: list[Item]) -> list[Item]:
    assert _WORKER_SETTINGS is not None
    return _annotate_chunk(chunk, _WORKER_SETTINGS)


def annotate_many(items: Iterable[Item], settings: Settings | None = None) -> Iterator[Item]:
    """Attributions for every article, in input order, on ``settings.processes`` processes."""
    settings = settings or Settings.from_env()
    if settings.processes <= 1:
        for chunk in chunks(items, settings.batch_size * 4):
            yield from _annotate_chunk(chunk, settings)
        return
    with ProcessPoolExecutor(settings.processes, initializer=_init_worker, initargs=(settings,)) as pool:
        pending = []  # a bounded window of chunks in flight keeps memory flat on endless input
        for chunk in chunks(items, settings.batch_size):
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= settings.processes * 2:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()
