"""Readers and cleaning (issue #3): every format to an Article, every bad input to one clear line."""
from __future__ import annotations

import http.server
import io
import json
import pathlib
import threading

import pytest

from quotewire.clean import find_date, find_dateline, text_blocks, build_article
from quotewire.model import Article
from quotewire.model import Failure
from quotewire.sources import read_sources

pytestmark = pytest.mark.issue(3)
FIX = pathlib.Path(__file__).parent / "fixtures"
SAMPLES = pathlib.Path(__file__).resolve().parents[1] / "samples"


def one(items) -> Article | Failure:
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def codes(items) -> list[str]:
    return [i.message.split("]")[0] + "]" for i in items if isinstance(i, Failure)]


@pytest.mark.parametrize(
    "line,place,agency,month_day",
    [
        ("ARKHANGELSK, March 30. /TASS/. Russia intends to build", "Arkhangelsk", "TASS", (3, 30)),
        ("WASHINGTON (Reuters) - The Senate voted on Tuesday", "Washington", "Reuters", (None, None)),
        ("LONDON, Jan 5 (AFP) – Britain said on Friday", "London", "AFP", (1, 5)),
        ("MOSCOW, March 30 (Interfax) - Russia will", "Moscow", "Interfax", (3, 30)),
        ("BEIJING, Jan. 3 (Xinhua) -- China said", "Beijing", "Xinhua", (1, 3)),
    ],
)
def test_sources_dateline_forms(line, place, agency, month_day):
    d = find_dateline("Some headline here today\n\n" + line)
    assert (d.place, d.agency, (d.month, d.day)) == (place, agency, month_day)


def test_sources_dateline_date_takes_the_publication_year():
    art = build_article(text_blocks("Headline of the story here\n\nLONDON, Jan 5 (AFP) – Britain said it would."), published="2024-01-06")
    assert art.place == "London" and art.agency == "AFP" and art.outlet == "AFP"
    assert art.provenance["dateline_date"] == "2024-01-05"


@pytest.mark.parametrize("month", range(1, 13))
def test_wire_one_calendar_for_datelines_dates_and_coverage(month):
    """Every month's every form, from the one calendar (wire.MONTH_FORMS), reads as its number in
    a dateline and in a date line, and is a calendar word (not a name) for coverage."""
    from quotewire.wire import CALENDAR_WORDS, MONTH_FORMS, MONTHS

    for form in MONTH_FORMS[MONTHS[month - 1]]:
        for written in (form.capitalize(), form.capitalize() + "."):
            d = find_dateline(f"Headline of the story\n\nPORT ALDEN, {written} 7 (Courier) - The council said.")
            assert d is not None and (d.month, d.day, d.agency) == (month, 7, "Courier"), written
            assert find_date(f"Headline of the story\n\nPublished {written} 7, 2021\n\nThe mayor said.") == f"2021-{month:02d}-07"
        assert form in CALENDAR_WORDS


def test_sources_no_dateline_in_ordinary_prose():
    assert find_dateline("The council met on Monday.\n\nWashington/Los Angeles — A college said.") is None


@pytest.mark.parametrize(
    "text,day",
    [
        ("Mayor opens the bridge\n\nPublished 4 May 2021\n\nThe mayor said.", "2021-05-04"),
        ("Mayor opens the bridge\nUpdated: Mar 12, 2021 10:02\nThe mayor said.", "2021-03-12"),
        ("Mayor opens the bridge\n 2021-06-02 Harbour Gazette - The mayor said.", "2021-06-02"),
        ("Mayor opens the bridge\nBy Ann Lee - Harbour Wire | Posted: Tuesday, June 1, 2021\nThe mayor said.", "2021-06-01"),
        # a photo caption's date inside a sentence is a day the page talks about, not its own
        ("Mayor opens the bridge\n\nThe mayor waves at a fair, 30 June 2019Image source, Agency\nThe mayor said.", None),
        # beside a forum poster's profile it is the day the poster joined
        ("Mayor opens the bridge\n\nOct 28, 2015\nReaction score\n\nThe mayor said.", None),
        ("Mayor opens the bridge\n\nThe fair of 30 June 2019 was small.\nPosted 2 July 2021\nThe mayor said.", "2021-07-02"),
        ("Mayor opens the bridge\n\nHe was born on 5 June 1960 in Bergen.", None),
    ],
)
def test_sources_find_date_reads_only_a_date_line(text, day):
    assert find_date(text) == day


