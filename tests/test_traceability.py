"""Traceability and metadata (issue 13): every stored article keeps its address and one outlet
name; roles are titles or nothing; a speaker's identity and counts do not depend on the order
articles arrive in."""
from __future__ import annotations

import gzip
import json
import pathlib

import pytest

from quotewire.attribution.roles import clean_role, clean_roles
from quotewire.clean import load_outlet_aliases, names_site, outlet_of, site_name
from quotewire.errors import QuotewireError
from quotewire.model import Article, Attribution, Span, Speaker
from quotewire.pipeline import checked
from quotewire.settings import Settings
from quotewire.sources import read_file, read_sources
from quotewire.store import StoreWriter, connect
from quotewire.store import queries
from quotewire.store.writer import IngestReport

pytestmark = pytest.mark.issue(13)
FUNDUS = pathlib.Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "article-extraction" / "fundus-evaluation" / "html"

BODY = "<p>" + "The harbour board met on Tuesday and the vote on the new quay was put off until the spring. " * 3 + "</p>"


def page(head: str, body: str = BODY) -> bytes:
    return f"<!doctype html><html><head>{head}</head><body><article><h1>Quay vote put off again</h1>{body}</article></body></html>".encode()


# -- the address ----------------------------------------------------------------------------
def test_an_html_page_keeps_its_canonical_address_and_its_id_stays_the_text_hash(tmp_path):
    f = tmp_path / "quay.html"
    f.write_bytes(page('<title>Quay vote put off again | Harbour Herald</title>'
                       '<link rel="canonical" href="https://harbourherald.example/news/quay-vote">'
                       '<meta property="og:url" content="https://harbourherald.example/other">'))
    (article,) = read_file(f)
    assert article.url == "https://harbourherald.example/news/quay-vote"  # the canonical link first
    plain = tmp_path / "same.html"
    plain.write_bytes(page("<title>Quay vote put off again</title>"))
    (same,) = read_file(plain)
    assert same.url is None and same.id == article.id  # an address read off the page is not identity


def test_og_url_serves_when_there_is_no_canonical_link(tmp_path):
    f = tmp_path / "q.html"
    f.write_bytes(page('<meta property="og:url" content="https://harbourherald.example/news/q">'
                       '<meta property="og:url" content="relative/nonsense">'))
    (article,) = read_file(f)
    assert article.url == "https://harbourherald.example/news/q"


def test_a_jsonl_url_is_kept():
    import io

    rec = {"id": "j1", "url": "https://coast.example/a", "text": "Officials said the road was closed for repairs."}
    (article,) = read_sources(["-"], stdin=io.BytesIO(json.dumps(rec).encode()))
    assert article.url == "https://coast.example/a"


def _store(tmp_path, articles):
    conn = connect(tmp_path / "t.db")
    StoreWriter(conn).write(articles, IngestReport())
    return conn


def test_an_article_is_found_by_its_url_and_an_ambiguous_prefix_lists_the_candidates(tmp_path):
    a = Article("First text about the quay.", id="ab12", url="https://harbourherald.example/news/quay", title="Quay")
    b = Article("Second text about the quay.", id="ab34", url="https://harbourherald.example/news/dock", title="Dock")
    conn = _store(tmp_path, [a, b])
    assert queries.find_article_id(conn, "https://harbourherald.example/news/quay") == "ab12"
    assert queries.find_article_id(conn, "https://harbourherald.example/news/quay/") == "ab12"  # trailing slash
    assert queries.load_article(conn, "https://harbourherald.example/news/dock").id == "ab34"
    assert queries.find_article_id(conn, "ab3") == "ab34"
    with pytest.raises(QuotewireError) as exc:
        queries.load_article(conn, "ab")
    assert exc.value.code == "Q067" and "ab12" in str(exc.value) and "ab34" in str(exc.value)
    with pytest.raises(QuotewireError) as missing:
        queries.load_article(conn, "https://harbourherald.example/nothing")
    assert missing.value.code == "Q062"
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_url'").fetchone()  # migration 5


# -- the outlet -----------------------------------------------------------------------------
def test_a_tagline_is_not_an_outlet_name_but_the_site_name_is():
    url = "https://www.harbourherald.example/2024/quay"
    assert names_site("The Harbour Herald", url) and names_site("Harbour Herald", url)
    assert not names_site("Where the Tide Comes In", url)
    assert site_name(["Where the Tide Comes In", "The Harbour Herald"], url) == "The Harbour Herald"
    assert site_name(["Where the Tide Comes In"], url) == "harbourherald.example"  # then the host
    assert names_site("Los Angeles Times", "https://www.latimes.com/x") and names_site("Fox News", "https://www.foxnews.com/x")
    assert site_name([], None) is None


