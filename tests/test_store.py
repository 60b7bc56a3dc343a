"""The store (issue #3): schema, idempotent and resumable ingest, speakers across articles,
search with filters, exports, and a database that survives SIGKILL."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from quotewire.errors import QuotewireError
from quotewire.ingest import ingest
from quotewire.store import connect
from quotewire.store import queries
from quotewire.store.export import export

pytestmark = pytest.mark.issue(3)


def jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


TASS = {"id": "tass-1", "outlet": "TASS", "published": "2017-03-30", "text":
        "Putin says Russia wants good relations with US\n\n"
        "ARKHANGELSK, March 30. /TASS/. Russian President Vladimir Putin said on Thursday that Russia wants to build partner relations.\n\n"
        '"We hear these endless accusations about cybersecurity," the Russian leader said.'}
XINHUA = {"id": "xinhua-1", "outlet": "Xinhua", "published": "2017-03-31", "text":
          "Putin urges cooperation\n\nMOSCOW, March 31 (Xinhua) -- Putin said Russia had proposed an agreement on cybersecurity to Washington.\n\n"
          "Officials said the talks would resume in April."}


@pytest.fixture()
def db(tmp_path, nlp):
    conn = connect(tmp_path / "q.db")
    yield conn
    conn.close()


def test_store_schema_is_wal_with_foreign_keys_and_a_version(tmp_path):
    conn = connect(tmp_path / "s.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    conn.close()
    conn = connect(tmp_path / "s.db")  # reopening migrates nothing and loses nothing
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_store_refuses_files_that_are_not_ours(tmp_path):
    (tmp_path / "x.db").write_bytes(b"this is not sqlite at all, just text" * 100)
    with pytest.raises(QuotewireError, match="Q061"):
        connect(tmp_path / "x.db")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE invoices(id INTEGER)")
    other.commit()
    other.close()
    with pytest.raises(QuotewireError, match="Q061"):
        connect(tmp_path / "other.db")


def test_store_ingest_is_idempotent_and_replaces_changed_articles(db, tmp_path):
    src = jsonl(tmp_path / "in.jsonl", [TASS, XINHUA])
    first = ingest([src], db)
    assert (first.stored, first.unchanged, first.failed) == (2, 0, 0)
    n = db.execute("SELECT count(*) FROM attributions").fetchone()[0]
    again = ingest([src, src], db)
    assert (again.stored, again.replaced, again.unchanged) == (0, 0, 4)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM attributions").fetchone()[0] == n
    changed = dict(XINHUA, text=XINHUA["text"].replace("in April", "in May") + "\n\nLavrov said the door remained open.")
    third = ingest([jsonl(tmp_path / "in2.jsonl", [changed])], db)
    assert third.replaced == 1
    texts = [r[0] for r in db.execute("SELECT content_text FROM attributions WHERE article_id = 'xinhua-1'")]
    assert any("door remained open" in t for t in texts) and not any("April" in t for t in texts)
    # the full-text index follows the replacement
    assert queries.search(db, "April")["total"] == 0 and queries.search(db, "door")["total"] == 1


def test_store_speakers_are_one_identity_across_articles(db, tmp_path):
    ingest([jsonl(tmp_path / "in.jsonl", [TASS, XINHUA])], db)
    rows = queries.speakers(db)
    putin = [r for r in rows if r["name"] == "Vladimir Putin"]
    assert len(putin) == 1 and putin[0]["articles"] == 2 and putin[0]["outlets"] == 2
    assert "Putin" in putin[0]["aliases"] and any("president" in r for r in putin[0]["roles"])
    assert not any(r["name"] == "Putin" for r in rows)


def test_store_search_with_filters_and_pagination(db, tmp_path):
    ingest([jsonl(tmp_path / "in.jsonl", [TASS, XINHUA])], db)
    assert queries.search(db, "cybersecurity")["total"] == 2
    direct = queries.search(db, "cybersecurity", kind="direct")
    assert direct["total"] == 1 and direct["statements"][0]["outlet"] == "TASS"
    assert queries.search(db, "cybersecurity", outlet="xinhua")["total"] == 1
    assert queries.search(db, "cybersecurity", since="2017-03-31")["total"] == 1
    assert queries.search(db, "cybersecurity", speaker="Putin")["total"] == 2
    assert queries.search(db, None, speaker="nobody at all")["total"] == 0
    page = queries.search(db, None, limit=1, offset=1)
    assert page["total"] >= 3 and len(page["statements"]) == 1
    for bad in ['cyber"', "(cyber", "AND"]:
        with pytest.raises(QuotewireError, match="Q060"):
            queries.search(db, bad)


def test_store_article_round_trips_with_offsets(db, tmp_path):
    ingest([jsonl(tmp_path / "in.jsonl", [TASS])], db)
    art = queries.load_article(db, "tass")  # a unique id prefix
    assert art.text == TASS["text"] and art.place == "Arkhangelsk" and art.agency == "TASS"
    for a in art.attributions:
        assert a.content_text(art.text) in art.text
    with pytest.raises(QuotewireError, match="Q062"):
        queries.load_article(db, "no-such-article")


def test_store_exports_jsonl_csv_parquet(db, tmp_path):
    ingest([jsonl(tmp_path / "in.jsonl", [TASS, XINHUA])], db)
    n = db.execute("SELECT count(*) FROM attributions").fetchone()[0]
    buf = io.StringIO()
    assert export(db, "jsonl", buf) == 2
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert {r["id"] for r in records} == {"tass-1", "xinhua-1"} and all("quotes" in r for r in records)
    buf = io.StringIO()
    assert export(db, "csv", buf) == n
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == n and {"speaker", "content_text", "outlet"} <= set(rows[0])
    import pyarrow.parquet as pq

    path = tmp_path / "s.parquet"
    with open(path, "wb") as fh:
        assert export(db, "parquet", fh, str(path)) == n
    table = pq.read_table(path)
    assert table.num_rows == n and "content_text" in table.column_names
    with pytest.raises(QuotewireError, match="Q063"):
        export(db, "xml", io.StringIO())


def test_store_export_gives_the_merged_speaker_and_neutralises_formulas(db, tmp_path):
    # Xinhua writes "Putin"; the store merges him with TASS's "Vladimir Putin": the export says so
    hostile = dict(XINHUA, outlet="=HYPERLINK(\"http://x.test\",\"y\")", title="@SUM(1+1)")
    ingest([jsonl(tmp_path / "in.jsonl", [TASS, hostile])], db)
    buf = io.StringIO()
    export(db, "csv", buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    xinhua = [r for r in rows if r["article_id"] == "xinhua-1" and r["speaker_as_written"] == "Putin"]
    assert xinhua and all(r["speaker"] == "Vladimir Putin" and r["speaker_id"] for r in xinhua)
    assert len({r["speaker_id"] for r in rows if r["speaker"] == "Vladimir Putin"}) == 1
    # a cell a spreadsheet would run starts with a quote; the text after it is unchanged
    assert {r["outlet"] for r in rows if r["article_id"] == "xinhua-1"} == {"'" + hostile["outlet"]}
    assert {r["title"] for r in rows if r["article_id"] == "xinhua-1"} == {"'@SUM(1+1)"}
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values() if v)
    import pyarrow.parquet as pq  # Parquet is data, not a spreadsheet: kept as it was

    path = tmp_path / "s.parquet"
    with open(path, "wb") as fh:
        export(db, "parquet", fh, str(path))
    table = [r for r in pq.read_table(path).to_pylist() if r["article_id"] == "xinhua-1"]
    assert {r["outlet"] for r in table} == {hostile["outlet"]}
    assert all(r["speaker"] == "Vladimir Putin" for r in table if r["speaker_as_written"] == "Putin")


def test_store_non_english_and_empty_articles_are_reported_not_stored(db, tmp_path):
    german = {"id": "de", "text": "Der Bürgermeister sagte am Montag, dass die alte Hafenbrücke vor dem ersten Schnee wieder für den Verkehr geöffnet werde. Die Reparaturen seien dem Zeitplan voraus, erklärte sie vor dem Rathaus."}
    report = ingest([jsonl(tmp_path / "in.jsonl", [german, {"id": "blank", "text": "  \n "}, TASS])], db)
    # a page in another language is set aside (skipped), an empty one failed
    assert report.stored == 1 and report.failed == 1 and report.skipped == 1
    assert ["[Q052]" in f.message or "[Q057]" in f.message for f in report.failures] == [True, True]
    assert [f.stage == "skip" for f in report.failures if "[Q052]" in f.message] == [True]


KILL_SCRIPT = """
import sys
from quotewire.ingest import ingest
from quotewire.store import connect
conn = connect(sys.argv[1])
ingest([sys.argv[2]], conn, batch_size=8)
"""


@pytest.mark.slow
def test_store_survives_sigkill_mid_ingest_and_rerun_finishes(tmp_path, nlp):
    n = 240
    records = [{"id": f"a{i:04d}", "text": f'"Harbour bridge number {i} will reopen in the winter of {2000 + i}," the mayor said.'} for i in range(n)]
    src = jsonl(tmp_path / "many.jsonl", records)
    dbfile = tmp_path / "k.db"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(dbfile), src], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if dbfile.exists():
            try:
                probe = sqlite3.connect(f"file:{dbfile}?mode=ro", uri=True, timeout=1)
                stored = probe.execute("SELECT count(*) FROM articles").fetchone()[0]
                probe.close()
            except sqlite3.Error:
                continue
            if stored >= 16:
                break
    assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = connect(dbfile)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 16 <= articles < n
    # every stored article is whole: its one attribution came with it
    assert conn.execute("SELECT count(*) FROM attributions").fetchone()[0] == articles
    assert conn.execute("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM attributions)").fetchone()[0] == 0
    report = ingest([src], conn)
    assert report.unchanged == articles and report.stored == n - articles
    assert conn.execute("SELECT count(*) FROM attributions").fetchone()[0] == n
    assert conn.execute("SELECT count(*) FROM attributions_fts WHERE attributions_fts MATCH 'bridge'").fetchone()[0] == n


def _org_article(aid: str, name: str, aliases: tuple[str, ...]):
    from quotewire.model import Article, Attribution, Span, Speaker

    text = f"{name} said the ferries would run on time."
    n = len(name)
    return Article(text=text, id=aid, outlet=f"Outlet {aid}", published="2024-05-01", attributions=(
        Attribution("indirect", (Span(n + 6, len(text) - 1),), (Span(n + 1, n + 5),), (Span(0, n),), Speaker(name, "organisation", aliases, ())),))


def _identities(conn) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each article's statement: the name and the aliases of the identity it belongs to."""
    out = {}
    for aid, sid, name in conn.execute("SELECT a.article_id, s.id, s.name FROM attributions a JOIN speakers s ON s.id = a.speaker_id"):
        aliases = tuple(r[0] for r in conn.execute("SELECT alias FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias", (sid,)))
        out[aid] = (name, aliases)
    return out


