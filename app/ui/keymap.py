"""Shortcut letters that work on an Arabic keyboard layout too.

An annotator typing Arabic has the Arabic layout active: the physical Q key sends ض and the digit row may send
Arabic-Indic digits. Commands are bound to physical positions, so both layouts reach the same command.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtGui import QKeySequence

# Standard Arabic (101) PC layout: Arabic letter -> Latin letter on the same key.
ARABIC_TO_LATIN = {
    "ض": "q", "ص": "w", "ث": "e", "ق": "r", "ف": "t", "غ": "y", "ع": "u", "ه": "i", "خ": "o", "ح": "p",
    "ش": "a", "س": "s", "ي": "d", "ب": "f", "ل": "g", "ا": "h", "ت": "j", "ن": "k", "م": "l",
    "ئ": "z", "ء": "x", "ؤ": "c", "ر": "v", "ى": "n", "ة": "m",
}
ARABIC_INDIC_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}


def command_key(text: str) -> Optional[str]:
    """The layout-independent command key for a typed character: 'q', '1' ... or None."""
    if not text or len(text) != 1:
        return None
    if text in ARABIC_INDIC_DIGITS:
        return ARABIC_INDIC_DIGITS[text]
    if text in ARABIC_TO_LATIN:
        return ARABIC_TO_LATIN[text]
    if text.isascii() and text.isalnum():
        return text.lower()
    return None


def bound_once(keys: list[QKeySequence]) -> list[QKeySequence]:
    """Each key sequence once, in order. On Linux desktops the standard Redo key is Ctrl+Shift+Z: listed twice on
    one action, Qt sees an ambiguous shortcut and runs neither."""
    seen: set[str] = set()
    out = []
    for k in keys:
        if not k.isEmpty() and k.toString() not in seen:
            seen.add(k.toString())
            out.append(k)
    return out
