"""Pure helpers of the window's suggestions (no Qt): how a long article's region is cut into parts proposed for
one per event-loop turn, and moving a proposal made on a slice back to the article's offsets."""
from __future__ import annotations

from dataclasses import replace

from ..core.assist.proposals import Proposal as Item

# A long article's suggestions are computed for this many characters either side of what is on screen (whole
# paragraphs), and again when the reader scrolls out of that region: the work per refresh stays the same however
# long the article is (a 1,000,000-character article froze the window for a minute).
LOCAL_REACH = 15_000
PART_CHARS = 1_500  # a long article's region is proposed for in parts of this size, one per event-loop turn


def region_parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The parts of a long article that cover text[a:b]: cells of a fixed grid (each from the paragraph
    start after a multiple of PART_CHARS to the next), so a region moved by a scroll reuses the cells it
    shares with the last one. An article short enough to be proposed for whole is one part (quotes may run
    across its paragraphs)."""
    if len(text) <= 2 * LOCAL_REACH:
        return [(a, b)]

    def cut(k: int) -> int:
        i = text.find("\n", k * PART_CHARS) if k > 0 else -1
        return 0 if k <= 0 else (len(text) if i < 0 else i + 1)

    k = a // PART_CHARS
    while k > 0 and cut(k) > a:
        k -= 1
    parts = []
    while cut(k) < b:
        start, end = cut(k), cut(k + 1)
        if start < end:
            parts.append((start, end))
        k += 1
    return parts


def shifted(item: Item, by: int) -> Item:
    """A proposal made on a slice of the article, moved back to the article's offsets."""
    p = item.proposal
    if item.kind == "quote":
        return Item(item.kind, replace(p, start=p.start + by, end=p.end + by, cue=(p.cue[0] + by, p.cue[1] + by)))
    return Item(item.kind, replace(p, start=p.start + by, end=p.end + by))
