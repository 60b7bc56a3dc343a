"""The faster parse path gives the attributions of the full one (nlp.SelectiveParse,
FastAttributes, FastLemmas), and the setting turns the selective parse off."""
from __future__ import annotations

import pytest

from quotewire import nlp as nlp_mod
from quotewire.attribution import extract
from quotewire.errors import QuotewireError
from quotewire.settings import Settings

# our own texts: quotes, reported speech, "according to", a colon label, and sentences with none
TEXTS = [
    "Harbour Board: Ferry Fares Rise in Spring\n\n"
    "The ferry left the pier at noon. Gulls circled over the grey water and the deck was wet.\n\n"
    '"We cannot keep the old fares," board chair Maria Lindqvist said on Monday. '
    "The timetable will change in April.\n\n"
    "According to the board's own figures, fuel costs doubled since 2021. "
    "Lindqvist told reporters that the island service would stay daily.\n\n"
    "Passengers queued in the rain for an hour. A child fed the gulls from the railing.",
    "PORT ALDEN - Councillor Tom Okafor, who chairs the roads committee, warned that the bridge "
    "needed repairs before winter. The bridge opened in 1964 and carries the coast road.\n\n"
    "Okafor added: \"The steel is tired.\" Engineers inspected the deck last week. "
    "The mayor believes the budget can cover it, her office said in a statement.\n\n"
    "Snow fell on the hills overnight. The schools stayed open.",
    "Rain fell in the night. The hall was cold, the lights were dim, and the chairs were in rows.",
]


def _spans(doc):
    return [(a.kind, a.content, a.cue, a.source, a.rule, a.speaker.name if a.speaker else None) for a in extract(doc)]


@pytest.fixture(scope="module")
def selective():
    return nlp_mod.load(None, True)


def test_selective_parse_gives_the_full_parse_attributions(nlp, selective):
    assert "parser" in nlp.pipe_names and nlp_mod.SELECTIVE not in nlp.pipe_names
    assert nlp_mod.SELECTIVE in selective.pipe_names and "parser" not in selective.pipe_names
    found = 0
    for text in TEXTS:
        full, sel = nlp(text), selective(text)
        assert sel.text == text
        assert _spans(sel) == _spans(full)
        found += len(_spans(full))
    assert found >= 5  # the texts do hold attributions


def test_pipeline_with_selective_parse_gives_the_same_articles():
    from quotewire.model import Article
    from quotewire.pipeline import annotate_many

    articles = [Article(text=t) for t in TEXTS]
    full = list(annotate_many(articles, Settings(selective_parse=False)))
    sel = list(annotate_many(articles, Settings(selective_parse=True)))
    assert [a.to_dict() for a in sel] == [a.to_dict() for a in full]
    assert sum(len(a.attributions) for a in full) >= 5


def test_sentences_without_a_signal_are_not_parsed(nlp, selective):
    doc = selective(TEXTS[0])
    unparsed = [s.text.strip() for s in doc.sents if not any(t.dep_ for t in s)]
    parsed = [s.text.strip() for s in doc.sents if all(t.dep_ or t.is_space for t in s)]
    assert any(s.startswith("Passengers queued") for s in unparsed)
    assert any(s.startswith('"We cannot keep') for s in parsed)
    assert any(s.startswith("According to") for s in parsed)
    assert any(s.startswith("Lindqvist told") for s in parsed)
    # with nothing to parse there are sentences still, and no arcs
    none = selective(TEXTS[2])
    assert len(list(none.sents)) == 2 and not any(t.dep_ for t in none)
    assert extract(none) == extract(nlp(TEXTS[2])) == []


def test_a_british_spelling_of_a_learnt_cue_is_parsed(nlp, selective):
    # "realise": the lexicon (PolNeAR train, American) knows "realize" only; the rules read it
    # through lexicon.cue_lemma, and so must the choice of what to parse
    text = ("Rain fell on the pier. The harbour board finally realised that the old ferry loses "
            "money every winter.\n\nGulls circled the deck.")
    doc = selective(text)
    parsed = [s.text for s in doc.sents if all(t.dep_ or t.is_space for t in s)]
    assert any(s.startswith("The harbour board finally realised") for s in parsed)
    assert not any(s.startswith("Rain fell") for s in parsed)
    assert _spans(doc) == _spans(nlp(text)) != []


def test_long_text_in_pieces_keeps_offsets_and_attributions(nlp, selective):
    text = "\n\n".join(TEXTS[:2] * 3)
    long_doc = nlp_mod.parse_long(selective, text, 400)
    assert long_doc.text == text
    assert _spans(long_doc) == _spans(nlp_mod.parse_long(nlp, text, 400))


