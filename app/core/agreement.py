"""Inter-annotator agreement: entity span F1 per pair, Cohen's kappa and Krippendorff's alpha on stance and on quote
speaker attribution, and per-document figures that point at the articles annotators read differently.

Pure functions over plain rows (no Qt, no SQL): `Project.iter_agreement_rows` feeds them in one pass ordered by
document, and `from_annotation_sets` adapts model objects, so the CLI, the GUI dashboard and the tests share them.

Conventions, chosen so that every figure is defined or explicitly absent (None, printed "-"), never NaN:

* The gold annotator never takes part; only documents annotated by at least two annotators are compared.
* Entities are compared as sets of (start, end, label): an annotator who tags the same span twice with the same
  label agreed with themselves, not with anyone else.
* Precision and recall of a pair (A, B) take A (the first name, alphabetically) as the reference: recall is the
  share of A's entities that B found, precision the share of B's entities that A has. F1 is symmetric.
* F1 with no entity on either side is None (nothing to compare), as are kappa and alpha without a pairable unit
  or with a single category used throughout (chance agreement is total: the statistic is 0/0).
* Stance and speaker units are matched across annotators; an annotator who left a unit uncoded is a missing
  value (not a category), as Krippendorff prescribes. How many units only one annotator coded is reported beside.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from operator import itemgetter
from typing import TYPE_CHECKING, Hashable, Iterable, Iterator, Mapping, NamedTuple, Optional, Sequence

import numpy as np

from . import arabic
from .model import DOCUMENT_SCOPE, GOLD, AnnotationSet

if TYPE_CHECKING:
    from .store import Project

NO_SPEAKER = "\u2205"  # the speaker value of a quote attributed to nobody ("∅"); never a normalised name
_LABEL = itemgetter(2)

# The krippendorff package builds a dense units x values x values array: fine for a handful of stance labels,
# not for thousands of speaker names. Past this many cells the same nominal alpha comes from its closed form.
_LIBRARY_MAX_CELLS = 2_000_000  # float64 cells: ~16 MB per intermediate array


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


def read_project(project: "Project", statuses: Optional[Sequence[str]] = None) -> Iterator[DocAnnotations]:
    """Every document with at least two (non-gold) annotators, streamed from one ordered read of the store."""
    for key, doc_id, sets in project.iter_agreement_rows(statuses=statuses, min_annotators=2):
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


# ---- units: quotes and stances matched across annotators -------------------------------------------------------------
@lru_cache(maxsize=65536)
def norm_text(text: str) -> str:
    """How target and speaker names compare: Arabic match key (no tashkeel/tatweel, alef forms folded), single
    spaces. Two annotators who typed "الناتو" and "النّاتو" named the same target."""
    return " ".join(arabic.normalize(text or "").split())


def quote_units(sets: Mapping[str, SetRows]) -> dict[str, dict[str, tuple[int, int]]]:
    """Match quotes across annotators: annotator -> {quote id: unit span}. Annotators in name order; each quote
    joins the unit (one quote per annotator per unit) whose reference span it overlaps the most, else starts a new
    unit with its own span as the reference. The reference span is the first annotator's quote."""
    units: list[tuple[int, int]] = []
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for ann in sorted(sets):
        rows = sets[ann]
        mine: dict[str, tuple[int, int]] = {}
        cands = []
        for qi, (_, s, e, _) in enumerate(rows.quotes):
            for ui, (us, ue) in enumerate(units):
                if s < ue and us < e:
                    cands.append((max(s, us) - min(e, ue), abs(s - us) + abs(e - ue), qi, ui))
        cands.sort()
        used_u: set[int] = set()
        for _, _, qi, ui in cands:
            qid = rows.quotes[qi][0]
            if qid not in mine and ui not in used_u:
                used_u.add(ui)
                mine[qid] = units[ui]
        for qid, s, e, _ in rows.quotes:
            if qid not in mine:
                mine[qid] = (s, e)
                units.append((s, e))
        out[ann] = mine
    return out


