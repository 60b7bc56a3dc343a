"""Events: the articles of several outlets that report one occasion, grouped as they arrive.

A new article looks for its event among a few candidates, never the whole store: the
full-text index returns the articles that share its most distinctive words (SQLite FTS5,
ranked), within a few days of it when both are dated. A candidate is the same occasion only
on evidence of it, never on topic alone (``Evidence``): distinctive words in common (tf-idf
cosine over content words, document frequencies kept in the store as articles arrive) AND
names in common (capitalised words inside sentences: people, places, bodies) AND something
that ties the two to one occasion: a person both quote saying some of the same things, or a
quotation both carry word for word. Without a day on both sides there is no date to
corroborate, so only a shared quotation ties them. The same speaker on another day is another event: dated articles more than
MAX_DAYS apart never join. An event none of whose articles alone is tied to the new one may
be tied as a whole (``event_evidence``: a quotation one member carries, words and names spread
over several). The best event with evidence takes the article; otherwise it starts its own.
Ties chain: a wire report that carries two stories of one company's day is tied to a report
of each, which share nothing. So an article tied to an event through one member only joins
it when it also shares something of the occasion with another member (``coheres``: a
quotation, a person quoted in both saying some of the same things, or the voice of one named
in the other's headline or lede). An article tied to two events folds them into one
(``_bridge``): one occasion whose first reports shared too little with each other began twice;
only when the two share such a thing besides it.

Nothing here touches SQL: what is stored is asked of ``store`` (``store.events.EventStore``,
or anything with its methods), what is decided is computed here.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from typing import Any, NamedTuple

from .. import settings
from ..model import published_parts
from ..wire import CALENDAR_WORDS
from .text import STOP, quoted_spans, stems, words

#: tf-idf cosine two articles of one occasion share at least (topic alone reaches it too,
#: so it is necessary, never sufficient)
TERMS_MIN = 0.2
#: without a shared quotation, a person both quote ties them only with more words in common (a
#: president is quoted in every political story of a week)
SPEAKER_TERMS_MIN = 0.3
#: the same without a day on both sides: nothing corroborates the time, so more words still
UNDATED_TERMS_MIN = 0.4
#: distinctive names (people, places, bodies) two articles of one occasion share at least
NAMES_MIN = 2
MAX_DAYS = 3
#: without a quotation in common, a person both quote ties two dated reports only this many
#: days apart: later, the same person on the same subject is a running story, not one occasion.
#: Two days was measured: the dev events' dated reports lie within one day of each other and
#: their distractors 15 days or more away, so dev cannot tell 1 from 2, while in the mixed feed
#: two days joins two US-China trade stories (NYT 18 Nov, Deccan Herald 20 Nov 2019)
SPEAKER_DAYS = 1
#: content words (stemmed) a person must say in both of two reports for that person to tie
#: them: the same person on the same day saying other things is another occasion (a chief
#: executive named in every story of a company's week), the same words are one
SPEAKER_SAID_MIN = 3
#: runs of words (or quotations) two articles must share for a quotation to tie them: one run
#: of five words is a stock phrase as often as a quotation ("the toughest and fairest reforms")
QUOTES_MIN = 2
CANDIDATES = 40
QUERY_TERMS = 24
#: articles of an event read to say what ties it: to a reader (``ties``), and to an article none
#: of them alone is tied to (``event_evidence``); the first by arrival
TIES_SAMPLE = 12
SPEAKER_BONUS = 0.08
QUOTE_BONUS = 0.15

_TERM = re.compile(r"[^\W\d_]{3,}")
# a capitalised word not opening a sentence or a line: a name, a place, a body
_NAME = re.compile(r"(?<![.!?:\n]\s)(?<![.!?:\n\"“‘'])(?<=\s)[A-Z][^\W\d_]{2,}")


def terms(text: str) -> Counter:
    return Counter(w for w in (m.group().lower() for m in _TERM.finditer(text)) if w not in STOP)




#: a capitalised word of two letters or more, a two-letter one only when it is not an acronym
#: ("Li", "Wu", "Xi", never "UN", "US"); in a headline, any word so written
_CAPITALISED = r"[A-Z](?:[a-z]|[^\W\d_]{2,})[^\W\d_]*"
_HEADLINE_NAME = re.compile(r"(?<![^\W\d_])" + _CAPITALISED)
# the same inside a sentence of the text (not opening a sentence or a line, as ``_NAME``), or
# after an honorific's full stop ("Mr. Duterte")
_LEDE_NAME = re.compile(r"(?:(?<![.!?:\n]\s)(?<![.!?:\n\"“‘'])(?<=\s)|(?<=\b(?:Mr|Ms|Dr)\.\s)|(?<=\bMrs\.\s))" + _CAPITALISED)


def lede_names(title: str, lede: str) -> set[str]:
    """The names a report puts up top (lower case): every capitalised word of its headline and
    the capitalised words inside the sentences of its lede, common words, days and months left
    out. A voice is looked up in them (``coheres``): "Theresa May" must not be found in any lede
    that says "may", and "Li" must be found in one that says "Li"."""
    found = (m.group() for rx, text in ((_HEADLINE_NAME, title), (_LEDE_NAME, lede)) for m in rx.finditer(text))
    return {w for w in map(str.lower, found) if w not in STOP and w not in CALENDAR_WORDS}


def names(text: str) -> set[str]:
    """Capitalised words inside sentences (people, places, bodies), days and months left out:
    every story of a week shares those."""
    return {w for w in (m.group().lower() for m in _NAME.finditer(text)) if w not in STOP and w not in CALENDAR_WORDS}


def parse_day(published: str | None) -> tuple[dt.date | None, str | None]:
    """(day, month) of a published date: full dates give both, 'YYYY-MM' only the month.
    Read through the model's one date check, which never raises on a bad stored date."""
    day, month, _ = published_parts(published)
    return day, month


