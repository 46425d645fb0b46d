"""Every edit is a QUndoCommand: a thin do/undo pair over a core operation, committed to SQLite as it runs.

Commands remember ids, never row positions, so undo after a reload or on another document still finds its target.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtGui import QUndoCommand

from ..core.model import Quote, Stance
from ..core.store import EntityRemoval, ProjectError, QuoteRemoval
from .i18n import t
from .session import Session


def _unsaved_if_refused(redo):
    """A redo the store refuses (the server went away) did not happen: mark the command obsolete so QUndoStack.push
    drops it instead of listing an edit as done that was never committed, and keep the store's error for the
    window to show (PySide rewrites the message of an exception raised through push)."""
    def guarded(self) -> None:
        try:
            redo(self)
        except ProjectError as exc:
            self.setObsolete(True)
            self.failure = exc
            raise
    return guarded


class _SessionCommand(QUndoCommand):
    failure: Optional[ProjectError] = None

    def __init_subclass__(cls, **kw) -> None:
        super().__init_subclass__(**kw)
        if "redo" in cls.__dict__:
            cls.redo = _unsaved_if_refused(cls.__dict__["redo"])

    def __init__(self, session: Session, doc_key: int, text: str):
        super().__init__(text)
        self.s, self.doc_key, self.annotator = session, doc_key, session.annotator

    @property
    def project(self):
        return self.s.project

    def _done(self) -> None:
        self.s.ensure_shown(self.doc_key)
        self.s.changed(self.doc_key)


class AddEntity(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, start: int, end: int, label: str):
        super().__init__(session, doc_key, t("Add {label}", label=label))
        self.start, self.end, self.label = start, end, label
        self.entity_id: Optional[str] = None

    def redo(self) -> None:
        e = self.project.add_entity(self.doc_key, self.annotator, self.start, self.end, self.label, self.entity_id)
        self.entity_id = e.id  # the same id on every redo, so later commands that name it still work
        self._done()
        self.s.select_entity(e.id)

    def undo(self) -> None:
        self.project.delete_entity(self.doc_key, self.annotator, self.entity_id)
        self._done()


class DeleteEntity(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, entity_id: str, label: str = ""):
        super().__init__(session, doc_key, t("Delete {label}", label=label))
        self.entity_id = entity_id
        self.removal: Optional[EntityRemoval] = None

    def redo(self) -> None:
        self.removal = self.project.delete_entity(self.doc_key, self.annotator, self.entity_id)
        self._done()

    def undo(self) -> None:
        self.project.restore_entity(self.doc_key, self.annotator, self.removal)
        self._done()
        self.s.select_entity(self.entity_id)


class RelabelEntity(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, entity_id: str, old_label: str, new_label: str):
        super().__init__(session, doc_key, t("Relabel as {label}", label=new_label))
        self.entity_id, self.old_label, self.new_label = entity_id, old_label, new_label

    def redo(self) -> None:
        self.project.update_entity(self.doc_key, self.annotator, self.entity_id, label=self.new_label)
        self._done()

    def undo(self) -> None:
        self.project.update_entity(self.doc_key, self.annotator, self.entity_id, label=self.old_label)
        self._done()


class SetStatus(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, status: str, comment: Optional[str] = None):
        super().__init__(session, doc_key, t("Mark {status}", status=t(status)))
        self.status, self.comment = status, comment
        self.old_status: Optional[str] = None
        self.old_comment: Optional[str] = None

    def redo(self) -> None:
        before = self.project.load(self.doc_key, self.annotator)
        self.old_comment = before.comment
        self.old_status = self.project.set_status(self.doc_key, self.annotator, self.status, self.comment)
        self.s.status_changed(self.doc_key)

    def undo(self) -> None:
        self.project.set_status(self.doc_key, self.annotator, self.old_status, self.old_comment)
        self.s.ensure_shown(self.doc_key)
        self.s.status_changed(self.doc_key)


def _quote_fields(q: Quote) -> dict:
    return dict(start=q.start, end=q.end, speaker=q.speaker, speaker_text=q.speaker_text,
                cue=(q.cue.start, q.cue.end) if q.cue else None, kind=q.kind)


class AddQuote(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, start: int, end: int, kind: str = "direct", **fields):
        super().__init__(session, doc_key, t("Add quote"))
        self.fields = dict(kind=kind, **fields)
        self.start, self.end = start, end
        self.quote_id: Optional[str] = None

    def redo(self) -> None:
        q = self.project.add_quote(self.doc_key, self.annotator, self.start, self.end, quote_id=self.quote_id,
                                   **self.fields)
        self.quote_id = q.id
        self._done()
        self.s.select_quote(q.id)

    def undo(self) -> None:
        self.project.delete_quote(self.doc_key, self.annotator, self.quote_id)
        self._done()


class UpdateQuote(_SessionCommand):
    """Change speaker, cue, kind or extent of a quote; undo restores every field as it was."""

    def __init__(self, session: Session, doc_key: int, quote_id: str, text: str = "", **changes):
        super().__init__(session, doc_key, text or t("Edit quote"))
        self.quote_id, self.changes = quote_id, changes
        self.old: Optional[dict] = None

    def redo(self) -> None:
        old = self.project.update_quote(self.doc_key, self.annotator, self.quote_id, **self.changes)
        self.old = _quote_fields(old)
        self._done()
        self.s.select_quote(self.quote_id)

    def undo(self) -> None:
        self.project.update_quote(self.doc_key, self.annotator, self.quote_id, **self.old)
        self._done()
        self.s.select_quote(self.quote_id)


class DeleteQuote(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, quote_id: str):
        super().__init__(session, doc_key, t("Delete quote"))
        self.quote_id = quote_id
        self.removal: Optional[QuoteRemoval] = None

    def redo(self) -> None:
        self.removal = self.project.delete_quote(self.doc_key, self.annotator, self.quote_id)
        self._done()

    def undo(self) -> None:
        self.project.restore_quote(self.doc_key, self.annotator, self.removal)
        self._done()
        self.s.select_quote(self.quote_id)


class AddStance(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, label: str, target: Optional[str] = None,
                 target_text: str = "", scope: str = "document"):
        super().__init__(session, doc_key, t("Stance {label}", label=t(label)))
        self.label, self.target, self.target_text, self.scope = label, target, target_text, scope
        self.stance_id: Optional[str] = None

    def redo(self) -> None:
        st = self.project.add_stance(self.doc_key, self.annotator, self.label, target=self.target,
                                     target_text=self.target_text, scope=self.scope, stance_id=self.stance_id)
        self.stance_id = st.id
        self._done()

    def undo(self) -> None:
        self.project.delete_stance(self.doc_key, self.annotator, self.stance_id)
        self._done()


class UpdateStance(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, stance_id: str, **changes):
        super().__init__(session, doc_key, t("Edit stance"))
        self.stance_id, self.changes = stance_id, changes
        self.old: Optional[Stance] = None

    def redo(self) -> None:
        self.old = self.project.update_stance(self.doc_key, self.annotator, self.stance_id, **self.changes)
        self._done()

    def undo(self) -> None:
        o = self.old
        self.project.update_stance(self.doc_key, self.annotator, self.stance_id, label=o.label, target=o.target,
                                   target_text=o.target_text)
        self._done()


class DeleteStance(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, stance_id: str):
        super().__init__(session, doc_key, t("Delete stance"))
        self.stance_id = stance_id
        self.old: Optional[Stance] = None

    def redo(self) -> None:
        self.old = self.project.delete_stance(self.doc_key, self.annotator, self.stance_id)
        self._done()

    def undo(self) -> None:
        o = self.old
        self.project.add_stance(self.doc_key, self.annotator, o.label, target=o.target, target_text=o.target_text,
                                scope=o.scope, stance_id=o.id)
        self._done()


class TagAll(QUndoCommand):
    """Tag every planned occurrence (one article or the corpus) as one undoable step."""

    def __init__(self, session: Session, plan, doc_key: int):
        super().__init__(t("Tag all occurrences ({n})", n=len(plan.spans)))
        self.s, self.plan, self.doc_key, self.annotator = session, plan, doc_key, session.annotator
        self.ids: list[tuple[int, str]] = []

    def redo(self) -> None:
        self.ids = self.s.project.add_entities_bulk(self.annotator, self.plan.rows(), self.plan.lengths)
        self.s.ensure_shown(self.doc_key)
        self.s.changed(self.doc_key)

    def undo(self) -> None:
        self.s.project.delete_entities_bulk(self.annotator, self.ids)
        self.s.ensure_shown(self.doc_key)
        self.s.changed(self.doc_key)
