"""``tagger.v1``: a learned attribution tagger (issue #14), beside the rules.

One paragraph at a time, a BIO tagger marks CONTENT, CUE and SOURCE tokens: hash embeddings of
features that cost nothing at run time (the token's norm, prefix, suffix and shape, its POS tag
and entity type from the small model, the cue lexicon's score for its lemma, where it stands in
quotation marks) feed a two-layer BiLSTM (numpy, in a thinc model: no torch; bilstm.py) and a softmax; Viterbi over
the valid BIO transitions reads the spans. Each cue then takes the content spans nearest to it
and the nearest source of its sentence (``group``). The dependency parse is never read: the
tagger works on a Doc whose sentences were not all parsed. The model is trained by
tools/train_tagger.py on PolNeAR train and ships in quotewire/models/tagger/; it loads once
per process, on first use.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy

from ..errors import QuotewireError
from ..model import Attribution, Span
from . import Candidate, register
from .common import char_span, text_of
from .quotes import Quote, find_quotes, paragraphs

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token
    from thinc.api import Model

LABELS = ("CONTENT", "CUE", "SOURCE")
#: tag k: 0 = O, 1 + 2*j = B-LABELS[j], 2 + 2*j = I-LABELS[j]
TAGS = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in "BI")
USER_DATA = "quotewire_tagger"
UNITS_DATA = "quotewire_tagger_units"
MODEL_PACKAGE = "quotewire.models"
MODEL_DIR = "tagger"
#: a tagger attribution's candidate priority below every rule sieve's (rules.py: 0.6 and up
#: for labels, the ranker's score for reported speech): the rules win a clash in hybrid.v1
TAGGER_PRIORITY = 0.3
#: the extractors that read the tagger's spans: with one of them the pipeline tags whole
#: batches of Docs (nlp.BatchTagging)
USES_TAGGER = frozenset({"tagger.v1", "hybrid.v1"})
#: tokens a BiLSTM batch holds at most: its gate matrix is 4 kB a token (32 MB here); 32000
#: measured no faster (tagger on dev: 6.66 CPU-s against 6.70)
PREDICT_TOKENS = 8000


@dataclass(frozen=True)
class TaggedSpan:
    """One span the tagger marked: tokens [start, end) of the Doc, its label, its mean probability."""

    label: str
    start: int
    end: int
    score: float


# ---------------------------------------------------------------- features


@functools.lru_cache(maxsize=1)
def _lexicon_buckets() -> dict[str, int]:
    """Lemma -> a bucket of how often the lexicon's best frame for it gave the gold content
    (1..5), 6 for the hand list of speech verbs; words outside the lexicon are bucket 0."""
    from .lexicon import SPEECH_LEMMAS, frame_counts

    best: dict[str, float] = {}
    for (lemma, _frame), (hits, seen) in frame_counts().items():
        best[lemma] = max(best.get(lemma, 0.0), hits / max(seen, 1))
    out = {lemma: 1 + min(4, int(share * 5)) for lemma, share in best.items()}
    for lemma in SPEECH_LEMMAS:
        out[lemma] = 6
    return out


def quote_states(doc: "Doc", quotes: list[Quote]) -> numpy.ndarray:
    """Per token: 0 outside quotation marks, 1 inside a double quote, 2 inside a single one,
    3 an opening mark, 4 a closing mark."""
    starts, ends = _offsets(doc)
    out = numpy.zeros(len(doc), dtype=numpy.uint64)
    for q in quotes:
        for n, (s, e) in enumerate(q.pieces):
            lo, hi = numpy.searchsorted(starts, s), numpy.searchsorted(starts, e)
            if hi <= lo:
                continue
            out[lo:hi] = 1 if q.double else 2
            if starts[lo] == s:
                out[lo] = 3
            if (q.closed or n < len(q.pieces) - 1) and ends[hi - 1] == e:
                out[hi - 1] = 4
    return out


def features(doc: "Doc", quotes: list[Quote] | None = None) -> numpy.ndarray:
    """The tagger's input for every token of the Doc: uint64 columns NORM, PREFIX, SUFFIX,
    SHAPE, TAG, ENT (type and IOB), LEXICON bucket, QUOTE state. Nothing here needs a parse."""
    from spacy.attrs import ENT_IOB, ENT_TYPE, LEMMA, NORM, PREFIX, SHAPE, SUFFIX, TAG

    if quotes is None:
        quotes = find_quotes(text_of(doc))
    arr = doc.to_array([NORM, PREFIX, SUFFIX, SHAPE, TAG, ENT_TYPE, ENT_IOB, LEMMA]).astype(numpy.uint64)
    out = numpy.zeros((len(doc), 8), dtype=numpy.uint64)
    out[:, :5] = arr[:, :5]
    out[:, 5] = arr[:, 5] * numpy.uint64(4) + arr[:, 6]
    buckets = _lexicon_buckets()
    strings = doc.vocab.strings
    lemmas, inverse = numpy.unique(arr[:, 7], return_inverse=True)
    lex = numpy.asarray([buckets.get(strings[int(x)].lower(), 0) if int(x) else 0 for x in lemmas], dtype=numpy.uint64)
    out[:, 6] = lex[inverse.reshape(-1)] if len(lemmas) else 0
    out[:, 7] = quote_states(doc, quotes)
    return out


def _offsets(doc: "Doc") -> tuple[numpy.ndarray, numpy.ndarray]:
    """Each token's first and end character, read as arrays (not a Token object a token)."""
    from spacy.attrs import IDX, LENGTH

    arr = doc.to_array([IDX, LENGTH]).astype(numpy.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 0] + arr[:, 1]


