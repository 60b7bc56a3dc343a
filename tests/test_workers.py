"""Workers die with their parent (issue #12): killing `ingest --processes 2` (SIGKILL, which no
handler can catch, or SIGTERM) leaves no worker running; and the pooled run reads inputs in
the workers with the same output as one process (issue #13)."""
from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

SRC = pathlib.Path(__file__).resolve().parents[1] / "src"


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, or None once it is gone."""
    try:
        raw = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def _children(parent: int) -> list[int]:
    out = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st and st[1] == parent:
                out.append(int(entry.name))
    return out


def _running(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] not in ("Z", "X")  # a zombie is dead, only not yet reaped


def _articles(folder: pathlib.Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        body = "\n\n".join(
            f'"The harbour wall number {i}-{j} will hold until spring," said Mara Quint, the port engineer. '
            f"Officials in Lowbridge said the repairs would cost {j + 3} million crowns."
            for j in range(40)
        )
        (folder / f"a{i:03d}.txt").write_text(f"Harbour repairs, part {i}\n\n{body}\n", encoding="utf-8")


@pytest.mark.issue(12)
@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_ingest_leaves_no_orphan_worker(tmp_path, sig):
    _articles(tmp_path / "in", 60)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    parent = subprocess.Popen(
        [sys.executable, "-m", "quotewire.cli", "ingest", str(tmp_path / "in"), "--db", str(tmp_path / "x.db"), "-p", "2", "-q"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers) < 2:
            assert parent.poll() is None, "ingest ended before its workers were seen"
            time.sleep(0.2)
            workers = _children(parent.pid)
        assert len(workers) == 2, f"expected 2 workers, saw {workers}"
        time.sleep(1.0)  # let them take work
        assert all(_running(w) for w in workers)
        parent.send_signal(sig)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_running(w) for w in workers):
            time.sleep(0.2)
        orphans = [w for w in workers if _running(w)]
        assert not orphans, f"workers {orphans} outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        for w in workers:  # the test must not leave what it looks for
            if _running(w):
                os.kill(w, signal.SIGKILL)


@pytest.mark.issue(13)
def test_pooled_read_keeps_input_order_and_output(tmp_path, nlp):
    from quotewire.model import Article, Failure
    from quotewire.pipeline import process
    from quotewire.settings import Settings

    folder = tmp_path / "in"
    _articles(folder, 5)
    (folder / "b-empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "c-binary.bin").write_bytes(b"\x00\x01\x02 binary")
    inputs = [str(folder), str(tmp_path / "missing.txt")]
    one = list(process(inputs, Settings(processes=1)))
    two = list(process(inputs, Settings(processes=2, chunk_words=300)))
    assert [type(x).__name__ for x in one] == [type(x).__name__ for x in two]
    assert [x.to_dict() if isinstance(x, Article) else str(x) for x in one] == \
        [x.to_dict() if isinstance(x, Article) else str(x) for x in two]
    assert sum(isinstance(x, Failure) for x in two) == 2 and sum(isinstance(x, Article) for x in two) == 5
    kept = list(process(inputs, Settings(processes=2), keep=lambda a: "part 3" not in a.title))
    assert len([x for x in kept if isinstance(x, Article)]) == 4
