"""The pipeline (issue 9): one stream, failures as values, one clear line for the user."""
from __future__ import annotations

import pathlib

import pytest
from typer.testing import CliRunner

from quotewire import pipeline
from quotewire.cli import app
from quotewire.model import Article, Failure
from quotewire.settings import Settings

pytestmark = pytest.mark.issue(9)
ROOT = pathlib.Path(__file__).resolve().parents[1]
SAMPLES = sorted(str(p) for p in (ROOT / "samples").glob("*.txt"))


@pytest.fixture()
def breaks_on_storms(monkeypatch):
    real = pipeline.extract

    def extract(doc, extractors, datelines=()):
        if "storm" in doc.text.lower():
            raise ValueError("a parse the sieves cannot read\nsecond line of detail")
        return real(doc, extractors, datelines)

    monkeypatch.setattr(pipeline, "extract", extract)


def test_pipeline_extraction_failure_is_one_coded_line_and_the_run_goes_on(nlp, breaks_on_storms, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["extract", *SAMPLES, "--json"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    failed = [line for line in result.stderr.splitlines() if "Q070" in line]
    assert len(failed) == 1 and "storm-warning.txt" in failed[0] and "ValueError" in failed[0]
    assert "second line" not in result.stderr
    assert result.stdout.count('"quotes"') == len(SAMPLES) - 1


def test_pipeline_process_keeps_order_and_reports_by_stage(nlp, breaks_on_storms, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    out = list(pipeline.process([SAMPLES[0], str(tmp_path / "missing.txt"), str(empty), SAMPLES[-1]], Settings()))
    assert isinstance(out[0], Article) and out[0].attributions
    assert [type(x) for x in out[1:]] == [Failure, Failure, Failure]
    assert [x.stage for x in out[1:]] == ["read", "read", "extract"]
    assert "[Q024]" in out[1].message and "[Q057]" in out[2].message and "[Q070]" in out[3].message


def test_pipeline_datelines_are_marked_by_the_cleaner_and_kept_out_of_content(nlp, tmp_path):
    from quotewire.clean import dateline_spans
    from quotewire.sources import read_sources

    text = ("Council delays vote\n\nPORT ALDEN, Oct. 6 (Courier) - The council will not vote this year, "
            "Mayor Ida Brandt said on Monday.\n\nLONDON (Wire) - Officials said the port would stay open.")
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    article = next(iter(read_sources([str(path)])))
    marked = [article.text[s.start:s.end].strip() for s in article.datelines]
    assert marked == ["PORT ALDEN, Oct. 6 (Courier) -", "LONDON (Wire) -"]
    assert article.datelines == dateline_spans(article.text)
    done = next(pipeline.annotate_many([article], Settings()))
    assert done.attributions
    for a in done.attributions:
        for s in a.content + a.source:
            assert not any(d.start <= s.start < d.end for d in article.datelines), a
