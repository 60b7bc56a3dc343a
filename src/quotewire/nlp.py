"""Loading the spaCy pipeline once per process, and which model that is."""
from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Iterable

from .errors import QuotewireError
from .settings import DEFAULT_MODELS

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


def resolve_model_name(name: str | None) -> str:
    """The named model, or the first installed of DEFAULT_MODELS (official package preferred)."""
    if name:
        return name
    import spacy.util

    for candidate in DEFAULT_MODELS:
        if spacy.util.is_package(candidate):
            return candidate
    raise QuotewireError("Q002", names=", ".join(DEFAULT_MODELS))


PARAGRAPHS = "quotewire_paragraphs"


def _paragraph_breaks(doc):
    """Start a sentence after every line break, so headlines and subheads stand alone.

    One pass over arrays: setting ``token.is_sent_start`` one token at a time makes spaCy check
    the whole Doc for a parse on every call, which costs tokens x line breaks on long articles.
    """
    import numpy

    from .attribution.quotes import soft_wrap
    from spacy.attrs import IS_SPACE, ORTH, SENT_START

    if len(doc) < 2:
        return doc
    arr = doc.to_array([ORTH, IS_SPACE, SENT_START])
    orth, is_space = arr[:, 0], arr[:, 1].astype(bool)
    # a token's trailing whitespace is at most one space, so a line break is always in a token's text
    strings = doc.vocab.strings
    breaking = [o for o in numpy.unique(orth) if "\n" in strings[int(o)]]
    after_break = numpy.zeros(len(doc), dtype=bool)
    after_break[1:] = numpy.isin(orth[:-1], breaking) & ~is_space[1:]
    # a hard-wrapped line ("word\nword") is no paragraph break; doc.text joins every token
    # anew on each call, so it is read once (per break it made the pass quadratic again)
    text = doc.text
    for i in numpy.flatnonzero(after_break):
        if soft_wrap(text, doc[int(i)].idx - 1):
            after_break[i] = False
    if after_break.any():
        starts = arr[:, 2].copy()
        starts[after_break] = 1
        doc.from_array([SENT_START], starts)
    return doc


SELECTIVE = "quotewire_selective_parse"
ATTRIBUTES = "quotewire_attributes"
LEMMAS = "quotewire_lemmas"
TAGGING = "quotewire_tagging"


@functools.lru_cache(maxsize=8)
def cue_lemmas(min_precision: float) -> frozenset[str]:
    """Lemmas that can head an attribution: the hand list of speech verbs, the "according to"
    heads, and the learnt lexicon's lemmas that gave the gold content at least ``min_precision``
    of the times they occurred in train (summed over their frames): "be" and "have" (1-2 %)
    occur in nearly every sentence and almost never report anything."""
    from .attribution.lexicon import ACCORDING_HEADS, SPEECH_LEMMAS, frame_counts

    good: dict[str, int] = {}
    seen: dict[str, int] = {}
    for (lemma, _frame), (g, n) in frame_counts().items():
        good[lemma] = good.get(lemma, 0) + g
        seen[lemma] = seen.get(lemma, 0) + n
    learnt = {lemma for lemma in good if seen[lemma] and good[lemma] / seen[lemma] >= min_precision}
    return frozenset(learnt | SPEECH_LEMMAS | ACCORDING_HEADS)


