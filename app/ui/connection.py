"""When an edit could not be committed (the server went away): one message saying the edit was not saved, and an
offer to reconnect, after which the annotator repeats the edit. Nothing is shown as saved that was not committed:
the refused command never reaches the undo stack (undo._unsaved_if_refused) and the view is re-read from the
store after a reconnect.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QMessageBox, QWidget

from ..core.store import ProjectError
from .i18n import t
from .plain import plain
from .session import Session


def connection_lost(parent: Optional[QWidget], session: Session, exc: Optional[ProjectError]) -> bool:
    """Tell the annotator; on Retry reconnect (until it works or they cancel). True once reconnected."""
    message = str(exc) if exc is not None else t("The edit was not saved.")
    while True:
        buttons = QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel
        answer = QMessageBox.critical(parent, t("Not saved"), plain(message), buttons, QMessageBox.StandardButton.Retry)
        if answer != QMessageBox.StandardButton.Retry:
            return False
        try:
            session.project.reconnect()
        except ProjectError as again:
            message = str(again)
            continue
        if session.doc_key is not None:
            session.open_document(session.doc_key)  # show what the server holds, nothing more
        return True
