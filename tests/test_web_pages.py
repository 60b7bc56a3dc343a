"""The pages a journalist uses (issue #13): the article page traces each statement (speaker links,
the original, its events, anchors), search highlights, sorts and downloads, speakers can be
searched, a one-month timeline is a bar, not a block. Plus the new query shapes stay bounded."""
from __future__ import annotations

import csv
import io
import json
import re
import warnings

import pytest

from quotewire.model import Article, Attribution, Span, Speaker
from quotewire.store import StoreWriter, connect, queries
from quotewire.store.writer import IngestReport

pytestmark = pytest.mark.issue(13)


def test_client(db):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from quotewire.web import create_app

    return TestClient(create_app(db))


test_client.__test__ = False  # a helper, not a test


@pytest.fixture(scope="module")
def client(web_db):
    return test_client(web_db)


def one(speaker: str, words: str, article_id: str, published: str) -> Article:
    quote = f'"{words}," {speaker} said.'
    cue = quote.index(" said")
    att = Attribution("direct", (Span(1, len(words) + 1),), (Span(cue + 1, cue + 5),),
                      (Span(len(words) + 4, cue),), Speaker(speaker, "person", (speaker.split()[-1],), ()))
    return Article(text=quote, id=article_id, outlet="Tide Times", title=f"On {article_id}", published=published, attributions=(att,))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Five statements on ferries over three years, one of them a spreadsheet formula."""
    path = tmp_path_factory.mktemp("pages") / "p.db"
    conn = connect(path)
    StoreWriter(conn).write([
        one("Ines Vale", "ferries ferries ferries run late", "f1", "2021-02-01"),
        one("Ines Vale", "the ferries will run on time", "f2", "2023-06-01"),
        one("Ines Vale", "=HYPERLINK(\"http://x.example\") ferries", "f3", "2022-01-01"),
        one("Oskar Brun", "ferries matter to the islands", "f4", "2024-01-15"),
        one("Oskar Brun", "the bridge is closed", "f5", "2024-01-20"),
    ], IngestReport())
    conn.close()
    return test_client(str(path))


# -- article page -----------------------------------------------------------------------------
def test_web_article_page_traces_each_statement(client):
    ev = client.get("/api/events").json()["events"][0]
    article_id = client.get(f"/api/events/{ev['id']}").json()["event"]["articles"][0]["id"]
    api = client.get(f"/api/articles/{article_id}").json()
    html = client.get(f"/articles/{article_id}").text
    # the events it is in, linked
    assert api["events"] and api["events"][0]["id"] == ev["id"]
    assert f'href="/events/{ev["id"]}"' in html
    # every statement has a place in the text, and the table links there
    n = len(api["article"]["quotes"])
    for k in range(1, n + 1):
        assert f'id="st-{k}"' in html and f'href="#st-{k}"' in html
    # speaker names link to their pages, the same ids the store holds
    for sid in set(api["speaker_ids"].values()):
        assert f'href="/speakers/{sid}"' in html
    # the table shows each statement's content
    table = html.split('class="list attributions"')[1]
    text = api["article"]["text"]
    for q in api["article"]["quotes"]:
        first = q["content"][0]
        assert re.sub(r"\s+", " ", text[first[0]:first[1]])[:30].replace('"', "&#34;").replace("'", "&#39;") in re.sub(r"\s+", " ", table)


def test_web_search_hits_link_to_the_statement_s_place(client):
    hit = client.get("/api/search", params={"q": "bridge"}).json()["statements"][0]
    search = client.get("/search", params={"q": "bridge"}).text
    anchor = f'/articles/{hit["article_id"]}#st-{hit["seq"] + 1}'
    assert anchor in search
    assert f'id="st-{hit["seq"] + 1}"' in client.get(f"/articles/{hit['article_id']}").text


# -- search -----------------------------------------------------------------------------------
def test_web_search_highlights_matched_words_and_escapes_the_rest(client):
    hit = client.get("/api/search", params={"q": "bridge"}).json()["statements"][0]
    assert "<mark>bridge</mark>" in hit["content_html"]
    assert "<mark>bridge</mark>" in client.get("/search", params={"q": "bridge"}).text
    # a statement carrying markup: the markup escaped, only our <mark> is a tag
    xss = client.get("/api/search", params={"q": "allow"}).json()["statements"]
    marked = next(s["content_html"] for s in xss if s["article_id"] == "xss-article")
    assert "<mark>allow</mark>" in marked and "&lt;img src=x onerror=alert(1)&gt;" in marked
    assert set(re.findall(r"<(/?\w+)", marked)) <= {"mark", "/mark"}


def test_web_search_sorts_by_relevance_or_date(small):
    best = small.get("/api/search", params={"q": "ferries"}).json()["statements"]
    newest = small.get("/api/search", params={"q": "ferries", "sort": "date"}).json()["statements"]
    assert [s["published"] for s in newest] == sorted((s["published"] for s in newest), reverse=True)
    assert best[0]["article_id"] == "f1"  # three times the word: the best match, though the oldest
    assert {s["statement_id"] for s in best} == {s["statement_id"] for s in newest}
    page = small.get("/search", params={"q": "ferries", "sort": "date"}).text
    assert "<strong>newest first</strong>" in page and 'href="?q=ferries"' in page
    assert '<input type="hidden" name="sort" value="date">' in page  # a new search keeps the order
    assert small.get("/api/search", params={"q": "ferries", "sort": "random"}).status_code == 400


def test_web_search_downloads_the_current_result_as_csv_and_json_lines(small):
    params = {"q": "ferries", "speaker": "Vale", "sort": "date"}
    want = small.get("/api/search", params=params).json()["statements"]
    page = small.get("/search", params=params).text
    links = re.findall(r'href="(/api/search\.(?:csv|jsonl)[^"]*)"', page)
    assert len(links) == 2 and all("speaker=Vale" in u and "sort=date" in u for u in links)
    import html as h

    got_csv = small.get(h.unescape(links[0]))
    assert got_csv.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(got_csv.text)))
    assert [int(r["statement_id"]) for r in rows] == [s["statement_id"] for s in want]
    assert all(r["speaker"] == "Ines Vale" for r in rows) and len(rows) == 3
    formula = next(r for r in rows if "HYPERLINK" in r["content_text"])
    assert formula["content_text"].startswith("'=")  # a spreadsheet shows it, never runs it
    lines = small.get(h.unescape(links[1])).text.splitlines()
    assert [json.loads(x)["statement_id"] for x in lines] == [s["statement_id"] for s in want]
    assert json.loads(lines[0])["content_text"] == want[0]["content_text"]
    bad = small.get("/api/search.csv", params={"since": "2024-99-01"})
    assert bad.status_code == 400 and bad.json()["ok"] is False
    assert small.get("/api/search.xlsx").status_code == 404


def test_web_speakers_list_has_a_search_box(small):
    html = small.get("/speakers", params={"q": "brun"}).text
    assert 'name="q" value="brun"' in html and "Oskar Brun" in html and "Ines Vale" not in html
    assert [s["name"] for s in small.get("/api/speakers", params={"q": "VALE"}).json()["speakers"]] == ["Ines Vale"]
    assert small.get("/api/speakers", params={"q": "%"}).json()["speakers"] == []  # a wildcard is a character
    nav = small.get("/api/speakers", params={"q": "e", "per_page": 1}).json()
    assert nav["next_url"] == "?q=e&page=2"


def test_web_search_error_page_keeps_the_form_and_the_query(client):
    r = client.get("/search", params={"q": '"unbalanced', "speaker": "Holm"})
    assert r.status_code == 400 and "Q060" in r.text
    assert 'value="&#34;unbalanced"' in r.text and 'name="speaker" value="Holm"' in r.text


# -- speaker page -----------------------------------------------------------------------------
def test_web_speaker_page_links_each_statement_to_its_place(small):
    sid = small.get("/api/speakers", params={"q": "Brun"}).json()["speakers"][0]["id"]
    html = small.get(f"/speakers/{sid}").text
    assert "/articles/f4#st-1" in html and "/articles/f5#st-1" in html


def test_web_a_one_month_timeline_is_a_bar_among_empty_months(small):
    sid = small.get("/api/speakers", params={"q": "Brun"}).json()["speakers"][0]["id"]
    svg = small.get(f"/speakers/{sid}").text.split("<svg")[1].split("</svg>")[0]
    bars = re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)" height="(\d+)"', svg)
    assert len(bars) >= 12
    tall = [b for b in bars if int(b[2]) > 0]
    assert len(tall) == 1 and int(tall[0][1]) < 640 / 8  # one bar, not the whole width
    assert "2024-01: 2 statements" in svg


# -- the new query shapes read what a page needs, not every match ---------------------------
def test_new_query_shapes_stay_bounded(tmp_path):
    from test_search_scale import articles

    conn = connect(tmp_path / "s.db")
    StoreWriter(conn).write(articles(300), IngestReport())
    ids = [s["statement_id"] for s in queries.search(conn, "w0", limit=20)["statements"]]
    sql = ("SELECT f.rowid, highlight(attributions_fts, 0, ?, ?) FROM attributions_fts f "
           f"WHERE attributions_fts MATCH ? AND f.rowid IN ({','.join('?' * len(ids))})")
    plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, ["<", ">", "w0", *ids]))
    assert re.fullmatch(r"SCAN f VIRTUAL TABLE INDEX 0:=M\d*", plan), plan  # one probe by id per statement
    for shape, filters in (("text", {}), ("rows", {"kind": "direct"}), ("set", {"outlet": "Beta"})):
        f = queries.Filters(query="w0", **filters)
        where, params = f.where(conn)
        p = queries._Plan(f, where, params, shape)
        sql, params = p.ranked(5, 20, 0, "date")
        text = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "f.rowid >=" in sql and re.search(r"VIRTUAL TABLE INDEX \d+:\S*M", text), text  # the rank window only
        assert not any(s.startswith("SCAN a") and "USING" not in s for s in text.split(" | ")), text
    # in the window, the date order is exact
    got = queries.search(conn, "w0", limit=50, sort="date")["statements"]
    assert [s["published"] for s in got] == sorted((s["published"] for s in got), reverse=True)
    conn.close()


def test_web_highlight_marks_are_made_after_escaping():
    from quotewire.web.app import marked_html

    assert marked_html("a \x02b\x03 <mark>c", "a b <mark>c") == "a <mark>b</mark> &lt;mark&gt;c"
    # a statement that itself holds a mark character is shown plain, not half-marked
    assert marked_html("x\x02y\x03\x02", "x\x02y") == "x\x02y" and "<mark>" not in marked_html("x\x02y\x03\x02", "x\x02y")


def test_web_events_listing_keeps_ties_until_an_article_changes(web_db, tmp_path, monkeypatch):
    """The listing computes what ties an event once per version of its articles, not per request."""
    import sqlite3

    from quotewire import coverage
    from quotewire.web.app import TiesCache, events_data

    path = tmp_path / "copy.db"
    with sqlite3.connect(web_db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    conn = connect(path)
    fresh = events_data(conn, 1, 50)  # no cache: computed
    assert fresh["events"] and all(e["tied_by"] for e in fresh["events"])
    computed = []
    real = coverage.ties
    monkeypatch.setattr(coverage, "ties", lambda store, event_id: computed.append(event_id) or real(store, event_id))
    cache = TiesCache()
    first = events_data(conn, 1, 50, cache)
    assert sorted(computed) == sorted(e["id"] for e in first["events"])
    again = events_data(conn, 1, 50, cache)
    assert again == first == fresh and len(computed) == len(first["events"])  # the second request computes nothing
    # an article of one event replaced (another content hash): that event alone is computed again
    event = first["events"][0]["id"]
    member = conn.execute("SELECT article_id FROM event_articles WHERE event_id = ? ORDER BY rowid LIMIT 1", (event,)).fetchone()[0]
    with conn:
        conn.execute("UPDATE articles SET content_hash = 'another version' WHERE id = ?", (member,))
    events_data(conn, 1, 50, cache)
    assert computed[len(first["events"]):] == [event]
    conn.close()
