"""Training a recogniser on a project's annotated sets, with an honest held-out score.

What is learnt from: every annotator's *done* sets (a document adjudicated into gold learns from gold alone), or one
annotator's done sets (`--from NAME`), or the gold sets (`--gold`); a machine annotator's sets never.

The held-out score: a fifth of the documents (chosen by a seeded shuffle, never one document on both sides) is
kept aside, a model trained on the rest predicts it, and entity F1 (exact spans) is reported per label. A corpus of
only a few documents but many sentences (one big CoNLL file) is split by sentence instead: its last fifth. The
model kept is then trained on everything.

The gazetteer feature is built *jack-knifed*: the names a training sentence sees are those of the other folds
(plus the project's imported gazetteer), because a model that sees every training name flagged learns to trust the
flag and misses every name it has not met. At prediction time it sees every name it was trained on. (3-fold
cross-validation on AQMAR's training part: entity F1 0.699 with the jack-knifed gazetteer, 0.663 without it.)
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Sequence

from ..assist.clitics import Snapper
from ..model import DONE, GOLD
from ..text.tokenize import tokenize
from .crf import Tagger, train_crf
from .features import TokenKeys, name_key, sentence_features
from .gazetteer import NameIndex
from .modelfile import RecogniserModel
from .score import EntityScore, score_spans
from .sequences import CliticCutter, Sentence, entity_spans, labelled_sentences, tags_to_spans

MIN_DOCUMENTS = 5  # 4 to learn from and 1 to measure on, at the least
MIN_SENTENCES = 200  # a corpus of fewer documents is enough if it has this many annotated sentences
FOLDS = 5
CHUNK = 50  # sentences per jack-knife unit: a news article is one unit, a long CoNLL document several


class NotEnoughData(ValueError):
    """Too few annotated documents to train and measure a model."""


@dataclass
class AnnotatedDoc:
    key: int
    id: str
    sentences: list[Sentence]
    dropped: int = 0  # spans that could not be placed on tokens (nested, or inside a pre-tokenized token)


@dataclass
class TrainingReport:
    model: RecogniserModel
    score: Optional[EntityScore]
    split: str  # how the held-out part was chosen, for people to read
    documents: int
    sentences: int
    tokens: int
    seconds: float
    held_out_ids: list[str] = field(default_factory=list)


def collect(project, annotator: Optional[str] = None, gold: bool = False) -> list[AnnotatedDoc]:
    """The annotated documents to learn from (see the module docstring), in document order."""
    cutter = CliticCutter()
    machines = set(project.machine_annotators())
    chosen: dict[int, list] = {}
    has_gold: set[int] = set()
    for s in project.iter_sets(annotator=annotator, gold=gold):
        if s.annotator is None or s.annotator in machines:
            continue
        if gold or s.annotator == GOLD:
            if gold or s.status == DONE or s.entities:
                if s.document.key not in has_gold:
                    chosen[s.document.key] = []
                    has_gold.add(s.document.key)
                chosen[s.document.key].append(s)
            continue
        if s.status != DONE or s.document.key in has_gold:
            continue
        chosen.setdefault(s.document.key, []).append(s)
    docs = []
    for key in sorted(chosen):
        for s in chosen[key]:
            sents, dropped = labelled_sentences(s.document.text, s.document.meta, entity_spans(s.entities), cutter)
            docs.append(AnnotatedDoc(key, s.document.id, [x for x in sents if x.words], dropped))
    return docs


def check_enough(docs: Sequence[AnnotatedDoc]) -> None:
    n_docs = len({d.key for d in docs})
    n_sents = sum(len(d.sentences) for d in docs)
    if n_docs >= MIN_DOCUMENTS or (n_docs >= 1 and n_sents >= MIN_SENTENCES):
        return
    need = MIN_DOCUMENTS - n_docs
    raise NotEnoughData(f"{n_docs} annotated document(s) to learn from; at least {MIN_DOCUMENTS} are needed "
                        f"(or {MIN_SENTENCES} annotated sentences): annotate {need} more and mark them done")


def _units(docs: Sequence[AnnotatedDoc]) -> list[list[Sentence]]:
    return [d.sentences[i:i + CHUNK] for d in docs for i in range(0, max(len(d.sentences), 1), CHUNK)]


def _names_of(sentences: Iterable[Sentence], keys: TokenKeys) -> list[tuple[tuple[str, ...], str]]:
    out = []
    for s in sentences:
        for i, j, _, _, label in tags_to_spans(s.tokens, s.tags or []):
            out.append((name_key(keys, s.words[i:j]), label))
    return out


def gazetteer_names(project, keys: TokenKeys) -> list[tuple[tuple[str, ...], str]]:
    """The project's imported gazetteer (file entries), keyed like training names."""
    out = []
    for text, label in project.gazetteer_entries():
        words = [text[s:e] for s, e in tokenize(text)]
        if words:
            out.append((name_key(keys, words), label))
    return out


