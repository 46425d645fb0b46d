"""Known names indexed by token keys, matched over a sentence: the gazetteer membership feature.

A name is keyed by the stems of its tokens (normalised match key, proclitics and the article ال dropped), so
`والكويت` in a sentence matches the name `الكويت`, and `الأمم المتحدة` matches `الامم المتحده`-spelt text only as
far as the match key folds spellings (alef forms, marks, tatweel). Matches are longest first and never overlap; a
token covered by a match gets `B-LABEL` or `I-LABEL`, the way a tagger would see a dictionary.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable, Sequence

MAX_NAME_TOKENS = 6


class NameIndex:
    """name token keys -> label (the label it was given most often)."""

    def __init__(self, names: Iterable[tuple[tuple[str, ...], str]] = ()):
        votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        for key, label in names:
            if key and len(key) <= MAX_NAME_TOKENS and all(key):
                votes[key][label] += 1
        self.names: dict[tuple[str, ...], str] = {k: c.most_common(1)[0][0] for k, c in votes.items()}
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for key in self.names:
            if len(key) not in self._lengths[key[0]]:
                self._lengths[key[0]].append(len(key))
        for lens in self._lengths.values():
            lens.sort(reverse=True)

    def __len__(self) -> int:
        return len(self.names)

    def tag(self, keys: Sequence[str]) -> list[str]:
        """`B-LABEL` / `I-LABEL` / "" for each token of a sentence given by its keys."""
        out = [""] * len(keys)
        i, n = 0, len(keys)
        while i < n:
            for length in self._lengths.get(keys[i], ()):
                if i + length <= n:
                    label = self.names.get(tuple(keys[i:i + length]))
                    if label is not None:
                        out[i] = "B-" + label
                        for k in range(i + 1, i + length):
                            out[k] = "I-" + label
                        i += length
                        break
            else:
                i += 1
        return out

    def to_list(self) -> list[list]:
        return [[list(k), v] for k, v in sorted(self.names.items())]

    @classmethod
    def from_list(cls, rows: Iterable) -> "NameIndex":
        return cls((tuple(k), v) for k, v in rows)
