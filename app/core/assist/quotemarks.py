"""Quotation marks and sentences: where direct speech starts and ends, and sentences that do not end at a full
stop inside quotation marks (a quote of several sentences stays one quote)."""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Optional, Sequence


def mark_spans(text: str, marks: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """(opening mark, closing mark) positions, paired within a paragraph; outermost pairs, in text order."""
    spans = []
    ls = 0
    while ls <= len(text):
        le = text.find("\n", ls)
        le = len(text) if le < 0 else le
        for o, c in marks:
            p = text.find(o, ls, le)
            while p >= 0:
                q = text.find(c, p + 1, le)
                if q < 0:
                    break
                spans.append((p, q))
                p = text.find(o, q + 1, le)
        ls = le + 1
    spans.sort(key=lambda x: (x[0], -x[1]))
    out: list[tuple[int, int]] = []
    for s in spans:
        if not out or s[0] > out[-1][1]:
            out.append(s)
    return out


class Marks:
    def __init__(self, spans: list[tuple[int, int]]):
        self.spans, self.starts = spans, [s for s, _ in spans]

    def around(self, pos: int) -> Optional[tuple[int, int]]:
        """The pair whose text holds pos (marks excluded)."""
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and self.spans[i][0] < pos < self.spans[i][1]:
            return self.spans[i]
        return None

    def opening_in(self, s: int, e: int) -> Optional[tuple[int, int]]:
        i = bisect_right(self.starts, s - 1)
        return self.spans[i] if i < len(self.spans) and self.spans[i][0] < e else None


_SENTENCE_END = re.compile(r"[.!?؟\n]")


def sentences(text: str, marks: Marks) -> list[tuple[int, int]]:
    """Sentences, not split at a full stop inside quotation marks (a quote of several sentences stays one)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        i = m.start()
        if text[i] == "\n" or marks.around(i) is None:
            if i > start:
                out.append((start, i))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out