def test_fast_ruler_and_lemmatizer_match_spacy():
    import spacy
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

    ours = nlp_mod.load(None)
    bare = spacy.load(nlp_mod.resolve_model_name(None))  # spaCy's own ruler and lemmatizer
    bare.add_pipe(nlp_mod.PARAGRAPHS, before="parser")  # registered by the load above
    assert "attribute_ruler" not in ours.pipe_names and nlp_mod.ATTRIBUTES in ours.pipe_names
    extra = [
        "I'm gonna tell y'all what I told you: it ain't over, and let's not pretend it is.",
        "There is no plan. Do you have one? They did have it, but did it work?\n\n\nWhat I got was less.",
        "C'mon, that's the one which I gotta see whether it's there or not.",
    ]
    cols = [POS, MORPH, LEMMA, TAG, DEP, HEAD]
    for text in TEXTS + extra:
        assert (bare(text).to_array(cols) == ours(text).to_array(cols)).all(), text
    # the word index FastLemmas reads as sets; the bare pipeline's own stays lists
    assert all(isinstance(v, frozenset) for v in ours.get_pipe("lemmatizer").lookups.get_table("lemma_index").values())
    assert all(isinstance(v, list) for v in bare.get_pipe("lemmatizer").lookups.get_table("lemma_index").values())
    own = nlp_mod.load_for(Settings(fast_annotators=False))
    assert "attribute_ruler" in own.pipe_names and nlp_mod.ATTRIBUTES not in own.pipe_names
    assert Settings.from_env({"QUOTEWIRE_FAST_ANNOTATORS": "0"}).fast_annotators is False


def test_numpy_products_give_spacys_annotations():
    import spacy
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, SENT_START, TAG
    from thinc.api import NumpyOps

    from quotewire.attribution.bilstm import MatmulOps

    ours = nlp_mod.load(None)
    assert any(isinstance(node.ops, MatmulOps) for node in ours.get_pipe("ner").model.walk())
    bare = spacy.load(nlp_mod.resolve_model_name(None))  # blis's products
    bare.add_pipe(nlp_mod.PARAGRAPHS, before="parser")
    cols = [TAG, LEMMA, HEAD, DEP, ENT_IOB, ENT_TYPE, SENT_START]
    for text in TEXTS:
        assert (bare(text).to_array(cols) == ours(text).to_array(cols)).all(), text
    off = nlp_mod.load_for(Settings(numpy_products=False))
    assert all(type(node.ops) is NumpyOps for node in off.get_pipe("ner").model.walk())
    assert Settings.from_env({"QUOTEWIRE_NUMPY_PRODUCTS": "0"}).numpy_products is False


def test_setting_turns_selective_parse_on_and_off():
    on = Settings.from_env({"QUOTEWIRE_SELECTIVE_PARSE": "1"})
    off = Settings.from_env({"QUOTEWIRE_SELECTIVE_PARSE": "0"})
    assert on.selective_parse is True and off.selective_parse is False
    nlp = nlp_mod.load_for(off)
    assert "parser" in nlp.pipe_names and nlp_mod.SELECTIVE not in nlp.pipe_names
    assert all(t.dep_ for t in nlp(TEXTS[2]))
    sel = nlp_mod.load_for(on)
    assert nlp_mod.SELECTIVE in sel.pipe_names and not any(t.dep_ for t in sel(TEXTS[2]))
    assert Settings.from_env({"QUOTEWIRE_PARSE_CUE_PRECISION": "0.3"}).parse_cue_precision == 0.3
    with pytest.raises(QuotewireError, match="Q041"):
        Settings(parse_cue_precision=1.5)


def test_cue_lemmas_follow_the_precision_bar():
    low, high = nlp_mod.cue_lemmas(0.0), nlp_mod.cue_lemmas(0.3)
    assert "say" in high and "accord" in high  # the hand list and "according to" always count
    assert "be" in low and "be" not in high
    assert high < low


def test_tagging_whole_batches_gives_what_one_doc_at_a_time_gives(nlp):
    import warnings

    from quotewire.attribution.tagger import USER_DATA

    tagging = nlp_mod.load_for(Settings(extractors=("hybrid.v1",)))
    assert nlp_mod.TAGGING in tagging.pipe_names and nlp_mod.TAGGING not in nlp.pipe_names
    docs = list(tagging.pipe(TEXTS, batch_size=8))
    assert all(USER_DATA in d.user_data for d in docs)  # tagged in the pipe, before any extractor asks
    for text, doc in zip(TEXTS, docs):
        alone = nlp(text)
        assert USER_DATA not in alone.user_data
        assert extract(doc, ("hybrid.v1",)) == extract(alone, ("hybrid.v1",))
    # a long text parsed in pieces is tagged whole, with no user data lost in the join
    text = "\n\n".join(TEXTS[:2] * 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        long_doc = nlp_mod.parse_long(tagging, text, 400)
    assert extract(long_doc, ("hybrid.v1",)) == extract(nlp_mod.parse_long(nlp, text, 400), ("hybrid.v1",))
