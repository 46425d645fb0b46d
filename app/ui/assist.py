"""Suggestions in the article: proposed quotes (reporting patterns) and entities (gazetteer, and the project's
trained model with its confidence: app/ui/model_suggest.py), shown dimmed.

Enter accepts the current suggestion (it becomes an annotation through the usual undoable command), Backspace
rejects it; either way the next one becomes current. Nothing is stored until accepted. Rejections last for the
session, so a rejected proposal does not come back while the annotator works on the article.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.assist.gazetteer import Match, entries, matches
from ..core.assist.suggest import Suggestion, suggest_quotes
from .annotate import AnnotationController
from .article_view import ArticleView
from .i18n import t
from .model_suggest import ModelMatch, ModelSuggester
from .session import Session
from .undo import AddEntity, AddQuote

QUOTE_COLOUR, ENTITY_COLOUR, CURRENT_COLOUR = "#9aa5b1", "#9aa5b1", "#3d5a80"


@dataclass(frozen=True)
class Item:
    kind: str  # "quote" or "entity"
    proposal: Union[Suggestion, Match, ModelMatch]

    @property
    def span(self) -> tuple[int, int]:
        return self.proposal.start, self.proposal.end

    @property
    def key(self) -> tuple:
        p = self.proposal
        return (self.kind, p.start, p.end, getattr(p, "label", ""))


class AssistController(QObject):
    changed = Signal()

    def __init__(self, session: Session, view: ArticleView, controller: AnnotationController, parent=None):
        super().__init__(parent)
        self.session, self.view, self.controller = session, view, controller
        controller.assist = self
        self.enabled = True
        self._items: list[Item] = []
        self._stale = False
        self.rejected: dict[int, set[tuple]] = {}
        self._known: Optional[list[tuple[str, str]]] = None
        self.model = ModelSuggester(session, self)
        self.model.changed.connect(self.refresh)
        view.acceptPressed.connect(self.accept)
        session.documentOpened.connect(self._later)
        session.annotationsChanged.connect(self.refresh)

    def _later(self, *_) -> None:
        """A new article shows first; its suggestions are computed right after (or when first asked for)."""
        self._stale = True
        QTimer.singleShot(0, self._catch_up)

    def _catch_up(self) -> None:
        if self._stale:
            self.refresh()

    @property
    def items(self) -> list[Item]:
        if self._stale:
            self.refresh()
        return self._items

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.refresh()

    def known(self) -> list[tuple[str, str]]:
        """Gazetteer entries, read once per session and grown with every name the annotator tags."""
        if self._known is None:
            self._known = entries(self.session.project)
        cur = self.session.current
        if cur is not None:
            names = {(e.text, e.label) for e in cur.entities} - set(self._known)
            if names:
                self._known = sorted(set(self._known) | names, key=lambda x: (-len(x[0]), x))
        return self._known

    def refresh(self, *_) -> None:
        self._stale = False
        cur = self.session.current
        if cur is None or not self.enabled:
            self._items = []
            self._paint()
            return
        text = cur.document.text
        rejected = self.rejected.get(cur.document.key, set())
        quotes = [(q.start, q.end) for q in cur.quotes]
        items = [Item("quote", s) for s in suggest_quotes(text, cur.entities)
                 if not any(a < s.end and s.start < b for a, b in quotes)]
        items += [Item("entity", m) for m in matches(text, self.known(), cur.entities)]
        # The model's span replaces the gazetteer's same span and label (it carries a confidence); any other
        # overlap with a name or an annotation is left to the annotator's earlier choice.
        model = {(m.start, m.end, m.label): m for m in self.model.suggestions()}
        items = [Item("entity", model.pop(i.key[1:])) if i.key[1:] in model else i for i in items]
        taken = [(e.start, e.end) for e in cur.entities] + [i.span for i in items if i.kind == "entity"]
        items += [Item("entity", m) for m in model.values() if not any(a < m.end and m.start < b for a, b in taken)]
        self._items = sorted((i for i in items if i.key not in rejected), key=lambda i: (i.span, i.kind))
        self._paint()

    @property
    def current(self) -> Optional[Item]:
        return self.items[0] if self.items else None

    def _paint(self) -> None:
        marks = [(s, e, QUOTE_COLOUR if i.kind == "quote" else ENTITY_COLOUR, False)
                 for i in self.items[1:] for s, e in [i.span]]
        if self.current is not None:
            s, e = self.current.span
            marks.append((s, e, CURRENT_COLOUR, True))
            p = self.current.proposal
            if isinstance(p, ModelMatch):
                self.session.hint.emit(t("Model suggestion: {label}, {pct}% confident; Enter accepts, Backspace "
                                         "rejects.", label=p.label, pct=round(p.confidence * 100)))
        self.view.set_marks(marks, "suggestions")
        self.changed.emit()

    def accept(self) -> None:
        item, cur = self.current, self.session.current
        if item is None or cur is None:
            return
        p = item.proposal
        if item.kind == "entity":
            self.session.undo_stack.push(AddEntity(self.session, cur.document.key, p.start, p.end, p.label))
        else:
            self.session.undo_stack.push(AddQuote(self.session, cur.document.key, p.start, p.end, kind=p.kind,
                                                  speaker=p.speaker, speaker_text=p.speaker_text, cue=p.cue))
        # Nothing stays selected, so the next Backspace rejects the next suggestion instead of deleting this one.
        self.session.select_entity(None)
        self.session.select_quote(None)
        self.session.hint.emit(t("Accepted; Enter accepts the next suggestion, Backspace rejects it."))

    def accept_confident(self) -> int:
        """Accept every model suggestion of this article at or above the threshold (each one undoable)."""
        cur, threshold = self.session.current, self.model.threshold()
        if cur is None:
            return 0
        chosen = [i.proposal for i in self.items
                  if isinstance(i.proposal, ModelMatch) and i.proposal.confidence >= threshold]
        n = 0
        for p in chosen:
            n += bool(self.session.undo_stack.push(AddEntity(self.session, cur.document.key, p.start, p.end,
                                                             p.label)))
        self.session.select_entity(None)
        self.session.hint.emit(t("Accepted {n} model suggestion(s) at or above {pct}% confidence.", n=n,
                                 pct=round(threshold * 100)))
        return n

    def reject(self) -> None:
        item, cur = self.current, self.session.current
        if item is None or cur is None:
            return
        self.rejected.setdefault(cur.document.key, set()).add(item.key)
        self.refresh()
