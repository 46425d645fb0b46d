"""The undo command of a note on an entity or a quote (app.ui.notes opens the editor; the store's set_note writes).

Kept beside app/ui/undo.py, whose commands it follows exactly: one committed transaction per change, and undo and
redo first check that the annotation (every field, the note included) is still as the command left it, so a note
another window changed since is never overwritten.
"""
from __future__ import annotations

from typing import Optional

from .i18n import t
from .session import Session
from .undo import _SessionCommand


class SetNote(_SessionCommand):
    """Set or clear ("") the note of an entity or a quote ('entity' / 'quote')."""

    def __init__(self, session: Session, doc_key: int, kind: str, ann_id: str, note: str):
        super().__init__(session, doc_key, t("Edit note") if note else t("Remove note"))
        self.kind, self.ann_id, self.note = kind, ann_id, note
        self.old_note = ""
        self.before: Optional[tuple] = None
        self.after: Optional[tuple] = None

    def _apply(self) -> None:
        if self.before is not None:  # a redo: the annotation must be as the undo left it
            self._expect(self.kind, self.ann_id, self.before)
        before = self._row(self.kind, self.ann_id)
        self.old_note = self.project.set_note(self.kind, self.doc_key, self.annotator, self.ann_id, self.note)
        self.before, self.after = before, self._row(self.kind, self.ann_id)

    def _revert(self) -> None:
        self._expect(self.kind, self.ann_id, self.after)
        self.project.set_note(self.kind, self.doc_key, self.annotator, self.ann_id, self.old_note)

    def _applied(self) -> None:
        self._done()
        if self.kind == "entity":
            self.s.select_quote(None)
            self.s.select_entity(self.ann_id)
        else:
            self.s.select_entity(None)
            self.s.select_quote(self.ann_id)

    _reverted = _applied
