"""Search at archive size (issue #15): every query shape reads through an index and stops at
its page, rankings and facets agree with the plain full-sort query they replace, estimates say
so, and a store of the previous schema upgrades in place. No model: statements are generated."""
from __future__ import annotations

import random
import re
import sqlite3

import pytest

from quotewire.model import Article, Attribution, Span, Speaker
from quotewire.store import StoreWriter, connect, queries
from quotewire.store.writer import IngestReport
from quotewire.store.schema import MIGRATIONS

pytestmark = pytest.mark.issue(15)

WORDS = [f"w{i}" for i in range(300)]
OUTLETS = ["Alpha", "Beta", "Gamma", "Delta"]
SPEAKERS = [Speaker(f"Person {c}", "person", (f"Surname{c}",), ()) for c in "ABCDEFGHIJ"]


def articles(n_articles: int, seed: int = 3, start: int = 0) -> list[Article]:
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(WORDS))]
    out = []
    for a in range(start, start + n_articles):
        parts, atts, pos = [], [], 0
        for s in range(6):
            sentence = " ".join(rng.choices(WORDS, weights, k=rng.randint(5, 15)))
            quote = f'"{sentence}," she said.'
            atts.append(Attribution(("direct", "indirect", "mixed")[s % 3], (Span(pos, pos + len(sentence) + 3),),
                                    (Span(pos + len(quote) - 5, pos + len(quote) - 1),), (), rng.choice(SPEAKERS)))
            parts.append(quote)
            pos += len(quote) + 2
        day = f"20{rng.choice(['23', '24'])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append(Article(text="\n\n".join(parts), id=f"a{a}", outlet=rng.choice(OUTLETS), published=day, attributions=tuple(atts)))
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    conn = connect(tmp_path_factory.mktemp("scale") / "s.db")
    StoreWriter(conn).write(articles(500), IngestReport())  # 3,000 statements
    yield conn
    conn.close()


def naive(conn, query, **filters) -> list[int]:
    """The full sort the search replaces: every match joined, filtered and ordered by rank."""
    where, params = [], [query]
    for col, key in (("ar.outlet", "outlet"), ("a.kind", "kind")):
        if filters.get(key):
            where.append(f"{col} = ? COLLATE NOCASE")
            params.append(filters[key])
    if filters.get("since"):
        where.append("ar.published >= ?")
        params.append(filters["since"])
    if filters.get("speaker"):
        where.append("a.speaker_name LIKE ?")
        params.append(f"%{filters['speaker']}%")
    sql = ("SELECT a.id, bm25(attributions_fts), a.content_text FROM attributions_fts f JOIN attributions a ON a.id = f.rowid "
           "JOIN articles ar ON ar.id = a.article_id WHERE attributions_fts MATCH ?" + "".join(" AND " + w for w in where))
    # bm25, less its bonus for a statement shorter than the average (tokens: this store's words are \w+ runs)
    lengths = [len(re.findall(r"\w+", t)) for (t,) in conn.execute("SELECT content_text FROM attributions")]
    average, k1, b = sum(lengths) / len(lengths), 1.2, 0.75
    # compared to 9 significant digits (queries._RANK_DIGITS), as the store's ORDER BY does
    rank = {i: float("%.8e" % (score * min(1.0, (1 + k1 * (1 - b + b * len(re.findall(r"\w+", t)) / average)) / (1 + k1))))
            for i, score, t in conn.execute(sql, params)}
    return sorted(rank, key=lambda i: (rank[i], -i))


CASES = [
    ("text", "w0", {}),
    ("text", '"w1 w2"', {}),
    ("text", "w1*", {}),
    ("rows", "w3", {"kind": "direct"}),
    ("set", "w0", {"outlet": "beta", "since": "2024-01-01"}),
    ("probe", "w40", {"speaker": "Person C"}),
    ("set", "w0", {"speaker": "Person C", "kind": "mixed"}),
]


def forced(monkeypatch, shape):
    make = queries._Plan.make.__func__

    def make_forced(cls, conn, f):
        plan = make(cls, conn, f)
        if plan.shape not in ("filters", "text"):
            plan.shape = shape
        return plan

    monkeypatch.setattr(queries._Plan, "make", classmethod(make_forced))


@pytest.mark.parametrize("shape,query,filters", CASES)
def test_search_ranks_like_the_full_sort_when_the_window_holds_every_match(store, monkeypatch, shape, query, filters):
    forced(monkeypatch, shape)
    monkeypatch.setattr(queries, "RANK_WINDOW", 10_000)
    want = naive(store, query, **filters)
    assert want, "the case must match something"
    got = queries.search(store, query, limit=15, offset=5, **filters)
    assert [s["statement_id"] for s in got["statements"]] == want[5:20]
    assert got["total"] == len(want) and not got["total_approximate"]


