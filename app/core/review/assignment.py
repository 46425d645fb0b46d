"""Assignment: which annotators annotate which documents (`tawsim assign`), k annotators per document.

Why balanced and seeded: a lead splitting a corpus between three people wants each to get the same share (loads
differ by at most one document) and the pairs of annotators mixed (agreement then rests on every pair, not on two
fixed teams), and wants to rerun the command and get the same plan, as Prodigy's `annotations_per_task` or
Argilla's `min_submitted` do. Each document, in a seeded shuffled order, goes to the k least-loaded annotators,
ties broken by a seeded draw: giving one more document to the k smallest loads keeps every load within one of the
others, so the plan is balanced whatever the numbers.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional, Sequence

from ..model import STATUSES, TODO, AnnotationError
from ..names import check_annotator_name
from ..store import Project


@dataclass(frozen=True)
class AssignmentPlan:
    documents: dict[int, list[str]]  # doc key -> its annotators
    loads: dict[str, int]  # annotator -> documents assigned by this plan


def plan_assignment(doc_keys: Sequence[int], annotators: Sequence[str], per_document: int,
                    seed: int = 0) -> AssignmentPlan:
    """k = per_document distinct annotators for every document, loads within one of each other, same seed same
    plan (see the module docstring)."""
    names = list(dict.fromkeys(annotators))
    if len(names) != len(annotators):
        raise AnnotationError("--to names an annotator twice")
    if not 1 <= per_document <= len(names):
        raise AnnotationError(f"--per-document must be between 1 and the number of annotators ({len(names)}), "
                              f"not {per_document}")
    rng = random.Random(seed)
    order = sorted(doc_keys)
    rng.shuffle(order)
    loads = dict.fromkeys(names, 0)
    documents: dict[int, list[str]] = {}
    for doc in order:
        draw = {n: rng.random() for n in names}
        chosen = sorted(names, key=lambda n: (loads[n], draw[n]))[:per_document]
        for n in chosen:
            loads[n] += 1
        documents[doc] = sorted(chosen)
    return AssignmentPlan(dict(sorted(documents.items())), loads)


def documents_with_status(project: Project, status: Optional[str]) -> list[int]:
    """The documents `--only-status` selects: `todo` = nobody has finished, skipped or flagged it yet; another
    status = at least one annotator's set has it; None = every document."""
    keys = project.document_keys()
    if status is None:
        return keys
    if status not in STATUSES:
        raise AnnotationError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
    statuses = project.document_statuses()
    if status == TODO:
        return [k for k in keys if statuses.get(k, {TODO}) <= {TODO}]
    return [k for k in keys if status in statuses.get(k, set())]


def assign(project: Project, annotators: Sequence[str], per_document: int, only_status: Optional[str] = None,
           seed: int = 0) -> AssignmentPlan:
    """Plan and store the assignment of the selected documents (their earlier assignment replaced; other
    documents keep theirs), in one transaction."""
    for name in annotators:
        check_annotator_name(name)
    plan = plan_assignment(documents_with_status(project, only_status), annotators, per_document, seed)
    project.replace_assignments(plan.documents)
    return plan
