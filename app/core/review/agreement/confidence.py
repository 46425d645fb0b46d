"""How far an agreement figure can be trusted: how many items it rests on, a warning below a minimum, and a 95%
confidence interval from a bootstrap over documents.

Documents, not items, are resampled: the entities and quotes of one article are not independent (one annotator's
reading of one article drives them all), so resampling items would give intervals that are too narrow. The
bootstrap is seeded (the same project gives the same interval every time) and vectorised: each replicate is a
vector of how often each document was drawn, and every statistic here is a ratio of weighted sums, so a replicate
costs a few numpy sums instead of recomputing the report.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Hashable, Mapping, Optional, Sequence

import numpy as np

MIN_ITEMS = 10  # below this a kappa, alpha or F1 is an anecdote, not a figure (kappa from one item is 0/0 or ±1)
REPLICATES = 1000
LEVEL = 0.95
SEED = 0


@dataclass(frozen=True)
class Interval:
    """A figure's support and its bootstrap interval (None when too few documents or no defined replicate)."""

    items: int  # what the figure rests on: entities compared, units coded by two or more
    documents: int
    low: Optional[float]
    high: Optional[float]

    @property
    def reliable(self) -> bool:
        return self.items >= MIN_ITEMS

    @property
    def warning(self) -> str:
        if self.reliable:
            return ""
        return f"rests on {self.items} item(s), fewer than {MIN_ITEMS}: not a figure to rely on"

    def to_dict(self) -> dict:
        return {"items": self.items, "documents": self.documents, "ci95": [self.low, self.high],
                "warning": self.warning or None}

    def text(self) -> str:
        ci = "" if self.low is None else f" 95% CI [{self.low:.3f}, {self.high:.3f}]"
        return f"{self.items} item(s), {self.documents} doc(s){ci}" + (f"  WARNING: {self.warning}"
                                                                        if self.warning else "")


