"""The token/offset layer every token-based format shares (CoNLL, Hugging Face, Prodigy tokens, spaCy).

A document's tokens come from one of two places:

* **pre-tokenized** documents (read from CoNLL or Hugging Face files, `meta["tokenization"] == "whitespace"`):
  the text was built by joining the corpus' tokens with single spaces and its sentences with single newlines, so
  splitting on exactly U+0020 and U+000A gives the corpus' tokens back, character for character (direction
  marks, NBSP and every other character included; an empty token comes back as an empty token);
* every other document: `app.core.text.tokenize.tokenize_with_cuts(text, span boundaries)`, the Arabic-aware tokenizer,
  with a token split wherever an entity starts or ends inside it, so every entity maps onto whole tokens exactly.

Tags: `decode_tags` reads IOB1, IOB2 and BIOES (and BILOU's L-/U-) alike; `encode_tags` writes IOB2 or BIOES.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Iterable, Optional, Sequence

from ..text.tokenize import Token, tokenize_with_cuts

TOKENIZATION_KEY = "tokenization"
WHITESPACE = "whitespace"
SCHEMES = ("iob2", "bioes")

# Prefix letters read (L/U are BILOU's names for E/S); the label follows a "-".
_PREFIXES = {"B": "B", "I": "I", "E": "E", "S": "S", "L": "E", "U": "S"}


class TagError(ValueError):
    """A tag that is not O or PREFIX-LABEL."""


def is_pretokenized(meta: Optional[dict]) -> bool:
    return bool(meta) and meta.get(TOKENIZATION_KEY) == WHITESPACE


def whitespace_sentences(text: str) -> list[list[Token]]:
    """Sentences (lines) of tokens of a pre-tokenized text: split on exactly "\\n", then on exactly " "."""
    out: list[list[Token]] = []
    pos = 0
    for line in text.split("\n"):
        toks: list[Token] = []
        p = pos
        for tok in line.split(" "):
            toks.append((p, p + len(tok)))
            p += len(tok) + 1
        out.append(toks)
        pos += len(line) + 1
    return out


def join_tokens(sentences: Sequence[Sequence[str]]) -> tuple[str, list[list[int]]]:
    """The text of whitespace-joined tokens (single spaces, one sentence a line) and each token's start offset:
    the inverse of whitespace_sentences, shared by the token-per-line readers (CoNLL, Hugging Face)."""
    pieces: list[str] = []
    starts: list[list[int]] = []
    pos = 0
    for si, sent in enumerate(sentences):
        if si:
            pieces.append("\n")
            pos += 1
        row = []
        for ti, token in enumerate(sent):
            if ti:
                pieces.append(" ")
                pos += 1
            row.append(pos)
            pieces.append(token)
            pos += len(token)
        starts.append(row)
    return "".join(pieces), starts


def document_sentences(text: str, meta: Optional[dict], cuts: Iterable[int] = ()) -> list[list[Token]]:
    """The document's tokens grouped by sentence (one text line is one sentence); see the module docstring."""
    if is_pretokenized(meta):
        return whitespace_sentences(text)
    toks = tokenize_with_cuts(text, cuts)
    out: list[list[Token]] = []
    line_start, cur = 0, []
    nl = text.find("\n")
    for s, e in toks:
        if nl != -1 and s > nl:
            if cur:
                out.append(cur)
                cur = []
            while nl != -1 and s > nl:
                line_start = nl + 1
                nl = text.find("\n", line_start)
        cur.append((s, e))
    if cur:
        out.append(cur)
    return out


def parse_tag(tag: str) -> tuple[str, Optional[str]]:
    """("O", None) or (one of B I E S, label). L-/U- read as E-/S-. Raises TagError."""
    if tag == "O":
        return "O", None
    if len(tag) > 2 and tag[1] == "-" and tag[0] in _PREFIXES:
        label = tag[2:]
        if label.strip() == label and not any(c.isspace() for c in label):
            return _PREFIXES[tag[0]], label
    raise TagError(f"tag {tag!r} is not O or B-/I-/E-/S- followed by a label (IOB1, IOB2, BIOES)")