def _stored_in_orders(tmp_path, articles, batched, read, shuffles):
    """read(conn) of a store written in several orders of ``articles``: as written, reversed and
    ``shuffles`` seeded shuffles; one batch a run, or one article a batch."""
    import random

    from quotewire.store import StoreWriter
    from quotewire.store.writer import IngestReport

    orders = [list(articles), list(reversed(articles))] + [random.Random(k).sample(articles, len(articles)) for k in range(shuffles)]
    out = []
    for n, order in enumerate(orders):
        conn = connect(tmp_path / f"o{n}.db")
        writer = StoreWriter(conn)
        for batch in ([order] if batched else [[a] for a in order]):
            writer.write(batch, IngestReport())
        out.append(read(conn))
        conn.close()
    return out


@pytest.mark.parametrize("batched", [False, True])
def test_store_organisation_identity_does_not_depend_on_ingest_order(tmp_path, batched):

    articles = [
        _org_article("long", "the National Transport Authority", ("NTA", "the National Transport Authority")),
        _org_article("short", "NTA", ("NTA",)),
        _org_article("again", "National Transport Authority", ("National Transport Authority",)),
        # the same letters for two bodies: "NTS" names neither of them
        _org_article("ships", "the National Tall Ships", ("NTS", "the National Tall Ships")),
        _org_article("survey", "the National Tree Survey", ("NTS", "the National Tree Survey")),
        _org_article("nts", "NTS", ("NTS",)),
        # two that list each other's names: one identity, the fuller name
        _org_article("mutual-1", "Harbour Board", ("Harbour Board", "the Port Elling Harbour Board")),
        _org_article("mutual-2", "Port Elling Harbour Board", ("Port Elling Harbour Board", "Harbour Board")),
    ]
    seen = _stored_in_orders(tmp_path, articles, batched, _identities, 40)
    assert len(seen) > 30 and all(s == seen[0] for s in seen)
    got = seen[0]
    assert got["long"] == got["short"] == got["again"] and got["long"][0] == "National Transport Authority"
    assert len({got["ships"][0], got["survey"][0], got["nts"][0]}) == 3
    assert got["mutual-1"] == got["mutual-2"] and got["mutual-1"][0] == "Port Elling Harbour Board"


