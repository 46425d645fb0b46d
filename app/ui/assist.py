"""Suggestions in the article: proposed quotes (reporting patterns) and entities (gazetteer), shown dimmed.

Enter accepts the current suggestion (it becomes an annotation through the usual undoable command), Backspace
rejects it; either way the next one becomes current. Nothing is stored until accepted. Rejections last for the
session, so a rejected proposal does not come back while the annotator works on the article.
"""
from __future__ import annotations

import sqlite3
from typing import Optional

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.assist.gazetteer import entries
from ..core.assist.learning import pattern_of, rejected_patterns, remember_rejection
from ..core.assist.proposals import Proposal as Item, propose
from .annotate import AnnotationController
from .article_view import ArticleView
from .i18n import t
from .session import Session
from .undo import AddEntity, AddQuote

QUOTE_COLOUR, ENTITY_COLOUR, CURRENT_COLOUR = "#9aa5b1", "#9aa5b1", "#3d5a80"


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
        self._items = propose(cur.document.text, cur.entities, cur.quotes, self.known(),
                              rejected=self.rejected.get(cur.document.key, set()),
                              patterns=rejected_patterns(self.session.project))
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

    def reject(self) -> None:
        item, cur = self.current, self.session.current
        if item is None or cur is None:
            return
        self.rejected.setdefault(cur.document.key, set()).add(item.key)
        p = item.proposal
        try:  # the project remembers the pattern: it is not proposed again, here or in any other article
            remember_rejection(self.session.project, pattern_of(cur.document.text, item.kind, p.start, p.end,
                                                                getattr(p, "cue", None), getattr(p, "label", "")))
        except (sqlite3.Error, OSError):
            pass  # a read-only or locked project: the rejection still holds for this session
        self.refresh()
