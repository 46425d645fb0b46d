"""The one rule for an annotator name, applied wherever a name enters a project: import (--annotator and the
records' own "annotator"), bundles (writing and merging), the window's name dialog and the store itself.

Why a rule: a name decides whose work a set is. "gold" is the adjudicated set, written only by adjudication; a
name that merely *looks* like another one (" Gold", "g\u200bold", a Cyrillic "о") would let an import or a
bundle pass itself off as it, or as a colleague. Invisible and control characters also reach terminals and
dialogs, where they can rewrite what a person reads. So a name is refused, never silently cleaned: a cleaned name
would differ from the one the person typed or the file holds.
"""
from __future__ import annotations

import unicodedata

from .model import GOLD, AnnotationError

# Unicode categories no name needs: controls (C0, DEL, C1), format characters (bidi embeddings/overrides/
# isolates, zero-width spaces and joiners, the BOM), surrogates, and line/paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}

# Letters that render like the letters of "gold" after NFKC and casefolding (Unicode's confusables for g, o, l,
# d, plus capital I, which casefolds to "i" and looks like "l" in most fonts).
_LOOKALIKES = str.maketrans({
    "ɡ": "g", "ց": "g", "ǥ": "g",
    "о": "o", "ο": "o", "օ": "o", "ᴏ": "o", "σ": "o", "0": "o", "ө": "o",
    "i": "l", "ı": "l", "ӏ": "l", "1": "l", "|": "l", "ǀ": "l", "ι": "l", "ⅼ": "l",
    "ԁ": "d", "ɗ": "d", "ժ": "d",
})


class AnnotatorNameError(AnnotationError):
    """An annotator name that may not be used; str() says why, with the name escaped."""


def folded(name: str) -> str:
    """What a name looks like, for comparing look-alikes: NFKC (full-width and styled letters become plain),
    casefolded, look-alike letters mapped to the Latin ones."""
    return unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKES)


def is_gold_lookalike(name: str) -> bool:
    visible = "".join(c for c in name if unicodedata.category(c) not in _REFUSED_CATEGORIES and not c.isspace())
    return folded(visible) == GOLD


def check_annotator_name(name: object) -> str:
    """Return `name` unchanged if a person may annotate under it; raise AnnotatorNameError saying why not.

    Refused: a non-string or empty name, leading or trailing white space, control, format (bidi, zero-width) and
    separator characters anywhere, and "gold" or anything that looks like it (case, NFKC, look-alike letters)."""
    if not isinstance(name, str):
        raise AnnotatorNameError(f"an annotator name must be text, got {name!r}")
    if not name.strip():
        raise AnnotatorNameError("the annotator name is empty")
    if is_gold_lookalike(name):
        raise AnnotatorNameError(f"annotator name {name!r} is reserved: it is or looks like {GOLD!r}, the "
                                 f"adjudicated set, which only adjudication (Review → Adjudicate…) writes")
    bad = next((c for c in name if unicodedata.category(c) in _REFUSED_CATEGORIES), None)
    if bad is not None:
        raise AnnotatorNameError(f"annotator name {name!r} contains an invisible or control character "
                                 f"(U+{ord(bad):04X} {unicodedata.name(bad, 'CONTROL')})")
    if name != name.strip():
        raise AnnotatorNameError(f"annotator name {name!r} starts or ends with white space")
    return name
