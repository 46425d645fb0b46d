"""Word lists as features (resources/arabic/ner_lexicon.json): places, nationalities, first names, words that open
an organisation's name, titles before a person's name.

Published Arabic CRF NER (ANERsys: ANERgazet and its trigger words) gains most on news from such lists, because a
project's first annotations name few of the places and people its next articles will mention. Membership is only a
feature (`lx=place`, and the neighbours' `-1lx=person_title` ...): how far to trust it is learnt from the project's
annotations, so a list that is wrong for a corpus costs little. Entries are keyed like the gazetteer (the bare
stem of each token: normalised, proclitics and the article dropped), matched longest first; a nationality also
matches its feminine and plural forms (-ة, -ون, -ين). A missing or damaged file gives no lexicon features.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from .gazetteer import NameIndex

LEXICON_FILE = Path(__file__).resolve().parents[3] / "resources" / "arabic" / "ner_lexicon.json"
_NISBA_FORMS = ("", "ة", "ون", "ين")


def _tokens(entry: str) -> list[str]:
    return [w for w in entry.split() if w]


@lru_cache(maxsize=4)
def _lexicon_entries(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    if not isinstance(data, dict):
        return ()
    out = []
    for cls, entries in data.items():
        if cls.startswith("_") or not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, str) and entry.strip():
                out.append((cls, tuple(_tokens(entry))))
    return tuple(out)


def lexicon_index(bare_key: Callable[[str], str], path: Path = LEXICON_FILE) -> NameIndex:
    """The lists as a NameIndex over bare stems (label = the list's name)."""
    names = []
    for cls, words in _lexicon_entries(path):
        key = tuple(bare_key(w) for w in words)
        if cls == "nationality" and len(key) == 1:
            names += [((key[0] + form,), cls) for form in _NISBA_FORMS]
        else:
            names.append((key, cls))
    return NameIndex(names)


def lexicon_tags(index: NameIndex, bare: Sequence[str]) -> list[str]:
    """The list each token of a sentence belongs to ("" for none); B-/I- dropped (names here are mostly short)."""
    return [t[2:] if t else "" for t in index.tag(bare)]