def test_sources_text_cleaning_keeps_a_map_back_to_the_source():
    raw = (SAMPLES / "energy-summit.txt").read_text(encoding="utf-8")
    raw = "All news\n\n" + raw + "\nShare this\n"
    art = one(read_sources([str(_write(raw))]))
    assert art.title == "Holm says Norway will double offshore wind by 2030"
    assert "All news" not in art.text and "Share this" not in art.text
    assert art.place == "Bergen" and art.agency == "Nordwire"
    assert [art.text[s.start:s.end] for s in art.sections] == ["Industry reaction"]
    for t, s, n in art.provenance["source_map"]:
        assert art.text[t:t + n] == raw[s:s + n]
    assert sum(n for _, _, n in art.provenance["source_map"]) == len(art.text.replace("\n\n", ""))


def _write(content, name="article.txt", tmp=[]):
    import tempfile

    d = pathlib.Path(tempfile.mkdtemp())
    p = d / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


def test_sources_html_page_body_title_metadata_subheads():
    art = one(read_sources([str(FIX / "harbour-page.html")]))
    assert art.title == "Mayor promises to reopen the old harbour bridge before winter"
    assert art.outlet == "Port Alden Courier" and art.published == "2025-10-06"
    assert art.place == "Port Alden" and art.standfirst.startswith("The council has set aside")
    assert "Patience does not pay the rent" in art.text
    for junk in ("Share this", "All rights reserved", "Privacy", "Sport"):
        assert junk not in art.text
    assert [art.text[s.start:s.end] for s in art.sections] == ["Businesses count the cost"]
    assert art.text.startswith(art.title)


def _warc_bytes(records, gz=True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


def test_sources_warc_response_records_with_provenance(tmp_path):
    page = (FIX / "harbour-page.html").read_bytes()
    data = _warc_bytes([
        ("https://courier.example/a1", "text/html; charset=utf-8", page),
        ("https://courier.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("https://courier.example/a2", "text/html", page.replace(b"Tom Okafor", b"Tom Okoro")),
    ])
    path = tmp_path / "news.warc.gz"
    path.write_bytes(data)
    items = list(read_sources([str(path)]))
    assert [type(i).__name__ for i in items] == ["Article", "Article"]
    assert items[0].url == "https://courier.example/a1" and items[1].provenance["record"] == 3
    assert items[0].provenance["file"] == str(path) and isinstance(items[0].provenance["offset"], int)
    assert "Okoro" in items[1].text


def test_sources_truncated_warc_keeps_what_came_before(tmp_path):
    page = (FIX / "harbour-page.html").read_bytes()
    data = _warc_bytes([("https://c.example/a1", "text/html", page), ("https://c.example/a2", "text/html", page * 3)])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 700])
    items = list(read_sources([str(path)]))
    assert isinstance(items[0], Article)
    assert isinstance(items[-1], Failure) and "[Q054]" in items[-1].message


def test_sources_bad_inputs_each_get_one_clear_line(tmp_path):
    (tmp_path / "corrupt.html.gz").write_bytes(b"\x1f\x8b\x08\x00garbage-not-gzip")
    (tmp_path / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "empty.html").write_text("<html><body></body></html>")
    (tmp_path / "index.html").write_text((FIX / "index-page.html").read_text())
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 owners said prices rose sharply this year.".encode("latin-1"))
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(50_000_000)
    items = list(read_sources([str(tmp_path / n) for n in ("corrupt.html.gz", "picture.html", "empty.html", "index.html", "latin.txt", "huge.txt")]))
    assert all(isinstance(i, Failure) for i in items), items
    assert codes(items) == ["[Q053]", "[Q023]", "[Q050]", "[Q050]", "[Q022]", "[Q051]"]
    assert all(str(tmp_path) in i.where for i in items)


