"""Merging bundles into the reviewer's project: every bundle checked completely first, then all applied in one
transaction (the rules are in bundle.py's docstring, next to the format they read).

Its own module beside bundle.py (the format: writing and reading a bundle) so each stays readable; it reads
bundles only through read_bundle.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..model import ENTITY, QUOTE_KIND, STANCE, AnnotationSet
from ..store import Project
from .bundle import MAX_SHOWN, NOTHING_MERGED, Bundle, BundleError, BundleSet, _timestamp, read_bundle


@dataclass
class BundleResult:
    """What merging one bundle did."""

    path: str
    annotator: str
    new: int = 0  # sets the project did not have
    updated: int = 0  # sets replaced by the bundle's newer version
    unchanged: int = 0  # sets already in the project exactly so
    conflicts: list[str] = field(default_factory=list)  # one line per kept project set (bundle's not newer)
    missing: list[str] = field(default_factory=list)  # ids of texts the project lacked, added (add_missing)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (bundle id, id given) for clashing ids

    def line(self) -> str:
        return (f"{self.path} ({self.annotator}): {self.new} new, {self.updated} updated, {self.unchanged} "
                f"unchanged, {len(self.conflicts)} conflict(s), {len(self.missing)} missing text(s) added")


@dataclass
class MergeSummary:
    bundles: list[BundleResult] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(b.new for b in self.bundles)

    @property
    def updated(self) -> int:
        return sum(b.updated for b in self.bundles)

    @property
    def unchanged(self) -> int:
        return sum(b.unchanged for b in self.bundles)

    @property
    def conflicts(self) -> list[str]:
        return [c for b in self.bundles for c in b.conflicts]

    @property
    def missing(self) -> list[str]:
        return [m for b in self.bundles for m in b.missing]

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.missing)

    def lines(self) -> list[str]:
        out = []
        for b in self.bundles:
            out.append(b.line())
            out += [f"  conflict: {c}" for c in b.conflicts]
            out += [f"  added document {old!r} as {new!r}: the project's {old!r} is a different text"
                    for old, new in b.renamed]
        return out


def _same(old: AnnotationSet, s: BundleSet) -> bool:
    # The store reads entities and quotes in export order; compare in that order, not the file's.
    return (old.entities == sorted(s.entities, key=lambda e: (e.start, e.end, e.label, e.id))
            and old.quotes == sorted(s.quotes, key=lambda q: (q.start, q.end, q.id))
            and old.stances == s.stances and old.status == s.status and old.comment == s.comment)


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in items[:MAX_SHOWN])
    return shown + (f" and {len(items) - MAX_SHOWN} more" if len(items) > MAX_SHOWN else "")


def check_bundles(project: Project, paths: Iterable[str | Path], *, add_missing: bool = False,
                  protect: Iterable[str] = ()) -> list[Bundle]:
    """Read every bundle and check it against the project (labels, texts, protected names) without writing;
    raises BundleError listing every problem. merge_bundles calls it first; the GUI may call it to preview."""
    paths = list(paths)
    if not paths:
        raise BundleError(["no bundle to merge"])
    bundles, problems = [], []
    for p in paths:
        try:
            bundles.append(read_bundle(p))
        except BundleError as exc:
            problems += exc.problems
    if problems:
        raise BundleError(problems + [NOTHING_MERGED])

    protect = set(protect)
    labels = {k: project.label_names(k) for k in (ENTITY, STANCE, QUOTE_KIND)}
    unknown: dict[tuple[str, str], str] = {}
    by_hash = project.document_hashes()
    for b in bundles:
        if b.annotator in protect:
            problems.append(f"{b.path}:1: the bundle holds {b.annotator!r}'s sets, and {b.annotator!r} is your own "
                            f"name in this project: merging would overwrite your work")
        for s in b.sets:
            for kind, name in sorted(s.labels()):
                if name not in labels[kind]:
                    unknown.setdefault((kind, name), f"{b.path}:{s.line}")
        missing = [s.doc_id for s in b.sets if s.hash not in by_hash]
        if missing and not add_missing:
            problems.append(f"{b.path}: {len(missing)} text(s) are not in this project: {_listed(missing)} "
                            f"(merge with --add-missing to import them as new documents)")
    for (kind, name), where in unknown.items():
        problems.append(f"{where}: {kind.replace('_', ' ')} label {name!r} is not in this project "
                        f"(add it to the project's labels, then merge again)")
    if problems:
        raise BundleError(problems + [NOTHING_MERGED])
    return bundles


def merge_bundles(project: Project, paths: Iterable[str | Path], *, add_missing: bool = False,
                  protect: Iterable[str] = ()) -> MergeSummary:
    """Merge bundles into the project: all checked first (check_bundles), then applied in one transaction, so a
    refused merge leaves the project exactly as it was. `protect`: annotator names no bundle may write (the GUI
    passes the reviewer's own name). Rules in the module docstring."""
    bundles = check_bundles(project, paths, add_missing=add_missing, protect=protect)
    summary = MergeSummary()
    with project.transaction():
        by_hash = project.document_hashes()
        ids = project.document_ids()
        for b in bundles:
            result = BundleResult(str(b.path), b.annotator)
            for s in b.sets:
                doc_key = by_hash.get(s.hash)
                if doc_key is None:  # only with add_missing: check_bundles refused the merge otherwise
                    doc_id = s.doc_id
                    if doc_id in ids:
                        doc_id = f"{s.doc_id}~{s.hash[:8]}"
                        n = 2
                        while doc_id in ids:
                            doc_id, n = f"{s.doc_id}~{s.hash[:8]}-{n}", n + 1
                        result.renamed.append((s.doc_id, doc_id))
                    doc_key = project.insert_document(doc_id, s.text, s.meta, s.hash)
                    by_hash[s.hash], ids[doc_id] = doc_key, s.hash
                    result.missing.append(doc_id)
                if project.has_set(doc_key, b.annotator):
                    old = project.load(doc_key, b.annotator)
                    if _same(old, s):
                        result.unchanged += 1
                        continue
                    old_time = project.set_updated_at(doc_key, b.annotator) or ""
                    ours = _timestamp(old_time)
                    if ours is not None and _timestamp(s.updated_at) <= ours:
                        result.conflicts.append(
                            f"{old.document.id}: kept the project's set by {b.annotator} (changed {old_time}); "
                            f"the bundle's (line {s.line}, changed {s.updated_at}) is not newer")
                        continue
                    result.updated += 1
                else:
                    result.new += 1
                project.replace_set(doc_key, b.annotator, s.status, s.entities, s.quotes, s.stances, s.comment)
                project.stamp_set(doc_key, b.annotator, s.updated_at)
            summary.bundles.append(result)
    return summary
