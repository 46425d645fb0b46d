"""Every edit is a QUndoCommand: a thin do/undo pair over a core operation, committed to SQLite as it runs.

Commands remember ids, never row positions, so undo after a reload or on another document still finds its target.
Each also remembers every field of its annotation as it left it, and undo/redo first check the annotation is still
so (inside the same transaction): another window or process annotating as the same person may have changed it,
and acting anyway would delete or overwrite that work. Running, retrying and refusing is app.ui.edit_guard's job.
"""
from __future__ import annotations

from typing import Optional

from ..core.model import Quote, Stance
from ..core.store import EntityRemoval, QuoteRemoval, StaleEditError
from .edit_guard import GuardedCommand
from .i18n import t
from .plain import menu_text
from .session import Session


class _SessionCommand(GuardedCommand):
    def __init__(self, session: Session, doc_key: int, text: str):
        super().__init__(session, menu_text(text))  # label names reach the Edit menu's Undo/Redo text
        self.doc_key, self.annotator = doc_key, session.annotator

    @property
    def project(self):
        return self.s.project

    def _row(self, kind: str, ann_id: str) -> Optional[tuple]:
        return self.project.annotation_row(kind, self.doc_key, self.annotator, ann_id)

    def _expect(self, kind: str, ann_id: str, row: Optional[tuple]) -> None:
        self.project.expect_row(kind, self.doc_key, self.annotator, ann_id, row)

    def _done(self) -> None:
        self.s.ensure_shown(self.doc_key)
        self.s.changed(self.doc_key)

    _applied = _reverted = _show_current = _done


def _entity_row(removal: EntityRemoval) -> tuple:
    e = removal.entity
    return (e.start, e.end, e.label, e.note)


class AddEntity(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, start: int, end: int, label: str):
        super().__init__(session, doc_key, t("Add {label}", label=label))
        self.start, self.end, self.label = start, end, label
        self.entity_id: Optional[str] = None

    def _apply(self) -> None:
        if self.entity_id:  # a redo: the same id, so later commands that name it still work
            self._expect("entity", self.entity_id, None)
        self.entity_id = self.project.add_entity(self.doc_key, self.annotator, self.start, self.end, self.label,
                                                 self.entity_id).id

    def _applied(self) -> None:
        self._done()
        self.s.select_entity(self.entity_id)

    def _revert(self) -> None:
        self._expect("entity", self.entity_id, (self.start, self.end, self.label, ""))
        removal = self.project.delete_entity(self.doc_key, self.annotator, self.entity_id)
        if removal.unlinked_quotes or removal.unlinked_stances:  # linked since, elsewhere: keep that work
            raise StaleEditError(f"entity {self.entity_id!r} was linked since")


class DeleteEntity(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, entity_id: str, label: str = ""):
        super().__init__(session, doc_key, t("Delete {label}", label=label))
        self.entity_id = entity_id
        self.removal: Optional[EntityRemoval] = None

    def _apply(self) -> None:
        if self.removal:
            self._expect("entity", self.entity_id, _entity_row(self.removal))
        removal = self.project.delete_entity(self.doc_key, self.annotator, self.entity_id)
        if self.removal and removal != self.removal:  # linked differently since: a redo would unlink that
            raise StaleEditError(f"entity {self.entity_id!r} was changed since")
        self.removal = removal

    def _revert(self) -> None:
        self.project.restore_entity(self.doc_key, self.annotator, self.removal)

    def _reverted(self) -> None:
        self._done()
        self.s.select_entity(self.entity_id)


class RelabelEntity(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, entity_id: str, old_label: str, new_label: str):
        super().__init__(session, doc_key, t("Relabel as {label}", label=new_label))
        self.entity_id, self.old_label, self.new_label = entity_id, old_label, new_label
        self.before: Optional[tuple] = None

    def _apply(self) -> None:
        if self.before:
            self._expect("entity", self.entity_id, self.before)
        old = self.project.update_entity(self.doc_key, self.annotator, self.entity_id, label=self.new_label)
        self.before, self.old_label = (old.start, old.end, old.label, old.note), old.label

    def _revert(self) -> None:
        self._expect("entity", self.entity_id, (self.before[0], self.before[1], self.new_label, self.before[3]))
        self.project.update_entity(self.doc_key, self.annotator, self.entity_id, label=self.old_label)


