"""Reading the store: statement search, speakers, one article. Parameterised SQL only.

Each function returns plain dicts, so the CLI, the JSON API and the pages render the same data.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..batching import chunks
from ..errors import QuotewireError
from ..model import Article, valid_published
from ..rows import columns, from_rows

KINDS = ("direct", "mixed", "indirect")
SORTS = ("relevance", "date")
#: counting stops here: past it, "more than" is all a reader needs
COUNT_CAP = 10_000
#: A text query ranks (bm25) at most this many matches, the newest first; past that the best of
#: the newest RANK_WINDOW stands in for the best of all, so a query costs what its page costs,
#: not what its number of matches costs (a common word matches most of an archive).
RANK_WINDOW = 1_000
#: Facets count every match, exactly, when there are at most this many (the matches past the
#: search's walk in one aggregate in SQLite), so that a count is what a click on it finds...
#: 10,000 made search pages 1.6-1.9x slower at p95 on bench_search's 100k store (its common
#: words match 3,000-20,000); at 5,000 the p95 stayed as it was (README, Measured)
FACET_EXACT = 5_000
#: ...and past that they count the newest this many and say so (``of_newest``): the counts of a
#: named part, never an estimate scaled up from them (those read "about 97" where 82 matched)
FACET_SAMPLE = 3_000
#: Filters (speaker, outlet, date, kind, article) are counted through their index up to this
#: many statements; a filter keeping more is checked on each full-text match by the statement's
#: row, one that keeps fewer is met with the text query in the cheaper of two ways (see _Plan).
FILTER_SET_MAX = 40_000
#: FTS5's bm25 constants (k1, b): its length normalisation scores a match in a two-word fragment
#: ("she said", "what was said": a source and its verb) 1.6 times one in a statement of average
#: length, so a search for a word that is mostly a cue ("said") put such fragments first. A
#: statement shorter than the average is ranked as if it were of average length (its term
#: frequency, and the rarity of the words, decide); a longer one keeps bm25's discount.
_BM25_K1, _BM25_B = 1.2, 0.75
#: the significant digits a relevance score is compared by: far above float noise (~16 digits), so
#: that scores equal up to it tie; relative, since bm25's scale goes with how rare the word is
_RANK_DIGITS = 9
# Costs (microseconds, measured on a 1M-statement store, warm): what _Plan weighs its shapes by.
_US_PROBE_BASE, _US_PROBE_PER_MATCH = 20.0, 0.00027  # one text-index probe for one statement id
_US_SET_ROW, _US_SCAN_ROW, _US_BM25 = 0.5, 0.4, 10.0  # a filter id into a set; a match checked; a match ranked

_SELECT = """
    SELECT a.id AS statement_id, a.article_id, a.seq, a.kind, a.content_text, a.cue_text, a.source_text,
           coalesce(s.name, a.speaker_name) AS speaker, a.speaker_id, s.kind AS speaker_kind, a.confidence, a.rule, a.start, a.end,
           ar.outlet, ar.published, ar.title, ar.url, ar.place
    FROM attributions a JOIN articles ar ON ar.id = a.article_id LEFT JOIN speakers s ON s.id = a.speaker_id
