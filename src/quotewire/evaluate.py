"""The scores of data/ANNOTATION.md, computed the same way for any system's output.

Quotes are matched one to one, gold to predicted, by the largest token overlap of content.
Returns plain dicts; the CLI renders them.
"""
from __future__ import annotations

import difflib
import json
import re
import string
from collections import Counter, defaultdict
from typing import Any, Iterable, Sequence

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_TRIM = string.punctuation + "“”‘’«»—–… \n\t\r"

Spans = Sequence[Sequence[int]]


def tokens(text: str, spans: Spans | None) -> set[int]:
    """Start offsets of the word tokens inside spans (punctuation does not count)."""
    out: set[int] = set()
    for s, e in spans or ():
        for m in _TOKEN_RE.finditer(text, s, e):
            if m.group()[0].isalnum() or m.group() == "_":
                out.add(m.start())
    return out


def trimmed(text: str, spans: Spans | None) -> list[tuple[int, int]]:
    """Spans with white space and punctuation cut from both ends; empty ones dropped."""
    out = []
    for s, e in spans or ():
        while s < e and text[s] in _TRIM:
            s += 1
        while e > s and text[e - 1] in _TRIM:
            e -= 1
        if e > s:
            out.append((s, e))
    return sorted(out)


# legal-form suffixes that do not change who speaks ("Apple Inc." is Apple), ANNOTATION.md
LEGAL_SUFFIXES = frozenset(
    "inc incorporated ltd limited plc llc llp corp corporation co company gmbh ag sa nv bv pty spa".split()
)


def _norm_name(name: str | None) -> str:
    """Lowercase words, punctuation and "the" dropped, a trailing legal suffix cut."""
    if not name:
        return ""
    words = [w for w in re.sub(r"[^\w\s]", " ", name.lower()).split() if w != "the"]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def name_ends(names: Iterable[str | None]) -> Counter[str]:
    """For each word, how many of the distinct speakers have it as first or last word."""
    out: Counter[str] = Counter()
    for name in {_norm_name(n) for n in names if n}:
        words = name.split()
        if len(words) > 1:
            out.update({words[0], words[-1]})
        elif words:
            out[words[0]] += 1
    return out


def speaker_right(gold: str | None, pred: str | None, ends: Counter[str]) -> bool:
    """Case, punctuation and a legal suffix ignored; a single word matches a multi-word name
    whose first or last word it is, when no other speaker of the article has that word there
    ("Putin" for "Vladimir Putin", "Li" for "Li Wei"); ``ends`` is ``name_ends`` of the gold."""
    g, p = _norm_name(gold), _norm_name(pred)
    if not g or not p:
        return g == p
    if g == p:
        return True
    gw, pw = g.split(), p.split()
    for one, full in ((pw, gw), (gw, pw)):
        if len(one) == 1 and len(full) > 1 and one[0] in (full[0], full[-1]) and ends[one[0]] <= 1:
            return True
    return False


def map_offsets(src: str, dst: str) -> callable:
    """A function taking an offset in src to the aligned offset in dst (identity when equal)."""
    if src == dst:
        return lambda i: i
    matcher = difflib.SequenceMatcher(None, src, dst, autojunk=False)
    blocks = matcher.get_matching_blocks()

    def f(i: int) -> int:
        for a, b, size in blocks:
            if a <= i <= a + size:
                return b + (i - a)
            if a > i:
                return b
        return len(dst)

    return f


def match(gold: list[dict], pred: list[dict], text: str) -> list[tuple[int, int, int]]:
    """(gold index, pred index, overlap) pairs, greedily by largest content-token overlap."""
    gtoks = [tokens(text, g["content"]) for g in gold]
    ptoks = [tokens(text, p["content"]) for p in pred]
    pairs = []
    for gi, gt in enumerate(gtoks):
        for pi, pt in enumerate(ptoks):
            n = len(gt & pt)
            if n:
                pairs.append((n, gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p, out = set(), set(), []
    for n, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi, n))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp}


