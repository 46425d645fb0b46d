"""Bad-input benchmark: hundreds of malformed or hostile files through the real CLI, one subprocess each.

`python -m app.bench badinput [--family NAME] [--jobs N] [--verbose]`

Every case is a file (or folder, or symlink) made here, the command a user would run on it (`tawsim import`,
`merge`, `init --labels`, `validate`; the gazetteer has no command, so the core call the window makes), run
against a fresh copy of a project, and an expectation: refused or accepted. Each run is classified:

* clean:      refused (exit 1), the first line of stderr `tawsim: ...` naming the file or the cause, no traceback;
              or accepted (exit 0) where acceptance is expected
* traceback:  a Python traceback, or death by a signal
* wrongly accepted: exit 0 for an input that must be refused
* wrongly refused:  refused an input that must be accepted (a BOM, CRLF, a symlink to a good file ...)
* changed:    refused, yet the project's content (every row, by iterdump) differs from before

A table per importer family follows. The goal is nothing but clean runs.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .badinput_cases import FAMILIES, Case
from .badinput_projectfiles import all_cases

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ("import sys\nfrom app.core.assist.gazetteer import import_gazetteer\nfrom app.core.io.source import SourceError\n"
             "from app.core.store import Project\np = Project.open(sys.argv[1])\ntry:\n"
             "    print(import_gazetteer(p, sys.argv[2]))\nexcept SourceError as exc:\n"
             "    print('tawsim:', exc, file=sys.stderr); sys.exit(1)\nfinally:\n    p.close()\n")


@dataclass
class Outcome:
    case: Case
    rc: int
    stdout: str
    stderr: str
    changed: bool
    where: str  # the folder the case ran in: a clean refusal names a file in it (the input, or the project)

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr or self.rc < 0 or self.rc > 2

    @property
    def verdict(self) -> str:
        if self.traceback:
            return "traceback"
        if self.rc == 0:
            return "clean" if self.case.accept else "wrongly accepted"
        if self.case.accept:
            return "wrongly refused"
        if self.changed:
            return "changed"
        # validate lists its problems on stdout (FILE:LINE: problem), the other commands one line on stderr
        said = self.stdout if self.case.command == "validate" else self.stderr
        first = said.strip().splitlines()[0] if said.strip() else ""
        prefix = "" if self.case.command == "validate" else "tawsim: "
        return "clean" if self.rc == 1 and first.startswith(prefix) and first[len(prefix):].startswith(
            self.where) else "unclear message"


def content(db: Path) -> Optional[str]:
    """sha256 of every row of the project (None: there is no project)."""
    if not db.exists():
        return None
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def make_base(folder: Path) -> Path:
    """The project every case runs against: the seed articles, one annotator's set, the default labels."""
    from ..core.exchange.importer import import_sources
    from ..core.store import Project
    from .badinput_cases import SEED_SET

    db = folder / "base.db"
    with Project.create(db) as p:
        import_sources(p, [ROOT / "seeds"])
        src = folder / "seed-set.jsonl"
        src.write_bytes(SEED_SET)
        import_sources(p, [src])
    return db


def cli_args(case: Case, db: Path, target: Path) -> list[str]:
    """The `tawsim` arguments that run `case` (the gazetteer, which has no command: the path, then the file)."""
    if case.command == "gazetteer":
        return [str(db), str(target)]
    if case.command == "validate":
        return ["validate", str(target)]
    if case.command == "init":
        return ["init", str(db), "--labels", str(target)]
    return [case.command, str(db), str(target), *case.args]


def prepare(case: Case, base: Path, work: Path) -> tuple[Path, Path, Path, Optional[str]]:
    """(folder, project, input) for one run, in a fresh folder of `work`, and the project's content before."""
    here = Path(tempfile.mkdtemp(prefix=f"{case.family}-", dir=work))
    db = here / "p.db"
    if case.command != "init":
        shutil.copyfile(base, db)
    return here, db, case.materialise(here, base), content(db)


def finish(case: Case, here: Path, db: Path, before: Optional[str], rc: int, out: str, err: str) -> Outcome:
    after = content(db)
    changed = after is not None if case.command == "init" else after != before
    shutil.rmtree(here, ignore_errors=True)
    return Outcome(case, rc, out, err, changed and case.command != "validate" and not case.accept, str(here))