def decode_tags(tags: Sequence[tuple[str, Optional[str]]]) -> tuple[list[tuple[int, int, str]], list[int]]:
    """Spans (first token, last token + 1, label) of one sentence's parsed tags, and the indices of the tokens
    where an I- (or E-) tag had to open an entity because no B- of its label came before it.

    One reading serves IOB1, IOB2 and BIOES: B- and S- always open an entity; I- continues an open entity of the
    same label and otherwise opens one (IOB1's rule, and the documented repair of an I- with no B-); E- closes the
    entity it continues (or is a one-token entity of its own); O closes whatever is open.
    """
    spans: list[tuple[int, int, str]] = []
    repaired: list[int] = []
    cur_label: Optional[str] = None
    cur_start = 0
    for i, (prefix, label) in enumerate(tags):
        if prefix == "O":
            if cur_label is not None:
                spans.append((cur_start, i, cur_label))
                cur_label = None
            continue
        if prefix in ("B", "S") or label != cur_label:
            if cur_label is not None:
                spans.append((cur_start, i, cur_label))
            if prefix in ("I", "E"):
                repaired.append(i)
            cur_label, cur_start = label, i
        if prefix in ("S", "E"):
            spans.append((cur_start, i + 1, label))  # type: ignore[arg-type]
            cur_label = None
    if cur_label is not None:
        spans.append((cur_start, len(tags), cur_label))
    return spans, repaired


def encode_tags(n: int, spans: Iterable[tuple[int, int, str]], scheme: str = "iob2") -> list[str]:
    """Tags for n tokens from non-overlapping token spans (first, last + 1, label), in IOB2 or BIOES."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tag scheme {scheme!r} (one of {', '.join(SCHEMES)})")
    tags = ["O"] * n
    bioes = scheme == "bioes"
    for i, j, label in spans:
        if bioes and j - i == 1:
            tags[i] = f"S-{label}"
            continue
        tags[i] = f"B-{label}"
        inside = f"I-{label}"
        for k in range(i + 1, j):
            tags[k] = inside
        if bioes:
            tags[j - 1] = f"E-{label}"
    return tags


class TokenIndex:
    """Maps character spans onto a document's tokens (flat, in order)."""

    def __init__(self, tokens: Sequence[Token]):
        self.tokens = tokens
        self.starts = [s for s, _ in tokens]
        self.ends = [e for _, e in tokens]

    def cover(self, start: int, end: int) -> Optional[tuple[int, int, bool]]:
        """(first token, last token + 1, exact) of the non-empty tokens overlapping [start, end); exact when the
        span begins at the first token's start and ends at the last token's end. None if no token overlaps."""
        i = bisect_right(self.ends, start)  # first token ending after start
        j = bisect_left(self.starts, end)  # tokens from j on start at or after end
        while i < j and self.starts[i] == self.ends[i]:
            i += 1  # an empty token cannot begin a span
        while j > i and self.starts[j - 1] == self.ends[j - 1]:
            j -= 1
        if i >= j:
            return None
        return i, j, self.starts[i] == start and self.ends[j - 1] == end


def spans_to_token_spans(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str, str]], text: str
                         ) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Map (start, end, label, name) character spans to non-overlapping token spans for BIO tagging.

    Returns the token spans (first, last + 1, label) and a problem message for every span that could not be
    written exactly: no token inside it, edges inside tokens or on white space (written as the tokens it
    touches), or overlapping an earlier, longer span (dropped: BIO cannot nest).
    """
    index = TokenIndex(tokens)
    problems: list[str] = []
    placed: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping token ranges already used
    for start, end, label, name in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        c = index.cover(start, end)
        if c is None:
            problems.append(f"{name} [{start}, {end}) {text[start:end]!r}: no token inside it; not written")
            continue
        i, j, exact = c
        k = bisect_right(taken, (i, float("inf")))
        if (k > 0 and taken[k - 1][1] > i) or (k < len(taken) and taken[k][0] < j):
            problems.append(f"{name} [{start}, {end}) {text[start:end]!r} overlaps another entity; not written "
                            f"(BIO tags cannot nest)")
            continue
        if not exact:
            s, e = tokens[i][0], tokens[j - 1][1]
            problems.append(f"{name} [{start}, {end}) {text[start:end]!r} does not begin and end on token "
                            f"boundaries; written as the tokens [{s}, {e}) {text[s:e]!r}")
        taken.insert(k, (i, j))
        placed.append((i, j, label))
    return placed, problems