def score(gold_articles: Iterable[dict], predicted: dict[str, dict]) -> dict[str, Any]:
    """Scores over all articles; ``predicted`` maps id to the system's record (id, text, quotes)."""
    c: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    jaccards: list[float] = []
    has_speakers = False
    for g in gold_articles:
        text = g["text"]
        gold = g["attributions"]
        p = predicted.get(g["id"], {"text": text, "quotes": []})
        pred = p.get("quotes", [])
        if p.get("text", text) != text:
            f = map_offsets(p["text"], text)
            pred = [_remap(q, f) for q in pred]
        c["gold"] += len(gold)
        c["pred"] += len(pred)
        for q in gold:
            by_kind[q["kind"]]["gold"] += 1
        for q in pred:
            by_kind[q.get("kind", "indirect")]["pred"] += 1
        ends = name_ends(q.get("speaker") for q in gold)
        if any("speaker" in q for q in gold):
            has_speakers = True
        for gi, pi, n in match(gold, pred, text):
            gq, pq = gold[gi], pred[pi]
            gt, pt = tokens(text, gq["content"]), tokens(text, pq["content"])
            jaccards.append(len(gt & pt) / len(gt | pt) if gt | pt else 0.0)
            overlap = bool(gt) and n >= 0.5 * len(gt)
            exact = trimmed(text, gq["content"]) == trimmed(text, pq["content"])
            kind = gq["kind"]
            if exact:
                c["exact"] += 1
                by_kind[kind]["exact"] += 1
            if not overlap:
                continue
            c["overlap"] += 1
            by_kind[kind]["overlap"] += 1
            c["source_right"] += trimmed(text, gq.get("source")) == trimmed(text, pq.get("source"))
            c["cue_right"] += trimmed(text, gq.get("cue")) == trimmed(text, pq.get("cue"))
            c["kind_right"] += gq["kind"] == pq.get("kind")
            if "speaker" in gq:
                ok = speaker_right(gq.get("speaker"), pq.get("speaker"), ends)
                c["speaker_right"] += ok
                c["who_said_what"] += ok
    matched = c["overlap"]
    result: dict[str, Any] = {
        "gold": c["gold"],
        "predicted": c["pred"],
        "content_overlap": _prf(c["overlap"], c["pred"], c["gold"]),
        "content_exact": _prf(c["exact"], c["pred"], c["gold"]),
        "content_jaccard": round(sum(jaccards) / len(jaccards), 4) if jaccards else 0.0,
        "source_exact_accuracy": round(c["source_right"] / matched, 4) if matched else 0.0,
        "cue_exact_accuracy": round(c["cue_right"] / matched, 4) if matched else 0.0,
        "kind_accuracy": round(c["kind_right"] / matched, 4) if matched else 0.0,
        "by_kind": {
            k: {
                "gold": v["gold"],
                "predicted": v["pred"],
                "overlap_recall": round(v["overlap"] / v["gold"], 4) if v["gold"] else 0.0,
                "exact_recall": round(v["exact"] / v["gold"], 4) if v["gold"] else 0.0,
            }
            for k, v in sorted(by_kind.items())
        },
    }
    if has_speakers:
        result["speaker_accuracy"] = round(c["speaker_right"] / matched, 4) if matched else 0.0
        result["speakers_right"] = c["speaker_right"]
        result["who_said_what"] = _prf(c["who_said_what"], c["pred"], c["gold"])
    return result


def _remap(q: dict, f) -> dict:
    out = dict(q)
    for key in ("content", "cue", "source"):
        if q.get(key):
            out[key] = [[f(s), f(e)] for s, e in q[key]]
    return out


def read_gold(path: str) -> list[dict]:
    """Gold articles of ANNOTATION.md; a line without attributions is an error that says so."""
    from .errors import QuotewireError

    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise QuotewireError("Q021", path=path, line=n, reason=exc.msg) from None
            if not isinstance(row.get("attributions"), list) or not isinstance(row.get("text"), str):
                raise QuotewireError("Q030", path=path, line=n)
            rows.append(row)
    return rows


def evaluate(gold_path: str, settings=None, predictions: str | None = None, on_article=None) -> dict[str, Any]:
    """Score a system on a gold file: ours (run now) or the JSON Lines output of any system."""
    import time

    from .clean import mark_datelines
    from .model import Article, Failure
    from .pipeline import annotate_many

    gold = read_gold(gold_path)
    predicted: dict[str, dict] = {}
    failures: list[Failure] = []
    started = time.perf_counter()
    if predictions:
        with open(predictions, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    predicted[str(rec.get("id"))] = rec
    else:
        items = (mark_datelines(Article(text=g["text"], id=str(g["id"]))) for g in gold)
        for result in annotate_many(items, settings):
            if isinstance(result, Failure):
                # scored as an article with nothing found, and said: never dropped silently
                failures.append(result)
                continue
            predicted[result.id] = result.to_dict()
            if on_article:
                on_article(result)
    scores = score(gold, predicted)
    scores["articles"] = len(gold)
    scores["failures"] = [str(f) for f in failures]
    scores["seconds"] = round(time.perf_counter() - started, 2)
    scores["gold_file"] = gold_path
    return scores