def test_store_settling_organisations_queries_by_round_not_by_organisation(tmp_path):
    """The organisations of a batch are settled with a few queries a step of their chains,
    however many there are (it ran several queries for each organisation)."""
    from quotewire.store import StoreWriter
    from quotewire.store.writer import IngestReport

    def statements(n: int) -> int:
        conn = connect(tmp_path / f"orgs{n}.db")
        batch = [_org_article(f"o{i}", f"the Harbour Board {i}", (f"HB{i}", f"the Harbour Board {i}")) for i in range(n)]
        batch += [_org_article(f"s{i}", f"HB{i}", (f"HB{i}",)) for i in range(n)]
        seen: list[str] = []
        writer = StoreWriter(conn)
        settle = writer._settle_organisations

        def traced() -> None:
            conn.set_trace_callback(seen.append)
            try:
                settle()
            finally:
                conn.set_trace_callback(None)

        writer._settle_organisations = traced
        writer.write(batch, IngestReport())
        got = _identities(conn)
        assert all(got[f"s{i}"] == got[f"o{i}"] for i in range(n))  # each short name joined its body
        conn.close()
        return sum(sql.lstrip().upper().startswith("SELECT") for sql in seen)  # (the moves are one executemany)

    assert statements(40) == statements(5)


def _outlet_article(aid: str, outlet: str | None, url: str | None):
    from quotewire.model import Article, Attribution, Span, Speaker

    text = f"Ann Reed said the ferries of {aid} would run on time."
    return Article(text=text, id=aid, outlet=outlet, url=url, published="2024-05-01", attributions=(
        Attribution("indirect", (Span(14, len(text) - 1),), (Span(9, 13),), (Span(0, 8),), Speaker("Ann Reed", "person", (), ())),))