def units(doc: "Doc") -> list[tuple[int, int]]:
    """The tagger's units: each paragraph (quotes.paragraphs) as a token range [start, end);
    found once a Doc (the tagger and the grouping both read them)."""
    cached = doc.user_data.get(UNITS_DATA)
    if cached is not None:
        return cached
    starts, _ends = _offsets(doc)
    bounds = numpy.asarray(paragraphs(text_of(doc)), dtype=numpy.int64).reshape(-1, 2)
    lo = numpy.searchsorted(starts, bounds[:, 0], side="left")  # first token starting at or after the start
    hi = numpy.searchsorted(starts, bounds[:, 1], side="left")  # tokens starting before the end
    out = [(int(a), int(b)) for a, b in zip(lo, hi) if b > a]
    doc.user_data[UNITS_DATA] = out
    return out


# ---------------------------------------------------------------- the model


def StaticVectors(table: dict[str, numpy.ndarray], column: int = 0) -> "Model":
    """A fixed word vector per token, looked up by the hash in ``column`` (the NORM): the
    table of tools/build_tagger_vectors.py (``keys`` sorted, ``rows``, ``table``); a word it
    lacks gets zeros. Nothing here learns, and the table is not part of the weights' bytes."""
    from thinc.api import Model

    keys = numpy.asarray(table["keys"], dtype=numpy.uint64)
    rows = numpy.asarray(table["rows"], dtype=numpy.int64)
    vectors = numpy.vstack([numpy.asarray(table["table"], dtype="f"), numpy.zeros((1, table["table"].shape[1]), dtype="f")])
    missing = len(vectors) - 1

    def forward(model: "Model", X: numpy.ndarray, is_train: bool):
        ids = numpy.ascontiguousarray(X[:, column], dtype=numpy.uint64)
        pos = numpy.minimum(numpy.searchsorted(keys, ids), max(len(keys) - 1, 0))
        hit = keys[pos] == ids if len(keys) else numpy.zeros(len(ids), dtype=bool)
        out = vectors[numpy.where(hit, rows[pos], missing)]
        return out, lambda dY: 0

    return Model("qw_static_vectors", forward, dims={"nO": vectors.shape[1]})


def load_vectors(data: bytes) -> dict[str, numpy.ndarray]:
    """The static vector table from the bytes of its .npz (keys, rows, table)."""
    import io

    with numpy.load(io.BytesIO(data)) as npz:
        return {k: npz[k] for k in ("keys", "rows", "table")}


def build_model(cfg: dict[str, Any], vectors: dict[str, numpy.ndarray] | None = None) -> "Model":
    """The network of ``cfg`` (the "model" part of the training config); ``vectors``: the
    static vector table, needed when cfg names one (cfg["vectors"])."""
    from thinc.api import Dropout, HashEmbed, Maxout, Softmax, chain, concatenate, with_array

    from .bilstm import BiLSTM

    embeds = [HashEmbed(nO=width, nV=rows, column=i, seed=11 + i) for i, (rows, width) in enumerate(cfg["embed"])]
    if cfg.get("vectors"):
        if vectors is None:
            raise ValueError(f"the model needs its static vectors ({cfg['vectors']})")
        embeds.append(StaticVectors(vectors))
    width, hidden = cfg["width"], cfg["hidden"]
    layers = []
    for k in range(cfg["depth"]):
        layers += [BiLSTM(nO=hidden, nI=width if k == 0 else hidden), with_array(Dropout(cfg["dropout"]))]
    return chain(
        with_array(chain(concatenate(*embeds), Maxout(nO=width, nP=3, dropout=cfg["dropout"], normalize=True))),
        *layers,
        with_array(Softmax(nO=len(TAGS), nI=hidden)),
    )


