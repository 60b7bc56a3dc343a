"""A speaker's role as a clean title noun phrase ("former president", "executive producer of
drag race"), or nothing.

What the parse offers as a role is often an age ("77"), an honorific or a state ("ms.",
"ky."), a pronoun ("himself") or a clause cut from the sentence ("partner not", "cue cards in
hand", "writer who helped with ..."). A role is kept when it is a short phrase of words, with
no number, pronoun, verb-like or clause word in it, whose head (the last word before any "of"/
"for"/"at"/"to" complement) is a title word or reads as a person's occupation.
"""
from __future__ import annotations

import functools
import re

from .speakers import TITLE_WORDS

MAX_ROLE_WORDS = 7
#: words that end a noun phrase and start a clause or a circumstance: not part of a title
CLAUSE_WORDS = frozenset(
    """who whom whose which that not no never with without since when while because after before
    until if as than said says say told is was are were be been being has have had do does did
    will would can could may might should must in on into about also just very
    he she they it i we you him her them his hers its our their my your himself herself
    themselves itself myself yourself ourselves one ones two three four five six seven eight nine
    ten eleven twelve twenty thirty forty fifty sixty seventy eighty ninety hundred year years
    old aged age""".split()
)
#: nouns for people by what they are to others, that no ending gives away
PERSON_NOUNS = frozenset(
    """attorney official analyst expert aide ally envoy counsel critic pilot nurse chef wife husband
    friend colleague veteran host guest fan boss clerk rabbi imam priest bishop cardinal monk nun
    mother son daughter sister brother parent widow cousin uncle aunt niece nephew victim
    witness survivor resident student worker actress princess hostess heiress duchess countess
    waitress""".split()
)
#: a person, but no role: "a man", "the woman"
GENERIC_PEOPLE = frozenset("man woman person people guy individual someone".split())
#: the complements a title may carry after its head ("secretary of state", "minister for health")
_COMPLEMENT = frozenset("of for at to from".split())
#: endings of nouns for people by what they do (producer, senator, novelist, employee, spokesman)
_AGENT_END = re.compile(r"(?:er|or|ist|ian|ant|ent|ee|man|woman|person|ar|eer|ier|ive|ate|aire|ary|ologist|smith|wright|star|chief|head|mate)$")


@functools.lru_cache(maxsize=4096)  # a pure function asked again for every mention of a speaker
def clean_role(role: str | None) -> str | None:
    """The role as one line of lowercase words, or None when it is not a title noun phrase."""
    if not role:
        return None
    text = " ".join(role.split()).strip(" ,;:.-–—'\"‘’“”()").lower()
    words = text.split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    text = " ".join(words)
    if not words or len(words) > MAX_ROLE_WORDS or len(text) > 80:
        return None
    if any(ch.isdigit() for ch in text) or re.search(r"[,;:()\[\]!?\"“”]", text):
        return None
    if any(w.strip(".'’") in CLAUSE_WORDS for w in words):
        return None
    if any(len(w.strip(".")) <= 1 or re.fullmatch(r"[a-z]{1,3}\.", w) for w in words):
        return None  # initials, honorifics and state abbreviations ("d", "ms.", "ky.")
    if words[-1] in _COMPLEMENT:
        return None  # cut off mid-phrase ("appointee of")
    head_words = words
    for n, w in enumerate(words):
        if w in _COMPLEMENT:
            head_words = words[:n]
            break
    if not head_words:
        return None
    head = head_words[-1].strip(".'’")
    if head in ("mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "prof") or head in GENERIC_PEOPLE:
        return None  # an honorific is how a name is addressed, not a role; "man" is no title
    if head in TITLE_WORDS or head in PERSON_NOUNS or any(p in TITLE_WORDS for p in head.split("-")) or _AGENT_END.search(head):
        return text
    return None


def clean_roles(roles) -> tuple[str, ...]:
    """The clean roles of a set, sorted, each once; a list ("77, former president") gives
    each of its parts that is a role."""
    parts = (p for x in roles if x for p in re.split(r"[,;]", x))
    return tuple(sorted({r for r in (clean_role(p) for p in parts) if r}))
