"""The JSON API and the pages through an HTTP test client (issue #4)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.issue(4)


@pytest.fixture(scope="module")
def client(web_db):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from quotewire.web import create_app

    return TestClient(create_app(web_db))


def test_web_search_api_with_filters_facets_and_pagination(client):
    r = client.get("/api/search", params={"q": "bridge"})
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] and body["total"] >= 2
    assert {f["value"] for f in body["facets"]["kind"]} <= {"direct", "mixed", "indirect"}
    assert any(f["value"] == "Elena Marsh" for f in body["facets"]["speaker"])
    page1 = client.get("/api/search", params={"per_page": 3}).json()
    page2 = client.get("/api/search", params={"per_page": 3, "page": 2}).json()
    assert page1["next_url"] and {s["statement_id"] for s in page1["statements"]}.isdisjoint(s["statement_id"] for s in page2["statements"])
    only = client.get("/api/search", params={"speaker": "Holm", "kind": "direct"}).json()
    assert only["total"] >= 2 and all(s["speaker"] == "Anders Holm" and s["kind"] == "direct" for s in only["statements"])


def test_web_malformed_search_is_a_400_with_a_message(client):
    for path in ("/api/search", "/search"):
        r = client.get(path, params={"q": '"unbalanced'})
        assert r.status_code == 400
        assert "Q060" in r.text
    bad_kind = client.get("/api/search", params={"kind": "rumour"})
    assert bad_kind.status_code == 400 and bad_kind.json()["ok"] is False


def test_web_errors_have_one_shape(client):
    for path in ("/api/articles/nope", "/api/speakers/999999", "/api/nothing-here"):
        r = client.get(path)
        assert r.status_code == 404 and set(r.json()) == {"ok", "status", "error"}
    assert client.get("/articles/nope").status_code == 404 and "Not found" in client.get("/articles/nope").text


def test_web_speaker_page_and_api(client):
    sid = client.get("/api/search", params={"speaker": "Holm"}).json()["statements"][0]["speaker_id"]
    data = client.get(f"/api/speakers/{sid}").json()
    assert data["speaker"]["name"] == "Anders Holm" and data["speaker"]["statements"] >= 8
    assert data["articles"] and all(g["statements"] for g in data["articles"])
    html = client.get(f"/speakers/{sid}").text
    assert "<svg" in html and "Anders Holm" in html and "Quoted by" in html


def test_web_article_page_marks_every_attribution_and_escapes_text(client):
    api = client.get("/api/articles/xss-article").json()["article"]
    html = client.get("/articles/xss-article").text
    assert "<script>window.__xss" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html
    assert html.count('tabindex="0"') == len(api["quotes"]) >= 2
    assert "Elena Marsh" in html


def test_web_openapi_lists_the_api_and_no_page_loads_from_elsewhere(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/speakers", "/api/speakers/{speaker_id}", "/api/articles/{article_id}"} <= set(spec["paths"])
    for path in ("/search?q=bridge", "/speakers"):
        html = client.get(path).text
        assert "http://" not in html.replace('href="http://', "") and "https://" not in html


def test_web_facet_counts_are_what_a_click_on_them_finds(tmp_path, monkeypatch):
    """More statements than the facets' sample, spread unevenly in time (one speaker quoted
    mostly long ago): each facet's count is the total its link gives, not a scaled estimate
    (the newcomer run's "about 97" against the command line's 82)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from quotewire.model import Article, Attribution, Span, Speaker
    from quotewire.store import StoreWriter, connect, queries
    from quotewire.store.writer import IngestReport
    from quotewire.web import create_app

    monkeypatch.setattr(queries, "FACET_SAMPLE", 40)
    arts = []
    for n in range(60):
        who = "Ann Reed" if (n < 40) == (n % 5 != 0) else "Bo Lind"  # Ann mostly in the older articles
        text = f"{who} said that quay {n} would open in May."
        arts.append(Article(text, id=f"q{n:03d}", outlet=("Herald", "Courier")[n % 2], published=f"2024-{1 + n // 6:02d}-01",
                            attributions=(Attribution("indirect", (Span(len(who) + 11, len(text) - 1),), (Span(len(who) + 1, len(who) + 5),),
                                                      (Span(0, len(who)),), Speaker(who)),)))
    conn = connect(tmp_path / "f.db")
    StoreWriter(conn).write(arts, IngestReport())
    conn.close()
    client = TestClient(create_app(str(tmp_path / "f.db")))
    for q in (None, "quay"):
        body = client.get("/api/search", params={"q": q} if q else {}).json()
        assert body["total"] == 60
        for name in ("kind", "outlet", "speaker"):
            for f in body["facets"][name]:
                clicked = client.get("/api/search", params={**({"q": q} if q else {}), name: f["value"]}).json()
                assert (f["count"], f["approximate"]) == (clicked["total"], False), (q, name, f)
        page = client.get("/search", params={"q": q} if q else {}).text
        assert "about" not in page.split('class="facets"')[1].split("</aside>")[0]


def test_web_search_words_that_name_a_speaker_link_what_they_said(client):
    body = client.get("/api/search", params={"q": "Marsh"}).json()
    assert [sp["name"] for sp in body["speakers_named"]] == ["Elena Marsh"] and body["speakers_named"][0]["statements"] >= 2
    assert body["speakers_named"][0]["url"] == "?speaker=Elena+Marsh"
    page = client.get("/search", params={"q": "Marsh"}).text
    assert 'id="speakers-named"' in page and 'href="?speaker=Elena+Marsh"' in page
    assert client.get("/api/search", params={"q": "Marsh", "speaker": "Marsh"}).json()["speakers_named"] == []


def test_web_search_count_has_thousands_separators(tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from quotewire.model import Article, Attribution, Span, Speaker
    from quotewire.store import StoreWriter, connect
    from quotewire.store.writer import IngestReport
    from quotewire.web import create_app

    text = "Ann Reed said that the quay would open in May."
    att = Attribution("indirect", (Span(19, len(text) - 1),), (Span(9, 13),), (Span(0, 8),), Speaker("Ann Reed"))
    conn = connect(tmp_path / "k.db")
    StoreWriter(conn).write([Article(text + f" ({n})", id=f"k{n}", attributions=(att,)) for n in range(1001)], IngestReport())
    conn.close()
    page = TestClient(create_app(str(tmp_path / "k.db"))).get("/search").text
    assert "1,001 statements" in page.split('id="result-count"')[1].split("</p>")[0]
