"""Speaker resolution: from the source mention as written to who it is, within one article.

No coreference model installs offline, so this is ours, in the order of ATTRIBUTION.md:
names go to the article's alias table (the fullest form, matched by surname); titles and
appositives give a name and a role; a definite role noun goes to the holder of that role, and
to no one the article only names in passing (an object, a historical comparison); he/she to the
nearest fitting subject earlier in its sentence, then the one subject of the sentence before,
then the previous speaker (a person named in an object of the sentence goes before a previous
speaker of unknown gender); it/they to the last organisation; anonymous mentions ("officials",
"a source", "one study", "other studies", "Trump's advisers") keep their source and get no
speaker; a proper noun the model tagged as no one names a person only if it could (not a common
word the article writes in lower case too, not a modifier of a common noun). A person's gender
comes from the article (Mr/Ms, and he/she outside quotation marks after a lone name, which
outvote a title three to one), never from lists of first names. The model's labels are voted
per name (one name, one kind; a tie on a plain two- or three-word name is a person), datelines and
photo credits name nobody, abbreviations defined in the text resolve to the full name, and a
single word that starts one person's name ("Li" for "Li Wei") is that person. Two full names
of one surname with different first names are two people ("Hunter Biden", "Joe Biden"); a
name right after a person's title is a person whatever the model tagged it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..model import Speaker
from ..wire import dateline_cut
from .common import SUBJECT_DEPS

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f", "i": None, "we": None}
GROUP_PRONOUNS = {"it", "they", "them"}
RELATIVES = {"who", "which", "that"}
DETERMINERS_INDEFINITE = {"a", "an", "one", "some", "several", "many", "two", "three", "four", "few", "most", "other", "another", "any"}
ANONYMOUS_HEADS = frozenset(
    """official source people person someone anyone aide adviser advisor analyst expert observer
    insider witness resident critic supporter opponent voter member staffer diplomat lawmaker
    economist investor trader reporter journalist participant employee worker activist
    spokesperson sources officials""".split()
)
ORG_HEADS = frozenset(
    """ministry department agency government company firm office commission committee council
    police force army military court ministry yard guard service bank party campaign administration group team
    organization organisation union board authority statement report study poll survey
    corporation broadcaster newspaper network channel website paper""".split()
)
# heads that describe a body already named ("the Cupertino, Calif., company", "the Seoul daily"):
# they refer back to it rather than name a new one
GENERIC_ORG_HEADS = frozenset(
    "company firm group corporation business newspaper paper daily broadcaster network channel website outlet team club side".split()
)
PERSON_VOICES = frozenset("spokesman spokeswoman spokesperson representative".split())
VOICE_HEADS = PERSON_VOICES | frozenset(
    "statement report timeline release memo letter tweet post ruling verdict judgment judgement".split()
)
# documents that speak for whoever made them: "a study", "two polls", "studies" name no one
DOCUMENT_HEADS = frozenset("report study poll survey review analysis paper research trial".split())
LEADER_HEADS = frozenset(
    "president leader premier chancellor minister king queen prime head chief monarch governor mayor".split()
)
TITLE_WORDS = frozenset(
    """president vice prime minister premier chancellor secretary senator sen rep representative
    governor gov mayor king queen prince princess sheikh pope general gen colonel col admiral
    ambassador spokesman spokeswoman spokesperson director chairman chairwoman chair ceo chief
    coach judge justice commissioner minister deputy leader head candidate nominee speaker
    coroner sheriff officer inspector professor prof dr doctor mr mrs ms miss sir lord lady
    editor-in-chief editor founder executive manager captain""".split()
)
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss sir lady dr dr.".split())
HONORIFIC_GENDER = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "sir": "m", "lady": "f", "king": "m", "queen": "f"}
@dataclass
class Person:
    name: str
    surname: str
    aliases: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    gender: str | None = None
    first_token: int = 0
    titled: int = 0  # how often a title gave the gender (Mr, Ms, Miss)


@dataclass
class ArticleEntities:
    """The article's alias table: people by surname, organisations by name."""

    people: dict[str, Person] = field(default_factory=dict)  # surname -> Person
    orgs: dict[str, str] = field(default_factory=dict)  # lowercase form -> canonical
    person_mentions: list[tuple[int, str]] = field(default_factory=list)  # (token index, surname)
    org_mentions: list[tuple[int, str]] = field(default_factory=list)
    # words the article itself uses as a role ("the Taoiseach said"): a name never starts with one
    role_words: frozenset[str] = frozenset()
    kinds: dict[str, str] = field(default_factory=dict)  # name -> PERSON or ORG, where the model disagreed with itself
    # first word -> surname key: family names come first in Chinese and Korean names ("Li" for "Li Wei")
    first_words: dict[str, str] = field(default_factory=dict)

    def person(self, surname: str) -> Person | None:
        return self.people.get(surname) or self.people.get(self.first_words.get(surname, ""))


def _clean_name(span: SpacySpan, role_words: frozenset[str] = frozenset()) -> list[Token]:
    toks = [t for t in span if not (t.is_punct and t.text not in ("-", ".")) and t.lower_ not in ("'s", "’s", "'", "’")]
    while toks and toks[0].lower_.strip(".") in TITLE_WORDS | {"the"}:
        toks = toks[1:]
    while len(toks) > 1 and toks[0].lower_ in role_words:
        toks = toks[1:]
    return toks


# a title's abbreviation before a name, spelt out so "the governor" finds "Gov. Eric Holcomb"
TITLE_ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "gen": "general", "lt": "lieutenant",
    "col": "colonel", "sgt": "sergeant", "capt": "captain", "adm": "admiral", "supt": "superintendent",
    "atty": "attorney", "pres": "president", "prof": "professor", "cmdr": "commander",
}


def _spelt_out(role: str) -> str:
    return " ".join(TITLE_ABBREVIATIONS.get(w.rstrip("."), w) for w in role.split())


def _modifies_next(tok: Token) -> bool:
    """A name used as a modifier of the noun after it ("the NASA team")."""
    if tok.dep_:
        return tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i
    # an unparsed sentence: a common or proper noun right after that no entity claims
    return tok.i + 1 < len(tok.doc) and tok.nbor(1).pos_ in ("NOUN", "PROPN") and not tok.nbor(1).ent_type_