@pytest.mark.parametrize("batched", [False, True])
def test_store_one_outlet_is_one_name_whatever_the_order(tmp_path, batched):
    """Spellings of one outlet up to case are one name (the page's "PolitiFact", not a
    capitalised handle's "Politifact"); an article stored under its bare host ("nbcnews.com")
    takes the one name its host's other articles carry; a host with two names keeps its bare
    articles as they are. Statements follow their article, and no order of arrival changes it."""

    articles = [
        _outlet_article("nbc-1", "NBC News", "https://www.nbcnews.com/news/a-1"),
        _outlet_article("nbc-2", "nbcnews.com", "https://www.nbcnews.com/news/latino/b-2"),
        _outlet_article("pf-1", "PolitiFact", "https://www.politifact.com/truth-o-meter/c-3"),
        _outlet_article("pf-2", "Politifact", "https://www.politifact.com/west-virginia/d-4"),
        _outlet_article("pf-3", "politifact.com", "https://politifact.com/e-5"),
        _outlet_article("wire-1", "Reuters", "https://portal.example/f-6"),
        _outlet_article("wire-2", "Associated Press", "https://portal.example/g-7"),
        _outlet_article("wire-3", "portal.example", "https://portal.example/h-8"),
        _outlet_article("jp", "The Jerusalem post", None),
        _outlet_article("jp-2", "The Jerusalem Post", None),
    ]
    def outlets(conn) -> dict:
        got = dict(conn.execute("SELECT id, outlet FROM articles"))
        assert got == dict(conn.execute("SELECT article_id, outlet FROM attributions"))  # statements follow
        return got

    seen = _stored_in_orders(tmp_path, articles, batched, outlets, 36)
    assert len(seen) > 30 and all(s == seen[0] for s in seen)
    got = seen[0]
    assert got["nbc-1"] == got["nbc-2"] == "NBC News"
    assert got["pf-1"] == got["pf-2"] == got["pf-3"] == "PolitiFact"
    assert (got["wire-1"], got["wire-2"], got["wire-3"]) == ("Reuters", "Associated Press", "portal.example")
    assert got["jp"] == got["jp-2"] == "The Jerusalem Post"


