"""The model and its JSON form: spans validate, records round-trip, gold files load."""
from __future__ import annotations

import json

import pytest

from quotewire.errors import QuotewireError
from quotewire.model import Article, Attribution, Span, Speaker


def test_model_span_validates():
    assert len(Span(3, 7)) == 4
    with pytest.raises(QuotewireError, match="Q010"):
        Span(5, 2)
    with pytest.raises(QuotewireError):
        Span(-1, 2)


def test_model_article_round_trips_through_json():
    text = '"We are ready," Putin said.'
    a = Attribution("direct", (Span(0, 15),), (Span(22, 26),), (Span(16, 21),), Speaker("Vladimir Putin", roles=("president",)), 0.9, "direct.cue_after.v1")
    art = Article(text=text, id="x1", outlet="TASS", attributions=(a,))
    d = json.loads(json.dumps(art.to_dict()))
    assert d["quotes"][0]["content"] == [[0, 15]] and d["quotes"][0]["speaker"] == "Vladimir Putin"
    assert d["quotes"][0]["content_text"] == '"We are ready,"'
    back = Article.from_dict(d)
    assert back.id == "x1" and back.outlet == "TASS"
    assert back.attributions[0].content == a.content and back.attributions[0].speaker.name == "Vladimir Putin"


def test_model_reads_gold_format_of_annotation_md():
    gold = {"id": "g", "text": "Exports rose, officials said.", "attributions": [
        {"kind": "indirect", "content": [[0, 12]], "cue": [[24, 28]], "source": [[14, 23]], "speaker": None}]}
    art = Article.from_dict(gold)
    assert art.attributions[0].source == (Span(14, 23),) and art.attributions[0].speaker is None


def test_model_rejects_unknown_kind_and_missing_text():
    with pytest.raises(QuotewireError, match="Q011"):
        Attribution.from_dict({"kind": "rumour", "content": [[0, 1]], "cue": [[0, 1]]})
    with pytest.raises(QuotewireError, match="Q020"):
        Article.from_dict({"id": "no-text"})


def test_model_article_id_is_stable():
    assert Article(text="abc").id == Article(text="abc").id
    assert Article(text="abc", url="https://a/1").id != Article(text="abc").id
