"""Categorical agreement over matched units (stance labels, quote speakers): Cohen's kappa for every pair of
annotators and Krippendorff's alpha (nominal) over all of them, with the observed agreement and the units only one
annotator coded reported beside.

The size limit below and alpha_from_observations, the only function reading it, live together here: patch
`app.core.agreement.categorical._LIBRARY_MAX_CELLS` to choose between the library and the closed form.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Hashable, Iterable, Mapping, Optional, Sequence

import numpy as np

# The krippendorff package builds a dense units x values x values array: fine for a handful of stance labels,
# not for thousands of speaker names. Past this many cells the same nominal alpha comes from its closed form.
_LIBRARY_MAX_CELLS = 2_000_000  # float64 cells: ~16 MB per intermediate array


# ---- categorical agreement: kappa and alpha --------------------------------------------------------------------------
def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> Optional[float]:
    """Cohen's kappa of two annotators from the (A's value, B's value) of each unit both coded.

    None without units, or when chance agreement is total (both used one and the same category only): kappa is
    then 0/0, and a number there would be made up."""
    pairs = list(pairs)
    n = len(pairs)
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    chance = sum(c * cb.get(k, 0) for k, c in ca.items())  # pe * n^2, kept integral so "pe == 1" is exact
    if not n or chance == n * n:
        return None
    observed = sum(x == y for x, y in pairs)  # po * n
    return (observed * n - chance) / (n * n - chance)


def _value_counts(unit_idx: np.ndarray, value_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse (unit, value, count) triples of the pairable units (coded at least twice)."""
    if not len(unit_idx):
        return (np.zeros(0, np.int64),) * 3
    n_values = int(value_idx.max()) + 1
    cells, counts = np.unique(unit_idx.astype(np.int64) * n_values + value_idx, return_counts=True)
    units, values = np.divmod(cells, n_values)
    m_u = np.bincount(units, weights=counts)
    keep = m_u[units] >= 2
    return units[keep], values[keep], counts[keep]


def alpha_from_observations(unit_idx: Sequence[int], value_idx: Sequence[int]) -> Optional[float]:
    """Krippendorff's alpha (nominal) from one (unit, value) observation per annotator per unit, both interned to
    small integers. Units coded once are unpairable and dropped; None when no unit is pairable or only one value
    remains (expected disagreement is 0).

    Uses the krippendorff package where its dense units x values^2 array fits in memory (stance labels), and the
    same statistic's closed form for nominal data otherwise (speaker names):
    alpha = 1 - (n - 1) * (n - sum_c o_cc) / (n^2 - sum_c n_c^2), o_cc = sum_u n_uc (n_uc - 1) / (m_u - 1)."""
    units, values, counts = _value_counts(np.asarray(unit_idx, np.int64), np.asarray(value_idx, np.int64))
    if not len(units):
        return None
    used, values = np.unique(values, return_inverse=True)  # renumber the values that occur in pairable units
    if len(used) < 2:
        return None
    uniq_units, units = np.unique(units, return_inverse=True)
    n_units, n_values = len(uniq_units), len(used)
    if n_units * n_values * n_values <= _LIBRARY_MAX_CELLS:
        import krippendorff  # numpy-only, but not needed by anything else: load it when alpha is asked for

        vc = np.zeros((n_units, n_values), np.int64)
        vc[units, values] = counts
        return float(krippendorff.alpha(value_counts=vc, value_domain=np.arange(n_values),
                                         level_of_measurement="nominal"))
    m_u = np.bincount(units, weights=counts)
    n_c = np.bincount(values, weights=counts)
    n = n_c.sum()
    o_diag = (counts * (counts - 1) / (m_u[units] - 1)).sum()
    return float(1 - (n - 1) * (n - o_diag) / (n * n - (n_c * n_c).sum()))


