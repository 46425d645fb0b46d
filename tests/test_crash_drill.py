"""kill -9 while editing loses nothing: a subprocess makes random edits through the Project calls the window's undo
commands make and is killed with SIGKILL at random moments; after each kill the project passes SQLite's integrity
checks, holds every edit the process reported committed, holds the edit in flight whole or not at all, and exports
valid JSONL. Also: the check itself catches a half-applied edit, a lost edit and a broken reference.

`python -m app.bench crash --trials 50` runs the same trials at length.
"""
from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from app.bench.crashdrill.check import check
from app.bench.crashdrill.driver import StatementTrace
from app.bench.crashdrill.expected import read_state
from app.bench.crashdrill.journal import JournalWriter, read_journal
from app.bench.crashdrill.trial import KillPlan, build_project, run_trial
from app.core.store import Project


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("drill") / "template.db"
    build_project(path, documents=120)
    return path


def _report(r) -> str:
    return (f"seed {r.seed}, kill {r.plan}: " + "; ".join(r.verdict.problems()) +
            (f"; driver: {r.driver_error}" if r.driver_error else ""))


def test_sigkill_at_random_moments_loses_no_committed_edit(template, tmp_path):
    rng = random.Random()
    plans = [KillPlan("startup", rng.uniform(0.0, 0.25)),  # importing, opening, or the first edits
             KillPlan("delay", rng.uniform(0.2, 0.8)),  # a run of edits
             KillPlan("bulk", rng.uniform(0.0, 0.015)),  # inside a corpus-wide tag-all (or its undo)
             KillPlan("statement", 0.0, rng.randint(1, 25), rng.randint(1, 40))]  # inside a random edit
    results = [run_trial(template, tmp_path, rng.randrange(1_000_000), plan, bulk_timeout=10.0) for plan in plans]
    for r in results:
        assert r.ok, _report(r)
    assert results[1].verdict.committed > 0, "no edit was committed before the kill"
    assert results[2].bulk_begun, f"seed {results[2].seed}: no tag-all began before the kill"
    assert all(r.verdict.in_flight is None or r.verdict.outcome for r in results)


def test_a_run_that_finishes_matches_its_journal_exactly(template, tmp_path):
    """Without a kill the project must equal the journal replayed, edit for edit: the replay's rules agree with
    the store's, so after a kill any difference is the kill's doing."""
    r = run_trial(template, tmp_path, 5, None, edits=100)
    assert r.ok, _report(r)
    journal = read_journal(tmp_path / "trial-5.journal")
    assert journal.finished and journal.in_flight is None
    assert r.verdict.committed + r.verdict.refused == 100
    # Seed 5 moves linked entities and deletes quotes with stances: a store that stopped carrying an entity's
    # text to its quotes, or a quote's stances along, fails here (checked by breaking each on purpose).
    assert {e.op for e in journal.committed} >= {"add_entity", "update_entity", "delete_entity", "restore_entity",
                                                 "add_quote", "update_quote", "delete_quote", "add_stance",
                                                 "set_status"}


# ---- the check catches what it is there to catch -------------------------------------------------------------------
class Journalled:
    """Edits made the driver's way (journal, call, journal), to build the states a kill could leave."""

    def __init__(self, db: Path, journal: Path):
        self.project, self.journal = Project.open(db), JournalWriter(journal)

    def edit(self, op: str, args: dict, call, commit: bool = True, report: bool = True):
        self.journal.begin(op, {**args, "ann": "drill"})
        result = call(self.project) if commit else None
        if report:
            self.journal.done([result.id] if hasattr(result, "id") else [])
        return result


@pytest.fixture
def drilled(template, tmp_path):
    """(db, journal, state before any edit, Journalled, doc key) on a copy of the template."""
    db = tmp_path / "p.db"
    db.write_bytes(template.read_bytes())
    with Project.open(db) as p:
        initial = read_state(p)
    j = Journalled(db, tmp_path / "j.journal")
    doc = min(initial.texts)
    yield db, tmp_path / "j.journal", initial, j, doc
    j.project.close()


