"""HTML pages: trafilatura finds the body and the metadata; we keep its structure as blocks.

Headings in the body become subheads (sections), list items and block quotes paragraphs;
tables and captions are left out. A page with no body text is an error that says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dataclasses import replace

from ..clean import _SEPARATORS, Block, build_article, drop_sidebars, english_share, owner_index, site_name
from ..errors import QuotewireError
from ..settings import MIN_ENGLISH_SHARE
from ..model import Article, article_id, url_host

FAST = True
MIN_PROSE_WORDS = 8  # a page with no paragraph this long has no article in it
MIN_LANGUAGE_CHARS = 200  # body text enough to judge the language of a page with no such paragraph
INCLUDE_TABLES = False  # tables are not speech; both benchmarks score higher without them
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([\w\-]+)""", re.IGNORECASE)
_META_RE = re.compile(r"""<meta\s[^>]*>""", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TITLE_RE = re.compile(r"<title[^>]*>([^<]{1,400})</title>", re.IGNORECASE)
_LINK_RE = re.compile(r"""<link\s[^>]*>""", re.IGNORECASE)
#: what a page calls its site, strongest first (the extractor's own guess comes after these)
SITE_NAME_KEYS = ("og:site_name", "application-name", "publisher")


def decode_html(data: bytes, where: str) -> str:
    """Bytes to text by the page's declared charset, then UTF-8, then a best guess."""
    head = data[:65536]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise QuotewireError("Q023", path=where)
    declared = _CHARSET_RE.search(data[:4096])
    for enc in ([declared.group(1).decode("ascii", "ignore")] if declared else []) + ["utf-8"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise QuotewireError("Q022", path=where, offset=0)
    return str(best)


@dataclass
class Page:
    blocks: list[Block]
    title: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()
    sitename: str | None = None
    hostname: str | None = None
    description: str | None = None
    language: str | None = None
    body: list[str] = field(default_factory=list)  # the body paragraphs alone (for body-extraction scores)
    url: str | None = None  # the page's own address (canonical link, og:url)
    site_names: list[str] = field(default_factory=list)  # what the page calls its site, strongest first


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _head_fields(html: str) -> tuple[dict[str, str], str | None, str | None]:
    """(meta name/property -> content, the canonical link, the <title>) of the page's head."""
    from html import unescape

    end = html.lower().find("</head>")
    head = html[: end if end >= 0 else 200_000]
    metas: dict[str, str] = {}
    for m in _META_RE.finditer(head):
        attrs = {k.lower(): unescape(a if a is not None else b) for k, a, b in _ATTR_RE.findall(m.group())}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and attrs.get("content") and key not in metas:
            metas[key] = attrs["content"].strip()
    canonical = None
    for m in _LINK_RE.finditer(head):
        attrs = {k.lower(): unescape(a if a is not None else b) for k, a, b in _ATTR_RE.findall(m.group())}
        if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
            canonical = attrs["href"].strip()
            break
    t = _TITLE_RE.search(head)
    return metas, canonical, unescape(" ".join(t.group(1).split())) if t else None


def _absolute(url: str | None) -> str | None:
    return url if url and re.match(r"https?://[^/\s]+\.[^/\s]+", url) else None


def extract_page(html: str, url: str | None = None) -> Page:
    """The page's title, metadata and body blocks (empty blocks when trafilatura finds no body)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=INCLUDE_TABLES,
        include_images=False, favor_recall=False, fast=FAST,
    )
    if doc is None:
        return Page([])
    title = " ".join((doc.title or "").split()) or None
    blocks: list[Block] = []
    body: list[str] = []
    if title:
        blocks.append(Block(title, "title"))
    # trafilatura's own text is the body (its tree can hold loose text in odd places); the
    # tree only says which lines are headings
    heads = {_text(h) for h in doc.body.iter("head")} if doc.body is not None else set()
    for line in drop_sidebars((doc.text or "").split("\n")):
        text = " ".join(line.split())
        if not text or (text == title and not body):
            continue  # the headline repeated at the top of the body
        blocks.append(Block(text, "subhead" if text in heads else "paragraph"))
        body.append(text)
    authors = tuple(a.strip() for a in re.split(r";|\band\b", doc.author or "") if a.strip())
    metas, canonical, raw_title = _head_fields(html)
    page_url = _absolute(canonical) or _absolute(metas.get("og:url")) or _absolute(doc.url)
    # the title's parts ("Headline | Site | by Author") name the site when the head does not
    site_names = [metas.get(k, "") for k in SITE_NAME_KEYS] + [doc.sitename or ""]
    site_names += [p for p in _SEPARATORS.split(raw_title or "")[1:]]
    site_names.append(metas.get("twitter:site", ""))  # a handle ("@herald"), the last resort before the host
    return Page(
        blocks=blocks, title=title, published=doc.date, authors=authors, sitename=doc.sitename,
        hostname=doc.hostname, description=" ".join((doc.description or "").split()) or None,
        language=doc.language, body=body, url=page_url, site_names=[x for x in site_names if x],
    )


def outlet_named(page: Page, url: str | None) -> str | None:
    """The page's site name (``clean.site_name``), except a name no page wrote: the extractor
    capitalises a lower-case site name ("nj" -> "Nj", "cleveland" -> "Cleveland", "@politifact"
    -> "Politifact"); when that name is only the host's own label, the page named its site by
    its address, and the host ("nj.com") is the name, one that `quotewire`'s store can join to
    what other pages of that host call themselves."""
    name = site_name(page.site_names, url)
    host = url_host(url)
    if not (name and host and name == page.sitename and page.site_names.count(name) == 1 and name == name.lower().title()):
        return name
    labels = host.split(".")
    return host if name.lower() == labels[owner_index(labels)] else name


def read_html(data: bytes | str, where: str, url: str | None = None, **meta) -> Article:
    html = decode_html(data, where) if isinstance(data, bytes) else data
    if not html.strip():
        raise QuotewireError("Q057", where=where)
    page = extract_page(html, url)
    if not any(b.kind == "paragraph" and len(b.text.split()) >= MIN_PROSE_WORDS for b in page.blocks):
        body = " ".join(page.body)
        if len(body) >= MIN_LANGUAGE_CHARS and (share := english_share(body)) < MIN_ENGLISH_SHARE:
            # prose in a script written without spaces (Japanese, Chinese) has no "words" to count
            # as paragraphs: it is a page in another language, set aside like any other
            raise QuotewireError("Q052", where=where, share=share)
        # nothing but headings and link lists: an index page, not an article
        raise QuotewireError("Q050", where=where)
    provenance = dict(meta.pop("provenance", None) or {})
    provenance.setdefault("file", where)
    given_url = url or meta.pop("url", None)
    page_url = given_url or page.url
    article = build_article(
        page.blocks,
        url=page_url,
        title=meta.pop("title", None) or page.title,
        standfirst=page.description,
        published=meta.pop("published", None) or page.published,
        outlet=meta.pop("outlet", None) or outlet_named(page, page_url),
        authors=tuple(meta.pop("authors", None) or page.authors),
        provenance=provenance,
        **meta,
    )
    if page_url and not given_url:
        # an address the page claims for itself is metadata, not identity: the id stays the
        # hash of the text (a page whose canonical link is its site's front page, or a store
        # written before addresses were read, keeps its articles apart and their ids)
        article = replace(article, id=article_id(article.text))
    return article
