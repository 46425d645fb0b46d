"""The features of each token, as "name=value" strings (python-crfsuite's cheapest input).

Arabic news names are mostly recognised by what is around them (titles, cue verbs, prepositions, the article) and
by their own shape once the clitics are gone, so every token carries:

* its normalised match key (app.core.text.arabic: no tashkeel/tatweel, alef forms folded), its stem with the
  proclitics the project's snapper drops (`وبالكويت` -> `الكويت`), and that stem without the article ال;
* prefixes and suffixes of the stem (1-4 letters: nisba ي/ية, plural ون/ين/ات, feminine ة, the article);
* word shape: Arabic / Latin / digits / punctuation, Latin capitalisation, length;
* gazetteer membership (B-/I- of a known name, app.core.learn.gazetteer);
* knowledge from outside the project's annotations, for the names no annotation named yet: its coarse and fine
  word cluster learnt from unlabelled news (app.core.learn.clusters), and the word list it belongs to (places,
  nationalities, first names, organisation words, titles: app.core.learn.lexicon), its own and its neighbours';
* the same keys, stems, shapes and gazetteer tags of the tokens at -2..+2, two word bigrams, and its position in
  the sentence (first, last).

Measured by document-level cross-validation (`python -m app.bench learn --doc-cv 4`, and 5 folds over the 40
hand-annotated news articles of tests/fixtures/news_gold with clusters rebuilt without them): the clusters and
word lists raise news F1 from 0.547 to 0.608 (PER 0.43 -> 0.53, GPE 0.71 -> 0.75, ORG 0.35 -> 0.41); see the
README's benchmark notes for AQMAR. A model only adds features to those of earlier models, so an older model
still tags with the features it was trained on.

Tried and left out (3-fold cross-validation on AQMAR's training part): the neighbours' stems and prefixes plus a
word trigram scored 0.698 against 0.699 without them, and trained a quarter slower.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from ..assist.clitics import Snapper
from ..text.arabic import normalize
from .clusters import word_clusters
from .gazetteer import NameIndex
from .lexicon import lexicon_index, lexicon_tags

_ARTICLE = "ال"


def _shape(word: str) -> str:
    if not word:
        return "empty"
    c = word[0]
    if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufeff":
        return "ar"
    if word.isdigit():
        return "d" + str(min(len(word), 4))
    if c.isalpha():
        if word.isupper():
            return "LAT_UP"
        return "LAT_Cap" if c.isupper() else "lat"
    if any(ch.isdigit() for ch in word):
        return "dmix"
    return "p" + c if len(word) == 1 else "sym"


class TokenKeys:
    """Per-word keys and feature strings, cached (a corpus repeats its words, and so does every article)."""

    def __init__(self, snapper: Snapper):
        self.snapper = snapper
        self.clusters = word_clusters()
        self.keys = lru_cache(maxsize=200_000)(self._keys)
        self.word_features = lru_cache(maxsize=200_000)(self._word_features)
        self.lexicon = lexicon_index(lambda w: self.keys(w)[2])

    def _keys(self, word: str) -> tuple[str, str, str, str]:
        """key (normalised), stem (proclitics dropped), bare (stem without ال), shape."""
        key = normalize(word)
        cut = self.snapper.strip(key) if key and "\u0600" <= key[0] <= "\u06ff" else 0
        stem = key[cut:] if cut < len(key) else key
        bare = stem[2:] if stem.startswith(_ARTICLE) and len(stem) > 4 else stem
        return key, stem, bare, _shape(word)

    def _word_features(self, word: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
        """The token's own feature strings, and those it gives its neighbours at each offset."""
        key, stem, bare, shape = self._keys(word)
        own = ["w=" + key, "s=" + stem, "b=" + bare, "sh=" + shape, "len=" + str(min(len(bare), 8))]
        if len(stem) != len(key):
            own.append("pre=" + key[:len(key) - len(stem)])
        if len(bare) != len(stem):
            own.append("al")
        for m in (1, 2, 3, 4):
            if len(bare) > m:
                own.append(f"p{m}={bare[:m]}")
                own.append(f"x{m}={bare[-m:]}")
        cl = self.clusters.get(bare)
        if cl:
            own += ["c1=" + cl[0], "c2=" + cl[1]]
        ctx = {}
        for o in _OFFSETS:
            c = [f"{o}w={key}", f"{o}b={bare}", f"{o}sh={shape}"]
            if o in (-1, 1) and len(bare) > 2:
                c.append(f"{o}x2={bare[-2:]}")
            if cl:
                c.append(f"{o}c2={cl[1]}")
            ctx[o] = tuple(c)
        return tuple(own), ctx


_OFFSETS = (-2, -1, 1, 2)


def name_key(keys: TokenKeys, words: Sequence[str]) -> tuple[str, ...]:
    """A name's gazetteer key: the bare stem of each of its tokens."""
    return tuple(keys.keys(w)[2] for w in words)


def sentence_features(words: Sequence[str], keys: TokenKeys, names: NameIndex) -> list[list[str]]:
    """The feature strings of every token of one sentence."""
    n = len(words)
    k = [keys.keys(w) for w in words]
    wf = [keys.word_features(w) for w in words]
    gaz = names.tag([x[2] for x in k])
    lx = lexicon_tags(keys.lexicon, [x[2] for x in k])
    out: list[list[str]] = []
    for i in range(n):
        f = list(wf[i][0])
        if lx[i]:
            f.append("lx=" + lx[i])
        for o in (-2, -1, 1):
            j = i + o
            if 0 <= j < n and lx[j]:
                f.append(f"{o}lx={lx[j]}")
        if gaz[i]:
            f.append("g=" + gaz[i])
            f.append("gl=" + gaz[i][2:])
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        for o in _OFFSETS:
            j = i + o
            if 0 <= j < n:
                f += wf[j][1][o]
                if gaz[j]:
                    f.append(f"{o}g={gaz[j]}")
            elif o in (-1, 1):
                f.append(f"{o}pad")
        bare = k[i][2]
        if i > 0:
            f.append(f"bg-={k[i - 1][2]}|{bare}")
        if i < n - 1:
            f.append(f"bg+={bare}|{k[i + 1][2]}")
        out.append(f)
    return out
