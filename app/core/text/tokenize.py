"""An Arabic-aware tokenizer that returns offsets: `tokenize(text) -> [(start, end), ...]` into the text as given.

pyarabic's `araby.tokenize` returns strings, not offsets, and drops what it does not know; the token formats
(CoNLL, Prodigy, Hugging Face, spaCy) need exact code-point offsets into the stored text. So this is a scanner over
the character classes pyarabic uses (its Arabic blocks, letters, tashkeel and tatweel), in one compiled regex:

* an **Arabic word** is a run of Arabic letters and marks (tashkeel, Quranic marks, superscript alef), tatweel,
  and the joiners ZWNJ/ZWJ; it is never split inside (clitics stay attached: `والناتو` is one token);
* a **Latin (or other script) word** is a run of non-Arabic letters with their combining marks;
* a **number** is a run of decimal digits, ASCII or Arabic-Indic (`٢٠٢٤`, `۱۴۰۲`); `3.5` is `3` `.` `5`;
* invisible format marks (LRM/RLM/ALM, ZWSP, soft hyphen, word joiner, bidi embeddings) stay inside the run they
  follow, so a direction mark typed after a word does not become a token of its own;
* every other character that is not white space (punctuation `،؛؟.«»`, symbols, emoji, a lone mark) is one token;
* white space (anything `str.isspace()` says is space, including NBSP) is skipped and never inside a token.

Invariants (tests/test_tokenize.py checks them with hypothesis): tokens are non-empty, in order, non-overlapping,
contain no white space, and together cover every non-space character of the text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Sequence

from pyarabic import araby

Token = tuple[int, int]

# pyarabic's Arabic blocks (araby.ARABIC_RANGE) plus Arabic Supplement/Extended-A/-B, which it leaves out.
_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x089F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                  (0xFE70, 0xFEFF))
# Invisible format characters that belong to the word they follow (never white space, never a token alone).
_FORMAT = "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# Combining marks of non-Arabic scripts that continue a Latin (or other) word: é written e + U+0301.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"


def _ranges(chars: Iterable[int]) -> str:
    """A regex character class body for a sorted set of code points, as ranges."""
    out, run = [], []
    for c in sorted(chars):
        if run and c == run[-1] + 1:
            run.append(c)
            continue
        if run:
            out.append(_span(run))
        run = [c]
    if run:
        out.append(_span(run))
    return "".join(out)


def _span(run: list[int]) -> str:
    a, b = re.escape(chr(run[0])), re.escape(chr(run[-1]))
    return a if len(run) == 1 else f"{a}-{b}"


@lru_cache(maxsize=1)
def _arabic_word_chars() -> frozenset[int]:
    """Letters and marks of the Arabic blocks, tatweel, and everything pyarabic counts as letter or tashkeel."""
    chars = {c for lo, hi in _ARABIC_BLOCKS for c in range(lo, hi + 1)
             if unicodedata.category(chr(c))[0] in "LM"}
    chars |= {ord(c) for c in araby.LETTERS + "".join(araby.TASHKEEL) + araby.TATWEEL + araby.MINI_ALEF}
    chars |= {0x200C, 0x200D}  # ZWNJ, ZWJ: join Persian/Urdu and some Arabic spellings inside one word
    return frozenset(chars)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    ar = f"[{_ranges(_arabic_word_chars())}]"
    fmt = f"[{_FORMAT}]"
    other_letter = rf"(?:(?!{ar})[^\W\d_])"  # a letter (str.isalpha) of any non-Arabic script
    return re.compile(
        rf"{ar}(?:{ar}|{fmt})*"  # Arabic word
        rf"|{other_letter}(?:{other_letter}|[{_MARKS}]|{fmt})*"  # Latin / other-script word
        rf"|\d(?:\d|{fmt})*"  # digits, any script
        rf"|\S"  # anything else that is not white space: one character, one token
    )


def tokenize(text: str) -> list[Token]:
    """(start, end) code-point offsets of the tokens of `text`, in order; white space is never part of a token."""
    return [m.span() for m in _pattern().finditer(text)]


def tokenize_with_cuts(text: str, cuts: Iterable[int] = ()) -> list[Token]:
    """`tokenize(text)`, then every token that straddles a cut offset is split there.

    The cuts are span boundaries (entity starts and ends): a span boundary inside a word (a clitic, `بالكويت`
    annotated as `ب` + `الكويت`) then always falls between tokens, so every span maps to whole tokens exactly.
    """
    toks = tokenize(text)
    cut_set = sorted({c for c in cuts if 0 < c < len(text)})
    if not cut_set:
        return toks
    return split_tokens(toks, cut_set)


def split_tokens(tokens: Sequence[Token], cuts: Sequence[int]) -> list[Token]:
    """Split tokens at the sorted offsets `cuts` that fall strictly inside them."""
    out: list[Token] = []
    k = 0
    n = len(cuts)
    for s, e in tokens:
        while k < n and cuts[k] <= s:
            k += 1
        j = k
        while j < n and cuts[j] < e:
            out.append((s, cuts[j]))
            s = cuts[j]
            j += 1
        out.append((s, e))
    return out


def words(text: str) -> list[str]:
    """The token strings (for quick looks and tests)."""
    return [text[s:e] for s, e in tokenize(text)]
