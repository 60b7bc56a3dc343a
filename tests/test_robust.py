"""Nothing poisons a run or a store (issue 12): every bad input is one line, bounded in time and memory."""
from __future__ import annotations

import json

import pytest

from quotewire.model import Article, published_parts

pytestmark = pytest.mark.issue(12)

STORY = (
    "PORT ALDEN, March 3 (Courier) - The harbour authority will close the north pier for repairs, "
    "its director Mara Quist said on Friday. \"The pier is not safe for heavy trucks any more,\" Quist said. "
    "The closure will last until the autumn, the authority said in a statement."
)


# -- 1. dates ------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["2017-00-00", "2017-13-01", "2017-02-30", "05.03.2017", "0000-01-01", "2017-1-2"])
def test_impossible_date_becomes_null_with_a_coded_warning(value):
    a = Article("Some text.", provenance={"record": "in.jsonl:3"}, published=value)
    assert a.published is None
    assert len(a.warnings) == 1 and a.warnings[0].startswith("[Q058] in.jsonl:3") and value in a.warnings[0]


@pytest.mark.parametrize("value", ["2017", "2017-02", "2016-02-29", "2017-03-04T10:00:00+01:00"])
def test_real_dates_are_kept_without_warning(value):
    a = Article("Some text.", published=value)
    assert a.published == value and a.warnings == []


def test_date_parts_never_raise_on_a_stored_bad_date():
    from quotewire.coverage.events import dates_compatible

    assert published_parts("2017-00-00") == (None, None, None)
    # the month "2017-00" once reached dt.date(2017, 0, 1): ValueError: month must be in 1..12
    for bad in ("2017-00-00", "2017-00", "2017-99-99", "x", 2017, None):
        assert dates_compatible(bad, "2017-03-03") in (True, False)
        assert dates_compatible("2017-03", bad) in (True, False)


def test_jsonl_record_with_impossible_date_is_read_with_warning(tmp_path):
    from quotewire.sources import read_sources

    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"id": "d1", "published": "2017-00-00", "text": STORY}) + "\n", encoding="utf-8")
    (item,) = list(read_sources([str(f)]))
    assert isinstance(item, Article) and item.published is None and "Q058" in item.warnings[0]


def test_a_stored_bad_date_cannot_poison_later_ingests(tmp_path, nlp):
    """An older store holds an unplaced article with an impossible date whose story overlaps a
    dated one: every later ingest places it first. It must place it, and store what it was given."""
    from quotewire.ingest import ingest
    from quotewire.store import connect

    db = tmp_path / "s.db"
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"id": "dated", "published": "2017-03-03", "outlet": "A", "text": STORY}) + "\n"
                     + json.dumps({"id": "bad", "published": "2017-03-04", "outlet": "B", "text": STORY.replace("Friday", "Saturday")}) + "\n",
                     encoding="utf-8")
    conn = connect(db)
    assert ingest([str(first)], conn, with_events=False).stored == 2
    from quotewire import coverage
    from quotewire.store.events import EventStore

    coverage.update(EventStore(conn), ["dated"])
    # what an older quotewire could store: an impossible date, the article not yet placed
    with conn:
        conn.execute("UPDATE articles SET published = '2017-00-00' WHERE id = 'bad'")
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "later", "published": "2017-03-05", "outlet": "C", "text": STORY.replace("Friday", "Sunday")}) + "\n",
                     encoding="utf-8")
    report = ingest([str(later)], conn)
    assert report.stored == 1 and report.failed == 0
    unplaced = conn.execute("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM event_articles)").fetchone()[0]
    assert unplaced == 0
    conn.close()


