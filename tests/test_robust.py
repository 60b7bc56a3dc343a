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
