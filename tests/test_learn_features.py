"""The recogniser's knowledge from outside the project's annotations (issue 17 item 2): word lists (places,
nationalities, first names, organisation words, titles: resources/arabic/ner_lexicon.json) and word clusters
learnt from unlabelled news (resources/arabic/word_clusters.tsv, rebuilt by app.core.learn.build_clusters).
A model trained on a few annotated sentences finds a place no annotation named, because its word list or its
cluster says what it is; the cluster builder groups words by the contexts they are used in."""
from __future__ import annotations

import json
import random
from pathlib import Path

from app.core.learn.build_clusters import build
from app.core.learn.crf import Tagger
from app.core.learn.lexicon import LEXICON_FILE
from app.core.learn.sequences import Sentence
from app.core.learn.training import fit

UNSEEN = ["الرياض", "برلين", "بيروت", "الخرطوم"]  # in the place list, never annotated
PLACES = [p for p in json.loads(LEXICON_FILE.read_text("utf-8"))["place"] if " " not in p and p not in UNSEEN]


def _sentence(words: list[str], tags: list[str]) -> Sentence:
    toks, pos = [], 0
    for w in words:
        toks.append((pos, pos + len(w)))
        pos += len(w) + 1
    return Sentence(toks, words, tags)


def _made_up_words(rng: random.Random, n: int) -> list[str]:
    """Words of no language (so in no list and no cluster), as unknown to the model as an unseen name."""
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 6))) for _ in range(n)]


def test_a_place_no_annotation_named_is_found_through_the_word_lists():
    """Every word is met once or twice, places and other words stand anywhere among the same kind of words: only
    knowing that a word is a place tells it apart. Without word lists or clusters an unseen place and an unseen
    word look the same to the model."""
    rng = random.Random(3)
    fillers = _made_up_words(rng, 900)
    sents = []
    for n in range(150):
        words = [fillers.pop() for _ in range(5)]
        k = rng.randrange(6)
        words.insert(k, PLACES[n % len(PLACES)])
        sents.append(_sentence(words, ["B-LOC" if i == k else "O" for i in range(6)]))
    crf, names = fit([sents[i:i + 20] for i in range(0, len(sents), 20)])
    tagger = Tagger(crf, names)
    for place in UNSEEN:
        words = [fillers.pop(), fillers.pop(), place, fillers.pop(), fillers.pop()]
        assert tagger.tag(_sentence(words, None)) == ["O", "O", "B-LOC", "O", "O"], place


def test_cluster_builder_groups_words_used_in_the_same_contexts(tmp_path: Path):
    rng = random.Random(5)
    cities, foods = ["برلين", "روما", "لشبونة", "فيينا"], ["خبز", "عدس", "تمر", "لبن"]
    lines = []
    for _ in range(200):
        lines.append(f"سافر الوفد إلى {rng.choice(cities)} أمس صباحا")
        lines.append(f"أكل الطفل {rng.choice(foods)} مع الحليب")
    (tmp_path / "news.txt").write_text("\n".join(lines), encoding="utf-8")
    clusters = build([tmp_path], min_count=3, coarse_k=2, fine_k=4)
    coarse_of = {w: clusters[w][0] for w in cities + foods}
    assert len({coarse_of[w] for w in cities}) == 1 and len({coarse_of[w] for w in foods}) == 1
    assert coarse_of[cities[0]] != coarse_of[foods[0]]
    assert build([tmp_path], min_count=3, coarse_k=2, fine_k=4) == clusters  # deterministic: same file again
