"""The progress view (Review → Progress…): per annotator, assigned documents, those still open, done, skipped,
flagged, time spent (idle gaps left out) and agreement so far, as `tawsim progress` prints it
(app.core.review.progress). On a server it is recomputed whenever the live list reports others' commits, and
after this window's own status changes, so a lead watches the team's work come in.

What the connection may read bounds what it shows: an annotator's login on a server sees its own row only.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from ..core.review.progress import AnnotatorProgress, project_progress
from ..core.store import Project
from .i18n import t
from .plain import PlainLabel

REFRESH_MS = 1000
COLUMNS = ("annotator", "assigned", "open", "done", "skipped", "flagged", "time spent", "agreement (exact F1)",
           "documents")


def duration(seconds: float) -> str:
    m = int(seconds // 60)
    return t("{h} h {m} min", h=m // 60, m=m % 60) if m >= 60 else t("{n} min", n=m)


def cells(r: AnnotatorProgress) -> list[str]:
    return [r.name, str(r.assigned), str(r.assigned_open), str(r.done), str(r.skipped), str(r.flagged),
            duration(r.seconds), "—" if r.agreement_f1 is None else f"{r.agreement_f1:.3f}",
            str(r.agreement_documents)]


class ProgressView(QDialog):
    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(t("Progress"))
        self.resize(820, 320)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("progressTable")
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        note = PlainLabel(self)
        note.setText(t("Time spent leaves out pauses over 5 minutes. Recomputed when anyone saves."))
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addWidget(note)
        self.rows: list[AnnotatorProgress] = []
        # Saves arrive in bursts (a team annotating, a bulk import): recompute at most once a second, since the
        # agreement part reads every compared document.
        self._pending = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._pending.timeout.connect(self.refresh)
        self.refresh()

    def schedule(self) -> None:
        """Recompute soon (once for any number of calls within REFRESH_MS)."""
        if not self._pending.isActive():
            self._pending.start()

    def refresh(self, *_) -> list[AnnotatorProgress]:
        """Recompute from the project (the live list calls this, through the Review menu, when others commit)."""
        self.rows = project_progress(self.project)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            for c, text in enumerate(cells(r)):
                self.table.setItem(i, c, QTableWidgetItem(text))  # item text is plain, never rich text
        return self.rows
