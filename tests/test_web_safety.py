"""The web as a hostile user meets it (issue #12): stored URLs never script the page, every
response carries the security headers, every error (including a bug) comes in the one shape,
HEAD answers like GET. The store is written from generated articles (no model)."""
from __future__ import annotations

import asyncio
import re
import warnings

import pytest

from quotewire.model import Article, Attribution, Span, Speaker
from quotewire.store import StoreWriter, connect
from quotewire.store.writer import IngestReport

pytestmark = pytest.mark.issue(12)

HOSTILE_URLS = {
    "js": "javascript:alert(document.domain)",
    "js-case": " JaVaScRiPt:alert(1)",
    "js-tab": "java\tscript:alert(1)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vb": "vbscript:msgbox(1)",
    "relative": "//evil.example/x",
}
GOOD_URL = "https://news.example/harbour?id=1&x=<b>"


def article(article_id: str, url: str | None, published: str = "2024-03-05", words: str = "the harbour bridge opens") -> Article:
    quote = f'"{words}," Mara Lind said.'
    text = quote + "\n\nNothing else."
    content = Span(0, len(words) + 3)
    cue = Span(text.index("said"), text.index("said") + 4)
    source = Span(text.index("Mara"), text.index("Mara") + 9)
    att = Attribution("direct", (content,), (cue,), (source,), Speaker("Mara Lind", "person", ("Lind",), ()))
    return Article(text=text, id=article_id, url=url, outlet="Harbour Post", title=f"Story {article_id}",
                   published=published, attributions=(att,))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("websafety") / "w.db"
    conn = connect(path)
    items = [article(name, url) for name, url in HOSTILE_URLS.items()] + [article("good", GOOD_URL)]
    items.append(article("odd-date", None, words="an odd date"))
    StoreWriter(conn).write(items, IngestReport())
    # an older store may hold a date in another format; the pages must still answer
    conn.execute("UPDATE articles SET published = '05.03.2017' WHERE id = 'odd-date'")
    conn.execute("UPDATE attributions SET published = '05.03.2017' WHERE article_id = 'odd-date'")
    conn.commit()
    conn.close()
    return str(path)


@pytest.fixture(scope="module")
def client(db):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from quotewire.web import create_app

    return TestClient(create_app(db), raise_server_exceptions=False)


def hrefs(html: str) -> list[str]:
    import html as h

    return [h.unescape(x) for x in re.findall(r'href="([^"]*)"', html)]


@pytest.mark.parametrize("name", sorted(HOSTILE_URLS))
def test_web_a_stored_url_that_is_not_http_is_never_a_link(client, name):
    page = client.get(f"/articles/{name}").text
    search = client.get("/search", params={"q": "harbour"}).text
    speaker = client.get(f"/speakers/{client.get('/api/search', params={'q': 'harbour'}).json()['statements'][0]['speaker_id']}").text
    for html in (page, search, speaker):
        for href in hrefs(html):
            assert not re.match(r"\s*(java|vb)\s*script:|\s*data:", href, re.I), href
            assert "evil.example" not in href
    assert "not a web link" in page  # shown as text for traceability, never as a link


def test_web_an_http_url_is_the_original_link_everywhere_a_statement_is_shown(client):
    page = client.get("/articles/good").text
    assert GOOD_URL in hrefs(page)
    search = client.get("/search", params={"q": "harbour"}).text
    assert hrefs(search).count(GOOD_URL) == 1  # one of the seven statements has an http(s) original


ROUTES = ["/search", "/search?q=harbour", "/speakers", "/articles/good", "/api/search?q=harbour", "/api/articles/good",
          "/static/style.css", "/api/openapi.json", "/nothing-here", "/api/nothing", "/api/search?q=%22"]


