"""The store commands (issue #3): ingest, search, speakers, show, export, with clear failures."""
from __future__ import annotations

import json
import pathlib

import pytest
from typer.testing import CliRunner

from quotewire.cli import app

pytestmark = pytest.mark.issue(3)
ROOT = pathlib.Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("QUOTEWIRE_DB", str(tmp_path / "cli.db"))


def test_cli_store_ingest_search_speakers_show_export(tmp_path, nlp):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["ingest", str(ROOT / "samples"), str(ROOT / "tests" / "fixtures" / "harbour-page.html"), str(bad), "-q"])
    assert result.exit_code == 1, result.output  # one input failed, the rest is stored
    assert "[Q023]" in result.stderr and "4 new" in result.stdout
    again = runner.invoke(app, ["ingest", str(ROOT / "samples"), "-q", "--json"])
    assert again.exit_code == 0 and json.loads(again.stdout)["unchanged"] == 3

    found = runner.invoke(app, ["search", "bridge", "--speaker", "Marsh", "--json"])
    assert found.exit_code == 0
    hits = json.loads(found.stdout)
    assert hits["total"] >= 2 and all(h["speaker"] == "Elena Marsh" for h in hits["statements"])
    table = runner.invoke(app, ["search", "repairs", "--kind", "direct"])
    assert table.exit_code == 0 and "Elena Marsh" in table.stdout

    malformed = runner.invoke(app, ["search", '"unbalanced'])
    assert malformed.exit_code == 2 and "[Q060]" in malformed.stderr and "Traceback" not in malformed.output

    top = runner.invoke(app, ["speakers", "--top", "3", "--json"])
    names = [r["name"] for r in json.loads(top.stdout)]
    assert names[0] == "Anders Holm" and "Elena Marsh" in names

    article_id = hits["statements"][0]["article_id"]
    shown = runner.invoke(app, ["show", article_id[:10]])
    assert shown.exit_code == 0 and "Elena Marsh" in shown.stdout and "Port Alden" in shown.stdout
    assert runner.invoke(app, ["show", "nope"]).exit_code == 1

    out = tmp_path / "all.csv"
    exported = runner.invoke(app, ["export", "--format", "csv", "--out", str(out)])
    assert exported.exit_code == 0 and out.read_text().count("\n") > 20
    assert runner.invoke(app, ["export", "--format", "parquet"]).exit_code != 0  # needs --out


def test_cli_store_read_commands_on_a_missing_database(tmp_path):
    result = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "[Q061]" in result.stderr


NEWS = ("Harbour bridge to reopen in May\n\n"
        "The mayor of Port Elling, Ida Brandt, said on Monday that the old harbour bridge would reopen to traffic in May. "
        "\"The repairs are ahead of schedule,\" Brandt told reporters outside the town hall.\n")