def _allowed() -> numpy.ndarray:
    """allowed[i, j]: tag j may follow tag i (I-X only after B-X or I-X)."""
    n = len(TAGS)
    ok = numpy.ones((n, n), dtype=bool)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            ok[:, j] = False
            ok[TAGS.index("B-" + tag[2:]), j] = True
            ok[j, j] = True
    return ok


_ALLOWED = _allowed()
_TRANS = numpy.where(_ALLOWED, 0.0, -numpy.inf)
_START = numpy.asarray([0.0 if not t.startswith("I-") else -numpy.inf for t in TAGS])


def viterbi(probs: numpy.ndarray) -> numpy.ndarray:
    """The most probable tag sequence whose every transition is a valid BIO one."""
    n = len(probs)
    if n == 0:
        return numpy.zeros(0, dtype=numpy.int64)
    logp = numpy.log(numpy.maximum(probs, 1e-9))
    best = numpy.argmax(logp, axis=1)
    # where plain argmax already obeys the rules (most paragraphs), it is the answer
    prev = numpy.concatenate([[0], best[:-1]])
    if _ALLOWED[prev, best].all() and not TAGS[best[0]].startswith("I-"):
        return best
    back = numpy.zeros((n, len(TAGS)), dtype=numpy.int64)
    score = _START + logp[0]
    for i in range(1, n):
        cand = score[:, None] + _TRANS
        back[i] = numpy.argmax(cand, axis=0)
        score = cand[back[i], numpy.arange(len(TAGS))] + logp[i]
    out = numpy.zeros(n, dtype=numpy.int64)
    out[-1] = int(numpy.argmax(score))
    for i in range(n - 1, 0, -1):
        out[i - 1] = back[i, out[i]]
    return out


def spans_of(tags: numpy.ndarray, probs: numpy.ndarray | None = None, offset: int = 0) -> list[TaggedSpan]:
    """BIO tags as spans (tokens offset + [start, end))."""
    out: list[TaggedSpan] = []
    start = label = None
    for i, t in enumerate(list(tags) + [0]):
        tag = TAGS[int(t)]
        if label is not None and tag != "I-" + label:
            score = float(probs[numpy.arange(start, i), tags[start:i]].mean()) if probs is not None else 1.0
            out.append(TaggedSpan(label, offset + start, offset + i, round(score, 4)))
            label = None
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return out


def _viterbi_many(logps: list[numpy.ndarray]) -> list[numpy.ndarray]:
    """viterbi's dynamic program on several units in step, the same tags: step i updates the
    units that have a token i (same float64 sums, same first-maximum argmax as viterbi)."""
    n_tags = len(TAGS)
    lengths = numpy.asarray([len(x) for x in logps], dtype=numpy.int64)
    T, U = int(lengths.max()), len(logps)
    L = numpy.zeros((T, U, n_tags), dtype=logps[0].dtype)
    for u, x in enumerate(logps):
        L[: len(x), u] = x
    back = numpy.zeros((T, U, n_tags), dtype=numpy.int64)
    score = _START + L[0]
    cols = numpy.arange(n_tags)
    for i in range(1, T):
        live = numpy.flatnonzero(lengths > i)
        cand = score[live, :, None] + _TRANS
        back[i, live] = numpy.argmax(cand, axis=1)
        score[live] = cand[numpy.arange(len(live))[:, None], back[i, live], cols] + L[i, live]
    out = numpy.zeros((T, U), dtype=numpy.int64)
    out[lengths - 1, numpy.arange(U)] = numpy.argmax(score, axis=1)
    for i in range(T - 1, 0, -1):
        live = numpy.flatnonzero(lengths > i)
        out[i - 1, live] = back[i, live, out[i, live]]
    return [out[: n, u] for u, n in enumerate(lengths.tolist())]


