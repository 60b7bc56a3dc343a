"""The one vocabulary every stage reads and writes: Span, Speaker, Attribution, Article, Failure.

All offsets are Python string offsets (code points) into ``Article.text``, end exclusive.
The JSON form (``to_dict``/``from_dict``) is the public contract printed by
``quotewire extract --json/--jsonl``; its ``quotes`` key follows data/ANNOTATION.md.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Literal, Sequence

from .errors import QuotewireError

Kind = Literal["direct", "mixed", "indirect"]
SpeakerKind = Literal["person", "organisation", "anonymous"]
KINDS: tuple[str, ...] = ("direct", "mixed", "indirect")


#: how an attribution's content text joins its spans (a quotation cut around its cue); what
#: reads a stored content_text back into its pieces (coverage) splits on this and nothing else
CONTENT_SEPARATOR = " … "

#: the provenance key (``Article.provenance``, so in an article's public JSON) under which the
#: store keeps the outlet an article was read with, its bare host ("nbcnews.com"), when it gives
#: the article the one name the host's other articles carry ("NBC News"); the store reads it to
#: give the host back when a second name appears there (store/writer.py, ``_settle_outlets``)
OUTLET_AS_READ = "outlet_as_read"


@dataclass(frozen=True, order=True)
class Span:
    """A [start, end) range of code points in Article.text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise QuotewireError("Q010", start=self.start, end=self.end)

    def text(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def to_list(self) -> list[int]:
        return [self.start, self.end]


def spans_from_lists(pairs: Iterable[Sequence[int]] | None) -> tuple[Span, ...]:
    return tuple(Span(int(s), int(e)) for s, e in (pairs or []))


def spans_to_lists(spans: Iterable[Span]) -> list[list[int]]:
    return [s.to_list() for s in spans]


def part_text(joined: str, spans: Sequence[Sequence[int]], part: Sequence[Sequence[int]], sep: str = CONTENT_SEPARATOR) -> str:
    """The words of ``part`` (spans lying within ``spans``) cut from ``joined``, the text of
    ``spans`` joined by ``sep`` (as Attribution.content_text makes it): a rendering that is some
    sentences of a quotation shows them without the article at hand."""
    starts, pos = [], 0
    for s, e in spans:
        starts.append(pos)
        pos += e - s + len(sep)
    out = []
    for a, b in part:
        k = next((i for i, (s, e) in enumerate(spans) if s <= a and b <= e), None)
        if k is None:  # not within the spans (another version of the text): all of it
            return joined
        out.append(joined[starts[k] + a - spans[k][0]: starts[k] + b - spans[k][0]])
    return sep.join(out)


@dataclass(frozen=True)
class Speaker:
    """Who is quoted, as one identity: the fullest name the article gives, plus what else it was called."""

    name: str
    kind: SpeakerKind = "person"
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "aliases": list(self.aliases), "roles": list(self.roles)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Speaker":
        return cls(d["name"], d.get("kind", "person"), tuple(d.get("aliases", ())), tuple(d.get("roles", ())))


@dataclass(frozen=True)
class Attribution:
    """One act of saying (or believing, intending) with its content, cue and source.

    ``source`` is empty when no source is named (passives); ``speaker`` is None when the
    source is anonymous or unresolved. ``rule`` names the sieve or model that produced it
    (versioned, e.g. ``direct.cue_after.v1``).
    """

    kind: Kind
    content: tuple[Span, ...]
    cue: tuple[Span, ...]
    source: tuple[Span, ...] = ()
    speaker: Speaker | None = None
    confidence: float = 1.0
    rule: str = ""

    @property
    def start(self) -> int:
        return min(s.start for s in self.content)

    @property
    def end(self) -> int:
        return max(s.end for s in self.content)

    def with_speaker(self, speaker: Speaker | None) -> "Attribution":
        return replace(self, speaker=speaker)

    def content_text(self, text: str, sep: str | None = None) -> str:
        """The content's words, its spans joined by CONTENT_SEPARATOR (a quote cut by its cue)."""
        return (CONTENT_SEPARATOR if sep is None else sep).join(s.text(text) for s in self.content)

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "content": spans_to_lists(self.content),
            "cue": spans_to_lists(self.cue),
            "source": spans_to_lists(self.source) if self.source else None,
            "speaker": self.speaker.name if self.speaker else None,
            "speaker_kind": self.speaker.kind if self.speaker else None,
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
        }
        if text is not None:
            d["content_text"] = self.content_text(text)
            d["cue_text"] = " ".join(s.text(text) for s in self.cue)
            d["source_text"] = " ".join(s.text(text) for s in self.source) if self.source else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Attribution":
        speaker = d.get("speaker")
        if isinstance(speaker, str):
            speaker = Speaker(speaker, d.get("speaker_kind") or "person")
        elif isinstance(speaker, dict):
            speaker = Speaker.from_dict(speaker)
        kind = d.get("kind", "indirect")
        if kind not in KINDS:
            raise QuotewireError("Q011", kind=kind)
        return cls(
            kind=kind,
            content=spans_from_lists(d.get("content")),
            cue=spans_from_lists(d.get("cue")),
            source=spans_from_lists(d.get("source")),
            speaker=speaker,
            confidence=float(d.get("confidence", 1.0)),
            rule=d.get("rule", ""),
        )


