"""Every who-said-what miss on a gold file with speakers, by class, so the largest classes
are fixed first (issue 10).

Classes, after the scorer's one-to-one matching (quotewire.evaluate.match):
  wrong_speaker  content overlaps (>= half the gold tokens) but the speaker is wrong
  missed         a gold attribution no prediction covers
  spurious       a prediction that covers no gold attribution
  boundary       a pair that shares tokens but covers under half the gold content
                 (counts as one missed and one spurious in the F1)
  inexact        right speaker and overlap, content not exact (costs the exact score only)

    python tools/speaker_errors.py [../shared/data/speakers-dev.jsonl] [--only CLASS] [--counts]
"""
from __future__ import annotations

import argparse
import pathlib
import sys
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire.clean import mark_datelines  # noqa: E402
from quotewire.evaluate import match, name_ends, read_gold, speaker_right, tokens, trimmed  # noqa: E402
from quotewire.model import Article, Failure  # noqa: E402
from quotewire.pipeline import annotate_many  # noqa: E402
from quotewire.settings import Settings  # noqa: E402


def _show(text: str, spans) -> str:
    return " … ".join(text[s:e] for s, e in spans or ()).replace("\n", " ")


def classify(gold_row: dict, pred: list[dict]) -> list[tuple[str, dict | None, dict | None]]:
    text = gold_row["text"]
    gold = gold_row["attributions"]
    ends = name_ends(q.get("speaker") for q in gold)
    out = []
    used_g, used_p = set(), set()
    for gi, pi, n in match(gold, pred, text):
        gq, pq = gold[gi], pred[pi]
        used_g.add(gi)
        used_p.add(pi)
        gt = tokens(text, gq["content"])
        if not gt or n < 0.5 * len(gt):
            out.append(("boundary", gq, pq))
        elif not speaker_right(gq.get("speaker"), pq.get("speaker"), ends):
            out.append(("wrong_speaker", gq, pq))
        elif trimmed(text, gq["content"]) != trimmed(text, pq["content"]):
            out.append(("inexact", gq, pq))
        else:
            out.append(("right", gq, pq))
    out += [("missed", g, None) for i, g in enumerate(gold) if i not in used_g]
    out += [("spurious", None, p) for i, p in enumerate(pred) if i not in used_p]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?", default=str(ROOT.parent / "shared" / "data" / "speakers-dev.jsonl"))
    ap.add_argument("--only", help="print only this class")
    ap.add_argument("--counts", action="store_true", help="counts only")
    args = ap.parse_args()
    rows = read_gold(args.gold)
    items = (mark_datelines(Article(text=g["text"], id=str(g["id"]))) for g in rows)
    predicted = {r.id: r.to_dict() for r in annotate_many(items, Settings.from_env()) if not isinstance(r, Failure)}
    counts: Counter[str] = Counter()
    for g in rows:
        text = g["text"]
        for cls, gq, pq in classify(g, predicted.get(g["id"], {}).get("quotes", [])):
            counts[cls] += 1
            if args.counts or cls == "right" or (args.only and cls != args.only):
                continue
            print(f"[{cls}] {g['id']}")
            if gq:
                print(f"   gold {gq.get('speaker')!r:32} src={_show(text, gq.get('source'))!r} cue={_show(text, gq.get('cue'))!r}")
                print(f"        {_show(text, gq['content'])[:220]!r}")
            if pq:
                print(f"   pred {pq.get('speaker')!r:32} src={_show(text, pq.get('source'))!r} cue={_show(text, pq.get('cue'))!r} rule={pq.get('rule')}")
                print(f"        {_show(text, pq['content'])[:220]!r}")
    print(dict(counts.most_common()))


if __name__ == "__main__":
    main()