def dates_compatible(a: str | None, b: str | None) -> bool:
    da, ma = parse_day(a)
    db, mb = parse_day(b)
    if da and db:
        return abs((da - db).days) <= MAX_DAYS
    if ma and mb:
        if da or db:  # a day against a month: in that month, or a few days from its edges
            day, month = (da, mb) if da else (db, ma)
            y, m = map(int, month.split("-"))
            start = dt.date(y, m, 1)
            end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
            return start - dt.timedelta(days=MAX_DAYS) <= day <= end + dt.timedelta(days=MAX_DAYS)
        return ma == mb
    return True


class Corpus:
    """Document frequencies of the store's articles (term_df, kept by the writer), cached."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.n = store.size()
        self._df: dict[str, int] = {}
        #: each article's ``Profile`` for evidence, kept for the run: candidates recur from one
        #: new article to the next
        self.profiles: dict[str, Profile] = {}
        #: events that absorbed another in this run (``_bridge``): aligned again whole
        self.merged: set[int] = set()

    def df(self, words: list[str]) -> dict[str, int]:
        missing = [w for w in words if w not in self._df]
        if missing:
            self._df.update(self.store.df(missing))
        return {w: self._df[w] for w in words}

    def vector(self, bag: Counter) -> dict[str, float]:
        df = self.df(list(bag))
        v = {w: (1 + math.log(c)) * math.log((self.n + 1) / (df[w] + 0.5)) for w, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items() if x > 0}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def quote_shingles(texts: list[str], n: int = 5) -> set[tuple[str, ...]]:
    """Runs of n words (of three letters or more) in a row, normalised as renderings are
    compared: "don't" and "do not", "criticise" and "criticize" make one run."""
    out: set[tuple[str, ...]] = set()
    for text in texts:
        w = [x for x in words(text) if len(x) >= 3]
        out.update(tuple(w[i : i + n]) for i in range(len(w) - n + 1))
    return out


def candidates(store: Any, article_id: str, vec: dict[str, float], published: str | None,
               corpus: "Corpus | None" = None) -> list[tuple[str, int, str | None]]:
    """(article id, event id, published) of placed articles that share its distinctive words."""
    # the most distinctive words that some other article has too (a word only this article
    # has finds nothing)
    corpus = Corpus(store) if corpus is None else corpus
    df = corpus.df(list(vec))
    top = sorted((w for w in vec if df.get(w, 0) >= 2), key=vec.get, reverse=True)[:QUERY_TERMS]
    if not top:
        return []
    return [r for r in store.placed_sharing(article_id, top, CANDIDATES) if dates_compatible(published, r[2])]


class Evidence:
    """What ties two articles to one occasion: words, names, a quoted person, a shared quote."""

    __slots__ = ("terms", "names", "speakers", "quotes", "dated", "apart", "days")

    def __init__(self, terms: float, names: set[str], speakers: set[str], quotes: int, dated: bool, apart: bool = False,
                 days: int | None = None) -> None:
        self.terms, self.names, self.speakers, self.quotes, self.dated, self.apart = terms, names, speakers, quotes, dated, apart
        self.days = days  # days apart, when both are dated

    @property
    def same_occasion(self) -> bool:
        if self.apart:  # dated more than MAX_DAYS apart: another day, another occasion
            return False
        if self.terms < TERMS_MIN or len(self.names) < NAMES_MIN:
            return False  # not even one topic
        if self.quotes >= QUOTES_MIN:  # a quotation both carry word for word
            return True
        # a person both mostly quote saying some of the same things, on much the same words,
        # within SPEAKER_DAYS when dated
        if self.dated and self.days is not None and self.days > SPEAKER_DAYS:
            return False
        return bool(self.speakers) and self.terms >= (SPEAKER_TERMS_MIN if self.dated else UNDATED_TERMS_MIN)

    @property
    def score(self) -> float:
        return self.terms + SPEAKER_BONUS * bool(self.speakers) + QUOTE_BONUS * (self.quotes > 0)


#: a quotation long enough to tie two articles (content words), and how much of the shorter of
#: two renderings the longer must hold for them to be one quotation (cut, or reworded a little)
QUOTE_WORDS = 5
QUOTE_CONTAINMENT = 0.6


def quote_bags(texts: list[str]) -> list[tuple[Counter, int]]:
    """Each quotation long enough to tie articles: (its stemmed content words, how many)."""
    bags = (Counter(stems(t)) for t in texts)
    return [(b, n) for b in bags if (n := sum(b.values())) >= QUOTE_WORDS]


def shared_quotes(a: list[tuple[Counter, int]], b: list[tuple[Counter, int]]) -> int:
    """How many of a's quotations b carries too, whole or cut or lightly reworded."""
    n = 0
    for x, sx in a:
        for y, sy in b:
            if sum((x & y).values()) >= QUOTE_CONTAINMENT * min(sx, sy):
                n += 1
                break
    return n


