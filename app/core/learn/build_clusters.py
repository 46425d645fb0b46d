"""Rebuild the word clusters the recogniser uses (resources/arabic/word_clusters.tsv) from unlabelled news text.

    python -m app.core.learn.build_clusters [CORPUS_DIR ...] [--out FILE]

Why clusters: a project's annotations name only a few thousand words; unlabelled news shows how tens of thousands
more are used. Words used in the same contexts (the words before and after them) fall in the same cluster, so
`يونغ` and `أون` share a cluster with other name parts, `طوكيو` with other capitals, and a recogniser that has
learnt "cluster 17 is often a place" recognises a place it never saw annotated. Published Arabic NER gains a few
F1 points from such clusters (Brown clusters in the CRF systems; distributional clusters serve the same purpose).

How (deterministic, about a second on ANT's 300 articles, numpy only):
1. every <TEXT>/<TITLE>/<ABSTRACT> of the TREC files (or every line of plain .txt files) is tokenized and each word
   keyed as the features key it (normalised, proclitics and the article dropped: app.core.learn.features);
2. words seen at least MIN_COUNT times get a context vector: counts of the CONTEXT_WORDS most frequent keys at
   -2, -1, +1, +2, weighted by positive pointwise mutual information;
3. reduced to DIMENSIONS by a truncated SVD, rows L2-normalised, clustered by k-means (k-means++ seeding, fixed
   seed) twice: COARSE and FINE clusters, the recogniser's two granularities (like Brown cluster prefixes).

The default corpus is ../shared/corpora/news-dev (ANT Corpus v2.1, Apache-2.0; see its README for the citation).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

from ..assist.clitics import Snapper
from ..text.tokenize import tokenize
from .clusters import CLUSTERS_FILE
from .features import TokenKeys

DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpora" / "news-dev"
MIN_COUNT = 3
CONTEXT_WORDS = 600
DIMENSIONS = 80
COARSE, FINE = 40, 200
SEED = 7
CREDIT = ("derived from the ANT Corpus v2.1 (Apache-2.0): Chouigui, Ben Khiroun, Elayeb, \"ANT Corpus: An Arabic "
          "News Text Collection for Textual Classification\", AICCSA 2017")
_FIELDS = re.compile(r"<(TITLE|ABSTRACT|TEXT)>(.*?)</\1>", re.S)


def corpus_texts(folders: Sequence[Path]) -> Iterable[str]:
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.txt")):
            if path.name.startswith("README"):
                continue
            content = path.read_text(encoding="utf-8", errors="replace")
            fields = _FIELDS.findall(content)
            if fields:
                yield from (body for _, body in fields)
            elif "<DOC>" not in content:
                yield content


def sentences_of_keys(texts: Iterable[str], keys: TokenKeys) -> list[list[str]]:
    out = []
    for text in texts:
        for line in text.splitlines():
            words = [line[s:e] for s, e in tokenize(line)]
            if words:
                out.append([keys.keys(w)[2] for w in words])
    return out


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, rounds: int = 30) -> np.ndarray:
    """Cluster index of each row (k-means++ seeding, Lloyd iterations on cosine-normalised rows)."""
    n = x.shape[0]
    centres = [x[rng.integers(n)]]
    d2 = np.full(n, np.inf)
    for _ in range(1, k):
        d2 = np.minimum(d2, ((x - centres[-1]) ** 2).sum(1))
        centres.append(x[rng.choice(n, p=d2 / d2.sum())])
    c = np.array(centres)
    assign = np.zeros(n, dtype=int)
    for _ in range(rounds):
        new = (x @ c.T).argmax(1)
        if (new == assign).all():
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                m = members.mean(0)
                c[j] = m / (np.linalg.norm(m) or 1.0)
    return assign


def build(folders: Sequence[Path], min_count: int = MIN_COUNT, coarse_k: int = COARSE, fine_k: int = FINE
          ) -> dict[str, tuple[int, int]]:
    """key -> (coarse cluster, fine cluster) of every word seen at least `min_count` times."""
    keys = TokenKeys(Snapper())
    sents = sentences_of_keys(corpus_texts(folders), keys)
    counts = Counter(w for s in sents for w in s)
    vocab = sorted((w for w, c in counts.items() if c >= min_count and w), key=lambda w: (-counts[w], w))
    row = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[:CONTEXT_WORDS])}
    m = np.zeros((len(vocab), 4 * len(ctx)), dtype=np.float32)
    for s in sents:
        for i, w in enumerate(s):
            r = row.get(w)
            if r is None:
                continue
            for slot, off in enumerate((-2, -1, 1, 2)):
                j = i + off
                if 0 <= j < len(s):
                    c = ctx.get(s[j])
                    if c is not None:
                        m[r, slot * len(ctx) + c] += 1
    rows, cols = m.sum(1, keepdims=True), m.sum(0, keepdims=True)
    nz = m > 0
    m[nz] = np.maximum(np.log((m * m.sum() / np.maximum(rows @ cols, 1e-12))[nz]), 0.0)  # PPMI, in place
    # Truncated SVD through the small Gram matrix (columns x columns): the right singular vectors, then x = M V.
    evals, evecs = np.linalg.eigh(m.T.astype(np.float64) @ m.astype(np.float64))
    top = evecs[:, np.argsort(evals)[::-1][:DIMENSIONS]]
    x = m.astype(np.float64) @ top
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    rng = np.random.default_rng(SEED)
    coarse, fine = _kmeans(x, min(coarse_k, len(vocab)), rng), _kmeans(x, min(fine_k, len(vocab)), rng)
    return {w: (int(coarse[i]), int(fine[i])) for i, w in enumerate(vocab)}


def write(clusters: dict[str, tuple[int, int]], out: Path, sources: Sequence[Path]) -> None:
    lines = [f"# word clusters for app.core.learn (rebuild: python -m app.core.learn.build_clusters); "
             f"{len(clusters)} words from {', '.join(Path(s).name for s in sources)}; key<TAB>coarse<TAB>fine",
             f"# {CREDIT}"]
    lines += [f"{w}\t{c}\t{f}" for w, (c, f) in sorted(clusters.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.core.learn.build_clusters")
    p.add_argument("corpus", nargs="*", type=Path, default=[DEFAULT_CORPUS], help="folders of news text")
    p.add_argument("--out", type=Path, default=CLUSTERS_FILE)
    a = p.parse_args(argv)
    clusters = build(a.corpus)
    write(clusters, a.out, a.corpus)
    print(f"{len(clusters)} words in {COARSE} / {FINE} clusters written to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
