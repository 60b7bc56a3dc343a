"""The scores of ANNOTATION.md on hand-made gold and predictions (no model)."""
from __future__ import annotations

from quotewire.evaluate import map_offsets, name_ends, score, speaker_right, trimmed
from collections import Counter

TEXT = '"We will win," the coach said. Officials said the road was closed. Putin said Russia wants peace.'


def q(content, cue=None, source=None, speaker=None, kind="indirect"):
    return {"kind": kind, "content": content, "cue": cue or [], "source": source, "speaker": speaker}


def spans(part: str) -> list[list[int]]:
    i = TEXT.index(part)
    return [[i, i + len(part)]]


GOLD = [{
    "id": "a", "text": TEXT,
    "attributions": [
        q(spans('"We will win,"'), spans("said"), spans("the coach"), None, "direct"),
        q(spans("the road was closed"), spans("said the")[:1] and [[TEXT.index("said the"), TEXT.index("said the") + 4]], spans("Officials"), None),
        q(spans("Russia wants peace"), [[TEXT.index("said Russia"), TEXT.index("said Russia") + 4]], spans("Putin"), "Vladimir Putin"),
    ],
}]


def test_evaluate_perfect_prediction_scores_one():
    s = score(GOLD, {"a": {"text": TEXT, "quotes": GOLD[0]["attributions"]}})
    assert s["content_overlap"]["f1"] == 1.0 and s["content_exact"]["f1"] == 1.0
    assert s["source_exact_accuracy"] == 1.0 and s["who_said_what"]["f1"] == 1.0


def test_evaluate_overlap_needs_half_the_gold_tokens():
    half = spans("the road")  # 2 of 4 gold tokens: overlap, not exact
    third = spans("road")  # 1 of 4: neither
    s1 = score(GOLD, {"a": {"text": TEXT, "quotes": [q(half)]}})
    s2 = score(GOLD, {"a": {"text": TEXT, "quotes": [q(third)]}})
    assert s1["content_overlap"]["tp"] == 1 and s1["content_exact"]["tp"] == 0
    assert s2["content_overlap"]["tp"] == 0
    assert s1["content_overlap"]["precision"] == 1.0 and round(s1["content_overlap"]["recall"], 3) == 0.333


def test_evaluate_exact_ignores_edge_punctuation_and_space():
    i = TEXT.index("the road was closed")
    s = score(GOLD, {"a": {"text": TEXT, "quotes": [q([[i - 1, i + len("the road was closed") + 1]])]}})
    assert s["content_exact"]["tp"] == 1


def test_evaluate_speaker_surname_alone_matches_when_unique():
    assert speaker_right("Vladimir Putin", "Putin", Counter({"putin": 1}))
    assert not speaker_right("Vladimir Putin", "Putin", Counter({"putin": 2}))
    assert speaker_right("the Kremlin", "Kremlin", Counter())
    assert speaker_right(None, None, Counter()) and not speaker_right(None, "Putin", Counter())


def test_evaluate_speaker_ignores_a_trailing_legal_suffix():
    assert speaker_right("Apple Inc.", "Apple", Counter())
    assert speaker_right("Harbour Metals", "Harbour Metals plc", Counter())
    assert speaker_right("Orchard Foods Co. Ltd", "orchard foods", Counter())
    assert speaker_right("Harbour Metals Company", "Harbour Metals", Counter())
    assert not speaker_right("Apple Inc.", "Orange Inc.", Counter())
    assert speaker_right("Co", "co", Counter())  # a name that is only a suffix keeps it


def test_evaluate_speaker_first_or_last_word_matches_when_no_other_speaker_has_it():
    ends = name_ends(["Li Wei", "Kim Min-jun", "Wang Fang"])
    assert speaker_right("Li Wei", "Li", ends)  # family name first
    assert speaker_right("Li Wei", "Wei", ends)
    assert speaker_right("Li", "Li Wei", ends)
    assert not speaker_right("Li Wei", "Fang", ends)
    shared = name_ends(["Li Wei", "Li Qiang"])
    assert not speaker_right("Li Wei", "Li", shared)
    assert speaker_right("Li Wei", "Wei", shared)
    # a middle word never matches alone
    assert not speaker_right("Mary Ann Smith", "Ann", name_ends(["Mary Ann Smith"]))


def test_evaluate_scores_speakers_with_first_word_rule():
    text = "Li Wei said the port would reopen. Apple Inc. said sales grew."
    gold = [{"id": "z", "text": text, "attributions": [
        q([[12, 34]], speaker="Li Wei"), q([[51, 62]], speaker="Apple Inc."),
    ]}]
    pred = {"z": {"text": text, "quotes": [q([[12, 34]], speaker="Li"), q([[51, 62]], speaker="Apple")]}}
    s = score(gold, pred)
    assert s["speakers_right"] == 2 and s["who_said_what"]["f1"] == 1.0
    pred["z"]["quotes"][0]["speaker"] = "Wang"
    assert score(gold, pred)["speakers_right"] == 1


def test_evaluate_maps_offsets_when_text_differs():
    other = "Header line\n\n" + TEXT
    shift = len("Header line\n\n")
    moved = [dict(a, content=[[s + shift, e + shift] for s, e in a["content"]],
                  cue=[[s + shift, e + shift] for s, e in a["cue"]],
                  source=[[s + shift, e + shift] for s, e in a["source"]] if a["source"] else None)
             for a in GOLD[0]["attributions"]]
    s = score(GOLD, {"a": {"text": other, "quotes": moved}})
    assert s["content_exact"]["f1"] == 1.0
    assert map_offsets(other, TEXT)(shift) == 0


def test_evaluate_trimmed_drops_empty_spans():
    assert trimmed(TEXT, [[0, 1], [1, 13]]) == [(1, 12)]
