"""How a rendering differs from the reference rendering of the same utterance, decided from an
explicit alignment of their words.

Both texts are cut into normalised tokens (case, punctuation, spelling variants, number words,
contractions and possessives do not count; a leading complementiser is set aside) and aligned
in order; the relation is judged on the rendering's segments that render this statement. From
that alignment:

- same: every token of one is aligned to a token of the other;
- shortened: the rendering keeps the reference's words in order and drops some (ellipses
  allowed), at most a stray function word added or put for another (not a modal); a reporter's
  words around a quoted fragment that describe or paraphrase it make no cut of the speaker's;
- altered: a fact differs where the two otherwise agree: a number or a date replaced in the
  same context, a negation flipped in an aligned stretch, one name in place of another (not a
  title, not its initials), a condition turned around (if / unless, if ... not), two actors
  swapped around one verb; the note says which;
- reworded: anything else (another translation, a paraphrase, indirect speech).

Precedence: altered > shortened > reworded > same, as in the shared COVERAGE.md.

The diff is told in the rendering's own words: "=", "+" and "~" segments are slices of the
rendering's text (its casing and punctuation), "+" marking words the reference does not have,
"~" the reporter's lead-in set aside for the comparison (`told the assembly that "...`); "-"
segments are the reference's own words that the rendering lacks.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from ..model import CONTENT_SEPARATOR
from ..wire import MONTHS, SEASONS, WEEKDAYS
from .text import NEGATIONS, STOP, Token, tokens

LEADERS = frozenset({"that", "well", "and", "but", "so", "to"})
#: a modal put for another changes what is said ("would never" for "will never"): no cut
MODALS = frozenset({"will", "would", "shall", "should", "can", "could", "may", "might", "must"})
#: a cut may add this many function words (a repeated "I", a dropped and restored "that")
CUT_SLACK = 1
#: an edit of at most this many tokens a side can flip a negation or swap a name
SHORT_EDIT = 3
#: words aligned around an edit (either side, or both) for it to be a changed fact in a
#: shared sentence rather than a rewording
ANCHOR = 3
#: words that stand before a name as its title: "Mr Trump" for "President Trump" is one person
TITLES = frozenset("""mr mrs ms miss dr prof sir dame lord lady president minister prime premier chancellor senator
    sen rep representative congressman congresswoman governor gov mayor secretary general gen king queen prince
    princess pope chief ceo chairman chairwoman chair director judge justice coach manager captain""".split())
CONDITIONS = frozenset({"if", "unless", "until"})
#: the last word of a reporter's lead-in that makes the quotation after it the reporter's
#: description ("called him a", "described it as the") or indirect speech ("urged them to")
FRAMING = frozenset({"a", "an", "the", "as", "to"})
#: words that end a condition's clause where no comma does ("if I was in your place then I would")
CLAUSE_WORDS = frozenset({"then"})
#: a number and the words beside it in another order are the same date ("Jan. 1", "1 January")
REORDER = 3
#: a time put in place of another of its kind (a month for a month, a day for a day), in the
#: same words around it, is a fact changed like a number; "yesterday" for "on Monday" is not
DATE_KINDS = tuple(frozenset(x) for x in (MONTHS, WEEKDAYS, SEASONS))
_CLAUSE_END = ".,;:!?—–)"


@dataclass(frozen=True)
class Difference:
    relation: str  # same | shortened | reworded | altered
    note: str | None
    diff: list[tuple[str, str]]  # (op, text): op is "=", "-", "+", "~"


def _strip_leaders(toks: list[Token], kind: str = "direct") -> list[Token]:
    """Without a leading complementiser or connective; a reporter's lead-in that ends in
    "that" just before a quotation (`told the assembly that "...`) goes with it. Outside a
    direct quotation only the complementiser, or a connective the speaker is quoted saying, is
    set aside: the reporter's "to" (`urged them to "act"`) makes indirect speech."""
    q = next((k for k, t in enumerate(toks) if t.quoted), 0)
    if q > 0 and toks[q - 1].norm == "that":
        return toks[q:]
    i = 0
    while i < len(toks) and toks[i].norm in LEADERS and (kind == "direct" or toks[i].quoted or toks[i].norm == "that"):
        i += 1
    return toks[i:] if i < len(toks) else toks