class SelectiveParse:
    """The parser where an attribution can be, the sentence recognizer elsewhere.

    The tagger and tok2vec have run on the whole Doc; the (cheap) sentence recognizer splits
    it, and only runs of sentences that can hold an attribution (a quotation mark near, a colon
    label, a word whose lemma can be a cue) are parsed: each
    run as a Doc of its own that reuses the whole Doc's tok2vec output (Span.as_doc copies
    the tensor), its heads and labels written back. The other sentences keep the recognizer's
    boundaries and no arcs (head = itself, no label)."""

    def __init__(self, nlp: "Language", cue_precision: float) -> None:
        self.parser = nlp.get_pipe("parser")
        self.senter = nlp.get_pipe("senter")
        self.cues = cue_lemmas(cue_precision)
        lookups = nlp.get_pipe("lemmatizer").lookups
        self.exceptions = lookups.get_table("lemma_exc", {})
        self.rules = lookups.get_table("lemma_rules", {})
        self._cue_cache: dict[tuple[int, int], bool] = {}

    def __call__(self, doc: "Doc") -> "Doc":
        return self.parse([doc])[0]

    def pipe(self, docs: Iterable["Doc"], batch_size: int = 128):
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            yield from self.parse(list(batch))

    def may_be_cue(self, lower: str, tag: str) -> bool:
        """Whether a word could have a cue lemma: every lemma the rule lemmatizer could give
        it (its exceptions, each suffix rule's form) is tried, each also as the rules read it
        (lexicon.cue_lemma: "criticise" as the lexicon's "criticize"), so none is missed."""
        from .attribution.lexicon import cue_lemma

        pos = {"V": "verb", "N": "noun", "J": "adj"}.get(tag[:1])
        if pos is None or tag.startswith("NNP"):
            return False
        forms = {lower, *self.exceptions.get(pos, {}).get(lower, ())}
        for old, new in self.rules.get(pos, ()):
            if lower.endswith(old):
                forms.add(lower[: len(lower) - len(old)] + new)
        forms |= {cue_lemma(form) for form in forms}
        return not forms.isdisjoint(self.cues)

    def regions(self, doc: "Doc", starts: list[int]) -> list[tuple[int, int]]:
        """Token ranges [start, end) to parse: runs of sentences that may hold an attribution."""
        import numpy
        from spacy.attrs import LOWER, TAG

        from .attribution.quotes import find_quotes, paragraphs

        n = len(starts)
        ends = starts[1:] + [len(doc)]
        wanted = numpy.zeros(n, dtype=bool)
        arr = doc.to_array([LOWER, TAG])
        strings = doc.vocab.strings
        pairs, inverse = numpy.unique(arr, axis=0, return_inverse=True)
        flags = numpy.zeros(len(pairs), dtype=bool)
        for k, (lower, tag) in enumerate(pairs.tolist()):
            known = self._cue_cache.get((lower, tag))
            if known is None:
                known = self._cue_cache[(lower, tag)] = self.may_be_cue(strings[lower], strings[tag])
            flags[k] = known
        cue = flags[inverse.reshape(-1)]
        wanted[numpy.searchsorted(starts, numpy.flatnonzero(cue), side="right") - 1] = True
        text = doc.text  # not text_of: user data would not survive Doc.from_docs in parse_long
        token_starts = [t.idx for t in doc]

        def mark(start: int, end: int, around: int = 0) -> None:
            lo = bisect_right(starts, max(0, bisect_right(token_starts, start) - 1)) - 1
            hi = bisect_left(starts, bisect_left(token_starts, end))  # sentences starting before end
            wanted[max(0, lo - around) : min(n, max(hi, lo + 1) + around)] = True

        for q in find_quotes(text):
            mark(q.start, q.end, around=1)  # the cue of a quote is in its sentence or the next
        for p_start, p_end in paragraphs(text):
            if text.find(":", p_start, min(p_end, p_start + 80)) >= 0:
                mark(p_start, p_start + 1)  # a colon label ("Poll: ...") is in the line's first sentence
        out: list[tuple[int, int]] = []
        for k in numpy.flatnonzero(wanted):
            if out and out[-1][1] == starts[k]:
                out[-1] = (out[-1][0], ends[k])
            else:
                out.append((starts[k], ends[k]))
        return out

    def parse(self, docs: list["Doc"]) -> list["Doc"]:
        import numpy
        from spacy.attrs import DEP, HEAD, ORTH, SENT_START, SPACY
        from spacy.tokens import Doc

        docs = [d for d in docs]
        preset = [d.to_array([SENT_START]).astype("int64") for d in docs]  # paragraph breaks (1) and unknown (0)
        live = [d for d in docs if len(d)]
        if live:
            self.senter.set_annotations(live, self.senter.predict(live))
        subs, where = [], []
        for n, doc in enumerate(docs):
            if not len(doc):
                continue
            found = doc.to_array([SENT_START]).astype("int64")
            found[0] = 1
            starts = [int(i) for i in numpy.flatnonzero(found == 1)]
            regions = self.regions(doc, starts)
            if not regions:
                continue
            # one Doc of the regions end to end, each opening a sentence: arcs stay within a
            # sentence, so each region's relative heads hold in the whole Doc as they are
            idx = numpy.concatenate([numpy.arange(a, b) for a, b in regions])
            cols = doc.to_array([ORTH, SPACY])[idx]
            given = preset[n][idx]
            given[numpy.cumsum([0] + [b - a for a, b in regions[:-1]])] = 1
            strings = doc.vocab.strings
            sub = Doc(doc.vocab, words=[strings[int(o)] for o in cols[:, 0]], spaces=[bool(x) for x in cols[:, 1]],
                      sent_starts=[True if g == 1 else None for g in given])  # the parser places the rest
            sub.tensor = doc.tensor[idx]  # the tok2vec output the parser listens to
            subs.append(sub)
            where.append((n, idx))
        if subs:
            self.parser.set_annotations(subs, self.parser.predict(subs))
        for sub, (n, idx) in zip(subs, where):
            doc = docs[n]
            got = sub.to_array([HEAD, DEP, SENT_START])
            heads = numpy.zeros((len(doc), 2), dtype="uint64")
            heads[idx] = got[:, :2]
            boundaries = doc.to_array([SENT_START])
            boundaries[idx] = got[:, 2]
            doc.from_array([HEAD, DEP], heads)
            doc.from_array([SENT_START], boundaries)  # the unparsed sentences keep the recognizer's
        return docs


