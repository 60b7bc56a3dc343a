"""Quote marks: pairing, paragraphs, apostrophes, stray marks. No model needed."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotewire.attribution.quotes import find_quotes, paragraphs


def regions(text: str) -> list[str]:
    return [" | ".join(text[s:e] for s, e in q.pieces) for q in find_quotes(text)]


def test_quotes_straight_and_curly():
    assert regions('He said "yes, we will," and left.') == ['"yes, we will,"']
    assert regions("He said “yes, we will,” and left.") == ["“yes, we will,”"]


def test_quotes_guillemets_and_single_marks():
    assert regions("«Stay indoors», she said.") == ["«Stay indoors»"]
    assert regions("Storm surge is ‘dangerous’ say forecasters") == ["‘dangerous’"]
    assert regions("It will stand 'on its own two feet', she said.") == ["'on its own two feet'"]


def test_quotes_apostrophes_are_not_marks():
    text = "Russia’s view of the ‘90s and the voters’ choice don't count."
    assert regions(text) == []


def test_quotes_single_inside_double_is_nested():
    text = '"He told me: \'never again\', and I believed him," she said.'
    assert regions(text) == ['"He told me: \'never again\', and I believed him,"']


def test_quotes_double_apostrophe_as_double_mark():
    text = "''It's more tinkering,'' said Alan Cole. ''I wouldn't call it reform.''"
    assert regions(text) == ["''It's more tinkering,''", "''I wouldn't call it reform.''"]


def test_quotes_continue_over_paragraphs_when_next_opens():
    text = '"First paragraph of the quote.\n\n"Second one, which closes," he said.\n\nAfter.'
    (q,) = find_quotes(text)
    assert len(q.pieces) == 2
    assert text[q.pieces[0][0] : q.pieces[0][1]] == '"First paragraph of the quote.'
    assert text[q.pieces[1][0] : q.pieces[1][1]] == '"Second one, which closes,"'
    assert q.closed


def test_quotes_stray_mark_costs_one_paragraph_at_most():
    text = 'A stray " mark opens here and never closes.\n\nNext paragraph says "hello there" twice.\n\nEnd "quoted words" here.'
    found = regions(text)
    assert '"hello there"' in found and '"quoted words"' in found
    # the stray mark's region stays inside its own paragraph
    for q in find_quotes(text):
        for s, e in q.pieces:
            assert "\n" not in text[s:e]


def test_quotes_inch_mark_and_odd_counts_never_raise():
    assert regions('A 5\'10" fisherman said "no" to it.') == ['"no"']
    assert find_quotes('"""') is not None
    assert find_quotes("") == []


def test_paragraphs_skip_blank_lines():
    assert paragraphs("a\n\n  \nb") == [(0, 1), (6, 7)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab .,\n"“”‘’\'«»x')), max_size=200))
def test_quotes_any_text_gives_ordered_regions_within_paragraphs(text):
    spans = paragraphs(text)
    for q in find_quotes(text):
        for s, e in q.pieces:
            assert 0 <= s < e <= len(text)
            assert any(ps <= s and e <= pe for ps, pe in spans)