def test_a_subdomain_word_is_not_the_outlet_but_the_owner_domain_is():
    # og:site_name "Hosted" on hosted.ap.org spelled the subdomain, not the site's owner
    url = "https://hosted.harbourherald.example/gazette/article/1"
    assert not names_site("Hosted", url) and site_name(["Hosted"], url) == "hosted.harbourherald.example"
    assert names_site("Harbour Herald", url)
    assert names_site("HH Lakeside", "https://lakeside.hhlocal.example/x")  # a word tying it to the owner
    assert names_site("HarbourSportsTalk", "https://harboursportstalk.hhsports.example/x")  # a coinage of several words
    assert not names_site("Edition", "https://edition.herald.co.uk/x") and names_site("Herald", "https://edition.herald.co.uk/x")
    from quotewire.model import Article

    art = outlet_of(Article(id="a", text="x", url="https://hosted.ap.org/paper/article/1", outlet="hosted.ap.org"), load_outlet_aliases())
    assert art.outlet == "Associated Press"  # the host looked up by its parent domain
    assert site_name(["Harbour Herald | Your Tide, Your Town"], url) == "Harbour Herald"  # the name part of a tagged name
    assert site_name(["https://www.harbourherald.example"], url) == "harbourherald.example"  # an address is its host
    assert site_name(["harbourherald", "Harbour Herald"], url) == "Harbour Herald"  # a capitalised name over a bare word


def test_the_page_site_name_beats_a_tagline_from_the_extractor(tmp_path):
    f = tmp_path / "t.html"
    f.write_bytes(page('<title>Quay vote | Where the Tide Comes In</title><meta name="application-name" content="Where the Tide Comes In">'
                       '<meta property="og:site_name" content="Harbour Herald">'
                       '<link rel="canonical" href="https://harbourherald.example/quay">'))
    (article,) = read_file(f)
    assert article.outlet == "Harbour Herald"


def test_outlet_aliases_give_one_name_and_a_user_file_extends_them(tmp_path):
    shipped = load_outlet_aliases()
    ap = Article("x said y.", outlet="AP News", url="https://apnews.com/article/x")
    assert outlet_of(ap, shipped).outlet == "Associated Press"
    own = tmp_path / "aliases.json"
    own.write_text(json.dumps({"Harbour Herald Online": "Harbour Herald", "herald.example": "Harbour Herald"}))
    table = load_outlet_aliases(str(own))
    assert outlet_of(Article("t", outlet="harbour  herald online"), table).outlet == "Harbour Herald"
    assert outlet_of(Article("t", url="https://www.herald.example/a"), table).outlet == "Harbour Herald"  # host, mapped
    assert outlet_of(Article("t", url="https://coast.example/a"), table).outlet == "coast.example"  # never empty
    # the pipeline applies the user's table for every caller
    (named,) = checked([Article("Officials said the road was closed.", outlet="Harbour Herald Online")],
                       Settings(outlet_aliases=str(own)))
    assert named.outlet == "Harbour Herald"
    assert Settings.from_env({"QUOTEWIRE_OUTLET_ALIASES": str(own)}).outlet_aliases == str(own)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(QuotewireError):
        load_outlet_aliases(str(bad))


@pytest.mark.skipif(not FUNDUS.exists(), reason="needs ../shared/data/article-extraction")
def test_fundus_pages_have_an_address_and_a_name(tmp_path):
    """A few of the real pages (read from the shared data): an address, and a name, not a tagline."""
    names = {}
    for stem in ("APNews_0", "TheGatewayPundit_0", "FoxNews_0", "iNews_0"):
        (article,) = checked(read_file(FUNDUS / f"{stem}.html.gz"), Settings())
        assert article.url and article.url.startswith("https://")
        names[stem] = article.outlet
    assert names["APNews_0"] == "Associated Press" and names["TheGatewayPundit_0"] == "The Gateway Pundit"
    assert names["FoxNews_0"] == "Fox News" and names["iNews_0"]


# -- roles ----------------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["77", "ms.", "partner not", "cue cards in hand", "himself", "sixty three", "ky.",
                                 "d pasadena", "job prospects", "writer who helped with the show", "32 year old from a town",
                                 "man", "appointee of", "patient access"])
def test_junk_is_not_a_role(raw):
    assert clean_role(raw) is None


