"""Cleaning and metadata: from a reader's blocks of text to the Article that attributions point into.

A reader gives blocks (title, standfirst, subhead, paragraph) in page order. ``assemble``
drops navigation and share lines, joins the rest with blank lines, records subheads as
sections and keeps a map from the article text back to the text the reader saw, so an
offset can always be traced to its source. ``find_dateline`` reads the wire dateline
(``ARKHANGELSK, March 30. /TASS/.``, ``WASHINGTON (Reuters) -``) for place, agency and date.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from .model import Span, url_host
from .settings import MIN_ENGLISH_SHARE
# datelines are read here, found in wire (one place: attribution asks it too)
from .wire import MONTH_RE, Dateline, dateline_spans, find_dateline, month_number  # noqa: F401

BOILERPLATE = re.compile(
    r"""^(?:all\ news|latest\ news|news|home|menu|search|share(?:\ this(?:\ article|\ story)?)?(?:\ on\ \w+)?
    |tweet|print|e-?mail|advertisement|advert|sponsored(?:\ content)?|read\ more|read\ the\ rest\ here\.?
    |related(?:\ articles|\ stories|\ news)?|more\ on\ this\ story|subscribe(?:\ now)?|sign\ up|log\ ?in
    |follow\ us(?:\ on\ [\w\ ,]+)?|click\ here(?:\ to\ [\w\ ]+)?|skip\ to\ (?:main\ )?content|back\ to\ top
    |most\ (?:read|popular|viewed)|comments?|show\ comments|leave\ a\ comment|copy\ link|copied
    |facebook|twitter|whatsapp|linkedin|telegram|reddit|x|share\ on\ facebook|share\ on\ twitter
    |(?:photo|image|picture|video|credit)s?:\ .{0,80}|getty\ images|reuters\ photo|ap\ photo.{0,60}
    |this\ article\ is\ more\ than\ \d+\ \w+\ old|listen\ to\ this\ article|\d+\ min(?:ute)?s?\ read
    |advertisement\ -\ scroll\ to\ continue|story\ continues\ below(?:\ advertisement)?)$""",
    re.IGNORECASE | re.VERBOSE,
)

_FULL_DATE_RE = re.compile(
    rf"(?:(?P<d1>\d{{1,2}})\s(?P<m1>{MONTH_RE})\s(?P<y1>\d{{4}})|(?P<m2>{MONTH_RE})\s(?P<d2>\d{{1,2}}),\s(?P<y2>\d{{4}})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))"
)


@dataclass
class Block:
    """A piece of a page in reading order; ``kind`` is title, standfirst, subhead or paragraph."""

    text: str
    kind: str = "paragraph"
    source_start: int = -1  # offset of the block in the reader's own text, when it has one


@dataclass
class Assembled:
    text: str
    title: str | None
    sections: list[Span] = field(default_factory=list)
    source_map: list[tuple[int, int, int]] = field(default_factory=list)  # (text offset, source offset, length)
    dropped: int = 0


def is_boilerplate(line: str) -> bool:
    s = " ".join(line.split())
    return len(s) <= 100 and bool(BOILERPLATE.match(s))


def looks_like_headline(line: str) -> bool:
    s = line.strip()
    words = s.split()
    starts_well = s[:1].isupper() or s[:1].isdigit() or s[:1] in "'‘\"“«"
    return starts_well and 3 <= len(words) <= 30 and len(s) <= 220 and not s.endswith((".", ":", ",", ";"))


def looks_like_subhead(line: str) -> bool:
    s = line.strip()
    starts_well = s[:1].isupper() or s[:1].isdigit() or s[:1] in "'‘\"“«"
    return starts_well and 1 <= len(s.split()) <= 14 and len(s) <= 120 and not s.endswith((".", ":", ",", ";", "!", "?"))


def assemble(blocks: list[Block]) -> Assembled:
    """Join the blocks that are not boilerplate; subheads become sections."""
    parts: list[str] = []
    sections: list[Span] = []
    smap: list[tuple[int, int, int]] = []
    title = None
    pos = 0
    dropped = 0
    seen: set[str] = set()
    for block in blocks:
        text = " ".join(block.text.split()) if "\n" not in block.text.strip() else block.text.strip()
        if not text or is_boilerplate(text):
            dropped += bool(text)
            continue
        if block.kind in ("title", "standfirst") and text in seen:
            continue  # a title repeated as the page's first heading
        seen.add(text)
        if parts:
            pos += 2
        if block.kind == "title" and title is None:
            title = text
        if block.kind == "subhead":
            sections.append(Span(pos, pos + len(text)))
        if block.source_start >= 0 and text == block.text:
            smap.append((pos, block.source_start, len(text)))
        parts.append(text)
        pos += len(text)
    return Assembled("\n\n".join(parts), title, sections, smap, dropped)


def text_blocks(raw: str) -> list[Block]:
    """Blocks of a plain-text article: lines, the first headline-like one the title, short
    unpunctuated lines between paragraphs subheads."""
    lines: list[tuple[str, int]] = []
    for m in re.finditer(r"[^\n]+", raw):
        if m.group().strip():
            lead = len(m.group()) - len(m.group().lstrip())
            lines.append((m.group().strip(), m.start() + lead))
    blocks: list[Block] = []
    title_done = False
    body_seen = False
    for n, (line, start) in enumerate(lines):
        if is_boilerplate(line):
            blocks.append(Block(line, "boilerplate", start))
            continue
        if not title_done:
            title_done = True
            if looks_like_headline(line):
                blocks.append(Block(line, "title", start))
                continue
        nxt = lines[n + 1][0] if n + 1 < len(lines) else ""
        if body_seen and looks_like_subhead(line) and nxt and not looks_like_headline(nxt):
            blocks.append(Block(line, "subhead", start))
            continue
        if len(line.split()) > 14 or line.endswith((".", "!", "?", "\"", "”", ":")):
            body_seen = True
        blocks.append(Block(line, "paragraph", start))
    return blocks


def mark_datelines(article: "Article") -> "Article":
    """The Article with its datelines marked (once: later stages read ``Article.datelines``)."""
    from dataclasses import replace

    spans = dateline_spans(article.text)
    return replace(article, datelines=spans) if spans != article.datelines else article


#: lowercase words that may stand before a page's own date on its line ("Published on",
#: "Updated at", "Posted by Ann Lee |"); any other lowercase word there makes it a sentence
_DATE_LABEL_WORDS = frozenset("published updated update posted last modified first date on at by".split())


def _date_line_prefix(prefix: str) -> bool:
    """Whether what stands before a date on its line is a label or byline, not a sentence: a few
    words, every lowercase one a label word."""
    words = re.findall(r"[^\W\d_][\w'.-]*", prefix)
    return len(words) <= 8 and all(w[0].isupper() or w.lower() in _DATE_LABEL_WORDS for w in words)


#: lines of a forum poster's profile: a date beside them is when the poster joined, not the post's day
_PROFILE_LINE = re.compile(r"^(?:joined|messages|reaction score|likes received|posts|points|trophy points)\b", re.IGNORECASE)


def find_date(text: str, max_chars: int = 600) -> str | None:
    """An explicit full date near the top of a plain-text article, as YYYY-MM-DD.

    Only a date line counts: the date opens its line, after at most a label or byline
    ("Published", "Updated on", "By Ann Lee, Wire |", a weekday). A date inside a sentence is one the article talks about (a photo caption's
    "at a conference, 30 June 2016"), and a date beside a forum poster's profile lines is the
    day they joined."""
    head = text[:max_chars]
    for m in _FULL_DATE_RE.finditer(head):
        line_start = head.rfind("\n", 0, m.start()) + 1
        if not _date_line_prefix(head[line_start:m.start()]):
            continue
        after = [line.strip() for line in text[m.end():].split("\n")[:3] if line.strip()]
        if after and _PROFILE_LINE.match(after[0]) or head[max(0, line_start - 40):line_start].strip().lower().endswith("joined"):
            continue
        try:
            if m.group("iso"):
                return dt.date.fromisoformat(m.group("iso")).isoformat()
            day = int(m.group("d1") or m.group("d2"))
            month = month_number(m.group("m1") or m.group("m2"))
            year = int(m.group("y1") or m.group("y2"))
            return dt.date(year, month, day).isoformat()
        except (ValueError, TypeError):
            continue
    return None


def dateline_date(d: Dateline, published: str | None) -> str | None:
    """The dateline's day in the publication's year (its own year when it gives one)."""
    if not d.month or not d.day:
        return None
    year = d.year or (int(published[:4]) if published and published[:4].isdigit() else None)
    if year is None:
        return None
    try:
        return dt.date(year, d.month, d.day).isoformat()
    except ValueError:
        return None


ENGLISH_WORDS = frozenset("the of and to a in that is was he for it with as his on be at by i this had not are but from or have an they which one you were her all she there would their we him been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three".split())


def english_share(text: str, sample: int = 4000) -> float:
    """Share of words that are common English function words: near 0.3-0.5 for English news."""
    words = re.findall(r"[^\W\d_]+", text[:sample].lower())
    if not words:
        return 0.0
    return sum(w in ENGLISH_WORDS for w in words) / len(words)


def build_article(blocks: list[Block], **meta) -> "Article":
    """The Article of a reader's blocks: cleaned text, title, sections, dateline, date, outlet."""
    from .model import Article

    done = assemble(blocks)
    text = done.text
    title = meta.pop("title", None) or done.title
    provenance = dict(meta.pop("provenance", None) or {})
    if done.source_map:
        provenance["source_map"] = [list(x) for x in done.source_map]
    if done.dropped:
        provenance["boilerplate_lines_dropped"] = done.dropped
    published = meta.pop("published", None) or find_date(text) or date_from_url(meta.get("url"))
    place = agency = None
    d = find_dateline(text)
    if d is not None:
        place, agency = d.place, d.agency
        published = published or dateline_date(d, None)
        if d.month and d.day:
            provenance["dateline_date"] = dateline_date(d, published)
    outlet = meta.pop("outlet", None) or agency
    url = meta.get("url")
    if not outlet and url:
        outlet = url_host(url)
    language = meta.pop("language", None)
    if language is None and text:
        language = "en" if english_share(text) >= MIN_ENGLISH_SHARE else None
    return Article(
        text=text, title=title, published=published, place=place, agency=agency, outlet=outlet,
        language=language, sections=tuple(done.sections), datelines=dateline_spans(text), provenance=provenance, **meta,
    )


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?:/|$|-)")


