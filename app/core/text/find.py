"""Find in an article, as the document search does: tashkeel, tatweel and hamza forms ignored (الكُوَيـــت finds
الكويت and إسطنبول finds اسطنبول); hits are code-point spans of the original text, which is never changed."""
from __future__ import annotations

from .arabic import MatchKey, match_key, normalize


def find_all(key: MatchKey, query: str) -> list[tuple[int, int]]:
    """Every (start, end) of `query` in the text `key` was built from (match_key(text)), in text order."""
    needle = normalize(query.strip())
    if not needle:
        return []
    out, pos = [], key.key.find(needle)
    while pos >= 0:
        out.append(key.span(pos, pos + len(needle)))
        pos = key.key.find(needle, pos + 1)
    return out


def text_key(text: str) -> MatchKey:
    return match_key(text)
