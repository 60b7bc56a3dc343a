"""Writing to the store: idempotent, batch by batch, and safe to kill. Rows come from the one
codec (``rows.py``); the store keeps them and reads them back, it runs nothing itself.

- The same article twice is stored once (same id and same content hash: skipped before any
  parsing); a changed article replaces its old version and its attributions.
- Each batch is one transaction: a run killed at any moment leaves every batch before it
  whole and nothing of the one it was in; rerunning skips what is stored and does the rest.
- One outlet is one name across articles: spellings up to case are one (``outlet_rank``), and an
  article read under its bare host takes the one name the host's other articles carry.
- Speakers are one identity across articles: the same normalised name, for organisations
  also the one other organisation that lists the name as an alias, and for a bare surname the one stored person of that
  surname ("Putin" -> "Vladimir Putin"; with two such persons, the bare name stays apart), and
  for a first and last name the one stored person of that name with middle names, when the
  store supports it ("Owen Dempsey" -> "Owen John Dempsey": quoted within days of each other,
  in one article, or one listed as the other's alias; with "George W. Bush" and "George H. W.
  Bush" both stored, "George Bush" stays apart).
  Each statement keeps the name its article gave; which identity it belongs to is settled
  from what the store holds, so the order articles arrive in does not change it.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..batching import chunks
from ..errors import QuotewireError
from ..model import OUTLET_AS_READ, Article, Failure, Speaker, url_host
from ..rows import to_rows
from ..settings import SPEAKER_MIDDLE_NAME_DAYS

_NON_WORD = re.compile(r"[^\w\s]")
#: a generational suffix ends a name's key without being its last name ("james p kennedy jr")
_SUFFIX = re.compile(r"jr|sr|ii|iii|iv")


def speaker_key(name: str) -> str:
    """Case, punctuation and a leading 'the' do not make another speaker."""
    words = _NON_WORD.sub(" ", name.lower()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def name_parts(key: str) -> tuple[list[str], str]:
    """A person's key as (its words without a generational suffix, that suffix or '')."""
    words = key.split()
    if len(words) > 2 and _SUFFIX.fullmatch(words[-1]):
        return words[:-1], words[-1]
    return words, ""


def _days(published: str | None) -> int | None:
    """A publication date as a day number, or None when it is not one."""
    try:
        return date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


def name_rank(name: str) -> tuple:
    """Which spelling of one key names a speaker (lowest first), so that it does not depend on order."""
    words = name.split()
    return (name.lower().startswith("the "), name.isupper() and len(name) > 4, -sum(w[:1].isupper() for w in words), len(name), name)


def outlet_rank(name: str) -> tuple:
    """Which spelling of one outlet's name up to case names it (lowest first), so that it does not
    depend on order: not all lower case, not in capitals throughout, the most capitals inside a
    word (the page's "PolitiFact", not the "Politifact" that capitalising a handle gives), the most
    capitalised words, then the first in alphabetical order."""
    inner = sum(a.islower() and b.isupper() for a, b in zip(name, name[1:]))
    return (name.islower(), name.isupper() and len(name) > 4, -inner, -sum(w[:1].isupper() for w in name.split()), name)


_HOST_NAME = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")