@pytest.mark.parametrize("raw,role", [("former president", "former president"), ("the coroner", "coroner"),
                                      ("former\nsenator", "former senator"), ("secretary of state", "secretary of state"),
                                      ("executive producer of the show", "executive producer of the show"),
                                      ("county supervisor", "county supervisor"), ("u.s. attorney", "u.s. attorney")])
def test_a_title_is_a_role(raw, role):
    assert clean_role(raw) == role


def test_a_list_of_roles_keeps_its_roles():
    assert clean_roles(["77, former president", "ms., partner not", "cue cards in hand, himself, sixty three"]) == ("former president",)


def test_extracted_speakers_carry_clean_roles(run):
    art = run('Former Mayor Ellen Voss, 77, said the quay would open in May.\n\n'
              '"We are ready," Voss said.')
    roles = {r for a in art.attributions if a.speaker for r in a.speaker.roles}
    assert "former mayor" in roles and all(clean_role(r) == r and "\n" not in r and not any(c.isdigit() for c in r) for r in roles)


# -- identity and counts --------------------------------------------------------------------
def _said(aid: str, name: str, outlet: str = "Herald") -> Article:
    text = f"{name} said the quay would open in May."
    return Article(text, id=aid, outlet=outlet, published="2024-05-01", attributions=(
        Attribution("indirect", (Span(len(name) + 6, len(text) - 1),), (Span(len(name) + 1, len(name) + 5),),
                    (Span(0, len(name)),), Speaker(name)),))


def _identities(conn) -> dict[str, frozenset[str]]:
    """Each speaker with statements: the set of article ids it speaks in."""
    rows = conn.execute("SELECT s.name, a.article_id FROM attributions a JOIN speakers s ON s.id = a.speaker_id").fetchall()
    out: dict[str, set[str]] = {}
    for name, aid in rows:
        out.setdefault(name, set()).add(aid)
    return {k: frozenset(v) for k, v in out.items()}


@pytest.mark.parametrize("names", [
    ("Barack Obama", "Obama"),
    ("Barack Obama", "Obama", "Michelle Obama"),
    ("Joe Biden", "Biden", "Hunter Biden", "Biden"),
])
def test_speaker_identity_does_not_depend_on_ingest_order(tmp_path, names):
    import itertools

    seen = set()
    for n, order in enumerate(itertools.permutations(range(len(names)))):
        for one_batch in (True, False):
            arts = [_said(f"a{i}", names[i]) for i in order]
            conn = connect(tmp_path / f"o{n}{one_batch}.db")
            w = StoreWriter(conn)
            if one_batch:
                w.write(arts, IngestReport())
            else:
                for a in arts:
                    w.write([a], IngestReport())
            seen.add(frozenset(_identities(conn).items()))
            conn.close()
    assert len(seen) == 1, seen
    (identity,) = seen
    people = dict(identity)
    if len({n for n in names if " " in n}) == 1:  # one full name: the bare surname is that person
        assert len(people) == 1
    else:  # two people of that surname: the bare surname stays apart
        assert len(people) == len(set(names))


def test_facet_counts_agree_with_the_speaker_page(tmp_path):
    arts = [_said("t1", "Donald Trump"), _said("t2", "Trump"), _said("t3", "Trump", "Coast"), _said("t4", "Mayor Lee")]
    conn = _store(tmp_path, arts)
    facets = queries.facets(conn, None)
    trump = [f for f in facets["speaker"] if "Trump" in f["value"]]
    assert len(trump) == 1 and trump[0]["value"] == "Donald Trump" and trump[0]["count"] == 3
    page = queries.speaker(conn, trump[0]["speaker_id"])
    assert page["statements"] == 3 == sum(o["statements"] for o in page["outlets"])
    shown = queries.search(conn, None, speaker="Trump")["statements"]
    assert {s["speaker"] for s in shown} == {"Donald Trump"} and len(shown) == 3
    # each statement still keeps the name its article gave
    assert {a.speaker.name for a in queries.load_article(conn, "t2").attributions} == {"Trump"}


# -- filters --------------------------------------------------------------------------------
def test_outlet_matches_like_speakers_and_a_bad_date_is_an_error(tmp_path):
    conn = _store(tmp_path, [_said("f1", "Ann Reed", "Fox News"), _said("f2", "Bo Lind", "Foxglove Weekly"), _said("f3", "Cy Moe", "Herald")])
    assert queries.search(conn, None, outlet="fox news")["total"] == 1
    assert queries.search(conn, None, outlet="fox")["total"] == 2  # part of the name, case-insensitive
    assert queries.search(conn, "quay", outlet="FOX")["total"] == 2
    assert queries.search(conn, None, outlet="nowhere")["total"] == 0
    assert queries.search(conn, None, since="2024-05")["total"] == 3
    for bad in ("2024-13-01", "garbage", "2024-02-30", "24-01-01"):
        with pytest.raises(QuotewireError) as exc:
            queries.search(conn, None, since=bad)
        assert exc.value.code == "Q066"
        with pytest.raises(QuotewireError):
            queries.facets(conn, None, until=bad)


