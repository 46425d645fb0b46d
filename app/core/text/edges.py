"""Moving one edge of a span by a word or a character: how the keyboard resizes a span without deleting it.

Pure functions of the text and code-point offsets. A word is a run of word characters (`offsets.is_word_char`), so
moving by a word steps over the blanks and punctuation between words, and a span never becomes empty.
"""
from __future__ import annotations

from typing import Optional

from .offsets import is_word_char


def _next_word_end(text: str, pos: int) -> int:
    """The end of the word at or after `pos` (skipping blanks and punctuation first)."""
    while pos < len(text) and not is_word_char(text[pos]):
        pos += 1
    while pos < len(text) and is_word_char(text[pos]):
        pos += 1
    return pos


def _prev_word_start(text: str, pos: int) -> int:
    """The start of the word at or before `pos` (skipping blanks and punctuation first)."""
    while pos > 0 and not is_word_char(text[pos - 1]):
        pos -= 1
    while pos > 0 and is_word_char(text[pos - 1]):
        pos -= 1
    return pos


def move_edge(text: str, start: int, end: int, edge: str, step: int, by_char: bool = False
              ) -> Optional[tuple[int, int]]:
    """The span with its `edge` ("start" or "end") moved one word (or one character) forward (step > 0) or back;
    None when that would leave the text or an empty span."""
    if edge not in ("start", "end") or step == 0:
        raise ValueError(f"bad edge move: {edge} {step}")
    if edge == "end":
        if by_char:
            new = end + (1 if step > 0 else -1)
        elif step > 0:
            new = _next_word_end(text, end)
        else:
            # back to the end of the previous word: before the current last word, then over the gap
            new = _prev_word_start(text, end)
            while new > start and not is_word_char(text[new - 1]):
                new -= 1
        ok = start < new <= len(text) and new != end
        return (start, new) if ok else None
    if by_char:
        new = start + (1 if step > 0 else -1)
    elif step > 0:
        new = _next_word_end(text, start)  # past the first word, then to the start of the next one
        while new < end and not is_word_char(text[new]):
            new += 1
    else:
        new = _prev_word_start(text, start)
    ok = 0 <= new < end and new != start
    return (new, end) if ok else None
