"""Server-side rendering helpers: an article's text with its attributions marked, and the
speaker timeline as inline SVG. Every piece of article text is escaped here."""
from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from markupsafe import Markup

from ..model import Article

ROLE_ORDER = ("content", "cue", "source")


# what a browser drops from a URL before reading its scheme ("java\tscript:" is "javascript:")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: str | None) -> str | None:
    """The URL if it may be a link: http(s) with a host. Anything else (javascript:, data:,
    vbscript:, relative or broken) is None, so it is never an href; stored URLs are untrusted."""
    if not url or not isinstance(url, str):
        return None
    url = _URL_IGNORED.sub("", url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def mark_article(article: Article) -> Markup:
    """The text as HTML: paragraphs, and each attribution's content, cue and source as spans.

    The text is cut at every span boundary; each piece carries the classes of what covers it
    and the number of its attribution. The first piece of each content carries a tooltip
    (speaker and kind) shown on hover and on keyboard focus.
    """
    text = article.text
    marks: list[tuple[int, int, str, int]] = []
    for n, a in enumerate(article.attributions, 1):
        for role, spans in (("content", a.content), ("cue", a.cue), ("source", a.source)):
            for s in spans:
                if 0 <= s.start < s.end <= len(text):
                    marks.append((s.start, s.end, role, n))
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)} | {i for i, ch in enumerate(text) if ch == "\n"} | {i + 1 for i, ch in enumerate(text) if ch == "\n"})
    first_piece: set[int] = set()
    # each statement's place: an empty anchor where its content begins (st-N, N its number), so
    # other pages link to it; several statements may begin at one place
    starts: dict[int, list[int]] = {}
    for n, a in enumerate(article.attributions, 1):
        spans = [s for s in a.content if 0 <= s.start < s.end <= len(text)]
        if spans:
            starts.setdefault(min(s.start for s in spans), []).append(n)
    out: list[str] = ["<p>"]
    for lo, hi in zip(cuts, cuts[1:]):
        piece = text[lo:hi]
        if piece == "\n":
            if out[-1] != "<p>":
                out.append("</p><p>")
            continue
        out.extend(f'<span class="anchor" id="st-{n}"></span>' for n in starts.pop(lo, []))
        covering = [m for m in marks if m[0] <= lo and hi <= m[1]]
        if not covering:
            out.append(escape(piece))
            continue
        classes = sorted({f"q-{m[2]}" for m in covering}, key=lambda c: ROLE_ORDER.index(c[2:]))
        n = min(m[3] for m in covering)
        a = article.attributions[n - 1]
        classes.append(f"kind-{a.kind}")
        attrs = f' class="{" ".join(classes)}" data-att="{n}"'
        tip = ""
        if any(m[2] == "content" for m in covering) and n not in first_piece:
            first_piece.add(n)
            who = a.speaker.name if a.speaker else ("anonymous source" if a.source else "no source named")
            label = f"{who} · {a.kind}"
            attrs += f' tabindex="0" aria-label="{escape(label)}: statement {n}"'
            tip = f'<span class="tip" role="tooltip">{escape(who)} <em>{escape(a.kind)}</em> <small>{escape(" ".join(s.text(text) for s in a.cue))}</small></span>'
        out.append(f"<span{attrs}>{tip}{escape(piece)}</span>")
    out.append("</p>")
    return Markup("".join(out).replace("<p></p>", ""))