def _means(values: numpy.ndarray, starts: numpy.ndarray, ends: numpy.ndarray) -> numpy.ndarray:
    """values[s:e].mean() for each (s, e), the same floats: spans of one length are gathered
    into rows and each row reduced by numpy's own mean (pairwise, as on the span alone)."""
    out = numpy.zeros(len(starts), dtype=numpy.float64)
    sizes = ends - starts
    for size in numpy.unique(sizes).tolist():
        which = numpy.flatnonzero(sizes == size)
        rows = values[starts[which][:, None] + numpy.arange(size)]
        out[which] = rows.mean(axis=1)
    return out


def decode(probs: list[numpy.ndarray], offsets: list[int]) -> list[list[TaggedSpan]]:
    """``spans_of(viterbi(p), p, offset)`` for each unit's probabilities and offset, all units
    at once, the same spans and scores: the argmax of all units' tokens is read in arrays,
    viterbi's dynamic program runs (in step, _viterbi_many) only on the units whose argmax
    breaks a BIO rule, and a span's score is the mean of the same probabilities (_means)."""
    out: list[list[TaggedSpan]] = [[] for _ in probs]
    lengths = numpy.asarray([len(p) for p in probs], dtype=numpy.int64)
    if not lengths.sum():
        return out
    P = numpy.concatenate(probs)
    bounds = numpy.concatenate([[0], numpy.cumsum(lengths)])
    nonempty = numpy.flatnonzero(lengths > 0)
    first = bounds[nonempty]
    logp = numpy.log(numpy.maximum(P, 1e-9))
    tags = numpy.argmax(logp, axis=1)
    prev = numpy.concatenate([[0], tags[:-1]])
    prev[first] = 0  # a unit's first tag follows nothing: O, so an I- tag there breaks the rule
    bad = nonempty[numpy.add.reduceat(~_ALLOWED[prev, tags], first) > 0]  # units with a broken rule
    if len(bad):
        fixed = _viterbi_many([logp[bounds[u] : bounds[u + 1]] for u in bad.tolist()])
        for u, got in zip(bad.tolist(), fixed):
            tags[bounds[u] : bounds[u + 1]] = got
    # a span opens at each B- tag and runs over the I- tags after it, never past its unit
    n = len(tags)
    opens = numpy.flatnonzero(tags % 2 == 1)
    breaks = numpy.ones(n + 1, dtype=bool)
    breaks[:n] = (tags % 2 == 1) | (tags == 0)
    breaks[first] = True
    stops = numpy.flatnonzero(breaks)
    ends = stops[numpy.searchsorted(stops, opens, side="right")]
    unit = numpy.searchsorted(bounds, opens, side="right") - 1
    shift = numpy.asarray(offsets, dtype=numpy.int64)[unit] - bounds[unit]
    scores = _means(P[numpy.arange(n), tags], opens, ends)
    for o, e, u, d, t, score in zip(opens.tolist(), ends.tolist(), unit.tolist(), shift.tolist(), tags[opens].tolist(), scores.tolist()):
        out[u].append(TaggedSpan(LABELS[(t - 1) // 2], o + d, e + d, round(score, 4)))
    return out


@dataclass
class Tagger:
    model: "Model"
    config: dict[str, Any]

    def predict_units(self, feats: list[numpy.ndarray]) -> list[numpy.ndarray]:
        """Tag probabilities per unit (rows: tokens, columns: TAGS)."""
        if not feats:
            return []
        from .bilstm import one_blas_thread

        # the BiLSTM packs its sequences (no padding), so a batch is bounded by its tokens only
        out: list[numpy.ndarray] = []
        batch: list[numpy.ndarray] = []
        size = 0
        with one_blas_thread():
            for f in feats + [None]:
                if f is None or (batch and size + len(f) > PREDICT_TOKENS):
                    if batch:
                        out.extend(numpy.asarray(y) for y in self.model.predict(batch))
                    batch, size = [], 0
                if f is not None:
                    batch.append(f)
                    size += len(f)
        return out


def _model_path():
    return resources.files(MODEL_PACKAGE).joinpath(MODEL_DIR)


@functools.lru_cache(maxsize=1)
def load_tagger() -> Tagger:
    """The shipped model, read once per process (Q080 if its files are missing, Q081 if they
    do not read as the model)."""
    base = _model_path()
    try:
        config = json.loads(base.joinpath("config.json").read_text(encoding="utf-8"))
        data = base.joinpath("model.bin").read_bytes()
        vector_file = config["model"].get("vectors")
        vector_bytes = base.joinpath(vector_file).read_bytes() if vector_file else None
    except (OSError, FileNotFoundError) as exc:
        raise QuotewireError("Q080", path=str(base), reason=f"{type(exc).__name__}: {exc}".splitlines()[0]) from None
    except ValueError as exc:
        raise QuotewireError("Q081", path=str(base), reason=f"config.json: {exc}".splitlines()[0]) from None
    try:
        vectors = load_vectors(vector_bytes) if vector_bytes is not None else None
        model = build_model(config["model"], vectors)
        model.from_bytes(data)
        from .bilstm import MatmulOps

        ops = MatmulOps()
        for node in model.walk():
            node.ops = ops  # numpy's products at prediction (bilstm.MatmulOps)
    except Exception as exc:  # noqa: BLE001 - any failure to read the weights is one line
        raise QuotewireError("Q081", path=str(base), reason=f"{type(exc).__name__}: {exc}".splitlines()[0][:200]) from None
    return Tagger(model, config)


def tag_doc(doc: "Doc", quotes: list[Quote] | None = None, tagger: Tagger | None = None) -> list[TaggedSpan]:
    """The tagger's spans for the Doc, in text order; computed once a Doc (kept in
    ``doc.user_data``), so that whoever asks first (the pipeline's tagging component, the
    extractor) pays."""
    cached = doc.user_data.get(USER_DATA)
    if cached is None:
        tag_docs([doc], [quotes], tagger)
        cached = doc.user_data[USER_DATA]
    return cached


def tag_docs(docs: list["Doc"], quotes: list[list[Quote] | None] | None = None, tagger: Tagger | None = None) -> None:
    """The tagger's spans for each Doc not tagged yet, kept in its ``user_data``: the
    paragraphs of all of them share the BiLSTM's batches (a batch of one Doc's paragraphs is
    a few short rows a step, most of the time spent per step, not per row)."""
    todo = [(n, d) for n, d in enumerate(docs) if USER_DATA not in d.user_data]
    if not todo:
        return
    tagger = tagger or load_tagger()
    feats: list[numpy.ndarray] = []
    ranges: list[list[tuple[int, int]]] = []
    for n, doc in todo:
        f = features(doc, quotes[n] if quotes is not None else None)
        unit_ranges = units(doc)
        feats.extend(f[s:e] for s, e in unit_ranges)
        ranges.append(unit_ranges)
    found = iter(decode(tagger.predict_units(feats), [s for unit_ranges in ranges for s, _e in unit_ranges]))
    for (_n, doc), unit_ranges in zip(todo, ranges):
        doc.user_data[USER_DATA] = [span for _ in unit_ranges for span in next(found)]


# ---------------------------------------------------------------- grouping


_CLOSERS = frozenset(['"', "'", "”", "’", ")", "]"])
_ENDERS = frozenset([".", "?", "!", "...", "?!"])


def _sentence_ids(doc: "Doc") -> numpy.ndarray:
    """A sentence number per token read from punctuation, not the parse: a new sentence after
    '.', '?' or '!' (and the closing marks right after it) when the next word is capitalised,
    a number or an opening mark; and after every line break.

    In arrays: a sentence end is pending at a word when the last word (or line break) before
    it was a sentence end; closing marks and spaces leave it pending, a line break clears it."""
    from spacy.attrs import IS_SPACE, IS_TITLE, IS_UPPER, ORTH

    n = len(doc)
    if not n:
        return numpy.zeros(0, dtype=numpy.int64)
    arr = doc.to_array([ORTH, IS_SPACE, IS_TITLE, IS_UPPER]).reshape(-1, 4)
    strings = doc.vocab.strings
    uniq, inverse = numpy.unique(arr[:, 0], return_inverse=True)
    texts = [strings[int(u)] for u in uniq]
    inverse = inverse.reshape(-1)

    def flag(test) -> numpy.ndarray:
        return numpy.asarray([bool(test(x)) for x in texts], dtype=bool)[inverse]

    closer, end, brk = flag(_CLOSERS.__contains__), flag(_ENDERS.__contains__), flag(lambda x: "\n" in x)
    opens = arr[:, 2].astype(bool) | arr[:, 3].astype(bool) | flag(lambda x: x[:1].isdigit() or x in ("“", "‘"))
    word = ~closer & ~arr[:, 1].astype(bool)
    setter = word | brk  # what decides whether an end is pending after it
    last = numpy.maximum.accumulate(numpy.where(setter, numpy.arange(n), -1))
    before = numpy.concatenate([[-1], last[:-1]])  # the last setter before each token
    pending = (end & ~brk)[numpy.maximum(before, 0)] & (before >= 0)
    new = word & pending & opens
    breaks_before = numpy.concatenate([[0], numpy.cumsum(brk)[:-1]])
    return numpy.cumsum(new) + breaks_before


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    """Tokens between two spans (0 if they touch)."""
    return max(a.start - b.end, b.start - a.end, 0)


def group(spans: list[TaggedSpan], sentence: numpy.ndarray, unit_of: numpy.ndarray) -> list[tuple[TaggedSpan, list[TaggedSpan], TaggedSpan | None]]:
    """Attributions from flat spans: each content joins the nearest cue of its paragraph (a
    split quote's pieces join the one cue between them); each cue takes the nearest source
    of its sentence. A cue with no content is dropped."""
    cues = [s for s in spans if s.label == "CUE"]
    contents = [s for s in spans if s.label == "CONTENT"]
    sources = [s for s in spans if s.label == "SOURCE"]
    owned: dict[int, list[TaggedSpan]] = {}
    for c in contents:
        near = [k for k, q in enumerate(cues) if unit_of[q.start] == unit_of[c.start]]
        if not near:
            continue
        # nearest; on a tie the cue before the content (S-V-C is the common order)
        k = min(near, key=lambda k: (_gap(c, cues[k]), cues[k].start > c.start))
        owned.setdefault(k, []).append(c)
    out = []
    for k, cue in enumerate(cues):
        if k not in owned:
            continue
        same = [s for s in sources if sentence[s.start] == sentence[cue.start] and not any(_between(s, cue, c) for c in owned[k])]
        if not same:
            same = [s for s in sources if unit_of[s.start] == unit_of[cue.start] and _gap(s, cue) <= 3]
        src = min(same, key=lambda s: (_gap(s, cue), s.start > cue.start)) if same else None
        out.append((cue, owned[k], src))
    return out


def _between(s: TaggedSpan, cue: TaggedSpan, content: TaggedSpan) -> bool:
    """The content lies between the source and the cue: the source is another attribution's."""
    return (s.end <= content.start and content.end <= cue.start) or (cue.end <= content.start and content.end <= s.start)


def subject_token(doc: "Doc", start: int, end: int) -> "Token":
    """The head of a source span: the parse's root when its tokens were parsed, else the last
    proper noun, noun or pronoun before any comma, "who" or preposition (no parse needed)."""
    span = doc[start:end]
    if all(t.dep != 0 for t in span) and doc.has_annotation("DEP"):
        root = span.root
        if root.pos_ in ("PROPN", "NOUN", "PRON", "NUM"):
            return root
    best = None
    for t in span:
        if t.text == "," or t.lower_ in ("who", "which") or (t.pos_ == "ADP" and t.lower_ != "'s" and best is not None):
            break
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            best = t
    return best if best is not None else span[-1]


def candidates_of(doc: "Doc", spans: list[TaggedSpan]) -> list[Candidate]:
    """The tagger's spans as extractor candidates (speaker resolved by the caller)."""
    if not spans:
        return []
    sentence = _sentence_ids(doc)
    unit_of = numpy.zeros(len(doc), dtype=numpy.int64)
    for n, (s, e) in enumerate(units(doc)):
        unit_of[s:e] = n
    out: list[Candidate] = []
    for cue, contents, src in group(spans, sentence, unit_of):
        content = tuple(sp for sp in (char_span(doc, c.start, c.end) for c in sorted(contents, key=lambda c: c.start)) if sp)
        cue_span = char_span(doc, cue.start, cue.end) or Span(doc[cue.start].idx, doc[cue.end - 1].idx + len(doc[cue.end - 1].text))
        if not content:
            continue
        source = char_span(doc, src.start, src.end) if src is not None else None
        subject = subject_token(doc, src.start, src.end) if source is not None else None
        score = (cue.score + sum(c.score for c in contents) / len(contents)) / 2
        a = Attribution("indirect", content, (cue_span,), (source,) if source else (), None, round(score, 3), "tagger.v1")
        out.append(Candidate(a, subject, TAGGER_PRIORITY * score))
    return out


@register("tagger.v1")
def tagger_candidates(doc: "Doc", quotes: list[Quote]) -> list[Candidate]:
    return candidates_of(doc, tag_doc(doc, quotes))
