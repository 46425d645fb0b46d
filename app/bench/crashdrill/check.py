"""The check after a kill: is the project intact, and does it hold exactly what the editing process reported?

The questions, each answered with messages a person can act on:
1. SQLite's integrity_check and foreign_key_check pass.
2. The annotation sets and labels equal the starting state with every committed edit of the journal applied, with
   the one edit in flight (begun, no outcome) either applied whole or not at all. Anything else is reported: how
   many committed edits are missing when the project matches an earlier point of the journal, or the sets that
   differ when it matches none (a half-applied edit).
3. Every committed edit committed exactly one transaction, and every refused edit none (the journal says how many).
4. The export (app.core.exchange.exporter) is written, every line validates against resources/export.schema.json and the
   offset invariant, and it says what the rows say (no stale cached fragment survives a crash).
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ...core.exchange.exporter import export_jsonl, iter_records
from ...core.store import Project
from ...core.io.validate import RecordError, parse_annotations, schema_problems
from .expected import ReplayError, State, apply, read_state
from .journal import Edit, Journal, read_journal

NEW_ROW_TABLES = {"add_entity": "entities", "add_quote": "quotes", "add_stance": "stances"}


@dataclass
class Verdict:
    """What one check found. ok is True only when nothing is wrong."""

    committed: int = 0  # edits the journal reports committed
    refused: int = 0  # edits the store refused (they must have changed nothing)
    in_flight: Optional[str] = None  # the operation in flight at the kill, if any
    outcome: Optional[str] = None  # of the edit in flight: "applied", "not applied" or "no change"
    lost: int = 0  # committed edits missing from the project
    atomicity: list[str] = field(default_factory=list)  # edits that committed in more (or fewer) than one go
    integrity: list[str] = field(default_factory=list)
    mismatch: list[str] = field(default_factory=list)
    export: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.atomicity or self.integrity or self.mismatch or self.export)

    def problems(self) -> list[str]:
        return ([f"integrity: {p}" for p in self.integrity] +
                ([f"{self.lost} committed edit(s) lost"] if self.lost else []) + self.mismatch +
                self.atomicity + [f"export: {p}" for p in self.export])


def atomicity_problems(journal: Journal) -> list[str]:
    """Edits that did not commit exactly once (a refused one: not at all). Two commits for one edit mean a kill
    between them leaves it half made, though a timed kill rarely lands there: the journal counts them instead."""
    out = [f"edit {e.n} ({e.op}) committed {e.transactions} transactions: a kill between them leaves it half made"
           for e in journal.committed if e.transactions not in (None, 1)]
    out += [f"edit {e.n} ({e.op}) was refused after committing {e.transactions} transaction(s)"
            for e in journal.refused if e.transactions]
    return out[:10]


def _new_ids(table: str, before, found) -> list[str]:
    """Ids of `table` in the found set and not in the set before (either set may not exist)."""
    if found is None:
        return []
    return sorted(set(getattr(found, table)) - (set(getattr(before, table)) if before else set()))


def in_flight_ids(edit: Edit, before: State, found: State) -> Optional[list]:
    """The ids the edit in flight would have returned, read from the project where it left them (its new rows);
    None when the project holds no such rows (then it was not applied)."""
    a = edit.args
    if edit.op in NEW_ROW_TABLES:
        key = (a["doc"], a["ann"])
        new = _new_ids(NEW_ROW_TABLES[edit.op], before.sets.get(key), found.sets.get(key))
        return new if len(new) == 1 else None
    if edit.op == "tag_all":
        free: dict[tuple, list[str]] = {}  # (doc, start, end, label) -> new entity ids with that row
        for doc in {s[0] for s in a["spans"]}:
            key = (doc, a["ann"])
            b, f = before.sets.get(key), found.sets.get(key)
            for eid in _new_ids("entities", b, f):
                row = f.entities[eid]
                free.setdefault((doc, row.start, row.end, row.label), []).append(eid)
        ids = []
        for doc, start, end, label in a["spans"]:
            matches = free.get((doc, start, end, label))
            if not matches:
                return None
            ids.append([doc, matches.pop()])
        return ids
    return edit.ids or []


def _changes(edit: Edit, state: State) -> bool:
    """Whether the edit, applied whole, would change the state (adds always do; setting a status to the one a
    set has does not, so its absence says nothing)."""
    if edit.op in NEW_ROW_TABLES or edit.op == "tag_all":
        return True
    after = state.copy()
    try:
        apply(after, edit)
    except ReplayError:  # the store would have refused it
        return False
    return after != state


def _describe(expected: State, found: State, limit: int = 6) -> list[str]:
    out = []
    if expected.labels != found.labels:
        out.append(f"labels: {sorted(expected.labels - found.labels)} missing, "
                   f"{sorted(found.labels - expected.labels)} unexpected")
    for key in sorted(set(expected.sets) | set(found.sets)):
        e, f = expected.sets.get(key), found.sets.get(key)
        if e == f:
            continue
        where = f"document {key[0]}, {key[1]!r}"
        if e is None or f is None:
            out.append(f"{where}: set {'unexpected' if e is None else 'missing'}")
        else:
            for name in ("status", "comment"):
                if getattr(e, name) != getattr(f, name):
                    out.append(f"{where}: {name} {getattr(f, name)!r}, expected {getattr(e, name)!r}")
            for table in ("entities", "quotes", "stances"):
                te, tf = getattr(e, table), getattr(f, table)
                for i in sorted(set(te) | set(tf)):
                    if te.get(i) != tf.get(i):
                        out.append(f"{where}: {table} {i}: found {tf.get(i)}, expected {te.get(i)}")
        if len(out) >= limit:
            return out[:limit] + ["..."]
    return out


def _lost_edits(initial: State, journal: Journal, found: State) -> Optional[int]:
    """How many committed edits at the end of the journal the project lacks, if it matches an earlier point of
    the journal (or that point plus the edit in flight); None when it matches no point."""
    state = initial.copy()
    best = 0 if state == found else None
    for k, edit in enumerate(journal.committed, 1):
        try:
            apply(state, edit)
        except ReplayError:
            break
        if state == found:
            best = k
    return None if best is None else len(journal.committed) - best


def compare(initial: State, journal: Journal, found: State, verdict: Verdict) -> None:
    """Fill verdict's outcome, lost and mismatch: the project against the replayed journal."""
    expected = initial.copy()
    for edit in journal.committed:
        try:
            apply(expected, edit)
        except ReplayError as exc:
            verdict.mismatch.append(f"committed edit {edit.n} ({edit.op}) cannot be replayed: {exc}")
            return
    if found == expected:
        if journal.in_flight:
            verdict.outcome = "not applied" if _changes(journal.in_flight, expected) else "no change"
        return
    if journal.in_flight:
        ids = in_flight_ids(journal.in_flight, expected, found)
        if ids is not None:
            after = expected.copy()
            try:
                apply(after, journal.in_flight, ids)
            except ReplayError:
                after = None
            if after == found:
                verdict.outcome = "applied"
                return
    lost = _lost_edits(initial, journal, found)
    if lost:
        verdict.lost = lost
    else:
        what = f"edit in flight ({journal.in_flight.op} #{journal.in_flight.n}) half applied, or " \
            if journal.in_flight else ""
        verdict.mismatch.append(f"the project matches no point of the journal ({what}changes nobody made):")
        verdict.mismatch += ["  " + d for d in _describe(expected, found)]


