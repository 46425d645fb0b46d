"""The agreement report: one pass over the documents (compute) giving per-pair entity figures, stance and speaker
agreement and per-document F1; the whole project's report, the worst documents, the JSON shape (`tawsim agreement
--json`) and the text `tawsim agreement` prints.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Iterable, Optional, Sequence

from .categorical import CategoricalAgreement, categorical_agreement
from .confidence import SEED, AlphaStatistic, F1Statistic, Interval, KappaStatistic, bootstrap
from .inputs import DocAnnotations, read_project
from .spans import EntityAgreement, _add_pair
from .units import document_units

if TYPE_CHECKING:
    from ...store import Project


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
    # What the confidence intervals resample: per pair, each document's (exact tp, entities of both); the stance
    # and speaker units (keys start with the document). Kept out of the JSON; intervals() reads them on demand, so
    # computing the report itself costs no bootstrap.
    _entity_docs: dict = field(default_factory=dict, repr=False)
    _units: dict = field(default_factory=dict, repr=False)
    _intervals: Optional[dict] = field(default=None, repr=False)

    def intervals(self, seed: int = SEED) -> dict[str, Interval]:
        """Support and 95% bootstrap interval (over documents, seeded) of each headline figure: entity exact F1
        (all pairs and each pair), alpha on stance and speakers, and kappa where there are two annotators."""
        if self._intervals is not None and seed == SEED:
            return self._intervals
        docs = {d.key: i for i, d in enumerate(self.documents)}
        stats = {"entities exact F1": F1Statistic([x for per in self._entity_docs.values() for x in per], docs)}
        for (a, b), per in sorted(self._entity_docs.items()) if len(self._entity_docs) > 1 else ():
            stats[f"entities exact F1 {a} ~ {b}"] = F1Statistic(per, docs)  # with one pair: the same figure
        for name in ("stance", "speaker"):
            units = self._units.get(name, {})
            stats[f"{name} alpha"] = AlphaStatistic(units, docs)
            if len(self.annotators) == 2:
                stats[f"{name} kappa"] = KappaStatistic(units, *self.annotators, docs)
        out = dict(zip(stats, bootstrap(list(stats.values()), len(docs), seed)))
        if seed == SEED:
            self._intervals = out
        return out

    def pair(self, a: str, b: str) -> Optional[PairAgreement]:
        return next((p for p in self.pairs if {p.a, p.b} == {a, b}), None)

    def to_dict(self, worst: Optional[int] = None) -> dict:
        """The stable JSON shape (`tawsim agreement --json`); `worst` keeps only that many documents."""
        docs = self.documents if worst is None else self.documents[:worst]
        return {"annotators": self.annotators, "documents_compared": self.documents_compared,
                "pairs": [p.to_dict() for p in self.pairs], "entities": self.entities.to_dict(),
                "stance": self.stance.to_dict(), "speaker": self.speaker.to_dict(),
                "documents": [d.to_dict() for d in docs],
                "confidence": {k: v.to_dict() for k, v in self.intervals().items()}}


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
    entity_docs: dict[tuple[str, str], list[tuple[int, int]]] = {}
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
            entity_docs.setdefault((a, b), []).append((doc.key, tp, len(ea) + len(eb)))
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
                           categorical_agreement(speaker_units, annotators), documents,
                           entity_docs, {"stance": stance_units, "speaker": speaker_units})


def project_agreement(project: "Project", statuses: Optional[Sequence[str]] = None,
                      include_machines: bool = False) -> AgreementReport:
    """The report of a whole project (optionally only sets with one of `statuses`, e.g. ("done",)); the sets of
    machine annotators (a model's predictions) only with include_machines."""
    return compute(read_project(project, statuses, include_machines))


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
    lines += ["", f"HOW FAR TO TRUST THEM (95% intervals: bootstrap over documents, seed {SEED})"]
    for name, iv in report.intervals().items():
        lines.append(f"  {name:<36} {iv.text()}")
    docs = worst_documents(report, worst)
    if docs:
        lines += ["", f"WORST DOCUMENTS (entity F1, mean over pairs; {len(docs)} of {len(report.documents)})",
                  f"{'document':<36} {'annotators':>10} {'overlap F1':>10} {'exact F1':>8}"]
        for d in docs:
            lines.append(f"{d.id:<36} {len(d.annotators):>10} {_f(d.overlap_f1):>10} {_f(d.exact_f1):>8}")
    return "\n".join(lines)
