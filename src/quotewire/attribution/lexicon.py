"""The cue lexicon: which words introduce what someone said, wrote, thought or intended.

Two sources: a hand list of speech verbs (tier 1, enough on their own next to a quote) and
lexicon.json, (lemma, frame) pairs learnt from PolNeAR train by tools/build_lexicon.py with
the number of times the frame gave the gold content and the number of times it occurred.
"""
from __future__ import annotations

import functools
import json
from importlib import resources

SPEECH_LEMMAS = frozenset(
    """say tell add ask note stress write state declare explain insist argue claim reply respond
    answer comment remark recall announce warn urge sum conclude continue admit acknowledge
    concede confirm deny emphasize emphasise underline point suggest report testify tweet post
    joke quip shout yell scream cry whisper mutter murmur exclaim interject interrupt observe
    recount describe predict promise vow pledge assure reassure boast complain lament allege
    assert maintain contend counter retort reiterate repeat stress specify mention reveal
    disclose announce caution advise demand propose recommend plead pray wonder agree object
    protest charge accuse praise thank criticize criticise blast slam write tell inform brief
    affirm proclaim indicate signal hint imply estimate forecast calculate explain elaborate
    clarify correct begin start finish end go think believe hope fear feel expect
    """.split()
)

#: "according to" and friends: the cue is a phrase, the source its object.
ACCORDING_HEADS = frozenset({"accord"})


def is_speech_lemma(lemma: str) -> bool:
    return lemma.lower() in SPEECH_LEMMAS


@functools.lru_cache(maxsize=1)
def learnt_frames() -> dict[tuple[str, str], float]:
    """(lemma, frame) -> share of its occurrences in train that were cues with that content."""
    raw = json.loads(resources.files(__package__).joinpath("lexicon.json").read_text(encoding="utf-8"))
    return {tuple(k.split("|", 1)): good / seen for k, (good, seen) in raw.items()}  # type: ignore[misc]


def frame_score(lemma: str, frame: str) -> float:
    return learnt_frames().get((lemma.lower(), frame), 0.0)
