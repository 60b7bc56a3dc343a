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

#: Acts, decisions, votes, refusals, plans and dealings: PolNeAR marks some of them, but they
#: are not speech, thought, belief or intention as ANNOTATION.md defines them ("decided to",
#: "voted to acquit", "refused to", "is considering", "bought", "sided with").
#: Only their non-clausal frames are dropped: "she decided that ..." still reports a thought.
#: "offer" stays: PolNeAR dev marks offers as attitudes (7 of 8 right), and dropping it took
#: PolNeAR content overlap below its floor.
ACTION_LEMMAS = frozenset(
    """decide vote refuse decline consider plan scramble buy sell acquire purchase make
    issue seek side authorize authorise discover continue try attempt prepare schedule manage
    fail help use give spend hire launch sue ban sign pass return stop keep leave move push pay
    provide file deliver bring send set establish create roll cut turn play hold win follow
    join require""".split()
)
ACTION_FRAMES = frozenset({"xcomp", "dobj"})
#: "This photo shows ...": a caption describes a picture; nobody is reported
CAPTION_NOUNS = frozenset("image photo photograph picture screenshot screengrab file handout".split())
#: "Asked about the delay, she said ...", "when asked to comment": being asked is not speaking
ASKED_LEMMAS = frozenset("ask question quiz press".split())
#: "declined to comment on X", "refused to say whether": the speech they govern did not happen
REFUSAL_LEMMAS = frozenset("decline refuse fail".split())


def is_action(lemma: str, frame: str) -> bool:
    """An act rather than a report: its frame carries no clause of what was said or thought."""
    return lemma.lower() in ACTION_LEMMAS and (frame in ACTION_FRAMES or frame.startswith("prep_"))


#: "according to" and friends: the cue is a phrase, the source its object.
ACCORDING_HEADS = frozenset({"accord"})


def is_speech_lemma(lemma: str) -> bool:
    return lemma.lower() in SPEECH_LEMMAS


@functools.lru_cache(maxsize=1)
def frame_counts() -> dict[tuple[str, str], tuple[int, int]]:
    """lexicon.json, read once per process: (lemma, frame) -> (times the frame gave the gold
    content, times it occurred) in train. The rules, the tagger's features and the selective
    parse all read it from here."""
    raw = json.loads(resources.files(__package__).joinpath("lexicon.json").read_text(encoding="utf-8"))
    return {tuple(k.split("|", 1)): (good, seen) for k, (good, seen) in raw.items()}  # type: ignore[misc]


@functools.lru_cache(maxsize=1)
def learnt_frames() -> dict[tuple[str, str], float]:
    """(lemma, frame) -> share of its occurrences in train that were cues with that content."""
    return {key: good / seen for key, (good, seen) in frame_counts().items()}


@functools.lru_cache(maxsize=1)
def _learnt_lemmas() -> frozenset[str]:
    return frozenset(lemma for lemma, _ in learnt_frames())


@functools.lru_cache(maxsize=4096)
def cue_lemma(lemma: str) -> str:
    """The lemma as the lexicon knows it: PolNeAR train is American, so a British spelling
    ("emphasise", "criticise", "analyse") takes the American one when only that is known."""
    lemma = lemma.lower()
    known = _learnt_lemmas()
    if lemma in known:
        return lemma
    for gb, us in (("ise", "ize"), ("yse", "yze")):
        if lemma.endswith(gb) and lemma[: -len(gb)] + us in known:
            return lemma[: -len(gb)] + us
    return lemma


def frame_score(lemma: str, frame: str) -> float:
    return learnt_frames().get((cue_lemma(lemma), frame), 0.0)
