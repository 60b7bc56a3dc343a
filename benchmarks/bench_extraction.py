"""Quality and speed of extraction on the shared data (issue #2), printed as one report.

Quality: the scores of ANNOTATION.md on the seed article, PolNeAR dev and speakers-dev.
Speed: words per second of batch extraction (parse + attribution + JSON record, as
`quotewire extract --jsonl` does it) against bare `nlp.pipe` of the same model (all its
shipped components, spaCy's own attribute ruler and lemmatizer) on the same texts,
alternating in the same run; the ratio is what counts on a shared, noisy machine. The same
extraction with the selective parse switched, with spaCy's own attribute ruler and
lemmatizer (settings.fast_annotators off), and with spaCy's layers multiplying through blis as
shipped (settings.numpy_products off, ``blis_products``), are timed in the same rounds.

With ``--extractors rules.v1 tagger.v1 hybrid.v1`` each extractor set (comma-separated names
within one) is scored and timed in the same run, each against the same bare parse; a set that
holds tagger.v1 or hybrid.v1 also reports the tagger alone (features, BiLSTM, decoding and
grouping on Docs already parsed, each batch's Docs tagged together as the pipeline does) and
the tagger after spaCy without its parser.

    python benchmarks/bench_extraction.py [--data ../shared/data] [--rounds 2] [--json out.json]
        [--extractors rules.v1 hybrid.v1]
"""
from __future__ import annotations

import argparse
import dataclasses
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


def speed(data: pathlib.Path, settings: Settings, rounds: int, sets: list[tuple[str, ...]] | None = None) -> dict:
    """Words/s of each extractor set, of the default with the selective parse switched, with
    spaCy's own ruler and lemmatizer and with blis's products, each against bare nlp.pipe of the full shipped pipeline,
    in rounds of one run whose order turns each round; wall and CPU seconds both."""
    import spacy

    from quotewire import nlp as nlp_mod

    texts = [g["text"] for g in read_gold(str(data / "polnear/dev.jsonl"))]
    words = sum(len(t.split()) for t in texts)
    name = nlp_mod.resolve_model_name(settings.model)
    bare_nlp = spacy.load(name)  # the model as shipped, no quotewire component
    sets = sets or [settings.extractors]
    variants: dict[str, Settings] = {",".join(x): dataclasses.replace(settings, extractors=x) for x in sets}
    flip = "off" if settings.selective_parse else "on"
    variants[f"selective_parse_{flip}"] = dataclasses.replace(settings, selective_parse=not settings.selective_parse)
    variants["spacy_ruler_lemmatizer"] = dataclasses.replace(settings, fast_annotators=False)
    variants["blis_products"] = dataclasses.replace(settings, numpy_products=False)
    for v in variants.values():
        nlp_mod.load_for(v)  # ours, loaded before timing
    nlp = nlp_mod.load_for(settings)
    from quotewire.attribution.tagger import USES_TAGGER
    tagged = any(x in USES_TAGGER for s in sets for x in s)
    if tagged:
        from quotewire.attribution.quotes import find_quotes
        from quotewire.batching import chunks
        from quotewire.attribution.tagger import UNITS_DATA, USER_DATA, load_tagger, tag_docs, tagger_candidates

        load_tagger()
        docs = list(nlp.pipe(texts, batch_size=settings.batch_size))

    # wall and CPU seconds of this process: on a shared machine the wall clock counts other
    # people's work too, CPU seconds (both measured the same way for both sides) far less
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

    def run_tagger_alone() -> None:
        # as the pipeline runs it: a batch's Docs tagged together (nlp.BatchTagging), then each grouped
        for k in range(0, len(docs), settings.batch_size):
            batch = docs[k : k + settings.batch_size]
            for doc in batch:
                doc.user_data.pop(USER_DATA, None)
                doc.user_data.pop(UNITS_DATA, None)
            tag_docs(batch)
            for doc in batch:
                tagger_candidates(doc, find_quotes(doc.text))

    def run_tagger_no_parser() -> None:
        parsed = nlp.pipe(texts, batch_size=settings.batch_size, disable=["parser", nlp_mod.PARAGRAPHS])
        for batch in chunks(parsed, settings.batch_size):
            tag_docs(batch)
            for doc in batch:
                tagger_candidates(doc, find_quotes(doc.text))

    jobs = [("bare", run_bare)] + [(k, (lambda v=v: run(v))) for k, v in variants.items()]
    if tagged:
        jobs += [("tagger_alone", run_tagger_alone), ("spacy_without_parser_plus_tagger", run_tagger_no_parser)]
    times: dict[str, list[tuple[float, float]]] = {k: [] for k, _ in jobs}
    for r in range(rounds):
        for k, fn in jobs if r % 2 == 0 else jobs[::-1]:  # the order turns each round: none is always first
            times[k].append(timed(fn))

    def med(k: str, i: int) -> float:
        return statistics.median(x[i] for x in times[k])

    b, bc = med("bare", 0), med("bare", 1)
    out = {"model": name, "texts": len(texts), "words": words, "rounds": rounds, "default_extractors": list(settings.extractors),
           "selective_parse": settings.selective_parse,
           "bare_nlp_pipe_words_per_s": round(words / b), "bare_nlp_pipe_words_per_cpu_s": round(words / bc)}
    for k in variants:
        key = "" if (k == ",".join(settings.extractors) and len(sets) == 1) else f"[{k}]"
        out[f"extract_words_per_s{key}"] = round(words / med(k, 0))
        out[f"ratio_extract_to_bare{key}"] = round(b / med(k, 0), 3)
        out[f"ratio_extract_to_bare_cpu{key}"] = round(bc / med(k, 1), 3)
    if tagged:
        out["tagger_alone_words_per_s"] = round(words / med("tagger_alone", 0))
        out["tagger_alone_words_per_cpu_s"] = round(words / med("tagger_alone", 1))
        out["spacy_without_parser_plus_tagger_words_per_s"] = round(words / med("spacy_without_parser_plus_tagger", 0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--json", help="also write the report here")
    ap.add_argument("--extractors", nargs="+", help="extractor sets to score and time in this run, each comma-separated "
                    "(default: the one of QUOTEWIRE_EXTRACTORS or settings)")
    args = ap.parse_args()
    data = pathlib.Path(args.data)
    settings = Settings.from_env()
    sets = [tuple(x.strip() for x in arg.split(",") if x.strip()) for arg in args.extractors] if args.extractors else None
    if sets and len(sets) == 1:
        settings = dataclasses.replace(settings, extractors=sets[0])
    if sets and len(sets) > 1:
        report = {"quality": {",".join(s): quality(data, dataclasses.replace(settings, extractors=s)) for s in sets}}
    else:
        report = {"quality": quality(data, settings)}
    if not args.skip_speed and (data / "polnear/dev.jsonl").exists():
        report["speed"] = speed(data, settings, args.rounds, sets)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        pathlib.Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
