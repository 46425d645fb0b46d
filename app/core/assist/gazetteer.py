"""The project's gazetteer: known names with their labels, for pre-annotation suggestions.

It is built from what annotators accepted (every saved entity span, any annotator, and gold; in a blind project
only the annotator's own and gold's) plus entries
imported from a file (`text<TAB>label` a line). Opening an article proposes every match that is not tagged yet;
nothing becomes an annotation until the annotator accepts it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

from ..text.arabic import search_key
from ..io.source import SourceError, iter_lines
from ..model import ENTITY, GOLD, Entity
from .occurrences import find_occurrences
from ..store import Project


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    label: str
    text: str


def import_gazetteer(project: Project, path: str | Path) -> int:
    """Add `text<TAB>label` lines (one transaction; FILE:LINE on a bad line). Returns how many were new."""
    labels = project.label_names(ENTITY)
    rows = []
    for n, line in iter_lines(path):  # bounded lines: a huge one is refused without being read whole
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise SourceError(path, n, "expected `text<TAB>label`")
        text, label = parts[0].strip(), parts[1].strip()
        if label not in labels:
            raise SourceError(path, n, f"unknown entity label {label!r} (the project has {', '.join(sorted(labels))})")
        rows.append((text, label))
    if not rows:
        raise SourceError(path, None, "no entries")
    return project.add_gazetteer_entries(rows, "file")


def entries(project: Project, viewer: Optional[str] = None) -> list[tuple[str, str]]:
    """(text, label) of every known name: imported ones and every annotated entity text; longest first.

    For a `viewer` the project keeps blind, only their own names and gold's: names tagged by another annotator
    would put that annotator's choices in front of them (Enter copies them, and agreement is inflated)."""
    blind_to_others = viewer is not None and not project.can_see_others(viewer)
    names = project.annotated_names([viewer, GOLD] if blind_to_others else None)
    found = set(project.gazetteer_entries()) | set(names)
    return sorted(found, key=lambda x: (-len(x[0]), x))


def matches(text: str, known: Sequence[tuple[str, str]], tagged: Iterable[Entity] = ()) -> list[Match]:
    """Untagged occurrences of known names, longest names first and never overlapping each other."""
    # Covered characters as a byte mask: an overlap test is one C-speed find, whatever the number of spans taken
    # (re-sorting every span taken so far for each name made a long article take seconds).
    covered = bytearray(len(text))
    for e in tagged:
        covered[e.start:e.end] = b"\x01" * (e.end - e.start)
    key = search_key(text)
    out: list[Match] = []
    for name, label in known:
        if search_key(name) not in key:  # C-speed prefilter: most names are not in this article
            continue
        for s, e in find_occurrences(text, name):
            if covered.find(1, s, e) < 0:
                out.append(Match(s, e, label, text[s:e]))
                covered[s:e] = b"\x01" * (e - s)
    return sorted(out, key=lambda m: m.start)
