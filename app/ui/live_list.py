"""Other people's committed work appears in the document list without a restart: a timer polls the project's
ChangeFeed (app.core.store.live) and refreshes the list's rows (status, label counts) or, when documents were
added or removed, re-reads the list, keeping the current document selected.

A poll costs nothing when nobody changed anything (no round trip to the server, one PRAGMA on a file), so a short
interval keeps the list fresh. If the server goes away the timer stops and the status bar says so once.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.store import ProjectError
from ..core.store.live import ChangeFeed
from .document_list import DocumentListPanel
from .i18n import t
from .session import Session

POLL_MS = 500


class LiveList(QObject):
    """Polls for others' changes and refreshes `panel`; `changed` fires after a refresh (progress, counts)."""

    changed = Signal()

    def __init__(self, session: Session, panel: DocumentListPanel, parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.panel = session, panel
        self.feed = ChangeFeed(session.project)
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.destroyed.connect(self.feed.close)

    def poll(self) -> bool:
        """Apply what others committed since the last poll; True if the list changed."""
        if not self.panel.isVisible():  # a closed window (its project may be closed too) has nothing to show
            return False
        try:
            changes = self.feed.poll()
        except ProjectError as exc:
            self.timer.stop()
            self.session.hint.emit(t("Live updates stopped: {reason}", reason=str(exc)))
            return False
        if not changes:
            return False
        if changes.documents or changes.everything:
            self.panel.model.reload()
            if self.session.doc_key is not None:
                self.panel.highlight(self.session.doc_key)
        else:
            self.panel.model.refresh_rows()
        self.changed.emit()
        return True
