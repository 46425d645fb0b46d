"""Entity agreement: one-to-one matching of two annotators' entities (exact matches, then greedy by overlap) and the
precision, recall and F1 of a pair, micro-averaged over documents and per label.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Iterable, Optional, Sequence

from .inputs import Span

_LABEL = itemgetter(2)


# ---- entity spans ----------------------------------------------------------------------------------------------------
def match_overlaps(a: Iterable[Span], b: Iterable[Span]) -> list[tuple[Span, Span]]:
    """One-to-one matching of two annotators' entities: same label and overlapping ranges, greedy by the largest
    overlap (ties: the closer boundaries, then text order). Exact matches come first, which greedy would pick
    anyway: no other partner can overlap either side by more than its whole length."""
    a, b = set(a), set(b)
    exact = a & b
    return sorted((x, x) for x in exact) + _greedy_overlaps(sorted(a - exact), sorted(b - exact))


def _greedy_overlaps(ra: Sequence[Span], rb: Sequence[Span]) -> list[tuple[Span, Span]]:
    if not ra or not rb:
        return []
    by_label: dict[str, list[Span]] = {}
    for y in rb:
        by_label.setdefault(y[2], []).append(y)
    cands = []
    for x in ra:
        xs, xe = x[0], x[1]
        for y in by_label.get(x[2], ()):
            if y[0] < xe and xs < y[1]:
                cands.append((max(xs, y[0]) - min(xe, y[1]), abs(xs - y[0]) + abs(xe - y[1]), x, y))
    if not cands:
        return []
    cands.sort()
    used_a, used_b, out = set(), set(), []
    for _, _, x, y in cands:
        if x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            out.append((x, y))
    return out


@dataclass
class PRF:
    """Matched counts of a pair: tp matches, `a` entities of the reference A, `b` entities of B."""

    tp: int = 0
    a: int = 0
    b: int = 0

    @property
    def precision(self) -> Optional[float]:
        return self.tp / self.b if self.b else None

    @property
    def recall(self) -> Optional[float]:
        return self.tp / self.a if self.a else None

    @property
    def f1(self) -> Optional[float]:
        return 2 * self.tp / (self.a + self.b) if self.a + self.b else None

    def add(self, tp: int, a: int, b: int) -> None:
        self.tp += tp
        self.a += a
        self.b += b

    def to_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class EntityAgreement:
    """Micro-averaged entity agreement of one pair (or of all pairs summed). Per-label figures come from label
    counters updated once per document (a C loop each), not from per-label objects touched per document."""

    exact: PRF = field(default_factory=PRF)
    overlap: PRF = field(default_factory=PRF)
    span: PRF = field(default_factory=PRF)  # exact (start, end) whatever the labels
    labels_a: Counter = field(default_factory=Counter)  # A's entities per label
    labels_b: Counter = field(default_factory=Counter)
    labels_exact: Counter = field(default_factory=Counter)  # exact matches per label
    labels_overlap: Counter = field(default_factory=Counter)  # overlap matches per label, exact ones not included

    @property
    def per_label(self) -> dict[str, tuple[PRF, PRF]]:
        """label -> (exact, overlap) counts, labels in name order."""
        out = {}
        for name in sorted(self.labels_a.keys() | self.labels_b.keys()):
            a, b, ex = self.labels_a[name], self.labels_b[name], self.labels_exact[name]
            out[name] = (PRF(ex, a, b), PRF(ex + self.labels_overlap[name], a, b))
        return out

    def merge(self, other: "EntityAgreement") -> None:
        for mine, theirs in ((self.exact, other.exact), (self.overlap, other.overlap), (self.span, other.span)):
            mine.add(theirs.tp, theirs.a, theirs.b)
        self.labels_a.update(other.labels_a)
        self.labels_b.update(other.labels_b)
        self.labels_exact.update(other.labels_exact)
        self.labels_overlap.update(other.labels_overlap)

    def to_dict(self) -> dict:
        return {"exact": self.exact.to_dict(), "overlap": self.overlap.to_dict(), "span": self.span.to_dict(),
                "per_label": {name: {"exact_f1": ex.f1, "overlap_f1": ov.f1, "support": ex.a + ex.b}
                              for name, (ex, ov) in self.per_label.items()}}


def _add_pair(acc: EntityAgreement, a: frozenset, b: frozenset) -> tuple[int, int]:
    """Add one document's comparison of A and B to `acc`; returns its (exact tp, overlap tp)."""
    na, nb = len(a), len(b)
    acc.labels_a.update(map(_LABEL, a))
    acc.labels_b.update(map(_LABEL, b))
    if na == nb and a == b:  # the common case in a well-run project: nothing else to work out
        acc.exact.add(na, na, nb)
        acc.overlap.add(na, na, nb)
        ns = len({x[:2] for x in a})  # fewer than na where one span carries two labels
        acc.span.add(ns, ns, ns)
        acc.labels_exact.update(map(_LABEL, a))
        return na, na
    exact = a & b
    tp = len(exact)
    matched = _greedy_overlaps(sorted(a - exact), sorted(b - exact)) if tp < min(na, nb) else ()
    acc.exact.add(tp, na, nb)
    acc.overlap.add(tp + len(matched), na, nb)
    sa, sb = {x[:2] for x in a}, {y[:2] for y in b}
    acc.span.add(len(sa & sb), len(sa), len(sb))
    acc.labels_exact.update(map(_LABEL, exact))
    if matched:
        acc.labels_overlap.update(x[2] for x, _ in matched)
    return tp, tp + len(matched)


def entity_agreement(a: Iterable[Span], b: Iterable[Span]) -> EntityAgreement:
    """Entity agreement of two annotators on one document (A the reference)."""
    acc = EntityAgreement()
    _add_pair(acc, frozenset(a), frozenset(b))
    return acc
