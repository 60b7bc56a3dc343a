"""Property tests (issue 12): arbitrary bytes and arbitrary Unicode in, an Article or a Failure
out, in bounded time; never an exception. Few examples and a time bound, for the fast lane."""
from __future__ import annotations

import gzip
import io
import json
import pathlib
import tempfile
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotewire.model import Article, Failure

pytestmark = pytest.mark.issue(12)

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
#: every code point, lone surrogates and controls included
ANY_TEXT = st.text(alphabet=st.characters(codec=None, categories=None), max_size=300)
NAMES = ["in.txt", "in.html", "in.jsonl", "in.warc", "in.warc.gz", "in.txt.gz", "in.jsonl.gz", "in"]


def _read(name: str, data: bytes) -> list:
    from quotewire.sources import read_sources

    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / name
        path.write_bytes(data)
        started = time.perf_counter()
        items = list(read_sources([str(path)], max_bytes=100_000, max_expanded=1_000_000))
        assert time.perf_counter() - started < 10
    return items


@FAST
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=2000))
def test_any_bytes_under_any_name_read_to_articles_or_failures(name, data):
    items = _read(name, data)
    assert all(isinstance(i, (Article, Failure)) for i in items)


@FAST
@given(name=st.sampled_from(["in.warc.gz", "in.txt.gz", "in.jsonl.gz", "in.html.gz"]), payload=st.binary(max_size=3000),
       cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
def test_gzip_cut_or_flipped_anywhere_reads_to_articles_or_failures(name, payload, cut, flip):
    data = bytearray(gzip.compress(b"WARC/1.0\r\n" + payload if "warc" in name else payload))
    if flip < len(data):
        data[flip] ^= 0xFF
    items = _read(name, bytes(data[: cut or None]))
    assert all(isinstance(i, (Article, Failure)) for i in items)


@FAST
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "text", "title", "published", "url", "html", "authors"]),
                                        st.one_of(ANY_TEXT, st.integers(), st.none(), st.lists(ANY_TEXT, max_size=2))),
                        max_size=4))
def test_any_json_records_read_one_item_each(records):
    from quotewire.sources import read_jsonl

    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    items = list(read_jsonl(io.BytesIO(data), "in.jsonl"))
    assert all(isinstance(i, (Article, Failure)) for i in items)
    assert len(items) == (len(records) or 1)  # an input with no record is one Failure


@FAST
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=3))
def test_any_unicode_extracts_to_an_article_or_a_failure(nlp, texts):
    from quotewire.pipeline import annotate_many
    from quotewire.settings import Settings

    started = time.perf_counter()
    out = list(annotate_many([Article(t or " ", id=f"a{i}") for i, t in enumerate(texts)], Settings(article_seconds=20)))
    assert time.perf_counter() - started < 30
    assert [x.id for x in out] == [f"a{i}" for i in range(len(texts))]
    for x in out:
        assert isinstance(x, (Article, Failure))
        if isinstance(x, Article):
            for a in x.attributions:
                assert all(0 <= s.start <= s.end <= len(x.text) for s in a.content + a.cue + a.source)