@pytest.mark.parametrize("shape,query,filters", [c for c in CASES if c[0] != "probe"])
def test_search_past_the_window_ranks_the_newest_matches_and_estimates_the_total(store, monkeypatch, shape, query, filters):
    forced(monkeypatch, shape)
    monkeypatch.setattr(queries, "RANK_WINDOW", 40)
    every = naive(store, query, **filters)
    assert len(every) > 40
    window = set(sorted(every, reverse=True)[:40])
    got = queries.search(store, query, limit=10, **filters)
    assert [s["statement_id"] for s in got["statements"]] == [i for i in every if i in window][:10]
    assert got["total_approximate"] and 0.5 * len(every) <= got["total"] <= 2 * len(every)


def test_facets_are_exact_up_to_their_limit_and_name_their_sample_past_it(store, monkeypatch):
    want = dict(store.execute(
        "SELECT a.kind, count(*) FROM attributions_fts f JOIN attributions a ON a.id = f.rowid "
        "WHERE attributions_fts MATCH 'w0' GROUP BY a.kind").fetchall())
    monkeypatch.setattr(queries, "FACET_SAMPLE", 200)  # more match than the sample: counted all the same
    exact = queries.facets(store, "w0")
    assert sum(want.values()) > 200 and {f["value"]: f["count"] for f in exact["kind"]} == want
    assert not any(f["approximate"] or f["of_newest"] for f in exact["kind"])
    alpha = store.execute("SELECT count(*) FROM attributions a JOIN articles ar ON ar.id = a.article_id WHERE ar.outlet = 'Alpha'").fetchone()[0]
    listing = queries.facets(store, None, outlet="alpha")
    assert alpha > 200 and listing["outlet"] == [{"value": "Alpha", "count": alpha, "approximate": False, "of_newest": None}]
    monkeypatch.setattr(queries, "FACET_EXACT", 300)  # past the limit: the newest 200, named, never scaled
    about = queries.facets(store, "w0")
    newest = [r[0] for r in store.execute(
        "SELECT a.kind FROM attributions_fts f JOIN attributions a ON a.id = f.rowid WHERE attributions_fts MATCH 'w0' ORDER BY f.rowid DESC LIMIT 200")]
    assert {f["value"]: f["count"] for f in about["kind"]} == {k: newest.count(k) for k in set(newest)}
    assert all(f["approximate"] and f["of_newest"] == 200 for f in about["kind"])
    listing = queries.facets(store, None, outlet="alpha")
    assert listing["outlet"][0]["count"] == 200 and listing["outlet"][0]["of_newest"] == 200


def plans(conn, sql, params) -> list[str]:
    return [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


SHAPE_CASES = [
    # (shape, query, filters, index the filters must go through)
    ("filters", None, {"speaker": "SurnameC", "since": "2023-06-01"}, "attributions_speaker"),
    ("filters", None, {"outlet": "Beta", "since": "2024-01-01"}, "attributions_outlet"),
    ("filters", None, {"kind": "direct"}, "attributions_kind"),
    ("filters", None, {"since": "2024-01-01"}, "attributions_published"),
    ("filters", None, {}, "attributions_published"),
    ("text", "w0", {}, None),
    ("rows", "w3", {"kind": "direct"}, None),
    ("set", "w0", {"outlet": "Beta", "since": "2024-01-01"}, "attributions_outlet"),
    ("set", "w40", {"speaker": "SurnameC"}, "attributions_speaker"),
    ("probe", "w40", {"speaker": "SurnameC"}, "attributions_speaker"),
]


@pytest.mark.parametrize("shape,query,filters,index", SHAPE_CASES)
def test_every_query_shape_reads_through_indexes_and_stops_at_its_page(store, shape, query, filters, index):
    f = queries.Filters(query=query, **filters)
    where, params = f.where(store)
    plan = queries._Plan(f, where, params, shape)
    shapes = {"matches": plan.matches("1", 21), "facets": plan.matches("a.kind, a.outlet, a.speaker_name", 5001)}
    if query:
        shapes["ranked"] = plan.ranked(5, 20, 0)
    for name, (sql, p) in shapes.items():
        steps = plans(store, sql, p)
        text = " | ".join(steps)
        # never a walk of the statements table itself; never a table behind the text index's back
        assert not any(s.startswith("SCAN a") and "USING" not in s for s in steps), text
        if index:
            assert index in text, text
        if query:
            assert re.search(r"VIRTUAL TABLE INDEX \d+:\S*M", text), text  # the MATCH is in the text index
        if query and name != "ranked" and shape != "probe":
            assert "SCAN f VIRTUAL TABLE" in text and "ORDER BY" not in text, text  # newest first, no sort
        if name == "ranked":
            # the page by bm25: a bounded sorter fed from the rank window (a rowid range in the text index)
            assert "USE TEMP B-TREE FOR ORDER BY" in text, text
            if shape != "probe":
                assert "f.rowid >=" in sql
        if not query:
            assert "ORDER BY" not in text, text  # newest first straight from the index
        if shape == "set":
            assert "LIST SUBQUERY" in text, text  # the filter's ids, once, from their index
        if shape == "probe":
            assert text.index(index) < text.index("VIRTUAL TABLE"), text  # the filter leads
            assert ":=M" in text, text  # each of its statements probed by id in the text index


def test_plan_picks_a_shape_by_cost(store):
    def shape(query, **filters):
        f = queries.Filters(query=query, **filters)
        return queries._Plan.make(store, f).shape

    assert shape(None, outlet="Beta") == "filters"
    assert shape("w0") == "text"
    assert shape("w0", outlet="Beta", since="2024-01-01") in ("set", "probe")
    import quotewire.store.queries as q
    old = q.FILTER_SET_MAX
    q.FILTER_SET_MAX = 100
    try:
        assert shape("w3", kind="direct") == "rows"
    finally:
        q.FILTER_SET_MAX = old


def test_a_store_before_the_search_migration_upgrades_in_place(tmp_path):
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    for n, script in enumerate(MIGRATIONS[:3]):
        raw.executescript("BEGIN;" + script + f";PRAGMA user_version = {n + 1};COMMIT;")
    StoreWriter(raw).write(articles(20), IngestReport())
    raw.commit()
    before = raw.execute("SELECT count(*) FROM attributions").fetchone()[0]
    raw.close()

    conn = connect(path)  # migrates
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) >= 3
    assert conn.execute("SELECT count(*) FROM attributions").fetchone()[0] == before
    stale = conn.execute(
        "SELECT count(*) FROM attributions a JOIN articles ar ON ar.id = a.article_id "
        "WHERE a.outlet IS NOT ar.outlet OR a.published IS NOT ar.published").fetchone()[0]
    assert stale == 0
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"attributions_published", "attributions_outlet", "attributions_speaker", "attributions_kind"} <= names
    outlet = conn.execute("SELECT outlet FROM articles LIMIT 1").fetchone()[0]
    assert queries.search(conn, None, outlet=outlet.lower())["total"] > 0
    # new statements and changed articles keep their copies in step
    StoreWriter(conn).write(articles(3, seed=9, start=100), IngestReport())
    conn.execute("UPDATE articles SET outlet = 'Renamed', published = '2025-01-01' WHERE id = 'a0'")
    stale = conn.execute(
        "SELECT count(*) FROM attributions a JOIN articles ar ON ar.id = a.article_id "
        "WHERE a.outlet IS NOT ar.outlet OR a.published IS NOT ar.published").fetchone()[0]
    assert stale == 0
    assert queries.search(conn, None, outlet="renamed")["total"] == 6