def document_units(doc: DocAnnotations, stance: dict, speaker: dict) -> None:
    """Add one document's stance and speaker units to unit -> {annotator: value} maps.

    Stance units: (doc, "document", target) for document-scope stances, (doc, quote unit span, target) for
    quote-scope ones, the target compared by norm_text. Speaker units: (doc, quote unit span), the value the
    normalised speaker text or NO_SPEAKER. An annotator who gives one unit two stances counts with the first."""
    qunits = quote_units(doc.sets)
    for ann, rows in doc.sets.items():
        spans = qunits[ann]
        for qid, _, _, speaker_text in rows.quotes:
            unit = speaker.setdefault((doc.key, spans[qid]), {})
            unit.setdefault(ann, norm_text(speaker_text) or NO_SPEAKER)
        for label, target_text, scope in rows.stances:
            where = DOCUMENT_SCOPE if scope == DOCUMENT_SCOPE else spans.get(scope)
            if where is None:  # a scope that names no quote: the store refuses it, an import might not
                continue
            stance.setdefault((doc.key, where, norm_text(target_text)), {}).setdefault(ann, label)


# ---- the report ------------------------------------------------------------------------------------------------------
@dataclass
class PairAgreement:
    a: str
    b: str
    documents: int
    entities: EntityAgreement

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "documents": self.documents, "entities": self.entities.to_dict()}


@dataclass
class DocumentAgreement:
    """One document's entity agreement: the mean over its pairs of annotators of each pair's F1 (pairs where
    neither annotated an entity have no F1 and are left out; None if no pair has one)."""

    key: int
    id: str
    annotators: list[str]
    exact_f1: Optional[float]
    overlap_f1: Optional[float]

    def to_dict(self) -> dict:
        return {"id": self.id, "key": self.key, "annotators": len(self.annotators), "names": self.annotators,
                "exact_f1": self.exact_f1, "overlap_f1": self.overlap_f1}


def _worst_key(d: DocumentAgreement):
    # Lowest overlap F1 first, then lowest exact F1; documents without any F1 (no entities at all) last.
    return (d.overlap_f1 is None, d.overlap_f1 or 0.0, d.exact_f1 is None, d.exact_f1 or 0.0, d.key)


@dataclass
class AgreementReport:
    annotators: list[str]
    documents_compared: int  # documents with at least two annotators
    pairs: list[PairAgreement]
    entities: EntityAgreement  # all pairs summed (micro), A always the alphabetically first of each pair
    stance: CategoricalAgreement
    speaker: CategoricalAgreement
    documents: list[DocumentAgreement]  # worst first

    def pair(self, a: str, b: str) -> Optional[PairAgreement]:
        return next((p for p in self.pairs if {p.a, p.b} == {a, b}), None)

    def to_dict(self, worst: Optional[int] = None) -> dict:
        """The stable JSON shape (`tawsim agreement --json`); `worst` keeps only that many documents."""
        docs = self.documents if worst is None else self.documents[:worst]
        return {"annotators": self.annotators, "documents_compared": self.documents_compared,
                "pairs": [p.to_dict() for p in self.pairs], "entities": self.entities.to_dict(),
                "stance": self.stance.to_dict(), "speaker": self.speaker.to_dict(),
                "documents": [d.to_dict() for d in docs]}


def _mean(values: list) -> Optional[float]:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def compute(docs: Iterable[DocAnnotations]) -> AgreementReport:
    """The whole report in one pass over the documents."""
    pairs: dict[tuple[str, str], PairAgreement] = {}
    stance_units: dict = {}
    speaker_units: dict = {}
    documents: list[DocumentAgreement] = []
    names: set[str] = set()
    n_docs = 0
    for doc in docs:
        if len(doc.sets) < 2:
            continue
        n_docs += 1
        anns = sorted(doc.sets)
        names.update(anns)
        exact_f1s, overlap_f1s = [], []
        for a, b in combinations(anns, 2):
            pa = pairs.get((a, b))
            if pa is None:
                pa = pairs[a, b] = PairAgreement(a, b, 0, EntityAgreement())
            pa.documents += 1
            ea, eb = doc.sets[a].entities, doc.sets[b].entities
            tp, tp_ov = _add_pair(pa.entities, ea, eb)
            if ea or eb:
                total = len(ea) + len(eb)
                exact_f1s.append(2 * tp / total)
                overlap_f1s.append(2 * tp_ov / total)
        documents.append(DocumentAgreement(doc.key, doc.id, anns, _mean(exact_f1s), _mean(overlap_f1s)))
        document_units(doc, stance_units, speaker_units)
    annotators = sorted(names)
    overall = EntityAgreement()
    for p in pairs.values():
        overall.merge(p.entities)
    documents.sort(key=_worst_key)
    return AgreementReport(annotators, n_docs, sorted(pairs.values(), key=lambda p: (p.a, p.b)), overall,
                           categorical_agreement(stance_units, annotators),
                           categorical_agreement(speaker_units, annotators), documents)