def krippendorff_alpha(data: Sequence[Sequence[Optional[Hashable]]]) -> Optional[float]:
    """Krippendorff's alpha (nominal) of a reliability matrix: one row per annotator, one column per unit, None
    (or NaN) for a unit the annotator did not code. Values are any hashables (label names, speaker names)."""
    unit_idx, value_idx, intern = [], [], {}
    for row in data:
        for u, v in enumerate(row):
            if v is None or (isinstance(v, float) and v != v):
                continue
            unit_idx.append(u)
            value_idx.append(intern.setdefault(v, len(intern)))
    return alpha_from_observations(unit_idx, value_idx)


@dataclass(frozen=True)
class KappaPair:
    a: str
    b: str
    cohen_kappa: Optional[float]
    units: int  # units both coded
    observed: float  # share of those units where they gave the same value (defined even where kappa is not)

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "cohen_kappa": self.cohen_kappa, "units": self.units,
                "observed": self.observed}


@dataclass
class CategoricalAgreement:
    """Agreement on one categorical annotation (stance labels, quote speakers) over matched units."""

    annotators: list[str]
    units: int  # units coded by at least two annotators (the pairable ones alpha and kappa use)
    coded_once: int  # units only one annotator coded: disagreement on *whether*, which alpha cannot see
    krippendorff_alpha: Optional[float]
    observed: Optional[float]  # share of agreeing annotator pairs over pairable units (1 - alpha's D_o)
    kappa_pairs: list[KappaPair]  # every pair of annotators that coded a unit in common

    @property
    def cohen_kappa(self) -> Optional[float]:
        """Kappa of the only pair when there are exactly two annotators, else None (see kappa_pairs)."""
        return self.kappa_pairs[0].cohen_kappa if len(self.annotators) == 2 and self.kappa_pairs else None

    def to_dict(self) -> dict:
        pairs = [k.to_dict() for k in self.kappa_pairs]
        return {"cohen_kappa": pairs if len(self.annotators) > 2 else self.cohen_kappa,
                "krippendorff_alpha": self.krippendorff_alpha, "observed": self.observed, "units": self.units,
                "coded_once": self.coded_once, "pairs": pairs}


def categorical_agreement(units: Mapping[Hashable, Mapping[str, Hashable]],
                          annotators: Sequence[str] = ()) -> CategoricalAgreement:
    """Kappa for every pair of annotators and alpha over all of them, from unit -> {annotator: value}.
    `annotators` names those to report even if they coded nothing; everyone who coded a unit takes part."""
    annotators = sorted(set(annotators).union(*units.values()))
    coder = {a: i for i, a in enumerate(annotators)}
    unit_idx, value_idx, intern = [], [], {}
    pair_values: dict[tuple[str, str], list] = {p: [] for p in combinations(annotators, 2)}
    pairable = once = 0
    agree = n_values = 0.0  # coincidence-weighted: each unit's m values carry m annotator pairs between them
    for u, coded in enumerate(units.values()):
        m = len(coded)
        if m < 2:
            once += m  # unpairable: alpha drops it too
            continue
        pairable += 1
        n_values += m
        for v in coded.values():
            unit_idx.append(u)
            value_idx.append(intern.setdefault(v, len(intern)))
        if m == 2:
            (a, x), (b, y) = coded.items()
            if coder[a] > coder[b]:
                a, b, x, y = b, a, y, x
            pair_values[a, b].append((x, y))
            agree += 2.0 * (x == y)
        else:
            agree += sum(c * (c - 1) for c in Counter(coded.values()).values()) / (m - 1)
            for a, b in combinations(sorted(coded, key=coder.get), 2):
                pair_values[a, b].append((coded[a], coded[b]))
    return CategoricalAgreement(
        annotators, pairable, once, alpha_from_observations(unit_idx, value_idx),
        agree / n_values if n_values else None,
        [KappaPair(a, b, cohen_kappa(vals), len(vals), sum(x == y for x, y in vals) / len(vals))
         for (a, b), vals in pair_values.items() if vals])
