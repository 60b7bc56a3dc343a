"""Cost of one long article (issue #15): extraction against the bare spaCy pipeline, same text.

A long article is made by joining PolNeAR dev texts (read from the shared data at run time,
paragraphs kept) until it has N words. For each size, alternating in the same run: the model
as shipped (`spacy.load(name)(text)`, no quotewire component) and quotewire's extraction of
the same text as one Article (parse with our pipeline, attribution, JSON record). Printed:
seconds, the ratio extraction / bare at each size, and how the cost grows with length
(linear: 20k words cost a quarter of 80k).

    python benchmarks/bench_long_article.py [--words 20000 80000] [--rounds 3] [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire.evaluate import read_gold  # noqa: E402
from quotewire.model import Article  # noqa: E402
from quotewire.pipeline import annotate  # noqa: E402
from quotewire.settings import Settings  # noqa: E402


def long_text(texts: list[str], words: int) -> str:
    out, n, i = [], 0, 0
    while n < words:
        t = texts[i % len(texts)]
        if n + len(t.split()) > words:
            t = " ".join(t.split()[: words - n])
        out.append(t)
        n += len(t.split())
        i += 1
    return "\n\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--words", type=int, nargs="+", default=[20_000, 80_000])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    path = pathlib.Path(args.data) / "polnear/dev.jsonl"
    if not path.exists():
        sys.exit(f"skip: {path} not found")
    import spacy

    from quotewire import nlp as nlp_mod

    settings = Settings.from_env()
    texts = [g["text"] for g in read_gold(str(path))]
    name = nlp_mod.resolve_model_name(settings.model)
    bare_nlp = spacy.load(name)
    bare_nlp.max_length = 5_000_000
    nlp_mod.load(settings.model)
    annotate(Article(text=texts[0]), settings)  # warm both before timing
    bare_nlp(texts[0])
    sizes = {}
    for words in args.words:
        text = long_text(texts, words)
        bare, ours, statements = [], [], 0
        for _ in range(args.rounds):
            t = time.perf_counter()
            bare_nlp(text)
            bare.append(time.perf_counter() - t)
            t = time.perf_counter()
            article = annotate(Article(text=text), settings)
            json.dumps(article.to_dict(), ensure_ascii=False)
            ours.append(time.perf_counter() - t)
            statements = len(article.attributions)
        b, o = statistics.median(bare), statistics.median(ours)
        sizes[words] = {"words": len(text.split()), "chars": len(text), "line_breaks": text.count("\n"),
                        "statements": statements, "bare_s": round(b, 3), "extract_s": round(o, 3),
                        "ratio_extract_to_bare": round(o / b, 3)}
    report: dict = {"model": name, "rounds": args.rounds, "sizes": sizes}
    if len(args.words) >= 2:
        small, big = min(args.words), max(args.words)
        expected = small / big
        got = sizes[small]["extract_s"] / sizes[big]["extract_s"]
        report["growth"] = {"words_ratio": round(expected, 3), "extract_cost_ratio": round(got, 3),
                            "off_linear": round(got / expected - 1, 3)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