# -- 2. odd Unicode ------------------------------------------------------------------------
def test_lone_surrogates_in_jsonl_are_replaced_and_every_line_is_printed(tmp_path, nlp):
    from typer.testing import CliRunner

    from quotewire.cli import app

    f = tmp_path / "s.jsonl"
    lines = [
        json.dumps({"id": "s1", "text": 'The mayor said "we will \ud800 win" on Friday.'}),
        json.dumps({"id": "s2\udfff", "title": "T \ud800", "text": "The mayor said it was fine."}),
        json.dumps({"id": "ok", "text": 'The mayor said "we will win" on Friday.'}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="ascii")
    result = CliRunner().invoke(app, ["extract", "--jsonl", str(f), "-q"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in records] == ["s1", "s2\ufffd", "ok"]
    # one code point for one: the offsets of the text given stay valid
    assert records[0]["text"] == 'The mayor said "we will \ufffd win" on Friday.'
    assert "[Q059]" in result.output


def test_a_text_the_parser_chokes_on_is_one_failure_and_the_batch_goes_on(nlp):
    from quotewire.model import Failure
    from quotewire.pipeline import annotate_many
    from quotewire.settings import Settings

    good = Article('The mayor said "we will win" on Friday.', id="good")
    bad = Article('The mayor said "we \ud800 win" on Friday.', id="bad")  # made in code, past the reader
    out = list(annotate_many([good, bad, good], Settings()))
    assert [type(x).__name__ for x in out] == ["Article", "Failure", "Article"]
    assert isinstance(out[1], Failure) and out[1].id == "bad" and "[Q070]" in out[1].message
    assert out[0].attributions and out[2].attributions


# -- 3. long texts and limits --------------------------------------------------------------
@pytest.mark.parametrize("text,limit", [
    ("one two.\n\nthree four five.\n\nsix", 12),
    ("a" * 50 + " " + "b" * 50, 20),        # no paragraph: a space, then a hard cut
    ("x" * 95, 10),                          # no break at all: cut at the limit
    ("short", 100),
])
def test_pieces_join_back_to_the_text_and_respect_the_limit(text, limit):
    from quotewire.nlp import pieces

    got = pieces(text, limit)
    assert "".join(got) == text and all(0 < len(p) <= limit for p in got)


PARA = ('The harbour director Mara Quist said the pier would close in May. "We have no choice," Quist said. '
        "Officials said repairs would cost more than expected.\n\n")


def test_a_text_over_the_parse_limit_is_split_by_paragraph_with_offsets_into_the_text(nlp):
    from quotewire.pipeline import annotate_many
    from quotewire.settings import Settings

    text = PARA * 12
    (whole,) = annotate_many([Article(text, id="w")], Settings())
    (split,) = annotate_many([Article(text, id="w")], Settings(parse_chars=400))
    assert isinstance(split, Article) and len(split.attributions) == len(whole.attributions) == 36
    expected = {"the pier would close in May", '"We have no choice,"', "repairs would cost more than expected"}
    assert {a.content_text(text) for a in split.attributions} == expected
    # each of the 12 paragraphs has its own three, at its own offsets
    starts = sorted(a.start for a in split.attributions)
    assert len({s // len(PARA) for s in starts}) == 12


def test_over_the_time_budget_an_article_is_one_line(monkeypatch, nlp):
    import time

    from quotewire import pipeline
    from quotewire.pipeline import annotate_many
    from quotewire.settings import Settings

    def stuck(doc, *args, **kwargs):
        if "stuck" in doc.text:
            time.sleep(30)
        return ()

    monkeypatch.setattr(pipeline, "extract", stuck)
    started = time.perf_counter()
    out = list(annotate_many([Article("This one is stuck.", id="a"), Article("This one is fine.", id="b")], Settings(article_seconds=0.5)))
    assert time.perf_counter() - started < 10
    assert "[Q071]" in out[0].message and isinstance(out[1], Article)


def test_limits_are_named_settings_read_from_the_environment():
    from quotewire.errors import QuotewireError
    from quotewire.settings import Settings

    s = Settings.from_env({"QUOTEWIRE_PARSE_CHARS": "5000", "QUOTEWIRE_ARTICLE_SECONDS": "2.5",
                           "QUOTEWIRE_MAX_EXPANDED_BYTES": "1000", "QUOTEWIRE_URL_SECONDS": "3"})
    assert (s.parse_chars, s.article_seconds, s.max_expanded_bytes, s.url_seconds) == (5000, 2.5, 1000, 3.0)
    with pytest.raises(QuotewireError):
        Settings(article_seconds=0)
