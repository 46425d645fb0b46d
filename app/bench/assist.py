"""Arabic-assistance benchmark (`python -m app.bench assist`): quote suggestions on real news (the first pass over
each of the news-dev articles, 99th percentile, target <= 20 ms) and on a 5,000-character article, then corpus-wide
tag-all over 100,000 articles, planned and applied (target <= 5 s)."""
from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from ..core.assist.suggest import suggest_quotes
from ..core.assist.tagall import plan_corpus
from ..core.store import Project
from .corpus import build_project, project_sentences


NEWS_DEV = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "news-dev"


def news_bodies(folder: Path) -> list[str]:
    """The article bodies of a folder of TREC-style files (<TEXT>...</TEXT>), in file-name order."""
    out = []
    for f in sorted(folder.rglob("*.txt")):
        m = re.search(r"<TEXT>\n?(.*?)\n?</TEXT>", f.read_text(encoding="utf-8"), re.S)
        if m:
            out.append(m.group(1))
    return out


def first_pass(texts: list[str]) -> list[float]:
    """Milliseconds of suggest_quotes on each text, each seen once (nothing about it cached beforehand)."""
    suggest_quotes("قال الوزير إن الاجتماع مثمر.")  # the rules are compiled once per process, not per article
    times = []
    for text in texts:
        t0 = time.perf_counter()
        suggest_quotes(text)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def add_arguments(p) -> None:
    p.add_argument("--news", type=Path, default=NEWS_DEV,
                   help="folder of TREC-style news articles for the first-pass timing (default: news-dev)")
    p.add_argument("--quotes-only", action="store_true", help="skip the 100,000-article tag-all benchmark")
    p.add_argument("--n", type=int, default=100_000, help="articles in the corpus (default 100,000)")
    p.add_argument("--surface", default="الكويت", help="the name to tag everywhere (default الكويت)")


def run(args) -> int:
    if args.news.is_dir():
        texts = news_bodies(args.news)
        times = first_pass(texts)
        worst = p99(times)
        print(f"quote suggestions, first pass over {len(texts)} news articles: 99th percentile {worst:.1f} ms "
              f"(median {statistics.median(times):.1f}, max {max(times):.1f})   target <= 20 ms "
              f"{'PASS' if worst <= 20 else 'FAIL'}")
    else:
        print(f"no news folder at {args.news} (--news DIR): first-pass timing skipped")
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

    if args.quotes_only:
        return 0
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