_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _every_month(points: list[dict], most: int = 240, fewest: int = 12) -> list[dict]:
    """Months with no statement shown as empty bars, so the axis is time, not a list; at least
    `fewest` months, so one busy month is a bar among empty ones and not a solid block. A
    "month" that is not YYYY-MM (a date stored as "05.03.2017") is left out: it is not on the axis."""
    counts = {p["month"]: p["statements"] for p in points if isinstance(p.get("month"), str) and _MONTH.fullmatch(p["month"])}
    if not counts:
        return []
    y, m = map(int, min(counts).split("-"))
    last = max(counts)
    ly, lm = map(int, last.split("-"))
    span = (ly - y) * 12 + lm - m + 1
    # a short span sits in the middle of the axis: as many empty months before it as after
    y, m = divmod(y * 12 + m - 1 - max(0, fewest - span) // 2, 12)
    m += 1
    out = []
    while len(out) < most:
        key = f"{y:04d}-{m:02d}"
        out.append({"month": key, "statements": counts.get(key, 0)})
        if key >= last and len(out) >= fewest:
            break
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline_svg(points: list[dict], width: int = 640, height: int = 140) -> Markup:
    """Statements per month as bars, with the first and last month labelled."""
    points = _every_month(points)
    if not points:
        return Markup('<p class="muted">No dated statements.</p>')
    top = max(p["statements"] for p in points) or 1
    pad, bw = 30, max(4, (width - 2 * 30) // max(1, len(points)) - 2)
    bars = []
    for i, p in enumerate(points):
        h = int((height - 40) * p["statements"] / top)
        x = pad + i * (bw + 2)
        y = height - 20 - h
        bars.append(
            f'<rect x="{x}" y="{y}" width="{bw}" height="{h}" class="bar"><title>{escape(p["month"])}: {p["statements"]} statements</title></rect>'
        )
    labels = (
        f'<text x="{pad}" y="{height - 4}" class="axis">{escape(points[0]["month"])}</text>'
        f'<text x="{width - pad}" y="{height - 4}" class="axis" text-anchor="end">{escape(points[-1]["month"])}</text>'
        f'<text x="4" y="16" class="axis">{top}</text>'
    )
    # the months that have statements, named under their bars when they fit between the ends' labels
    taken = [pad, width - pad]
    for i, p in enumerate(points):
        centre = pad + i * (bw + 2) + bw / 2
        if p["statements"] and all(abs(centre - t) > 60 for t in taken):
            taken.append(centre)
            labels += f'<text x="{centre:.0f}" y="{height - 4}" class="axis" text-anchor="middle">{escape(p["month"])}</text>'

    return Markup(
        f'<svg class="timeline" role="img" aria-label="statements per month" viewBox="0 0 {width} {height}" width="100%">'
        f'<line x1="{pad}" y1="{height - 20}" x2="{width - pad}" y2="{height - 20}" class="base"/>{"".join(bars)}{labels}</svg>'
    )


#: the reference's words left out are shown in place up to this many; more are counted
LONG_CUT = 6


def mark_rendering(rendering: dict, article_text: str | None = None) -> Markup:
    """One rendering in its outlet's own words (by its offsets into the article), the words the
    reference lacks in <ins>, the reference's words it lacks in <del>."""
    from ..coverage.marks import own_words

    diff = rendering.get("diff") if rendering.get("relation") != "reference" else None
    out = []
    for s in own_words(rendering["content_text"], diff, article_text, rendering.get("content"), frame=True):
        text = escape(s["text"])
        if s["op"] == "+":
            out.append(f'<ins title="not in the reference">{text}</ins>')
        elif s["op"] == "-" and len(s["text"].split()) > LONG_CUT:
            # a long stretch the outlet left out would bury its own words: counted, shown on hover
            out.append(f'<del class="cut" title="in the reference, not here: {escape(s["text"].strip())}">'
                       f' [{len(s["text"].split())} words] </del>')
        elif s["op"] == "-":
            out.append(f'<del title="in the reference, not here">{text}</del>')
        elif s["op"] == "~":
            out.append(f'<span class="frame" title="the reporter\'s lead-in, not compared">{text}</span>')
        elif s["op"] == "gap":
            out.append(f'<span class="gap muted" title="a break in the article">{text}</span>')
        else:
            out.append(text)
    return Markup(f'<span class="own-words">{"".join(out)}</span>')