def test_sources_folder_is_read_recursively_by_extension_and_sniffing(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text((SAMPLES / "harbour-council.txt").read_text())
    (tmp_path / "a" / "page").write_bytes((FIX / "harbour-page.html").read_bytes())  # no extension: sniffed
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "given-id", "text": "Officials said the road was closed."}) + "\n")
    (tmp_path / ".hidden.txt").write_text("Not to be read at all, said nobody.")
    (tmp_path / "logo.bin").write_bytes(bytes(range(256)) * 4)  # unknown binary: skipped quietly
    items = list(read_sources([str(tmp_path)]))
    assert all(isinstance(i, Article) for i in items), items
    assert len(items) == 3
    assert {i.id for i in items} >= {"given-id"}


def test_sources_stdin_and_jsonl_html_field():
    page = (FIX / "harbour-page.html").read_text()
    art = one(read_sources(["-"], stdin=io.BytesIO(page.encode())))
    assert art.title.startswith("Mayor promises")
    line = json.dumps({"id": "p1", "html": page, "url": "https://courier.example/p1", "outlet": "Courier"})
    art = one(read_sources(["-"], stdin=io.BytesIO(line.encode() + b"\n")))
    assert art.id == "p1" and art.outlet == "Courier" and art.url == "https://courier.example/p1"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = (FIX / "harbour-page.html").read_bytes()
        self.send_response(200 if self.path == "/story" else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body if self.path == "/story" else b"not here")

    def log_message(self, *args):
        pass


def test_sources_urls_are_fetched_and_failures_are_clear():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        items = list(read_sources([f"{base}/story", f"{base}/missing"]))
        assert isinstance(items[0], Article) and items[0].url == f"{base}/story"
        assert isinstance(items[1], Failure) and "[Q055]" in items[1].message and "404" in items[1].message
    finally:
        server.shutdown()
        server.server_close()
    port = server.server_port  # closed now: nothing listens
    (item,) = read_sources([f"http://127.0.0.1:{port}/story"])
    assert isinstance(item, Failure) and "[Q055]" in item.message


SEED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "seed"


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not beside this checkout")
def test_sources_seed_article_dateline_and_date():
    """The mission's own example, read from ../shared (never copied here)."""
    art = one(read_sources([str(SEED / "tass-putin-arctic.jsonl")]))
    assert (art.place, art.agency, art.outlet, art.published) == ("Arkhangelsk", "TASS", "TASS", "2017-03-30")
    assert art.provenance["dateline_date"] == "2017-03-30"
    txt = one(read_sources([str(SEED / "tass-putin-arctic.txt")]))
    assert (txt.place, txt.agency) == ("Arkhangelsk", "TASS")
    assert txt.title == "Putin says Russia wants to build good relations with US"
    assert not txt.text.startswith("All news")


def test_sources_a_pretty_printed_json_document_is_one_line_not_one_per_line(tmp_path):
    # a .json file in a folder that is one indented document of no articles (a data set keyed by
    # page): a user pointing ingest at a data folder sees one line for it, set aside, not failed
    doc = {f"page-{i}": {"body": f"Body {i} of the reference output.", "title": f"Title {i}"} for i in range(300)}
    (tmp_path / "reference.json").write_text(json.dumps(doc, indent=2))
    items = list(read_sources([str(tmp_path)]))
    assert len(items) == 1 and isinstance(items[0], Failure) and items[0].code == "Q100" and items[0].stage == "skip"
    assert "an object of 300 keys ('page-0', 'page-1', 'page-2', ...)" in items[0].message


STORY = "The mayor said the harbour bridge would reopen in May. \"We are ahead of schedule,\" she told reporters."


