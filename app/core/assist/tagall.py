"""Tag all occurrences: after tagging a span, the same name everywhere else (this article or the corpus).

Occurrences are found spelling-insensitively with clitics allowed (app.core.assist.occurrences); text an annotator
already tagged is left alone. The corpus-wide search is one pass of a compiled regex over the stored texts, so
100,000 articles take about a second. The caller shows the count before applying.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .occurrences import find_occurrences, untagged
from ..store import Project


@dataclass(frozen=True)
class Plan:
    label: str
    spans: tuple[tuple[int, int, int], ...]  # (doc key, start, end) to tag
    lengths: dict = field(default_factory=dict)  # doc key -> text length, as read while planning

    @property
    def documents(self) -> int:
        return len({d for d, _, _ in self.spans})

    def rows(self) -> list[tuple[int, int, int, str]]:
        return [(d, s, e, self.label) for d, s, e in self.spans]


def plan_document(project: Project, annotator: str, doc_key: int, surface: str, label: str) -> Plan:
    doc = project.load(doc_key, annotator)
    hits = untagged(find_occurrences(doc.document.text, surface), [(e.start, e.end) for e in doc.entities])
    return Plan(label, tuple((doc_key, s, e) for s, e in hits), {doc_key: len(doc.document.text)})


def plan_corpus(project: Project, annotator: str, surface: str, label: str) -> Plan:
    """Every untagged occurrence in the corpus: one regex pass over the stored texts (the search runs in the
    regex engine), then the annotator's existing spans of only the documents that matched."""
    hits, lengths = {}, {}
    for key, text in project.iter_texts():
        found = find_occurrences(text, surface)
        if found:
            hits[key] = found
            lengths[key] = len(text)
    taken = project.entity_spans(annotator, list(hits))
    spans = tuple((key, s, e) for key, found in hits.items() for s, e in untagged(found, taken.get(key, ())))
    return Plan(label, spans, lengths)