class ResizeEntity(_SessionCommand):
    """Move a span's edges (mouse drag or keyboard); label, id and links stay. One undo step per resize."""

    def __init__(self, session: Session, doc_key: int, entity_id: str, start: int, end: int):
        super().__init__(session, doc_key, t("Resize span"))
        self.entity_id, self.start, self.end = entity_id, start, end
        self.before: Optional[tuple] = None

    def _apply(self) -> None:
        if self.before:
            self._expect("entity", self.entity_id, self.before)
        old = self.project.update_entity(self.doc_key, self.annotator, self.entity_id, start=self.start, end=self.end)
        self.before = (old.start, old.end, old.label, old.note)

    def _revert(self) -> None:
        self._expect("entity", self.entity_id, (self.start, self.end, *self.before[2:]))
        self.project.update_entity(self.doc_key, self.annotator, self.entity_id, start=self.before[0],
                                   end=self.before[1])

    def _applied(self) -> None:
        self._done()
        self.s.select_entity(self.entity_id)

    _reverted = _applied


class EditEntities(_SessionCommand):
    """Relabel (label given) or delete (label None) several spans as one undo step: the entity list's
    multi-selection. All of it runs in one transaction, so it is done whole or not at all."""

    def __init__(self, session: Session, doc_key: int, entity_ids: list[str], label: Optional[str] = None):
        n = len(entity_ids)
        super().__init__(session, doc_key, t("Relabel {n} spans as {label}", n=n, label=label) if label
                         else t("Delete {n} spans", n=n))
        self.ids, self.label = list(entity_ids), label
        self.before: dict[str, tuple] = {}
        self.removals: list[EntityRemoval] = []

    def _apply(self) -> None:
        if self.label is not None:
            for i in self.ids:
                if i in self.before:
                    self._expect("entity", i, self.before[i])
                old = self.project.update_entity(self.doc_key, self.annotator, i, label=self.label)
                self.before[i] = (old.start, old.end, old.label, old.note)
            return
        for i, removal in zip(self.ids, self.removals):
            self._expect("entity", i, _entity_row(removal))
        self.removals = [self.project.delete_entity(self.doc_key, self.annotator, i) for i in self.ids]

    def _revert(self) -> None:
        if self.label is not None:
            for i in reversed(self.ids):
                s, e, old, note = self.before[i]
                self._expect("entity", i, (s, e, self.label, note))
                self.project.update_entity(self.doc_key, self.annotator, i, label=old)
            return
        for removal in reversed(self.removals):
            self.project.restore_entity(self.doc_key, self.annotator, removal)


class AcceptSuggestions(_SessionCommand):
    """Suggestions accepted together ("accept all of this label"): added in one transaction, one undo step."""

    def __init__(self, session: Session, doc_key: int, entities: list[tuple[int, int, str]], quotes: list[dict]):
        super().__init__(session, doc_key, t("Accept {n} suggestions", n=len(entities) + len(quotes)))
        self.entities, self.quotes = entities, quotes
        self.ids: list[str] = []  # entity ids, then quote ids (kept for a redo)
        self.rows: list[tuple] = []

    def _apply(self) -> None:
        old = self.ids or [None] * (len(self.entities) + len(self.quotes))
        for n, i in enumerate(self.ids):
            self._expect("entity" if n < len(self.entities) else "quote", i, None)
        ids = [self.project.add_entity(self.doc_key, self.annotator, s, e, label, old[n]).id
               for n, (s, e, label) in enumerate(self.entities)]
        ids += [self.project.add_quote(self.doc_key, self.annotator, q["start"], q["end"],
                                       quote_id=old[len(self.entities) + n],
                                       **{k: v for k, v in q.items() if k not in ("start", "end")}).id
                for n, q in enumerate(self.quotes)]
        self.ids = ids
        self.rows = [self._row("entity" if n < len(self.entities) else "quote", i) for n, i in enumerate(ids)]

    def _revert(self) -> None:
        for n in reversed(range(len(self.ids))):
            kind = "entity" if n < len(self.entities) else "quote"
            self._expect(kind, self.ids[n], self.rows[n])
            if kind == "entity":
                self.project.delete_entity(self.doc_key, self.annotator, self.ids[n])
            else:
                self.project.delete_quote(self.doc_key, self.annotator, self.ids[n])


