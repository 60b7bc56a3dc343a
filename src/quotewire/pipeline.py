"""The pipeline: inputs in, Articles with attributions (or Failures) out, in input order.

``process(inputs, settings)`` reads every input (files, folders, URLs, WARC, JSON Lines),
checks each article (text there, English), parses and extracts; ``annotate_many`` does the
last two for Articles already in hand. A failure at any stage is a ``Failure`` in the place of
its article, so output N answers input N and the run goes on. One process parses with
``nlp.pipe``; with N processes ONE pool serves the whole stream: each worker loads the model
once and takes whole chunks, so extraction runs where the parse runs and only small results
travel back; given several inputs, the workers read them and clean their HTML too, one task an
input, and this process only decides what to keep. Workers die with the process that made
them (workers.py). ``extract``, ``ingest``, ``eval`` and the Spark job all run through here.
"""
from __future__ import annotations

import itertools
from collections import deque
from typing import Iterable, Iterator, Union

from . import workers
from .attribution import extract
from .batching import chunks
from .errors import QuotewireError, reason_of
from .model import Article, Failure
from .settings import MIN_WORDS_FOR_LANGUAGE, Settings

Item = Union[Article, Failure]
_WORKER_SETTINGS: Settings | None = None


def check_article(article: Article, settings: Settings | None = None) -> Failure | None:
    """What makes an article not worth parsing: no text, or not English."""
    from .clean import english_share

    settings = settings or Settings()
    where = article.where
    if not article.text.strip():
        return Failure(where, 0, QuotewireError("Q057", where=where), article.id, "check")
    if len(article.text.split()) >= MIN_WORDS_FOR_LANGUAGE:
        share = english_share(article.text)
        if share < settings.min_english_share:
            # set aside, not failed: a page in another language is no fault of the run (stage "skip",
            # counted as skipped like a folder's README, exit status 0 when nothing else failed)
            return Failure(where, 0, QuotewireError("Q052", where=where, share=share), article.id, "skip")
    return None


def checked(items: Iterable[Item], settings: Settings | None = None) -> Iterator[Item]:
    """Items with each unfit article replaced by its Failure, and each fit one under its one
    outlet name (the alias table of settings.outlet_aliases)."""
    from .clean import load_outlet_aliases, outlet_of

    aliases = load_outlet_aliases((settings or Settings()).outlet_aliases)
    for item in items:
        if isinstance(item, Failure):
            yield item
        else:
            yield check_article(item, settings) or outlet_of(item, aliases)


def process(inputs: Iterable[str], settings: Settings | None = None, keep=None) -> Iterator[Item]:
    """Read, check, parse and extract every input, in order, on ``settings.processes`` processes.

    ``keep(article) -> bool`` may drop a readable article before it is parsed (ingest skips
    what the store holds unchanged); a dropped article yields nothing.
    """
    from .sources import read_sources, units

    settings = settings or Settings.from_env()
    if settings.processes > 1:
        found = units(inputs)
        head = list(itertools.islice(found, 2))
        if len(head) > 1:  # one input alone is read here; annotate_many still splits its articles
            return _process_in_pool(itertools.chain(head, found), settings, keep)
        inputs = [spec for spec, _ in head]
    items = checked(read_sources(inputs, settings.max_bytes, max_expanded=settings.max_expanded_bytes,
                                 url_seconds=settings.url_seconds), settings)
    if keep is not None:
        items = (x for x in items if isinstance(x, Failure) or keep(x))
    return annotate_many(items, settings)


def annotate(article: Article, settings: Settings | None = None) -> Article:
    """One article in hand: parse and extract (a failure raises, with its coded line)."""
    result = next(annotate_many([article], settings))
    if isinstance(result, Failure):
        raise QuotewireError("Q070", where=result.where, reason=result.message)
    return result


def _failure(article: Article, exc: BaseException, stage: str = "extract") -> Failure:
    from .budget import OverBudget

    where = article.where
    if isinstance(exc, OverBudget):
        return Failure(where, 0, QuotewireError("Q071", where=where, seconds=f"{exc.args[0]}"), article.id, stage)
    reason = reason_of(exc)
    return Failure(where, 0, QuotewireError("Q070", where=where, reason=reason), article.id, stage)


def _extract_one(article: Article, doc, settings: Settings) -> Item:
    from .budget import time_budget

    try:
        with time_budget(settings.article_seconds):
            return article.with_attributions(extract(doc, settings.extractors, article.datelines))
    except Exception as exc:  # one article's failure must not cost the batch
        return _failure(article, exc)


def _annotate_one(article: Article, nlp, settings: Settings) -> Item:
    """One article alone: parse (piece by piece when long) and extract, within one time budget."""
    from . import nlp as nlp_mod
    from .budget import time_budget

    stage = "parse"
    try:
        with time_budget(settings.article_seconds):
            doc = nlp_mod.parse_long(nlp, article.text, settings.parse_chars)
            stage = "extract"
            return article.with_attributions(extract(doc, settings.extractors, article.datelines))
    except Exception as exc:  # noqa: BLE001 - this article is one failure line, the run goes on
        return _failure(article, exc, stage)