# -- sidebars -------------------------------------------------------------------------------
SIDEBAR_PAGE = page(
    '<link rel="canonical" href="https://harbourherald.example/quay">',
    "".join(f"<p>The harbour board met on Tuesday and paragraph {n} of the story says the quay vote was put off.</p>" for n in range(6))
    + '<p>"We need more time," the harbour master, Ellen Voss, said on Tuesday.</p>'
    + "<h2>More from the Harbour Herald</h2>"
    + "".join(f'<p><a href="/t{n}">Mayor Says Ferry Fares Will Rise {n}</a> <span>Mayor Says Ferry Fares Will Rise {n}</span></p>'
              f"<p>Councillor Bo Lind said the ferry fares would rise by {n} percent next year.</p>" for n in range(4)),
)


def test_a_more_from_list_is_not_the_article_and_gives_no_attributions(tmp_path, run):
    from quotewire.clean import drop_sidebars

    assert drop_sidebars(["a", "b", "c", "d", "More from The Herald", "Teaser said x"]) == ["a", "b", "c", "d"]
    assert drop_sidebars(["Related", "a", "b", "c", "d"]) == ["Related", "a", "b", "c", "d"]  # near the top: kept
    assert drop_sidebars(["a", "Popular", "b", "Ferry Fares Will Rise Ferry Fares Will Rise"]) == ["a", "b"]
    f = tmp_path / "sidebar.html"
    f.write_bytes(SIDEBAR_PAGE)
    (article,) = read_file(f)
    assert "Ellen Voss" in article.text and "ferry" not in article.text.lower()
    done = run(article.text)
    assert done.attributions and not any("fares" in a.content_text(done.text) for a in done.attributions)


def test_the_name_of_an_identity_does_not_depend_on_order(tmp_path):
    from quotewire.store.writer import name_rank

    assert name_rank("Israel") < name_rank("the Israel") and name_rank("Joe Biden") < name_rank("joe biden")
    assert name_rank("Biden") < name_rank("BIDEN")
    for n, names in enumerate((["the Harbour Board", "Harbour Board"], ["Harbour Board", "the Harbour Board"])):
        arts = []
        for i, name in enumerate(names):
            text = f"{name} said the quay would open."
            arts.append(Article(text, id=f"h{i}", attributions=(Attribution(
                "indirect", (Span(len(name) + 6, len(text) - 1),), (Span(len(name) + 1, len(name) + 5),), (Span(0, len(name)),),
                Speaker(name, "organisation")),)))
        conn = connect(tmp_path / f"n{n}.db")
        StoreWriter(conn).write(arts, IngestReport())
        assert [r[0] for r in conn.execute("SELECT DISTINCT s.name FROM attributions a JOIN speakers s ON s.id = a.speaker_id")] == ["Harbour Board"]


def test_the_api_answers_a_bad_date_with_400_and_matches_outlets_by_part(tmp_path):
    import warnings

    from quotewire.web import create_app

    conn = _store(tmp_path, [_said("f1", "Ann Reed", "Fox News"), _said("f2", "Cy Moe", "Herald")])
    conn.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    client = TestClient(create_app(str(tmp_path / "t.db")))
    bad = client.get("/api/search", params={"q": "quay", "since": "garbage"})
    assert bad.status_code == 400 and "Q066" in bad.json()["error"]
    fox = client.get("/api/search", params={"q": "quay", "outlet": "fox"}).json()
    assert fox["total"] == 1 and fox["statements"][0]["outlet"] == "Fox News"


def test_a_person_whose_articles_were_replaced_away_no_longer_splits_a_surname(tmp_path):
    conn = connect(tmp_path / "r.db")
    w = StoreWriter(conn)
    w.write([_said("a1", "Barack Obama"), _said("a2", "Michelle Obama"), _said("a3", "Obama")], IngestReport())
    assert len(_identities(conn)) == 3
    w.write([Article("Michelle Obama's article now quotes no one.", id="a2")], IngestReport())  # changed: replaces a2
    w.write([_said("a4", "Obama")], IngestReport())
    assert _identities(conn) == {"Barack Obama": frozenset({"a1", "a3", "a4"})}
