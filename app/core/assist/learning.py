"""Learning from the annotators of a project: rejected suggestion patterns are not proposed again, and cue words of
accepted quotes that the reporting lexicon lacks are proposed for it.

A rejection is remembered as a pattern, not a position, so one Backspace teaches the whole project: for a quote
the cue word and the word after it ("كشف النقاب"), for an entity its text and label. The patterns live in the
project's settings (one transaction each), so every window and `tawsim suggest` on the project honour them.
"""
from __future__ import annotations

from typing import Sequence

from ..store import Project
from ..text.arabic import normalize
from .reporting import find_cues, rules

SETTING = "assist.rejected_patterns"


def pattern_of(text: str, kind: str, start: int, end: int, cue: tuple[int, int] | None = None,
               label: str = "") -> str:
    """The remembered shape of a proposal: "entity|<text>|<label>" or "quote|<cue> <next word>"."""
    if kind == "entity":
        return f"entity|{normalize(text[start:end])}|{label}"
    cs, ce = cue if cue else (start, start)
    following = text[ce:ce + 40].split()[:1]
    return "quote|" + " ".join([normalize(text[cs:ce])] + [normalize(w.strip("،,:؛.")) for w in following])


def rejected_patterns(project: Project) -> frozenset[str]:
    value = project.setting(SETTING, [])
    return frozenset(value) if isinstance(value, list) else frozenset()


def remember_rejection(project: Project, pattern: str) -> None:
    """Add one pattern (a single committed transaction; nothing else changes)."""
    known = sorted(rejected_patterns(project) | {pattern})
    project.set_setting(SETTING, known)


def proposed_cues(project: Project, min_count: int = 1) -> list[tuple[str, int]]:
    """Cue words annotators used in accepted quotes that the lexicon does not know, most used first."""
    r = rules()
    out: dict[str, int] = {}
    for cue, n in project.annotated_cues():
        if not cue or not cue.strip():
            continue
        key = normalize(cue.strip())
        known = key in r.lemma_of or any(c[3] in r.lemma_of for c in find_cues(cue, r))
        if not known and cue.strip(" :،,"):  # (a colon of a headline quote is no word)
            out[key] = out.get(key, 0) + n
    return sorted(((c, n) for c, n in out.items() if n >= min_count), key=lambda x: (-x[1], x[0]))


def without_rejected(text: str, proposals: Sequence, patterns: frozenset[str]) -> list:
    """The proposals whose pattern was not rejected in the project."""
    if not patterns:
        return list(proposals)
    keep = []
    for p in proposals:
        s = p.proposal
        pat = pattern_of(text, p.kind, s.start, s.end, getattr(s, "cue", None), getattr(s, "label", ""))
        if pat not in patterns:
            keep.append(p)
    return keep