def test_cli_store_ingest_sets_aside_a_folders_papers(tmp_path, nlp):
    """A folder's README, licence, changelog, documents (code blocks, tables), data tables and
    scripts are not news:
    one [Q088] line each, counted as skipped, not failed; the news beside them is stored."""
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "harbour.txt").write_text(NEWS)
    (folder / "history.txt").write_text(NEWS.replace("May", "June"))  # a news file may be called that
    (folder / "ferry.md").write_text("## Ferries\n\n" + NEWS.replace("bridge", "ferry"))  # news in Markdown, a subhead
    (folder / "README.md").write_text("This folder holds the articles we collected for the harbour project. "
                                      "Each file is one article; the editor said more would follow.\n")
    (folder / "LICENSE").write_text("Permission is hereby granted, free of charge, to any person obtaining a copy "
                                    "of these files, to deal in them without restriction.\n")
    (folder / "CHANGELOG.md").write_text("Added the harbour articles. The maintainer said the feed is complete.\n")
    (folder / "usage.md").write_text("To read the feed, the guide said, run this:\n\n```\nquotewire ingest feed/\n```\n")
    (folder / "counts.md").write_text("The counts, the clerk said, are these.\n\n| outlet | articles |\n|---|---|\n| Herald | 3 |\n")
    (folder / "scores.tsv").write_text("outlet\tsaid\tquotes\nHerald\t3\t4\nCourier\t2\t5\nTide Times\t1\t1\n")
    (folder / "fetch").write_text("#!/bin/sh\n# the editor said to run this each morning\ncurl -o feed.txt https://example.org/feed\n")
    result = runner.invoke(app, ["ingest", str(folder), "-q", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["stored"], report["failed"], report["skipped"]) == (3, 0, 7)
    skipped = sorted(f["where"].rsplit("/", 1)[-1] for f in report["failures"] if f["stage"] == "skip")
    assert skipped == ["CHANGELOG.md", "LICENSE", "README.md", "counts.md", "fetch", "scores.tsv", "usage.md"]
    assert all(f["code"] == "Q088" for f in report["failures"])
    lines = runner.invoke(app, ["ingest", str(folder), "-q"]).stderr.splitlines()
    assert len([x for x in lines if "[Q088]" in x]) == 7
    # named itself, a README is read: the user asked for it
    assert json.loads(runner.invoke(app, ["ingest", str(folder / "README.md"), "-q", "--json"]).stdout)["stored"] == 1


def test_cli_store_an_unknown_extractor_is_one_line_before_anything_is_read(tmp_path, monkeypatch, nlp):
    folder = tmp_path / "feed"
    folder.mkdir()
    for n in range(3):
        (folder / f"story{n}.txt").write_text(NEWS.replace("Monday", f"day {n}"))
    monkeypatch.setenv("QUOTEWIRE_EXTRACTORS", "rules.v1,rules.v9")
    for command in (["ingest", str(folder), "-q"], ["extract", str(folder / "story0.txt")]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and "[Q040]" in lines[0] and "'rules.v9'" in lines[0] and "rules.v1" in lines[0], lines
    monkeypatch.setenv("QUOTEWIRE_EXTRACTORS", "rules.v1")
    assert runner.invoke(app, ["ingest", str(folder), "-q"]).exit_code == 0


@pytest.mark.parametrize("broken", ["missing", "corrupt"])
def test_cli_store_a_missing_or_corrupt_tagger_is_one_line_before_anything_is_read(tmp_path, monkeypatch, nlp, broken):
    """With an extractor that reads the tagger, its model missing (Q080) or unreadable (Q081) is
    one line up front and exit status 2, not a Q070 failure for each article; the store stays empty."""
    from quotewire.attribution import tagger as tagger_mod

    folder = tmp_path / "feed"
    folder.mkdir()
    for n in range(3):
        (folder / f"story{n}.txt").write_text(NEWS.replace("Monday", f"day {n}"))
    model = tmp_path / "model"
    model.mkdir()
    if broken == "corrupt":
        shipped = tagger_mod._model_path()
        for name in ("config.json", *[p.name for p in shipped.iterdir() if p.name.endswith(".npz")]):
            (model / name).write_bytes(shipped.joinpath(name).read_bytes())
        (model / "model.bin").write_bytes(b"not a model")
    monkeypatch.setattr(tagger_mod, "_model_path", lambda: model)
    tagger_mod.load_tagger.cache_clear()
    monkeypatch.setenv("QUOTEWIRE_EXTRACTORS", "hybrid.v1")
    code = "[Q080]" if broken == "missing" else "[Q081]"
    try:
        for command in (["ingest", str(folder), "-q"], ["extract", str(folder / "story0.txt")], ["extract", "--jsonl", str(tmp_path / "none.jsonl")]):
            result = runner.invoke(app, command)
            assert result.exit_code == 2, result.output
            lines = result.stderr.splitlines()
            assert len(lines) == 1 and code in lines[0] and "Q070" not in lines[0], lines
        assert not (tmp_path / "cli.db").exists() or json.loads(runner.invoke(app, ["search", "--json"]).stdout)["total"] == 0
        monkeypatch.setenv("QUOTEWIRE_EXTRACTORS", "rules.v1")  # the rules alone need no tagger
        assert runner.invoke(app, ["ingest", str(folder), "-q"]).exit_code == 0
    finally:
        tagger_mod.load_tagger.cache_clear()


def test_every_way_in_that_extracts_checks_the_tagger_up_front(tmp_path, monkeypatch, capsys):
    """Settings.checked() is the one up-front check: the library's ingest and the Spark driver
    (run, and its spark-submit main with exit status 2) meet a missing tagger model as [Q080]
    before they read an input or start Spark, as the CLI does."""
    from quotewire.attribution import tagger as tagger_mod
    from quotewire.errors import QuotewireError
    from quotewire.ingest import ingest
    from quotewire.scale import spark
    from quotewire.settings import Settings
    from quotewire.store import connect

    monkeypatch.setattr(tagger_mod, "_model_path", lambda: tmp_path / "no-model")
    tagger_mod.load_tagger.cache_clear()
    monkeypatch.setenv("QUOTEWIRE_EXTRACTORS", "hybrid.v1")
    try:
        with pytest.raises(QuotewireError) as exc:
            Settings.from_env().checked()
        assert exc.value.code == "Q080"
        assert Settings.from_env().checked(extracting=False).extractors == ("hybrid.v1",)  # scoring a file given reads no model
        conn = connect(tmp_path / "lib.db")
        with pytest.raises(QuotewireError) as exc:
            ingest([str(tmp_path / "not-read.txt")], conn)  # a missing input would be Q0xx per file: never reached
        assert exc.value.code == "Q080" and conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        with pytest.raises(QuotewireError) as exc:
            spark.run(str(tmp_path / "no-list.txt"), str(tmp_path / "out"))
        assert exc.value.code == "Q080" and not (tmp_path / "out").exists()
        with pytest.raises(SystemExit) as done:
            spark.main([str(tmp_path / "no-list.txt"), str(tmp_path / "out")])
        lines = capsys.readouterr().err.splitlines()
        assert done.value.code == 2 and len(lines) == 1 and "[Q080]" in lines[0]
    finally:
        tagger_mod.load_tagger.cache_clear()
