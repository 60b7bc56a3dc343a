"""One codec (issue 9): an Article goes through JSON, the store and Parquet and comes back equal."""
from __future__ import annotations

import json

import pytest

from quotewire.model import Article, Attribution, Span, Speaker
from quotewire.rows import from_rows, to_rows

pytestmark = pytest.mark.issue(9)

TEXT = (
    "Harbour vote delayed\n\n"
    "PORT ALDEN, Oct. 6 (Courier) - \"We will not rush this,\" said Mayor Ida Brandt, the council's chair.\n\n"
    "Brandt added that the vote would come in spring. The harbour board said costs had doubled."
)


def rich_article() -> Article:
    brandt = Speaker("Ida Brandt", "person", ("Brandt", "Mayor Ida Brandt"), ("Mayor", "the council's chair"))
    board = Speaker("The harbour board", "organisation", ("board",), ())
    q1 = TEXT.index('"We')
    q2 = TEXT.index("that the vote")
    q3 = TEXT.index("costs had")
    said = TEXT.index("said Mayor")
    dl = TEXT.index("PORT ALDEN")
    return Article(
        text=TEXT, id="courier-1", url="https://courier.example/harbour", outlet="Courier", title="Harbour vote delayed",
        standfirst="A short standfirst.", published="2024-10-06", place="Port Alden", agency="Courier",
        authors=("A. Writer", "B. Writer"), language="en",
        sections=(Span(0, 20),), datelines=(Span(dl, dl + len("PORT ALDEN, Oct. 6 (Courier) -")),),
        provenance={"record": "in.jsonl:3", "source_map": [[0, 0, 20]], "dateline_date": "2024-10-06"},
        attributions=(
            Attribution("direct", (Span(q1, q1 + len('"We will not rush this,"')),), (Span(said, said + 4),),
                        (Span(said + 5, said + 5 + len("Mayor Ida Brandt")),), brandt, 0.875, "direct.cue_after.v1"),
            Attribution("indirect", (Span(q2, q2 + len("that the vote would come in spring")),),
                        (Span(TEXT.index("added"), TEXT.index("added") + 5),), (Span(TEXT.index("Brandt added"), TEXT.index("Brandt added") + 6),),
                        brandt, 0.5, "reported.v1"),
            Attribution("indirect", (Span(q3, q3 + len("costs had doubled")),), (Span(TEXT.index("board said") + 6, TEXT.index("board said") + 10),),
                        (Span(TEXT.index("The harbour board"), TEXT.index("The harbour board") + 17),), board, 0.25, "reported.v1"),
            Attribution("mixed", (Span(q1, q1 + 5),), (Span(said, said + 4),), (), None, 1.0, "x"),
        ),
    )


def test_rows_json_round_trip_is_lossless():
    a = rich_article()
    back = Article.from_dict(json.loads(json.dumps(a.to_dict())))
    assert back == a
    assert back.attributions[0].speaker.roles == ("Mayor", "the council's chair")


def test_rows_codec_round_trip():
    a = rich_article()
    assert from_rows(*to_rows(a)) == a


def test_rows_store_round_trip(tmp_path):
    from quotewire.ingest import writer_for
    from quotewire.store import IngestReport, connect
    from quotewire.store.queries import load_article

    conn = connect(tmp_path / "s.db")
    a = rich_article()
    writer_for(conn).write([a], IngestReport())
    assert load_article(conn, a.id) == a


def test_rows_parquet_round_trip(tmp_path):
    pytest.importorskip("pyarrow")
    from quotewire.scale.load import articles_from
    from quotewire.scale.spark import article_rows, write_input

    a = rich_article()
    write_input(article_rows(a), str(tmp_path), "in.warc.gz")
    assert list(articles_from(tmp_path)) == [a]


def test_rows_export_uses_the_one_schema(tmp_path):
    import pyarrow.parquet as pq

    from quotewire.ingest import writer_for
    from quotewire.rows import columns
    from quotewire.store import IngestReport, connect
    from quotewire.store.export import export

    conn = connect(tmp_path / "s.db")
    writer_for(conn).write([rich_article()], IngestReport())
    path = tmp_path / "s.parquet"
    with open(path, "wb") as fh:
        assert export(conn, "parquet", fh, str(path)) == 4
    table = pq.read_table(path)
    assert table.column_names == columns("statements")
    first = table.to_pylist()[0]
    assert first["speaker"] == "Ida Brandt" and json.loads(first["speaker_roles"]) == ["Mayor", "the council's chair"]