class Profile(NamedTuple):
    """What evidence reads of one stored article, read once per run (``Corpus.profiles``)."""

    vector: dict[str, float]  # tf-idf of its content words (empty when no corpus is asked)
    names: set[str]  # ``names`` of headline and text
    speakers: set[str]  # ``main_speakers``, by family name
    quotes: tuple[set, list[tuple[Counter, int]]]  # ``_quotes``: runs of words quoted, quotations
    outlet: str  # lower case, "" when unknown
    published: str | None
    said: dict[str, frozenset[str]]  # ``_said``: each person's content words, by family name
    lede: set[str]  # ``lede_names``: the names of its headline and lede (settings.COVERAGE_LEDE_CHARS)
    voices: set[str]  # ``voices``: whose words it mostly reports, by family name


def _profile(store: Any, corpus: Corpus | None, article_id: str, vec: dict[str, float] | None = None) -> Profile:
    row = store.article(article_id)
    words = (row["title"] or "") + "\n" + row["text"]
    said = store.person_statements(article_id)
    return Profile(vec if vec is not None else corpus.vector(terms(words)), names(words), main_speakers(Counter(n for n, _, _ in said)),
                   _quotes(store.quoted_texts(article_id), words), (row["outlet"] or "").lower(), row["published"], _said(said),
                   lede_names(row["title"] or "", row["text"][: settings.COVERAGE_LEDE_CHARS]),
                   voices(said))


#: a word of a person's name: two letters or more ("Li", "Wu"; an initial is not one)
_NAME_WORD = re.compile(r"[^\W\d_]{2,}")
#: what follows a family name without being one ("Martin Luther King Jr.")
GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _family(name: str) -> str | None:
    """The key a person is known by across articles: the last word of the name, lower case
    (main_speakers, _said and voices must agree on it: evidence looks one up in the other)."""
    parts = [w.lower() for w in _NAME_WORD.findall(name)]
    while parts and parts[-1] in GENERATIONS:
        parts.pop()
    return parts[-1] if parts else None


def _said(statements: list[tuple[str, str, str]]) -> dict[str, frozenset[str]]:
    """The content words (stemmed) each person says in an article, by family name."""
    out: dict[str, set[str]] = {}
    for name, text, _ in statements:
        if family := _family(name):
            out.setdefault(family, set()).update(stems(text))
    return {k: frozenset(v) for k, v in out.items()}


#: a stretch between quotation marks longer than this is a mark left open, not a quotation
QUOTED_MAX = 600