@dataclass(frozen=True)
class Failure:
    """One input that could not be read, parsed or extracted: where (file, and line or record),
    why (a coded one-line message), and at which stage. A failure is a value: it travels in the
    place of its article and the run goes on."""

    where: str
    line: int
    #: the coded line; given a QuotewireError, its line, and its code goes to ``code``
    message: str
    id: str | None = None
    stage: str = "read"  # read | check | extract | store | skip (set aside on purpose, not a failure)
    #: the error code (``Qnnn``) as data, so that nobody reads it back out of the message
    code: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.message, QuotewireError):
            object.__setattr__(self, "code", self.code or self.message.code)
            object.__setattr__(self, "message", str(self.message))

    @property
    def reason(self) -> str:
        """The message without its ``[Qnnn]`` prefix (which ``code`` holds)."""
        return self.message.removeprefix(f"[{self.code}] ") if self.code else self.message

    def __str__(self) -> str:
        return f"{self.where}{':' + str(self.line) if self.line else ''}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "record": self.line, "reason": self.message, "id": self.id, "stage": self.stage,
                "code": self.code}


_META_KEYS = ("url", "outlet", "title", "standfirst", "published", "place", "agency", "language")


def article_id(text: str, url: str | None = None) -> str:
    """Stable id: a hash of the URL when there is one, else of the text."""
    key = url or text
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ].*)?)?)?", re.DOTALL)


def published_parts(published: object) -> tuple[dt.date | None, str | None, str | None]:
    """(day, 'YYYY-MM', 'YYYY') of a published date, each None where it does not say or is not a
    real date. Never raises: every later stage reads dates through here, so that a bad one
    stored by an older quotewire cannot stop them."""
    if not isinstance(published, str):
        return None, None, None
    m = _ISO_DATE.fullmatch(published.strip())
    if not m:
        return None, None, None
    year, month, day = (int(g) if g else None for g in m.groups())
    if not year or (month is not None and not 1 <= month <= 12):
        return None, None, None
    if day is None:
        return None, f"{year:04d}-{month:02d}" if month else None, f"{year:04d}"
    try:
        return dt.date(year, month, day), f"{year:04d}-{month:02d}", f"{year:04d}"  # type: ignore[arg-type]
    except ValueError:
        return None, None, None


