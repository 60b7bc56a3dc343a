"""The pipeline: inputs in, Articles with attributions (or Failures) out, in input order.

``process(inputs, settings)`` reads every input (files, folders, URLs, WARC, JSON Lines),
checks each article (text there, English), parses and extracts; ``annotate_many`` does the
last two for Articles already in hand. A failure at any stage is a ``Failure`` in the place of
its article, so output N answers input N and the run goes on. One process parses with
``nlp.pipe``; with N processes ONE pool serves the whole stream: each worker loads the model
once and takes whole chunks, so extraction runs where the parse runs and only small results
travel back. ``extract``, ``ingest``, ``eval`` and the Spark job all run through here.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator, Union

from .attribution import extract
from .batching import chunks
from .errors import QuotewireError
from .model import Article, Failure
from .settings import MIN_WORDS_FOR_LANGUAGE, Settings

Item = Union[Article, Failure]
_WORKER_SETTINGS: Settings | None = None


def where_of(article: Article) -> str:
    """The place a user can find an article again: its record, file, URL or id."""
    return str(article.provenance.get("record") or article.provenance.get("file") or article.url or article.id)


def check_article(article: Article, settings: Settings | None = None) -> Failure | None:
    """What makes an article not worth parsing: no text, or not English."""
    from .clean import english_share

    settings = settings or Settings()
    where = where_of(article)
    if not article.text.strip():
        return Failure(where, 0, str(QuotewireError("Q057", where=where)), article.id, "check")
    if len(article.text.split()) >= MIN_WORDS_FOR_LANGUAGE:
        share = english_share(article.text)
        if share < settings.min_english_share:
            return Failure(where, 0, str(QuotewireError("Q052", where=where, share=share)), article.id, "check")
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
    from .sources import read_sources

    settings = settings or Settings.from_env()
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

    where = where_of(article)
    if isinstance(exc, OverBudget):
        return Failure(where, 0, str(QuotewireError("Q071", where=where, seconds=f"{exc.args[0]}")), article.id, stage)
    reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return Failure(where, 0, str(QuotewireError("Q070", where=where, reason=reason)), article.id, stage)


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
            doc = next(nlp_mod.pipe(nlp, [article.text], settings.batch_size, settings.parse_chars))
            stage = "extract"
            return article.with_attributions(extract(doc, settings.extractors, article.datelines))
    except Exception as exc:  # noqa: BLE001 - this article is one failure line, the run goes on
        return _failure(article, exc, stage)


def _annotate_chunk(chunk: list[Item], settings: Settings) -> list[Item]:
    from . import nlp as nlp_mod

    nlp = nlp_mod.load(settings.model)
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
    nlp_mod.load(settings.model)


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
    import itertools
    import multiprocessing

    from . import nlp as nlp_mod

    items = iter(items)
    # a stream shorter than one batch a worker is split evenly, so that every worker has a share
    head = list(itertools.islice(items, settings.processes * settings.batch_size))
    if len(head) <= settings.batch_size:
        # the whole stream is one parse batch: starting workers costs more than splitting it saves
        yield from _annotate_chunk(head, settings)
        return
    size = settings.batch_size if len(head) == settings.processes * settings.batch_size else max(1, -(-len(head) // settings.processes))
    if multiprocessing.get_start_method() == "fork":
        nlp_mod.load(settings.model)  # once here: forked workers share it instead of each loading it again
    with ProcessPoolExecutor(settings.processes, initializer=_init_worker, initargs=(settings,)) as pool:
        pending = []  # a bounded window of chunks in flight keeps memory flat on endless input
        for chunk in chunks(itertools.chain(head, items), size):
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= settings.processes * 2:
                yield from pending.pop(0).result()
        for fut in pending:
            yield from fut.result()
