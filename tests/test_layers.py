"""The layering rules of issue 9, checked by reading every import of every module (at module
level and inside functions alike), so a late import cannot slip past."""
from __future__ import annotations

import ast
import pathlib

import pytest

PKG = pathlib.Path(__file__).resolve().parents[1] / "src" / "quotewire"

pytestmark = pytest.mark.issue(9)


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: pathlib.Path) -> set[str]:
    """Every module an import statement anywhere in the file names, made absolute."""
    mod = module_name(path)
    return imports_in(path.read_text(encoding="utf-8"), mod if path.name == "__init__.py" else mod.rpartition(".")[0])


def imports_in(source: str, package: str) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            out.add(prefix)
            # `from . import coverage` names a module too
            out.update(f"{prefix}.{alias.name}" for alias in node.names)
    return out


def modules(sub: str) -> list[pathlib.Path]:
    target = PKG / sub
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


#: (where, what it must not import): the rules of DESIGN.md and issue 9
RULES = [
    ("store", ("quotewire.pipeline", "quotewire.sources", "quotewire.coverage", "quotewire.attribution", "quotewire.nlp",
               "quotewire.ingest", "quotewire.clean", "quotewire.article")),
    ("coverage", ("sqlite3", "quotewire.store", "quotewire.ingest")),
    ("scale/spark.py", ("quotewire.store", "sqlite3", "quotewire.ingest")),
    ("attribution", ("quotewire.clean", "quotewire.article", "quotewire.sources", "quotewire.store", "quotewire.pipeline")),
    ("sources", ("quotewire.store", "quotewire.attribution", "quotewire.pipeline", "quotewire.ingest")),
    ("model.py", ("quotewire.store", "quotewire.sources", "quotewire.pipeline", "quotewire.attribution", "quotewire.coverage")),
    ("rows.py", ("quotewire.store", "quotewire.sources", "quotewire.pipeline", "quotewire.attribution", "sqlite3")),
]


@pytest.mark.parametrize("where,forbidden", RULES, ids=[r[0] for r in RULES])
def test_layers_hold(where, forbidden):
    broken = [
        f"{path.relative_to(PKG)} imports {name}"
        for path in modules(where)
        for name in sorted(imports_of(path))
        if under(name, *forbidden)
    ]
    assert not broken, "\n".join(broken)


def test_layers_the_reader_sees_imports_inside_functions():
    # the checker itself: an import hidden in a function body is found and made absolute
    found = imports_in("def late():\n    from ..coverage import events\n    import sqlite3\n", "quotewire.store")
    assert "quotewire.coverage.events" in found and "sqlite3" in found
    assert under("quotewire.coverage.events", "quotewire.coverage") and not under("quotewire.coveragex", "quotewire.coverage")