class SetStatus(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, status: str, comment: Optional[str] = None):
        super().__init__(session, doc_key, t("Mark {status}", status=t(status)))
        self.status, self.comment = status, comment
        self.before: Optional[tuple[str, str]] = None
        self.after: Optional[tuple[str, str]] = None

    def _state(self) -> tuple[str, str]:
        return tuple(self.project.status_of(self.doc_key, self.annotator) or ("todo", ""))

    def _apply(self) -> None:
        if self.before and self._state() != self.before:
            raise StaleEditError("status changed since")
        before = self._state()
        self.project.set_status(self.doc_key, self.annotator, self.status, self.comment)
        self.before, self.after = before, self._state()

    def _revert(self) -> None:
        if self._state() != self.after:
            raise StaleEditError("status changed since")
        self.project.set_status(self.doc_key, self.annotator, *self.before)

    def _applied(self) -> None:
        self.s.status_changed(self.doc_key)

    def _reverted(self) -> None:
        self.s.ensure_shown(self.doc_key)
        self.s.status_changed(self.doc_key)

    _show_current = _reverted


def _quote_fields(q: Quote) -> dict:
    return dict(start=q.start, end=q.end, speaker=q.speaker, speaker_text=q.speaker_text,
                cue=(q.cue.start, q.cue.end) if q.cue else None, kind=q.kind)


class AddQuote(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, start: int, end: int, kind: str = "direct", **fields):
        super().__init__(session, doc_key, t("Add quote"))
        self.fields = dict(kind=kind, **fields)
        self.start, self.end = start, end
        self.quote_id: Optional[str] = None
        self.after: Optional[tuple] = None

    def _apply(self) -> None:
        if self.quote_id:
            self._expect("quote", self.quote_id, None)
        q = self.project.add_quote(self.doc_key, self.annotator, self.start, self.end, quote_id=self.quote_id,
                                   **self.fields)
        self.quote_id, self.after = q.id, self._row("quote", q.id)

    def _applied(self) -> None:
        self._done()
        self.s.select_quote(self.quote_id)

    def _revert(self) -> None:
        self._expect("quote", self.quote_id, self.after)
        if self.project.delete_quote(self.doc_key, self.annotator, self.quote_id).stances:
            raise StaleEditError(f"quote {self.quote_id!r} has stances added since")  # keep that work


class UpdateQuote(_SessionCommand):
    """Change speaker, cue, kind or extent of a quote; undo restores every field as it was."""

    def __init__(self, session: Session, doc_key: int, quote_id: str, text: str = "", **changes):
        super().__init__(session, doc_key, text or t("Edit quote"))
        self.quote_id, self.changes = quote_id, changes
        self.old: Optional[dict] = None
        self.before: Optional[tuple] = None
        self.after: Optional[tuple] = None

    def _apply(self) -> None:
        if self.before:
            self._expect("quote", self.quote_id, self.before)
        before = self._row("quote", self.quote_id)
        old = self.project.update_quote(self.doc_key, self.annotator, self.quote_id, **self.changes)
        self.old, self.before, self.after = _quote_fields(old), before, self._row("quote", self.quote_id)

    def _revert(self) -> None:
        self._expect("quote", self.quote_id, self.after)
        self.project.update_quote(self.doc_key, self.annotator, self.quote_id, **self.old)

    def _applied(self) -> None:
        self._done()
        self.s.select_quote(self.quote_id)

    _reverted = _applied