def opcodes(ref: list[Token], oth: list[Token]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes over the normalised words, where a replacement that only joins or
    splits words ("Rocketman" for "Rocket Man") counts as equal."""
    a, b = [t.norm for t in ref], [t.norm for t in oth]
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "replace" and "".join(a[i1:i2]) == "".join(b[j1:j2]):
            op = "equal"
        elif (op == "replace" and i2 - i1 == j2 - j1 <= REORDER and sorted(a[i1:i2]) == sorted(b[j1:j2])
              and any(w[0].isdigit() for w in a[i1:i2])):
            op = "equal"  # a date written the other way round: "Jan. 1" for "1 January"
        if (op in ("insert", "delete") and len(out) >= 2 and out[-1][0] == "equal" and out[-2][0] in ("insert", "delete")
                and out[-2][0] != op and out[-1][2] - out[-1][1] < REORDER):
            # a number moved past a word or two ("on Jan. 1" for "on 1 January"): the same date
            moved = a[i1:i2] if op == "delete" else b[j1:j2]
            _, p1, p2, q1, q2 = out[-2]
            back = b[q1:q2] if op == "delete" else a[p1:p2]
            if any(w[0].isdigit() for w in moved) and any(w[0].isdigit() for w in back):
                # the same number moved, or another number in the same place: one edit
                out.pop(), out.pop()
                op, i1, j1 = ("equal" if sorted(moved) == sorted(back) else "replace"), p1, q1
        if out and out[-1][0] == op == "equal":
            _, p1, _, q1, _ = out.pop()
            i1, j1 = p1, q1
        out.append((op, i1, i2, j1, j2))
    return _islands(out, a)


def _islands(ops, a: list[str]):
    """A lone function word or two matched between two edits ("the" in "... of the old quay"
    against "... after the storm") is a coincidence, not a shared stretch: part of one edit."""
    out: list = []
    for k, op in enumerate(ops):
        if (op[0] == "equal" and 0 < k < len(ops) - 1 and ops[k - 1][0] != "equal" and ops[k + 1][0] != "equal"
                and op[2] - op[1] <= 2 and all(w in STOP for w in a[op[1]:op[2]])):
            op = ("replace",) + op[1:]
        if out and out[-1][0] != "equal" and op[0] != "equal":
            _, p1, _, q1, _ = out.pop()
            op = ("replace", p1, op[2], q1, op[4])
        out.append(op)
    # a merged edit that takes nothing from one side is an insertion or a deletion
    return [("insert" if i1 == i2 else "delete" if j1 == j2 else o, i1, i2, j1, j2) if o != "equal" else (o, i1, i2, j1, j2)
            for o, i1, i2, j1, j2 in out]


def segments(text: str, oth: list[Token], ref_text: str, ref: list[Token], ops,
             framed: tuple[int, int] = (0, 0)) -> list[tuple[str, str]]:
    """The rendering's own text cut at the marks: ("=", kept), ("+", its words the reference
    lacks), ("-", the reference's words it lacks, in the reference's spelling), ("~", the
    reporter's lead-in set aside for the comparison: the tokens of the ``framed`` range, unquoted)."""
    added = [False] * len(oth)
    dropped_before: dict[int, list[tuple[int, int]]] = {}
    for op, i1, i2, j1, j2 in ops:
        if op in ("replace", "insert"):
            for j in range(j1, j2):
                added[j] = True
        if op in ("replace", "delete") and i2 > i1:
            dropped_before.setdefault(j1, []).append((ref[i1].start, ref[i2 - 1].end))
    # a span (one written word) is added when any of its tokens is
    span_added: dict[tuple[int, int], bool] = {}
    for t, a in zip(oth, added):
        span_added[(t.start, t.end)] = span_added.get((t.start, t.end), False) or a
    out: list[tuple[str, str]] = []

    def emit(op: str, seg: str) -> None:
        if not seg:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + seg)
        else:
            out.append((op, seg))

    pos = 0
    seen: set[tuple[int, int]] = set()
    for j, t in enumerate(oth):
        for s, e in dropped_before.get(j, ()):
            emit("=", text[pos:t.start])
            pos = t.start
            emit("-", ref_text[s:e] + " ")  # the reference's words stand before this word
        if (t.start, t.end) in seen:
            continue
        seen.add((t.start, t.end))
        op = "+" if span_added[(t.start, t.end)] else "~" if framed[0] <= j < framed[1] and not t.quoted else "="
        # the space between two added (or set aside) words belongs to them
        emit(op if op in "+~" and out and out[-1][0] == op else "=", text[pos:t.start])
        emit(op, text[t.start:t.end])
        pos = t.end
    if len(oth) in dropped_before:
        # what is dropped at the end goes after the last word, before closing punctuation
        for s, e in dropped_before[len(oth)]:
            emit("-", " " + ref_text[s:e])
    emit("=", text[pos:])
    return out


