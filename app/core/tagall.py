"""Tag all occurrences: after tagging a span, the same name everywhere else (this article or the corpus).

Occurrences are found spelling-insensitively with clitics allowed (app.core.occurrences); text an annotator
already tagged is left alone. Corpus-wide search first narrows the documents in SQL (a translate-based key),
then runs the regex only on those, so 100,000 articles take seconds. The caller shows the count before applying.
"""
from __future__ import annotations

from dataclasses import dataclass

from .occurrences import find_occurrences, untagged
from .store import Project


@dataclass(frozen=True)
class Plan:
    label: str
    spans: tuple[tuple[int, int, int], ...]  # (doc key, start, end) to tag

    @property
    def documents(self) -> int:
        return len({d for d, _, _ in self.spans})

    def rows(self) -> list[tuple[int, int, int, str]]:
        return [(d, s, e, self.label) for d, s, e in self.spans]


def plan_document(project: Project, annotator: str, doc_key: int, surface: str, label: str) -> Plan:
    doc = project.load(doc_key, annotator)
    hits = untagged(find_occurrences(doc.document.text, surface), [(e.start, e.end) for e in doc.entities])
    return Plan(label, tuple((doc_key, s, e) for s, e in hits))


def plan_corpus(project: Project, annotator: str, surface: str, label: str) -> Plan:
    candidates = project.candidate_documents(surface)
    taken = project.entity_spans(annotator, [k for k, _ in candidates])
    spans = []
    for key, text in candidates:
        for s, e in untagged(find_occurrences(text, surface), taken.get(key, ())):
            spans.append((key, s, e))
    return Plan(label, tuple(spans))