def test_store_search_ranks_no_fragment_first_for_a_cue_word(tmp_path):
    """bm25 alone scored "she said" (a source and its verb, read as a statement) above a
    statement that tells twice what was said: a match in a statement shorter than the average
    now counts as one of average length, so how often the word is there decides."""
    from quotewire.model import Article, Attribution, Span, Speaker
    from quotewire.store import StoreWriter
    from quotewire.store.writer import IngestReport

    contents = ["she said",
                "that the harbour board said the ferries would run on time and said so twice more at the meeting"]
    contents += [f"the quay number {n} would open in the spring after the repairs to the old wall" for n in range(20)]
    articles = []
    for n, content in enumerate(contents):
        text = f"Ann Reed told reporters {content}."
        articles.append(Article(text=text, id=f"a{n}", outlet="Harbour Herald", published="2024-05-01", attributions=(
            Attribution("indirect", (Span(24, len(text) - 1),), (Span(9, 13),), (Span(0, 8),), Speaker("Ann Reed", "person", (), ())),)))
    conn = connect(tmp_path / "rank.db")
    StoreWriter(conn).write(articles, IngestReport())
    assert queries.average_tokens(conn) == pytest.approx(sum(len(c.split()) for c in contents) / len(contents))
    found = [s["content_text"] for s in queries.search(conn, "said")["statements"]]
    assert found == [contents[1], contents[0]]
    # by date, and for a word every statement holds, the order is as before: newest first
    assert [s["content_text"] for s in queries.search(conn, "said", sort="date")["statements"]] == [contents[1], contents[0]]


# -- speakers across articles: counts and names -------------------------------------------
def _quote(aid: str, name: str, outlet: str | None = "Herald", published: str | None = "2024-05-01", url: str | None = None):
    from quotewire.model import Article, Attribution, Span, Speaker

    text = f"{name} said the quay would open in May."
    return Article(text, id=aid, outlet=outlet, published=published, url=url, attributions=(
        Attribution("indirect", (Span(len(name) + 6, len(text) - 1),), (Span(len(name) + 1, len(name) + 5),),
                    (Span(0, len(name)),), Speaker(name)),))


def _written(tmp_path, batches, name="w.db"):
    from quotewire.store.writer import IngestReport, StoreWriter

    conn = connect(tmp_path / name)
    w = StoreWriter(conn)
    for batch in batches:
        w.write(batch, IngestReport())
    return conn


def test_store_an_article_of_no_known_outlet_counts_as_one_outlet(tmp_path):
    import warnings

    from quotewire.web import create_app

    conn = _written(tmp_path, [[_quote("u1", "Tom Stafford", outlet=None), _quote("u2", "Tom Stafford", outlet=None),
                                _quote("k1", "Ann Reed"), _quote("k2", "Ann Reed", outlet=None)]], "u.db")
    rows = {r["name"]: r for r in queries.speakers(conn)}
    assert (rows["Tom Stafford"]["articles"], rows["Tom Stafford"]["outlets"]) == (2, 1)  # was 0 outlets
    assert (rows["Ann Reed"]["articles"], rows["Ann Reed"]["outlets"]) == (2, 2)
    for r in rows.values():  # the count is the speaker page's list of outlets, "unknown outlet" one of them
        assert len(queries.speaker(conn, r["id"])["outlets"]) == r["outlets"]
    conn.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    client = TestClient(create_app(str(tmp_path / "u.db")))
    api = {r["name"]: r["outlets"] for r in client.get("/api/speakers").json()["speakers"]}
    assert api == {"Tom Stafford": 1, "Ann Reed": 2}
    page = client.get("/speakers").text
    assert "Tom Stafford" in page and ">0<" not in page.replace(" ", "")