def valid_published(published: object) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD (a time may follow), naming a month and day that exist."""
    day, month, year = published_parts(published)
    if year is None:
        return False
    given = len(published.strip()[:10].split("-"))  # type: ignore[union-attr]
    return (given < 2 or month is not None) and (given < 3 or day is not None)


@dataclass(frozen=True)
class Article:
    """A news article: the text that attributions point into, and what is known about it."""

    text: str
    id: str = ""
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    standfirst: str | None = None
    published: str | None = None
    place: str | None = None
    agency: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    sections: tuple[Span, ...] = ()
    #: wire datelines at paragraph starts ("PORT ALDEN, Oct. 6 (Courier) -"), marked once by the
    #: cleaner so that no later stage takes them for content or source
    datelines: tuple[Span, ...] = ()
    provenance: dict[str, Any] = field(default_factory=dict)
    attributions: tuple[Attribution, ...] = ()

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", article_id(self.text, self.url))
        if isinstance(self.published, str) and not self.published.strip():
            object.__setattr__(self, "published", None)
        if self.published is not None and not valid_published(self.published):
            # validated once, here: an impossible date ("2017-00-00") is no date, with a warning
            # line, so that no later stage has to parse it defensively
            warning = str(QuotewireError("Q058", where=self.where, value=str(self.published)[:40]))
            provenance = {**self.provenance, "warnings": [*self.provenance.get("warnings", ()), warning]}
            object.__setattr__(self, "published", None)
            object.__setattr__(self, "provenance", provenance)

    @property
    def where(self) -> str:
        """The place a user can find this article again: its record, file, URL or id."""
        return str(self.provenance.get("record") or self.provenance.get("file") or self.url or self.id)

    @property
    def warnings(self) -> list[str]:
        """Coded lines about what was set aside in making this article (the run goes on)."""
        return list(self.provenance.get("warnings", ()))

    def with_attributions(self, attributions: Iterable[Attribution]) -> "Article":
        return replace(self, attributions=tuple(attributions))

    @property
    def speakers(self) -> list[Speaker]:
        seen: dict[str, Speaker] = {}
        for a in self.attributions:
            if a.speaker and a.speaker.name not in seen:
                seen[a.speaker.name] = a.speaker
        return list(seen.values())

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        """The scoring shape of ANNOTATION.md (id, text, quotes) plus metadata and speakers."""
        d: dict[str, Any] = {"id": self.id}
        if with_text:
            d["text"] = self.text
        for key in _META_KEYS:
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        if self.authors:
            d["authors"] = list(self.authors)
        if self.sections:
            d["sections"] = spans_to_lists(self.sections)
        if self.datelines:
            d["datelines"] = spans_to_lists(self.datelines)
        if self.provenance:
            d["provenance"] = self.provenance
        d["quotes"] = [a.to_dict(self.text) for a in self.attributions]
        d["speakers"] = [s.to_dict() for s in self.speakers]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        """Reads our own output and gold files alike (``quotes`` or ``attributions``).

        Speakers named in ``speakers`` come back whole (aliases and roles), so that
        ``Article.from_dict(a.to_dict()) == a``."""
        text = d.get("text")
        if not isinstance(text, str):
            raise QuotewireError("Q020", where=d.get("id", "?"))
        raw = d.get("quotes")
        if raw is None:
            raw = d.get("attributions") or []
        meta = {k: d[k] for k in _META_KEYS if d.get(k) is not None}
        known = {(s["name"], s.get("kind", "person")): Speaker.from_dict(s) for s in d.get("speakers") or () if isinstance(s, dict)}
        attributions = []
        for raw_a in raw:
            a = Attribution.from_dict(raw_a)
            if a.speaker is not None and (a.speaker.name, a.speaker.kind) in known:
                a = a.with_speaker(known[(a.speaker.name, a.speaker.kind)])
            attributions.append(a)
        return cls(
            text=text,
            id=str(d.get("id") or ""),
            authors=tuple(d.get("authors") or ()),
            sections=spans_from_lists(d.get("sections")),
            datelines=spans_from_lists(d.get("datelines")),
            provenance=dict(d.get("provenance") or {}),
            attributions=tuple(attributions),
            **meta,
        )


def url_host(url: str | None) -> str | None:
    """The host of an address, lower case and without ``www.`` (the store's, the readers' and
    the cleaner's one reading of it), or None."""
    from urllib.parse import urlparse

    if not url:
        return None
    try:
        host = (urlparse(url).hostname or "").lower()
    except ValueError:
        return None
    return host.removeprefix("www.") or None