def _hyphen_end(doc: Doc, end: int) -> int:
    """'Kwon Young-se' when the model stopped at 'Young': a hyphen glued on both sides continues the name."""
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_ and doc[end + 1].is_alpha:
        end += 2
    return end


def role_words(doc: Doc) -> frozenset[str]:
    """Capitalised words heading a definite noun phrase that names no one ("the Taoiseach",
    "the Ceann Comhairle"): the article uses them as titles, so "Taoiseach Leo Varadkar" is Leo Varadkar."""
    out: set[str] = set()
    for tok in doc:
        if tok.lower_ != "the" or tok.i + 1 >= len(doc):
            continue
        run = []
        j = tok.i + 1
        while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and doc[j].ent_type_ != "PERSON":
            run.append(doc[j])
            j += 1
        # the run must be the whole phrase (not "the Kim family") and be followed by a verb or punctuation
        if run and run[-1].dep_ not in ("compound", "amod", "poss") and (j >= len(doc) or doc[j].pos_ in ("VERB", "AUX", "PUNCT")):
            out.update(t.lower_ for t in run)
    # ... and which it also puts right before a name ("Taoiseach Leo Varadkar"), so not "the BBC"
    before_names: set[str] = set()
    in_org_names: set[str] = set()  # "the Herald Business", "Herald Media": a name's word, not a title
    for ent in doc.ents:
        if ent.label_ in _ORGISH and len([t for t in ent if t.pos_ == "PROPN"]) > 1:
            in_org_names.update(t.lower_ for t in ent)
        if ent.label_ == "PERSON":
            before_names.update(t.lower_ for t in ent[:-1])
            k = ent.start - 1
            while k >= 0 and doc[k].pos_ == "PROPN" and k >= ent.start - 3:
                before_names.add(doc[k].lower_)
                k -= 1
    return frozenset((out & before_names) - in_org_names)