class FastAttributes:
    """spaCy's attribute_ruler, same patterns and same result, applied with arrays.

    The ruler's Matcher evaluates its 179 one- and two-token patterns (set membership, regex)
    token by token in Python: 12 % of the whole pipeline's time. Here each distinct token spec
    is compiled once, into per-column tables of the specs each value passes; a Doc looks up
    its LOWER/TAG/DEP/IS_SPACE values (a matrix of tokens by specs), every pattern is matched
    on it before any is applied (the Matcher also matches first), and the patterns are applied
    in the ruler's order, later ones winning (AttributeRuler.match sorts its matches by
    pattern number)."""

    def __init__(self, ruler) -> None:
        import json

        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

        self.vocab = ruler.vocab
        self._strings = self.vocab.strings
        #: each distinct token spec compiled once (a pattern names specs by their number here)
        self.specs: list[tuple[tuple[str, str, object], ...]] = []
        numbers: dict[str, int] = {}
        self.rules: list[tuple[list[list[int]], dict[int, int], int]] = []
        for entry, attrs, index in zip(ruler.patterns, ruler.attrs, ruler.indices):
            unknown = set(attrs) - {POS, MORPH, LEMMA, TAG, DEP}
            if unknown:
                raise ValueError(f"attribute ruler pattern sets {unknown}")
            patterns = []
            for pattern in entry["patterns"]:
                ids = []
                for spec in pattern:
                    key = json.dumps(spec, sort_keys=True)
                    if key not in numbers:
                        numbers[key] = len(self.specs)
                        self.specs.append(self._compile(spec))
                    ids.append(numbers[key])
                patterns.append(ids)
            self.rules.append((patterns, dict(attrs), index))
        self._columns = (POS, MORPH, LEMMA, TAG)
        self._dep = DEP
        self._tables()

    def _id(self, value: str) -> int:
        return 0 if value == "" else self._strings[value]  # a missing DEP or TAG is 0

    def _compile(self, spec: dict) -> tuple[tuple[str, str, object], ...]:
        """A token spec as (column, test, operand) triples; ValueError for what is not read here."""
        import re

        if set(spec) - {"LOWER", "TAG", "DEP", "IS_SPACE"}:
            raise ValueError(f"attribute ruler pattern on {sorted(spec)}")
        out = []
        for key, want in spec.items():
            if key == "IS_SPACE":
                out.append((key, "eq", int(bool(want))))
            elif isinstance(want, str):
                out.append((key, "eq", self._id(want)))
            elif "IN" in want:
                out.append((key, "in", frozenset(self._id(v) for v in want["IN"])))
            elif "NOT_IN" in want:
                out.append((key, "not_in", frozenset(self._id(v) for v in want["NOT_IN"])))
            elif "REGEX" in want:
                out.append((key, "regex", re.compile(want["REGEX"])))
            else:
                raise ValueError(f"attribute ruler predicate {want}")
        return tuple(out)

    def _tables(self) -> None:
        """Per column, the specs each value passes: a value named in some spec's test has its
        own row, every other value the column's default row; regex tests stay per Doc."""
        import numpy

        n = len(self.specs)
        self._default: dict[str, "numpy.ndarray"] = {}
        self._special: dict[str, dict[int, "numpy.ndarray"]] = {}
        self._regex: dict[str, list[tuple[int, object]]] = {}
        for col in ("LOWER", "TAG", "DEP", "IS_SPACE"):
            tests = [(number, test, operand) for number, spec in enumerate(self.specs) for key, test, operand in spec if key == col]
            named = {int(v) for _, test, operand in tests if test in ("in", "not_in") for v in operand}
            named |= {int(operand) for _, test, operand in tests if test == "eq"}

            def row(value: int | None) -> "numpy.ndarray":  # None: a value no test names
                out = numpy.ones(n, dtype=bool)
                for number, test, operand in tests:
                    if test == "eq":
                        out[number] &= value == int(operand)
                    elif test == "in":
                        out[number] &= value is not None and value in operand
                    elif test == "not_in":
                        out[number] &= value is None or value not in operand
                return out

            self._default[col] = row(None)
            self._special[col] = {v: row(v) for v in named}
            self._regex[col] = [(number, operand) for number, test, operand in tests if test == "regex"]

    def _matrix(self, cols: dict, n: int):
        """(tokens, specs): whether each token passes each spec."""
        import numpy

        out = numpy.ones((n, len(self.specs)), dtype=bool)
        for col, values in cols.items():
            special, default = self._special[col], self._default[col]
            if not special and not self._regex[col] and default.all():
                continue
            uniq, inverse = numpy.unique(values, return_inverse=True)
            rows = numpy.stack([special.get(int(u), default) for u in uniq.tolist()])
            for number, rx in self._regex[col]:
                rows[:, number] &= [bool(rx.search(self._strings[u] if u else "")) for u in uniq.tolist()]
            out &= rows[inverse.reshape(-1)]
        return out

    def __call__(self, doc: "Doc") -> "Doc":
        import numpy
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        n = len(doc)
        if not n:
            return doc
        raw = doc.to_array([LOWER, TAG, DEP, IS_SPACE])
        cols = {"LOWER": raw[:, 0], "TAG": raw[:, 1], "DEP": raw[:, 2], "IS_SPACE": raw[:, 3]}
        passes = self._matrix(cols, n)
        seen = passes.any(axis=0)
        # every match first, from the Doc as it came in
        hits = []
        for patterns, attrs, index in self.rules:
            where = None
            for pattern in patterns:
                k = len(pattern)
                if k > n or not all(seen[number] for number in pattern):
                    continue
                m = passes[: n - k + 1, pattern[0]].copy()
                for off, number in enumerate(pattern[1:], 1):
                    m &= passes[off : off + n - k + 1, number]
                if where is None:
                    where = numpy.zeros(n, dtype=bool)
                where[numpy.flatnonzero(m) + (index if index >= 0 else k + index)] = True
            if where is not None and where.any():
                hits.append((where, attrs))
        if not hits:
            return doc
        arr = doc.to_array(list(self._columns)).astype("uint64")
        deps = []
        for where, attrs in hits:
            for c, attr in enumerate(self._columns):
                if attr in attrs:
                    arr[where, c] = attrs[attr]
            if self._dep in attrs:
                deps.append((where, attrs[self._dep]))
        doc.from_array(list(self._columns), arr)
        for where, value in deps:
            for i in numpy.flatnonzero(where):
                doc[int(i)].dep = value
        return doc