def test_the_page_and_the_api_say_about_for_estimates(tmp_path, monkeypatch):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from quotewire.web import create_app

    path = tmp_path / "w.db"
    conn = connect(path)
    StoreWriter(conn).write(articles(100), IngestReport())
    conn.close()
    monkeypatch.setattr(queries, "RANK_WINDOW", 30)
    monkeypatch.setattr(queries, "FACET_SAMPLE", 30)
    monkeypatch.setattr(queries, "FACET_EXACT", 60)
    client = TestClient(create_app(str(path)))
    body = client.get("/api/search", params={"q": "w0"}).json()
    assert body["total_approximate"] and all(f["approximate"] and f["of_newest"] == 30 for f in body["facets"]["kind"])
    page = client.get("/search", params={"q": "w0"}).text
    assert f"about {body['total']}" in page and f"Counts of the newest 30 matches, of about {body['total']}" in page and 'class="count">about ' not in page
    exact = client.get("/search", params={"q": "w250"}).text  # a rare word: counted, not estimated
    assert "about" not in exact.split('id="result-count"')[1].split("</p>")[0] and "Counts of the newest" not in exact


def traced(conn, fn, *args, **kwargs):
    """fn's result and the SQL statements it ran (not the text index's own, which start "--")."""
    seen: list[str] = []
    conn.set_trace_callback(lambda sql: None if sql.startswith("--") else seen.append(sql))
    try:
        return fn(conn, *args, **kwargs), seen
    finally:
        conn.set_trace_callback(None)


@pytest.mark.parametrize("shape,query,filters", CASES + [("filters", None, {"outlet": "alpha"}), ("filters", None, {"kind": "direct"})])
@pytest.mark.parametrize("sample", [3_000, 200])
def test_search_page_is_search_and_facets_planned_and_walked_once(store, monkeypatch, shape, query, filters, sample):
    forced(monkeypatch, shape)
    monkeypatch.setattr(queries, "FACET_SAMPLE", sample)  # 200: the facets are counted by one aggregate
    alone, alone_sql = traced(store, queries.search, query, limit=10, offset=10, **filters)
    counted, facet_sql = traced(store, queries.facets, query, **filters)
    page, page_sql = traced(store, queries.search_page, query, limit=10, offset=10, **filters)
    assert page == {**alone, "facets": counted}
    # the plan (a filter's speakers and outlets, its size, the text's newest matches) and the
    # walk of the newest matches: once for the page, where search and facets each did them
    assert len(page_sql) < len(alone_sql) + len(facet_sql)
    for probe in ("FROM speaker_aliases", "FROM articles WHERE outlet LIKE", f"LIMIT {queries.FILTER_SET_MAX + 1}"):
        assert sum(probe in s for s in page_sql) == (sum(probe in s for s in alone_sql) > 0), probe
