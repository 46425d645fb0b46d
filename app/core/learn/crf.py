"""The CRF: training with python-crfsuite and tagging with a confidence per span.

python-crfsuite (CRFsuite's C library): maintained, trains 100k+ tokens in seconds on one CPU core, tags an article
in milliseconds, its models are a few megabytes of bytes we can keep in the project file, and it needs nothing
downloaded. (sklearn-crfsuite wraps the same library with scikit-learn's API and dependencies we do not need;
spaCy's recogniser wants word vectors or a GPU to beat a CRF on a corpus of this size.) L-BFGS with elastic-net
regularisation: L1 keeps the model small (most of a million feature weights go to zero), L2 keeps it stable.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import pycrfsuite

from ..assist.clitics import Snapper
from .features import TokenKeys, sentence_features
from .gazetteer import NameIndex
from .sequences import Sentence, tags_to_spans

# Chosen by 3-fold cross-validation on the training part (first four fifths) of AQMAR, never on its test fifth
# (`python -m app.bench learn --cv 3`): c1 0.05 / c2 0.1 scored 0.699, c2 0.01 0.696, c1 0.2 0.694 (80
# iterations); 120 iterations added 0.004 for half as much time again, so 100.
DEFAULT_PARAMS = {"c1": 0.05, "c2": 0.1, "max_iterations": 100, "feature.possible_transitions": True,
                  "feature.minfreq": 1}


@dataclass(frozen=True)
class Prediction:
    start: int
    end: int
    label: str
    confidence: float  # the lowest marginal probability of the span's tags: how sure the model is of every token


def train_crf(examples: Sequence[tuple[list[list[str]], list[str]]], params: Optional[dict] = None,
              on_iteration: Optional[Callable[[int], None]] = None) -> bytes:
    """The CRF model bytes trained on (features, tags) sentences."""
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs")
    trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
    if on_iteration is not None:
        trainer.on_iteration = lambda log, info: on_iteration(int(info.get("num", 0)))
    for xseq, yseq in examples:
        if xseq:
            trainer.append(xseq, yseq)
    fd, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


class Tagger:
    """A trained CRF with the features it was trained on: sentences in, spans with confidence out."""

    def __init__(self, crf: bytes, names: NameIndex, snapper: Optional[Snapper] = None):
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(crf)
        self.names = names
        self.keys = TokenKeys(snapper or Snapper())

    def tag(self, sentence: Sentence) -> list[str]:
        if not sentence.words:
            return []
        return self._tagger.tag(sentence_features(sentence.words, self.keys, self.names))

    def predict(self, sentences: Sequence[Sentence], with_confidence: bool = True) -> list[Prediction]:
        out: list[Prediction] = []
        for sent in sentences:
            tags = self.tag(sent)
            for i, j, s, e, label in tags_to_spans(sent.tokens, tags):
                conf = min(self._tagger.marginal(tags[k], k) for k in range(i, j)) if with_confidence else 1.0
                out.append(Prediction(s, e, label, round(conf, 4)))
        return out

    def uncertainty(self, sentences: Sequence[Sentence]) -> float:
        """How unsure the model is of a document: over its sentences, the mean of the least sure token's doubt
        (1 - the marginal probability of the tag it chose). A length-fair measure (a sequence's whole probability
        falls towards 0 on any long paragraph); active learning asks a person about high ones first."""
        doubts = []
        for sent in sentences:
            tags = self.tag(sent)
            if tags:
                doubts.append(max(1.0 - self._tagger.marginal(t, k) for k, t in enumerate(tags)))
        return round(sum(doubts) / len(doubts), 6) if doubts else 0.0

    def close(self) -> None:
        self._tagger.close()