def _quotes(texts: list[str], whole: str | None = None) -> tuple[set, list[tuple[Counter, int]]]:
    """(runs of words quoted, quotations long enough to tie). The runs are those of the
    extracted quotations and of every stretch the whole text sets between quotation marks: a
    quotation the extraction did not attribute (a list of remarks, a transcript, a quote it
    missed) is still one the outlet printed."""
    marked = [whole[s:e] for s, e in quoted_spans(whole) if e - s <= QUOTED_MAX] if whole else []
    return quote_shingles(texts + marked), quote_bags(texts)


def quotes_in_common(a: tuple[set, list[tuple[Counter, int]]], b: tuple[set, list[tuple[Counter, int]]]) -> int:
    """Five words in a row both quote (a short quotation kept whole), or quotations one holds
    most of the other's content words of (cut, or reworded a little)."""
    return len(a[0] & b[0]) + shared_quotes(a[1], b[1])


def voices(statements: list[tuple[str, str, str]]) -> set[str]:
    """The family names of the people an article quotes in their own words the most (direct and
    mixed statements, by content words: at least half as many as the most quoted): whose
    occasion it reports. A person only paraphrased (a founder named in every story of his
    company, a reported line misread as his) is not its voice."""
    words = Counter()
    for name, text, kind in statements:
        if kind != "indirect" and (family := _family(name)):
            words[family] += len(stems(text))
    top = max(words.values(), default=0)
    return {p for p, n in words.items() if n and n * 2 >= top}


def coheres(a: Profile, b: Profile) -> bool:
    """Whether two articles' profiles share something of one occasion beyond words and names:
    a quotation (another outlet's), a person quoted in both saying some of the same things, or
    the voice of one named in the other's headline or lede (a report of a reaction to what
    someone said names that someone up top). Asked of an article tied to an event through one
    member only, against the others (``place``), and of two events an article ties (``_bridge``):
    two stories of one company's day that one outlet's report carries both of share none."""
    if a.outlet != b.outlet or not a.outlet:
        if quotes_in_common(a.quotes, b.quotes):
            return True
    if any(len(a.said[p] & b.said[p]) >= SPEAKER_SAID_MIN for p in a.said.keys() & b.said.keys()):
        return True
    return bool(a.voices & b.lede or b.voices & a.lede)


def main_speakers(people: dict[str, int]) -> set[str]:
    """The family names of the people an article is mostly about quoting (at least half as many
    statements as its most quoted person): a roundup that quotes someone once in passing, or a
    president named in every political story, is not the occasion's speaker."""
    if not people:
        return set()
    top = max(people.values())
    return {family for name, n in people.items() if n * 2 >= top and (family := _family(name))}


def evidence(store: Any, corpus: Corpus, a: str, b: str, cache: dict, vec_a: dict[str, float] | None = None) -> Evidence:
    """What ties two stored articles (``cache`` keeps each article's profile across calls)."""
    for x, v in ((a, vec_a), (b, None)):
        if x not in cache:
            cache[x] = _profile(store, corpus, x, v)
    pa, pb = cache[a], cache[b]
    # one outlet's articles share its boilerplate quotations; they tie nothing
    quotes = quotes_in_common(pa.quotes, pb.quotes) if not (pa.outlet and pa.outlet == pb.outlet) else 0
    da, db = parse_day(pa.published)[0], parse_day(pb.published)[0]
    dated = da is not None and db is not None
    # a person both quote, saying some of the same things in both
    speakers = {p for p in pa.speakers & pb.speakers
                if len(pa.said.get(p, frozenset()) & pb.said.get(p, frozenset())) >= SPEAKER_SAID_MIN}
    return Evidence(cosine(pa.vector, pb.vector), pa.names & pb.names, speakers, quotes, dated,
                    not dates_compatible(pa.published, pb.published), abs((da - db).days) if dated else None)


def event_evidence(store: Any, corpus: Corpus, a: str, event_id: int, cache: dict, vec_a: dict[str, float]) -> Evidence:
    """What ties an article to an event as a whole: words against the event's members taken
    together (their summed vectors), the names and main speakers it shares with at least two
    members, the quotations it shares with any; apart if any member is dated too far from it."""
    members = [m for m in store.members(event_id)[:TIES_SAMPLE] if m != a]
    evs = [evidence(store, corpus, a, m, cache, vec_a) for m in members]
    if len(evs) < 2:
        return Evidence(0.0, set(), set(), 0, False, True)
    centroid: dict[str, float] = {}
    for m in members:
        for w, x in cache[m].vector.items():
            centroid[w] = centroid.get(w, 0.0) + x
    norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    terms_ = cosine(vec_a, {w: x / norm for w, x in centroid.items()})
    names_ = Counter(n for e in evs for n in e.names)
    speakers_ = Counter(p for e in evs for p in e.speakers)
    return Evidence(terms_, {n for n, k in names_.items() if k >= 2}, {p for p, k in speakers_.items() if k >= 2},
                    sum(e.quotes for e in evs), any(e.dated for e in evs), any(e.apart for e in evs),
                    max((e.days for e in evs if e.days is not None), default=None))


