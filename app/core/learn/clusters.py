"""Word clusters learnt from unlabelled news (resources/arabic/word_clusters.tsv): a feature for words no
annotation named.

The file maps a word's features key (normalised, proclitics and the article dropped) to a coarse and a fine cluster
of words used in the same contexts; it is built by `python -m app.core.learn.build_clusters` (see there why and
how) and shipped, so nothing is computed or downloaded at run time. A missing or damaged file gives no clusters (the
recogniser still works, a little less well on unseen names); it never stops training or tagging.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

CLUSTERS_FILE = Path(__file__).resolve().parents[3] / "resources" / "arabic" / "word_clusters.tsv"


@lru_cache(maxsize=1)
def word_clusters(path: Path = CLUSTERS_FILE) -> dict[str, tuple[str, str]]:
    """key -> (coarse, fine) cluster names; empty when the file is missing or unreadable."""
    out: dict[str, tuple[str, str]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return out
    for line in lines:
        if line.startswith("# "):  # a comment (a key never holds a space; "#tag" is a word)
            continue
        parts = line.split("\t")
        if len(parts) == 3 and parts[0]:
            out[parts[0]] = (parts[1], parts[2])
    return out
