"""One crash-drill trial end to end: a copy of a prepared project, the driver started as a subprocess, a SIGKILL at
the planned moment, and the check. The test suite runs a few; `python -m app.bench crash --trials 50` runs many.

Kill moments come in three kinds, because each can break something different:
* "startup": within the first quarter second, while the process imports, opens the project or makes its first edit;
* "delay":   a random time after the first edit began, anywhere in a run of edits (short or long runs);
* "bulk":    just after the journal says a tag-all (or its undo) began, so the kill lands inside one big
             transaction over many documents, which must then be all there or not there at all;
* "statement": the driver kills itself with SIGKILL just before the N-th SQL statement of its K-th edit, so
             kills fall between any two statements of an edit (inside its transaction, or between two if it had
             two) instead of where the time goes (the journal's fsyncs).
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ...core.exchange.importer import import_sources
from ...core.model import ENTITY, QUOTE_KIND, STANCE
from ...core.store import Project
from .check import Verdict, check
from .expected import read_state

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"
BULK_OPS = (b'"op":"tag_all"', b'"op":"untag_all"')


@dataclass(frozen=True)
class KillPlan:
    mode: str  # "startup", "delay", "bulk" or "statement"
    delay: float  # seconds after the start (startup), the first edit (delay) or the bulk edit (bulk) began
    statement: int = 0  # for "statement": the driver kills itself before this SQL statement of ...
    edit: int = 0  # ... this edit (counted from 1)

    def __str__(self) -> str:
        return (f"edit {self.edit} stmt {self.statement}" if self.mode == "statement" else
                f"{self.mode} +{self.delay:.3f}s")


def random_plan(rng: random.Random, long: float = 2.0) -> KillPlan:
    """A kill moment of the module's kinds: 15% startup, 25% bulk, 35% delay up to `long` s, 25% statement."""
    r = rng.random()
    if r < 0.15:
        return KillPlan("startup", rng.uniform(0.0, 0.25))
    if r < 0.4:
        return KillPlan("bulk", rng.uniform(0.0, 0.015))
    if r < 0.75:
        return KillPlan("delay", rng.uniform(0.0, long))
    return KillPlan("statement", 0.0, rng.randint(1, 25), rng.randint(1, 150))


def build_project(path: Path, documents: int = 300, seed: int = 0) -> None:
    """The project every trial copies: the seed articles, `documents` short articles made of their sentences (so
    tag-all finds names in many of them), and a colleague's finished work on a few, which no edit may touch."""
    rng = random.Random(seed)
    project = Project.create(path)
    try:
        import_sources(project, [SEEDS])
        sentences = [s.strip() + "." for f in sorted(SEEDS.glob("*.txt"))
                     for s in f.read_text(encoding="utf-8").replace("\n", ".").split(".") if len(s.split()) >= 4]
        with project.transaction():
            for i in range(documents):
                project.insert_document(f"drill-{i:05d}", " ".join(rng.choice(sentences) for _ in range(4)), {})
        labels = {kind: sorted(project.label_names(kind)) for kind in (ENTITY, QUOTE_KIND, STANCE)}
        for doc in [k for k, _ in project.iter_texts()][:6]:
            text = project.document(doc).text
            e = project.add_entity(doc, "colleague", 0, text.index(" "), labels[ENTITY][0])
            q = project.add_quote(doc, "colleague", 0, len(text) // 2, speaker=e.id, kind=labels[QUOTE_KIND][0])
            project.add_stance(doc, "colleague", labels[STANCE][0], target=e.id, scope=q.id)
            project.set_status(doc, "colleague", "done", "checked")
    finally:
        project.close()


@dataclass
class TrialResult:
    seed: int
    plan: Optional[KillPlan]
    verdict: Verdict
    seconds: float  # from starting the driver to the kill (or its exit)
    driver_error: str = ""  # the driver exited by itself with an error (stderr's last lines)
    bulk_begun: bool = True  # for "bulk" plans: whether a bulk edit began before the kill

    @property
    def ok(self) -> bool:
        return self.verdict.ok and not self.driver_error


def _wait_for(journal: Path, proc: subprocess.Popen, timeout: float, ops: tuple[bytes, ...] = (b'"op":',)) -> bool:
    """Poll the journal until one of `ops` has begun (True), the driver exits or the time is up (False)."""
    deadline, seen = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and proc.poll() is None:
        data = journal.read_bytes() if journal.exists() else b""
        complete = data[:data.rfind(b"\n") + 1]
        if any(op in complete[seen:] for op in ops):
            return True
        seen = max(0, len(complete) - 64)
        time.sleep(0.0005)
    return False


def run_trial(template: Path, workdir: Path, seed: int, plan: Optional[KillPlan], edits: int = 0,
              bulk_timeout: float = 5.0) -> TrialResult:
    """Copy the template, run the driver with `seed`, kill it as planned (plan None: let it make `edits` edits
    and exit), and check the project."""
    db, journal = workdir / f"trial-{seed}.db", workdir / f"trial-{seed}.journal"
    for leftover in (db, journal, Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(template, db)
    with Project.open(db) as project:
        initial = read_state(project)
    cmd = [sys.executable, "-m", "app.bench.crashdrill.driver", str(db), str(journal), "--seed", str(seed)]
    if plan is None:
        cmd += ["--edits", str(edits)]
    elif plan.mode == "statement":
        cmd += ["--kill-at", str(plan.edit), str(plan.statement)]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    bulk_begun = True
    try:
        if plan is None or plan.mode == "statement":
            proc.wait(timeout=120)
        else:
            if plan.mode == "bulk":
                bulk_begun = _wait_for(journal, proc, bulk_timeout, BULK_OPS)
            elif plan.mode == "delay":
                _wait_for(journal, proc, 30.0)
            time.sleep(plan.delay)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    seconds = time.monotonic() - started
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    # Killed as planned, or (no plan) finished: anything else is the driver failing by itself, e.g. an error the
    # store raised that it should have refused cleanly.
    died = proc.returncode != (0 if plan is None else -signal.SIGKILL)
    driver_error = ("\n".join(err.strip().splitlines()[-5:]) or f"exit status {proc.returncode}") if died else ""
    return TrialResult(seed, plan, check(db, journal, initial), seconds, driver_error, bulk_begun)