def place(store: Any, article_id: str, corpus: Corpus | None = None) -> tuple[int, bool, float]:
    """Put one stored article into an event: (event id, whether it joined one, its score).

    The event's date is the earliest of its articles' dates.
    """
    row = store.article(article_id)
    if row is None:
        raise KeyError(article_id)
    existing = store.event_of(article_id)
    if existing is not None:
        return existing, True, 1.0
    corpus = corpus or Corpus(store)
    vec = corpus.vector(terms((row["title"] or "") + "\n" + row["text"]))
    cache = corpus.profiles
    best: dict[int, float] = {}
    spans: dict[int, bool] = {}
    through: dict[int, set[str]] = {}  # the members each event is tied through
    cands = candidates(store, article_id, vec, row["published"], corpus)
    for other, event_id, _ in cands:
        ev = evidence(store, corpus, article_id, other, cache, vec)
        if not ev.same_occasion:
            continue
        # every dated article of the event within days of this one, not only the one it
        # matched: an undated member must not chain two days weeks apart into one event
        if event_id not in spans:
            spans[event_id] = all(dates_compatible(row["published"], d) for d in store.event_span(event_id))
        if spans[event_id]:
            best[event_id] = max(ev.score, best.get(event_id, -1.0))
            through.setdefault(event_id, set()).add(other)
    # tied through one member only, it must share something of the occasion with another
    # (``coheres``): else that member reports two stories, and this article the other one
    scored = {other for other, _, _ in cands}  # whose evidence is known: none of them tied unless in ``via``
    chained = {e for e, via in through.items() if len(via) == 1 and not _coheres_with(store, corpus, article_id, e, via, cache, scored)}
    for event_id in chained:
        del best[event_id]
    # an event none of whose articles alone is tied to this one may still be, taken whole: a
    # quotation one member carries, words and names spread over several. Only with a quotation
    # in common: without one, a roundup or a running story scores as high against a whole event
    for event_id in {e for _, e, _ in cands} - set(best) - chained:
        ev = event_evidence(store, corpus, article_id, event_id, cache, vec)
        if ev.same_occasion and ev.quotes >= QUOTES_MIN and all(dates_compatible(row["published"], d) for d in store.event_span(event_id)):
            best[event_id] = ev.score
    if best:
        event_id, margin = max(best.items(), key=lambda kv: kv[1])
        if margin >= 0:
            store.join(article_id, event_id, margin, row["published"])
            _bridge(store, event_id, [e for e in best if e != event_id], corpus, article_id)
            return event_id, True, margin
    title = row["title"] or " ".join(row["text"].split()[:14])
    event_id = store.new_event(title, row["published"])
    store.join(article_id, event_id, None, None)
    return event_id, False, best and max(best.values()) or 0.0


def _coheres_with(store: Any, corpus: Corpus, article_id: str, event_id: int, via: set[str], cache: dict,
                  scored: set[str] = frozenset()) -> bool:
    """Whether an article tied to an event through the members ``via`` shares something of
    the occasion (``coheres``, or a tie of its own) with one of the event's other members; an
    event of one member (or all of them ``via``) asks nothing more. ``scored``: members whose
    evidence was already weighed (the candidates): not weighed again."""
    rest = [m for m in store.members(event_id)[: settings.COVERAGE_COHERE_MEMBERS] if m != article_id and m not in via]
    if not rest:
        return True
    for m in rest:
        if coheres(cache[article_id], _cached(store, corpus, m, cache)):
            return True
    # the full-text index returns a few candidates: a member it left out may be tied too
    return any(evidence(store, corpus, article_id, m, cache).same_occasion for m in rest if m not in scored)


def _cached(store: Any, corpus: Corpus, article_id: str, cache: dict) -> Profile:
    if article_id not in cache:
        cache[article_id] = _profile(store, corpus, article_id)
    return cache[article_id]