def _capitalised(text: str, t: Token) -> bool:
    """A name, roughly: capitalised, not after a sentence end or an opening quote, not "I"."""
    w = text[t.start:t.end]
    if not w[:1].isupper() or w in ("I",):
        return False
    before = text[:t.start].rstrip()
    return bool(before) and before[-1] not in ".!?:\"“‘'(…[" and not _title_case(text)


def _title_case(text: str) -> bool:
    ws = [w for w in text.split() if w[:1].isalpha()]
    return len(ws) >= 3 and sum(w[0].isupper() for w in ws) >= 0.7 * len(ws)


def _conditions(text: str, toks: list[Token]) -> list[tuple[int, bool, str, list[Token]]]:
    """(index, positive, clause, clause tokens) of each condition: 'unless X' and 'if ... not X'
    are negative. A clause ends at punctuation or at "then"."""
    out = []
    for i, t in enumerate(toks):
        if t.norm not in CONDITIONS:
            continue
        j = i + 1
        while (j < len(toks) and toks[j].norm not in CLAUSE_WORDS
               and not any(c in text[toks[j - 1].end:toks[j].start] for c in _CLAUSE_END)):
            j += 1
        clause = toks[i + 1:j]
        negative = (t.norm != "if") != any(c.norm in NEGATIONS for c in clause)
        out.append((i, not negative, text[t.start:toks[j - 1].end], clause))
    return out


def _aligned(ops, n: int, side: int) -> list[bool]:
    """Which of the n tokens of one side (0: reference, 1: rendering) stand in an equal stretch."""
    out = [False] * n
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            lo, hi = (i1, i2) if side == 0 else (j1, j2)
            for k in range(lo, hi):
                out[k] = True
    return out


def _condition_changed(ref_text: str, ref: list[Token], text: str, oth: list[Token], ops) -> str | None:
    """A condition of the rendering in place of one of the reference's, turned the other way
    ("unless X" or "if not X" for "if Y"). A condition both carry word for word is one condition
    (a negation flipped inside it is a negation, not a condition); one that only one of them has
    is a cut or an addition, no change."""
    def own(text_, toks, aligned):
        out = []
        for i, positive, clause, words in _conditions(text_, toks):
            content = [k for k in range(i + 1, i + 1 + len(words)) if toks[k].norm not in STOP]
            shared = sum(aligned[k] for k in content)
            if not (aligned[i] and content and shared * 2 > len(content)):
                out.append((positive, clause))
        return out

    cr = own(ref_text, ref, _aligned(ops, len(ref), 0))
    co = own(text, oth, _aligned(ops, len(oth), 1))
    for positive, clause in co:
        for rpositive, rclause in cr:
            if positive != rpositive:
                return f"condition: {rclause!r} -> {clause!r}"
    return None


def _anchored(ops, k: int) -> bool:
    """An edit with aligned words on both sides of it: the two texts agree around it."""
    before = ops[k - 1] if k > 0 else None
    after = ops[k + 1] if k + 1 < len(ops) else None
    if (before and before[0] != "equal") or (after and after[0] != "equal"):
        return False
    context = sum(o[2] - o[1] for o in (before, after) if o)
    return context >= ANCHOR


