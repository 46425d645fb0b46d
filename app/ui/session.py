"""The bridge between the core and the widgets: which project, which annotator, which document is shown.

Widgets never touch SQL or each other: they call the session (or push undo commands that call it) and repaint on
its signals. The session re-reads the current annotation set from the core after every change, so what is shown
is always what is stored.
"""
from __future__ import annotations

from typing import Optional

import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.model import DONE, AnnotationSet
from ..core.store import Project, ServerGone
from ..core.store.leases import HEARTBEAT
from .edit_guard import WINDOW_BUSY_TIMEOUT_MS, EditStack


class Session(QObject):
    documentOpened = Signal(object)  # AnnotationSet of the newly shown document
    annotationsChanged = Signal(int)  # document key whose annotations changed
    statusChanged = Signal(int)  # document key whose status changed
    selectionChanged = Signal(object)  # id of the selected entity, or None
    quoteSelected = Signal(object)  # id of the selected quote, or None
    hint = Signal(str)  # a short instruction for the status bar

    def __init__(self, project: Project, annotator: str, parent: Optional[QObject] = None, read_only: bool = False):
        super().__init__(parent)
        self.project = project
        self.annotator = annotator
        self.undo_stack = EditStack(self)
        self.current: Optional[AnnotationSet] = None
        self.selected_entity: Optional[str] = None
        self.selected_quote: Optional[str] = None
        self.pending_speaker: Optional[str] = None  # quote waiting for a click on its speaker's entity
        # Suggestions the annotator rejected, deleted or undid, per document: kept here so they stay dismissed
        # when the window is rebuilt (language switch).
        self.dismissed: dict[int, set[tuple]] = {}
        project.ensure_annotator(annotator)
        project.set_busy_timeout(WINDOW_BUSY_TIMEOUT_MS)
        # This window's lease: a second window opening the project as the same annotator is warned.
        self.lease: Optional[str] = None
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(int(HEARTBEAT * 1000))
        self._heartbeat.timeout.connect(self._beat)
        self.read_only = False
        if read_only:
            self.set_read_only()
        else:
            self._take_lease()

    # ---- leases and read-only mode -------------------------------------------------------------------------
    def _take_lease(self) -> None:
        try:
            self.lease = self.project.take_lease(self.annotator)
        except sqlite3.Error:  # locked or full right now: the window still works, only the warning is lost
            return
        self._heartbeat.start()

    def _beat(self) -> None:
        try:
            self.project.renew_lease(self.lease, self.annotator)
        except sqlite3.Error:
            pass  # next beat; a few missed beats are within STALE_AFTER
        except ServerGone:
            # The server connection is gone: beating on it would raise from a timer every few seconds. The next
            # edit meets the loss and offers to reconnect; a lease left behind is ignored once it goes stale.
            self._heartbeat.stop()

    def set_read_only(self) -> None:
        """Refuse every edit from now on (the project is open for this annotator elsewhere)."""
        self.read_only = self.undo_stack.read_only = True
        self.close()
        self.project.set_read_only()

    def close(self) -> None:
        """Give up this window's lease (the window is closing, or turned read-only)."""
        self._heartbeat.stop()
        if self.lease is not None:
            try:
                self.project.drop_lease(self.lease)
            except sqlite3.Error:
                pass  # left behind, it is ignored once this process has exited
            self.lease = None

    # ---- documents -----------------------------------------------------------------------------------------
    @property
    def doc_key(self) -> Optional[int]:
        return self.current.document.key if self.current else None

    def open_document(self, doc_key: int) -> AnnotationSet:
        self.current = self.project.load(doc_key, self.annotator)
        self.pending_speaker = None
        self.select_entity(None)
        self.select_quote(None)
        self.documentOpened.emit(self.current)
        return self.current

    def open_first(self) -> Optional[AnnotationSet]:
        """The annotator's first unfinished assigned document (`tawsim assign`), else the list's first."""
        mine = self.project.next_assigned_document(0, self.annotator)
        if mine is not None:
            return self.open_document(mine)
        rows = self.project.list_documents(0, 1, annotator=self.annotator)
        return self.open_document(rows[0].key) if rows else None

    def ensure_shown(self, doc_key: int) -> None:
        """Undo/redo of an edit on another document brings that document into view first."""
        if self.doc_key != doc_key:
            self.open_document(doc_key)

    def set_annotator(self, name: str) -> None:
        self.annotator = name
        self.project.ensure_annotator(name)
        self.undo_stack.clear()
        if self.lease is not None:
            self._beat()  # the lease now names the new annotator
        if self.current:
            self.open_document(self.current.document.key)

    # ---- change notifications (called by undo commands after they wrote to the core) ----------------------
    def changed(self, doc_key: int) -> None:
        if self.doc_key == doc_key:
            self.current = self.project.load(doc_key, self.annotator)
            if self.selected_entity and not self.current.entity(self.selected_entity):
                self.select_entity(None)
            if self.selected_quote and not self.quote(self.selected_quote):
                self.select_quote(None)
        self.annotationsChanged.emit(doc_key)

    def status_changed(self, doc_key: int) -> None:
        if self.doc_key == doc_key:
            self.current = self.project.load(doc_key, self.annotator)
        self.statusChanged.emit(doc_key)

    def select_entity(self, entity_id: Optional[str]) -> None:
        self.selected_entity = entity_id
        self.selectionChanged.emit(entity_id)

    def select_quote(self, quote_id: Optional[str]) -> None:
        self.selected_quote = quote_id
        self.quoteSelected.emit(quote_id)

    def quote(self, quote_id: Optional[str]):
        if not self.current or not quote_id:
            return None
        return next((q for q in self.current.quotes if q.id == quote_id), None)

    # ---- progress ------------------------------------------------------------------------------------------
    def progress(self) -> tuple[int, int]:
        return (self.project.count_documents(annotator=self.annotator, status=DONE),
                self.project.count_documents())