class DeleteQuote(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, quote_id: str):
        super().__init__(session, doc_key, t("Delete quote"))
        self.quote_id = quote_id
        self.removal: Optional[QuoteRemoval] = None

    def _apply(self) -> None:
        removal = self.project.delete_quote(self.doc_key, self.annotator, self.quote_id)
        if self.removal and removal != self.removal:  # changed, or given stances, since: keep that work
            raise StaleEditError(f"quote {self.quote_id!r} was changed since")
        self.removal = removal

    def _revert(self) -> None:
        self.project.restore_quote(self.doc_key, self.annotator, self.removal)

    def _reverted(self) -> None:
        self._done()
        self.s.select_quote(self.quote_id)


class AddStance(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, label: str, target: Optional[str] = None,
                 target_text: str = "", scope: str = "document"):
        super().__init__(session, doc_key, t("Stance {label}", label=t(label)))
        self.label, self.target, self.target_text, self.scope = label, target, target_text, scope
        self.stance_id: Optional[str] = None
        self.after: Optional[tuple] = None

    def _apply(self) -> None:
        if self.stance_id:
            self._expect("stance", self.stance_id, None)
        st = self.project.add_stance(self.doc_key, self.annotator, self.label, target=self.target,
                                     target_text=self.target_text, scope=self.scope, stance_id=self.stance_id)
        self.stance_id, self.after = st.id, self._row("stance", st.id)

    def _revert(self) -> None:
        self._expect("stance", self.stance_id, self.after)
        self.project.delete_stance(self.doc_key, self.annotator, self.stance_id)


def _stance_row(st: Stance) -> tuple:
    return (st.target, st.target_text, st.label, st.scope)


class UpdateStance(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, stance_id: str, **changes):
        super().__init__(session, doc_key, t("Edit stance"))
        self.stance_id, self.changes = stance_id, changes
        self.old: Optional[Stance] = None
        self.after: Optional[tuple] = None

    def _apply(self) -> None:
        if self.old:
            self._expect("stance", self.stance_id, _stance_row(self.old))
        old = self.project.update_stance(self.doc_key, self.annotator, self.stance_id, **self.changes)
        self.old, self.after = old, self._row("stance", self.stance_id)

    def _revert(self) -> None:
        self._expect("stance", self.stance_id, self.after)
        o = self.old
        self.project.update_stance(self.doc_key, self.annotator, self.stance_id, label=o.label, target=o.target,
                                   target_text=o.target_text)


class DeleteStance(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, stance_id: str):
        super().__init__(session, doc_key, t("Delete stance"))
        self.stance_id = stance_id
        self.old: Optional[Stance] = None

    def _apply(self) -> None:
        if self.old:
            self._expect("stance", self.stance_id, _stance_row(self.old))
        self.old = self.project.delete_stance(self.doc_key, self.annotator, self.stance_id)

    def _revert(self) -> None:
        self._expect("stance", self.stance_id, None)
        o = self.old
        self.project.add_stance(self.doc_key, self.annotator, o.label, target=o.target, target_text=o.target_text,
                                scope=o.scope, stance_id=o.id)


class TagAll(GuardedCommand):
    """Tag every planned occurrence (one article or the corpus) as one undoable step."""

    def __init__(self, session: Session, plan, doc_key: int):
        super().__init__(session, t("Tag all occurrences ({n})", n=len(plan.spans)))
        self.plan, self.doc_key, self.annotator = plan, doc_key, session.annotator
        self.ids: list[tuple[int, str]] = []

    def _apply(self) -> None:
        self.ids = self.s.project.add_entities_bulk(self.annotator, self.plan.rows(), self.plan.lengths,
                                                    ids=[i for _, i in self.ids] if self.ids else None)

    def _revert(self) -> None:
        self.s.project.delete_entities_bulk(self.annotator, self.ids,
                                            expected=[(s, e, lab) for _, s, e, lab in self.plan.rows()])

    def _applied(self) -> None:
        self.s.ensure_shown(self.doc_key)
        self.s.changed(self.doc_key)

    _reverted = _show_current = _applied
