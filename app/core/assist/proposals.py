"""What the window proposes for one article: quote suggestions and gazetteer entity matches, given the
annotator's current annotations.

One function decides it, so the annotation window (app/ui/assist.py) and `tawsim suggest` (batch pre-annotation,
measuring the assistance from outside) can never disagree about what is suggested.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence, Union

from ..model import Entity, Quote
from ..store import Project
from .gazetteer import Match, entries, matches
from .learning import without_rejected
from .suggest import Suggestion, suggest_quotes

QUOTES, ENTITIES = "quotes", "entities"
KINDS = (QUOTES, ENTITIES)


@dataclass(frozen=True)
class Proposal:
    kind: str  # "quote" or "entity"
    proposal: Union[Suggestion, Match]

    @property
    def span(self) -> tuple[int, int]:
        return self.proposal.start, self.proposal.end

    @property
    def key(self) -> tuple:
        p = self.proposal
        return (self.kind, p.start, p.end, getattr(p, "label", ""))


def known_names(project: Project, entities: Iterable[Entity] = ()) -> list[tuple[str, str]]:
    """Gazetteer entries plus every name already tagged in this article; longest first."""
    found = set(entries(project)) | {(e.text, e.label) for e in entities}
    return sorted(found, key=lambda x: (-len(x[0]), x))


def propose(text: str, entities: Sequence[Entity], quotes: Sequence[Quote], known: Sequence[tuple[str, str]],
            kinds: Sequence[str] = KINDS, rejected: Optional[set] = None,
            patterns: frozenset = frozenset()) -> list[Proposal]:
    """Proposals in text order: quotes that overlap no existing quote, untagged known names; none rejected here
    (`rejected`: keys) nor of a pattern rejected in the project (`patterns`, see learning.py)."""
    out: list[Proposal] = []
    if QUOTES in kinds:
        spans = [(q.start, q.end) for q in quotes]
        out += [Proposal("quote", s) for s in suggest_quotes(text, entities)
                if not any(a < s.end and s.start < b for a, b in spans)]
    if ENTITIES in kinds:
        out += [Proposal("entity", m) for m in matches(text, known, entities)]
    rejected = rejected or set()
    out = without_rejected(text, [p for p in out if p.key not in rejected], patterns)
    return sorted(out, key=lambda p: (p.span, p.kind))