def _people(conn) -> dict[str, frozenset[str]]:
    """Each speaker with statements: the set of article ids it speaks in."""
    out: dict[str, set[str]] = {}
    for name, aid in conn.execute("SELECT s.name, a.article_id FROM attributions a JOIN speakers s ON s.id = a.speaker_id"):
        out.setdefault(name, set()).add(aid)
    return {k: frozenset(v) for k, v in out.items()}


@pytest.mark.parametrize("quoted, people", [
    # the feather-duvet doctor of three outlets, four days apart, and his bare surname: one person
    ((("Owen Dempsey", "2019-11-18"), ("Owen John Dempsey", "2019-11-14"), ("Dempsey", "2019-11-18")), 1),
    ((("Sonya Zoghlin", "2019-11-19"), ("Sonya A. Zoghlin", "2019-11-18")), 1),
    ((("James Kennedy Jr.", "2019-11-18"), ("James P. Kennedy Jr.", "2019-11-19")), 1),
    # two fuller names the short one could be: it stays apart, and so do they ("W." is not "H. W.")
    ((("George Bush", "2004-06-01"), ("George W. Bush", "2004-06-02"), ("George H. W. Bush", "2004-06-03")), 3),
    # no evidence: years apart, or no date at all; another suffix is another person
    ((("George Bush", "1990-06-01"), ("George W. Bush", "2004-06-02")), 2),
    ((("Owen Dempsey", None), ("Owen John Dempsey", None)), 2),
    ((("James Kennedy", "2019-11-18"), ("James P. Kennedy Jr.", "2019-11-18")), 2),
])
def test_store_a_name_and_its_middle_names_are_one_person_only_with_evidence(tmp_path, quoted, people):
    import itertools

    seen = set()
    for n, order in enumerate(itertools.permutations(range(len(quoted)))):
        arts = [_quote(f"a{i}", quoted[i][0], outlet=f"Outlet {i}", published=quoted[i][1]) for i in order]
        for one_batch in (True, False):
            conn = _written(tmp_path, [arts] if one_batch else [[a] for a in arts], f"m{n}{one_batch}.db")
            seen.add(frozenset(_people(conn).items()))
            conn.close()
    assert len(seen) == 1, seen  # whatever the order and the batches
    (identity,) = seen
    assert len(identity) == people, identity
    if people == 1:  # under the fullest name
        assert dict(identity) == {max((q for q, _ in quoted), key=len): frozenset(f"a{i}" for i in range(len(quoted)))}


def test_store_a_middle_name_joins_when_one_article_names_both_and_parts_when_a_second_comes(tmp_path):
    from dataclasses import replace

    from quotewire.model import Speaker
    from quotewire.store.writer import IngestReport, StoreWriter

    one = _quote("a1", "Owen John Dempsey", published="2010-01-01")
    both = replace(one, attributions=(replace(one.attributions[0], speaker=Speaker("Owen John Dempsey", aliases=("Owen Dempsey", "Dempsey"))),))
    conn = _written(tmp_path, [[both], [_quote("a2", "Owen Dempsey", published="2020-01-01")], [_quote("a3", "Dempsey", published="2030-01-01")]])
    assert _people(conn) == {"Owen John Dempsey": frozenset({"a1", "a2", "a3"})}  # years apart, but named together
    # a second doctor of that first and last name: "Owen Dempsey" can be either, and parts, with "Dempsey"
    StoreWriter(conn).write([_quote("a4", "Owen Patrick Dempsey", published="2020-01-01")], IngestReport())
    assert _people(conn) == {"Owen John Dempsey": frozenset({"a1"}), "Owen Dempsey": frozenset({"a2"}),
                                 "Owen Patrick Dempsey": frozenset({"a4"}), "Dempsey": frozenset({"a3"})}