def date_from_url(url: str | None) -> str | None:
    """'.../2019/01/15/...' -> 2019-01-15; '.../2017/02/slug' -> 2017-02 (month only)."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)


def fill_metadata(article: "Article") -> "Article":
    """Title, dateline place and agency, dates and outlet read off a text that must stay as it
    is (a JSON Lines record whose offsets others rely on): metadata only, no cleaning."""
    from dataclasses import replace

    changes: dict = {}
    spans = dateline_spans(article.text)
    if spans != article.datelines:
        changes["datelines"] = spans
    d = find_dateline(article.text)
    if d is not None:
        changes.update(place=article.place or d.place, agency=article.agency or d.agency, outlet=article.outlet or d.agency)
        day = dateline_date(d, article.published)
        if day:
            changes["provenance"] = {**article.provenance, "dateline_date": day}
            if not article.published:
                changes["published"] = day
    if not article.title:
        first = next((line.strip() for line in article.text.split("\n") if line.strip()), "")
        if looks_like_headline(first):
            changes["title"] = first
    if not article.published and "published" not in changes:
        found = find_date(article.text) or date_from_url(article.url)
        if found:
            changes["published"] = found
    return replace(article, **changes) if changes else article


# -- outlet names ------------------------------------------------------------------------
#: host labels that say nothing about whose site it is
_HOST_NOISE = frozenset("www m amp edition news com org net co uk gov edu info io us au ca de fr ie nz in eu".split())




#: second-level labels under a country code that are part of the suffix (bbc.co.uk, uol.com.br)
_SECOND_LEVEL = frozenset("co com org net gov edu ac or ne go".split())


def owner_index(labels: list[str]) -> int:
    """The index of the host's owner label, the one before its public suffix (ap in
    hosted.ap.org, bbc in news.bbc.co.uk); the labels before it are the owner's subdomains."""
    i = len(labels) - 2
    if i > 0 and len(labels[-1]) == 2 and labels[i] in _SECOND_LEVEL:
        i -= 1
    return max(i, 0)


