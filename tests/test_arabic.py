"""Arabic match keys: what is dropped, what is folded, and that every hit maps back to the original text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.text.arabic import find_all, match_key, normalize, search_key


@pytest.mark.parametrize("text, key", [
    ("كتب", "كتب"),
    ("كَتَبَ", "كتب"),                             # fatha
    ("كُتُبٌ", "كتب"),                             # damma, dammatan
    ("كِتابًا", "كتابا"),                           # kasra, fathatan
    ("مُحَمَّدٍ", "محمد"),                          # shadda, kasratan
    ("مِنْ", "من"),                                # sukun
    ("هٰذا", "هذا"),                               # superscript alef U+0670
    ("الكويـــت", "الكويت"),                       # tatweel
    ("ـالناتوـ", "الناتو"),
    ("أحمد", "احمد"),                              # hamza above
    ("إسطنبول", "اسطنبول"),                        # hamza below
    ("آنذاك", "انذاك"),                            # madda
    ("ٱلله", "الله"),                              # wasla
    ("أإآٱا", "ااااا"),
    ("مؤتمر", "مؤتمر"),                            # hamza on waw is a different letter: kept
    ("شيء", "شيء"),                                # lone hamza kept
    ("ناتو\u200f", "ناتو"),                        # RLM
    ("\u200eNATO\u200e", "nato"),                  # LRM, ASCII lowercased
    ("می\u200cخواهم", "میخواهم"),                  # ZWNJ
    ("لا\u200dم", "لام"),                          # ZWJ
    ("\u061cعربي", "عربي"),                        # Arabic letter mark
    ("\ufeffنص", "نص"),                            # BOM
    ("صلى الله عليه وسلم\u0610", "صلى الله عليه وسلم"),  # honorific sign U+0610
    ("مدرسة", "مدرسة"),                            # ta marbuta kept by default
    ("على", "على"),                                # alef maqsura kept by default
    ("عام 2004، وقال:", "عام 2004، وقال:"),        # digits and punctuation untouched
    ("", ""),
])
def test_match_key_default(text, key):
    assert normalize(text) == key
    mk = match_key(text)
    assert mk.key == key
    assert len(mk.origin) == len(key) + 1 and mk.origin[-1] == len(text)
    assert len(mk.ends) == len(key)


@pytest.mark.parametrize("text, teh, maksura, key", [
    ("مدرسة", True, False, "مدرسه"),
    ("مدرسة", False, False, "مدرسة"),
    ("على", False, True, "علي"),
    ("على", False, False, "على"),
    ("مدرسةٌ على", True, True, "مدرسه علي"),
    ("مدرسه علي", True, True, "مدرسه علي"),   # the folded forms stay as they are
])
def test_optional_ta_marbuta_and_alef_maqsura(text, teh, maksura, key):
    assert normalize(text, teh_marbuta=teh, alef_maksura=maksura) == key


def test_casefold_option():
    assert normalize("NATO Brussels") == "nato brussels"
    assert normalize("NATO", casefold=False) == "NATO"


@pytest.mark.parametrize("a, b, kw, equal", [
    ("الكُوَيْت", "الكويـــت", {}, True),
    ("أمين عام", "امين عام", {}, True),
    ("المدرسة", "المدرسه", {}, False),
    ("المدرسة", "المدرسه", {"teh_marbuta": True}, True),
    ("مستشفى", "مستشفي", {}, False),
    ("مستشفى", "مستشفي", {"alef_maksura": True}, True),
    ("كتب", "كتاب", {}, False),
])
def test_normalize_compares_spellings(a, b, kw, equal):
    assert (normalize(a, **kw) == normalize(b, **kw)) is equal


@pytest.mark.parametrize("text, needle, kw, hits", [
    # Tashkeel in the text, none in the needle; the trailing kasra stays with the hit.
    ("ذهبَ إلى المدرسةِ، ثم المدرسه", "مدرسة", {}, ["مدرسةِ"]),
    ("ذهبَ إلى المدرسةِ، ثم المدرسه", "مدرسة", {"teh_marbuta": True}, ["مدرسةِ", "مدرسه"]),
    ("زار الكويـــت ثم الكُوَيْتَ", "الكويت", {}, ["الكويـــت", "الكُوَيْتَ"]),
    ("زار الكويت", "الكُوَيْت", {}, ["الكويت"]),    # tashkeel in the needle
    ("مبادرة إسطنبول وإسطنبول", "اسطنبول", {}, ["إسطنبول", "إسطنبول"]),
    ("ذهب إلى المستشفى والمستشفي", "مستشفي", {"alef_maksura": True}, ["مستشفى", "مستشفي"]),
    ("NATO and Nato", "nato", {}, ["NATO", "Nato"]),
    ("ااا", "اا", {}, ["اا", "اا"]),                     # overlapping hits
    ("الناتو", "تونس", {}, []),
    ("الناتو", "َ", {}, []),                              # a needle of marks alone finds nothing
    ("الناتو", "", {}, []),
])
def test_find_all(text, needle, kw, hits):
    got = find_all(text, needle, **kw)
    assert [text[s:e] for s, e in got] == hits
    for s, e in got:
        assert normalize(text[s:e], **kw) == normalize(needle, **kw)


def test_find_all_offsets_are_into_the_original_text():
    text = "👍 قالَ خافِيير كولومينا"
    (s, e), = find_all(text, "خافيير")
    assert (s, e) == (text.index("خافِيير"), text.index("خافِيير") + len("خافِيير"))


def test_span_maps_back_and_keeps_trailing_tashkeel():
    text = "كَتَبَ الرَّجُلُ"
    mk = match_key(text)
    assert mk.key == "كتب الرجل"
    assert mk.span(0, 3) == (0, 6)            # كَتَبَ with its final fatha
    assert text[slice(*mk.span(0, 3))] == "كَتَبَ"
    assert text[slice(*mk.span(0, 1))] == "كَ"  # one letter with its mark
    assert text[slice(*mk.span(4, 9))] == "الرَّجُلُ"
    assert text[slice(*mk.span(6, 7))] == "رَّ"  # shadda and fatha both stay
    assert mk.span(2, 2) == (4, 4)           # empty range: the position of the key character
    assert mk.span(9, 9) == (len(text), len(text))


def test_span_with_leading_marks_and_tatweel():
    text = "\u200fـالكويـــت\u200e"
    mk = match_key(text)
    assert mk.key == "الكويت"
    assert text[slice(*mk.span(0, 6))] == "الكويـــت\u200e"  # leading marks are not part of the first letter
    assert text[slice(*mk.span(4, 5))] == "يـــ"              # tatweel after a letter belongs to it


ALPHABET = list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱةى") + [chr(c) for c in range(0x064B, 0x0653)] + [
    "\u0640", "\u0670", "\u200c", "\u200d", "\u200e", "\u200f", " ", "،", "1", "A", "b", "👍", "\r", "\n"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join), st.booleans(), st.booleans())
def test_match_key_maps_every_key_char_back(text, teh, maksura):
    kw = {"teh_marbuta": teh, "alef_maksura": maksura}
    mk = match_key(text, **kw)
    assert list(mk.origin) == sorted(mk.origin)
    for i, ch in enumerate(mk.key):
        o = mk.origin[i]
        # The key character comes from the original character at origin (folded) ...
        assert normalize(text[o], **kw) == ch
        # ... and its span holds that character plus only dropped marks after it.
        s, e = mk.span(i, i + 1)
        assert s == o and e > o
        assert normalize(text[s:e], **kw) == ch
    for i in range(len(mk.key) + 1):
        for j in range(i + 1, len(mk.key) + 1):
            s, e = mk.span(i, j)
            assert normalize(text[s:e], **kw) == mk.key[i:j]
    # Search in SQL uses the translate-based key: same as the default key (for ASCII and Arabic).
    assert search_key(text) == normalize(text)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=30).map("".join), st.data())
def test_find_all_finds_every_substring(text, data):
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    needle = text[i:j]
    hits = find_all(text, needle)
    if not normalize(needle):
        assert hits == []
        return
    assert hits
    for s, e in hits:
        assert normalize(text[s:e]) == normalize(needle)
    # The drawn occurrence itself is among the hits (modulo marks around it).
    mk = match_key(text)
    k0 = next(k for k in range(len(mk.key) + 1) if mk.origin[k] >= i)
    assert mk.span(k0, k0 + len(normalize(needle)))[0] in {s for s, _ in hits}


def test_search_key():
    assert search_key(None) == ""
    assert search_key("") == ""
    assert search_key("الكُوَيْت ـ أحمد NATO") == "الكويت  احمد nato"
    assert search_key("الكويـــت") == search_key("الكويت")
