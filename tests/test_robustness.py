"""Odd input never crashes and never swallows the article: stray marks, empty and huge texts, bytes."""
from __future__ import annotations

import pytest

from quotewire.errors import QuotewireError
from quotewire.sources.text import decode_text

from conftest import describe, find

pytestmark = pytest.mark.issue(2)


def test_robustness_stray_mark_does_not_swallow_the_article(run):
    text = (
        'The council met on Monday. A stray " mark sits here.\n\n'
        '"The repairs are ahead of schedule," the mayor said.\n\n'
        "The mayor said the bridge would reopen in November."
    )
    art = run(text)
    assert find(art, "repairs are ahead").kind == "direct"
    assert find(art, "bridge would reopen").kind == "indirect", describe(art)


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", '"', "“”", "«", "''", "'", '""""', "—", "\u200b"])
def test_robustness_empty_and_mark_only_texts(run, text):
    assert run(text).attributions == ()


def test_robustness_unbalanced_marks_everywhere(run):
    text = '"He said ”it" was “fine. «Really» she said\' and ‘then" left.\n\n"Another," he said.'
    art = run(text)  # must not raise
    for a in art.attributions:
        for s in a.content:
            assert 0 <= s.start < s.end <= len(text)


@pytest.mark.slow
def test_robustness_huge_input_is_handled_in_one_piece(run):
    para = '"We will reopen the bridge before winter," the mayor said. Officials said the cost was rising.\n\n'
    text = para * 1500  # about 150 KB, 24,000 words
    art = run(text)
    assert len(art.attributions) == 3000
    assert art.attributions[-1].end <= len(text)


def test_robustness_non_utf8_bytes_are_a_clear_error():
    with pytest.raises(QuotewireError) as exc:
        decode_text("Caf\xe9 owners said prices rose.".encode("latin-1"), "cafe.txt")
    assert "[Q022]" in str(exc.value) and "cafe.txt" in str(exc.value) and "iconv" in str(exc.value)


def test_robustness_binary_is_a_clear_error():
    with pytest.raises(QuotewireError, match=r"\[Q023\].*binary"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.txt")


def test_robustness_bom_and_crlf_are_accepted():
    assert decode_text("\ufeffHe said it.\r\nThen left.".encode("utf-8"), "x.txt") == "He said it.\nThen left."
