"""The Arabic-aware tokenizer: offsets into the original text, Arabic words whole, punctuation and Latin/digit runs
split; properties (in order, non-overlapping, no white space, every non-space character covered) with hypothesis."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.text.tokenize import split_tokens, tokenize, tokenize_with_cuts, words


def test_arabic_words_stay_whole_with_tashkeel_tatweel_and_clitics():
    assert words("وقالَ الكُوَيـــت بالناتو لِلحلف") == ["وقالَ", "الكُوَيـــت", "بالناتو", "لِلحلف"]


def test_arabic_punctuation_is_split_off():
    assert words("قال: «الكويت شريك»، أليس كذلك؟ نعم؛ بالتأكيد.") == [
        "قال", ":", "«", "الكويت", "شريك", "»", "،", "أليس", "كذلك", "؟", "نعم", "؛", "بالتأكيد", "."]


def test_latin_and_digit_runs_are_split_from_arabic():
    assert words("قمة NATO في ٢٠٢٤م و2023 والـCNN") == ["قمة", "NATO", "في", "٢٠٢٤", "م", "و", "2023", "والـ",
                                                       "CNN"]
    assert words("3.5% 1,554 ۱۴۰۲") == ["3", ".", "5", "%", "1", ",", "554", "۱۴۰۲"]


def test_direction_marks_and_joiners_stay_in_the_word():
    text = "الناتو\u200f، می\u200cخواهم \u200e"
    assert words(text) == ["الناتو\u200f", "،", "می\u200cخواهم", "\u200e"]


def test_offsets_point_into_the_original_text():
    text = "  قال\tخافيير\r\nكولومينا 😀!"
    toks = tokenize(text)
    assert [text[s:e] for s, e in toks] == ["قال", "خافيير", "كولومينا", "😀", "!"]
    assert toks[0] == (2, 5)


def test_nbsp_and_other_unicode_spaces_separate_tokens():
    assert words("الكويت\u00a0شريك\u2009متميز\u202fجدا") == ["الكويت", "شريك", "متميز", "جدا"]


def test_latin_combining_marks_stay_with_their_letter():
    assert words("cafe\u0301 naïve") == ["cafe\u0301", "naïve"]


def test_cuts_split_tokens_at_span_boundaries():
    text = "بالكويت اليوم"
    assert tokenize_with_cuts(text, [1, 7]) == [(0, 1), (1, 7), (8, 13)]
    assert tokenize_with_cuts(text, [0, 13, 8]) == tokenize(text)  # cuts on boundaries change nothing
    assert split_tokens([(0, 10)], [2, 5, 9]) == [(0, 2), (2, 5), (5, 9), (9, 10)]


_ALPHABET = st.sampled_from(list("قال خافيير كولومينا الكويت ـ َ ُ ّ ، ؛ ؟ . « » ( ) ٢٠٢٤ 123 NATO é "
                                 "\u200f \u200c \u00a0 \t \n \r 😀 _ - %"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_tokens_are_ordered_disjoint_spaceless_and_cover_every_non_space_character(text):
    toks = tokenize(text)
    covered = set()
    last_end = 0
    for s, e in toks:
        assert last_end <= s < e <= len(text)
        assert not any(c.isspace() for c in text[s:e])
        covered.update(range(s, e))
        last_end = e
    assert covered == {i for i, c in enumerate(text) if not c.isspace()}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.lists(st.integers(0, 80), max_size=6))
def test_cuts_never_lose_characters(text, cuts):
    toks = tokenize_with_cuts(text, cuts)
    assert "".join(text[s:e] for s, e in toks) == "".join(text[s:e] for s, e in tokenize(text))
    bounds = {b for t in toks for b in t}
    for c in cuts:
        if any(s < c < e for s, e in tokenize(text)):
            assert c in bounds