def build_examples(units: Sequence[Sequence[Sentence]], keys: TokenKeys, extra_names: Sequence = ()
                   ) -> tuple[list[tuple[list[list[str]], list[str]]], NameIndex]:
    """Jack-knifed training examples over `units`, and the index of every name in them (for prediction)."""
    unit_names = [_names_of(u, keys) for u in units]
    folds = min(FOLDS, len(units))
    examples = []
    for f in range(folds):
        index = NameIndex(list(extra_names) + [n for k, ns in enumerate(unit_names) if k % folds != f for n in ns])
        for k in range(f, len(units), folds):
            for s in units[k]:
                examples.append((sentence_features(s.words, keys, index), s.tags))
    return examples, NameIndex(list(extra_names) + [n for ns in unit_names for n in ns])


def fit(units: Sequence[Sequence[Sentence]], extra_names: Sequence = (), params: Optional[dict] = None
        ) -> tuple[bytes, NameIndex]:
    keys = TokenKeys(Snapper())
    examples, index = build_examples(units, keys, extra_names)
    return train_crf(examples, params), index


def evaluate(crf: bytes, index: NameIndex, units: Sequence[Sequence[Sentence]]) -> EntityScore:
    """Exact-span entity scores of the model on sentences whose tags are the reference."""
    tagger = Tagger(crf, index)
    gold, pred = [], []
    for u, unit in enumerate(units):
        for si, s in enumerate(unit):
            gold += [((u, si), a, b, lab) for _, _, a, b, lab in tags_to_spans(s.tokens, s.tags or [])]
            pred += [((u, si), a, b, lab) for _, _, a, b, lab in tags_to_spans(s.tokens, tagger.tag(s))]
    tagger.close()
    return score_spans(gold, pred)


def split(docs: Sequence[AnnotatedDoc], seed: int = 0) -> tuple[list, list, str, list[str]]:
    """(training units, held-out units, how, held-out document ids): by document, else by sentence."""
    keys = sorted({d.key for d in docs})
    if len(keys) >= MIN_DOCUMENTS:
        rng = random.Random(seed)
        shuffled = keys[:]
        rng.shuffle(shuffled)
        held = set(shuffled[:max(1, len(keys) // 5)])
        ids = sorted({d.id for d in docs if d.key in held})
        how = f"by document: {len(held)} of {len(keys)} document(s) held out (seed {seed})"
        return (_units([d for d in docs if d.key not in held]), _units([d for d in docs if d.key in held]), how, ids)
    sents = [s for d in docs for s in d.sentences]
    cut = len(sents) - max(1, len(sents) // 5)
    how = (f"by sentence (only {len(keys)} document(s)): the last {len(sents) - cut} of {len(sents)} sentences "
           f"held out")
    train, test = sents[:cut], sents[cut:]
    return ([train[i:i + CHUNK] for i in range(0, len(train), CHUNK)],
            [test[i:i + CHUNK] for i in range(0, len(test), CHUNK)], how, [])


def train_project(project, annotator: Optional[str] = None, gold: bool = False, seed: int = 0,
                  params: Optional[dict] = None, evaluate_first: bool = True,
                  progress: Optional[Callable[[str], None]] = None) -> TrainingReport:
    """Measure on a held-out part, then train the model kept on every annotated document."""
    say = progress or (lambda _m: None)
    docs = collect(project, annotator, gold)
    check_enough(docs)
    t0 = time.perf_counter()
    extra = gazetteer_names(project, TokenKeys(Snapper()))
    labels = sorted({lab for d in docs for s in d.sentences for t in (s.tags or []) if t != "O"
                     for lab in [t[2:]]})
    if not labels:
        raise NotEnoughData(f"{len({d.key for d in docs})} annotated document(s) but not one entity in them: "
                            f"nothing to learn")
    score, how, held_ids = None, "no held-out measure", []
    if evaluate_first:
        train_units, test_units, how, held_ids = split(docs, seed)
        say(f"measuring: {how}")
        crf, index = fit(train_units, extra, params)
        score = evaluate(crf, index, test_units)
    say("training on every annotated document")
    crf, index = fit(_units(docs), extra, params)
    n_sents = sum(len(d.sentences) for d in docs)
    n_toks = sum(len(s.words) for d in docs for s in d.sentences)
    trained_on = {"documents": len({d.key for d in docs}), "sentences": n_sents, "tokens": n_toks,
                  "source": f"annotator {annotator}" if annotator else ("gold" if gold else "done sets"),
                  "split": how, "project": project.path.name}
    model = RecogniserModel(labels, crf, index, score.to_dict() if score else {}, trained_on)
    return TrainingReport(model, score, how, trained_on["documents"], n_sents, n_toks,
                          time.perf_counter() - t0, held_ids)
