"""Arabic text helpers: a spelling-insensitive match key with a map back to the original text.

Stored text is never changed. Search and matching run on a *key* that drops tashkeel, tatweel and invisible
marks and folds alef/hamza forms; `MatchKey.span()` maps a hit in the key back to original offsets.
"""
from __future__ import annotations

from dataclasses import dataclass

from pyarabic import araby

# Characters dropped from the key: harakat/tashkeel (incl. shadda, sukun, superscript alef), tatweel, and
# invisible format marks that real corpora carry inside words (ZWNJ, ZWJ, LRM, RLM, ALM, BOM).
_DROP = frozenset(araby.TASHKEEL) | frozenset(araby.HARAKAT) | {
    araby.TATWEEL, araby.SHADDA, araby.SUKUN, araby.MINI_ALEF,
    "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff",
} | {chr(c) for c in range(0x0610, 0x061B)} | {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670"}

# Alef and hamza-carrier forms folded to bare alef: أ إ آ ٱ.
_FOLD = {
    araby.ALEF_HAMZA_ABOVE: araby.ALEF,
    araby.ALEF_HAMZA_BELOW: araby.ALEF,
    araby.ALEF_MADDA: araby.ALEF,
    araby.ALEF_WASLA: araby.ALEF,
}
_FOLD_TEH_MARBUTA = {araby.TEH_MARBUTA: araby.HEH}
_FOLD_ALEF_MAKSURA = {araby.ALEF_MAKSURA: araby.YEH}


@dataclass(frozen=True)
class MatchKey:
    """The key string and, for each key position, the offset of its character in the original text."""

    key: str
    origin: tuple[int, ...]  # len(key) + 1 entries; the last is the original length
    ends: tuple[int, ...]  # for each key char, the original offset just after it (and any dropped marks)

    def span(self, kstart: int, kend: int) -> tuple[int, int]:
        """Original (start, end) for key range [kstart, kend); trailing tashkeel stays with its letter."""
        if kend <= kstart:
            o = self.origin[kstart]
            return o, o
        return self.origin[kstart], self.ends[kend - 1]


def match_key(text: str, *, teh_marbuta: bool = False, alef_maksura: bool = False, casefold: bool = True) -> MatchKey:
    """Build the spelling-insensitive key of `text`.

    teh_marbuta folds ة into ه and alef_maksura folds ى into ي (common spelling variation in news text); both off by
    default because they also merge distinct words.
    """
    fold = dict(_FOLD)
    if teh_marbuta:
        fold.update(_FOLD_TEH_MARBUTA)
    if alef_maksura:
        fold.update(_FOLD_ALEF_MAKSURA)
    out: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP:
            if ends:
                ends[-1] = i + 1  # a dropped mark belongs to the letter before it
            continue
        ch = fold.get(ch, ch)
        if casefold and ch.isascii():
            ch = ch.lower()
        out.append(ch)
        origin.append(i)
        ends.append(i + 1)
    origin.append(len(text))
    return MatchKey("".join(out), tuple(origin), tuple(ends))


def normalize(text: str, teh_marbuta: bool = False, alef_maksura: bool = False, casefold: bool = True) -> str:
    """The key alone, for comparing two strings: the same as match_key(...).key, at str.translate speed."""
    if teh_marbuta or alef_maksura or not casefold:
        return match_key(text, teh_marbuta=teh_marbuta, alef_maksura=alef_maksura, casefold=casefold).key
    return text.translate(_KEY_TABLE)


def find_all(text: str, needle: str, **kw) -> list[tuple[int, int]]:
    """Every occurrence of `needle` in `text`, compared by match key; offsets into the original `text`."""
    nk = normalize(needle, **kw)
    if not nk:
        return []
    mk = match_key(text, **kw)
    hits, i = [], mk.key.find(nk)
    while i >= 0:
        hits.append(mk.span(i, i + len(nk)))
        i = mk.key.find(nk, i + 1)
    return hits


_SEARCH_TABLE = {ord(c): None for c in _DROP} | {ord(k): v for k, v in _FOLD.items()}
# The default match key as one translate table: drop marks, fold alef forms, lower-case ASCII only.
_KEY_TABLE = _SEARCH_TABLE | {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def search_key(s: str | None) -> str:
    """The match key without offsets, via str.translate (C speed): for scanning many documents in SQL."""
    return s.translate(_SEARCH_TABLE).lower() if s else ""
