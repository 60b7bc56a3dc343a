"""Every statement-alignment miss on crossoutlet-dev, by class, so the largest classes are fixed
first (issue 11). The dev events' articles are ingested together as bench_coverage does, and
the events it forms are matched to the gold as COVERAGE.md scores them.

Classes of a gold rendering:
  matched         a predicted rendering holds >= half its tokens (one to one, as scored)
  not_extracted   no attribution of its article holds half its tokens
                  (``title`` when it lies in the first line of the text)
  shared          an attribution holds it, but that attribution was matched to another gold
                  rendering (one quotation spanning several statements)
  not_aligned     an attribution holds it, but joined no statement of two or more renderings
And of pairs of matched renderings:
  false_join      one predicted statement, two gold statements
  split           one gold statement, two predicted statements
And of matched renderings: ``relation`` when the predicted relation is not the gold one.

    python tools/coverage_errors.py [--data ../shared/data] [--only CLASS] [--counts]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import pathlib
import sys
import tempfile
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire.coverage.score import _tokens  # noqa: E402
from quotewire.ingest import ingest  # noqa: E402
from quotewire.store import connect  # noqa: E402
from quotewire.store.events import event_record  # noqa: E402


def _show(text: str, spans, width: int = 110) -> str:
    s = " … ".join(text[a:b] for a, b in spans or ()).replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def run(data: pathlib.Path) -> tuple[list[dict], dict, list[dict], dict]:
    gold = [json.loads(line) for line in (data / "crossoutlet-dev.jsonl").open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps({k: a[k] for k in ("id", "text", "outlet", "published", "url")}) + "\n"
                               for ev in gold for a in ev["articles"]), encoding="utf-8")
        conn = connect(pathlib.Path(tmp) / "c.db")
        ingest([str(src)], conn)
        ids = {r[0] for r in conn.execute("SELECT event_id FROM event_articles")}
        events = [event_record(conn, e) for e in ids]
        texts = {r[0]: r[1] for r in conn.execute("SELECT id, text FROM articles")}
        attributions: dict[str, list[dict]] = {}
        for r in conn.execute("SELECT id, article_id, kind, content FROM attributions ORDER BY article_id, seq"):
            attributions.setdefault(r[1], []).append({"id": r[0], "kind": r[2], "content": json.loads(r[3])})
    return gold, texts, events, attributions


def classify(gold: list[dict], texts: dict, events: list[dict], attributions: dict) -> list[tuple]:
    gold_r = [dict(r, statement=(ev["event"], st["id"]), gist=st.get("gist", "")) for ev in gold for st in ev["statements"] for r in st["renderings"]]
    pred_r = [dict(r, statement=(ev["event"], st["id"])) for ev in events for st in ev["statements"] for r in st["renderings"]]
    cands = []
    for gi, g in enumerate(gold_r):
        gt = _tokens(texts[g["article"]], g["content"])
        for pi, p in enumerate(pred_r):
            if p["article"] == g["article"]:
                n = len(gt & _tokens(texts[p["article"]], p["content"]))
                if gt and n >= 0.5 * len(gt):
                    cands.append((n, gi, pi))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for n, gi, pi in sorted(cands, reverse=True):
        if gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    used_attr = {pred_r[p]["attribution_id"] for p in matched.values()}
    out = []
    for gi, g in enumerate(gold_r):
        text = texts[g["article"]]
        where = f"{g['statement'][0][:12]}/{g['statement'][1]} {g['article'][:14]} {g['kind']:>8} {g['relation']:>9}"
        if gi in matched:
            p = pred_r[matched[gi]]
            if g["relation"] != "reference" and p["relation"] != g["relation"]:
                out.append(("relation", f"{where} -> {p['relation']}", _show(text, g["content"]), _show(text, p["content"])))
            out.append(("matched", where, _show(text, g["content"]), ""))
            continue
        gt = _tokens(text, g["content"])
        holders = [a for a in attributions.get(g["article"], []) if len(gt & _tokens(text, a["content"])) >= 0.5 * len(gt)]
        if not holders:
            first_line = text.lstrip().split("\n", 1)[0]
            start = len(text) - len(text.lstrip())
            in_title = all(s >= start and e <= start + len(first_line) for s, e in g["content"])
            out.append(("not_extracted", where, _show(text, g["content"]), "title" if in_title else g["kind"]))
        elif any(a["id"] in used_attr for a in holders):
            out.append(("shared", where, _show(text, g["content"]), _show(text, holders[0]["content"])))
        else:
            out.append(("not_aligned", where, _show(text, g["content"]), _show(text, holders[0]["content"])))
    for a, b in itertools.combinations(sorted(matched), 2):
        same_gold = gold_r[a]["statement"] == gold_r[b]["statement"]
        same_pred = pred_r[matched[a]]["statement"] == pred_r[matched[b]]["statement"]
        if same_gold == same_pred:
            continue
        pa, pb = pred_r[matched[a]], pred_r[matched[b]]
        label = "false_join" if same_pred else "split"
        where = f"{gold_r[a]['statement'][1]}~{gold_r[b]['statement'][1]} {gold_r[a]['statement'][0][:12]}"
        out.append((label, where, _show(texts[pa["article"]], pa["content"], 80), _show(texts[pb["article"]], pb["content"], 80)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--only", help="show only this class")
    ap.add_argument("--counts", action="store_true", help="only the counts")
    args = ap.parse_args()
    rows = classify(*run(pathlib.Path(args.data)))
    counts = Counter(r[0] for r in rows)
    sub = Counter((r[0], r[3]) for r in rows if r[0] == "not_extracted")
    if not args.counts:
        for label, where, a, b in rows:
            if label == "matched" or (args.only and label != args.only):
                continue
            print(f"{label:13} {where}\n    {a}\n    {b}")
    print(dict(counts), {k[1]: v for k, v in sub.items()})


if __name__ == "__main__":
    main()
