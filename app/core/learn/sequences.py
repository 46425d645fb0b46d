"""Documents as the CRF sees them: sentences of tokens with code-point offsets, and BIO tags to and from spans.

Tokens come from the project's token layer (app.core.io.tokens): a pre-tokenized document (CoNLL, Hugging Face)
keeps the corpus' own tokens exactly, so predictions export token for token; any other text is tokenized with the
Arabic-aware tokenizer and each Arabic word then loses its proclitics the way the snapper drops them from a
selection (`والكويت` -> `و` + `الكويت`), so an entity the snapper produced always starts on a token. Training adds a
cut at every entity edge, so the few spans that still fall inside a word map onto whole tokens exactly.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from ..assist.clitics import Snapper
from ..io.tokens import decode_tags, document_sentences, encode_tags, is_pretokenized, parse_tag, \
    spans_to_token_spans
from ..text.tokenize import split_tokens
from ..text.tokenize import Token

Span = tuple[int, int, str]  # (start, end, label) in code points


@dataclass
class Sentence:
    """One sentence: its tokens' offsets and strings (and, for training, their IOB2 tags)."""

    tokens: list[Token]
    words: list[str]
    tags: Optional[list[str]] = None


def _arabic_initial(word: str) -> bool:
    return bool(word) and "\u0600" <= word[0] <= "\u06ff"


class CliticCutter:
    """Where the snapper would cut each word (cached per word: an article repeats its words)."""

    def __init__(self, snapper: Optional[Snapper] = None):
        self.snapper = snapper or Snapper()
        self._cuts: dict[str, int] = {}

    def cut(self, word: str) -> int:
        c = self._cuts.get(word)
        if c is None:
            c = self.snapper.strip(word) if _arabic_initial(word) else 0
            if len(self._cuts) < 200_000:
                self._cuts[word] = c
        return c


def split_clitics(text: str, tokens: Sequence[Token], cutter: CliticCutter) -> list[Token]:
    """Each Arabic word token split after the proclitics the snapper would drop (none if it would drop none)."""
    out: list[Token] = []
    for s, e in tokens:
        cut = cutter.cut(text[s:e])
        if 0 < cut < e - s:
            out += [(s, s + cut), (s + cut, e)]
        else:
            out.append((s, e))
    return out


# A line longer than this many tokens (a paragraph, or a corpus file without blank lines) is cut after its
# sentence-final punctuation, so the CRF sees sentences; offsets and tokens are unchanged.
LONG_SENTENCE = 80
_FINAL = frozenset(".!?؟…")


def _sentence_cuts(text: str, tokens: list[Token]) -> list[list[Token]]:
    if len(tokens) <= LONG_SENTENCE:
        return [tokens]
    out, cur = [], []
    for t in tokens:
        cur.append(t)
        if t[1] - t[0] == 1 and text[t[0]] in _FINAL and len(cur) >= 3:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def document_sentences_for(text: str, meta: Optional[dict], cutter: CliticCutter,
                           spans: Sequence[Span] = ()) -> list[list[Token]]:
    """The sentences of tokens of a document (see the module docstring); `spans` adds cuts at entity edges."""
    cuts = sorted({x for s, e, _ in spans for x in (s, e)})
    if is_pretokenized(meta):
        return [part for sent in document_sentences(text, meta) for part in _sentence_cuts(text, sent)]
    out = []
    for sent in document_sentences(text, meta, cuts):
        toks = split_clitics(text, sent, cutter)
        out += _sentence_cuts(text, split_tokens(toks, cuts) if cuts else toks)
    return out


def labelled_sentences(text: str, meta: Optional[dict], spans: Sequence[Span], cutter: CliticCutter
                       ) -> tuple[list[Sentence], int]:
    """Sentences with IOB2 tags from the entity spans, and how many spans could not be placed exactly (nested
    in another span, or in a pre-tokenized text not on token edges: those are left out, never guessed)."""
    sentences = document_sentences_for(text, meta, cutter, spans)
    flat = [t for s in sentences for t in s]
    placed, problems = spans_to_token_spans(flat, [(s, e, lab, "entity") for s, e, lab in spans], text)
    sent_of: list[int] = []
    for si, s in enumerate(sentences):
        sent_of += [si] * len(s)
    kept = [(i, j, lab) for i, j, lab in placed if sent_of[i] == sent_of[j - 1]]
    tags = encode_tags(len(flat), kept, "iob2")
    out, k = [], 0
    for s in sentences:
        out.append(Sentence(s, [text[a:b] for a, b in s], tags[k:k + len(s)]))
        k += len(s)
    return out, len(problems) + len(placed) - len(kept)


def plain_sentences(text: str, meta: Optional[dict], cutter: CliticCutter) -> list[Sentence]:
    """Sentences to predict on (no tags)."""
    return [Sentence(s, [text[a:b] for a, b in s]) for s in document_sentences_for(text, meta, cutter)]


def tags_to_spans(tokens: Sequence[Token], tags: Sequence[str]) -> list[tuple[int, int, int, int, str]]:
    """(first token, last token + 1, start, end, label) of the entities an IOB2 tag sequence encodes; an entity
    may not begin or end on an empty token (a pre-tokenized corpus can hold one), so such tokens are trimmed."""
    spans, _ = decode_tags([parse_tag(t) for t in tags])
    out = []
    for i, j, label in spans:
        while i < j and tokens[i][0] == tokens[i][1]:
            i += 1
        while j > i and tokens[j - 1][0] == tokens[j - 1][1]:
            j -= 1
        if i < j:
            out.append((i, j, tokens[i][0], tokens[j - 1][1], label))
    return out


def entity_spans(entities: Iterable) -> list[Span]:
    """(start, end, label) of model Entities."""
    return [(e.start, e.end, e.label) for e in entities]
