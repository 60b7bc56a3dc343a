"""The command line piped (issue 13): one line a failure, whole tab-separated tables, a quiet
end when the reader stops, outlets matched like speakers, a bad date is exit 2, ambiguous ids
listed, `compare` in each outlet's own words."""
from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from quotewire.cli import app, failure_line
from quotewire.errors import QuotewireError
from quotewire.model import Article, Attribution, Failure, Span, Speaker
from quotewire.store import StoreWriter, connect
from quotewire.store.writer import IngestReport

pytestmark = pytest.mark.issue(13)
ROOT = pathlib.Path(__file__).resolve().parents[1]
runner = CliRunner()  # its output is not a terminal: what a pipe gets
LONG_CUE = "acknowledged somewhat reluctantly during the briefing"


def _said(aid: str, name: str, outlet: str, day: str = "2024-05-01", n: int = 0) -> Article:
    text = f"{name} {LONG_CUE} that the harbour quay number {n} would open in May after a long and costly delay."
    cue_end = len(name) + 1 + len(LONG_CUE)
    return Article(text, id=aid, outlet=outlet, published=day, title=f"Quay {n} opens", url=f"https://{outlet.replace(' ', '').lower()}.example/quay-{n}",
                   attributions=(Attribution("indirect", (Span(cue_end + 6, len(text) - 1),), (Span(len(name) + 1, cue_end),),
                                             (Span(0, len(name)),), Speaker(name)),))


@pytest.fixture()
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    path = tmp_path / "piped.db"
    conn = connect(path)
    arts = [_said(f"c{n:03d}", ("Ann Reed", "Bo Lind", "Cy Moe")[n % 3], ("Fox News", "Harbour Herald", "Coast Courier")[n % 3], n=n)
            for n in range(30)]
    StoreWriter(conn).write(arts, IngestReport())
    conn.close()
    monkeypatch.setenv("QUOTEWIRE_DB", str(path))
    return path


def test_failure_line_names_the_place_once():
    path = "/data/some/very/long/path/to/a/page-that-is-long.html"
    f = Failure(path, 0, QuotewireError("Q052", where=path, share=0.01))
    assert f.code == "Q052" and f.message.startswith("[Q052] ")
    assert failure_line(f) == f"{path}: [Q052] does not look like English (only 1% common English words); skipped."
    bad = Failure("a.jsonl", 3, QuotewireError("Q021", path="a.jsonl", line=3, reason="x"))
    assert failure_line(bad) == "a.jsonl:3: [Q021] a.jsonl, line 3: not valid JSON (x). Fix or remove that line."


def test_failure_code_is_data_not_read_from_the_text():
    # the code comes from the failure record: a reason that merely looks coded is left as it is,
    # and a record's code survives the row codec (the Spark job's failures table)
    from quotewire.rows import failure_from_row, failure_row

    plain = Failure("x.txt", 0, "[Q999] not a code, just words")
    assert plain.code is None and failure_line(plain) == "x.txt: [Q999] not a code, just words"
    coded = Failure("x.txt", 0, "no prefix here", code="Q077")
    assert failure_line(coded) == "x.txt: [Q077] no prefix here"
    again = failure_from_row(failure_row(Failure("w.warc", 2, QuotewireError("Q054", where="w.warc", record=2, reason="cut"))))
    assert again.code == "Q054" and failure_line(again).startswith("w.warc:2: [Q054] ")


def test_ingest_failures_piped_are_one_line_each(tmp_path, monkeypatch, nlp):
    monkeypatch.setenv("QUOTEWIRE_DB", str(tmp_path / "i.db"))
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "nested"
    deep.mkdir(parents=True)
    for n in range(2):
        (deep / f"broken-{n}.html").write_bytes(b"\x00\x01binary" * 10)
    (deep / "empty.txt").write_text("  \n")
    result = runner.invoke(app, ["ingest", str(deep), "-q"])
    assert result.exit_code == 1
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 3, result.stderr
    for line in lines:
        path, rest = line.split(": [Q", 1)
        assert path.startswith(str(deep)) and rest[:3].isdigit() and line.count(str(deep)) == 1 and len(line) > 80