class FastLemmas:
    """spaCy's rule lemmatizer, same lemmas: each (word, POS, morphology) of a Doc asked once
    (the lemmatizer's own cache key), the answers written back as one array. Its word index
    (lemma_index: a list of 58k nouns, 21k adjectives...) becomes sets: rule_lemmatize only asks
    ``form in index``, and on a list that scan was 0.2 ms a new word (1.5 CPU-s of the first
    pass over PolNeAR dev, every pass for a new article's new words)."""

    def __init__(self, lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[int, int, int], int] = {}  # the lemmatizer's own cache holds the same answers
        index = lemmatizer.lookups.get_table("lemma_index") if lemmatizer.lookups.has_table("lemma_index") else {}
        for pos, words in list(index.items()):
            if isinstance(words, list):
                index[pos] = frozenset(words)

    def __call__(self, doc: "Doc") -> "Doc":
        import numpy
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        todo = numpy.flatnonzero(arr[:, 3] == 0) if not self.lemmatizer.overwrite else numpy.arange(len(doc))
        if not len(todo):
            return doc
        keys, first, inverse = numpy.unique(arr[todo, :3], axis=0, return_index=True, return_inverse=True)
        strings = doc.vocab.strings
        lemmas = numpy.zeros(len(keys), dtype="uint64")
        for k, (key, f) in enumerate(zip(map(tuple, keys.tolist()), first)):
            lemma = self.cache.get(key)
            if lemma is None:
                lemma = self.cache[key] = strings.add(self.lemmatizer.lemmatize(doc[int(todo[f])])[0])
            lemmas[k] = lemma
        out = arr[:, 3].astype("uint64")
        out[todo] = lemmas[inverse.reshape(-1)]
        doc.from_array([LEMMA], out)
        return doc