def _bridge(store: Any, event_id: int, others: list[int], corpus: Corpus, article_id: str) -> None:
    """Fold into ``event_id`` the other events the article just placed is tied to: each tie is
    evidence of one occasion, so the two events were one that began twice (its first articles
    shared too little with each other). Only when every dated article of both stays within
    MAX_DAYS of every other, and when the two share something of the occasion besides this
    article (``coheres``): a report that carries two stories of one day ties both, and they
    stay two. The event that absorbed others is noted in ``corpus.merged`` so that its
    statements are aligned again whole."""
    cache = corpus.profiles
    ours = [m for m in store.members(event_id)[: settings.COVERAGE_COHERE_MEMBERS] if m != article_id]
    for other in others:
        days = [d for d in (*store.event_span(event_id), *store.event_span(other)) if d]
        if days and not dates_compatible(min(days), max(days)):
            continue
        theirs = store.members(other)[: settings.COVERAGE_COHERE_MEMBERS]
        if ours and not any(coheres(_cached(store, corpus, a, cache), _cached(store, corpus, b, cache)) for a in ours for b in theirs):
            continue
        for member in store.members(other):
            row = store.article(member)
            store.leave(member)
            store.join(member, event_id, None, row["published"])
        store.drop_event(other)
        corpus.merged.add(event_id)


def replace_loner(store: Any, article_id: str, corpus: Corpus) -> int | None:
    """An article still alone in its event looks again, now that later articles are placed:
    an event that came after it may be its own. Returns the event it moved to."""
    old = store.event_of(article_id)
    if old is None or store.event_size(old) != 1:
        return None
    store.leave(article_id)
    event_id, joined, _ = place(store, article_id, corpus)
    if joined:
        store.drop_event(old)
        return event_id
    # alone again: keep the old event (and its id), drop the new one
    store.leave(article_id)
    store.drop_event(event_id)
    store.join(article_id, old, None, None)
    return None


def ties(store: Any, event_id: int) -> dict[str, Any]:
    """What ties an event's articles together, for a reader: the people most of them quote, the
    names most of them carry, quotations carried word for word by more than one outlet, and the
    days they span."""
    # the first articles say it as well as all of them, and a listing stays quick on big events
    members = store.members(event_id)[:TIES_SAMPLE]
    if not members:
        return {}
    cache: dict = {}
    for a in members:
        cache[a] = _profile(store, None, a, {})  # no term vector (the empty one): ties need no corpus
    half = max(2, (len(members) + 1) // 2)
    people = Counter(p for a in members for p in cache[a].speakers)
    named = Counter(n for a in members for n in cache[a].names)
    quoted = sum(1 for a, b in zip(members, members[1:]) if (cache[a].outlet or a) != (cache[b].outlet or b) and quotes_in_common(cache[a].quotes, cache[b].quotes))
    days = sorted(d.isoformat() for a in members if (d := parse_day(cache[a].published)[0]))
    speakers = [p for p, n in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))[:3] if n >= half]
    shown_names = [w for w, n in sorted(named.items(), key=lambda kv: (-kv[1], kv[0])) if n >= half and w not in people][:6]
    spelt = spellings(store.article_words(members[0]), speakers + shown_names)
    return {
        # most shared first, then alphabetical: the same line on every run
        "speakers": [spelt.get(w, w) for w in speakers],
        "names": [spelt.get(w, w) for w in shown_names],
        "quotes_shared": quoted,
        "days": [days[0], days[-1]] if days else [],
    }


def spellings(text: str, words: list[str]) -> dict[str, str]:
    """Each (lowercased) word as the text prints it most often ("NASA", "CEO", "McDonald"), so a
    reader sees the names, not their index keys."""
    out: dict[str, str] = {}
    for w in words:
        forms = Counter(m.group(0) for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE))
        cased = [(n, f) for f, n in forms.items() if f != f.lower()]
        if len(w) > 4 and any(not f.isupper() for _, f in cased):
            cased = [(n, f) for n, f in cased if not f.isupper()]  # a shouted headline word, not an acronym
        if cased:
            out[w] = max(cased)[1]
    return out


def describe_ties(t: dict[str, Any]) -> str:
    """One line of what ties an event, for a listing."""
    parts = []
    if t.get("speakers"):
        parts.append("quoting " + ", ".join(w if w != w.lower() else w.title() for w in t["speakers"]))
    if t.get("days"):
        parts.append(t["days"][0] if t["days"][0] == t["days"][1] else f"{t['days'][0]} to {t['days'][1]}")
    if t.get("quotes_shared"):
        parts.append("shared quotations")
    if t.get("names"):
        parts.append("names: " + ", ".join(w if w != w.lower() else w.title() for w in t["names"][:5]))
    return "; ".join(parts)
