"""Merging bundles into the reviewer's project: every bundle checked completely first, then all applied in one
transaction (the rules are in bundle.py's docstring, next to the format they read).

Keys are pinned as SSH pins host keys: the first merged bundle of an annotator pins its signer's public key in the
project (setting PINNED_KEYS, written in the merge's transaction); a later bundle under that name signed with
another key is refused, naming both fingerprints, unless the reviewer accepts the new key deliberately
(accept_new_key, `tawsim merge --accept-new-key NAME`). Unsigned bundles are refused unless allow_unsigned (bundles
of an older Tawsim), and never accepted for a name whose key is pinned: anyone can write an unsigned bundle under
any name, so letting one through there would undo the pin.

Its own module beside bundle.py (the format: writing and reading a bundle) so each stays readable; it reads
bundles only through read_bundle.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..model import ENTITY, QUOTE_KIND, STANCE, AnnotationSet
from ..store import Project, now
from . import signing
from .bundle import MAX_SHOWN, NOTHING_MERGED, Bundle, BundleError, BundleSet, _timestamp, read_bundle

PINNED_KEYS = "bundle_keys"  # project setting: annotator -> {"public_key", "fingerprint", "pinned_at"}


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
    key_note: str = ""  # "pinned ..." / "accepted a new key ..." / "unsigned" / ""

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
            out += [f"  {b.key_note}"] if b.key_note else []
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


def pinned_keys(project: Project) -> dict:
    return dict(project.setting(PINNED_KEYS, {}) or {})


def _key_problems(project: Project, bundles: list[Bundle], allow_unsigned: bool,
                  accept_new_key: set[str]) -> tuple[list[str], list[str], list[str]]:
    """(problems, names whose key differs from the pinned one, paths of unsigned bundles)."""
    pins = pinned_keys(project)
    problems, new_keys, unsigned = [], [], []
    first_seen: dict[str, str] = {}
    for b in bundles:
        pin = pins.get(b.annotator)
        if not b.signed:
            if pin is not None:
                problems.append(f"{b.path}:1: the bundle is not signed, and {b.annotator!r}'s bundles are signed with "
                                f"key {pin['fingerprint']} (pinned {pin['pinned_at']}): anyone can write an "
                                f"unsigned bundle under any name; ask {b.annotator} for a bundle from their Tawsim")
            elif not allow_unsigned:
                unsigned.append(str(b.path))
                problems.append(f"{b.path}:1: the bundle is not signed (written by an older Tawsim, or its "
                                f"signature was removed), so nothing proves it comes from {b.annotator!r}; ask for "
                                f"a signed one, or merge with --allow-unsigned if you know where it came from")
            continue
        expected = pin["public_key"] if pin is not None else first_seen.get(b.annotator)
        first_seen.setdefault(b.annotator, b.public_key)
        if expected is not None and b.public_key != expected and b.annotator not in accept_new_key:
            new_keys.append(b.annotator)
            was = (f"{signing.fingerprint(expected)} (pinned {pin['pinned_at']})" if pin is not None
                   else f"{signing.fingerprint(expected)} (another bundle of this merge)")
            problems.append(f"{b.path}:1: {b.annotator!r}'s bundles are signed with key {was}, this one with "
                            f"{signing.fingerprint(b.public_key)}: it may not come from {b.annotator}. If "
                            f"{b.annotator} really has a new installation or key, merge with --accept-new-key "
                            f"{b.annotator}")
    return problems, new_keys, unsigned


def check_bundles(project: Project, paths: Iterable[str | Path], *, add_missing: bool = False,
                  protect: Iterable[str] = (), allow_unsigned: bool = False,
                  accept_new_key: Iterable[str] = ()) -> list[Bundle]:
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

    key_problems, new_keys, unsigned = _key_problems(project, bundles, allow_unsigned, set(accept_new_key))
    problems += key_problems
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
        raise BundleError(problems + [NOTHING_MERGED], new_keys, unsigned)
    return bundles


def merge_bundles(project: Project, paths: Iterable[str | Path], *, add_missing: bool = False,
                  protect: Iterable[str] = (), allow_unsigned: bool = False,
                  accept_new_key: Iterable[str] = ()) -> MergeSummary:
    """Merge bundles into the project: all checked first (check_bundles), then applied in one transaction, so a
    refused merge leaves the project exactly as it was. `protect`: annotator names no bundle may write (the GUI
    passes the reviewer's own name). Rules in the module docstring."""
    bundles = check_bundles(project, paths, add_missing=add_missing, protect=protect,
                            allow_unsigned=allow_unsigned, accept_new_key=accept_new_key)
    summary = MergeSummary()
    with project.transaction():
        pins = pinned_keys(project)
        by_hash = project.document_hashes()
        ids = project.document_ids()
        for b in bundles:
            result = BundleResult(str(b.path), b.annotator)
            pin = pins.get(b.annotator)
            if not b.signed:
                result.key_note = "unsigned (allowed with --allow-unsigned)"
            elif pin is None or pin["public_key"] != b.public_key:
                result.key_note = (f"pinned {b.annotator}'s key {signing.fingerprint(b.public_key)}" if pin is None
                                   else f"accepted {b.annotator}'s new key {signing.fingerprint(b.public_key)} "
                                        f"(was {pin['fingerprint']})")
                pins[b.annotator] = {"public_key": b.public_key, "fingerprint": signing.fingerprint(b.public_key),
                                     "pinned_at": now()}
                project.set_setting(PINNED_KEYS, pins)
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
