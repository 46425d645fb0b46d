"""The project's trained recogniser in the window: its suggestions (with their confidence), "accept every
suggestion above the threshold" in one key, retraining in the background, a status line naming the model, and
active learning (the next document is the one the model is least sure of, when that option is on).

The model is read from the project when first needed and again after every retraining; a model that cannot be used
(damaged, from a newer Tawsim) is reported in the status line and simply gives no suggestions: it never stops the
window. Retraining runs on a QThreadPool worker with its own connection to the project file, after every
RETRAIN_EVERY documents marked done, so the window never waits for it; the new model replaces the old one when ready.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..core.learn.modelfile import ModelFileError, RecogniserModel, from_bytes, model_name
from ..core.learn.sequences import CliticCutter, plain_sentences
from ..core.model import DONE
from .i18n import t
from .session import Session

THRESHOLD = 0.9  # "accept all above" confidence, the setting `model_threshold` overrides
RETRAIN_EVERY = 5  # documents marked done between two background retrainings
CANDIDATES = 100  # todo documents active learning weighs at a time (a few ms each)


@dataclass(frozen=True)
class ModelMatch:
    """A span the model proposes (shaped like a gazetteer Match, plus the model's confidence)."""

    start: int
    end: int
    label: str
    text: str
    confidence: float


class _Signals(QObject):
    done = Signal(str)  # the message to show (a new model, or why training did not happen)


class _Retrain(QRunnable):
    """Train on the project file through a connection of its own (SQLite connections stay in their thread)."""

    def __init__(self, path: str, signals: _Signals):
        super().__init__()
        self.path, self.signals = path, signals

    def run(self) -> None:
        from ..core.learn.modelfile import FORMAT_VERSION
        from ..core.learn.training import NotEnoughData, train_project
        from ..core.store import Project

        try:
            with Project.open(self.path) as project:
                report = train_project(project)
                m = report.model
                project.save_model(model_name(), m.to_bytes(), FORMAT_VERSION, m.labels, m.metrics)
            self.signals.done.emit(t("Model retrained: {summary}", summary=m.summary()))
        except NotEnoughData as exc:
            self.signals.done.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a background job must report, never take the window down
            self.signals.done.emit(t("Retraining failed: {error}", error=str(exc)))


class ModelSuggester(QObject):
    """The model's suggestions for the shown article, and its retraining in the background."""

    changed = Signal()  # a new model is in use (or none): suggestions must be recomputed
    status = Signal(str)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self._model: Optional[RecogniserModel] = None
        self._tagger = None
        self._loaded = False
        self._cache: dict[int, list[ModelMatch]] = {}
        self._uncertainty: dict[int, float] = {}
        self._done_since = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._retrained)
        self.status_text = ""
        session.statusChanged.connect(self._status_changed)

    def threshold(self) -> float:
        value = self.session.project.setting("model_threshold", THRESHOLD)
        return float(value) if isinstance(value, (int, float)) else THRESHOLD

    def _load(self) -> None:
        self._loaded = True
        self._cache.clear()
        self._uncertainty.clear()
        if self._tagger is not None:
            self._tagger.close()
        self._model = self._tagger = None
        data = self.session.project.model_data(model_name())
        if data is None:
            self._set_status("")
            return
        try:
            self._model = from_bytes(data, t("the project's model"))
            self._tagger = self._model.tagger()
        except ModelFileError as exc:
            self._model = None
            self._set_status(t("Model not used: {problem}", problem=str(exc)))
            return
        self._set_status(t("Model in use: {summary}", summary=self._model.summary()))

    def _set_status(self, text: str) -> None:
        self.status_text = text
        self.status.emit(text)

    def suggestions(self) -> list[ModelMatch]:
        """The model's spans on the shown article (cached per document until it changes)."""
        if not self._loaded:
            self._load()
        cur = self.session.current
        if self._tagger is None or cur is None:
            return []
        key = cur.document.key
        if key not in self._cache:
            doc = cur.document
            self._cache[key] = [ModelMatch(p.start, p.end, p.label, doc.text[p.start:p.end], p.confidence)
                                for p in self._tagger.predict(plain_sentences(doc.text, doc.meta, CliticCutter()))]
        return self._cache[key]

    def most_uncertain(self, after_key: int) -> Optional[int]:
        """Active learning: of the next CANDIDATES documents still todo for this annotator (in list order after
        `after_key`), the one the model is least sure of; None without a usable model (list order then)."""
        if not self._loaded:
            self._load()
        if self._tagger is None:
            return None
        keys = [k for k in self.session.project.document_keys(self.session.annotator, "todo") if k != after_key]
        keys = ([k for k in keys if k > after_key] + [k for k in keys if k < after_key])[:CANDIDATES]
        best, best_u = None, -1.0
        for k in keys:
            u = self._uncertainty.get(k)
            if u is None:
                doc = self.session.project.document(k)
                u = self._uncertainty[k] = self._tagger.uncertainty(plain_sentences(doc.text, doc.meta,
                                                                                    CliticCutter()))
            if u > best_u:
                best, best_u = k, u
        return best

    def _status_changed(self, doc_key: int) -> None:
        cur = self.session.current
        if cur is None or cur.document.key != doc_key or cur.status != DONE or self.session.read_only:
            return
        self._done_since += 1
        if self._done_since >= RETRAIN_EVERY:
            self.retrain()

    def retrain(self) -> None:
        """Start a retraining in the background (one at a time; the window goes on at once)."""
        self._done_since = 0
        if self.pool.activeThreadCount():
            return
        self._set_status(t("Retraining the model in the background..."))
        self.pool.start(_Retrain(str(self.session.project.path), self._signals))

    def _retrained(self, message: str) -> None:
        self._load()
        if not self._model:
            self._set_status(message)
        self.changed.emit()

    def wait(self, ms: int = 60_000) -> bool:
        return self.pool.waitForDone(ms)
