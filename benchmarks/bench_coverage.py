"""Coverage across outlets on ../shared/data/crossoutlet-dev.jsonl (issue #5), scored as its
COVERAGE.md says: event grouping (pairwise and BCubed F1, distractors merged), statement
alignment (pairwise F1 of matched renderings), relation accuracy; and the cost of placing one
new article into stores of growing size (it must not grow linearly).

    python benchmarks/bench_coverage.py [--data ../shared/data] [--sizes 1000,10000,100000]
    python benchmarks/bench_coverage.py --mixed --skip-cost --skip-growth   # + the mixed feed
    python benchmarks/bench_coverage.py --mixed --orders 4 --skip-cost --skip-growth   # + 3 shuffled orders

``--mixed``: the dev events' articles ingested together with every page of
../shared/data/article-extraction/ (unrelated news of other days): how many pages land in a dev
event (should be none), grouping on the dev events in that company, and every group of two or
more pages, with what ties it, for a reader to judge. ``--orders N``: the same stored articles
placed again in N-1 shuffled orders besides ingest's (1 by default: each order is a full
placement again, so 4 when events' order-dependence is the question), each order's dev grouping, pages in dev
events and page groups beside the first's (events must not depend on which report came first).
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotewire import coverage  # noqa: E402
from quotewire.coverage.score import alignment, grouping  # noqa: E402
from quotewire.ingest import ingest, writer_for  # noqa: E402
from quotewire.store import connect  # noqa: E402
from quotewire.store.events import EventStore, event_record  # noqa: E402


def quality(path: pathlib.Path) -> dict:
    gold = [json.loads(line) for line in path.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        records = [dict(a, html=None) for ev in gold for a in ev["articles"]]
        src = pathlib.Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps({k: v for k, v in r.items() if k in ("id", "text", "outlet", "published", "url")}) + "\n" for r in records), encoding="utf-8")
        conn = connect(pathlib.Path(tmp) / "c.db")
        ingest([str(src)], conn)
        labels = {r[0]: r[1] for r in conn.execute("SELECT article_id, event_id FROM event_articles")}
        events = [event_record(conn, e) for e in {*labels.values()}]
        texts = {r[0]: r[1] for r in conn.execute("SELECT id, text FROM articles")}
    gold_labels = {a["id"]: (a["id"] if a["distractor"] else ev["event"]) for ev in gold for a in ev["articles"]}
    distractors = {a["id"] for ev in gold for a in ev["articles"] if a["distractor"]}
    return {"events_gold": len(gold), "articles": len(gold_labels), "grouping": grouping(gold_labels, labels, distractors),
            "alignment": alignment(gold, events, texts)}


def _page_groups(labels: dict, gold_labels: dict) -> dict[int, list[str]]:
    """The events holding two or more articles that are not of the dev events, by event."""
    by_event: dict[int, list[str]] = {}
    for a in labels:
        if a not in gold_labels:
            by_event.setdefault(labels[a], []).append(a)
    return {e: m for e, m in sorted(by_event.items()) if len(m) >= 2}


def mixed_feed(data: pathlib.Path, orders: int = 1) -> dict:
    gold = [json.loads(line) for line in (data / "crossoutlet-dev.jsonl").open(encoding="utf-8")]
    pages = sorted((data / "article-extraction").glob("*/html/*.html.gz"))
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps({k: a[k] for k in ("id", "text", "outlet", "published", "url")}) + "\n"
                               for ev in gold for a in ev["articles"]), encoding="utf-8")
        conn = connect(pathlib.Path(tmp) / "m.db")
        t = time.perf_counter()
        report = ingest([str(src)] + [str(p) for p in pages], conn)
        seconds = time.perf_counter() - t
        labels = {r[0]: r[1] for r in conn.execute("SELECT article_id, event_id FROM event_articles")}
        gold_labels = {a["id"]: (a["id"] if a["distractor"] else ev["event"]) for ev in gold for a in ev["articles"]}
        distractors = {a["id"] for ev in gold for a in ev["articles"] if a["distractor"]}
        dev_events = {labels[a] for a in gold_labels}
        page_ids = [a for a in labels if a not in gold_labels]
        store = EventStore(conn)
        groups = []
        for event_id, members in _page_groups(labels, gold_labels).items():
            rows = [conn.execute("SELECT outlet, published, title FROM articles WHERE id = ?", (a,)).fetchone() for a in members]
            groups.append({"event": event_id, "outlets": len({(r[0] or "").lower() for r in rows}),
                           "ties": coverage.ties(store, event_id),
                           "articles": [f"{r[0]} · {r[1]} · {r[2]}" for r in rows]})
        first = {frozenset(m) for m in _page_groups(labels, gold_labels).values()}

        def title(a: str) -> str:
            return conn.execute("SELECT outlet || ' · ' || coalesce(title, '') FROM articles WHERE id = ?", (a,)).fetchone()[0]
        placed = []
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid")]
        for seed in range(1, orders):
            with conn:
                for table in ("renderings", "event_statements", "event_articles", "events"):
                    conn.execute(f"DELETE FROM {table}")
                order = ids[:]
                random.Random(seed).shuffle(order)
                coverage.update(store, order)
            again = {r[0]: r[1] for r in conn.execute("SELECT article_id, event_id FROM event_articles")}
            found = {frozenset(m) for m in _page_groups(again, gold_labels).values()}
            dev_again = {again[a] for a in gold_labels}
            scored = grouping(gold_labels, {a: again[a] for a in gold_labels}, distractors)
            placed.append({"shuffle": seed, "dev_grouping_f1": scored["pairwise"]["f1"], "distractors_merged": scored["distractors_merged"],
                           "pages_in_dev_events": sum(again[a] in dev_again for a in again if a not in gold_labels),
                           "page_groups": len(found), "same_groups_as_ingest_order": found == first,
                           "groups_only_here": [[title(a) for a in g] for g in found - first],
                           "groups_only_in_ingest_order": [[title(a) for a in g] for g in first - found]})
    return {"pages_read": len(pages), "pages_stored": len(page_ids), "failures": len(report.failures), "ingest_s": round(seconds, 1),
            "pages_in_dev_events": sum(labels[a] in dev_events for a in page_ids),
            "dev_grouping": grouping(gold_labels, {a: labels[a] for a in gold_labels}, distractors),
            "page_groups": len(groups), "page_groups_listed": sum(g["outlets"] >= 2 for g in groups), "groups": groups,
            **({"other_orders": placed} if placed else {})}


def placement_cost(sizes: list[int], probes: int = 30) -> dict:
    """Time to place one new article into a store of N articles (synthetic, events of about
    five). Each event has its day, two names and a quoted person; a probe is a new article of
    one event, so that placing it means finding that event through the index and finding the
    evidence (``joined`` says how many probes did)."""
    rng = random.Random(5)
    syllables = "ka lo mi ne ru sa ti vo da pe ri zu an el or in us ta ko me".split()
    vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(40000)})[:30000]

    def topic_day(topic: int) -> str:
        return f"2024-{topic * 7 % 12 + 1:02d}-{topic * 13 % 28 + 1:02d}"

    def article(topic: int, extra: int) -> tuple[str, str, str]:
        own = [vocab[(topic * 37 + rng.randrange(60)) % len(vocab)] for _ in range(120)] + rng.choices(vocab, k=extra)
        a, b, person = (vocab[(topic * 37 + k) % len(vocab)].title() for k in (60, 61, 62))
        quote = " ".join(vocab[(topic * 37 + k) % len(vocab)] for k in range(63, 71))
        text = f"{' '.join(own[:60])} with {a} and {b} {' '.join(own[60:])} \"{quote}\" said {person}"
        return text, quote, f"Ola {person}"

    def add(conn, aid: str, topic: int, extra: int, count_terms) -> None:
        text, quote, person = article(topic, extra)
        conn.execute("INSERT INTO articles(id, text, published, content_hash) VALUES (?, ?, ?, 'x')", (aid, text, topic_day(topic)))
        count_terms(text)
        conn.execute(
            "INSERT INTO attributions(article_id, seq, kind, content, cue, content_text, cue_text, speaker_name, speaker_kind, start, end) "
            "VALUES (?, 0, 'direct', '[]', '[]', ?, 'said', ?, 'person', 0, 1)", (aid, quote, person))

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(pathlib.Path(tmp) / "p.db")
        count_terms = writer_for(conn).count_terms
        made = 0
        event_of: dict[int, int] = {}
        for n in sizes:
            with conn:
                # the store is filled directly (articles already in their events), so that only
                # the placing of the probes is timed
                while made < n:
                    topic = made // 5
                    add(conn, f"p{made}", topic, 80, count_terms)
                    if made % 5 == 0:
                        event_of[topic] = conn.execute("INSERT INTO events(title, first_published) VALUES (?, ?)", (f"topic {topic}", topic_day(topic))).lastrowid
                    conn.execute("INSERT INTO event_articles(article_id, event_id) VALUES (?, ?)", (f"p{made}", event_of[topic]))
                    made += 1
            times, joined = [], 0
            for k in range(probes):
                topic = rng.randrange(max(1, n // 5))
                aid = f"probe-{n}-{k}"
                add(conn, aid, topic, 0, count_terms)
                t = time.perf_counter()
                coverage.update(EventStore(conn), [aid])
                times.append((time.perf_counter() - t) * 1000)
                joined += EventStore(conn).event_of(aid) == event_of[topic]
            out[n] = {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2), "joined": f"{joined}/{probes}"}
    first, last = sizes[0], sizes[-1]
    out["growth_ratio"] = round(out[last]["median_ms"] / out[first]["median_ms"], 2)
    out["store_growth"] = round(last / first, 1)
    return out


def event_growth(articles: int = 50, per_article: int = 41, utterances: int = 400, checkpoints=(13, 25, 50)) -> dict:
    """Time to add one article to an event of n-1 articles (about 41 renderings each, so the
    50th meets ~2,000), aligned incrementally, against aligning the whole event from scratch
    in the same run. Synthetic outlets render a shared pool of utterances, each with its own
    cuts and word changes."""
    rng = random.Random(11)
    syllables = "ka lo mi ne ru sa ti vo da pe ri zu an el or in us ta ko me".split()
    vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(20000)})
    pool = [[rng.choice(vocab) for _ in range(rng.randint(8, 30))] for _ in range(utterances)]
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(pathlib.Path(tmp) / "g.db")
        event_id = conn.execute("INSERT INTO events(title, first_published) VALUES ('growth', '2024-06-01')").lastrowid
        for k in range(articles):
            aid = f"g{k}"
            with conn:
                conn.execute("INSERT INTO articles(id, text, published, content_hash) VALUES (?, 'x', '2024-06-01', 'x')", (aid,))
                for seq, u in enumerate(rng.sample(pool, per_article)):
                    words = [w for w in u if rng.random() > 0.15] + rng.choices(vocab, k=rng.randint(0, 3))
                    text = " ".join(words)
                    conn.execute(
                        "INSERT INTO attributions(article_id, seq, kind, content, cue, content_text, cue_text, speaker_name, start, end) "
                        "VALUES (?, ?, 'direct', ?, '[]', ?, 'said', 'Ada Lind', 0, ?)", (aid, seq, json.dumps([[0, len(text)]]), text, len(text)))
                conn.execute("INSERT INTO event_articles(article_id, event_id) VALUES (?, ?)", (aid, event_id))
                t = time.perf_counter()
                coverage.realign(EventStore(conn), event_id, {aid})
                ms = (time.perf_counter() - t) * 1000
            # each checkpoint: the median of adding it and the two articles before it
            near = [c for c in checkpoints if c - 3 < k + 1 <= c]
            if near:
                slot = out.setdefault(f"add_article_{near[0]}", {"times": []})
                slot["times"].append(ms)
                if k + 1 == near[0]:
                    slot["ms"] = round(statistics.median(slot.pop("times")), 1)
                    slot["renderings"] = conn.execute("SELECT count(*) FROM attributions").fetchone()[0]
        with conn:
            t = time.perf_counter()
            statements = coverage.realign(EventStore(conn), event_id)  # from scratch, the baseline
            out["from_scratch_ms"] = round((time.perf_counter() - t) * 1000, 1)
        out["statements"] = statements
    first, last = f"add_article_{checkpoints[0]}", f"add_article_{checkpoints[-1]}"
    out["growth_ratio"] = round(out[last]["ms"] / out[first]["ms"], 2)
    out["event_growth"] = round(out[last]["renderings"] / out[first]["renderings"], 2)
    out["incremental_vs_scratch"] = round(out[last]["ms"] / out["from_scratch_ms"], 3)
    return out


def leave_one_event_out(path: pathlib.Path, thresholds=(0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9),
                        running_ons=(1 / 2, 2 / 3, 1.0)) -> dict:
    """The link model fitted (weights, and the bar and settings.COVERAGE_RUNNING_ON chosen from
    ``thresholds`` and ``running_ons``) on all events but one, and scored on that one (its gold articles, so that grouping does not blur it); beside
    it the same event scored with the model fitted on all six."""
    from quotewire import settings
    from quotewire.coverage import calibrate
    from quotewire.coverage.align import Rendering, align, units

    gold = [json.loads(line) for line in path.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps({k: a[k] for k in ("id", "text", "outlet", "published", "url")}) + "\n" for ev in gold for a in ev["articles"]), encoding="utf-8")
        conn = connect(pathlib.Path(tmp) / "c.db")
        ingest([str(src)], conn)
        rows = [dict(r) for r in conn.execute(
            "SELECT a.id, a.article_id, ar.published, a.speaker_name, a.kind, a.content_text, a.content, ar.rowid AS ord "
            "FROM attributions a JOIN articles ar ON ar.id = a.article_id ORDER BY ar.rowid, a.seq")]
        texts = {r[0]: r[1] for r in conn.execute("SELECT id, text FROM articles")}
    members = {a["id"]: ev["event"] for ev in gold for a in ev["articles"] if not a["distractor"]}

    def renderings(event: str | None = None) -> list:
        return [Rendering(r["id"], r["article_id"], r["published"], r["speaker_name"], r["kind"], r["content_text"], r["ord"],
                          spans=tuple(tuple(x) for x in json.loads(r["content"])), whole=r["content_text"])
                for r in rows if event is None or members.get(r["article_id"]) == event]

    # the gold statement of each sentence of each rendering, as alignment cuts them
    labels = calibrate.gold_labels([(u.uid, u.article, u.part or u.spans) for r in renderings() for u in units(r)], gold, texts)

    def predict(events: list[str]) -> list[dict]:
        out = []
        for e in events:
            info = {r["id"]: r for r in rows}
            sts = []
            for k, st in enumerate(align(renderings(e))):
                sts.append({"id": f"s{k}", "renderings": [
                    {"article": x.article, "content": x.part or json.loads(info[x.key]["content"]),
                     "relation": "reference" if x is st.reference else st.differences[x.uid].relation} for x in st.renderings]})
            out.append({"event": e, "statements": sts})
        return out

    events = [ev["event"] for ev in gold]
    samples = {e: list(calibrate.pairs(renderings(e), labels)) for e in events}
    knobs = ("COVERAGE_LINK_WEIGHTS", "COVERAGE_LINK_PROBABILITY", "COVERAGE_RUNNING_ON")
    saved = {k: getattr(settings, k) for k in knobs}

    def choose(evs: list[str]) -> dict:
        """The bar and the running-on share that score best on these events (and set them)."""
        def score(bar: float, running_on: float) -> float:
            settings.COVERAGE_LINK_PROBABILITY, settings.COVERAGE_RUNNING_ON = bar, running_on
            return alignment([g for g in gold if g["event"] in evs], predict(evs), texts)["pairwise"]["f1"]
        bar, running_on = max(((t, r) for r in running_ons for t in thresholds), key=lambda x: score(*x))
        settings.COVERAGE_LINK_PROBABILITY, settings.COVERAGE_RUNNING_ON = bar, running_on
        return {"threshold": bar, "running_on": round(running_on, 3)}

    report: dict = {"events": {}}
    try:
        folds = []
        for held in events:
            rest = [e for e in events if e != held]
            settings.COVERAGE_LINK_WEIGHTS = calibrate.fit([s for e in rest for s in samples[e]])
            chosen = choose(rest)
            folds.append(predict([held]))
            scored = alignment([g for g in gold if g["event"] == held], folds[-1], texts)
            report["events"][held] = {**chosen, "f1": scored["pairwise"]["f1"], "relations": scored["relation_accuracy"]}
        report["out_of_fold"] = alignment(gold, [f for fold in folds for f in fold], texts)
        # what the settings would be, fitted and chosen on all six
        settings.COVERAGE_LINK_WEIGHTS = calibrate.fit([s for e in events for s in samples[e]])
        report["fitted_on_all"] = {"weights": settings.COVERAGE_LINK_WEIGHTS, **choose(events)}
        for k, v in saved.items():
            setattr(settings, k, v)
        report["in_sample"] = alignment(gold, predict(events), texts)
    finally:
        for k, v in saved.items():
            setattr(settings, k, v)
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("QUOTEWIRE_DATA", str(ROOT.parent / "shared" / "data")))
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--skip-cost", action="store_true")
    ap.add_argument("--skip-growth", action="store_true")
    ap.add_argument("--mixed", action="store_true", help="also ingest the dev events among every page of article-extraction/")
    ap.add_argument("--loeo", action="store_true", help="also fit the link model leaving one event out")
    ap.add_argument("--orders", type=int, default=1,
                    help="with --mixed: place the feed in this many orders (ingest's and N-1 shuffles; 4 to check order)")
    args = ap.parse_args()
    report = {"quality": quality(pathlib.Path(args.data) / "crossoutlet-dev.jsonl")}
    if args.mixed:
        report["mixed_feed"] = mixed_feed(pathlib.Path(args.data), args.orders)
    if args.loeo:
        report["leave_one_event_out"] = leave_one_event_out(pathlib.Path(args.data) / "crossoutlet-dev.jsonl")
    if not args.skip_growth:
        report["event_growth"] = event_growth()
    if not args.skip_cost:
        report["placement"] = placement_cost([int(x) for x in args.sizes.split(",")])
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