def _alteration(ref_text: str, ref: list[Token], text: str, oth: list[Token], ops) -> str | None:
    def said(src: str, toks: list[Token]) -> str:
        return repr(src[toks[0].start:toks[-1].end]) if toks else "nothing"

    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal" or not _anchored(ops, k):
            continue
        r, o = ref[i1:i2], oth[j1:j2]
        rn = [t.norm for t in r if t.norm[0].isdigit()]
        on = [t.norm for t in o if t.norm[0].isdigit()]
        if rn and on and set(rn) != set(on) and len(r) <= SHORT_EDIT and len(o) <= SHORT_EDIT:
            return f"number: {said(ref_text, r)} -> {said(text, o)}"
        if len(r) <= SHORT_EDIT and len(o) <= SHORT_EDIT:
            neg_r, neg_o = any(t.norm in NEGATIONS for t in r), any(t.norm in NEGATIONS for t in o)
            # a negation flipped in a shared sentence: the texts agree on both sides of the
            # edit, and apart from the negation it puts at most a word for another ("never"
            # for "always"); words dropped at the end, or another phrase, are no flip
            rest_r = [t.norm for t in r if t.norm not in NEGATIONS]
            rest_o = [t.norm for t in o if t.norm not in NEGATIONS]
            inside = 0 < k < len(ops) - 1
            if neg_r != neg_o and inside and len(rest_r) <= 1 and len(rest_o) <= 1:
                flip = "negation " + ("dropped" if neg_r else "added") + f": {said(ref_text, r)} -> {said(text, o)}"
                # inside a condition's clause it turns the condition around
                clause = next((c for i, _, c, ws in _conditions(text, oth) if i < j1 <= i + len(ws)), None) or \
                    next((c for i, _, c, ws in _conditions(ref_text, ref) if i < i1 <= i + len(ws)), None)
                return f"condition: {clause!r}, {flip}" if clause else flip
            for kind in DATE_KINDS:
                dr, do = {t.norm for t in r} & kind, {t.norm for t in o} & kind
                if dr and do and dr != do:
                    return f"date: {said(ref_text, r)} -> {said(text, o)}"
            if r and o and all(_capitalised(ref_text, t) for t in r) and all(_capitalised(text, t) for t in o):
                rw, ow = {t.norm for t in r}, {t.norm for t in o}
                # the other name must be new to the other text, not a second mention
                if (not rw & {t.norm for t in oth} and not ow & {t.norm for t in ref} and not _acronym(r, o)
                        and not (rw <= TITLES or ow <= TITLES)):
                    return f"name: {said(ref_text, r)} -> {said(text, o)}"
    condition = _condition_changed(ref_text, ref, text, oth, ops)
    if condition:
        return condition
    return _actors_swapped(ref_text, ref, text, oth)


def _acronym(r: list[Token], o: list[Token]) -> bool:
    """One side spells the other's initials ("US" for "United States"): one name, two forms."""
    def initials(ts: list[Token]) -> str:
        return "".join(t.norm[0] for t in ts)
    return (len(o) == 1 and o[0].norm in (initials(r), initials(r).rstrip("s"))) or \
           (len(r) == 1 and r[0].norm in (initials(o), initials(o).rstrip("s")))


def _actors_swapped(ref_text: str, ref: list[Token], text: str, oth: list[Token]) -> str | None:
    """Two names both texts carry, on either side of one word both carry, in the other order:
    who did what to whom is turned around ("Ankara accused Athens" for "Athens accused Ankara")."""
    def names(text_: str, toks: list[Token]) -> dict[str, int]:
        out: dict[str, int] = {}
        for k, t in enumerate(toks):
            if _capitalised(text_, t) or (k == 0 and text_[t.start:t.end][:1].isupper() and t.norm not in STOP):
                out.setdefault(t.norm, k)
        return out

    nr, no = names(ref_text, ref), names(text, oth)
    shared = [n for n in nr if n in no]
    for a in shared:
        for b in shared:
            if not (nr[a] < nr[b] and no[b] < no[a]):
                continue
            between_r = {t.norm for t in ref[nr[a] + 1:nr[b]] if t.norm not in STOP}
            between_o = {t.norm for t in oth[no[b] + 1:no[a]] if t.norm not in STOP}
            if between_r & between_o and nr[b] - nr[a] <= SHORT_EDIT + 1 and no[a] - no[b] <= SHORT_EDIT + 1:
                return f"actor: {ref_text[ref[nr[a]].start:ref[nr[b]].end]!r} -> {text[oth[no[b]].start:oth[no[a]].end]!r}"
    return None


