"""Crash drill benchmark (`python -m app.bench crash --trials 50`): kill -9 an editing process many times and check
the project after each kill (app.bench.crashdrill). Target: 0 integrity failures, 0 lost edits, 0 half-applied
edits, every export valid.

Prints one line per trial (kill moment, edits committed, the edit in flight and whether it was applied) and a
summary; exits 1 if any trial found a problem, and prints the problems. `--sweep FIRST LAST` instead kills one
seeded run before each SQL statement of its edits FIRST..LAST in turn: every place where those edits can be cut.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from .crashdrill.trial import KillPlan, TrialResult, build_project, random_plan, run_trial


def _line(i: int, r: TrialResult) -> str:
    v = r.verdict
    flight = f"{v.in_flight} -> {v.outcome}" if v.in_flight else "nothing in flight"
    if r.plan.mode == "bulk" and not r.bulk_begun:
        flight += " (no bulk edit began in time)"
    status = "ok" if r.ok else "FAILED"
    return (f"{i:3d}  seed {r.seed:<6d} {str(r.plan):<20s} {r.seconds:5.2f}s  {v.committed:4d} committed "
            f"({v.refused} refused)  {flight:<34s} {status}")


def _random(rng: random.Random, trials: int, long: float):
    for _ in range(trials):
        yield random_plan(rng, long)


def _sweep(first: int, last: int, most: int = 60):
    """Kill plans for every statement of edits first..last: the caller sends back each result, and the sweep
    moves to the next edit once a kill came after the edit's outcome (it had fewer statements) or at `most`."""
    for edit in range(first, last + 1):
        for statement in range(1, most + 1):
            result = yield KillPlan("statement", 0.0, statement, edit)
            if result.verdict.committed + result.verdict.refused >= edit:
                break


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0, help="seed of the kill moments and of each trial's edits")
    ap.add_argument("--documents", type=int, default=300, help="articles in the drilled project")
    ap.add_argument("--long", type=float, default=3.0, help="longest run before a timed kill, in seconds")
    ap.add_argument("--sweep", type=int, nargs=2, metavar=("FIRST", "LAST"),
                    help="instead of random moments: the run of --seed killed before each SQL statement of its "
                         "edits FIRST..LAST in turn, every place where those edits can be cut")


def run(a: argparse.Namespace) -> int:
    rng = random.Random(a.seed)
    plans = _sweep(*a.sweep) if a.sweep else _random(rng, a.trials, a.long)
    results: list[TrialResult] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-crash-") as tmp:
        work = Path(tmp)
        build_project(work / "template.db", a.documents)
        print(f"crash drill on a {a.documents + 2}-article project: SIGKILL "
              + (f"before each SQL statement of edits {a.sweep[0]}..{a.sweep[1]}" if a.sweep else
                 f"at {a.trials} random moments"))
        plan = next(plans, None)
        while plan is not None:
            r = run_trial(work / "template.db", work, a.seed if a.sweep else rng.randrange(1_000_000), plan)
            results.append(r)
            print(_line(len(results), r), flush=True)
            for p in r.verdict.problems() + ([f"driver: {r.driver_error}"] if r.driver_error else []):
                print(f"       {p}")
            try:
                plan = plans.send(r)
            except StopIteration:
                plan = None
    failed = [r for r in results if not r.ok]
    outcomes = Counter(r.verdict.outcome for r in results if r.verdict.in_flight)
    bulk = Counter(r.verdict.outcome for r in results if r.verdict.in_flight in ("tag_all", "untag_all"))
    modes = Counter(r.plan.mode for r in results)
    print()
    print(f"trials                 {len(results)} ({', '.join(f'{m} {n}' for m, n in sorted(modes.items()))}), "
          f"{time.monotonic() - started:.1f} s")
    print(f"edits committed        {sum(r.verdict.committed for r in results)} "
          f"(+ {sum(r.verdict.refused for r in results)} refused by the store)")
    print(f"in flight at the kill  {sum(outcomes.values())}: applied {outcomes['applied']}, "
          f"not applied {outcomes['not applied']}, no visible change {outcomes['no change']}")
    print(f"  of them bulk edits   {sum(bulk.values())}: applied {bulk['applied']}, not applied {bulk['not applied']}")
    print(f"integrity failures     {sum(bool(r.verdict.integrity) for r in results)}")
    print(f"lost committed edits   {sum(r.verdict.lost for r in results)}")
    print(f"half-applied/mismatch  {sum(bool(r.verdict.mismatch) for r in results)}")
    print(f"edits not one commit   {sum(len(r.verdict.atomicity) for r in results)}")
    print(f"export problems        {sum(bool(r.verdict.export) for r in results)}")
    print(f"driver errors          {sum(bool(r.driver_error) for r in results)}")
    print(f"result                 {'all trials passed' if not failed else f'{len(failed)} trial(s) FAILED'}")
    return 1 if failed else 0
