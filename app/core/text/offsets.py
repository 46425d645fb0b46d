"""Offsets: code points <-> UTF-16 code units, and snapping a raw selection to whole words.

Qt counts UTF-16 code units, Python and our stored offsets count code points; the two differ after every
character outside the Basic Multilingual Plane (emoji, some CJK). `Utf16Map` is the one converter; the UI builds
one per shown document and converts at its boundary only.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_right
from functools import lru_cache


class Utf16Map:
    """Converts between code-point and UTF-16 offsets of one text in O(log k), k = number of non-BMP chars."""

    __slots__ = ("_astral_cp", "_astral_u16", "length_cp", "length_u16")

    def __init__(self, text: str):
        # Code-point positions of astral characters; most Arabic news has none, making conversion an identity.
        has_astral = bool(text) and max(text) > "\uffff"  # C-speed check; a scan only when needed
        self._astral_cp = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if has_astral else []
        # UTF-16 position of each astral character's first unit.
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral_cp)]
        self.length_cp = len(text)
        self.length_u16 = len(text) + len(self._astral_cp)

    def to_utf16(self, cp: int) -> int:
        if not self._astral_cp:
            return cp
        return cp + bisect_right(self._astral_cp, cp - 1)

    def to_codepoint(self, u16: int) -> int:
        """UTF-16 offset to code points; an offset between the two halves of a pair rounds down to the character."""
        if not self._astral_u16:
            return u16
        k = bisect_right(self._astral_u16, u16 - 2)  # astral chars lying wholly before u16
        if k < len(self._astral_u16) and self._astral_u16[k] == u16 - 1:
            return self._astral_cp[k]
        return u16 - k


@lru_cache(maxsize=65536)
def is_word_char(ch: str) -> bool:
    """Letters, digits and combining marks (tashkeel) belong to words; tatweel joins letters and ZWNJ/ZWJ sit
    inside them, so they do too. Cached per character: occurrence search asks it for every hit."""
    return ch in "\u0640\u200c\u200d" or unicodedata.category(ch)[0] in "LMN"


_is_word_char = is_word_char


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding white space, punctuation and direction marks from a span."""
    while start < end and not _is_word_char(text[start]):
        start += 1
    while end > start and not _is_word_char(text[end - 1]):
        end -= 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a raw selection to whole words and trim what surrounds them.

    A selection that starts or ends inside a word takes the whole word, so a sloppy mouse drag over Arabic (where
    glyph boundaries are hard to see) still gives a clean span. Returns (start, start) when nothing word-like is
    selected. Clitic handling (و، ب، لل...) builds on this in `arabic.snap`.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    start, end = trim_span(text, start, end)
    if start == end:
        return start, start
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]):
        end += 1
    return start, end


def word_at(text: str, pos: int) -> tuple[int, int]:
    """The word around position `pos` (empty range if none)."""
    if pos < len(text) and _is_word_char(text[pos]):
        return snap_to_words(text, pos, pos + 1)
    if pos > 0 and _is_word_char(text[pos - 1]):
        return snap_to_words(text, pos - 1, pos)
    return pos, pos