def project_agreement(project: "Project", statuses: Optional[Sequence[str]] = None) -> AgreementReport:
    """The report of a whole project (optionally only sets with one of `statuses`, e.g. ("done",))."""
    return compute(read_project(project, statuses))


def worst_documents(report: AgreementReport, n: int = 10) -> list[DocumentAgreement]:
    """The n documents whose annotators agree least on entities: the ones to adjudicate or discuss first."""
    return report.documents[:n]


# ---- text output -----------------------------------------------------------------------------------------------------
def _f(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:.3f}"


def format_report(report: AgreementReport, worst: int = 10) -> str:
    """The human-readable report `tawsim agreement` prints."""
    if not report.documents_compared:
        return "no document has two or more annotators (the gold set does not count): nothing to compare"
    lines = [f"annotators: {', '.join(report.annotators)}; documents annotated by two or more: "
             f"{report.documents_compared}", "",
             "ENTITIES (precision and recall take the first annotator of the pair as the reference)",
             f"{'pair':<28} {'docs':>6}  {'exact P':>7} {'R':>6} {'F1':>6}  {'overlap P':>9} {'R':>6} {'F1':>6}"
             f"  {'span F1':>7}"]
    rows = [(f"{p.a} ~ {p.b}", p.documents, p.entities) for p in report.pairs]
    if len(report.pairs) > 1:
        rows.append(("all pairs", sum(p.documents for p in report.pairs), report.entities))
    for name, n, e in rows:
        lines.append(f"{name:<28} {n:>6}  {_f(e.exact.precision):>7} {_f(e.exact.recall):>6} {_f(e.exact.f1):>6}"
                     f"  {_f(e.overlap.precision):>9} {_f(e.overlap.recall):>6} {_f(e.overlap.f1):>6}"
                     f"  {_f(e.span.f1):>7}")
    lines += ["", f"{'label':<12} {'exact F1':>8} {'overlap F1':>10} {'support':>8}   (all pairs)"]
    for name, (ex, ov) in sorted(report.entities.per_label.items()):
        lines.append(f"{name:<12} {_f(ex.f1):>8} {_f(ov.f1):>10} {ex.a + ex.b:>8}")
    for title, c in (("STANCE", report.stance), ("QUOTE SPEAKER", report.speaker)):
        lines += ["", f"{title}: {c.units} unit(s) coded by two or more, {c.coded_once} by one annotator only",
                  f"  Krippendorff's alpha (nominal): {_f(c.krippendorff_alpha)}"]
        lines[-1] += f"; observed agreement {_f(c.observed)}"
        for k in c.kappa_pairs:
            lines.append(f"  Cohen's kappa {k.a} ~ {k.b}: {_f(k.cohen_kappa)} ({k.units} unit(s), "
                         f"observed agreement {_f(k.observed)})")
    docs = worst_documents(report, worst)
    if docs:
        lines += ["", f"WORST DOCUMENTS (entity F1, mean over pairs; {len(docs)} of {len(report.documents)})",
                  f"{'document':<36} {'annotators':>10} {'overlap F1':>10} {'exact F1':>8}"]
        for d in docs:
            lines.append(f"{d.id:<36} {len(d.annotators):>10} {_f(d.overlap_f1):>10} {_f(d.exact_f1):>8}")
    return "\n".join(lines)
