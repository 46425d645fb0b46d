"""Entity-level precision, recall and F1 with exact spans, seqeval's definition (CoNLL-2003's conlleval).

An entity counts as found only when a predicted span has exactly the reference's start, end and label; micro
figures pool every label. Spans are (unit, start, end, label) so one score can cover many documents or sentences
(unit = a document key, a sentence number...). P, R and F1 of an empty side are 0, never NaN.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Hashable, Iterable

ScoredSpan = tuple[Hashable, int, int, str]


@dataclass(frozen=True)
class PRF:
    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "support": self.n_gold, "predicted": self.n_pred}


@dataclass
class EntityScore:
    micro: PRF
    per_label: dict[str, PRF] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"micro": self.micro.to_dict(), "per_label": {k: v.to_dict() for k, v in self.per_label.items()}}

    def lines(self) -> list[str]:
        """A small table: label, precision, recall, F1, support."""
        out = [f"  {'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}"]
        for name, prf in list(self.per_label.items()) + [("micro", self.micro)]:
            out.append(f"  {name:<10} {prf.precision:6.3f} {prf.recall:6.3f} {prf.f1:6.3f} {prf.n_gold:8d}")
        return out


def score_spans(gold: Iterable[ScoredSpan], predicted: Iterable[ScoredSpan]) -> EntityScore:
    """Exact-span scores of `predicted` against `gold` (duplicates count once, as sets)."""
    g, p = set(gold), set(predicted)
    tp = g & p
    by = lambda spans: Counter(s[3] for s in spans)  # noqa: E731
    gl, pl, tl = by(g), by(p), by(tp)
    labels = sorted(set(gl) | set(pl))
    return EntityScore(PRF(len(tp), len(p), len(g)), {lab: PRF(tl[lab], pl[lab], gl[lab]) for lab in labels})