@pytest.mark.parametrize("path", ROUTES)
def test_web_every_response_carries_the_security_headers(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/search?q=harbour", "/api/search?q=harbour", "/static/style.css", "/articles/good", "/nothing"])
def test_web_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["x-frame-options"] == "DENY"


def call(app, path: str, query: bytes) -> tuple[int, dict, bytes]:
    """One request straight into the ASGI app: a query string longer than any HTTP client sends."""
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
             "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, b"".join(m.get("body", b"") for m in sent)


ENVELOPE_CASES = [
    ("/api/search?page=10000000000000000000", 400, "page"),
    ("/api/speakers/99999999999999999999", 404, "speaker"),
    ("/api/events/99999999999999999999", 404, "event"),
    ("/api/events?page=99999999999", 400, "page"),
    ("/api/search?q=*", 400, "Q060"),
    ("/api/search?since=garbage", 400, "Q066"),
    ("/api/search?until=2024-13-01", 400, "Q066"),
    ("/api/search?per_page=1000", 400, "per_page"),
    ("/api/speakers?page=99999999999", 400, "page"),
    ("/api/articles/no-such-article", 404, "no-such-article"),
]


@pytest.mark.parametrize("path,status,says", ENVELOPE_CASES)
def test_web_hostile_api_requests_get_the_json_envelope(client, path, status, says):
    r = client.get(path)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"ok", "status", "error"} and body["ok"] is False and body["status"] == status
    assert says.lower() in body["error"].lower()


def test_web_a_100kb_speaker_filter_is_a_400_not_a_crash(client):
    for path in ("/api/search", "/search"):
        status, headers, body = call(client.app, path, b"speaker=" + b"a" * 100_000)
        assert status == 400 and headers["x-content-type-options"] == "nosniff"
        assert b"speaker" in body and b"Internal Server Error" not in body
    status, headers, body = call(client.app, "/api/search", b"speaker=" + b"a" * 100_000)
    assert headers["content-type"].startswith("application/json") and b'"ok":false' in body


def test_web_a_bad_date_is_a_400_that_says_so_on_the_page_too(client):
    r = client.get("/search", params={"q": "harbour", "since": "garbage"})
    assert r.status_code == 400 and "since=&#39;garbage&#39; is not a date" in r.text
    # the form comes back with the query, to fix the date rather than retype the search
    assert 'name="q" value="harbour"' in r.text and 'name="since" value="garbage"' in r.text
    assert client.get("/api/search", params={"since": "2024-03"}).status_code == 200
    assert client.get("/api/search", params={"since": "2024-02-30"}).status_code == 400


def test_web_a_speaker_with_a_non_iso_date_still_has_a_page(client):
    sid = client.get("/api/search", params={"q": "odd"}).json()["statements"][0]["speaker_id"]
    for path in (f"/speakers/{sid}", f"/api/speakers/{sid}"):
        r = client.get(path)
        assert r.status_code == 200, r.text[:300]
    assert "<svg" in client.get(f"/speakers/{sid}").text  # the ISO dates still make a timeline


def test_web_a_bug_is_a_500_in_the_one_shape_with_the_headers(client, monkeypatch):
    from quotewire.web import app as web_app

    def broken(*args, **kwargs):
        raise RuntimeError("a bug with a secret path /srv/x")

    monkeypatch.setattr(web_app.queries, "speakers", broken)
    api = client.get("/api/speakers")
    assert api.status_code == 500 and api.json()["ok"] is False and set(api.json()) == {"ok", "status", "error"}
    assert "secret" not in api.text and api.headers["x-frame-options"] == "DENY"
    page = client.get("/speakers")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "went wrong on the server" in page.text and 'action="/search"' in page.text
    assert page.headers["content-security-policy"]


def test_web_the_404_page_speaks_to_a_person(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert "There is no page at /no/such/page" in r.text and 'href="/speakers"' in r.text and 'name="q"' in r.text
    assert "There is no speaker 424242" in client.get("/speakers/424242").text


def test_web_an_article_is_found_by_its_original_url(client):
    r = client.get("/api/articles/" + GOOD_URL.replace("&", "%26").replace("<", "%3C").replace(">", "%3E").replace("?", "%3F"))
    assert r.status_code == 200 and r.json()["article"]["id"] == "good"
    page = client.get("/articles/https://news.example/nothing-stored")
    assert page.status_code == 404 and "Not found" in page.text


def test_web_a_year_or_month_filter_shows_in_the_form_as_it_is_in_force(client):
    # a date input cannot show "2019": the filter applied while the form showed nothing, and the
    # next search dropped it without a word
    r = client.get("/search", params={"q": "harbour", "since": "2019", "until": "2024-03"})
    assert r.status_code == 200
    assert 'name="since" value="2019"' in r.text and 'name="until" value="2024-03"' in r.text
    assert 'type="date"' not in r.text
