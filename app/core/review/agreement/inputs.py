"""What agreement reads: one annotator's set as plain rows (SetRows) and one document's sets (DocAnnotations),
streamed from the store in one ordered read (read_project) or adapted from model objects (from_annotation_sets).

The rest of app.core.agreement works on these alone: no text, no SQL, no model objects.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple, Optional, Sequence

from ...model import GOLD, AnnotationSet

if TYPE_CHECKING:
    from ...store import Project


# ---- inputs ---------------------------------------------------------------------------------------------------------
Span = tuple[int, int, str]  # (start, end, label)


class SetRows(NamedTuple):
    """What agreement needs of one annotator's set: no text, no ids beyond quote ids (stances point at them)."""

    entities: frozenset  # of (start, end, label)
    quotes: Sequence[tuple[str, int, int, str]]  # (id, start, end, speaker_text)
    stances: Sequence[tuple[str, str, str]]  # (label, target_text, scope: "document" or a quote id)


class DocAnnotations(NamedTuple):
    key: int
    id: str
    sets: dict[str, SetRows]  # annotator name -> rows


def read_project(project: "Project", statuses: Optional[Sequence[str]] = None,
                 include_machines: bool = False) -> Iterator[DocAnnotations]:
    """Every document with at least two (non-gold) annotators, streamed from one ordered read of the store; a
    model's sets (machine annotators) only if asked."""
    for key, doc_id, sets in project.iter_agreement_rows(statuses=statuses, min_annotators=2,
                                                         include_machines=include_machines):
        yield DocAnnotations(key, doc_id, {ann: SetRows(ents, quotes, stances) for ann, ents, quotes, stances in sets})


def from_annotation_sets(sets: Iterable[AnnotationSet]) -> list[DocAnnotations]:
    """The same input built from model objects (tests, or a GUI holding sets already): gold and documents with
    fewer than two annotators are left out."""
    by_doc: dict[int, tuple[str, dict[str, SetRows]]] = {}
    for s in sets:
        if not s.annotator or s.annotator == GOLD:
            continue
        rows = SetRows(frozenset((e.start, e.end, e.label) for e in s.entities),
                       [(q.id, q.start, q.end, q.speaker_text) for q in s.quotes],
                       [(st.label, st.target_text, st.scope) for st in s.stances])
        by_doc.setdefault(s.document.key, (s.document.id, {}))[1][s.annotator] = rows
    return [DocAnnotations(k, i, dict(sorted(sets_.items()))) for k, (i, sets_) in sorted(by_doc.items())
            if len(sets_) >= 2]
