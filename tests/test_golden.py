"""Golden test: our own sample articles against their hand annotation, scored as ANNOTATION.md says."""
from __future__ import annotations

import json
import pathlib
import re

import pytest

from quotewire.evaluate import score

from conftest import describe

ROOT = pathlib.Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "tests" / "fixtures" / "samples.gold.json").read_text(encoding="utf-8"))


def locate(text: str, part: str, after: int) -> list[int]:
    """Offsets of part, searching from the previous annotation's content on (annotations are in text order)."""
    i = text.find(part, after)
    if i < 0:
        i = text.find(part)
    assert i >= 0, f"gold substring not in text: {part!r}"
    return [i, i + len(part)]


def nearest(text: str, part: str, content: list[list[int]]) -> list[int]:
    """The whole-word occurrence of part closest to the content, outside it (cues and sources)."""
    best = None
    for m in re.finditer(r"(?<!\w)" + re.escape(part) + r"(?!\w)", text):
        if any(s <= m.start() < e for s, e in content):
            continue
        dist = min(s - m.end() if m.end() <= s else m.start() - e for s, e in content)
        if best is None or dist < best[0]:
            best = (dist, [m.start(), m.end()])
    assert best is not None, f"gold substring not near its content: {part!r}"
    return best[1]


def gold_record(name: str) -> dict:
    text = (ROOT / "samples" / name).read_text(encoding="utf-8")
    rows, pos = [], 0
    for g in GOLD[name]:
        content = [locate(text, c, pos) for c in g["content"]]
        pos = content[0][0]
        cue = [nearest(text, g["cue"], content)]
        source = [nearest(text, g["source"], content)] if g["source"] else None
        rows.append({"kind": g["kind"], "content": content, "cue": cue, "source": source, "speaker": g["speaker"]})
    return {"id": name, "text": text, "attributions": rows}


@pytest.mark.issue(2)
@pytest.mark.parametrize("name", sorted(k for k in GOLD if not k.startswith("_")))
def test_golden_sample_article(run, name):
    gold = gold_record(name)
    article = run(gold["text"])
    predicted = {name: {"text": gold["text"], "quotes": [a.to_dict() for a in article.attributions]}}
    s = score([gold], predicted)
    detail = describe(article)
    assert s["content_overlap"]["recall"] == 1.0, detail
    assert s["content_overlap"]["precision"] >= 0.9, detail
    assert s["who_said_what"]["f1"] >= 0.95, detail
    assert s["content_exact"]["f1"] >= 0.9, detail
    assert s["source_exact_accuracy"] >= 0.9 and s["cue_exact_accuracy"] >= 0.9, detail
    assert s["kind_accuracy"] == 1.0, detail
