"""The default label set and the rules every label obeys (a "#RRGGBB" colour, a key its kind may use), shared by
the label-file reader (app.core.io.labelfile) and the label editor's store calls."""
from __future__ import annotations

import re
from typing import Optional

from .model import COMMAND_KEYS, ENTITY, QUOTE_KIND, STANCE, AnnotationError, Label

# Colours are chosen to stay distinguishable on white and to keep black label text readable.
DEFAULT_LABELS: tuple[Label, ...] = (
    Label("PER", ENTITY, "شخص", "#f4a261", "1", 0),
    Label("ORG", ENTITY, "منظمة", "#8ecae6", "2", 1),
    Label("LOC", ENTITY, "مكان", "#90be6d", "3", 2),
    Label("GPE", ENTITY, "كيان جغرافي سياسي", "#c3b1e1", "4", 3),
    Label("DATE", ENTITY, "تاريخ", "#ffd166", "5", 4),
    Label("EVENT", ENTITY, "حدث", "#ef8a8a", "6", 5),
    Label("MISC", ENTITY, "متفرقات", "#cfcfcf", "7", 6),
    Label("favor", STANCE, "مؤيد", "#2a9d8f", "f", 0),
    Label("against", STANCE, "معارض", "#e76f51", "a", 1),
    Label("neutral", STANCE, "محايد", "#8d99ae", "n", 2),
    Label("unclear", STANCE, "غير واضح", "#bcbcbc", "u", 3),
    Label("direct", QUOTE_KIND, "مباشر", "#264653", "d", 0),
    Label("indirect", QUOTE_KIND, "غير مباشر", "#6d597a", "i", 1),
)

_PALETTE = ("#f4a261", "#8ecae6", "#90be6d", "#c3b1e1", "#ffd166", "#ef8a8a", "#cfcfcf", "#a3d9b1", "#f7b7d2",
            "#b5c7f2", "#e9c46a", "#9bd1d1")


COLOUR_FORMAT = re.compile(r"#[0-9A-Fa-f]{6}")


def check_colour(colour: object) -> str:
    """Return `colour` if it is #RRGGBB (six hex digits), else raise AnnotationError. The one rule for a label
    colour at every entry point (label files, the label editor, the store): the window puts colours into Qt style
    sheets, where anything else (`url(/etc/passwd)`, `;` and more rules) would be read as style, not colour."""
    if not isinstance(colour, str) or not COLOUR_FORMAT.fullmatch(colour):
        raise AnnotationError(f"a label colour is #RRGGBB (six hex digits, e.g. #f4a261), got {colour!r}")
    return colour


def palette_colour(i: int) -> str:
    return _PALETTE[i % len(_PALETTE)]


def is_colour(value: object) -> bool:
    """Whether `value` is a colour as labels store it: "#RRGGBB", nothing else (it ends up in a style sheet)."""
    return isinstance(value, str) and COLOUR_FORMAT.fullmatch(value) is not None


def key_problem(kind: str, key: str) -> Optional[str]:
    """Why `key` cannot be the shortcut of a label of `kind` (keys are dispatched by their character: digits label
    entities, letters are commands and stances), or None. "" (no key) is always fine."""
    if len(key) > 1 or key.isspace():
        return f"a label key is one character, got {key!r}"
    if key and kind == ENTITY and key not in "123456789":
        return f"an entity label key is a digit 1-9, got {key!r}"
    if key and kind != ENTITY and (key.isdigit() or key.lower() in COMMAND_KEYS):
        return f"key {key!r} is taken by a command ({', '.join(COMMAND_KEYS)}) or is a digit"
    return None


__all__ = ["DEFAULT_LABELS", "check_colour", "is_colour", "key_problem", "palette_colour", "STANCE",
           "QUOTE_KIND"]
