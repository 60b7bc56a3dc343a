"""The Spark job (issue #6) in local mode on small WARC files written here: its output holds
the same attributions as a local ingest of the same input, failures are counted and kept,
and `load` brings it into a store."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from test_sources import FIX, _warc_bytes

pytestmark = [pytest.mark.issue(6), pytest.mark.spark, pytest.mark.slow]

if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)


@pytest.fixture(scope="module")
def warcs(tmp_path_factory):
    d = tmp_path_factory.mktemp("warcs")
    page = (FIX / "harbour-page.html").read_bytes()
    summit = (d / "summit.html")
    energy = (FIX.parent.parent / "samples" / "energy-summit.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in energy.split("\n\n")[1:])
    summit_page = f"<html><head><title>Holm says Norway will double offshore wind</title><meta property='article:published_time' content='2025-05-04'></head><body><article><h1>Holm says Norway will double offshore wind</h1>{paragraphs}</article></body></html>".encode()
    (d / "one.warc.gz").write_bytes(_warc_bytes([
        ("https://courier.example/bridge", "text/html", page),
        ("https://nordwire.example/summit", "text/html", summit_page),
    ]))
    full = _warc_bytes([("https://courier.example/bridge-2", "text/html", page.replace(b"Tom Okafor", b"Tom Okoro")),
                        ("https://courier.example/bridge-3", "text/html", page * 2)])
    (d / "two.warc.gz").write_bytes(full[:-500])  # truncated inside its second record
    listing = d / "warcs.txt"
    listing.write_text(f"{d / 'one.warc.gz'}\n{d / 'two.warc.gz'}\n", encoding="utf-8")
    return d, listing


@pytest.fixture(scope="module")
def spark_out(warcs, tmp_path_factory, nlp):
    from quotewire.scale.spark import run

    out = tmp_path_factory.mktemp("spark") / "out"
    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    result = run(str(warcs[1]), str(out), "local[2]")
    return out, result


def _key_rows(conn):
    return sorted(
        (r[0], r[1], r[2], r[3], r[4])
        for r in conn.execute(
            "SELECT ar.url, a.kind, a.content, a.cue, coalesce(a.speaker_name, '') FROM attributions a JOIN articles ar ON ar.id = a.article_id"
        )
    )


def test_spark_counts_and_tables(spark_out):
    out, result = spark_out
    assert result["processed"] == 3 and result["failed"] == 1 and result["statements"] > 10
    assert (out / "articles").is_dir() and any(p.name.startswith("month=2025-") for p in (out / "articles").iterdir())
    meta = json.loads((out / "_quotewire.json").read_text())
    assert meta["tables"]["failures"] == 1


def test_spark_output_equals_local_ingest(spark_out, warcs, tmp_path):
    from quotewire.scale.load import failures_from, load
    from quotewire.ingest import ingest
    from quotewire.store import connect

    out, _ = spark_out
    local = connect(tmp_path / "local.db")
    report = ingest([str(warcs[0] / "one.warc.gz"), str(warcs[0] / "two.warc.gz")], local)
    assert report.stored == 3 and report.failed == 1
    loaded = connect(tmp_path / "loaded.db")
    loaded_report = load(out, loaded)
    assert loaded_report.stored == 3
    assert _key_rows(local) == _key_rows(loaded)
    assert ["[Q054]" in f.message for f in failures_from(out)] == [True]
    # speakers merged across partitions: one Elena Marsh, whatever partition saw her
    assert loaded.execute("SELECT count(*) FROM speakers WHERE name = 'Elena Marsh'").fetchone()[0] == 1
