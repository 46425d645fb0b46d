"""Arabic-assistance benchmark (`python -m app.bench assist`): quote suggestions on a 5,000-character article
(target <= 20 ms) and corpus-wide tag-all over 100,000 articles, planned and applied (target <= 5 s)."""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from ..core.assist.suggest import suggest_quotes
from ..core.assist.tagall import plan_corpus
from ..core.store import Project
from .corpus import build_project, project_sentences


def add_arguments(p) -> None:
    p.add_argument("--n", type=int, default=100_000, help="articles in the corpus (default 100,000)")
    p.add_argument("--surface", default="الكويت", help="the name to tag everywhere (default الكويت)")


def run(args) -> int:
    rng = random.Random(0)
    sents = project_sentences()
    article = ""
    while len(article) < 5000:
        article += rng.choice(sents) + " "
    article = article[:5000]
    suggest_quotes(article)  # compile the patterns once
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        found = suggest_quotes(article)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"quote suggestions, 5,000 characters: {statistics.median(times):.1f} ms median "
          f"(max {max(times):.1f}), {len(found)} suggestions   target <= 20 ms "
          f"{'PASS' if statistics.median(times) <= 20 else 'FAIL'}")

    tmp = Path(tempfile.mkdtemp(prefix="tawsim-bench-assist-"))
    build_project(tmp / "c.db", args.n)
    project = Project.open(tmp / "c.db")
    t0 = time.perf_counter()
    plan = plan_corpus(project, "bench", args.surface, "GPE")
    t1 = time.perf_counter()
    project.add_entities_bulk("bench", plan.rows(), plan.lengths)
    t2 = time.perf_counter()
    total = t2 - t0
    print(f"tag all '{args.surface}' over {args.n:,} articles: {len(plan.spans):,} occurrences in "
          f"{plan.documents:,} articles; plan {t1 - t0:.2f} s + apply {t2 - t1:.2f} s = {total:.2f} s   "
          f"target <= 5 s {'PASS' if total <= 5 else 'FAIL'}")
    project.close()
    return 0