def check_export(project: Project, folder: Path) -> list[str]:
    """Export the project; every line valid, and the lines equal to the records built from the rows."""
    out = folder / "drill-export.jsonl"
    try:
        export_jsonl(project, out)
    except Exception as exc:  # any failure to export after a crash is what this check reports
        return [f"export failed: {type(exc).__name__}: {exc}"]
    problems = []
    lines = out.read_bytes().splitlines()
    records = list(iter_records(project))
    if len(lines) != len(records):
        problems.append(f"{out}: {len(lines)} line(s), the project has {len(records)} set(s)")
    for number, (raw, record) in enumerate(zip(lines, records), 1):
        obj = json.loads(raw)
        problems += [f"{out}:{number}: {p}" for p in schema_problems(obj)]
        try:
            parse_annotations(obj, obj["text"])
        except RecordError as exc:
            problems.append(f"{out}:{number}: {exc}")
        if obj != json.loads(json.dumps(record, ensure_ascii=False)):
            problems.append(f"{out}:{number}: the export line of {obj['id']!r} ({obj['annotator']}) differs from "
                            f"the project's rows (a stale cached fragment)")
    return problems[:20]


def check(project_path: str | Path, journal_path: str | Path, initial: State) -> Verdict:
    """Open the project after the kill and answer the module's questions about it."""
    journal = read_journal(journal_path)
    verdict = Verdict(len(journal.committed), len(journal.refused),
                      journal.in_flight.op if journal.in_flight else None, atomicity=atomicity_problems(journal))
    with Project.open(project_path) as project:
        verdict.integrity = project.integrity_problems()
        found = read_state(project)
        with tempfile.TemporaryDirectory(prefix="crashdrill-") as tmp:
            verdict.export = check_export(project, Path(tmp))
    compare(initial, journal, found, verdict)
    return verdict