def within(regions: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a character offset lies in one of ``regions`` (non-overlapping (start, end)
    pairs, as quotations are): a binary search, since it is asked for every mention."""
    regions = sorted(regions)
    starts = [s for s, _ in regions]

    def inside(char: int) -> bool:
        k = bisect.bisect_right(starts, char) - 1
        return k >= 0 and char < regions[k][1]
    return inside


def in_subject(tok: Token) -> bool | None:
    """Whether a name's token is (part of) a clause's subject: "Putin said", "Kurt Volker, the
    envoy, said", not "the fate of Hitler" or "Nazi Germany's Hitler". None where the sentence
    was not parsed (the selective parse leaves most sentences without one)."""
    if not tok.dep_:
        return None
    seen = 0
    while tok.dep_ in ("compound", "flat", "appos", "conj") and tok.head.i != tok.i and seen < 6:
        tok = tok.head
        seen += 1
    return tok.dep_ in SUBJECT_DEPS


def _first_word(name: str) -> str:
    return name.split()[0].lower().strip(".") if name.split() else ""


def _other_person(person: Person, name: str) -> bool:
    """A full name whose first name differs from every full name the person goes by (not an
    initial of it): someone else of the same surname."""
    if len(name.split()) < 2:
        return False
    first = _first_word(name)
    firsts = {_first_word(a) for a in person.aliases if len(a.split()) >= 2}
    if not firsts or first in firsts:
        return False
    return not any(f.startswith(first) or first.startswith(f) for f in firsts)


# a possessive on a name, with any apostrophe (the tokenizer splits "Biden's" and "Biden’s",
# not "Biden‘s")
_POSSESSIVE_END = re.compile(r"(?<=\w)['’‘`´ʼ]s$")


def _surname(tokens: list[Token]) -> str:
    words = [t.text for t in tokens if t.text not in ("-", ".") and not re.fullmatch(r"(jr|sr|ii|iii)\.?", t.lower_)]
    return _POSSESSIVE_END.sub("", words[-1].lower()) if words else ""


def _name_text(tokens: list[Token]) -> str:
    return _POSSESSIVE_END.sub("", "".join(t.text_with_ws for t in tokens).strip())


def _role_before(ent: SpacySpan) -> str | None:
    """'Russian President Vladimir Putin' -> 'Russian President' (the compound/amod words before)."""
    doc = ent.doc
    i = ent.start - 1
    words: list[Token] = []
    while i >= 0 and doc[i].dep_ in ("compound", "amod", "nmod") and doc[i].ent_type_ != "PERSON" and not doc[i].is_punct:
        words.insert(0, doc[i])
        i -= 1
    if any(w.lower_.strip(".") in TITLE_WORDS for w in words):
        return _role_text(words)
    return None


def _role_text(tokens: list[Token], keep_person: bool = False) -> str | None:
    """Role words as lowercase text: no determiners, possessives, punctuation or names."""
    words = [
        t.lower_ for t in tokens
        if not t.is_punct and t.dep_ not in ("det", "poss", "case") and (keep_person or t.ent_type_ != "PERSON")
    ]
    return " ".join(words) or None


def _appositive_role(tok: Token, name_start: int | None = None) -> str | None:
    """'Doug Bennett, executive director ...' or 'The NSW premier, Gladys Berejiklian'."""
    start = tok.i if name_start is None else name_start
    for c in tok.children:
        if c.dep_ == "appos" and c.ent_type_ != "PERSON":
            return _role_text(list(c.subtree))
    if tok.dep_ == "appos" and tok.head.ent_type_ != "PERSON" and tok.head.pos_ == "NOUN":
        return _role_text([t for t in tok.head.subtree if t.i < start])
    return None


_ORGISH = ("ORG", "NORP", "GPE", "FAC")


def _ent_key(ent: SpacySpan) -> str:
    return _name_text([t for t in ent if t.lower_ not in ("'s", "’s")]).lower().removeprefix("the ")


def _label_votes(doc: Doc) -> dict[str, str]:
    """The label a name gets most often in the article: one name, one kind ("Sinn Féin" tagged
    PERSON three times and NORP or ORG six is an organisation)."""
    votes: dict[str, list[int]] = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON" or ent.label_ in _ORGISH:
            v = votes.setdefault(_ent_key(ent), [0, 0])
            v[0 if ent.label_ == "PERSON" else 1] += 1
    places = {t.lower_ for ent in doc.ents if ent.label_ in ("GPE", "NORP", "LOC", "FAC") for t in ent}
    return {k: ("PERSON" if p > o or (p == o and _person_like(k, places)) else "ORG") for k, (p, o) in votes.items() if p and o}


def _person_like(key: str, places: set[str]) -> bool:
    """'kurt volker' (tagged PERSON once, ORG once as "Kurt Volker's"): two or three plain words,
    none a body's head word nor a place's ("Indiana Statehouse"), read as a given name and a surname."""
    words = key.split()
    return 2 <= len(words) <= 3 and all(w.isalpha() for w in words) and not set(words) & (ORG_HEADS | GENERIC_ORG_HEADS | places)


ABBREVIATION_RE = re.compile(r"((?:the\s+|The\s+)?(?:[A-Z][\w&'’.-]*\s+(?:(?:of|for|and|on|the|de)\s+)*){1,8})\(([A-Z][A-Za-z&]{1,7})\)")


def defined_abbreviations(text: str) -> dict[str, str]:
    """'the National Transport Authority (NTA)' -> {'nta': 'the National Transport Authority'}:
    the capitals of the abbreviation are the initials of the words before it."""
    out: dict[str, str] = {}
    for m in ABBREVIATION_RE.finditer(text):
        words = m.group(1).split()
        abbr = m.group(2)
        caps = [c for c in abbr if c.isupper()]
        # the fewest words ending before the bracket whose capitals spell the abbreviation
        for k in range(len(words) - 1, -1, -1):
            tail = [w for w in words[k:] if w[:1].isupper() and w.lower() != "the"]
            initials = [w[0] for w in tail]
            if initials == caps:
                lead = "the " if k > 0 and words[k - 1].lower() == "the" else ""
                out[abbr.lower()] = lead + " ".join(words[k:])
                break
            if len(initials) > len(caps):
                break
    return out


def build_entities(doc: Doc, skip: list[tuple[int, int]] | None = None) -> ArticleEntities:
    """People cluster by surname; the fullest form seen is the canonical name. Entities inside
    ``skip`` (datelines, bylines) are not names of anyone in the article."""
    from .common import text_of

    table = ArticleEntities(role_words=role_words(doc))
    votes = _label_votes(doc)
    skip = skip or []
    for ent in doc.ents:
        if any(s <= ent.start_char < e for s, e in skip):
            rest = [t for t in ent if not any(s <= t.idx < e for s, e in skip) and not t.is_punct]
            if not rest:
                continue
            ent = SpacySpan(doc, rest[0].i, ent.end, label=ent.label_)
        label = votes.get(_ent_key(ent), ent.label_) if ent.label_ == "PERSON" or ent.label_ in _ORGISH else ent.label_
        if label == "PERSON":
            end = _hyphen_end(doc, ent.end)
            toks = _clean_name(doc[ent.start : end], table.role_words)
            if not toks:
                continue
            surname = _surname(toks)
            if not surname:
                continue
            name = _name_text(toks)
            person = table.people.get(surname)
            if person is not None and _other_person(person, name):
                # "Hunter Biden" beside "Joe Biden": one surname, two people; the full name is the key
                surname = name.lower()
                person = table.people.get(surname)
            if person is None:
                person = table.people[surname] = Person(name, surname, first_token=ent.start)
            elif len(name.split()) > len(person.name.split()):
                person.name = name
            person.aliases.add(name)
            role = _role_before(ent)
            if role:
                person.roles.add(_spelt_out(role.lower()))
            inside = _role_text([t for t in ent if t.i < toks[0].i], keep_person=True)  # "Coroner Buster Barber" as one entity
            if inside:
                person.roles.add(_spelt_out(inside))
            app = _appositive_role(ent.root, ent.start)
            if app:
                person.roles.add(_spelt_out(app.lower()))
            titles = [t.lower_ for t in doc[max(0, ent.start - 1) : toks[0].i]]  # "Ms" before or inside the entity
            gender = next((HONORIFIC_GENDER[w] for w in titles if w in HONORIFIC_GENDER), None)
            if gender and person.gender is None:
                person.gender = gender
            if gender and gender == person.gender:
                person.titled += 1
            table.person_mentions.append((ent.start, surname))
        elif label in _ORGISH:
            toks = dateline_cut([t for t in ent if t.lower_ not in ("'s", "’s")])
            if not toks:
                continue
            name = _name_text(toks)
            start = toks[0].i
            lead = doc[start - 1].lower_ if start > 0 else ""
            if lead == "the" and _modifies_next(toks[-1]):
                lead = ""  # "the Apple Watch", "the NASA team": the article belongs to the noun after
            canon = ("the " + name) if lead == "the" and not name.lower().startswith("the ") else name
            if name.lower().startswith("the "):
                canon = "the " + name[4:]
            key = name.lower().removeprefix("the ")
            table.orgs.setdefault(key, canon)
            if canon.startswith("the ") and not table.orgs[key].startswith("the "):
                table.orgs[key] = canon
            table.org_mentions.append((ent.start, key))
    _link_first_words(table)
    # sm tags surnames as ORG now and then ("Trump" 262 times in PolNeAR train): a surname wins
    table.person_mentions.extend((i, table.person(k).surname) for i, k in table.org_mentions if table.person(k))
    table.person_mentions.sort()
    _learn_genders(doc, table)  # after: the pronouns after "Vale" (tagged ORG) count for Dana Vale
    table.org_mentions = [(i, k) for i, k in table.org_mentions if not table.person(k)]
    table.kinds = votes
    _merge_org_aliases(table)
    for abbr, full in defined_abbreviations(text_of(doc)).items():
        if abbr not in table.people:
            table.orgs.setdefault(full.lower().removeprefix("the "), full)
            table.orgs[abbr] = table.orgs[full.lower().removeprefix("the ")]
    return table


_MASC = {"he", "him", "his", "himself"}
_FEM = {"she", "her", "hers", "herself"}


def _learn_genders(doc: Doc, table: ArticleEntities) -> None:
    """Gender from the article itself: a person who is the only one named in a sentence,
    followed there or in the next sentence by he/his or she/her (and no other person named
    in between), votes for that gender. Titles (Mr, Ms) already set it and stay."""
    mentions = sorted(table.person_mentions)
    if not mentions:
        return
    votes: dict[str, list[int]] = {}
    sents = list(doc.sents)
    by_sent: dict[int, list[tuple[int, str]]] = {}
    k = 0
    for n, sent in enumerate(sents):
        while k < len(mentions) and mentions[k][0] < sent.end:
            if mentions[k][0] >= sent.start:
                by_sent.setdefault(n, []).append(mentions[k])
            k += 1
    from .common import text_of
    from .quotes import find_quotes

    in_quote = within([(q.start, q.end) for q in find_quotes(text_of(doc))])

    def outside_quotes(t: Token) -> bool:
        return not in_quote(t.idx)

    for n, found in by_sent.items():
        names = {s for _, s in found}
        if len(names) != 1:
            continue
        # a person only named in an object or a possessor ("at the hands of Joshua. She ...")
        # is not who the next sentence's pronoun is about
        subject = not any(in_subject(doc[i]) is False for i, _ in found) or any(in_subject(doc[i]) for i, _ in found)
        surname = names.pop()
        after = found[-1][0]
        # pronouns after the name in its own sentence; failing those, the next sentence's first;
        # never one inside quotation marks (the speaker's "she" is someone else)
        window = [t for t in sents[n] if t.i > after and t.lower_ in _MASC | _FEM and outside_quotes(t)]
        if not window and subject and n + 1 < len(sents) and n + 1 not in by_sent:
            window = [t for t in sents[n + 1] if t.lower_ in _MASC | _FEM and outside_quotes(t)][:1]
        m = sum(t.lower_ in _MASC for t in window)
        f = sum(t.lower_ in _FEM for t in window)
        if m or f:
            v = votes.setdefault(surname, [0, 0])
            v[0] += m > f
            v[1] += f > m
    for surname, (m, f) in votes.items():
        p = table.people.get(surname)
        if p is None or m == f:
            continue
        learnt = "m" if m > f else "f"
        # a title sets the gender, unless the article's pronouns say otherwise far more often
        # (a stage name: "Miss X" whom the article calls "he" throughout)
        if p.gender is None or (p.gender != learnt and abs(m - f) >= 3 * max(1, p.titled)):
            p.gender = learnt


def _link_first_words(table: ArticleEntities) -> None:
    """A single word that is the first word of exactly one person's name, and no one's last,
    names that person ("Li" for "Li Wei", "Hong" for "Hong Jung-wook")."""
    counts: dict[str, int] = {}
    for p in table.people.values():
        words = p.name.lower().split()
        for w in set(words[:1] + words[-1:]) if len(words) > 1 else ():
            counts[w] = counts.get(w, 0) + 1
    for key, p in list(table.people.items()):
        words = p.name.lower().split()
        first = words[0] if words else ""
        if len(words) > 1 and counts.get(first) == 1 and first.strip(".") not in TITLE_WORDS and first[:1].isalpha():
            alone = table.people.get(first)
            if alone is None:
                table.first_words[first] = key
            elif alone.name.lower() == first:  # "Li" seen alone: the same person as "Li Wei"
                p.aliases |= alone.aliases
                p.roles |= alone.roles
                p.gender = p.gender or alone.gender
                table.people[first] = p


def _abbreviates(short: str, long: str) -> bool:
    """'met police' ~ 'metropolitan police' (word prefixes); 'bbc' ~ 'british broadcasting corporation'."""
    sw, lw = short.split(), long.split()
    if len(sw) == len(lw) >= 2 and sw != lw:
        # a cut word is a real abbreviation ("met"), not an inflection ("korea" ~ "korean")
        return all(lw_ == sw_ or (lw_.startswith(sw_) and len(sw_) <= 0.6 * len(lw_)) for sw_, lw_ in zip(sw, lw))
    if len(sw) == 1 and len(lw) >= 2 and len(short) >= 2:
        return short == "".join(w[0] for w in lw if w not in ("of", "and", "for", "the"))
    return False


def _merge_org_aliases(table: ArticleEntities) -> None:
    keys = sorted(table.orgs, key=len, reverse=True)
    # only names with the same initials can abbreviate one another: looking them up by initials
    # keeps a long article's hundreds of organisations from costing every pair
    by_acronym: dict[str, list[str]] = {}
    by_initials: dict[tuple[str, ...], list[str]] = {}
    for key in keys:
        words = key.split()
        if len(words) >= 2:
            by_acronym.setdefault("".join(w[0] for w in words if w not in ("of", "and", "for", "the")), []).append(key)
            by_initials.setdefault(tuple(w[0] for w in words), []).append(key)
    for short in keys:
        words = short.split()
        candidates = by_acronym.get(short, ()) if len(words) == 1 else by_initials.get(tuple(w[0] for w in words), ())
        for long in candidates:
            if long != short and len(long) > len(short) and _abbreviates(short, long):
                table.orgs[short] = table.orgs[long]
                break


def salient_org(table: ArticleEntities) -> str | None:
    """The organisation the article names most often."""
    counts: dict[str, int] = {}
    for _, key in table.org_mentions:
        canon = table.orgs.get(key)
        if canon:
            counts[canon] = counts.get(canon, 0) + 1
    return max(counts, key=counts.get) if counts else None


@dataclass
class Resolver:
    """Resolves source mentions in text order, remembering who spoke last."""

    doc: Doc
    table: ArticleEntities
    last_person: Person | None = None
    last_org: str | None = None
    history: list[Person] = field(default_factory=list)
    quoted: list[tuple[int, int]] = field(default_factory=list)  # quote regions: names inside are not speakers
    last_speaker: Speaker | None = None
    _lowercase: set[str] | None = None  # words the article writes in lower case: common words
    _quote_at: Callable[[int], bool] | None = None  # within(quoted), built on first use
    _mentions_cache: set[tuple[int, str]] | None = None  # person_mentions as a set, rebuilt after an insort

    def speaker_for(self, subj: Token | None) -> Speaker | None:
        if subj is None:
            return None
        speaker = self._resolve(subj)
        if speaker is None and self._definite_description(subj):
            # "the Barbadian said", "the daily said": a definite description nobody else fits
            # names who the article is talking about, the last one to speak (a person, when
            # the description is a nationality)
            if subj.ent_type_ == "NORP" or subj.pos_ == "PROPN" or _plainly_a_person(subj.lemma_.lower()):
                # ("the woman said" after a newspaper spoke is still the last person)
                speaker = self._as_speaker(self.last_person) if self.last_person else None
            else:
                speaker = self.last_speaker
        if speaker is not None:
            self.last_speaker = speaker
            if speaker.kind == "person":
                p = self.table.people.get(speaker.name.lower()) or (self.table.person(speaker.name.split()[-1].lower()) if speaker.name else None)
                if p:
                    self.last_person = p
                    self.history.append(p)
            elif speaker.kind == "organisation":
                self.last_org = speaker.name
        return speaker

    # -- the rules, in order ---------------------------------------------------------------
    def _resolve(self, subj: Token) -> Speaker | None:
        low = subj.lower_
        if low in RELATIVES and subj.head.dep_ == "relcl":
            return self._resolve(subj.head.head)
        if low in PERSON_PRONOUNS:
            return self._pronoun(subj, PERSON_PRONOUNS[low])
        if low in GROUP_PRONOUNS:
            if self.last_org and low == "it":
                return Speaker(self.last_org, "organisation")
            if low in ("they", "them") and self.last_org:
                return Speaker(self.last_org, "organisation")
            return None
        mention = mention_tokens(subj)
        named = self._named(mention, subj)
        if named is not None:
            return named
        return self._role_noun(subj)

    def _definite_description(self, subj: Token) -> bool:
        if subj.ent_type_ == "NORP" or (subj.pos_ == "PROPN" and not subj.ent_type_):
            return subj.tag_ in ("NN", "NNP") and not any(c.dep_ == "compound" for c in subj.children) and [
                c.lower_ for c in subj.children if c.dep_ == "det"] == ["the"]
        if subj.pos_ != "NOUN" or subj.tag_ in ("NNS", "NNPS") or subj.ent_type_:
            return False
        dets = [c.lower_ for c in subj.children if c.dep_ == "det"]
        return dets in (["the"], ["this"]) and subj.lemma_.lower() not in ANONYMOUS_HEADS

    def _role_holder(self, words: set[str]) -> Person | None:
        """The person the article gives this role ("the Taoiseach"), the latest speaker first."""
        holders = [p for p in self.table.people.values() if any(words <= set(r.split()) for r in p.roles)]
        if not holders:
            return None
        recent = [p for p in reversed(self.history) if p in holders]
        return recent[0] if recent else max(holders, key=lambda p: (self._mentions(p), -p.first_token))

    def _orgish(self, tok: Token) -> bool:
        if tok.ent_type_ in ("ORG", "NORP", "GPE", "FAC"):
            return self.table.kinds.get(self._key(tok)) != "PERSON"
        return tok.ent_type_ == "PERSON" and self.table.kinds.get(self._key(tok)) == "ORG"

    def _key(self, tok: Token) -> str:
        ent = _entity_at(self.doc, tok)
        return _ent_key(ent) if ent is not None else tok.lower_

    def _as_speaker(self, p: Person) -> Speaker:
        from .roles import clean_roles

        # roles as the speaker's record shows them; the raw ones still find a role's holder above
        return Speaker(p.name, "person", tuple(sorted(p.aliases)), clean_roles(p.roles))

    def _named(self, mention: list[Token], head: Token) -> Speaker | None:
        # a person named in the mention (by entity, or by a known surname that sm missed); not
        # the owner of a person who speaks ("Trump's allies", "the senator's lawyer"): a
        # document speaks for its owner ("Trump's statement"), a person for themself
        if head.pos_ == "NOUN" and head.lemma_.lower() not in (VOICE_HEADS - PERSON_VOICES) | ORG_HEADS and _person_noun(head.lemma_.lower()):
            owned = {t.i for c in head.children if c.dep_ == "poss" for t in c.subtree}
            # "attorneys for Harman", "friends of Mike Ford": the person they are with, not them
            # ("to" is left out: "ambassador to the Ukraine Marie Yovanovitch" parses as one phrase)
            for c in head.children:
                if c.dep_ == "prep" and (c.lower_ == "for" or (c.lower_ == "of" and head.tag_ in ("NNS", "NNPS"))):
                    phrase = list(c.subtree)
                    if any(g.ent_type_ == "PERSON" or (g.pos_ == "PROPN" and self.table.person(g.lower_)) for g in phrase):
                        owned |= {t.i for t in phrase}
            mention = [t for t in mention if t.i not in owned]
        if head.pos_ == "NOUN":
            # "the Bush-era whistleblower", "a Trump-appointed judge": a name hyphened onto a
            # modifier describes the speaker, it does not name them
            mention = [t for t in mention if not _hyphened_on(self.doc, t)]
        ents = [t for t in mention if t.ent_type_ == "PERSON"]
        for tok in ents:
            # a full name that is a person of its own ("Hunter Biden"), before any surname lookup
            ent = _entity_at(self.doc, tok)
            toks = _clean_name(ent, self.table.role_words) if ent is not None else []
            p = self.table.people.get(_name_text(toks).lower()) if len(toks) > 1 else None
            if p is not None:
                return self._as_speaker(p)
        for tok in [head] + ents + [t for t in mention if t.pos_ == "PROPN"]:
            key = _POSSESSIVE_END.sub("", tok.lower_)
            p = self.table.person(key)
            if p is not None and tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "") and (tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON"):
                if tok.ent_type_ != "PERSON" and (tok.i, p.surname) not in self._mention_set():
                    # a name the model did not tag, met again as a speaker ("Comer stressed ..."):
                    # a mention, so "he" in the next sentence can find its subject
                    bisect.insort(self.table.person_mentions, (tok.i, p.surname))
                    self._mentions_cache = None
                return self._as_speaker(p)
        # an organisation, unless the article uses the name as a title ("the Taoiseach")
        if head.pos_ == "NOUN" and head.lemma_.lower() in GENERIC_ORG_HEADS and head.left_edge.lower_ in ("the", "this") and not any(c.dep_ == "poss" for c in head.children):
            return None  # "the Port Alden, Maine, company": a description of a body named before
        own = [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [head]
        own_key = _name_text(own).lower()
        # "general manager Brett Veach" tagged ORG: a name right after a person's title is a person's
        titled = head.pos_ == "PROPN" and own[0].i > 0 and self.doc[own[0].i - 1].lower_ in TITLE_WORDS - {"head", "chief", "the"}
        if head.ent_type_ == "NORP" and self._definite_description(head):
            return None  # "the Barbadian": a person described by nationality, not a body (nor "the Dutchman" the article
            # also tagged as a group)
        if head.pos_ == "PROPN" and not titled and own_key in self.table.orgs and not self.table.person(own_key) and not set(own_key.split()) <= self.table.role_words:
            return Speaker(self.table.orgs[own_key], "organisation")  # the head's own name, not one in its appositive
        org_toks = [t for t in mention if self._orgish(t)]
        if org_toks and not self._orgish(head) and head.lemma_.lower() in ORG_HEADS - GENERIC_ORG_HEADS:
            # "the Kenyan interior ministry", "the Springfield police": the body is the whole phrase
            return self._phrase_org(head)
        if org_toks and (self._orgish(head) or head.pos_ == "PROPN"):
            ent = _entity_at(self.doc, head if self._orgish(head) else org_toks[0])
            if ent is not None and titled:
                ent = None
            if ent is not None:
                toks = dateline_cut([t for t in ent if t.lower_ not in ("'s", "’s")])
                key = _name_text(toks).lower().removeprefix("the ")
                if key and set(key.split()) <= self.table.role_words:
                    holder = self._role_holder(set(key.split()))
                    if holder is not None:
                        return self._as_speaker(holder)
                if key:
                    return Speaker(self.table.orgs.get(key, _name_text(toks)), "organisation")
        # a bare proper noun the model did not tag ("Its director, Kari Lunde"): keep it as a name
        name_head = head if head.pos_ == "PROPN" else next(
            (c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None
        )
        if name_head is not None and (name_head.ent_type_ in ("", "PERSON") or head.lemma_.lower() in TITLE_WORDS or titled):
            head = name_head
            toks = [t for t in mention if t.pos_ == "PROPN" and t.i <= head.i and t.i >= head.i - 3]
            toks = _clean_name(self.doc[toks[0].i : _hyphen_end(self.doc, toks[-1].i + 1)], self.table.role_words) if toks else []
            if toks and not titled and _name_text(toks).lower() in self.table.orgs and _name_text(toks).lower() not in self.table.people:
                return Speaker(self.table.orgs[_name_text(toks).lower()], "organisation")
            if len(toks) == 1 and not self.table.person(toks[0].lower_) and self._definite_description(toks[0]):
                return None  # "the Barbadian": a description, not a name
            if toks and {t.lower_ for t in toks} <= self.table.role_words:
                holder = self._role_holder({t.lower_ for t in toks})
                return self._as_speaker(holder) if holder is not None else None
            if toks and any(t.lower_ in ORG_HEADS for t in toks):
                key = _name_text(toks).lower()
                canon = self.table.orgs.get(key) or next(
                    (c for k, c in self.table.orgs.items() if _abbreviates(key, k)), None
                )
                return Speaker(canon or _name_text(toks), "organisation")
            if toks and not titled and not self.table.person(_surname(toks)) and not self._name_like(toks, head):
                return None
            if toks:
                # a name the model missed joins the alias table, so pronouns can find it later; a
                # first name alone ("Georges" for "Georges LeBar") joins the person it starts
                surname = _surname(toks)
                known = self.table.person(surname)
                person = known if known is not None else self.table.people.setdefault(surname, Person(_name_text(toks), surname, first_token=toks[0].i))
                surname = person.surname
                person.aliases.add(_name_text(toks))
                role = _appositive_role(head, toks[0].i)
                if role:
                    person.roles.add(_spelt_out(role))
                bisect.insort(self.table.person_mentions, (toks[0].i, surname))
                self._mentions_cache = None
                return self._as_speaker(person)
        return None

    def _mention_set(self) -> set[tuple[int, str]]:
        if self._mentions_cache is None:
            self._mentions_cache = set(self.table.person_mentions)
        return self._mentions_cache

    def _name_like(self, toks: list[Token], head: Token) -> bool:
        """Whether proper nouns the model tagged as no one could still be a person's name: not a
        common word capitalised by a sentence's start or a heading ("Research shows", "Science
        says", the article writes "research" elsewhere), not the modifier of a common noun
        ("Bubonic plague:", "Gold futures:")."""
        if head.dep_ in ("compound", "amod") and head.head.i > head.i and head.head.pos_ == "NOUN":
            return False
        if len(toks) == 1 and not toks[0].text.isupper():  # "WHO" is a name, "who" a word
            if self._lowercase is None:
                self._lowercase = {t.text for t in self.doc if t.is_lower}
            return toks[0].lower_ not in self._lowercase
        return True

    def _pronoun(self, subj: Token, gender: str | None) -> Speaker | None:
        if subj.lower_ in ("i", "we"):
            return None  # inside a quote; the quote's own speaker is found by the cue
        sent = subj.sent
        # 1. the nearest person earlier in the same sentence who is a subject there ("After Lopez
        # met the mayor, she said")
        mentioned = None
        for i, surname in reversed(self.table.person_mentions):
            if i < sent.start:
                break
            if i < subj.i:
                p = self.table.people[surname]
                if _gender_fits(p, gender) and not self._in_quote(i):
                    if in_subject(self.doc[i]) is not False:
                        return self._as_speaker(p)
                    mentioned = mentioned or p
        # 2. the one person who is a subject of the sentence before ("Morrison was the third
        # witness. He said ..."), whoever spoke last
        before = self._previous_subjects(sent, gender)
        if len(before) == 1:
            return self._as_speaker(before[0])
        # 3. the last speaker, when the gender fits; one only named in an object or a comparison
        # in this sentence ("recall the fate of Hitler ..., he said") goes before a last speaker
        # whose gender the article does not give
        last = next((p for p in reversed(self.history[-3:]) if _gender_fits(p, gender)), None)
        if mentioned is not None and (last is None or gender is None or last.gender != gender):
            return self._as_speaker(mentioned)
        if last is not None:
            return self._as_speaker(last)
        # 4. the nearest person mentioned before whose gender the article gives and fits, then
        # the nearest whose gender is not known ("she" is not a man named four paragraphs up)
        earlier = [self.table.people[k] for i, k in reversed(self.table.person_mentions) if i < subj.i]
        for p in earlier:
            if gender is not None and p.gender == gender:
                return self._as_speaker(p)
        for p in earlier:
            if _gender_fits(p, gender):
                return self._as_speaker(p)
        return None

    def _previous_subjects(self, sent: SpacySpan, gender: str | None) -> list[Person]:
        if sent.start == 0:
            return []
        prev = self.doc[sent.start - 1].sent
        people: dict[int, Person] = {}
        k = bisect.bisect_left(self.table.person_mentions, (prev.start, ""))
        for i, surname in self.table.person_mentions[k:]:
            if i >= prev.end:
                break
            p = self.table.people[surname]
            if in_subject(self.doc[i]) and not self._in_quote(i):
                if not _gender_fits(p, gender):
                    return []  # the subject there is someone else: no inference
                people[id(p)] = p
        return list(people.values()) if len(people) == 1 else []

    def _salient(self, p: Person) -> bool:
        """A person the article makes an actor: already a speaker, or the subject of a clause
        outside quotation marks somewhere; not one only named in passing (an object, a
        possessor, a historical comparison)."""
        if p in self.history:
            return True
        return any(k == p.surname and not self._in_quote(i) and in_subject(self.doc[i]) is not False for i, k in self.table.person_mentions)

    def _mentions(self, p: Person) -> int:
        return sum(1 for _, surname in self.table.person_mentions if surname == p.surname)

    def _in_quote(self, i: int) -> bool:
        if self._quote_at is None:
            self._quote_at = within(self.quoted)
        return self._quote_at(self.doc[i].idx)

    def _spoken_for(self, subj: Token) -> Speaker | None:
        """'a spokesman for the Harbour Authority', 'a statement from the ministry',
        'a timeline provided by the BBC': the body behind the voice speaks."""
        if subj.lemma_.lower() not in VOICE_HEADS:
            return None
        for c in subj.children:
            preps = [c] if c.dep_ == "prep" and c.lower_ in ("for", "of", "from", "at", "by") else []
            if c.dep_ == "acl":
                preps = [g for g in c.children if g.dep_ == "agent"]
            for prep in preps:
                obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if obj is not None and (obj.ent_type_ in ("ORG", "GPE", "NORP", "FAC") or obj.pos_ == "PROPN" or obj.lower_ in ORG_HEADS):
                    named = self._named(list(obj.subtree), obj)
                    if named is not None and named.kind == "organisation":
                        return named
                    return self._org_by_head(obj) if obj.lower_ in ORG_HEADS else named
        return None

    def _role_noun(self, subj: Token) -> Speaker | None:
        if subj.pos_ not in ("NOUN", "PROPN"):
            return None
        voiced = self._spoken_for(subj)
        if voiced is not None:
            return voiced
        lemma = subj.lemma_.lower()
        owner = next((c for c in subj.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")), None)
        if owner is not None and lemma in VOICE_HEADS:
            # "the judge's ruling", "the ministry's statement": the owner speaks through it; but
            # "the Prime Minister's spokesman" is someone else, not named
            if lemma in PERSON_VOICES:
                spoken = self._resolve(owner)
                return spoken if spoken is not None and spoken.kind == "organisation" else None
            return self._resolve(owner)
        if owner is not None and _person_noun(lemma) and (owner.ent_type_ == "PERSON" or self.table.person(owner.lower_)):
            return None  # "Morrison's lawyer": someone the article does not name, not another lawyer it does
        dets = {c.lower_ for c in subj.lefts if c.dep_ in ("det", "nummod", "amod", "poss")}
        plural = subj.tag_ in ("NNS", "NNPS")
        if lemma in DOCUMENT_HEADS and (plural or dets & DETERMINERS_INDEFINITE) and not any(
            c.pos_ == "PROPN" or c.ent_type_ in _ORGISH for c in subj.lefts
        ):
            return None  # "one small study in 38 people", "other studies": an anonymous document
        if lemma in ORG_HEADS or subj.lower_ in ORG_HEADS:
            return self._org_by_head(subj)
        if dets & {"a", "an"} and not plural and lemma in TITLE_WORDS - PERSON_VOICES - ANONYMOUS_HEADS:
            # "A federal judge has ordered ..." in the lede, "Judge Rodney Gale" below: the one
            # person the article gives that title
            holders = [p for p in self.table.people.values() if any(lemma in r.split() for r in p.roles)]
            if len(holders) == 1:
                return self._as_speaker(holders[0])
        if dets & DETERMINERS_INDEFINITE or (plural and lemma not in LEADER_HEADS) or lemma in ANONYMOUS_HEADS:
            return None
        if plural:
            return None
        mention = mention_tokens(subj)
        words = {t.lower_ for t in mention}
        # a person whose recorded roles share the head noun ("the president", "the coroner")
        holders = [p for p in self.table.people.values() if any(lemma in r.split() for r in p.roles)]
        # a body named in the phrase ("the Red Bull chief") picks the person whose title names it,
        # over a holder of the bare title tied to another ("F1 chief executive")
        body = {t.lower_ for t in mention if t.i != subj.i and (t.pos_ == "PROPN" or t.ent_type_ in _ORGISH)}
        if holders and body:
            def ties(p: Person) -> int:
                return len(body & {w for r in p.roles for w in r.split()})

            tied = [p for p in self.table.people.values() if ties(p)]
            if tied and not any(ties(p) for p in holders):
                holders = tied
            elif tied:
                best = max(ties(p) for p in holders)
                holders = [p for p in holders if ties(p) == best]
        if holders:
            recent = [p for p in reversed(self.history) if p in holders]
            # before anyone has spoken (a headline), the holder the article names most
            return self._as_speaker(recent[0] if recent else max(holders, key=lambda p: (self._mentions(p), -p.first_token)))
        if lemma in TITLE_WORDS or words & LEADER_HEADS:
            # no one holds the title: the one subject of the sentence before, when the article gives
            # them no other title ("Mr Sunak hinted at a cut. Asked ..., the Prime Minister said")
            from .roles import clean_roles

            # (not when the phrase names a body: "the chairman of the Conservative Party")
            named_body = any(t.lower_ not in TITLE_WORDS and (t.pos_ == "PROPN" or t.ent_type_) for t in mention)
            before = [] if named_body else self._previous_subjects(subj.sent, None)
            if len(before) == 1 and not clean_roles(before[0].roles):
                return self._as_speaker(before[0])
        if lemma in LEADER_HEADS or words & LEADER_HEADS:
            # "the Russian leader", "the head of state": the titled person who fits best
            # (a shared modifier, then a leader's title), the more recent speaker first
            recency = {id(p): n for n, p in enumerate(self.history)}

            # "the Sinn Féin leader" is not someone whose title the article gives otherwise ("Taoiseach")
            affiliation = {t.lower_ for t in mention if t.pos_ == "PROPN"}

            def other_title(p: Person) -> bool:
                role_words = {w for r in p.roles for w in r.split()}
                return bool(affiliation) and not affiliation & role_words and bool(role_words - HONORIFICS)

            def fit(p: Person) -> tuple[int, int, int, int]:
                role_words = {w for r in p.roles for w in r.split()}
                return (len((words - {"the", lemma}) & role_words), not other_title(p), len(role_words & LEADER_HEADS), recency.get(id(p), -1))

            titled = [p for p in self.table.people.values() if p.roles]
            best = max(titled, key=fit) if titled else None
            if best is not None and not other_title(best):
                return self._as_speaker(best)
            free = [p for p in self.table.people.values() if not other_title(p) and self._salient(p)]
            if affiliation and free:
                # "the head of the WHO" and no one the article titles so: the person it names most
                return self._as_speaker(max(free, key=lambda p: (self._mentions(p), -p.first_token)))
            if best is not None:
                return self._as_speaker(best)
        if lemma in TITLE_WORDS and self.last_person is not None:
            return self._as_speaker(self.last_person)
        return None

    def _phrase_org(self, head: Token) -> Speaker:
        """The organisation named by a whole noun phrase, one canonical name per article."""
        mods = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod") and not c.is_punct]
        start = mods[0].left_edge.i if mods else head.i
        words = "".join(t.text_with_ws for t in self.doc[start : head.i + 1]).strip()
        key = words.lower().removeprefix("the ")
        canon = self.table.orgs.setdefault(key, "the " + words if not words.lower().startswith("the ") else words)
        return Speaker(canon, "organisation")

    def _org_by_head(self, subj: Token) -> Speaker | None:
        head = subj.lower_
        for key, canon in self.table.orgs.items():
            if head in key.split():
                return Speaker(canon, "organisation")
        modifiers = [c for c in subj.lefts if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "PROPN", "ADJ")]
        if modifiers and subj.tag_ in ("NN", "NNS") and subj.lemma_.lower() not in VOICE_HEADS | GENERIC_ORG_HEADS and (subj.tag_ == "NN" or any(m.pos_ == "PROPN" for m in modifiers)):
            # ("the probe report", "the joint statement" are documents: the body behind them speaks)
            # "the coast guard", "the energy ministry": a named body the model did not tag
            return self._phrase_org(subj)
        if subj.lemma_.lower() in GENERIC_ORG_HEADS and self.last_org and not any(c.dep_ == "poss" for c in subj.children):
            return Speaker(self.last_org, "organisation")  # "the company" is the one that spoke last
        org = salient_org(self.table) or self.last_org
        return Speaker(org, "organisation") if org else None


def mention_tokens(subj: Token) -> list[Token]:
    """The words of the mention that subj heads, without a clause the parser hung on it: "critics
    who say Harvey ...", "the minister called on Kim ..." (acl) name other people."""
    end = subj.right_edge.i + 1
    for c in subj.rights:
        # (a passive participle stays: "this graphic, created by Statista" is Statista's)
        if c.i > subj.i and (c.dep_ == "relcl" or (c.dep_ == "acl" and c.tag_ != "VBN")):
            end = min(end, c.left_edge.i)
    return [t for t in subj.subtree if t.i < end]


def _person_noun(lemma: str) -> bool:
    """A noun for a person ("adviser", "sister", "lawyer", "therapist"), not for a thing
    ("account", "victory") or an act ("involvement")."""
    from .roles import _AGENT_END, PERSON_NOUNS

    if lemma in ANONYMOUS_HEADS | PERSON_VOICES | PERSON_NOUNS | TITLE_WORDS:
        return True
    return bool(_AGENT_END.search(lemma)) and not lemma.endswith("ment")


_PERSON_END = re.compile(r"(?<!hu)(?:wo)?man$|person$")  # "spokeswoman", "chairman"; not "human"


def _hyphened_on(doc: Doc, tok: Token) -> bool:
    """The token is joined by a hyphen, with no space, to the word after it ("Bush-era")."""
    return not tok.whitespace_ and tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and not doc[tok.i + 1].whitespace_


def _plainly_a_person(lemma: str) -> bool:
    """A noun that can only name a person ("woman", "chairman", "wife"); _person_noun's agent
    endings also take "the automotive giant", a company."""
    from .roles import PERSON_NOUNS

    return lemma in PERSON_NOUNS | TITLE_WORDS or bool(_PERSON_END.search(lemma))


def _gender_fits(p: Person, gender: str | None) -> bool:
    return gender is None or p.gender is None or p.gender == gender


def _entity_at(doc: Doc, tok: Token) -> SpacySpan | None:
    """The entity holding tok, found from its IOB tags (no scan of doc.ents)."""
    if tok.ent_iob_ not in ("B", "I"):
        return None
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]