def _entity_and_quote(j: Journalled, doc: int):
    e = j.edit("add_entity", {"doc": doc, "start": 0, "end": 3, "label": "PER"},
               lambda p: p.add_entity(doc, "drill", 0, 3, "PER"))
    j.edit("add_quote", {"doc": doc, "start": 5, "end": 20, "speaker": e.id, "speaker_text": "", "cue": None,
                         "kind": "direct"}, lambda p: p.add_quote(doc, "drill", 5, 20, speaker=e.id))
    return e


@pytest.mark.parametrize("applied", ["whole", "not at all", "half"])
def test_the_check_tells_a_half_applied_edit_in_flight(drilled, applied):
    db, journal, initial, j, doc = drilled
    e = _entity_and_quote(j, doc)
    q = j.project.load(doc, "drill").quotes[0]
    # delete_entity in flight: whole (entity gone, quote unlinked), not at all, or half (quote unlinked only)
    j.edit("delete_entity", {"doc": doc, "id": e.id},
           {"whole": lambda p: p.delete_entity(doc, "drill", e.id), "not at all": lambda p: None,
            "half": lambda p: p.update_quote(doc, "drill", q.id, speaker=None)}[applied], report=False)
    v = check(db, journal, initial)
    assert (v.committed, v.in_flight, v.lost) == (2, "delete_entity", 0)
    if applied == "half":
        assert not v.ok and "delete_entity #3) half applied" in v.mismatch[0], v.problems()
        assert any(f"quotes {q.id}" in m for m in v.mismatch), v.mismatch
    else:
        assert v.ok, v.problems()
        assert v.outcome == {"whole": "applied", "not at all": "not applied"}[applied]


def test_the_check_counts_committed_edits_that_are_missing(drilled):
    db, journal, initial, j, doc = drilled
    e = _entity_and_quote(j, doc)
    # Reported done, but the project does not have it: a lost edit.
    j.edit("add_stance", {"doc": doc, "label": "positive", "target": e.id, "target_text": "", "scope": "document"},
           lambda p: type("Returned", (), {"id": "s1"})())
    v = check(db, journal, initial)
    assert v.lost == 1 and not v.ok, v.problems()
    assert v.problems() == ["1 committed edit(s) lost"]


def test_the_check_reports_a_broken_reference_and_a_torn_journal_line(drilled):
    db, journal, initial, j, doc = drilled
    _entity_and_quote(j, doc)
    with open(journal, "ab") as f:
        f.write(b'{"n":3,"op":"add_ent')  # the kill cut this line short: it reports nothing
    conn = sqlite3.connect(db)  # foreign keys off: what a torn write could leave
    conn.execute('INSERT INTO entities (set_key, id, start, "end", label) VALUES (99999, ?, 0, 1, ?)', ("e9", "PER"))
    conn.commit()
    conn.close()
    assert read_journal(journal).torn_tail
    v = check(db, journal, initial)
    assert v.committed == 2 and v.in_flight is None
    assert any("entities row" in p for p in v.integrity), v.problems()
    assert not v.ok


def test_the_trace_counts_the_transactions_an_edit_commits(drilled):
    """An edit that commits twice is torn by a kill between its commits: the journal's count must show it."""
    _db, _journal, _initial, j, doc = drilled
    p = j.project
    trace = StatementTrace(p.conn)
    p.conn.set_trace_callback(trace)
    trace.begin_edit()
    e = p.add_entity(doc, "drill", 0, 3, "PER")
    assert trace.take_transactions() == 1
    p.delete_entity(doc, "drill", e.id)
    p.add_entity(doc, "drill", 0, 3, "PER")  # two edits in one: what a delete split in two transactions looks like
    assert trace.take_transactions() == 2
    with p.transaction():
        p.add_entity(doc, "drill", 4, 6, "ORG")
        p.set_status(doc, "drill", "done")
    assert trace.take_transactions() == 1
    with pytest.raises(Exception):
        p.update_entity(doc, "drill", "no-such-id", label="ORG")
    assert trace.take_transactions() == 0
    p.conn.execute("INSERT INTO settings VALUES ('drill', '1')")  # a write outside a transaction commits alone
    assert trace.take_transactions() == 1