_owner_index = owner_index  # the name the code of this module calls it by


def _spelled_by(label: str, words: list[str]) -> bool:
    """Whether a host label is made of the starts of some of the name's words, in order
    ("latimes": Los Angeles Times, "wsj": Wall Street Journal, "foxnews": Fox News)."""

    # memoised on (place in the label, word): a long odd title would otherwise try every split
    @functools.lru_cache(maxsize=None)
    def spelled(at: int, w: int) -> bool:
        if at == len(label):
            return True
        if w == len(words):
            return False
        first = words[w]
        for n in range(min(len(first), len(label) - at), 0, -1):
            if label.startswith(first[:n], at) and spelled(at + n, w + 1):
                return True
        return spelled(at, w + 1)

    return spelled(0, 0)


def names_site(name: str, url: str | None) -> bool:
    """A site name, not a tagline: its host (when known) is spelled by its words. A tagline
    ("Where Hope Finally Made a Comeback") does not spell the host it stands on."""
    host = url_host(url)
    if not host:
        return True
    words = [w for w in re.split(r"[^0-9a-z]+", name.lower()) if w]
    dotted = host.split(".")
    owner_at = _owner_index(dotted)
    # the owner's label names the site; a subdomain's label only with a word tying the name to
    # the owner ("CBS Detroit" on detroit.cbslocal.com), else any word a subdomain holds would
    # pass: og:site_name "Hosted" on hosted.ap.org
    owner = [x for x in dotted[owner_at].split("-") if x and x not in _HOST_NOISE]
    if any(_spelled_by(label, words) for label in owner):
        return True
    # loosely: the name's first word and a word hosts add make the owner's label ("sputniknews":
    # Sputnik International), a name that the address shortens
    if words and len(words[0]) >= 3 and any(label.startswith(words[0]) and label[len(words[0]):] in _HOST_NOISE for label in owner):
        return True
    subs = [x for d in dotted[:owner_at] for x in d.split("-") if x and x not in _HOST_NOISE]
    if any(len(w) >= 2 and dotted[owner_at].startswith(w) for w in words):
        return any(_spelled_by(label, words) for label in subs)
    # untied, a subdomain counts when the name is a coinage spelling it from several words
    # ("ProFootballTalk" on profootballtalk.nbcsports.com), not one word that is the label
    coined = [w for w in re.split(r"[^0-9a-z]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()) if w]
    return any(label not in coined and _spelled_by(label, coined) for label in subs)


_SEPARATORS = re.compile(r"\s+[|\-\u2013\u2014:\u00b7]\s+")


def site_name(candidates: list[str | None], url: str | None) -> str | None:
    """The outlet's name: the first candidate (og:site_name, the extractor's site name, parts of
    the page title, a social handle) that names the site, else the host; None only with neither.
    A candidate's own parts count, not the whole ("Herald | Your local news": Herald); an address counts as its
    host; a bare lowercase word ("usatoday") only when no capitalised name is found."""
    found: list[str] = []
    for c in candidates:
        c = " ".join((c or "").split()).lstrip("@")
        if "://" in c:
            c = url_host(c) or ""
        if not c:
            continue
        # "Herald | Your local news": its parts, never the whole; a title's run of sections
        # ("Autoracing | F1 | Indy | MotoGP") is no name even when its words spell the host
        found += _SEPARATORS.split(c)
    named = [c for c in found if len(c) <= 80 and names_site(c, url)]
    for c in named:
        if not (c.islower() and " " not in c):
            return c
    return named[0] if named else url_host(url)


def _alias_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w.]+", " ", name.lower()).split()).removeprefix("www.")


@functools.lru_cache(maxsize=8)  # read once a process, not once an input (workers call it per file)
def load_outlet_aliases(path: str | None = None) -> dict[str, str]:
    """The shipped table of outlet aliases (outlets.json: alias or host -> name), then the
    user's own file of the same shape (Settings.outlet_aliases) over it."""
    import json
    from importlib import resources
    from pathlib import Path

    table: dict[str, str] = {}
    # the shipped table through importlib.resources: the package may run from a zip (Spark's --py-files)
    for p in (resources.files(__package__).joinpath("outlets.json"), Path(path) if path else None):
        if p is None:
            continue
        try:
            raw = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            from .errors import QuotewireError

            raise QuotewireError("Q041", name="outlet_aliases", value=str(p), reason=f"not a readable JSON object ({exc})") from None
        table.update({_alias_key(k): str(v) for k, v in raw.items() if not k.startswith("_")})
    return table


def outlet_of(article: "Article", aliases: dict[str, str]) -> "Article":
    """The Article under its one outlet name: an alias (or its host) mapped to the name in
    the table, the host when no name was found; never empty when a URL is known."""
    from dataclasses import replace

    host = url_host(article.url)
    name = " ".join((article.outlet or "").split()) or host
    if not name:
        return article if article.outlet is None else replace(article, outlet=None)
    key = _alias_key(name)
    found = aliases.get(key)
    if found is None and name == host:
        # a host not in the table is looked up by its parent domains (hosted.ap.org: ap.org)
        parts = key.split(".")
        found = next((aliases[".".join(parts[i:])] for i in range(1, len(parts) - 1) if ".".join(parts[i:]) in aliases), None)
    name = found or name
    return article if name == article.outlet else replace(article, outlet=name)


# -- sidebars kept as text ---------------------------------------------------------------
#: a heading that starts a list of other articles ("More from The Nation", "Related stories",
#: "You may also like"): what follows it is teasers, not this article
SIDEBAR_START = re.compile(
    r"""^(?:more\ (?:from|on|in|about)\b.{0,40}|more\ (?:stories|articles|news|coverage|reading)
    |related(?:\ (?:stories|articles|coverage|content|reading|news|posts|links|topics))?
    |recommended(?:\ (?:for\ you|stories|reading|articles))?
    |you\ (?:may|might)\ (?:also\ )?(?:like|enjoy|be\ interested\ in)|read\ next|up\ next|what\ to\ read\ next
    |most\ (?:read|popular|viewed|shared)(?:\ \w+){0,2}|further\ reading|editor'?s\ picks)\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)
#: a heading of a box of links that the page sets inside the article ("Popular", "Trending now")
SIDEBAR_LABEL = re.compile(r"^(?:popular(?:\ (?:now|stories|articles|on\ .{1,30}))?|trending(?:\ (?:now|stories|news))?)\s*:?$",
                           re.IGNORECASE | re.VERBOSE)
#: a link's text given twice (its title and its hidden label): a teaser's headline
_DOUBLED = re.compile(r"(.{12,200}?) \1")
#: a list heading this far into the body or later ends it (not one near the top: a page's own
#: "Related" box before the story)
SIDEBAR_MIN_SHARE = 0.34


def drop_sidebars(lines: list[str]) -> list[str]:
    """The body's lines without the lists of other articles a page keeps beside it: from a list
    heading in the later part of the body to the end, and any teaser headline or box label."""
    out: list[str] = []
    for n, line in enumerate(lines):
        s = " ".join(line.split())
        if SIDEBAR_START.match(s) and n >= max(3, SIDEBAR_MIN_SHARE * len(lines)):
            break
        if SIDEBAR_LABEL.match(s) or _DOUBLED.fullmatch(s):
            continue
        out.append(line)
    return out