def test_store_outlet_names_are_the_same_when_a_replacement_comes_in_the_same_run_or_a_new_one(tmp_path):
    """What the writer keeps of outlet spellings and hosts in a run is forgotten for an article
    replaced: the deleted spelling won in the same run ("PolitiFact", no longer stored) and the
    other in a new one; a host's name that only the replaced article gave is taken back alike."""
    from quotewire.store import StoreWriter
    from quotewire.store.writer import IngestReport

    def changed(a):
        from dataclasses import replace

        return replace(a, text=a.text.replace("on time", "on time again"), attributions=())

    first = [_outlet_article("pf-1", "PolitiFact", "https://www.politifact.com/a-1"),
             _outlet_article("nbc-1", "NBC News", "https://www.nbcnews.com/b-1"),
             _outlet_article("nbc-2", "nbcnews.com", "https://www.nbcnews.com/b-2")]
    second = [changed(_outlet_article("pf-1", "Politifact", "https://www.politifact.com/a-1")),
              changed(_outlet_article("nbc-1", "Reuters", "https://portal.example/b-1"))]
    seen = []
    for fresh in (False, True):
        conn = connect(tmp_path / f"r{fresh}.db")
        writer = StoreWriter(conn)
        writer.write(first, IngestReport())
        if fresh:
            writer = StoreWriter(conn)
        writer.write(second, IngestReport())
        seen.append(dict(conn.execute("SELECT id, outlet FROM articles")))
        conn.close()
    assert seen[0] == seen[1]
    assert seen[0] == {"pf-1": "Politifact", "nbc-1": "Reuters", "nbc-2": "nbcnews.com"}


def test_store_a_hosts_bare_articles_move_in_one_statement_and_only_on_a_name_change(tmp_path):
    """The articles of a host read under its bare host take its one name: a batch moves its own
    new ones; all of them move (one UPDATE of their ids) only when the host's name changes. The
    writer did one UPDATE an article, and walked all of a host's bare articles every batch."""
    from quotewire.store import StoreWriter
    from quotewire.store.writer import IngestReport

    conn = connect(tmp_path / "bare.db")
    updates: list[str] = []

    class Counting:  # the writer's connection, counting the updates of articles it runs (executemany: one a row)
        def __getattr__(self, name):
            return getattr(conn, name)

        def __enter__(self):
            return conn.__enter__()

        def __exit__(self, *exc):
            return conn.__exit__(*exc)

        def execute(self, sql, params=()):
            if sql.lstrip().upper().startswith("UPDATE ARTICLES"):
                updates.append(sql)
            return conn.execute(sql, params)

        def executemany(self, sql, rows):
            rows = list(rows)
            if sql.lstrip().upper().startswith("UPDATE ARTICLES"):
                updates.extend(sql for _ in rows)
            return conn.executemany(sql, rows)

    writer = StoreWriter(Counting())
    host = "harbourherald.example"
    writer.write([_outlet_article("named-1", "Harbour Herald", f"https://{host}/n-1")], IngestReport())
    writer.write([_outlet_article(f"b{i}", host, f"https://{host}/b-{i}") for i in range(200)], IngestReport())
    assert len(updates) == 1 and {r[0] for r in conn.execute("SELECT outlet FROM articles")} == {"Harbour Herald"}
    updates.clear()
    writer.write([_outlet_article("b-late", host, f"https://{host}/b-late")], IngestReport())
    assert len(updates) == 1 and conn.execute("SELECT outlet FROM articles WHERE id = 'b-late'").fetchone()[0] == "Harbour Herald"
    updates.clear()
    # a second name on the host: every bare article gives the name back, in one statement
    writer.write([_outlet_article("named-2", "Lakeside Courier", f"https://{host}/n-2")], IngestReport())
    assert len(updates) == 1
    assert conn.execute("SELECT count(*) FROM articles WHERE outlet = ?", (host,)).fetchone()[0] == 201
    # as a new run reads it
    assert dict(conn.execute("SELECT id, outlet FROM articles")) == _rewritten(tmp_path, conn)
    conn.close()


