"""How far an agreement figure can be trusted: how many items it rests on, a warning below a minimum, and a 95%
confidence interval from a bootstrap over documents.

Documents, not items, are resampled: the entities and quotes of one article are not independent (one annotator's
reading of one article drives them all), so resampling items would give intervals that are too narrow. The
bootstrap is seeded (the same project gives the same interval every time) and vectorised: each replicate is a
vector of how often each document was drawn, and every statistic here is a ratio of weighted sums, so a replicate
costs a few numpy sums instead of recomputing the report.
"""
from __future__ import annotations

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
    """Replicates of document draw counts (how often each document is drawn), in chunks to bound memory."""
    rng = np.random.default_rng(seed)
    left = replicates
    while left > 0:
        k = min(left, max(1, 2_000_000 // max(n_docs, 1)))
        draws = rng.integers(0, n_docs, size=(k, n_docs))
        yield np.stack([np.bincount(row, minlength=n_docs) for row in draws]) if n_docs else np.zeros((k, 0))
        left -= k


def _interval(values: list[float]) -> tuple[Optional[float], Optional[float]]:
    v = np.asarray([x for x in values if x is not None and np.isfinite(x)])
    if len(v) < 2:
        return None, None
    tail = (1 - LEVEL) / 2 * 100
    return float(np.percentile(v, tail)), float(np.percentile(v, 100 - tail))


def f1_interval(per_doc: Sequence[tuple[int, int]], seed: int = SEED, replicates: int = REPLICATES) -> Interval:
    """Micro F1 = 2·Σtp / Σ(a+b) from each document's (tp, a+b)."""
    tp = np.asarray([x for x, _ in per_doc], float)
    tot = np.asarray([y for _, y in per_doc], float)
    items, docs = int(tot.sum()), len(per_doc)
    if docs < 2:
        return Interval(items, docs, None, None)
    out: list[float] = []
    for w in _weights(docs, seed, replicates):
        den = w @ tot
        with np.errstate(invalid="ignore", divide="ignore"):
            out += list(np.where(den > 0, 2 * (w @ tp) / np.where(den > 0, den, 1), np.nan))
    return Interval(items, docs, *_interval(out))


def _by_document(units: Mapping[tuple, Mapping[str, Hashable]]) -> tuple[list, dict]:
    """Pairable units (coded by two or more), with the index of their document (unit keys start with it)."""
    docs: dict = {}
    pairable = [(docs.setdefault(key[0], len(docs)), coded) for key, coded in units.items() if len(coded) >= 2]
    return pairable, docs


def alpha_interval(units: Mapping[tuple, Mapping[str, Hashable]], seed: int = SEED,
                   replicates: int = REPLICATES) -> Interval:
    """Krippendorff's alpha (nominal), closed form over weighted units:
    alpha = 1 - (n - 1)(n - Σ o_cc) / (n² - Σ n_c²), each unit counted as often as its document was drawn."""
    pairable, docs = _by_document(units)
    if len(docs) < 2:
        return Interval(len(pairable), len(docs), None, None)
    intern: dict = {}
    g_doc, g_val, g_cnt, g_diag = [], [], [], []
    for d, coded in pairable:
        m = len(coded)
        counts: dict = {}
        for v in coded.values():
            counts[v] = counts.get(v, 0) + 1
        for v, c in counts.items():
            g_doc.append(d)
            g_val.append(intern.setdefault(v, len(intern)))
            g_cnt.append(c)
            g_diag.append(c * (c - 1) / (m - 1))
    g_doc, g_val = np.asarray(g_doc), np.asarray(g_val)
    g_cnt, g_diag = np.asarray(g_cnt, float), np.asarray(g_diag)
    out = []
    for w in _weights(len(docs), seed, replicates):
        for row in w:
            gw = row[g_doc]
            n_c = np.bincount(g_val, weights=g_cnt * gw, minlength=len(intern))
            n = n_c.sum()
            expected = n * n - (n_c * n_c).sum()
            out.append(1 - (n - 1) * (n - (g_diag * gw).sum()) / expected if expected > 0 else None)
    return Interval(len(pairable), len(docs), *_interval(out))


def kappa_interval(units: Mapping[tuple, Mapping[str, Hashable]], a: str, b: str, seed: int = SEED,
                   replicates: int = REPLICATES) -> Interval:
    """Cohen's kappa of annotators a and b over the units both coded."""
    docs: dict = {}
    rows = [(docs.setdefault(key[0], len(docs)), coded[a], coded[b]) for key, coded in units.items()
            if a in coded and b in coded]
    if len(docs) < 2:
        return Interval(len(rows), len(docs), None, None)
    intern: dict = {}
    d = np.asarray([r[0] for r in rows])
    x = np.asarray([intern.setdefault(r[1], len(intern)) for r in rows])
    y = np.asarray([intern.setdefault(r[2], len(intern)) for r in rows])
    same = (x == y).astype(float)
    out = []
    for w in _weights(len(docs), seed, replicates):
        for row in w:
            rw = row[d].astype(float)
            n = rw.sum()
            chance = (np.bincount(x, rw, len(intern)) * np.bincount(y, rw, len(intern))).sum()
            out.append((rw @ same * n - chance) / (n * n - chance) if n and n * n - chance > 1e-9 else None)
    return Interval(len(rows), len(docs), *_interval(out))
