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


# -- 4. gzip bombs -------------------------------------------------------------------------
def _bomb(size: int) -> bytes:
    import gzip
    import zlib

    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [c.compress(block) for _ in range(size >> 20)]
    return b"".join(parts) + c.flush()


@pytest.mark.parametrize("name", ["bomb.txt.gz", "bomb.html.gz", "bomb.jsonl.gz", "bomb.warc.gz", "bomb.gz"])
def test_a_gzip_bomb_is_counted_while_decompressing_and_stops_at_the_limit(tmp_path, name):
    import time
    import tracemalloc

    from quotewire.model import Failure
    from quotewire.sources import read_sources

    path = tmp_path / name
    path.write_bytes(_bomb(64 << 20))  # 64 MB of zeros in about 64 KB
    tracemalloc.start()
    started = time.perf_counter()
    items = list(read_sources([str(path)], max_bytes=1_000_000))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], Failure), items
    assert any(code in items[0].message for code in ("[Q051]", "[Q054]", "[Q056]", "[Q072]")), items[0].message
    assert peak < 12_000_000, f"peak {peak:,} bytes: decompressed past the limit"
    assert elapsed < 10


def test_the_expanded_cap_stops_a_stream_of_many_small_lines(tmp_path):
    import gzip

    from quotewire.sources import read_sources

    path = tmp_path / "lines.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": "x", "text": "Officials said so."}\n' * 50_000))
    items = list(read_sources([str(path)], max_expanded=100_000))
    assert "[Q072]" in items[-1].message and sum(isinstance(i, Article) for i in items) < 3000


# -- 5. WARC and odd files -----------------------------------------------------------------
PAGE = ("<html><head><title>Pier closes</title></head><body><article>"
        + "".join(f"<p>The harbour director said the north pier would close in May for repairs, number {i}.</p>" for i in range(6))
        + "</article></body></html>").encode()