"""
_NEWEST = " ORDER BY a.published DESC, a.article_id, a.seq"
# The ways a text query and filters meet (CROSS JOIN fixes which table SQLite walks first):
# "text": the text index alone; "rows": text matches newest first, each checked on its row;
# "set": text matches newest first, each checked against the filter's ids (one index walk, held
# in memory; '+' keeps SQLite from probing the text index per id); "probe": the filter's
# statements from its index, each probed in the text index.
_SHAPES = {
    "text": " FROM attributions_fts f WHERE attributions_fts MATCH ?",
    "rows": " FROM attributions_fts f CROSS JOIN attributions a INDEXED BY attributions_by_id ON a.id = f.rowid"
            " WHERE attributions_fts MATCH ?",
    "set": " FROM attributions_fts f{rows} WHERE attributions_fts MATCH ? AND +f.rowid IN (SELECT a.id FROM attributions a WHERE 1{where})",
    "probe": " FROM attributions a CROSS JOIN attributions_fts f ON f.rowid = a.id WHERE attributions_fts MATCH ?",
}


@dataclass
class Filters:
    """A statement query: full text (FTS5 syntax) and filters. One builder for search and facets."""

    query: str | None = None
    speaker: str | None = None
    speaker_id: int | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    article: str | None = None

    def __post_init__(self) -> None:
        # a date that is not one is an error, not a filter that quietly matches nothing
        self.since = check_date(self.since, "since")
        self.until = check_date(self.until, "until")

    @property
    def has_query(self) -> bool:
        return bool(self.query and self.query.strip())

    def where(self, conn: sqlite3.Connection) -> tuple[str, list[Any]]:
        """(" AND ..." over the statement's own columns, parameters); every filter has an index."""
        where: list[str] = []
        params: list[Any] = []
        if self.speaker:
            # the speakers first (a small table), then their statements by index
            pattern = f"%{self.speaker}%"
            ids = [r[0] for r in conn.execute(
                "SELECT speaker_id FROM speaker_aliases WHERE alias LIKE ? UNION SELECT id FROM speakers WHERE name LIKE ?",
                (pattern, pattern),
            )]
            where.append(f"a.speaker_id IN ({','.join('?' * len(ids)) or 'NULL'})")
            params += ids
        if self.speaker_id is not None:
            where.append("a.speaker_id = ?")
            params.append(self.speaker_id)
        if self.outlet:
            # like speakers: any outlet whose name holds the words, case-insensitive ("fox": Fox
            # News). The names first (one walk of the articles' outlet index), then their
            # statements by equality, which walks the statements' index in date order.
            names = outlets_matching(conn, self.outlet)
            where.append(f"a.outlet IN ({','.join('?' * len(names)) or 'NULL'})" if len(names) != 1 else "a.outlet = ?")
            params += names
        if self.since:
            where.append("a.published >= ?")
            params.append(self.since)
        if self.until:
            where.append("a.published <= ?")
            params.append(self.until + "\uffff")
        if self.kind:
            if self.kind not in KINDS:
                raise QuotewireError("Q011", kind=self.kind)
            # a third of the store per kind: with a narrower filter present, '+' keeps the planner off its index
            narrower = self.speaker or self.speaker_id is not None or self.outlet or self.article
            where.append("+a.kind = ?" if narrower else "a.kind = ?")
            params.append(self.kind)
        if self.article:
            where.append("a.article_id = ?")
            params.append(self.article)
        return "".join(" AND " + w for w in where), params


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_date(value: str | None, name: str = "date") -> str | None:
    """A filter date as given (YYYY, YYYY-MM or YYYY-MM-DD), or QuotewireError Q066. The CLI
    (exit 2) and the web and API (400) both call this through Filters."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    if not (_DATE.match(value) and valid_published(value)):  # the shape here, the calendar in the model
        raise QuotewireError("Q066", name=name, value=value)
    return value


def outlets_matching(conn: sqlite3.Connection, text: str) -> list[str]:
    """The stored outlet names that hold ``text`` (case-insensitive; SQL wildcards kept as typed),
    or only the one that ``text`` names whole: a facet's link to the outlet "i" must not match
    every name with an i in it."""
    exact = [r[0] for r in conn.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet = ? COLLATE NOCASE", (text.strip(),))]
    if exact:
        return exact
    pattern = text if any(c in text for c in "%_") else f"%{text.strip()}%"
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet LIKE ? AND outlet IS NOT NULL ORDER BY outlet", (pattern,))]


def _run(conn: sqlite3.Connection, f: Filters, sql: str, params: list[Any]) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        if f.has_query and ("fts5" in msg or "syntax error" in msg or "unterminated" in msg
                            or "no such column" in msg or "special query" in msg):
            raise QuotewireError("Q060", query=f.query, reason=msg) from None
        raise


#: what facets count of each match (besides its id): the walk search_page shares with the search
FACET_COLUMNS = "a.kind, a.outlet, a.speaker_id"


@dataclass
class _Plan:
    """How one query reads the store: which shape of SQL search and facets run, chosen by cost.

    A plan remembers its walk of the newest matches and its counts, so that a search and its
    facets on one plan (``search_page``) read the matches once, not twice.
    """

    f: Filters
    where: str
    params: list[Any]
    shape: str
    _walk: tuple[str, int, list] | None = field(default=None, repr=False)  # (columns, limit asked, rows)
    _counts: dict[int | None, int] = field(default_factory=dict, repr=False)  # cap (None: none) -> count
    _span: tuple[int, int] | None = field(default=None, repr=False)

    def id_span(self, conn: sqlite3.Connection) -> tuple[int, int]:
        if self._span is None:
            self._span = _id_span(conn)
        return self._span

    def newest(self, conn: sqlite3.Connection, columns: str, limit: int) -> list:
        """``matches(columns, limit)`` run, or the plan's earlier walk when it read as many rows
        with these columns or more (its rows are the same, in the same order: a prefix)."""
        if self._walk and self._walk[0] in (columns, FACET_COLUMNS) and self._walk[1] >= limit:
            return self._walk[2][:limit]
        sql, params = self.matches(columns, limit)
        rows = _run(conn, self.f, sql, params)
        self._walk = (columns, limit, rows)
        return rows

    def count(self, conn: sqlite3.Connection, cap: int | None = None) -> int:
        """How many statements match (stopping past ``cap`` when given); an exact count served
        before answers any cap."""
        for known_cap, n in self._counts.items():
            if known_cap is None or n <= known_cap:
                return n if cap is None or n <= cap else cap + 1
            if cap is not None and cap <= known_cap:  # more than known_cap, so more than cap
                return cap + 1
        if self.shape == "filters":
            sql, params = f" FROM attributions a WHERE 1{self.where}", self.params
        else:
            sql, params = self._from()
        body = f"SELECT 1{sql}" + (f" LIMIT {int(cap) + 1}" if cap is not None else "")
        n = _run(conn, self.f, f"SELECT count(*) FROM ({body})", params)[0][0]
        self._counts[cap] = n
        return n

    @classmethod
    def make(cls, conn: sqlite3.Connection, f: Filters) -> "_Plan":
        where, params = f.where(conn)
        if not f.has_query:
            return cls(f, where, params, "filters")
        if not where:
            return cls(f, where, params, "text")
        kept = _run(conn, f, f"SELECT count(*) FROM (SELECT 1 FROM attributions a WHERE 1{where} LIMIT {FILTER_SET_MAX + 1})", params)[0][0]
        if kept > FILTER_SET_MAX:
            return cls(f, where, params, "rows")
        # how many statements the text matches, from the id span of its newest RANK_WINDOW matches
        newest = [r[0] for r in _run(conn, f, f"SELECT f.rowid{_SHAPES['text']} ORDER BY f.rowid DESC LIMIT {RANK_WINDOW}", [f.query])]
        span = lo, hi = _id_span(conn)
        size = max(1, (hi or 0) - (lo or 0) + 1)
        matches = len(newest) if len(newest) < RANK_WINDOW else len(newest) * size / max(1, hi - newest[-1] + 1)
        both = kept * matches / size  # if the filter and the text are independent
        probe = kept * (_US_PROBE_BASE + _US_PROBE_PER_MATCH * matches) + both * _US_BM25
        scanned = min(matches, RANK_WINDOW * matches / max(both, 1.0))
        in_set = kept * _US_SET_ROW + scanned * _US_SCAN_ROW + min(both, RANK_WINDOW) * _US_BM25
        return cls(f, where, params, "probe" if probe < in_set else "set", _span=span)

    def _from(self, rows: bool = False) -> tuple[str, list[Any]]:
        """FROM ... WHERE for the shape; `rows`: the statement `a` is joined for its columns."""
        if self.shape == "set":
            join = " CROSS JOIN attributions a INDEXED BY attributions_by_id ON a.id = f.rowid" if rows else ""
            return _SHAPES["set"].format(rows=join, where=self.where), [self.f.query, *self.params]
        if self.shape == "text":
            return _SHAPES["rows" if rows else "text"], [self.f.query]
        return _SHAPES[self.shape] + self.where, [self.f.query, *self.params]

    def matches(self, columns: str, limit: int, below: int | None = None) -> tuple[str, list[Any]]:
        """The newest `limit` statements that match (any order for "probe"), id first then `columns` of `a`;
        `below`: only those of a lower id (a text query's older matches)."""
        if self.shape == "filters":
            return f"SELECT a.id, {columns} FROM attributions a WHERE 1{self.where}{_NEWEST} LIMIT {limit}", self.params
        sql, params = self._from(rows=columns != "1")
        older = "" if below is None else f" AND f.rowid < {int(below)}"
        order = "" if self.shape == "probe" else " ORDER BY f.rowid DESC"
        return f"SELECT f.rowid, {columns}{sql}{older}{order} LIMIT {int(limit)}", params

    def ranked(self, lowest_id: int | None, limit: int, offset: int, sort: str = "relevance",
               average: float | None = None) -> tuple[str, list[Any]]:
        """The page among the matches with id >= lowest_id (the rank window), by bm25 or, with
        sort="date", by publication date (the statement's row joined by id for its date).
        ``average``: the statements' average length in tokens; bm25's bonus for a statement
        shorter than that is taken back (``_BM25_K1``), its length read from the index's
        docsize row (one byte below 128 tokens; a longer one is past any average here)."""
        by_date = sort == "date"
        sql, params = self._from(rows=by_date)
        window = "" if lowest_id is None else f" AND f.rowid >= {int(lowest_id)}"
        rank = "bm25(attributions_fts)"
        if average and average < 127:
            k1, b = _BM25_K1, _BM25_B
            # bm25's length part for tf=1, (1 + k1) / (1 + k1 * (1 - b + b * n / average)), made that of the average
            fixed, per_token = (1 + k1 * (1 - b)) / (1 + k1), k1 * b / (average * (1 + k1))
            tokens = ("(SELECT CASE WHEN length(d.sz) = 1 THEN unicode(CAST(d.sz AS TEXT)) ELSE 128 END "
                      "FROM attributions_fts_docsize d WHERE d.id = f.rowid)")
            # rounded to significant digits (_RANK_DIGITS): statements floored to the average length tie
            # exactly (then the newest first), not by float noise; to decimal places, a word in over half
            # the statements (bm25 ~1e-6) tied everywhere and relevance became newest first
            rank = f"CAST(printf('%.{_RANK_DIGITS - 1}e', {rank} * min(1.0, {fixed!r} + {per_token!r} * coalesce({tokens}, 128))) AS REAL)"
        order = "a.published DESC, f.rowid DESC" if by_date else f"{rank}, f.rowid DESC"
        return f"SELECT f.rowid{sql}{window} ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}", params

    def grouped(self, conn: sqlite3.Connection, most: int) -> list[tuple] | None:
        """(kind, outlet, speaker id, statements) over every match, or None when more than
        ``most`` match: known from a count (a walk of one index, or the search's, served
        before), or from the id span of the newest matches, walked already, when that puts them
        past it; else the aggregate itself stops one row past ``most``. The matches walked
        already are counted from the walk, the aggregate reads the older ones only."""
        walked = self._walk[2] if self._walk else []
        if self.shape in ("filters", "probe"):
            if self.count(conn, most) > most:
                return None
            walked = []  # (not in id order: the aggregate reads them all)
        elif walked and self.estimate(conn, [r[0] for r in walked]) > most:
            return None
        sql, params = self.matches(FACET_COLUMNS, most + 1 - len(walked), below=walked[-1][0] if walked else None)
        groups = [tuple(g) for g in _run(conn, self.f, f"SELECT kind, outlet, speaker_id, count(*) FROM ({sql}) GROUP BY 1, 2, 3", params)]
        groups += [(*r[1:4], 1) for r in walked]
        return None if sum(g[3] for g in groups) > most else groups

    def estimate(self, conn: sqlite3.Connection, ids: list[int]) -> int:
        """How many match in all, from the id span of the newest len(ids) matches (ids: newest first)."""
        lo, hi = self.id_span(conn)
        density = len(ids) / max(1, hi - ids[-1] + 1)
        return max(len(ids), _round2(density * (hi - lo + 1)))


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's variable-length integer at ``at``: (value, where the next begins)."""
    value = 0
    for n in range(8):
        byte = data[at + n]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + n + 1
    return (value << 8) | data[at + 8], at + 9


def average_tokens(conn: sqlite3.Connection) -> float | None:
    """The statements' average length in tokens, as FTS5's bm25 reads it: its averages record
    (row 1 of the index's data: the number of rows, then the tokens of each column), one small
    read; None when it is missing or does not read."""
    try:
        row = conn.execute("SELECT block FROM attributions_fts_data WHERE id = 1").fetchone()
        rows, at = _varint(row[0], 0)
        tokens, _ = _varint(row[0], at)
    except (sqlite3.Error, TypeError, IndexError):
        return None
    return tokens / rows if rows and tokens else None


def _id_span(conn: sqlite3.Connection) -> tuple[int, int]:
    # two subqueries: min() and max() together in one SELECT would read every row
    lo, hi = conn.execute("SELECT (SELECT min(id) FROM attributions), (SELECT max(id) FROM attributions)").fetchone()
    return lo or 0, hi or 0


def _round2(x: float) -> int:
    """Two significant figures: an estimate should not look like a count."""
    if x < 100:
        return int(round(x))
    digits = len(str(int(x))) - 2
    return int(round(x, -digits))


def _statements(conn: sqlite3.Connection, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    rows = {r["statement_id"]: dict(r) for r in conn.execute(f"{_SELECT} WHERE a.id IN ({','.join('?' * len(ids))})", ids)}
    return [rows[i] for i in ids if i in rows]


def search(
    conn: sqlite3.Connection, query: str | None = None, *, limit: int = 20, offset: int = 0, sort: str = "relevance",
    **filters: Any,
) -> dict[str, Any]:
    """Statements matching a full-text query (FTS5 syntax) and filters, best match first
    (``sort="date"``: newest first).

    Without a query: the newest statements that pass the filters. With one, ranking reads the
    newest RANK_WINDOW matches (more when paging deeper); past that ``total`` is an estimate and
    ``total_approximate`` says so, and a date order is the order of that window too.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}, not {sort!r}")
    return _search(conn, _Plan.make(conn, Filters(query=query, **filters)), limit, offset, sort)


def search_page(
    conn: sqlite3.Connection, query: str | None = None, *, limit: int = 20, offset: int = 0, sort: str = "relevance",
    size: int = 10, **filters: Any,
) -> dict[str, Any]:
    """``search`` with its ``facets`` under "facets": what a search page shows, on one plan, so
    the query is planned once and its newest matches walked once."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}, not {sort!r}")
    plan = _Plan.make(conn, Filters(query=query, **filters))
    if plan.shape != "probe":  # one walk of the newest matches, long enough for both to read a prefix of it
        window = offset + limit if not plan.f.has_query else max(RANK_WINDOW, offset + limit)
        plan.newest(conn, FACET_COLUMNS, max(FACET_SAMPLE, window) + 1)
    return {**_search(conn, plan, limit, offset, sort), "facets": _facets(conn, plan, size)}


def _search(conn: sqlite3.Connection, plan: _Plan, limit: int, offset: int, sort: str) -> dict[str, Any]:
    f = plan.f
    limit, offset = max(0, int(limit)), max(0, int(offset))
    approximate = False
    if not f.has_query:
        ids = [r[0] for r in plan.newest(conn, "1", offset + limit)][offset:]
        total = plan.count(conn, COUNT_CAP)
        capped = total > COUNT_CAP
        total = min(total, COUNT_CAP)
    else:
        window = max(RANK_WINDOW, offset + limit)
        lowest = None
        if plan.shape == "probe":  # the filter's statements are few: all their matches are ranked
            total = plan.count(conn, COUNT_CAP)
            capped, total = total > COUNT_CAP, min(total, COUNT_CAP)
        else:
            newest = [r[0] for r in plan.newest(conn, "1", window + 1)]
            total, capped = len(newest), False
            if len(newest) > window:
                newest = newest[:window]
                lowest = newest[-1]
                total, approximate = plan.estimate(conn, newest), True
        sql, params = plan.ranked(lowest, limit, offset, sort, average_tokens(conn) if sort != "date" else None)
        ids = [r[0] for r in _run(conn, f, sql, params)]
    return {"total": total, "total_capped": capped, "total_approximate": approximate, "limit": limit, "offset": offset,
            "statements": _statements(conn, ids)}


def facets(conn: sqlite3.Connection, query: str | None = None, *, size: int = 10, **filters: Any) -> dict[str, list[dict]]:
    """Counts by kind, outlet and speaker for the statements a search would find.

    Exact when at most FACET_EXACT statements match; past that, the counts of the newest
    FACET_SAMPLE matches, each entry ``approximate`` with ``of_newest`` saying how many were counted.
    """
    return _facets(conn, _Plan.make(conn, Filters(query=query, **filters)), size)


def _facets(conn: sqlite3.Connection, plan: _Plan, size: int) -> dict[str, list[dict]]:
    # speakers are counted by identity (id), as the speaker page counts them, not by the name each article gave
    rows = plan.newest(conn, FACET_COLUMNS, FACET_SAMPLE + 1)
    groups: list[tuple] | None = [(*r[1:], 1) for r in rows]
    of_newest = None
    if len(rows) > FACET_SAMPLE:
        groups = plan.grouped(conn, FACET_EXACT)
        if groups is None:  # too many to count each time: the newest FACET_SAMPLE, named as such
            groups, of_newest = [(*r[1:], 1) for r in rows[:FACET_SAMPLE]], FACET_SAMPLE
    out: dict[str, list[dict]] = {}
    for col, name in enumerate(("kind", "outlet", "speaker")):
        counts: dict[Any, int] = {}
        for g in groups:
            if g[col] is not None:
                counts[g[col]] = counts.get(g[col], 0) + g[3]
        if name == "speaker":
            # names only for the speakers that can make the top `size` (ties are ordered by name)
            bar = sorted(counts.values(), reverse=True)[size - 1] if len(counts) >= size > 0 else 0
            names = _speaker_names(conn, [k for k, n in counts.items() if n >= bar])
            counts = {(names.get(k, str(k)), k): n for k, n in counts.items() if n >= bar}
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        entry = {"approximate": of_newest is not None, "of_newest": of_newest}
        if name == "speaker":
            out[name] = [{"value": v[0], "speaker_id": v[1], "count": n, **entry} for v, n in top]
        else:
            out[name] = [{"value": v, "count": n, **entry} for v, n in top]
    return out


def _speaker_names(conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for part in chunks(ids, 500):
        names.update({r[0]: r[1] for r in conn.execute(f"SELECT id, name FROM speakers WHERE id IN ({','.join('?' * len(part))})", part)})
    return names
#: what `highlights` puts around a matched word: control characters no article text keeps, so
#: the caller can escape the text first and then turn them into markup
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


def highlights(conn: sqlite3.Connection, query: str | None, ids: list[int]) -> dict[int, str]:
    """Each listed statement's text with the words `query` matches between MARK_OPEN and MARK_CLOSE.

    One text-index probe per id (the page's statements), never a walk of all the matches.
    """
    if not (query and query.strip()) or not ids:
        return {}
    f = Filters(query=query)
    sql = (f"SELECT f.rowid, highlight(attributions_fts, 0, ?, ?) FROM attributions_fts f "
           f"WHERE attributions_fts MATCH ? AND f.rowid IN ({','.join('?' * len(ids))})")
    return {r[0]: r[1] for r in _run(conn, f, sql, [MARK_OPEN, MARK_CLOSE, query, *ids])}


def speaker(conn: sqlite3.Connection, speaker_id: int) -> dict[str, Any] | None:
    """One speaker: names, roles, the outlets that quote them and their statements by month."""
    row = conn.execute("SELECT id, name, kind FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    if row is None:
        return None
    d = dict(row)
    d["aliases"] = [x[0] for x in conn.execute("SELECT alias FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias", (speaker_id,))]
    d["roles"] = [x[0] for x in conn.execute("SELECT role FROM speaker_roles WHERE speaker_id = ? ORDER BY role", (speaker_id,))]
    d["outlets"] = [dict(r) for r in conn.execute(
        "SELECT ar.outlet AS outlet, count(*) AS statements FROM attributions a JOIN articles ar ON ar.id = a.article_id "
        "WHERE a.speaker_id = ? GROUP BY lower(nullif(ar.outlet, '')) ORDER BY statements DESC", (speaker_id,))]
    d["timeline"] = [dict(r) for r in conn.execute(
        "SELECT substr(ar.published, 1, 7) AS month, count(*) AS statements FROM attributions a "
        "JOIN articles ar ON ar.id = a.article_id WHERE a.speaker_id = ? AND ar.published IS NOT NULL "
        "GROUP BY month ORDER BY month", (speaker_id,))]
    d["statements"] = conn.execute("SELECT count(*) FROM attributions WHERE speaker_id = ?", (speaker_id,)).fetchone()[0]
    return d


#: a query of words alone (no full-text syntax), which may be a name
_PLAIN_WORDS = re.compile(r"^[\w .'’-]+$")


def speakers_called(conn: sqlite3.Connection, text: str | None, top: int = 3) -> list[dict[str, Any]]:
    """The speakers a query of plain words names (their whole name, or a person's surname),
    most quoted first, with how many statements each has: a search reads statement text, so
    "Putin" finds what was said about Putin, and this is what Putin said. Index lookups only."""
    from .writer import speaker_key

    key = speaker_key(text) if text and _PLAIN_WORDS.match(text.strip()) else ""
    if not key:
        return []
    rows = conn.execute(
        "SELECT s.id, s.name, count(*) AS n FROM speakers s JOIN attributions a ON a.speaker_id = s.id "
        "WHERE s.id IN (SELECT id FROM speakers WHERE key = ? UNION SELECT id FROM speakers WHERE surname = ? LIMIT 50) "
        "GROUP BY s.id ORDER BY n DESC, s.name LIMIT ?", (key, key, top))
    return [{"speaker_id": r[0], "name": r[1], "statements": r[2]} for r in rows]


def speakers(conn: sqlite3.Connection, top: int = 20, offset: int = 0, name: str | None = None) -> list[dict[str, Any]]:
    """Who is quoted most, with how many outlets and articles quote them; `name`: only those
    whose name or an alias contains it (case-insensitive). Articles of no known outlet count as
    one outlet, the "unknown outlet" the speaker page lists (they were published somewhere: a
    speaker quoted only there is quoted by one outlet, not by none)."""
    where, params = "", []
    if name:
        # the speakers first (a small table), then their statements by the speaker index
        where = (" WHERE a.speaker_id IN (SELECT speaker_id FROM speaker_aliases WHERE alias LIKE ? ESCAPE '\\'"
                 " UNION SELECT id FROM speakers WHERE name LIKE ? ESCAPE '\\')")
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params = [pattern, pattern]
    rows = conn.execute(
        f"""
        SELECT s.id, s.name, s.kind, count(*) AS statements, count(DISTINCT a.article_id) AS articles,
               count(DISTINCT coalesce(lower(nullif(ar.outlet, '')), '')) AS outlets, min(ar.published) AS first, max(ar.published) AS last
        FROM attributions a JOIN speakers s ON s.id = a.speaker_id JOIN articles ar ON ar.id = a.article_id{where}
        GROUP BY s.id ORDER BY statements DESC, s.name LIMIT ? OFFSET ?
        """,
        (*params, top, offset),
    ).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["aliases"] = [x[0] for x in conn.execute("SELECT alias FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias", (r["id"],))]
        d["roles"] = [x[0] for x in conn.execute("SELECT role FROM speaker_roles WHERE speaker_id = ? ORDER BY role", (r["id"],))]
        out.append(d)
    return out


#: how many candidates an ambiguous id prefix lists
AMBIGUOUS_SHOWN = 10


def _url_forms(ref: str) -> list[str]:
    """The address as given, and without/with its trailing slash and fragment."""
    base = ref.split("#", 1)[0]
    return list(dict.fromkeys([ref, base, base.rstrip("/"), base.rstrip("/") + "/"]))


def find_article_id(conn: sqlite3.Connection, ref: str, db: str = "the store") -> str | None:
    """An article by id, URL, or unique id prefix; an id prefix that several articles share is
    QuotewireError Q067 naming them."""
    ref = ref.strip()
    row = conn.execute("SELECT id FROM articles WHERE id = ?", (ref,)).fetchone()
    if row:
        return row[0]
    if "://" in ref:
        forms = _url_forms(ref)
        row = conn.execute(f"SELECT id FROM articles WHERE url IN ({','.join('?' * len(forms))}) ORDER BY ingested_at DESC LIMIT 1",
                           forms).fetchone()
        return row[0] if row else None
    if not ref or any(c in ref for c in "%_"):
        return None
    rows = conn.execute("SELECT id, title FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                        (ref, ref + "\uffff", AMBIGUOUS_SHOWN + 1)).fetchall()
    if len(rows) > 1:
        shown = "; ".join(f"{r[0]} ({(r[1] or '')[:60]})" for r in rows[:AMBIGUOUS_SHOWN])
        raise QuotewireError("Q067", ref=ref, db=db, candidates=shown + ("; ..." if len(rows) > AMBIGUOUS_SHOWN else ""))
    return rows[0][0] if rows else None


def article_speaker_ids(conn: sqlite3.Connection, article_id: str) -> dict[int, int]:
    """The stored speaker id of each of an article's statements, by seq (the model has names only)."""
    return {r[0]: r[1] for r in conn.execute(
        "SELECT seq, speaker_id FROM attributions WHERE article_id = ? AND speaker_id IS NOT NULL", (article_id,))}


def article_events(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """The events an article is grouped into that other articles report too, with their size."""
    return [dict(r) for r in conn.execute(
        """
        SELECT e.id, e.title, e.first_published,
               (SELECT count(*) FROM event_articles x WHERE x.event_id = e.id) AS articles
        FROM event_articles ea JOIN events e ON e.id = ea.event_id
        WHERE ea.article_id = ? AND (SELECT count(*) FROM event_articles x WHERE x.event_id = e.id) > 1
        """, (article_id,))]


def load_article(conn: sqlite3.Connection, ref: str, db: str = "the store") -> Article:
    """The stored Article with its attributions, as the model (offsets into its text); ``ref``
    is an id, a unique id prefix or the article's URL."""
    article_id = find_article_id(conn, ref, db)
    if article_id is None:
        raise QuotewireError("Q062", ref=ref, db=db)
    r = conn.execute(f"SELECT {', '.join(columns('articles'))} FROM articles WHERE id = ?", (article_id,)).fetchone()
    atts = conn.execute(
        f"SELECT {_ATTRIBUTION_COLUMNS} FROM attributions a LEFT JOIN speakers s ON s.id = a.speaker_id "
        "WHERE a.article_id = ?", (article_id,),
    ).fetchall()
    return from_rows(dict(r), [dict(x) for x in atts])


def event_members(conn: sqlite3.Connection, event_ids: list[int]) -> list[tuple[int, str, str]]:
    """(event id, article id, content hash) of each article of the events, in the order each
    event took them in (``EventStore.members``' order)."""
    if not event_ids:
        return []
    marks = ",".join("?" * len(event_ids))
    return [tuple(r) for r in conn.execute(
        f"SELECT ea.event_id, ea.article_id, ar.content_hash FROM event_articles ea JOIN articles ar ON ar.id = ea.article_id "
        f"WHERE ea.event_id IN ({marks}) ORDER BY ea.event_id, ea.rowid", list(event_ids))]


def event_of(conn: sqlite3.Connection, ref: str, db: str = "the store") -> int:
    """The event an article (id, unique prefix or URL) is in; Q062 when there is no such article."""
    article_id = find_article_id(conn, ref, db)
    if article_id is None:
        raise QuotewireError("Q062", ref=ref, db=db)
    row = conn.execute("SELECT event_id FROM event_articles WHERE article_id = ?", (article_id,)).fetchone()
    if row is None:
        raise QuotewireError("Q064", event=f"holding article {ref}", db=db)
    return int(row[0])


#: the codec's attribution columns as the store keeps them (the speaker's name and, in stores
#: written before schema 3, its kind come from the merged speaker)
_ATTRIBUTION_COLUMNS = ", ".join(
    "a.speaker_name AS speaker" if c == "speaker" else "coalesce(a.speaker_kind, s.kind) AS speaker_kind" if c == "speaker_kind"
    else f"a.{c}" for c in columns("attributions")
)