def _rewritten(tmp_path, conn) -> dict:
    """The outlets a store gets from the same articles written in one batch."""
    from quotewire.store import StoreWriter
    from quotewire.store.writer import IngestReport

    other = connect(tmp_path / "again.db")
    rows = conn.execute("SELECT id, url, json_extract(provenance, '$.outlet_as_read'), outlet FROM articles").fetchall()
    StoreWriter(other).write([_outlet_article(aid, read or outlet, url) for aid, url, read, outlet in rows], IngestReport())
    got = dict(other.execute("SELECT id, outlet FROM articles"))
    other.close()
    return got


def test_store_one_url_host_and_a_named_provenance_key_for_the_host_an_outlet_was_read_as(tmp_path):
    """The readers, the cleaner and the store read an address's host by one public function
    (model.url_host: the store had its own copy, the HTML reader the cleaner's private one), and the
    provenance key the store writes a bare host under is named in the vocabulary (model.py)."""
    from quotewire import clean, model
    from quotewire.model import OUTLET_AS_READ
    from quotewire.sources import html
    from quotewire.store import StoreWriter, writer
    from quotewire.store.writer import IngestReport

    assert writer.url_host is clean.url_host is html.url_host is model.url_host
    assert clean.url_host("https://WWW.NBCNews.com/a") == "nbcnews.com" and clean.url_host("not a url") is None
    conn = connect(tmp_path / "key.db")
    StoreWriter(conn).write([_outlet_article("n1", "NBC News", "https://www.nbcnews.com/a"),
                             _outlet_article("n2", "nbcnews.com", "https://www.nbcnews.com/b")], IngestReport())
    outlet, provenance = conn.execute("SELECT outlet, provenance FROM articles WHERE id = 'n2'").fetchone()
    assert outlet == "NBC News" and json.loads(provenance)[OUTLET_AS_READ] == "nbcnews.com"
    conn.close()


def test_store_search_by_relevance_holds_for_a_word_in_over_half_the_statements(tmp_path):
    """FTS5 gives a word in over half the statements a tiny weight (bm25 ~1e-6): rounded to six
    decimal places every match tied and relevance became newest first; compared by significant
    digits, the statement that holds the word twice still comes first."""
    from quotewire.model import Article, Attribution, Span, Speaker
    from quotewire.store import StoreWriter
    from quotewire.store.writer import IngestReport

    contents = ["the ferry and the ferry number two would run on the new timetable from the spring"]
    contents += [f"the ferry number {n} would run on the new timetable from the spring tides" for n in range(20)]
    contents += [f"the quay number {n} would open after the repairs to the old harbour wall" for n in range(5)]
    articles = []
    for n, content in enumerate(contents):
        text = f"Ann Reed told reporters {content}."
        articles.append(Article(text=text, id=f"a{n}", outlet="Harbour Herald", published="2024-05-01", attributions=(
            Attribution("indirect", (Span(24, len(text) - 1),), (Span(9, 13),), (Span(0, 8),), Speaker("Ann Reed", "person", (), ())),)))
    conn = connect(tmp_path / "common.db")
    StoreWriter(conn).write(articles, IngestReport())
    found = queries.search(conn, "ferry")
    assert found["total"] == 21 and found["statements"][0]["content_text"] == contents[0]
    conn.close()


def test_store_an_outlet_named_whole_matches_only_itself(tmp_path):
    # the facet link of inews.co.uk's outlet "i" matched every outlet with an i in its name
    conn = _written(tmp_path, [[_quote("a1", "Ann Reed", outlet="i"), _quote("a2", "Ann Reed", outlet="The Intercept"),
                                _quote("a3", "Ann Reed", outlet="Fox News")]], "o.db")
    assert queries.outlets_matching(conn, "i") == ["i"]
    assert queries.outlets_matching(conn, "I") == ["i"]
    assert queries.outlets_matching(conn, "fox") == ["Fox News"]  # a part of a name still finds it
    assert sorted(queries.outlets_matching(conn, "e")) == ["Fox News", "The Intercept"]