def _warc(n: int, gz: bool = True) -> tuple[bytes, list[int]]:
    """A WARC of n HTML responses, and where each record (gzip member) starts."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    starts = []
    for i in range(n):
        starts.append(buf.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://courier.example/{i}", "response",
                                                      payload=io.BytesIO(PAGE.replace(b"number", f"story {i}".encode())), http_headers=headers))
    return buf.getvalue(), starts


@pytest.mark.parametrize("cut", [10, 30, 200, "second"])
def test_a_truncated_warc_gz_is_one_line_with_the_records_read(tmp_path, cut):
    from quotewire.model import Failure
    from quotewire.sources import read_sources

    data, starts = _warc(3)
    end = starts[1] + 40 if cut == "second" else cut
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:end])
    items = list(read_sources([str(path)]))
    failures = [i for i in items if isinstance(i, Failure)]
    assert len(failures) == 1 and "[Q054]" in failures[0].message
    read = 1 if cut == "second" else 0
    assert sum(isinstance(i, Article) for i in items) == read
    assert f"{read} record(s) read" in failures[0].message


def test_an_uncompressed_warc_cut_in_its_first_header_is_one_line(tmp_path):
    from quotewire.model import Failure
    from quotewire.sources import read_sources

    data, _ = _warc(2, gz=False)
    for cut in (5, 40, 120):
        path = tmp_path / f"cut{cut}.warc"
        path.write_bytes(data[:cut])
        items = list(read_sources([str(path)]))
        assert len(items) == 1 and isinstance(items[0], Failure) and "[Q054]" in items[0].message, (cut, items)


def test_after_a_corrupt_record_the_good_ones_after_it_are_kept(tmp_path):
    from quotewire.model import Failure
    from quotewire.sources import read_sources

    data, starts = _warc(5)
    bad = bytearray(data)
    mid = (starts[2] + starts[3]) // 2
    bad[mid : mid + 40] = b"\x00" * 40  # the third record's deflate stream broken
    path = tmp_path / "mid.warc.gz"
    path.write_bytes(bytes(bad))
    items = list(read_sources([str(path)]))
    articles = [i for i in items if isinstance(i, Article)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert [a.url for a in articles] == [f"https://courier.example/{i}" for i in (0, 1, 3, 4)]
    assert len(failures) == 1 and "[Q054]" in failures[0].message
    # the offsets are those of each record's gzip member in the file
    assert [a.provenance["offset"] for a in articles] == [starts[i] for i in (0, 1, 3, 4)]


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.warc", "empty.txt", "blank.jsonl"])
def test_an_empty_input_is_reported(tmp_path, name):
    from quotewire.model import Failure
    from quotewire.sources import read_sources

    path = tmp_path / name
    path.write_bytes(b"\n\n" if name.startswith("blank") else b"")
    items = list(read_sources([str(path)]))
    assert len(items) == 1 and isinstance(items[0], Failure) and "[Q057]" in items[0].message


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    import os
    import threading

    from quotewire.sources import read_sources

    (tmp_path / "in").mkdir()
    fifo = tmp_path / "in" / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "in" / "ok.txt").write_text("The harbour director said the pier would close in May for repairs.")
    out: list = []
    t = threading.Thread(target=lambda: out.extend(read_sources([str(fifo), str(tmp_path / "in")])), daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "reading a FIFO hung"
    assert ["[Q073]" in getattr(i, "message", "") for i in out] == [True, False, True]  # the folder in sorted order


def test_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    import os

    from quotewire.sources import read_sources

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("The mayor said the road was closed.")
    (tmp_path / "b.txt").write_text("The mayor said the road was open.")
    real = os.scandir

    def scandir(path="."):  # root reads any folder, so the refusal is staged
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(read_sources([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["Article", "Failure"]
    assert "[Q074]" in items[1].message and "locked" in items[1].message


def test_a_url_that_trickles_stops_at_the_overall_deadline():
    import http.server
    import threading
    import time

    from quotewire.model import Failure
    from quotewire.sources import read_sources

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"<p>a</p>")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.perf_counter()
        (item,) = read_sources([f"http://127.0.0.1:{server.server_port}/"], url_seconds=1.0)
        assert time.perf_counter() - started < 5
        assert isinstance(item, Failure) and "[Q055]" in item.message and "1 s" in item.message
    finally:
        server.shutdown()
        server.server_close()


# -- 6. one huge quotation -----------------------------------------------------------------
def test_dangling_asks_for_the_sentence_only_of_a_root():
    """tok.sent walks the sentence; asked of every token of a 500 KB quotation it cost the square."""
    from quotewire.attribution.reported import _dangling

    class Token:
        dep_, lemma_ = "dobj", "wall"

        @property
        def sent(self):
            raise AssertionError("tok.sent asked of a token that is no root")

    assert _dangling(None, Token()) is None


@pytest.mark.slow
def test_a_200k_character_quotation_is_extracted_in_bounded_time(nlp):
    import time

    from quotewire.pipeline import annotate_many
    from quotewire.settings import Settings

    body = " ".join("the council will build the new harbour wall and pay for it with the port fees".split() * 2500)
    text = f'Harbour director Mara Quist said: "{body}." She left the hall after that.'
    started = time.perf_counter()
    (res,) = annotate_many([Article(text, id="q")], Settings())
    assert isinstance(res, Article) and time.perf_counter() - started < 240


# -- 7. one id, two texts ------------------------------------------------------------------
def test_a_duplicate_id_with_another_text_is_reported_and_counted(tmp_path, nlp):
    from quotewire.ingest import ingest
    from quotewire.store import connect

    a = tmp_path / "a.jsonl"
    b = tmp_path / "b.jsonl"
    a.write_text(json.dumps({"id": "dup", "text": STORY}) + "\n", encoding="utf-8")
    b.write_text(json.dumps({"id": "dup", "text": 'The mayor said "the road stays shut" on Monday.'}) + "\n", encoding="utf-8")
    conn = connect(tmp_path / "s.db")
    first = ingest([str(a)], conn)
    assert first.stored == 1 and first.statements >= 2 and not first.warnings
    second = ingest([str(b)], conn)
    assert (second.stored, second.replaced) == (0, 1)
    assert second.statements_removed == first.statements and second.statements == 1
    (line,) = second.warnings
    assert line.startswith("[Q075]") and "'dup'" in line and str(a) in line and str(b) in line
    assert conn.execute("SELECT count(*) FROM attributions WHERE article_id = 'dup'").fetchone()[0] == 1
    conn.close()


# -- 8. write lock -------------------------------------------------------------------------
def _held(db, seconds: float):
    """Another writer holding the store's write lock for ``seconds`` (in a thread)."""
    import sqlite3
    import threading
    import time

    other = sqlite3.connect(db, check_same_thread=False, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO speakers(name, key, surname, kind) VALUES ('Lock Holder', 'lock holder', 'holder', 'person')")

    def release():
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    t = threading.Thread(target=release, daemon=True)
    t.start()
    return t


def test_a_second_writer_waits_for_the_first_and_stores_everything(tmp_path, nlp):
    from quotewire.ingest import ingest
    from quotewire.settings import Settings
    from quotewire.store import connect

    db = tmp_path / "s.db"
    connect(db).close()
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": STORY.replace("Friday", f"day {i}")}) + "\n" for i in range(5)), encoding="utf-8")
    conn = connect(db)
    conn.execute("PRAGMA busy_timeout = 50")  # SQLite's own wait short, so that ours is what waits
    holder = _held(db, 1.5)
    report = ingest([str(src)], conn, Settings(busy_seconds=30, write_batch=2))
    holder.join()
    assert report.stored == 5 and report.failed == 0
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    conn.close()


def test_a_writer_kept_out_stops_with_a_clear_line_and_a_rerun_loses_nothing(tmp_path, nlp):
    from quotewire.errors import QuotewireError
    from quotewire.ingest import ingest
    from quotewire.settings import Settings
    from quotewire.store import connect

    db = tmp_path / "s.db"
    connect(db).close()
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i}", "text": STORY.replace("Friday", f"day {i}")}) + "\n" for i in range(3)), encoding="utf-8")
    conn = connect(db)
    conn.execute("PRAGMA busy_timeout = 50")
    holder = _held(db, 3)
    with pytest.raises(QuotewireError) as caught:
        ingest([str(src)], conn, Settings(busy_seconds=0.5))
    assert str(caught.value).startswith("[Q078]") and "again" in str(caught.value)
    holder.join()
    report = ingest([str(src)], conn, Settings())
    assert report.stored == 3 and conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    conn.close()


