"""The command line: tables, JSON, batch JSON Lines with bad lines, eval, clear errors."""
from __future__ import annotations

import json
import pathlib

import pytest
from typer.testing import CliRunner

from quotewire.cli import app

ROOT = pathlib.Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "energy-summit.txt"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def test_cli_extract_prints_a_table(nlp):
    result = runner.invoke(app, ["extract", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "Anders Holm" in result.output and "direct" in result.output and "According to" in result.output


def test_cli_extract_json_is_the_full_record(nlp):
    result = runner.invoke(app, ["extract", str(SAMPLE), "--json"])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    text = record["text"]
    assert record["title"] == "Holm says Norway will double offshore wind by 2030"
    assert len(record["quotes"]) >= 10
    for q in record["quotes"]:
        s, e = q["content"][0]
        assert text[s:e] == q["content_text"].split(" … ")[0]
    assert any(sp["name"] == "Anders Holm" for sp in record["speakers"])


def test_cli_extract_jsonl_keeps_order_and_reports_bad_lines(tmp_path, nlp):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": '"We will win," the coach said.'}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "c", "title": "no text here"}) + "\n"
        + json.dumps({"id": "d", "text": "Officials said the road was closed.", "outlet": "Nordwire"}) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["extract", "--jsonl", str(src), "--quiet"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["a", None, "c", "d"]
    assert lines[0]["quotes"][0]["kind"] == "direct"
    assert "Q021" in lines[1]["error"] and "line 2" in lines[1]["error"]
    assert "Q020" in lines[2]["error"]
    assert lines[3]["outlet"] == "Nordwire" and lines[3]["quotes"][0]["speaker"] is None
    assert "2 record(s) failed" in result.stderr


def test_cli_extract_jsonl_with_two_processes_matches_one(tmp_path, nlp):
    src = tmp_path / "in.jsonl"
    rows = [{"id": str(i), "text": f'"Line {i} is here," the mayor said. Officials said {i} roads closed.'} for i in range(12)]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    one = runner.invoke(app, ["extract", "--jsonl", str(src), "-q"])
    two = runner.invoke(app, ["extract", "--jsonl", str(src), "-q", "--processes", "2", "--batch-size", "4"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_cli_non_utf8_file_is_one_clear_line(tmp_path):
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\xe9 owners said prices rose.".encode("latin-1"))
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code == 1
    assert "[Q022]" in result.stderr and "Traceback" not in result.output


def test_cli_missing_file_and_binary_file(tmp_path):
    assert "[Q024]" in runner.invoke(app, ["extract", str(tmp_path / "nope.txt")]).stderr
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02PK")
    result = runner.invoke(app, ["extract", str(binary)])
    assert result.exit_code == 1 and "[Q023]" in result.stderr


def test_cli_eval_scores_a_gold_file(tmp_path, nlp):
    text = '"We will reopen the bridge," the mayor said. Officials said the cost was rising.'
    gold = {"id": "g1", "text": text, "attributions": [
        {"kind": "direct", "content": [[0, 28]], "cue": [[39, 43]], "source": [[29, 38]], "speaker": None},
        {"kind": "indirect", "content": [[60, 79]], "cue": [[55, 59]], "source": [[45, 54]], "speaker": None},
    ]}
    assert [text[s:e] for s, e in ([0, 28], [29, 38], [60, 79])] == ['"We will reopen the bridge,"', "the mayor", "the cost was rising"]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path), "--json", "-q"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["gold"] == 2 and scores["articles"] == 1
    assert scores["content_overlap"]["recall"] == 1.0
    assert scores["source_exact_accuracy"] == 1.0 and scores["cue_exact_accuracy"] == 1.0


def test_cli_eval_bad_gold_is_a_clear_error(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "x", "text": "no attributions key"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 1 and "[Q030]" in result.stderr


def test_cli_info_names_the_model():
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0
    assert "en_core_web_sm" in result.stdout


def test_cli_extract_reads_html_pages_too(nlp):
    page = ROOT / "tests" / "fixtures" / "harbour-page.html"
    result = runner.invoke(app, ["extract", str(page), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["outlet"] == "Port Alden Courier" and record["place"] == "Port Alden"
    assert "Share this" not in record["text"]
    assert any(q["speaker"] == "Elena Marsh" and not q["source_text"].startswith("PORT ALDEN") for q in record["quotes"])
