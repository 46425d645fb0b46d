"""The dialog for a file operation that failed (import, merge): what went wrong, as plain text, whatever the cause.

Imports and merges are one transaction each, so a failure of any kind leaves the project as it was; what the user
needs is the reason. The tool's own errors already read `FILE:LINE: problem`; a database, file-system or memory
failure is named here in the same spirit instead of escaping to the event loop (where Qt would only print it to a
terminal nobody watches, and the user would see nothing at all).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core.io.source import SourceError


def failure_text(exc: BaseException, project_path: Path) -> str:
    """One readable explanation of `exc`: a located problem as it is, other failures with their cause."""
    if isinstance(exc, SourceError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        return f"{project_path}: the project database refused the change ({exc}); try again when no other program " \
               f"is writing to it"
    if isinstance(exc, OSError):
        where = exc.filename or project_path
        return f"{where}: {exc.strerror or exc}"
    if isinstance(exc, MemoryError):
        return "not enough memory to finish; close other programs or import fewer files at a time"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read"
    return f"{type(exc).__name__}: {exc}"


def show_failure(parent: QWidget, title: str, text: str) -> None:
    """A warning box whose text is shown exactly as written (file names and data are never read as rich text)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()
