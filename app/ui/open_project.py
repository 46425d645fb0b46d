"""File → Open project…: another project in the window, a file or a PostgreSQL URL typed as it is given to
`tawsim URL`. A failure to open (no such file, server down, login refused) is one message with Retry; the project
that is open stays open until the new one is.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLineEdit, QMessageBox,
                               QPushButton, QVBoxLayout, QWidget)

from ..core.store import Project, ProjectError
from .i18n import t
from .plain import PlainLabel, plain


class OpenProjectDialog(QDialog):
    """A line for a project file or a postgresql:// URL, with Browse… for files."""

    def __init__(self, parent: Optional[QWidget] = None, current: str = ""):
        super().__init__(parent)
        self.setWindowTitle(t("Open project…"))
        self.target = QLineEdit(current, self)
        self.target.setObjectName("projectTarget")
        self.target.setPlaceholderText("project.db  |  postgresql://user@host/database")
        browse = QPushButton(t("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(PlainLabel(t("Project file or PostgreSQL URL:"), self))
        lay.addLayout(row)
        lay.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("Open project…"), "", "Tawsim (*.db);;* (*)")
        if path:
            self.target.setText(path)


def open_target(parent: Optional[QWidget], target: str) -> Optional[Project]:
    """Open `target`, offering Retry on failure; None if the user cancels."""
    while True:
        try:
            return Project.open(target)
        except ProjectError as exc:
            buttons = QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel
            if QMessageBox.critical(parent, t("Open project…"), plain(str(exc)), buttons,
                                    QMessageBox.StandardButton.Retry) != QMessageBox.StandardButton.Retry:
                return None


def ask_and_open(parent: Optional[QWidget]) -> Optional[Project]:
    dialog = OpenProjectDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.target.text().strip():
        return None
    return open_target(parent, dialog.target.text().strip())
