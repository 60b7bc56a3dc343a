"""Quality and speed of extraction on the shared data (issue #2), printed as one report.

Quality: the scores of ANNOTATION.md on the seed article, PolNeAR dev and speakers-dev.
Speed: words per second of batch extraction (parse + attribution + JSON record, as
`quotewire extract --jsonl` does it) against bare `nlp.pipe` of the same model (all its
shipped components, spaCy's own attribute ruler and lemmatizer) on the same texts,
alternating in the same run; the ratio is what counts on a shared, noisy machine. The same
extraction with the selective parse switched, and with spaCy's own attribute ruler and
lemmatizer (settings.fast_annotators off), are timed in the same rounds.

    python benchmarks/bench_extraction.py [--data ../shared/data] [--rounds 2] [--json out.json]
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

from quotewire.evaluate import evaluate, read_gold  # noqa: E402
from quotewire.model import Article  # noqa: E402
from quotewire.pipeline import annotate_many  # noqa: E402
from quotewire.settings import Settings  # noqa: E402


def quality(data: pathlib.Path, settings: Settings) -> dict:
    out = {}
    for name, rel in (("seed", "seed/tass-putin-arctic.jsonl"), ("polnear_dev", "polnear/dev.jsonl"), ("speakers_dev", "speakers-dev.jsonl")):
        path = data / rel
        if not path.exists():
            print(f"skip {name}: {path} not found", file=sys.stderr)
            continue
        s = evaluate(str(path), settings)
        row = {
            "articles": s["articles"], "gold": s["gold"], "predicted": s["predicted"],
            "content_overlap_f1": s["content_overlap"]["f1"], "content_overlap_recall": s["content_overlap"]["recall"],
            "content_exact_f1": s["content_exact"]["f1"], "source_exact_accuracy": s["source_exact_accuracy"],
            "cue_exact_accuracy": s["cue_exact_accuracy"], "kind_accuracy": s["kind_accuracy"],
        }
        if "who_said_what" in s:
            row.update(who_said_what_f1=s["who_said_what"]["f1"], speakers_right=s["speakers_right"], speaker_accuracy=s["speaker_accuracy"])
        out[name] = row
    return out


def speed(data: pathlib.Path, settings: Settings, rounds: int) -> dict:
    """Words/s of the default extraction and of the same with the selective parse switched
    (settings.selective_parse), each against bare nlp.pipe of the full shipped pipeline, in
    alternating rounds of one run."""
    import dataclasses

    import spacy

    from quotewire import nlp as nlp_mod

    texts = [g["text"] for g in read_gold(str(data / "polnear/dev.jsonl"))]
    words = sum(len(t.split()) for t in texts)
    name = nlp_mod.resolve_model_name(settings.model)
    bare_nlp = spacy.load(name)  # the model as shipped, no quotewire component
    other = dataclasses.replace(settings, selective_parse=not settings.selective_parse)
    spacy_own = dataclasses.replace(settings, fast_annotators=False)  # spaCy's own ruler and lemmatizer
    for s in (settings, other, spacy_own):
        nlp_mod.load_for(s)  # ours, loaded before timing
    # wall and CPU seconds of this process: on a shared machine the wall clock counts other
    # people's work too, CPU seconds (both measured the same way for both sides) far less
    bare, ours, switched, own = [], [], [], []

    def timed(fn) -> tuple[float, float]:
        w, c = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - w, time.process_time() - c

    def run(s: Settings) -> None:
        n = 0
        for article in annotate_many((Article(text=x) for x in texts), s):
            n += len(json.dumps(article.to_dict(), ensure_ascii=False)) > 0

    def run_bare() -> None:
        for _doc in bare_nlp.pipe(texts, batch_size=settings.batch_size):
            pass

    jobs = [(bare, run_bare), (ours, lambda: run(settings)), (switched, lambda: run(other)), (own, lambda: run(spacy_own))]
    for k in range(rounds):
        for out, fn in jobs if k % 2 == 0 else jobs[::-1]:  # the order turns each round: none is always first
            out.append(timed(fn))

    def med(xs: list, k: int) -> float:
        return statistics.median(x[k] for x in xs)

    b, o, w, s0 = med(bare, 0), med(ours, 0), med(switched, 0), med(own, 0)
    bc, oc, wc, sc = med(bare, 1), med(ours, 1), med(switched, 1), med(own, 1)
    flip = "off" if settings.selective_parse else "on"
    return {
        "model": name, "texts": len(texts), "words": words, "rounds": rounds,
        "extractors": list(settings.extractors), "selective_parse": settings.selective_parse,
        "bare_nlp_pipe_words_per_s": round(words / b), "extract_words_per_s": round(words / o),
        "ratio_extract_to_bare": round(b / o, 3),
        "bare_nlp_pipe_words_per_cpu_s": round(words / bc), "extract_words_per_cpu_s": round(words / oc),
        "ratio_extract_to_bare_cpu": round(bc / oc, 3),
        f"ratio_with_selective_parse_{flip}": round(b / w, 3),
        f"ratio_with_selective_parse_{flip}_cpu": round(bc / wc, 3),
        "ratio_with_spacy_ruler_lemmatizer": round(b / s0, 3),
        "ratio_with_spacy_ruler_lemmatizer_cpu": round(bc / sc, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--json", help="also write the report here")
    args = ap.parse_args()
    data = pathlib.Path(args.data)
    settings = Settings.from_env()
    report = {"quality": quality(data, settings)}
    if not args.skip_speed and (data / "polnear/dev.jsonl").exists():
        report["speed"] = speed(data, settings, args.rounds)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        pathlib.Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