def _is_cut(ref: list[Token], oth: list[Token], ops) -> bool:
    """The rendering keeps some of the reference's words, in order, and adds at most CUT_SLACK
    function words, or puts one for another ("my sport" for "the sport"); a content word put
    in place of another is no cut."""
    kept = sum(j2 - j1 for op, _, _, j1, j2 in ops if op == "equal")
    extra = []
    for op, i1, i2, j1, j2 in ops:
        if op == "insert":
            extra.extend(oth[j1:j2])
        elif op == "replace":
            r, o = [t.norm for t in ref[i1:i2]], [t.norm for t in oth[j1:j2]]
            it = iter(r)
            if all(w in it for w in o):  # words kept between two cuts ("the" of "… the new …")
                kept += len(o)
            elif len(o) <= len(r) and all(w in STOP and w not in MODALS for w in o + r):
                extra.extend(oth[j1:j2])
            else:
                return False
    # words dropped, beyond any put for others ("and" for "or" alone is a rewording)
    dropped = any(op == "delete" or (op == "replace" and i2 - i1 > j2 - j1) for op, i1, i2, j1, j2 in ops)
    return dropped and kept > 0 and len(extra) <= CUT_SLACK and all(t.norm in STOP for t in extra)


def compare(reference: str, rendering: str, kind: str = "direct") -> Difference:
    """How ``rendering`` (of that ``kind``: direct, mixed, indirect) renders ``reference``.

    Outside a direct quotation the reporter's words decide: a lead-in that only frames the
    quoted words ("criticised", "expressed concern about") is set aside and the quotation judged
    as the speaker's (the same, or a cut); a lead-in that ends in an article, "as" or "to" makes
    the quoted words the reporter's description or indirect speech ("called him a", "urged
    them to"), and one that repeats the statement's own words paraphrases part of it: both a
    rewording, as are the reporter's words after the quotation and indirect speech."""
    ref_all, oth_all = tokens(reference), tokens(rendering)
    lo, hi = rendering_part(rendering, oth_all, ref_all)
    ref, oth = _strip_leaders(ref_all), _strip_leaders(oth_all[lo:hi], kind)
    first = hi - len(oth)  # the first token compared
    framing = False
    if kind != "direct":
        q = next((k for k, t in enumerate(oth) if t.quoted), 0)
        said = {t.norm for t in ref}
        if q and (oth[q - 1].norm in FRAMING or any(t.norm not in STOP and t.norm in said for t in oth[:q])):
            framing = True
        elif q:
            oth, first = oth[q:], first + q
    ops = opcodes(ref, oth)
    di = len(ref_all) - len(ref)
    # the diff covers the whole rendering: its segments that render another statement are added
    full = ([("insert", di, di, 0, lo)] if lo else []) + _shift(ops, di, first) + \
        ([("insert", len(ref_all), len(ref_all), hi, len(oth_all))] if hi < len(oth_all) else [])
    diff = segments(rendering, oth_all, reference, ref_all, full, (lo, first))
    altered = _alteration(reference, ref, rendering, oth, ops)
    if altered:
        return Difference("altered", altered, diff)
    if not framing and all(op == "equal" for op, *_ in ops):
        return Difference("same", None, diff)
    own = framing or (kind != "direct" and any(not t.quoted and t.norm not in STOP for t in oth))
    if not own and _is_cut(ref, oth, ops):
        dropped = len(ref) - sum(i2 - i1 for op, i1, i2, *_ in ops if op == "equal")
        return Difference("shortened", f"{dropped} of {len(ref)} words dropped", diff)
    return Difference("reworded", None, diff)


def rendering_part(text: str, toks: list[Token], ref: list[Token]) -> tuple[int, int]:
    """The tokens (lo, hi) of the rendering's segments (spans joined by " … ") from the first to
    the last that shares a content word with the reference: an extracted quotation may run this
    statement together with another the reporter quoted next, which says nothing of how this
    one was rendered (the reference's side is cut into sentences before, by align.units). A segment
    that shares a word stays, however loosely it renders the statement."""
    cuts = [m.start() for m in re.finditer(re.escape(CONTENT_SEPARATOR), text)]
    if not cuts or not toks:
        return 0, len(toks)
    seg = [sum(t.start > c for c in cuts) for t in toks]
    mine = {t.norm for t in ref if t.norm not in STOP}
    kept = sorted({seg[k] for k, t in enumerate(toks) if t.norm in mine})
    if not kept:
        return 0, len(toks)
    lo = next(k for k, s in enumerate(seg) if s >= kept[0])
    hi = next((k for k, s in enumerate(seg) if s > kept[-1]), len(toks))
    return lo, hi


def _shift(ops, di: int, dj: int):
    """Opcodes over the texts without their leaders, moved onto the full token lists (the
    leaders count as kept: they are no difference)."""
    out = [(op, i1 + di, i2 + di, j1 + dj, j2 + dj) for op, i1, i2, j1, j2 in ops]
    return out