def _weights(n_docs: int, seed: int, replicates: int):
    """Replicates of document draw counts (how often each of n_docs documents is drawn in a resample of n_docs),
    in chunks to bound memory: each chunk a (k, n_docs) array."""
    rng = np.random.default_rng(seed)
    left = replicates
    while left > 0:
        k = min(left, max(1, 2_000_000 // max(n_docs, 1)))
        draws = rng.integers(0, n_docs, size=(k, n_docs)) + np.arange(k)[:, None] * n_docs
        yield np.bincount(draws.ravel(), minlength=k * n_docs).reshape(k, n_docs).astype(float)
        left -= k


class _Grouping:
    """Columns grouped by category, worked out once: sums per category are then one reduceat per replicate chunk."""

    def __init__(self, cats: np.ndarray, n_cats: int):
        self.order = np.argsort(cats, kind="stable")
        sorted_cats = cats[self.order]
        self.starts = np.flatnonzero(np.r_[True, sorted_cats[1:] != sorted_cats[:-1]]) if len(cats) else \
            np.zeros(0, np.int64)
        self.cats, self.n_cats = sorted_cats[self.starts], n_cats

    def sums(self, weights: np.ndarray, presorted: bool = False) -> np.ndarray:
        """(k, n_cats) sums of the columns of `weights` (k, columns), columns in the original order unless
        `presorted` (already in category order)."""
        out = np.zeros((weights.shape[0], self.n_cats))
        if len(self.starts):
            cols = weights if presorted else weights[:, self.order]
            out[:, self.cats] = np.add.reduceat(cols, self.starts, axis=1)
        return out


def _interval(values: list[float]) -> tuple[Optional[float], Optional[float]]:
    v = np.asarray([x for x in values if x is not None and np.isfinite(x)])
    if len(v) < 2:
        return None, None
    tail = (1 - LEVEL) / 2 * 100
    return float(np.percentile(v, tail)), float(np.percentile(v, 100 - tail))


class Statistic:
    """One figure to bootstrap: its support, and `values(w)` giving the figure under each replicate of the rows of
    w, a (k, documents) array of draw counts over every document of the report (one resample serves all figures,
    so the document draws are made once). `docs` maps a document key to its column in w."""

    def __init__(self, items: int, documents: int):
        self.items, self.documents = items, documents
        self.draws: list[float] = []

    def values(self, w: np.ndarray) -> np.ndarray:  # pragma: no cover - every figure defines it
        raise NotImplementedError

    def interval(self) -> Interval:
        if self.documents < 2:
            return Interval(self.items, self.documents, None, None)
        return Interval(self.items, self.documents, *_interval(self.draws))


class F1Statistic(Statistic):
    """Micro F1 = 2·Σtp / Σ(a+b) from each document's (doc key, tp, a+b)."""

    def __init__(self, per_doc: Sequence[tuple[Hashable, int, int]], docs: Mapping[Hashable, int]):
        super().__init__(sum(n for _, _, n in per_doc), len(per_doc))
        self.cols = np.asarray([docs[k] for k, _, _ in per_doc], dtype=np.int64)
        self.tp = np.asarray([x for _, x, _ in per_doc], float)
        self.tot = np.asarray([n for _, _, n in per_doc], float)

    def values(self, w):
        wc = w[:, self.cols]
        den = wc @ self.tot
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, 2 * (wc @ self.tp) / np.where(den > 0, den, 1), np.nan)


class AlphaStatistic(Statistic):
    """Krippendorff's alpha (nominal), closed form over weighted units:
    alpha = 1 - (n - 1)(n - Σ o_cc) / (n² - Σ n_c²), each unit counted as often as its document was drawn.
    Units are keyed (document key, ...) and only those coded by two or more take part."""

    def __init__(self, units: Mapping[tuple, Mapping[str, Hashable]], docs: Mapping[Hashable, int]):
        pairable = [(key[0], coded) for key, coded in units.items() if len(coded) >= 2]
        super().__init__(len(pairable), len({k for k, _ in pairable}))
        intern: dict = {}
        g_doc, g_val, g_cnt, g_diag = [], [], [], []
        for doc, coded in pairable:
            m = len(coded)
            for v, c in Counter(coded.values()).items():
                g_doc.append(docs[doc])
                g_val.append(intern.setdefault(v, len(intern)))
                g_cnt.append(c)
                g_diag.append(c * (c - 1) / (m - 1))
        grouping = _Grouping(np.asarray(g_val, dtype=np.int64), len(intern))
        order = grouping.order  # value groups kept in value order, so no per-replicate reordering
        self.cols = np.asarray(g_doc, dtype=np.int64)[order]
        self.cnt, self.diag = np.asarray(g_cnt, float)[order], np.asarray(g_diag, float)[order]
        self.grouping = grouping

    def values(self, w):
        gw = w[:, self.cols]  # (k, value groups)
        n_c = self.grouping.sums(gw * self.cnt, presorted=True)
        n = n_c.sum(axis=1)
        expected = n * n - (n_c * n_c).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(expected > 0, 1 - (n - 1) * (n - gw @ self.diag) / expected, np.nan)


class KappaStatistic(Statistic):
    """Cohen's kappa of annotators a and b over the units both coded."""

    def __init__(self, units: Mapping[tuple, Mapping[str, Hashable]], a: str, b: str,
                 docs: Mapping[Hashable, int]):
        rows = [(key[0], coded[a], coded[b]) for key, coded in units.items() if a in coded and b in coded]
        super().__init__(len(rows), len({r[0] for r in rows}))
        intern: dict = {}
        self.cols = np.asarray([docs[r[0]] for r in rows], dtype=np.int64)
        self.x = np.asarray([intern.setdefault(r[1], len(intern)) for r in rows], dtype=np.int64)
        self.y = np.asarray([intern.setdefault(r[2], len(intern)) for r in rows], dtype=np.int64)
        self.same = (self.x == self.y).astype(float)
        self.by_x, self.by_y = _Grouping(self.x, len(intern)), _Grouping(self.y, len(intern))

    def values(self, w):
        rw = w[:, self.cols]
        n = rw.sum(axis=1)
        chance = (self.by_x.sums(rw) * self.by_y.sums(rw)).sum(axis=1)
        den = n * n - chance
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 1e-9, ((rw @ self.same) * n - chance) / den, np.nan)


def bootstrap(statistics: Sequence[Statistic], n_docs: int, seed: int = SEED,
              replicates: int = REPLICATES) -> list[Interval]:
    """One seeded resample of the documents, shared by every statistic; their intervals."""
    live = [s for s in statistics if s.documents >= 2]
    if live and n_docs:
        for w in _weights(n_docs, seed, replicates):
            for s in live:
                s.draws += list(s.values(w))
    return [s.interval() for s in statistics]