def test_sources_a_json_document_holding_an_article_or_a_list_of_them_is_read(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"id": "one", "text": STORY, "outlet": "Herald"}, indent=2))
    (tmp_path / "many.json").write_text(json.dumps([{"id": f"m{i}", "text": STORY + f" Day {i}."} for i in range(3)], indent=2))
    (tmp_path / "page.json").write_text(json.dumps({"id": "pg", "html": f"<html><body><p>{STORY}</p></body></html>"}, indent=1))
    (tmp_path / "lines.json").write_text("\n".join(json.dumps({"id": f"l{i}", "text": STORY}) for i in range(2)) + "\n")
    (tmp_path / "mixed.json").write_text(json.dumps([{"id": "ok", "text": STORY}, {"title": "no text"}], indent=2))
    (tmp_path / "numbers.json").write_text("[1, 2, 3]")
    (tmp_path / "broken.json").write_text('{\n  "text": "unfinished\n')
    got = {pathlib.Path(x.where).name if isinstance(x, Failure) else x.id: x for x in read_sources([str(tmp_path)])}
    assert {k for k, v in got.items() if isinstance(v, Article)} == {"one", "m0", "m1", "m2", "pg", "l0", "l1", "ok"}
    assert got["one"].outlet == "Herald" and got["one"].text == STORY  # the text as given, as in JSON Lines
    assert got["mixed.json"].code == "Q020" and got["mixed.json"].stage != "skip"  # a list of articles with a bad one: that one fails
    assert got["numbers.json"].code == "Q100" and got["numbers.json"].stage == "skip"
    assert got["broken.json"].code == "Q021" and got["broken.json"].stage != "skip"  # not JSON at all: a failure, once


def test_sources_a_gzipped_json_document_is_read_as_one(tmp_path):
    import gzip

    (tmp_path / "one.json.gz").write_bytes(gzip.compress(json.dumps({"id": "gz", "text": STORY}, indent=2).encode()))
    assert one(read_sources([str(tmp_path / "one.json.gz")])).id == "gz"


def test_sources_program_source_in_a_folder_is_set_aside_but_read_when_named(tmp_path):
    code = '"""Fetch the feed; the editor said to run it each morning."""\nimport json\n\n\ndef fetch(url):\n    return json.loads(url)\n'
    (tmp_path / "fetch.py").write_text(code)
    (tmp_path / "settings.yaml").write_text("outlet: Herald\nsaid: the editor said so\n")
    (tmp_path / "story.txt").write_text(STORY)
    items = list(read_sources([str(tmp_path)]))
    skipped = {pathlib.Path(x.where).name: x for x in items if isinstance(x, Failure)}
    assert set(skipped) == {"fetch.py", "settings.yaml"} and all(x.code == "Q088" and x.stage == "skip" for x in skipped.values())
    assert "program source" in skipped["fetch.py"].message
    assert [x.id for x in items if isinstance(x, Article)] and isinstance(one(read_sources([str(tmp_path / "fetch.py")])), Article)


def test_sources_a_folders_text_file_is_read_once(tmp_path, monkeypatch):
    import builtins

    (tmp_path / "story.txt").write_text(STORY)
    (tmp_path / "usage.txt").write_text("Run it:\n\n```\nquotewire ingest feed/\n```\n")
    opened: list[str] = []
    real = builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: (opened.append(str(f)), real(f, *a, **k))[1])
    items = list(read_sources([str(tmp_path)]))
    assert [type(x).__name__ for x in items] == ["Article", "Failure"] and items[1].code == "Q088"
    assert sorted(pathlib.Path(f).name for f in opened) == ["story.txt", "usage.txt"]  # each opened once


def test_sources_json_lines_with_a_few_bad_lines_first_keeps_every_line_in_order(tmp_path):
    good = json.dumps({"id": "a1", "text": "The mayor said the bridge would reopen in May."})
    (tmp_path / "feed.jsonl").write_text("{oops\nnot json\n" + good + "\n{\n")
    items = list(read_sources([str(tmp_path / "feed.jsonl")]))
    kinds = [("Q021" in x.message) if isinstance(x, Failure) else x.id for x in items]
    assert kinds == [True, True, "a1", True]


