"""Find every occurrence of a surface form, spelling-insensitively and clitics allowed, at C regex speed.

Used by "tag all occurrences" (one article or the whole corpus) and by the gazetteer. The needle's match key
becomes a regular expression over the *original* text: each letter accepts its spelling variants (أ إ آ ٱ for ا)
and may be followed by tashkeel, tatweel or invisible marks. Offsets are therefore original code points, with no
per-character Python loop: scanning 100,000 articles stays in seconds.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Iterable, Iterator

from ..text.arabic import _DROP, _FOLD, normalize
from .clitics import CliticRules, default_rules
from ..text.offsets import is_word_char

_DROP_CLASS = "[" + "".join(sorted(re.escape(c) for c in _DROP)) + "]*"
_VARIANTS: dict[str, str] = {}
for _k, _v in _FOLD.items():
    _VARIANTS[_v] = _VARIANTS.get(_v, _v) + _k


@lru_cache(maxsize=4096)
def pattern(needle: str) -> re.Pattern:
    """The regex of a needle: letters with their variants, optional marks between letters."""
    key = normalize(needle)
    parts = []
    for ch in key:
        variants = _VARIANTS.get(ch, ch)
        alts = "".join(re.escape(v) for v in variants)
        if ch.isascii() and ch.isalpha():
            alts += re.escape(ch.upper())
        parts.append(f"[{alts}]" if len(variants) > 1 or (ch.isascii() and ch.isalpha()) else re.escape(ch))
    return re.compile(_DROP_CLASS.join(parts) + _DROP_CLASS)


# What continues a word after a match (letters and digits of any script, tashkeel, tatweel, ZWNJ/ZWJ): a
# look-ahead in the regex itself, so hits that end inside a longer word never reach Python.
_CONTINUES = r"(?![^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200c\u200d])"


@lru_cache(maxsize=4096)
def _ended(needle: str) -> re.Pattern:
    return re.compile(pattern(needle).pattern + _CONTINUES)


def _clean_start(text: str, s: int, allowed: frozenset[str], longest: int) -> bool:
    """True when s starts a word, or only an allowed proclitic stands between the word start and s."""
    if s == 0 or not is_word_char(text[s - 1]):
        return True
    for n in range(1, min(longest, s) + 1):
        if text[s - n:s] in allowed and (s - n == 0 or not is_word_char(text[s - n - 1])):
            return True
    return False


@lru_cache(maxsize=4096)
def _compiled(needle: str, rules: CliticRules) -> tuple:
    """Everything find_occurrences needs for one needle, built once: the regexes and the proclitic sets."""
    key = normalize(needle)
    allowed = frozenset(rules.prefixes) | frozenset(rules.lam_lam)
    dropped = None
    if key.startswith("ال") and len(key) > 3:
        dropped = re.compile("لل(" + pattern(key[2:]).pattern + ")" + _CONTINUES)  # a literal start: fast scan
    return bool(key), _ended(needle), dropped, allowed, max(map(len, allowed)), tuple(rules.lam_lam)


def find_occurrences(text: str, needle: str, rules: CliticRules | None = None) -> list[tuple[int, int]]:
    """(start, end) of every whole-word occurrence of `needle` in `text`; a proclitic before it (و، ب، لل ...) is
    allowed and left outside the span, as the snapping rule does. The search itself is one compiled regex; only
    its hits get a boundary check in Python."""
    ok, main, dropped, allowed, longest, lam = _compiled(needle, rules or default_rules())
    if not ok:
        return []
    out = [m.span() for m in main.finditer(text)]
    out = [(s, e) for s, e in out if s == 0 or not is_word_char(text[s - 1]) or _clean_start(text, s, allowed, longest)]
    if dropped is not None:
        # ل + ال with the alef dropped: "للكويت" holds "الكويت" as "لكويت"; the span is the word after لل.
        extra = [(s, e) for s, e in (m.span(1) for m in dropped.finditer(text))
                 if any(text[s - len(p):s] == p and (s - len(p) == 0 or not is_word_char(text[s - len(p) - 1]))
                        for p in lam)]
        if extra:
            out = sorted(set(out + extra))
    return out


def untagged(hits: Iterable[tuple[int, int]], taken: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Hits that overlap no already-tagged span: tag-all leaves existing annotations alone.
    O((hits + taken) log taken): spans sorted by start, with a running maximum of their ends."""
    spans = sorted(taken)
    starts = [s for s, _ in spans]
    max_end, m = [], -1
    for _, e in spans:
        m = max(m, e)
        max_end.append(m)
    for s, e in hits:
        i = bisect_left(starts, e)  # spans starting before this hit ends
        if i == 0 or max_end[i - 1] <= s:
            yield s, e
