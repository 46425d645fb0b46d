"""The learning curve: held-out entity F1 against the number of documents learnt from.

It answers "is annotating more still paying off?": the held-out part is the one `tawsim train` measures on (the
same seeded document split), and models are trained on the first 1/N, 2/N ... N/N of the other documents in
document order (the order a team annotates them in), each one measured on the same held-out documents.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from .training import check_enough, collect, evaluate, fit, gazetteer_names, split
from .features import TokenKeys
from ..assist.clitics import Snapper


@dataclass(frozen=True)
class CurvePoint:
    units: int  # documents (or, for a corpus of very few long documents, chunks of sentences) learnt from
    f1: float


def learning_curve(project, annotator: Optional[str] = None, gold: bool = False, points: int = 4, seed: int = 0,
                   params: Optional[dict] = None) -> tuple[str, list[CurvePoint]]:
    """(how the held-out part was chosen, the curve's points in increasing size)."""
    docs = collect(project, annotator, gold)
    check_enough(docs)
    train_units, test_units, how, _ = split(docs, seed)
    extra = gazetteer_names(project, TokenKeys(Snapper()))
    sizes = sorted({max(1, math.ceil(len(train_units) * k / points)) for k in range(1, points + 1)})
    out = []
    for n in sizes:
        crf, index = fit(train_units[:n], extra, params)
        out.append(CurvePoint(n, round(evaluate(crf, index, test_units).micro.f1, 4)))
    return how, out
