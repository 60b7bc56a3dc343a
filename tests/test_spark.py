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


SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def _venv(where, quotewire_src: str | None):
    """A fresh virtual environment whose interpreter sees the system's packages (pyspark,
    spaCy, the model) as a plain path, so their .pth files, the editable install of quotewire
    among them, are not processed: quotewire imports there only from ``quotewire_src``."""
    import subprocess
    import sysconfig

    subprocess.run([os.sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(site, "system-packages.pth"), "w", encoding="utf-8") as f:
        f.write(sysconfig.get_paths()["purelib"] + "\n")
    if quotewire_src:
        with open(os.path.join(site, "quotewire-src.pth"), "w", encoding="utf-8") as f:
            f.write(quotewire_src + "\n")
    return python


def _env_without_python(tmp_path):
    """The environment of a user's shell whose `python3` is another interpreter, one without
    quotewire (here one that fails loudly), and no PYSPARK_PYTHON or PYTHONPATH set."""
    fake = tmp_path / "fakebin"
    fake.mkdir(exist_ok=True)
    for name in ("python", "python3"):
        (fake / name).write_text("#!/bin/sh\necho 'not the interpreter quotewire runs in' >&2\nexit 3\n")
        (fake / name).chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")}
    env["PATH"] = f"{fake}{os.pathsep}{env.get('PATH', '')}"
    return env


def _files(out):
    return sorted((str(p.relative_to(out)), p.stat().st_mtime_ns) for p in out.rglob("*.parquet"))


@pytest.mark.issue(13)
def test_spark_from_a_fresh_venv_equals_local_ingest_and_resumes(warcs, tmp_path):
    import subprocess

    from quotewire.ingest import ingest
    from quotewire.scale.load import load
    from quotewire.scale.spark import DONE, input_key
    from quotewire.store import connect

    python = _venv(tmp_path / "venv", SRC)
    env = _env_without_python(tmp_path)
    out = tmp_path / "out"
    command = [str(python), "-m", "quotewire.cli", "spark", str(warcs[1]), str(out), "--master", "local[2]"]

    def job() -> dict:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads((out / "_quotewire.json").read_text())

    first = job()
    assert first["processed"] == 3 and first["failed"] == 1 and first["skipped"] == 0
    local = connect(tmp_path / "local.db")
    ingest([str(warcs[0] / "one.warc.gz"), str(warcs[0] / "two.warc.gz")], local)

    def loaded_rows(name):
        conn = connect(tmp_path / name)
        assert load(out, conn).stored == 3
        return _key_rows(conn)

    assert loaded_rows("a.db") == _key_rows(local)
    files = _files(out)
    # a rerun finds every input complete: nothing processed, nothing rewritten
    again = job()
    assert again["skipped"] == 2 and again["processed"] == 0 and again["tables"] == first["tables"]
    assert _files(out) == files
    # an input whose marker is missing (the job was killed before it finished) is done again,
    # in place of its earlier files, and the others are kept
    (out / DONE / f"{input_key(str(warcs[0] / 'one.warc.gz'))}.json").unlink()
    third = job()
    assert third["skipped"] == 1 and third["processed"] == 2 and third["tables"] == first["tables"]
    assert loaded_rows("b.db") == _key_rows(local)


@pytest.mark.issue(13)
def test_spark_ships_quotewire_as_a_zip_to_workers_without_it(warcs, tmp_path):
    import subprocess

    from quotewire.scale.spark import package_zip

    python = _venv(tmp_path / "bare", None)  # no quotewire at all: the zip is the only copy
    archive = package_zip(str(tmp_path / "quotewire.zip"))
    env = _env_without_python(tmp_path)
    out = tmp_path / "out"
    driver = "import sys; sys.path.insert(0, sys.argv[1]); from quotewire.scale.spark import main; main(sys.argv[2:])"
    probe = subprocess.run([str(python), "-c", "import quotewire"], env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and "No module named 'quotewire'" in probe.stderr
    done = subprocess.run([str(python), "-c", driver, archive, str(warcs[1]), str(out), "--master", "local[1]", "--py-files", archive],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((out / "_quotewire.json").read_text())
    assert result["processed"] == 3 and result["failed"] == 1