class BatchTagging:
    """The attribution tagger run on each batch of Docs nlp.pipe makes, its spans kept on each
    Doc for the extractors (tagger.tag_docs): the paragraphs of a whole batch share the
    BiLSTM's steps, where one Doc's are a few rows a step."""

    def __call__(self, doc: "Doc") -> "Doc":
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable["Doc"], batch_size: int = 32):
        from spacy.util import minibatch

        from .attribution.tagger import tag_docs

        for batch in minibatch(docs, size=batch_size):
            batch = list(batch)
            tag_docs(batch)
            yield from batch


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS)(_paragraph_breaks)
    if not Language.has_factory(ATTRIBUTES):
        Language.factory(ATTRIBUTES)(lambda nlp, name: FastAttributes(nlp.get_pipe("attribute_ruler")))
        Language.factory(LEMMAS)(lambda nlp, name: FastLemmas(nlp.get_pipe("lemmatizer")))
    if not Language.has_factory(TAGGING):
        Language.factory(TAGGING)(lambda nlp, name: BatchTagging())
    if not Language.has_factory(SELECTIVE):
        Language.factory(SELECTIVE, default_config={"cue_precision": 0.05})(
            lambda nlp, name, cue_precision: SelectiveParse(nlp, cue_precision)
        )


@functools.lru_cache(maxsize=8)
def load(name: str | None = None, selective: bool = False, cue_precision: float = 0.05, fast: bool = True,
         tagging: bool = False, products: bool = True) -> "Language":
    """The pipeline, loaded once per process; texts up to 5M characters are allowed.

    ``selective``: the parser runs only on the sentences that may hold an attribution
    (SelectiveParse), the sentence recognizer on the rest; ``cue_precision`` is its bar for a
    lexicon lemma to count as a cue (cue_lemmas). ``fast``: the attribute ruler and the rule
    lemmatizer are FastAttributes and FastLemmas (the same annotations). ``tagging``: the
    attribution tagger runs last, on whole batches (BatchTagging). ``products``: spaCy's layers
    multiply with numpy's OpenBLAS on one thread (numpy_products)."""
    import spacy

    resolved = resolve_model_name(name)
    try:
        nlp = spacy.load(resolved)
    except (OSError, ImportError) as exc:
        raise QuotewireError("Q001", name=resolved, reason=str(exc).splitlines()[0]) from None
    nlp.max_length = max(nlp.max_length, 5_000_000)
    _register()
    if PARAGRAPHS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    missing = {"parser", "tagger", "ner"} - set(nlp.pipe_names)
    if missing:
        raise QuotewireError("Q001", name=resolved, reason=f"it lacks the components {sorted(missing)}")
    if fast:
        _fast_equivalents(nlp)
    if products:
        numpy_products(nlp)
    if selective:
        if "senter" not in nlp.component_names or "lemmatizer" not in nlp.component_names:
            raise QuotewireError("Q085", name=resolved)
        nlp.add_pipe(SELECTIVE, after="parser", config={"cue_precision": cue_precision})
        nlp.disable_pipe("parser")
    if tagging:
        nlp.add_pipe(TAGGING, last=True)
    return nlp


