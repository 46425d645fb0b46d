"""Clitic-aware snapping: "والكويت" -> "الكويت", "وبروكسل" -> "بروكسل", "للحوثيين" -> "حوثيين", "للندن" -> "لندن".

Arabic attaches conjunctions and prepositions (و ف ب ل ك and their combinations) to the next word; the entity is
the word without them. The rules are data (resources/arabic/clitics.json). A prefix is only stripped when the
rest is clearly a word of its own: it starts with the article ال, or it is known from the lexicon, the project's
gazetteer or the document's own vocabulary; so "وزير" (a root و) is never cut. The hard case لل is decided by
what is known: ل + ال (alef dropped) unless ل + a known ل-initial word (لندن، لبنان).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..text.arabic import normalize
from ..text.offsets import is_word_char, snap_to_words

RULES_PATH = Path(__file__).resolve().parents[3] / "resources" / "arabic" / "clitics.json"
_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3\u0640\u064B-\u065F\u0670]+")


@dataclass(frozen=True)
class CliticRules:
    prefixes: tuple[str, ...]
    lam_lam: tuple[str, ...]
    min_rest: int
    lexicon: frozenset[str]
    whole_words: frozenset[str] = frozenset()
    min_after_article: int = 3
    hamza_after: tuple[str, ...] = ()
    pairs: tuple[str, ...] = ()  # two-character strings: opener, closer (the same for ")

    @classmethod
    def load(cls, path: Path = RULES_PATH) -> "CliticRules":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(sorted(data["prefixes"], key=len, reverse=True)),
                   tuple(sorted(data["lam_lam_prefixes"], key=len, reverse=True)),
                   int(data.get("min_rest", 2)), frozenset(normalize(w) for w in data["lexicon"]),
                   frozenset(normalize(w) for w in data.get("whole_words", ())),
                   int(data.get("min_after_article", 3)), tuple(data.get("hamza_after", ())),
                   tuple(data.get("pairs", ())))


@lru_cache(maxsize=1)
def default_rules() -> CliticRules:
    return CliticRules.load()


def _unmatched(span: str, opener: str, closer: str) -> tuple[Optional[int], Optional[int]]:
    """Index of the first unmatched closer and of the last unmatched opener in `span` (None if there is none)."""
    if opener == closer:
        at = [i for i, c in enumerate(span) if c == opener]
        return (None, at[-1]) if len(at) % 2 else (None, None)
    open_at: list[int] = []
    first_closer = None
    for i, c in enumerate(span):
        if c == opener:
            open_at.append(i)
        elif c == closer:
            if open_at:
                open_at.pop()
            elif first_closer is None:
                first_closer = i
    return first_closer, (open_at[-1] if open_at else None)


def _needed(text: str, s: int, e: int, pos: int, pairs: Iterable[str]) -> bool:
    """Whether the mark at `pos` (the first or last character of text[s:e]) pairs with a mark inside the span, so
    trimming it would leave half a pair."""
    c = text[pos]
    for opener, closer in (p[:2] for p in pairs):
        if c not in (opener, closer):
            continue
        rest = text[s + 1:e] if pos == s else text[s:e - 1]
        first_closer, last_opener = _unmatched(rest, opener, closer)
        if opener == closer:
            return last_opener is not None
        return (first_closer is not None) if pos == s and c == opener else (pos != s and c == closer
                                                                              and last_opener is not None)
    return False


def _trim(text: str, s: int, e: int, pairs: Iterable[str]) -> tuple[int, int]:
    """Drop blanks and punctuation at both ends, except a mark that pairs with one inside."""
    while s < e and not is_word_char(text[s]) and not _needed(text, s, e, s, pairs):
        s += 1
    while e > s and not is_word_char(text[e - 1]) and not _needed(text, s, e, e - 1, pairs):
        e -= 1
    return s, e


def balance(text: str, start: int, end: int, pairs: Iterable[str]) -> tuple[int, int]:
    """A span never keeps half of a bracket or quotation-mark pair: "حلف شمال الأطلسي (الناتو" takes the ")" that
    follows at once, else stops before the "("; an unmatched ")" takes the "(" just before the span, else the span
    starts after it. A mark that is its own pair (") is unmatched when it occurs an odd number of times."""
    pairs = tuple(pairs)
    for _ in range(8):  # each pass grows by one mark or shrinks; a few passes settle nested cases
        before = (start, end)
        for pair in pairs:
            opener, closer = pair[0], pair[1]
            first_closer, last_opener = _unmatched(text[start:end], opener, closer)
            if last_opener is not None:
                if end < len(text) and text[end] == closer:
                    end += 1
                else:
                    end = start + last_opener
            if first_closer is not None:
                if start > 0 and text[start - 1] == opener:
                    start -= 1
                else:
                    start = start + first_closer + 1
        start, end = _trim(text, start, end, pairs)
        if (start, end) == before:
            break
    return start, end


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """The normalised Arabic words of some texts: the corpus' own evidence of which words exist."""
    return frozenset(normalize(m.group()) for t in texts for m in _WORD.finditer(t))


@dataclass
class Snapper:
    """Snaps selections with the rules plus what is known (lexicon, gazetteer, the document's vocabulary)."""

    rules: CliticRules = field(default_factory=default_rules)
    known: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()  # normalised names of several words the project knows (gazetteer)

    def is_known(self, word: str) -> bool:
        """In the lexicon, or (for words of 3+ letters, so "لي" or "ما" never count) in the known vocabulary."""
        k = normalize(word)
        return k in self.rules.lexicon or (len(k) >= 3 and k in self.known)

    def strip(self, word: str, rest_of_selection: str = "") -> int:
        """How many leading characters of `word` are proclitics (0 if none can be stripped safely).
        `rest_of_selection`: the selected words after this one (a known name of several words may follow)."""
        if normalize(word) in self.rules.whole_words:
            return 0
        for p in self.rules.lam_lam:
            if word.startswith(p) and len(word) - len(p) >= self.rules.min_rest:
                rest = word[len(p):]
                # ل + a word that starts with ل (للندن) if that word is known; else ل + ال (للحوثيين).
                if self.is_known("ل" + rest):
                    return len(p) - 1
                return len(p)
        for p in self.rules.prefixes:
            if not word.startswith(p) or len(word) - len(p) < self.rules.min_rest:
                continue
            rest = word[len(p):]
            if rest.startswith("ال") and len(normalize(rest)) - 2 >= self.rules.min_after_article:
                return len(p)
            if self.is_known(rest) or (rest_of_selection and normalize(rest + rest_of_selection) in self.names):
                return len(p)
            if p in ("و", "ف") and (rest[:1] in self.rules.hamza_after or rest.startswith("و")) and len(rest) >= 3:
                return len(p)  # وإيران، فأوروبا، ووزارة: no word starts like that, so the first letter is و
        return 0

    def snap(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Whole words, then the proclitics of the first word dropped (when that leaves a word)."""
        start, end = snap_to_words(text, start, end)
        if start >= end:
            return start, end
        word_end = start
        while word_end < end and is_word_char(text[word_end]):
            word_end += 1
        cut = self.strip(text[start:word_end], text[word_end:end])
        if cut and start + cut < end:
            start += cut
        return balance(text, start, end, self.rules.pairs)


def snap(text: str, start: int, end: int, known: Optional[Iterable[str]] = None) -> tuple[int, int]:
    """Snap with the default rules; `known` adds words (e.g. the document's vocabulary)."""
    return Snapper(known=frozenset(normalize(w) for w in known) if known else frozenset()).snap(text, start, end)