def test_serve_reads_a_store_in_a_read_only_folder(tmp_path):
    import subprocess

    from quotewire.store import connect

    folder = tmp_path / "ro"
    folder.mkdir()
    connect(folder / "s.db").close()
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot make a folder read-only for root here (chattr +i)")
    try:
        assert not list(folder.glob("*-shm"))
        conn = connect(folder / "s.db", readonly=True)
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        conn.close()
    finally:
        subprocess.run(["chattr", "-i", str(folder)])


def test_an_article_the_store_cannot_take_is_one_line_and_its_batch_is_stored(tmp_path, monkeypatch, nlp):
    from quotewire.ingest import ingest
    from quotewire.store import connect
    from quotewire.store.writer import StoreWriter

    real = StoreWriter._write_one

    def flaky(self, a, report):
        if a.id == "bad":
            raise ValueError("a bug in the writer")
        return real(self, a, report)

    monkeypatch.setattr(StoreWriter, "_write_one", flaky)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": STORY.replace("Friday", i)}) + "\n" for i in ("a", "bad", "c")), encoding="utf-8")
    conn = connect(tmp_path / "s.db")
    report = ingest([str(src)], conn)
    assert report.stored == 2 and [f.id for f in report.failures] == ["bad"] and "[Q076]" in report.failures[0].message
    assert {r[0] for r in conn.execute("SELECT id FROM articles")} == {"a", "c"}
    conn.close()


def test_a_text_over_the_parsers_max_length_is_parsed_not_refused(nlp, monkeypatch):
    """spaCy refuses a text over nlp.max_length (E088); the pieces stay under it."""
    from quotewire.pipeline import annotate_many
    from quotewire.settings import Settings

    monkeypatch.setattr(nlp, "max_length", 1000)
    text = PARA * 12  # about 2,000 characters over the parser's limit of 1,000
    assert len(text) > nlp.max_length
    (res,) = annotate_many([Article(text, id="long")], Settings(parse_chars=900))
    assert isinstance(res, Article) and len(res.attributions) == 36


def test_a_reader_that_breaks_on_one_page_costs_that_page_only(tmp_path, monkeypatch):
    from quotewire import sources
    from quotewire.sources import read_sources

    def broken(data, where, **kw):
        raise RecursionError("maximum recursion depth exceeded")  # what a deeply nested page can do

    monkeypatch.setattr(sources, "read_html", broken)
    (tmp_path / "a.html").write_text("<html><body><p>" + "The mayor said the road was closed. " * 5 + "</p></body></html>")
    (tmp_path / "b.txt").write_text("The mayor said the road was open again on Monday.")
    items = list(read_sources([str(tmp_path / "a.html"), str(tmp_path / "b.txt")]))
    assert "[Q077]" in items[0].message and isinstance(items[1], Article)


def test_extract_jsonl_refuses_a_fifo(tmp_path):
    import os

    from typer.testing import CliRunner

    from quotewire.cli import app

    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["extract", "--jsonl", str(fifo), "-q"])
    assert result.exit_code == 1 and "[Q073]" in result.output
