"""A model's predictions written as a machine annotator's sets: pre-annotation that people correct.

The machine annotator is registered as such (store: machine_annotators), so agreement leaves its sets out unless
asked and training never learns from them; a person's name is refused (their sets would be replaced). Every set
written is status todo with the model's confidence per entity in its provenance; a model trained in another
project brings its labels the way an import brings a corpus' labels. One transaction: all documents or none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from ..io.formats import adopt_entity_label
from ..model import ENTITY, GOLD, TODO, Entity
from .modelfile import RecogniserModel
from .sequences import CliticCutter, plain_sentences


@dataclass
class PredictSummary:
    annotator: str
    documents: int = 0
    entities: int = 0
    per_label: dict[str, int] = field(default_factory=dict)
    added_labels: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"predicted {self.entities} entit(ies) in {self.documents} document(s) as {self.annotator!r}"
               + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(self.per_label.items())) + ")"
                  if self.per_label else "")]
        if self.added_labels:
            out.append(f"added {len(self.added_labels)} label(s) the model uses: {', '.join(self.added_labels)}")
        return out


def predict_into(project, model: RecogniserModel, annotator: str, model_name: str = "",
                 only_status: Optional[str] = None,
                 progress: Optional[Callable[[int, int], None]] = None) -> PredictSummary:
    """Tag every selected document and write the spans as `annotator`'s sets (see the module docstring)."""
    summary = PredictSummary(annotator)
    if not project.is_machine(annotator) and (annotator == GOLD or project.human_set_count(annotator)):
        project.register_machine(annotator, "")  # refuses a person's name (or gold) before any tagging
    keys = project.documents_for_prediction(only_status)
    tagger = model.tagger()
    cutter = CliticCutter()
    results = []  # tag first, write after: the project's write lock is held only while writing
    try:
        for n, key in enumerate(keys, 1):
            doc = project.document(key)
            preds = tagger.predict(plain_sentences(doc.text, doc.meta, cutter))
            results.append((key, [Entity(f"e{i}", p.start, p.end, p.label, doc.text[p.start:p.end])
                                  for i, p in enumerate(preds, 1)], [p.confidence for p in preds]))
            if progress:
                progress(n, len(keys))
    finally:
        tagger.close()
    with project.transaction():
        project.register_machine(annotator, f"{model_name or 'model'}: {model.summary()}")
        have = project.label_names(ENTITY)
        for label in model.labels:
            if label not in have:
                adopt_entity_label(project, label)
                summary.added_labels.append(label)
        for key, ents, confidence in results:
            provenance = {"model": model_name or "model",
                          "confidence": {e.id: c for e, c in zip(ents, confidence)}}
            project.replace_set(key, annotator, TODO, ents, [], [], provenance=provenance)
            summary.documents += 1
            summary.entities += len(ents)
            for e in ents:
                summary.per_label[e.label] = summary.per_label.get(e.label, 0) + 1
    return summary