def test_sources_batch_extraction_answers_every_line_of_a_bad_file(tmp_path):
    from quotewire.sources import read_jsonl

    lines = b"\n".join(b"no json %d" % i for i in range(12)) + b"\n"
    items = list(read_jsonl(io.BytesIO(lines), "batch.jsonl", give_up=None))
    assert [x.line for x in items] == list(range(1, 13))


class _Counting(io.RawIOBase):
    """A pipe of ``total`` bytes made of ``line``, counting what the reader takes."""

    def __init__(self, line: bytes, total: int) -> None:
        self.line, self.left, self.taken = line, total, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left)
        chunk = (self.line * (n // len(self.line) + 2))[self.taken % len(self.line):][:n]
        buffer[:n] = chunk
        self.left -= n
        self.taken += n
        return n


def test_sources_stdin_json_lines_are_streamed_not_held_whole():
    line = json.dumps({"id": "x", "text": "The minister said the port would reopen on Monday."}).encode() + b"\n"
    pipe = _Counting(line, 200_000_000)
    items = read_sources(["-"], stdin=io.BufferedReader(pipe))
    first = next(iter(items))
    assert isinstance(first, Article) and first.id == "x"
    assert pipe.taken < 1_000_000  # the first article came before the 200 MB feed was read


def test_sources_stdin_text_over_the_limit_is_one_line_and_read_no_further():
    pipe = _Counting(b"words and more words\n", 50_000_000)
    items = list(read_sources(["-"], max_bytes=1_000_000, stdin=io.BufferedReader(pipe)))
    assert len(items) == 1 and isinstance(items[0], Failure) and "[Q051]" in items[0].message
    assert pipe.taken < 1_200_000


def test_sources_stdin_gzip_is_decompressed_like_a_file():
    import gzip

    text = "Port reopens\n\nThe harbour master said the port would reopen on Monday after repairs.\n"
    (art,) = list(read_sources(["-"], stdin=io.BytesIO(gzip.compress(text.encode()))))
    assert isinstance(art, Article) and "harbour master said" in art.text


def test_sources_a_page_in_a_script_without_spaces_is_another_language_not_an_empty_page(tmp_path):
    # Japanese prose has no spaces, so no paragraph counts the words of an article; it is a page
    # in another language (set aside, Q052), where it used to fail as a page with no text (Q050)
    paras = ["港の新しい橋は十一月に開通する予定です。市長は工事が遅れていると話しました。" * 2,
             "市議会は来年の予算で橋の修理費を負担することを決めました。住民は安全を心配しています。" * 2,
             "建設会社の社長は、鉄骨の錆が予想よりひどかったと説明しました。工事は夜も続けられます。" * 2]
    page = tmp_path / "ja.html"
    page.write_text('<html lang="ja"><head><title>港の橋</title></head><body><article><h1>港の橋</h1>'
                    + "".join(f"<p>{x}</p>" for x in paras) + "</article></body></html>", encoding="utf-8")
    items = list(read_sources([str(page)]))
    assert codes(items) == ["[Q052]"], items
    assert items[0].stage == "skip"


def _site_page(head: str) -> bytes:
    body = "".join(f"<p>The harbour board said on Monday that the quay vote, the {n}th of its kind, would be put off until the spring tides.</p>" for n in range(4))
    return f"<!doctype html><html><head>{head}</head><body><article><h1>Quay vote put off again</h1>{body}</article></body></html>".encode()


@pytest.mark.parametrize("head, outlet", [
    # the page spells its site as its host's label in lower case: the extractor's capitalised "Harbourherald" is no
    # name the page gave, so the host stands (the store then joins it to what the host's other pages call themselves)
    ('<meta property="og:site_name" content="harbourherald"><title>Quay vote - harbourherald.example</title>', "harbourherald.example"),
    ('<meta property="og:site_name" content="@harbourherald"><title>Quay vote | Harbour Herald Lakeside</title>', "harbourherald.example"),
    # a capitalised name the page wrote stays
    ('<meta property="og:site_name" content="Harbourherald">', "Harbourherald"),
    ('<meta property="og:site_name" content="Harbour Herald"><meta name="twitter:site" content="@harbourherald">', "Harbour Herald"),
])
def test_sources_html_outlet_is_not_the_extractors_capitalised_host_label(tmp_path, head, outlet):
    f = tmp_path / "quay.html"
    f.write_bytes(_site_page(head + '<link rel="canonical" href="https://www.harbourherald.example/news/quay">'))
    assert one(read_sources([str(f)])).outlet == outlet


@pytest.mark.parametrize("host, head, outlet", [
    # a name the address shortens: its first word and a word hosts add make the label ("Sputnik
    # International" on sputniknews.com), while the handle "HarbourInt" spells no such thing
    ("harbournews.example", '<meta property="og:site_name" content="HarbourInt"><title>Quay vote | Harbour International</title>',
     "Harbour International"),
    # not a tagline that starts with the label's first word
    ("harbourherald.example", '<meta property="og:site_name" content="Harbour Views Daily">', "harbourherald.example"),
    # a page's run of sections is no name, even when its words spell the host ("Autoracing | F1 | Indy")
    ("quayboard.example", '<meta property="og:site_name" content="Quay | Board | Ferries | Tides">', "quayboard.example"),
    ("quayboard.example", '<meta property="og:site_name" content="Quay Board | Ferries | Tides">', "Quay Board"),
])
def test_sources_html_outlet_is_a_site_name_not_a_run_of_sections(tmp_path, host, head, outlet):
    f = tmp_path / "quay.html"
    f.write_bytes(_site_page(head + f'<link rel="canonical" href="https://www.{host}/news/quay">'))
    assert one(read_sources([str(f)])).outlet == outlet


def test_sources_sniffed_json_is_read_alike_from_a_file_a_gzip_a_url_and_stdin(tmp_path):
    """The sniffed-JSON rule of a file (held whole: an article, a list of them, JSON Lines, or
    a document of no articles set aside with Q100) holds for a gzip of any name but .jsonl.gz,
    a URL (by its content type, its address's name or its first bytes) and standard input: a
    pretty-printed article there was four Q021 failures, a list of articles one text article
    of JSON, a data set one Q027 failure; gzip from a URL was read as binary (Q023)."""
    import gzip

    docs = {
        "article": (json.dumps({"id": "one", "text": STORY}, indent=2).encode(), ["one"]),
        "list": (json.dumps([{"id": f"m{i}", "text": STORY} for i in range(2)], indent=2).encode(), ["m0", "m1"]),
        "line": (json.dumps([{"id": f"m{i}", "text": STORY} for i in range(2)]).encode(), ["m0", "m1"]),
        "dataset": (json.dumps({f"page-{i}": {"body": "x"} for i in range(20)}, indent=2).encode(), ["Q100:skip"]),
        "lines": (b"".join(json.dumps({"id": f"l{i}", "text": STORY}).encode() + b"\n" for i in range(2)), ["l0", "l1"]),
    }
    served: dict[str, tuple[bytes, str]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body, ctype = served[self.path]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    def got(items) -> list[str]:
        return [f"{x.code}:{x.stage}" if isinstance(x, Failure) else x.id for x in items]

    try:
        for name, (body, want) in docs.items():
            (tmp_path / name).write_bytes(body)
            (tmp_path / f"{name}.gz").write_bytes(gzip.compress(body))
            served.update({f"/{name}": (body, "application/json"), f"/{name}.json": (body, "application/octet-stream"),
                           f"/{name}.gz": (gzip.compress(body), "application/gzip")})
            ways = {"file": [str(tmp_path / name)], "gzip": [str(tmp_path / f"{name}.gz")], "url": [f"{base}/{name}"],
                    "url .json": [f"{base}/{name}.json"], "url gzip": [f"{base}/{name}.gz"]}
            for way, inputs in ways.items():
                assert got(read_sources(inputs)) == want, (name, way)
            assert got(read_sources(["-"], stdin=io.BytesIO(body))) == want, (name, "stdin")
    finally:
        server.shutdown()
        server.server_close()
    # a text that opens with a bracket is no JSON list; named JSON Lines stay a stream, with their codes
    (tmp_path / "note").write_text("[Updated] The mayor said the harbour bridge would reopen in May after the repairs were done.")
    assert isinstance(one(read_sources([str(tmp_path / "note")])), Article)
    (tmp_path / "data.jsonl.gz").write_bytes(gzip.compress(docs["dataset"][0]))
    assert got(read_sources([str(tmp_path / "data.jsonl.gz")])) == ["Q027:read"]


def test_sources_stdin_one_line_json_list_over_4_kb_is_one_document_as_a_file(tmp_path):
    """A JSON list on one line longer than the 4 KB head has no line end in its head: it was
    streamed as JSON Lines and failed (Q020) where the same bytes as a file read whole."""
    arts = [{"id": f"l{i}", "text": f"The harbour master said on Monday that berth {i} would reopen after the repairs to the quay."}
            for i in range(60)]
    body = json.dumps(arts).encode()
    assert len(body) > 4096 and b"\n" not in body
    (tmp_path / "list").write_bytes(body)
    from_file = [x.id if isinstance(x, Article) else x.code for x in read_sources([str(tmp_path / "list")])]
    from_stdin = [x.id if isinstance(x, Article) else x.code for x in read_sources(["-"], stdin=io.BytesIO(body))]
    assert from_stdin == from_file == [f"l{i}" for i in range(60)]
    # a long single record (an object) with no line end in its head is still streamed as JSON Lines
    long_one = json.dumps({"id": "big", "text": "The mayor said the bridge would reopen. " * 200}).encode()
    assert [x.id for x in read_sources(["-"], stdin=io.BytesIO(long_one))] == ["big"]


def test_sources_unnamed_json_lines_file_over_max_bytes_is_read_line_by_line_as_its_gzip_is(tmp_path):
    """Sniffed JSON past max_bytes can only be JSON Lines, read line by line, the same for a plain
    file of no known name as for its gzip: the plain file was one Q051 failure."""
    import gzip

    lines = b"".join(json.dumps({"id": f"j{i}", "text": f"The council said item {i} of the budget would pass."}).encode() + b"\n"
                     for i in range(50))
    assert len(lines) > 2000
    (tmp_path / "feed").write_bytes(lines)
    (tmp_path / "feed.gz").write_bytes(gzip.compress(lines))
    want = [f"j{i}" for i in range(50)]
    for name in ("feed", "feed.gz"):
        got = [x.id if isinstance(x, Article) else x.code for x in read_sources([str(tmp_path / name)], max_bytes=2000)]
        assert got == want, name


def test_sources_readme_names_the_json_openings_the_sniffer_takes():
    """The README says which first bytes make content JSON; the sniffer takes just those: `{`, or
    `[` and then `{`, `[`, `"` or `]` (it said "`[` and an object" while `[[`, `["`, `[]` were JSON too)."""
    import re

    from quotewire.sources import sniff

    readme = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text()
    said = re.search(r"JSON by its first bytes \(`\{`, or `\[` and then (.*?)\)", readme, re.S)
    assert said, "the README no longer says which first bytes are JSON"
    after = set(re.findall(r"`(.)`", said.group(1)))
    for c in "{[\"]0a1 ":
        assert (sniff(b"[" + c.encode() + b"1]") == "jsonl") == (c in after), c
    assert sniff(b"{}") == "jsonl" and sniff(b"[Updated] The mayor said so.") == "text"