def _nocase(name: str) -> str:
    """A name as SQLite's NOCASE compares it: ASCII letters in lower case, the rest as they are."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _within(days: list[int], day: int, window: int) -> bool:
    """Whether a sorted list of day numbers holds one within ``window`` days of ``day``."""
    from bisect import bisect_left

    i = bisect_left(days, day - window)
    return i < len(days) and days[i] <= day + window


def _no_name(outlet: str) -> bool:
    """A host name in lower case ("nj.com") names no outlet: the page named its site by its address."""
    return outlet.islower() and bool(_HOST_NAME.fullmatch(outlet))


def content_hash(article: Article) -> str:
    h = hashlib.sha1()
    for part in (article.text, article.title or "", article.url or "", article.outlet or "", article.published or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _json(raw: str | None) -> dict:
    import json

    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _where(provenance: dict) -> str:
    return str(provenance.get("record") or provenance.get("file") or provenance.get("url") or "an earlier run")


@dataclass
class _Host:
    """What the writer keeps of one host's stored articles in a run (``StoreWriter._host_state``)."""

    #: the names its articles carry, by lower case (a host name in lower case is no name)
    named: dict[str, set[str]]
    #: its articles read under the bare host (``OUTLET_AS_READ``)
    bare: set[str]
    #: the outlet those carry now (None: not one, as in a store from before names were settled)
    name: str | None


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    replaced: int = 0
    unchanged: int = 0
    statements: int = 0
    #: statements of the versions replaced, deleted with them (``statements`` counts those written)
    statements_removed: int = 0
    events_touched: int = 0
    failures: list[Failure] = field(default_factory=list)
    #: coded lines about what was set aside in articles that were stored all the same
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Inputs that failed; what was set aside on purpose (stage "skip": not news) is not."""
        return sum(1 for f in self.failures if f.stage != "skip")

    @property
    def skipped(self) -> int:
        """Files set aside on purpose (a folder's README or licence: Q088), one line each."""
        return sum(1 for f in self.failures if f.stage == "skip")

    def to_dict(self) -> dict:
        return {
            "read": self.read, "stored": self.stored, "replaced": self.replaced, "unchanged": self.unchanged,
            "statements": self.statements, "statements_removed": self.statements_removed,
            "events_touched": self.events_touched, "failed": self.failed, "skipped": self.skipped,
            "failures": [f.to_dict() for f in self.failures],
            "warnings": list(self.warnings),
        }


class StoreWriter:
    """The one writer of a store; reads what it needs to stay idempotent.

    ``terms(text) -> Counter`` names the words an article is indexed under for grouping
    coverage (``coverage.events.terms``); the writer keeps their document frequencies in
    ``term_df`` as articles come and go. Without it no frequencies are kept.
    """

    def __init__(self, conn: sqlite3.Connection, terms: Callable[[str], Counter] | None = None) -> None:
        self.conn = conn
        self.terms = terms
        self._speaker_cache: dict[tuple[str, str], int] = {}
        self._names: dict[int, tuple[str, str]] = {}  # speaker id -> (name, key) as stored
        self._touched: set[str] = set()  # surnames of the persons of this batch
        self._firsts: set[tuple[str, str]] = set()  # (surname, first name) of this batch's persons of two words or more
        #: this batch's statements of persons: (key, speaker id, name, day or, undated, article id)
        self._named: list[tuple[str, int, str, str]] = []
        #: (surname, first name, suffix) -> its forms' (speaker id, name, day or article), read once a run
        self._name_rows: dict[tuple[str, str, str], set[tuple[int, str, str]]] = {}
        self._new_full: set[str] = set()  # surnames that gained a full name in this batch
        self._organisations: set[int] = set()  # the organisations of this batch
        self._outlets: set[str] = set()  # the outlet names of this batch's articles
        self._hosts: dict[str, list[tuple[str, str | None]]] = {}  # host -> (id, outlet) of this batch's articles on it
        #: host -> what its stored articles are called, read from the store the first time a batch
        #: brings the host, then kept up to date from each batch: a host's articles are read once
        #: a run, not once a batch; forgotten when one of them is replaced (read again then)
        self._host_outlets: dict[str, _Host] = {}
        #: an outlet name up to case (NOCASE) -> its spellings in the store, read once a run (and
        #: again after an article of that name is replaced: the store may no longer hold its spelling)
        self._outlet_spellings: dict[str, set[str]] = {}

    # -- idempotency ---------------------------------------------------------------------
    def stored_hash(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def unchanged(self, article: Article) -> bool:
        return self.stored_hash(article.id) == content_hash(article)

    # -- speakers ------------------------------------------------------------------------
    def speaker_id(self, sp: Speaker) -> int:
        key = speaker_key(sp.name)
        cache_key = (key, sp.kind)
        if cache_key in self._speaker_cache:
            sid = self._speaker_cache[cache_key]
        else:
            sid = self._find_or_create(sp, key)
            self._speaker_cache[cache_key] = sid
        self._name(sid, sp.name, key)
        if sp.kind == "person" and key:
            words = key.split()
            self._touched.add(words[-1])
            if len(words) > 1:
                self._firsts.add((words[-1], words[0]))
        elif sp.kind == "organisation":
            self._organisations.add(sid)
        c = self.conn
        c.executemany("INSERT OR IGNORE INTO speaker_aliases(speaker_id, alias) VALUES (?, ?)", [(sid, a) for a in {sp.name, *sp.aliases}])
        if sp.roles:
            c.executemany("INSERT OR IGNORE INTO speaker_roles(speaker_id, role) VALUES (?, ?)", [(sid, r) for r in sp.roles])
        return sid

    def _name(self, sid: int, name: str, key: str) -> None:
        """One spelling of a name stands for its identity, the same whichever came first:
        without a leading 'the', not in capitals throughout, the most capitalised words, the
        shortest, then the first in alphabetical order."""
        stored = self._names.get(sid)
        if stored is None:
            row = self.conn.execute("SELECT name, key FROM speakers WHERE id = ?", (sid,)).fetchone()
            stored = self._names[sid] = (row[0], row[1])
        if stored[0] == name or stored[1] != key:
            return  # the same spelling, or a speaker reached by an alias: its own name stays
        if name_rank(name) < name_rank(stored[0]):
            self.conn.execute("UPDATE speakers SET name = ? WHERE id = ?", (name, sid))
            self._names[sid] = (name, key)

    def _find_or_create(self, sp: Speaker, key: str) -> int:
        c = self.conn
        row = c.execute("SELECT id FROM speakers WHERE key = ?", (key,)).fetchone()
        if row:
            return row[0]
        words = key.split()
        surname = words[-1] if words and sp.kind == "person" else None
        # an organisation that another lists as an alias ("NTA") is joined to it in
        # _settle_organisations, at the end of the batch, whichever of the two came first
        cur = c.execute("INSERT INTO speakers(name, key, surname, kind) VALUES (?, ?, ?, ?)", (sp.name, key, surname, sp.kind))
        if surname and len(words) > 1:
            self._new_full.add(surname)
        return int(cur.lastrowid)

    def _settle(self) -> None:
        """Where the statements of a bare surname ("Obama") belong, from what the store holds
        now, whatever order it came in: with the one person of that surname when there is
        exactly one ("Barack Obama"), else with the bare name itself. Run at the end of each
        batch for the surnames the batch touched."""
        c = self.conn
        self._settle_middle_names()
        for surname in sorted(self._touched):
            bare = c.execute("SELECT id FROM speakers WHERE key = ? AND kind = 'person'", (surname,)).fetchone()
            # persons of that surname who are quoted (one whose articles were replaced away does not count)
            full = [r[0] for r in c.execute(
                "SELECT id FROM speakers s WHERE surname = ? AND kind = 'person' AND key != ? "
                "AND EXISTS (SELECT 1 FROM attributions a WHERE a.speaker_id = s.id)", (surname, surname))]
            if len(full) == 1:
                if bare:
                    c.execute("UPDATE attributions SET speaker_id = ? WHERE speaker_id = ?", (full[0], bare[0]))
                continue
            if surname not in self._new_full or len(full) < 2:
                continue
            # a second full name arrived: bare mentions given to the first one go back to the bare name
            moved = [r[0] for r in c.execute(
                f"SELECT id, speaker_name FROM attributions WHERE speaker_id IN ({','.join('?' * len(full))})", full)
                if speaker_key(r[1] or "") == surname]
            if moved:
                bare_id = bare[0] if bare else int(c.execute(
                    "INSERT INTO speakers(name, key, surname, kind) VALUES (?, ?, ?, 'person')",
                    (surname.title(), surname, surname)).lastrowid)
                c.executemany("UPDATE attributions SET speaker_id = ? WHERE id = ?", [(bare_id, i) for i in moved])
        self._touched.clear()
        self._firsts.clear()
        self._named.clear()
        self._new_full.clear()
        self._settle_organisations()
        self._settle_outlets()

    def _settle_middle_names(self) -> None:
        """Where the statements of a first and last name ("Owen Dempsey") belong, from what the
        store holds now, whatever order it came in: with the one quoted person of that first and
        last name (and generational suffix) who adds middle names ("Owen John Dempsey"), when
        the store supports it: an article names both forms (one is the other's alias, or both
        speak in it), or articles quoting each were published within SPEAKER_MIDDLE_NAME_DAYS
        of each other; else under its own name. Two or more such persons ("George W. Bush",
        "George H. W. Bush") leave "George Bush" apart, and a name with middle names of its own
        is never joined to a longer one (the "W." of one Bush is not the "H. W." of the other).
        A bare surname that had joined the shorter form follows it. Run at the end of each batch,
        before the bare surnames are settled, for the first and last names the batch touched
        (only a statement of one of its forms, or a new form, can change where a form belongs)."""
        c = self.conn
        for surname in sorted(self._touched):
            groups: dict[tuple[str, str, str], list[tuple[int, str, int]]] = {}
            for sid, key in c.execute("SELECT id, key FROM speakers WHERE surname = ? AND kind = 'person'", (surname,)):
                words, suffix = name_parts(key)
                if len(words) >= 2:
                    groups.setdefault((words[0], words[-1], suffix), []).append((sid, key, len(words)))
            for (first, *rest), members in groups.items():
                if (surname, first) in self._firsts and any(n == 2 for *_, n in members) and any(n > 2 for *_, n in members):
                    self._settle_name_group(members, surname, (first, *rest))

    def _settle_name_group(self, members: list[tuple[int, str, int]], surname: str, group: tuple[str, str, str]) -> None:
        """One first and last name's persons: its short form (no middle names) and its longer ones."""
        c = self.conn
        id_of = {key: sid for sid, key, _ in members}
        rows = self._name_rows.get(group)
        if rows is None:  # read once a run (a row a form, identity and day), then kept up to date
            ids = sorted(id_of.values())
            rows = self._name_rows[group] = {r for r in c.execute(
                f"SELECT speaker_id, speaker_name, coalesce(substr(published, 1, 10), article_id) FROM attributions "
                f"WHERE speaker_id IN ({','.join('?' * len(ids))}) GROUP BY 1, 2, 3", ids) if speaker_key(r[1] or "") in id_of}
        else:
            rows.update((sid, name, d) for key, sid, name, d in self._named if key in id_of)
        # each form's days, and its undated articles, from the statements named by it, wherever they sit
        articles: dict[str, set[str]] = {}
        days: dict[str, set[int]] = {}
        spellings: dict[str, set[str]] = {}
        placed: dict[str, set[int]] = {}  # a form -> the identities its statements sit with
        for sid, name, day_or_article in rows:
            key = speaker_key(name or "")
            spellings.setdefault(key, set()).add(name)
            placed.setdefault(key, set()).add(sid)
            day = _days(day_or_article)
            if day is None:
                articles.setdefault(key, set()).add(day_or_article)
            else:
                days.setdefault(key, set()).add(day)
        aliases: dict[int, set[str]] = {}
        ids = sorted(id_of.values())
        for sid, alias in c.execute(f"SELECT speaker_id, alias FROM speaker_aliases WHERE speaker_id IN ({','.join('?' * len(ids))})", ids):
            aliases.setdefault(sid, set()).add(speaker_key(alias))
        longer = [key for _, key, n in members if n > 2 and key in spellings]  # quoted under that name
        moves: list[tuple[int, int]] = []
        for sid, short, n in sorted(members):
            if n != 2 or short not in spellings:
                continue
            home = sid
            if len(longer) == 1:
                full = longer[0]
                near = sorted(days.get(full, ()))
                supported = (short in aliases.get(id_of[full], ()) or full in aliases.get(sid, ())
                             or articles.get(short, set()) & articles.get(full, set())  # one undated article
                             or any(_within(near, d, SPEAKER_MIDDLE_NAME_DAYS) for d in days.get(short, ())))
                if supported:
                    home = id_of[full]
            away = sorted(placed[short] - {home})
            if away:
                names = sorted(spellings[short])
                moves += [(home, aid) for aid, name in c.execute(
                    f"SELECT id, speaker_name FROM attributions WHERE speaker_id IN ({','.join('?' * len(away))}) "
                    f"AND speaker_name IN ({','.join('?' * len(names))})", [*away, *names])]
                rows.difference_update([r for r in rows if r[1] in spellings[short]])
                rows.update((home, name, d) for name in names for d in
                            [*(date.fromordinal(x).isoformat() for x in days.get(short, ())), *articles.get(short, ())])
            if home != sid:  # a bare surname that had joined the short form follows it
                moves += [(home, aid) for aid, name in c.execute("SELECT id, speaker_name FROM attributions WHERE speaker_id = ?", (sid,))
                          if speaker_key(name or "") == surname]
        c.executemany("UPDATE attributions SET speaker_id = ? WHERE id = ?", moves)

    # -- outlets -------------------------------------------------------------------------
    def _on_host(self, host: str, columns: str = "id, outlet") -> list[tuple]:
        """Rows of the stored articles whose address is on ``host`` (or www. of it), through
        the index of addresses: a range of each scheme's prefix."""
        rows: list[tuple] = []
        for prefix in (f"{scheme}://{www}{host}" for scheme in ("https", "http") for www in ("", "www.")):
            rows += self.conn.execute(f"SELECT {columns} FROM articles WHERE url = ? OR (url >= ? AND url < ?)",
                                      (prefix, prefix + "/", prefix + "0")).fetchall()
        return rows

    def _host_state(self, host: str, batch: set[str]) -> _Host:
        """The host's stored articles as the store holds them (read once a run); ``batch``: the ids
        of this batch's articles, whose outlets do not count for the name the host's bare ones carry."""
        state = self._host_outlets.get(host)
        if state is None:
            named: dict[str, set[str]] = {}
            bare: set[str] = set()
            carried: set[str | None] = set()
            # the provenance is parsed only where it holds the key (most of a host's articles never moved)
            columns = f"id, outlet, CASE WHEN instr(provenance, '{OUTLET_AS_READ}') THEN json_extract(provenance, '$.{OUTLET_AS_READ}') END"
            for aid, outlet, read in self._on_host(host, columns):
                if (read or outlet) == host:
                    bare.add(aid)
                    if aid not in batch:
                        carried.add(outlet)
                elif outlet and not _no_name(outlet):
                    named.setdefault(outlet.lower(), set()).add(outlet)
            state = self._host_outlets[host] = _Host(named, bare, carried.pop() if len(carried) == 1 else None if carried else host)
        return state

    def _settle_outlets(self) -> None:
        """One outlet, one name, from what the store holds now, whatever order it came in:
        an article stored under its bare host ("nbcnews.com": its page named no site, a syndicated
        copy, say) takes the one name the other articles of that host carry ("NBC News"; with
        two names there, it keeps the host, and one that took a name before the second came gives
        it back: ``provenance.outlet_as_read`` keeps the host it was read with), and spellings of
        one name that differ only in case ("Politifact", "PolitiFact") become the one
        ``outlet_rank`` puts first. Run at the end of each batch for the hosts and names its
        articles brought; statements follow their article's outlet (a trigger)."""
        c = self.conn
        for host, batch in sorted(self._hosts.items()):
            fresh = host not in self._host_outlets
            state = self._host_state(host, {aid for aid, _ in batch})
            new_bare = [aid for aid, outlet in batch if outlet == host]  # stored under the host itself
            if not fresh:  # the store was read before this batch: add what the batch brought
                state.bare.update(new_bare)
                for _, outlet in batch:
                    if outlet and outlet != host and not _no_name(outlet):
                        state.named.setdefault(outlet.lower(), set()).add(outlet)
            if not state.bare:
                continue
            name = min(next(iter(state.named.values())), key=outlet_rank) if len(state.named) == 1 else host
            # the batch's new bare articles take the host's name; all of them only when that name changes
            moved = sorted(state.bare) if name != state.name else new_bare if name != host else []
            for part in chunks(moved, 500):
                c.execute(f"UPDATE articles SET outlet = ?, provenance = json_set(provenance, '$.{OUTLET_AS_READ}', ?) "
                          f"WHERE id IN ({','.join('?' * len(part))})", [name, host, *part])
            if name != state.name:
                state.name = name
                self._outlets.add(name)
        for name in sorted(self._outlets):
            key = _nocase(name)
            known = self._outlet_spellings.get(key)
            if known is None:  # read once a run (one walk of the outlet index), then kept up to date
                known = self._outlet_spellings[key] = {r[0] for r in c.execute(
                    "SELECT DISTINCT outlet FROM articles WHERE outlet = ? COLLATE NOCASE", (name,))} | {name}
            known.add(name)
            if len(known) > 1:
                best = min(known, key=outlet_rank)
                spellings = sorted(known - {best})
                c.executemany("UPDATE articles SET outlet = ? WHERE outlet = ? COLLATE NOCASE AND outlet = ?", [(best, x, x) for x in spellings])
                known.intersection_update({best})
                for state in self._host_outlets.values():  # what is kept of the hosts follows
                    if best.lower() in state.named:
                        state.named[best.lower()] = {best}
                    if state.name in spellings:
                        state.name = best
        self._outlets.clear()
        self._hosts.clear()

    def _settle_organisations(self) -> None:
        """Where the statements written under an organisation's name belong, from what the store
        holds now, whatever order it came in: with the one other organisation that lists that
        name among its aliases ("NTA" with "the National Transport Authority", which its article
        wrote with "(NTA)"), and on, if that one belongs to another in turn; with none or with
        several listing it ("NTS" of two bodies), under its own name. Two that list each other
        are the fuller name's (more words, then the first in alphabetical order). Run at the end
        of each batch over the organisations it touched and those tied to them; a later article
        can so undo an earlier join (a second body listing "NTS")."""
        c = self.conn
        rows: dict[int, tuple[str, list[str], list[str]]] = {}
        parent: dict[int, int] = {}
        listers: set[int] = set()
        todo, seen = set(self._organisations), set()
        self._organisations.clear()
        while todo:  # the touched organisations, the chain each belongs to, and those each lists: a round of queries a step
            step = sorted(todo - seen)
            seen.update(step)
            todo = set()
            spelt = self._spellings(step)
            rows.update(spelt)
            listing = self._listing(spelt)
            named = self._organisations_keyed({speaker_key(a) for _, _, others in spelt.values() for a in others})
            for sid, (key, own, others) in spelt.items():
                listers.update(listing[sid])
                if len(listing[sid]) == 1:
                    parent[sid] = listing[sid][0]
                    todo.add(listing[sid][0])
                todo.update(x for a in others for x in named.get(speaker_key(a), ()) if x != sid)
        if not rows:
            return

        def root(sid: int) -> int:
            path = [sid]
            while path[-1] in parent and parent[path[-1]] not in path:
                path.append(parent[path[-1]])
            if path[-1] in parent:  # a cycle (two, or more, listing each other): its fullest name
                cycle = path[path.index(parent[path[-1]]):]
                return min(cycle, key=lambda x: (-len(rows[x][0].split()), rows[x][0]))
            return path[-1]

        home = {rows[sid][0]: root(sid) for sid in rows}  # a name's key -> the identity its statements belong to
        ids = sorted(set(rows) | listers)
        names = sorted({n for key, own, _ in rows.values() for n in own})
        moves = [(home[speaker_key(name)], aid)
                 for id_part in chunks(ids, 250) for name_part in chunks(names, 250)
                 for aid, sid, name in c.execute(
                     f"SELECT id, speaker_id, speaker_name FROM attributions WHERE speaker_id IN ({','.join('?' * len(id_part))}) "
                     f"AND speaker_name IN ({','.join('?' * len(name_part))})", [*id_part, *name_part])
                 if home.get(speaker_key(name), sid) != sid]
        c.executemany("UPDATE attributions SET speaker_id = ? WHERE id = ?", moves)

    def _spellings(self, sids: list[int]) -> dict[int, tuple[str, list[str], list[str]]]:
        """Each stored speaker's (key, the aliases that spell its own name, the other aliases)."""
        keys: dict[int, str] = {}
        aliases: dict[int, list[str]] = {}
        for part in chunks(sids, 500):
            marks = ",".join("?" * len(part))
            keys.update(self.conn.execute(f"SELECT id, key FROM speakers WHERE id IN ({marks})", part).fetchall())
            for sid, alias in self.conn.execute(f"SELECT speaker_id, alias FROM speaker_aliases WHERE speaker_id IN ({marks}) ORDER BY alias", part):
                aliases.setdefault(sid, []).append(alias)
        return {sid: (key, [a for a in aliases.get(sid, []) if speaker_key(a) == key], [a for a in aliases.get(sid, []) if speaker_key(a) != key])
                for sid, key in keys.items()}

    def _listing(self, spelt: dict[int, tuple[str, list[str], list[str]]]) -> dict[int, list[int]]:
        """For each speaker, the other organisations (of another name than its key) that list
        one of its own spellings as an alias, in id order."""
        names = sorted({n for _, own, _ in spelt.values() for n in own})
        listed: dict[str, list[tuple[int, str]]] = {}
        for part in chunks(names, 500):
            for alias, lister, key in self.conn.execute(
                    f"SELECT DISTINCT a.alias, a.speaker_id, s.key FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
                    f"WHERE a.alias IN ({','.join('?' * len(part))}) AND s.kind = 'organisation'", part):
                listed.setdefault(alias, []).append((lister, key))
        return {sid: sorted({lister for n in own for lister, k in listed.get(n, ()) if k != key and lister != sid})
                for sid, (key, own, _) in spelt.items()}

    def _organisations_keyed(self, keys: set[str]) -> dict[str, list[int]]:
        """The stored organisations of each key."""
        found: dict[str, list[int]] = {}
        for part in chunks(sorted(keys), 500):
            for sid, key in self.conn.execute(
                    f"SELECT id, key FROM speakers WHERE key IN ({','.join('?' * len(part))}) AND kind = 'organisation'", part):
                found.setdefault(key, []).append(sid)
        return found

    def count_terms(self, text: str, delta: int = 1) -> None:
        """Keep document frequencies as articles come and go (one row a word, O(1) to read)."""
        if self.terms is None:
            return
        self.conn.executemany(
            "INSERT INTO term_df(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            [(w, delta) for w in self.terms(text)],
        )

    # -- articles ------------------------------------------------------------------------
    def write(self, articles: Iterable[Article], report: IngestReport) -> list[str]:
        """One batch, one transaction; returns the ids of the articles written (new or changed)."""
        try:
            with self.conn:
                written = [a.id for a in articles if self._write_one(a, report)]
                self._settle()
                return written
        except BaseException:
            # the batch is rolled back: what was learnt about speakers in it is forgotten too
            self._speaker_cache.clear()
            self._names.clear()
            self._touched.clear()
            self._firsts.clear()
            self._named.clear()
            self._name_rows.clear()
            self._new_full.clear()
            self._organisations.clear()
            self._outlets.clear()
            self._hosts.clear()
            self._host_outlets.clear()
            self._outlet_spellings.clear()
            raise

    def _write_one(self, a: Article, report: IngestReport) -> bool:
        c = self.conn
        digest = content_hash(a)
        old = self.stored_hash(a.id)
        if old == digest:
            report.unchanged += 1
            return False
        if old is not None:
            prev, prev_from, prev_outlet, prev_url = c.execute(
                "SELECT coalesce(title, '') || ' ' || text, provenance, outlet, url FROM articles WHERE id = ?", (a.id,)).fetchone()
            # what was kept of its outlet and host may hold what is deleted now: read again, and
            # its host settled again (the name it gave may have gone), as a new run would
            if prev_outlet:
                self._outlet_spellings.pop(_nocase(prev_outlet), None)
            if prev_host := url_host(prev_url):
                self._host_outlets.pop(prev_host, None)
                self._hosts.setdefault(prev_host, [])
            removed = c.execute("DELETE FROM attributions WHERE article_id = ?", (a.id,)).rowcount
            report.statements_removed += removed
            # never silent: the same id with another text is either a story updated or two
            # stories under one id, and only the user can tell which
            report.warnings.append(str(QuotewireError("Q075", id=a.id, where=_where(a.provenance), before=_where(_json(prev_from)), removed=removed)))
            self.count_terms(prev, -1)
            c.execute("DELETE FROM articles WHERE id = ?", (a.id,))
            report.replaced += 1
            self._name_rows.clear()  # statements went with the old version: read the names again
        else:
            report.stored += 1
        report.warnings.extend(a.warnings)
        if a.outlet:
            self._outlets.add(a.outlet)
        if host := url_host(a.url):
            self._hosts.setdefault(host, []).append((a.id, a.outlet))
        article, attributions = to_rows(a)
        article["content_hash"] = digest
        c.execute(f"INSERT INTO articles({', '.join(article)}) VALUES ({', '.join('?' * len(article))})", list(article.values()))
        self.count_terms((a.title or "") + " " + a.text)
        for row, at in zip(attributions, a.attributions):
            row["speaker_id"] = self.speaker_id(at.speaker) if at.speaker else None
            if at.speaker and at.speaker.kind == "person":
                self._named.append((speaker_key(at.speaker.name), row["speaker_id"], at.speaker.name,
                                    a.published[:10] if a.published is not None else a.id))
            row["speaker_name"] = row.pop("speaker")
        if attributions:
            cols = list(attributions[0])
            c.executemany(
                f"INSERT INTO attributions({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [[r[k] for k in cols] for r in attributions],
            )
        report.statements += len(attributions)
        return True
