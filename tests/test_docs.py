"""Every command is documented in the README, and the README's commands are the ones CI runs."""
from __future__ import annotations

import pathlib

from quotewire.cli import app

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_docs_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert names, "no commands registered"
    for name in names:
        assert f"quotewire {name}" in readme, f"`quotewire {name}` is not in README.md"


def test_docs_error_codes_are_listed():
    from quotewire.errors import MESSAGES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in MESSAGES:
        assert code in readme, f"error code {code} is not in README.md"


def test_docs_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in readme and "python -m pytest" in ci