def test_tables_piped_are_tab_separated_and_whole(db):
    result = runner.invoke(app, ["search", "quay", "-n", "5"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# ") and lines[1].split("\t")[:3] == ["speaker", "kind", "statement"]
    assert lines[1].split("\t") == ["speaker", "kind", "statement", "cue", "outlet · date", "article", "url"]
    rows = [x.split("\t") for x in lines[2:]]
    assert len(rows) == 5 and all(len(r) == 7 for r in rows)
    assert all(r[6] == f"https://{r[4].split(' 20')[0].replace(' ', '').lower()}.example/quay-{int(r[5][1:])}" for r in rows)  # its address
    assert all(r[3] == LONG_CUE and r[4].endswith("2024-05-01") for r in rows)  # nothing cut to a width
    assert all(r[2].startswith("the harbour quay number") and r[2].endswith("costly delay") for r in rows)  # the statement alone, its cue apart
    speakers = runner.invoke(app, ["speakers"]).stdout.splitlines()
    assert speakers[1].startswith("speaker\tkind\tstatements") and {r.split("\t")[0] for r in speakers[2:]} == {"Ann Reed", "Bo Lind", "Cy Moe"}


def test_outlet_part_of_the_name_and_bad_dates(db):
    fox = json.loads(runner.invoke(app, ["search", "quay", "--outlet", "fox", "--json"]).stdout)
    full = json.loads(runner.invoke(app, ["search", "quay", "--outlet", "Fox News", "--json"]).stdout)
    assert fox["total"] == full["total"] == 10
    assert [s["statement_id"] for s in fox["statements"]] == [s["statement_id"] for s in full["statements"]]
    for flag, value in (("--since", "2024-13-01"), ("--until", "garbage")):
        bad = runner.invoke(app, ["search", "quay", flag, value])
        assert bad.exit_code == 2 and "[Q066]" in bad.stderr and value in bad.stderr


def test_show_by_url_and_an_ambiguous_prefix(db):
    shown = runner.invoke(app, ["show", "https://foxnews.example/quay-3"])
    assert shown.exit_code == 0 and "Quay 3 opens" in shown.stdout and "https://foxnews.example/quay-3" in shown.stdout
    ambiguous = runner.invoke(app, ["show", "c00"])
    assert ambiguous.exit_code == 2 and "[Q067]" in ambiguous.stderr and "c001" in ambiguous.stderr and "c009" in ambiguous.stderr
    assert runner.invoke(app, ["show", "c007"]).exit_code == 0
    no_event = runner.invoke(app, ["compare", "https://foxnews.example/quay-3"])  # an article's URL names its event
    assert no_event.exit_code == 1 and "[Q064]" in no_event.stderr
    assert "[Q062]" in runner.invoke(app, ["compare", "https://nowhere.example/x"]).stderr


def test_show_piped_prints_the_title_once_and_no_colour_key(db, tmp_path):
    shown = runner.invoke(app, ["show", "c004"])
    assert shown.exit_code == 0 and shown.stdout.count("Quay 4 opens") == 1, shown.stdout
    assert "# 1 attribution\n" in shown.stdout and "green direct" not in shown.stdout  # no colours on a pipe: no key to them
    # a page's text that opens with its headline (most do): the headline once, the text after it whole
    said = _said("h001", "Ann Reed", "Fox News", n=9)
    headed = Article("Quay 9 opens\n\n" + said.text, id="h001", title="Quay 9 opens", outlet="Fox News", attributions=tuple(
        type(a)(a.kind, *[tuple(type(x)(x.start + 14, x.end + 14) for x in spans) for spans in (a.content, a.cue, a.source)], a.speaker)
        for a in said.attributions))
    conn = connect(tmp_path / "headed.db")
    StoreWriter(conn).write([headed], IngestReport())
    conn.close()
    shown = runner.invoke(app, ["show", "h001", "--db", str(tmp_path / "headed.db")])
    assert shown.exit_code == 0 and shown.stdout.count("Quay 9 opens") == 1 and said.text in shown.stdout, shown.stdout


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from quotewire.cli import main; main()", *args]


def test_export_into_a_closed_pipe_ends_quietly(tmp_path):
    path = tmp_path / "big.db"
    conn = connect(path)
    StoreWriter(conn).write([_said(f"b{n:05d}", "Ann Reed", "Fox News", n=n) for n in range(3000)], IngestReport())
    conn.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(_cli("export", "--format", "csv", "--db", str(path)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    _, stderr = proc.communicate(timeout=120)
    assert first.startswith(b"statement_id,")
    assert proc.returncode == 0 and b"Broken pipe" not in stderr and b"Traceback" not in stderr, stderr


def test_a_reader_that_stops_early_is_no_failure(tmp_path):
    # `quotewire show ID | head -2` exited 1: Rich met the closed pipe on its own path and
    # exited with status 1; a reader that stops early is no failure
    path = tmp_path / "long.db"
    conn = connect(path)
    text = "Ann Reed said the quay opens in May. " * 4000  # more than a pipe holds
    StoreWriter(conn).write([Article(text, id="long1", outlet="Fox News")], IngestReport())
    conn.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(_cli("show", "long1", "--db", str(path)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.readline()
    proc.stdout.close()
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0 and not stderr.strip(), stderr


def test_compare_piped_prints_each_outlets_own_words(tmp_path, monkeypatch, nlp):
    monkeypatch.setenv("QUOTEWIRE_DB", str(tmp_path / "ev.db"))
    events = ROOT / "tests" / "fixtures" / "coverage" / "events.jsonl"
    assert runner.invoke(app, ["ingest", str(events), "-q"]).exit_code == 0
    listed = runner.invoke(app, ["events", "--min-articles", "2"]).stdout.splitlines()
    assert listed[1].startswith("event\t")
    event = listed[2].split("\t")[0]
    result = runner.invoke(app, ["compare", event])
    assert result.exit_code == 0, result.output
    from quotewire.store import connect, queries

    conn = connect(tmp_path / "ev.db", readonly=True)
    member = conn.execute("SELECT article_id FROM event_articles WHERE event_id = ?", (int(event),)).fetchone()[0]
    assert runner.invoke(app, ["compare", member]).stdout == result.stdout  # an article names its event
    assert queries.event_of(conn, member) == int(event)
    texts = {json.loads(x)["id"]: json.loads(x)["text"] for x in events.read_text().splitlines() if x.strip()}
    rows = [x.split("\t") for x in result.stdout.splitlines() if "\t" in x and not x.startswith("outlet\t")]
    assert rows
    for outlet, relation, rendering in rows:
        # the reference's words an outlet left out are marked [-...-]; what it added, {+...+}
        words = " ".join(re.sub(r"\[-.*?-\]", " ", rendering).replace("{+", "").replace("+}", "").split())
        # the words shown are an outlet's own, found as they stand (capitals, punctuation) in its text
        assert any(words[:20] in " ".join(t.split()) for t in texts.values()), (outlet, rendering)
    shown = " ".join(r[2] for r in rows)
    assert any(c.isupper() for c in shown) and any(c in shown for c in ',."')


def test_a_terminal_keeps_rich_tables(db, monkeypatch):
    import io

    from rich.console import Console

    import quotewire.cli as cli

    screen = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=screen, force_terminal=True, width=100, highlight=False))
    result = runner.invoke(app, ["speakers"])
    assert result.exit_code == 0
    drawn = screen.getvalue()
    assert "Ann Reed" in drawn and "\t" not in drawn and any(ch in drawn for ch in "┃│━─")


def test_cli_and_web_agree_on_which_errors_are_the_users(db):
    """One list (errors.USER_ERRORS): what the web answers 400 the CLI exits 2 for; what is not
    in the store is a 404 and exit 1."""
    from fastapi.testclient import TestClient

    from quotewire.web import create_app

    client = TestClient(create_app(str(db)))
    asks = [  # (command line, API path, code)
        (["search", '"unbalanced'], "/api/search?q=%22unbalanced", "Q060"),
        (["search", "quay", "--since", "2024-13-01"], "/api/search?q=quay&since=2024-13-01", "Q066"),
        (["show", "c00"], "/api/articles/c00", "Q067"),
        (["show", "nope"], "/api/articles/nope", "Q062"),
    ]
    for args, path, code in asks:
        cli, web = runner.invoke(app, args), client.get(path)
        assert f"[{code}]" in cli.stderr and code in web.json()["error"], (args, path)
        assert (cli.exit_code, web.status_code) in ((2, 400), (1, 404)), (args, cli.exit_code, web.status_code)


def test_a_search_whose_words_name_a_speaker_points_at_what_they_said(db, monkeypatch):
    import io

    from rich.console import Console

    import quotewire.cli as cli
    from quotewire.store import connect, queries

    conn = connect(db, readonly=True)
    assert [(s["name"], s["statements"]) for s in queries.speakers_called(conn, "Reed")] == [("Ann Reed", 10)]
    assert queries.speakers_called(conn, "ann reed")[0]["name"] == "Ann Reed"
    assert queries.speakers_called(conn, "quay") == [] and queries.speakers_called(conn, '"Reed" OR x*') == []
    conn.close()
    screen = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=screen, force_terminal=True, width=200, highlight=False))
    assert runner.invoke(app, ["search", "Reed"]).exit_code == 0
    assert "Ann Reed, 10 statements (--speaker 'Ann Reed' lists what that one said" in screen.getvalue()
    runner.invoke(app, ["search", "Reed", "--speaker", "Bo"])
    assert screen.getvalue().count("names a speaker") == 1  # a speaker asked for already: no hint