def _annotate_chunk(chunk: list[Item], settings: Settings) -> list[Item]:
    from . import nlp as nlp_mod

    nlp = nlp_mod.load_for(settings)
    articles = [a for a in chunk if isinstance(a, Article)]
    short = [a for a in articles if len(a.text) <= settings.parse_chars]
    done: dict[int, Item] = {}
    try:
        docs = nlp.pipe((a.text for a in short), batch_size=settings.batch_size)
        for article, doc in zip(short, docs):
            done[id(article)] = _extract_one(article, doc, settings)
    except Exception:  # noqa: BLE001 - a text the parser chokes on: the rest of the batch one by one
        pass
    # long texts, and what a failed batch left, each alone
    for article in articles:
        if id(article) not in done:
            done[id(article)] = _annotate_one(article, nlp, settings)
    return [done[id(x)] if isinstance(x, Article) else x for x in chunk]


def _init_worker(settings: Settings) -> None:
    global _WORKER_SETTINGS
    from . import nlp as nlp_mod

    _WORKER_SETTINGS = settings
    nlp_mod.load_for(settings)


def _work(chunk: list[Item]) -> list[Item]:
    assert _WORKER_SETTINGS is not None
    return _annotate_chunk(chunk, _WORKER_SETTINGS)


def annotate_many(items: Iterable[Item], settings: Settings | None = None) -> Iterator[Item]:
    """Attributions for every article, in input order, on ``settings.processes`` processes."""
    settings = settings or Settings.from_env()
    if settings.processes <= 1:
        for chunk in chunks(items, settings.chunk_size):
            yield from _annotate_chunk(chunk, settings)
        return
    items = iter(items)
    # a stream shorter than one batch a worker is split evenly, so that every worker has a share
    head = list(itertools.islice(items, settings.processes * settings.batch_size))
    if len(head) <= settings.batch_size:
        # the whole stream is one parse batch: starting workers costs more than splitting it saves
        yield from _annotate_chunk(head, settings)
        return
    size = settings.batch_size if len(head) == settings.processes * settings.batch_size else max(1, -(-len(head) // settings.processes))
    with _pool(settings) as pool:
        pending = []  # a bounded window of chunks in flight keeps memory flat on endless input
        for chunk in chunks(itertools.chain(head, items), size):
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= settings.processes * 2:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()


def _read_unit(unit, settings: Settings) -> Iterator[Item]:
    from .sources import read_unit

    return read_unit(unit, settings.max_bytes, max_expanded=settings.max_expanded_bytes, url_seconds=settings.url_seconds)


def _read_checked(unit: tuple[str, bool]) -> list[Item]:
    """In a worker: one input read, its HTML cleaned and each article checked."""
    assert _WORKER_SETTINGS is not None
    return list(checked(_read_unit(unit, _WORKER_SETTINGS), _WORKER_SETTINGS))


def _read_here(unit: tuple[str, bool], settings: Settings) -> bool:
    """Standard input, and a WARC or JSON Lines (or .json) file too big to hold whole, stream through this
    process; every other input is read in a worker."""
    import pathlib

    from .sources import kind_of

    spec, _ = unit
    if spec == "-":
        return True
    path = pathlib.Path(spec)
    try:
        return kind_of(path) in ("warc", "jsonl", "json") and path.stat().st_size > settings.worker_read_bytes
    except OSError:
        return False  # the reader reports it


def _pool(settings: Settings):
    """The worker pool of ``settings.processes``, each worker holding ``settings``."""
    import multiprocessing

    from . import nlp as nlp_mod

    if multiprocessing.get_start_method() == "fork":
        nlp_mod.load_for(settings)  # once here: forked workers share it instead of each loading it again
    return workers.pool(settings.processes, _init_worker, (settings,))


def _process_in_pool(found: Iterable[tuple[str, bool]], settings: Settings, keep=None) -> Iterator[Item]:
    """``process`` on a pool: workers read and clean the inputs (one task an input) and parse the
    articles (one task a chunk of about ``chunk_words`` words, so that the workers finish
    together); this process only picks what to keep and puts the results back in input order."""
    with _pool(settings) as pool:
        found = iter(found)
        reads: deque = deque()  # (future, None) or (None, items read here), in input order
        parses: deque = deque()
        chunk: list[Item] = []
        words = 0

        def fill() -> None:
            while len(reads) < 8 * settings.processes:  # reads are short: let them run ahead
                unit = next(found, None)
                if unit is None:
                    return
                if _read_here(unit, settings):
                    reads.append((None, checked(_read_unit(unit, settings), settings)))
                    return  # streamed below, before any later input
                reads.append((pool.submit(_read_checked, unit), None))

        fill()
        window = 4 * settings.processes  # parse chunks queued: a few seconds of work a worker
        while reads:
            future, here = reads.popleft()
            for item in here if future is None else future.result():
                if isinstance(item, Article):
                    if keep is not None and not keep(item):
                        continue
                    words += len(item.text.split())
                chunk.append(item)
                if words >= settings.chunk_words or len(chunk) >= settings.batch_size:
                    parses.append(pool.submit(_work, chunk))
                    chunk, words = [], 0
                while len(parses) > window:
                    yield from parses.popleft().result()
            fill()
            # finished reads become queued parse work before the caller gets anything back, so
            # the workers keep busy while the caller is (ingest places each batch into events)
            if reads and len(parses) < window and (reads[0][0] is None or reads[0][0].done()):
                continue
            while parses and parses[0].done():
                yield from parses.popleft().result()
        if chunk:
            parses.append(pool.submit(_work, chunk))
        while parses:
            yield from parses.popleft().result()
