"""Progress per annotator (`tawsim progress`, Review → Progress…): assigned, done, skipped, flagged, time spent and
agreement so far.

Time spent is summed from the edit log (`edit_times`, one row per single edit, written by the store): the gaps
between an annotator's consecutive edits, across documents, with any gap longer than IDLE_GAP left out (a coffee
break, a night, a weekend are not work). It is a lower bound: reading before the first edit of a sitting is not
counted, and a bulk action (tag-all, an import) is not an edit.
Agreement is each annotator's entity F1 (exact) against everyone they share documents with, summed over those
pairs from the project's agreement report (app.core.review.agreement), with how many documents it rests on.

What a connection may read limits what it shows: on a server, an annotator's login sees its own figures only.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from typing import Optional, Sequence

from ..model import DONE, FLAGGED, SKIPPED, TODO
from ..store import Project
from .agreement import EntityAgreement, project_agreement

IDLE_GAP = 300.0  # seconds: a longer pause between two edits is not counted as work


@dataclass(frozen=True)
class AnnotatorProgress:
    name: str
    assigned: int
    assigned_open: int  # assigned documents not yet done or skipped
    done: int
    skipped: int
    flagged: int
    seconds: float  # time spent, idle gaps left out
    agreement_f1: Optional[float]  # exact entity F1 against the others, over shared documents
    agreement_documents: int

    def to_dict(self) -> dict:
        return asdict(self)


def time_spent(times: Sequence[str], idle_gap: float = IDLE_GAP) -> float:
    """Seconds between consecutive edit times (ISO 8601), gaps over idle_gap left out."""
    stamps = sorted(_dt.datetime.fromisoformat(t).timestamp() for t in times)
    return float(sum(b - a for a, b in zip(stamps, stamps[1:]) if b - a <= idle_gap))


def project_progress(project: Project, idle_gap: float = IDLE_GAP) -> list[AnnotatorProgress]:
    """One row per person (assigned or with sets; gold and models left out), by name."""
    assignments = project.assignments()
    counts = project.status_counts()
    times = project.edit_times()
    report = project_agreement(project)
    people = sorted(set(project.people()) & (set(assignments) | set(counts)) | set(assignments))
    out = []
    for name in people:
        statuses = project.set_statuses(name)
        mine = assignments.get(name, [])
        merged = EntityAgreement()
        for pair in report.pairs:
            if name in (pair.a, pair.b):
                merged.merge(pair.entities)
        shared = sum(1 for d in report.documents if name in d.annotators)
        c = counts.get(name, {})
        out.append(AnnotatorProgress(
            name, len(mine), sum(1 for d in mine if statuses.get(d, TODO) not in (DONE, SKIPPED)),
            c.get(DONE, 0), c.get(SKIPPED, 0), c.get(FLAGGED, 0), time_spent(times.get(name, []), idle_gap),
            merged.exact.f1, shared))
    return out


def _duration(seconds: float) -> str:
    m = int(seconds // 60)
    return f"{m // 60}h{m % 60:02d}" if m >= 60 else f"{m} min"


def format_progress(rows: Sequence[AnnotatorProgress]) -> str:
    """The table `tawsim progress` prints."""
    head = ("annotator", "assigned", "open", "done", "skipped", "flagged", "time", "agreement (F1, docs)")
    lines = [head]
    for r in rows:
        agree = f"{r.agreement_f1:.2f} ({r.agreement_documents})" if r.agreement_f1 is not None else \
            f"- ({r.agreement_documents})"
        lines.append((r.name, str(r.assigned), str(r.assigned_open), str(r.done), str(r.skipped), str(r.flagged),
                      _duration(r.seconds), agree))
    widths = [max(len(l[i]) for l in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(l, widths)).rstrip() for l in lines)
