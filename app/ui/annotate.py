"""What the annotator's keys and clicks mean: turn a selection into an entity, relabel, delete, set status.

Kept out of the main window so each action is one small, testable method that pushes one undo command.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject

from ..core.model import DONE, FLAGGED, SKIPPED, TODO
from ..core.offsets import snap_to_words
from .article_view import ArticleView
from .session import Session
from .undo import AddEntity, DeleteEntity, RelabelEntity, SetStatus


class AnnotationController(QObject):
    def __init__(self, session: Session, view: ArticleView, parent=None):
        super().__init__(parent)
        self.session, self.view = session, view
        view.labelKeyPressed.connect(self.on_label_key)
        view.deleteRequested.connect(self.delete_selected)
        view.entityClicked.connect(session.select_entity)
        session.selectionChanged.connect(view.set_selected_entity)

    def _push(self, cmd) -> None:
        self.session.undo_stack.push(cmd)

    def entity_labels(self):
        return self.session.project.labels("entity")

    def on_label_key(self, key: str, raw: bool) -> None:
        label = next((l for l in self.entity_labels() if l.key == key), None)
        if label is not None:
            self.apply_label(label.name, raw=raw)

    def apply_label(self, label: str, raw: Optional[bool] = None) -> None:
        """Label the selected text (snapped to whole words unless Alt was held), or relabel the selected span."""
        cur = self.session.current
        if cur is None:
            return
        sel = self.view.selection_cp()
        if sel:
            start, end = sel
            if not (raw if raw is not None else self.view.alt_selection):
                start, end = snap_to_words(cur.document.text, start, end)
            if start >= end:
                return
            same = next((e for e in cur.entities if (e.start, e.end) == (start, end)), None)
            self.view.clear_selection()
            if same is not None:
                if same.label != label:
                    self._push(RelabelEntity(self.session, cur.document.key, same.id, same.label, label))
                self.session.select_entity(same.id)
            else:
                self._push(AddEntity(self.session, cur.document.key, start, end, label))
            return
        ent = cur.entity(self.session.selected_entity) if self.session.selected_entity else None
        if ent is not None and ent.label != label:
            self._push(RelabelEntity(self.session, cur.document.key, ent.id, ent.label, label))

    def delete_selected(self) -> None:
        cur = self.session.current
        ent = cur.entity(self.session.selected_entity) if cur and self.session.selected_entity else None
        if ent is not None:
            self._push(DeleteEntity(self.session, cur.document.key, ent.id, ent.label))
            self.session.select_entity(None)

    # ---- status and navigation ------------------------------------------------------------------------------
    def _set_status_and_advance(self, status: str, comment: Optional[str] = None) -> Optional[int]:
        cur = self.session.current
        if cur is None:
            return None
        self._push(SetStatus(self.session, cur.document.key, status, comment))
        nxt = self.session.project.next_document(cur.document.key, self.session.annotator, (TODO,))
        if nxt is not None:
            self.session.open_document(nxt)
        return nxt

    def done_and_next(self) -> Optional[int]:
        return self._set_status_and_advance(DONE)

    def skip(self) -> Optional[int]:
        return self._set_status_and_advance(SKIPPED)

    def flag(self, comment: str) -> Optional[int]:
        return self._set_status_and_advance(FLAGGED, comment)

    def go(self, step: int) -> None:
        """Next (+1) or previous (-1) document in list order."""
        cur = self.session.current
        if cur is None:
            return
        nxt = self.session.project.neighbour_document(cur.document.key, step)
        if nxt is not None:
            self.session.open_document(nxt)