def _fast_equivalents(nlp: "Language") -> None:
    """The attribute ruler and the rule lemmatizer swapped for FastAttributes and FastLemmas,
    which give the same annotations; a model whose ruler or lemmatizer they do not cover keeps
    its own."""
    if "attribute_ruler" in nlp.pipe_names:
        try:
            nlp.add_pipe(ATTRIBUTES, after="attribute_ruler")
        except ValueError:  # a pattern FastAttributes does not read: spaCy's ruler stays
            pass
        else:
            nlp.disable_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names and getattr(nlp.get_pipe("lemmatizer"), "mode", None) == "rule":
        nlp.add_pipe(LEMMAS, after="lemmatizer")
        nlp.disable_pipe("lemmatizer")


def numpy_products(nlp: "Language") -> None:
    """Every layer of the pipeline's components that multiplies through thinc's NumpyOps (blis)
    multiplies through bilstm.MatmulOps instead: numpy's OpenBLAS on one thread, 3x faster
    here, so tok2vec and the NER's own tok2vec take half the CPU time. Not the same bits
    (24 % of a product's floats are equal, the rest differ by about 1e-7 relative) but the same
    annotations: TAG, POS, LEMMA, HEAD, DEP, ENT and sentence starts equal on all of 478,717
    tokens of 400 PolNeAR train, the dev and speakers-dev articles. The parser's and NER's
    per-step products (spaCy's own C loop) stay blis's."""
    from thinc.api import NumpyOps

    from .attribution.bilstm import MatmulOps

    ops = MatmulOps()
    for _name, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:  # not a GPU's, nor anything already changed
                node.ops = ops


def load_for(settings) -> "Language":
    """The pipeline ``settings`` ask for (model, selective parse, fast annotators, the tagger
    when an extractor reads it, numpy's products)."""
    from .attribution.tagger import USES_TAGGER

    tagging = any(name in USES_TAGGER for name in settings.extractors)
    return load(settings.model, settings.selective_parse, settings.parse_cue_precision, settings.fast_annotators, tagging,
                settings.numpy_products)


def pieces(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters that join back to it exactly:
    at a paragraph break if there is one, else a line break, a sentence end, a space; a piece
    with none of these is cut where it reaches the limit."""
    out: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        for sep in ("\n\n", "\n", ". ", " "):
            cut = text.rfind(sep, start, end)
            if cut > start:
                end = cut + len(sep)
                break
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def parse_long(nlp: "Language", text: str, piece_chars: int):
    """The Doc of ``text``, whatever its length: a text over ``piece_chars`` is parsed piece by
    piece and the pieces joined into one Doc whose text is the text given, so offsets into it
    stay offsets into Article.text."""
    from spacy.tokens import Doc

    if len(text) <= piece_chars:
        return nlp(text)
    # one piece at a time: a batch is padded to its longest text, and memory is what this bounds;
    # the tagger reads the joined Doc (a piece's spans would not survive Doc.from_docs)
    skip = [TAGGING] if TAGGING in nlp.pipe_names else []
    doc = Doc.from_docs(list(nlp.pipe(pieces(text, piece_chars), batch_size=1, disable=skip)), ensure_whitespace=False)
    assert doc.text == text, "pieces of a long text must join back to it"
    return doc