def run_case(case: Case, base: Path, work: Path) -> Outcome:
    """One case through the real CLI in a subprocess."""
    here, db, target, before = prepare(case, base, work)
    head = [sys.executable, "-c", GAZETTEER] if case.command == "gazetteer" else [sys.executable, "-m", "app"]
    r = subprocess.run(head + cli_args(case, db, target), cwd=ROOT, capture_output=True, text=True,
                       errors="replace", timeout=300)
    return finish(case, here, db, before, r.returncode, r.stdout, r.stderr)


def run_case_here(case: Case, base: Path, work: Path) -> Outcome:
    """One case through the CLI's entry point in this process (for the test suite: milliseconds, not a Python
    start-up each); an exception escaping it is reported as the traceback it would print."""
    import contextlib
    import io
    import traceback

    from .. import cli
    from ..core.assist.gazetteer import import_gazetteer
    from ..core.io.source import SourceError
    from ..core.store import Project

    here, db, target, before = prepare(case, base, work)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            if case.command == "gazetteer":
                with Project.open(db) as p:
                    try:
                        import_gazetteer(p, target)
                        rc = 0
                    except SourceError as exc:
                        print(f"tawsim: {exc}", file=sys.stderr)
                        rc = 1
            else:
                rc = cli.main(cli_args(case, db, target))
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 2
        except BaseException:
            err.write(traceback.format_exc())
            rc = 99
    return finish(case, here, db, before, rc, out.getvalue(), err.getvalue())


@dataclass
class Tally:
    tried: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def run_all(cases: list[Case], jobs: int = 4, on_done: Optional[Callable[[Outcome], None]] = None,
            here: bool = False) -> list[Outcome]:
    """Run every case (in subprocesses, `jobs` at once; or in this process, one at a time, with `here`)."""
    with tempfile.TemporaryDirectory(prefix="tawsim-badinput-") as tmp:
        work = Path(tmp)
        base = make_base(work)
        run = run_case_here if here else run_case
        with ThreadPoolExecutor(max_workers=1 if here else jobs) as pool:
            outcomes = []
            for o in pool.map(lambda c: run(c, base, work), cases):
                outcomes.append(o)
                if on_done:
                    on_done(o)
    return outcomes


COLUMNS = ("clean", "traceback", "wrongly accepted", "wrongly refused", "changed", "unclear message")


def table(outcomes: list[Outcome]) -> str:
    tallies: dict[str, Tally] = {}
    for o in outcomes:
        t = tallies.setdefault(o.case.family, Tally())
        t.tried += 1
        t.counts[o.verdict] = t.counts.get(o.verdict, 0) + 1
    head = f"| {'importer':<12} | tried | " + " | ".join(COLUMNS) + " |"
    rows = [head, "|" + "|".join("-" * len(c) for c in head.strip("|").split("|")) + "|"]
    total = Tally()
    for fam in [f for f in FAMILIES if f in tallies]:
        t = tallies[fam]
        total.tried += t.tried
        for k, v in t.counts.items():
            total.counts[k] = total.counts.get(k, 0) + v
        rows.append(f"| {fam:<12} | {t.tried:>5} | " + " | ".join(f"{t.counts.get(c, 0):>{len(c)}}" for c in COLUMNS)
                    + " |")
    rows.append(f"| {'total':<12} | {total.tried:>5} | "
                + " | ".join(f"{total.counts.get(c, 0):>{len(c)}}" for c in COLUMNS) + " |")
    return "\n".join(rows)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--family", action="append", choices=FAMILIES, help="only these importer families")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="cases run at once")
    ap.add_argument("--verbose", action="store_true", help="print every case that is not clean, with its stderr")


def run(a: argparse.Namespace) -> int:
    cases = [c for c in all_cases() if not a.family or c.family in a.family]
    bad: list[Outcome] = []

    def done(o: Outcome) -> None:
        if o.verdict != "clean":
            bad.append(o)

    outcomes = run_all(cases, a.jobs, done)
    print(table(outcomes))
    for o in bad:
        print(f"\n{o.verdict}: {o.case.family}/{o.case.name} (exit {o.rc})")
        if a.verbose:
            print("  " + "\n  ".join(o.stderr.strip().splitlines()[-6:]))
    return 1 if bad else 0
