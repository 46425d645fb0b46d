"""What the window does when an edit cannot be committed, or its target changed under it.

Every edit, undo and redo runs as one transaction through `run_guarded`:

* the database is locked by another program, or the disk is full: a dialog names the file and the cause, and
  offers Retry (runs the edit again) or Cancel (nothing is changed);
* an undo or redo finds its annotation changed since (another window or process annotating as the same person):
  it is not done, the user is told, and the command leaves the undo history.

`EditStack` is the window's undo stack: it runs a command's change *before* the stack records it, so the stack
only ever holds committed edits, and an undo or redo that fails leaves the stack where it was. A read-only window
(the project is open for this annotator elsewhere) refuses every edit, visibly.
"""
from __future__ import annotations

import sqlite3
from enum import Enum
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.model import AnnotationError
from ..core.store import ServerGone, StaleEditError
from .i18n import t

# How long the window's writes wait for another program's lock: long enough for a CLI's short transaction,
# short enough that a key press never freezes the window for long before the Retry dialog.
WINDOW_BUSY_TIMEOUT_MS = 1000


class Outcome(Enum):
    DONE = "done"  # committed
    DROPPED = "dropped"  # refused for good (target changed since, or the edit is not possible): forget it
    CANCELLED = "cancelled"  # not committed (locked, disk full) and the user chose Cancel: nothing changed


def failure_cause(exc: sqlite3.Error) -> str:
    """The cause of a failed write, in the user's words."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return t("the project is locked by another program")
    if name == "SQLITE_FULL" or "disk is full" in text:
        return t("the disk is full")
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return t("the project file cannot be written")
    return str(exc)


def _box(icon: QMessageBox.Icon, text: str, buttons: QMessageBox.StandardButton) -> QMessageBox:
    box = QMessageBox(icon, "Tawsim", text, buttons, QApplication.activeWindow())
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and causes are data, never markup
    return box


def ask_retry(path: str, cause: str) -> bool:
    """The dialog of a write that failed: True if the user chose Retry."""
    box = _box(QMessageBox.Icon.Warning,
               t("{path}: the edit was not saved: {cause}.\nRetry when the file can be written again, or Cancel to "
                 "leave the project as it was.", path=path, cause=cause),
               QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Retry)
    return box.exec() == QMessageBox.StandardButton.Retry


def tell(text: str) -> None:
    _box(QMessageBox.Icon.Information, text, QMessageBox.StandardButton.Ok).exec()


def run_guarded(session, action: Callable[[], None], verb: str) -> Outcome:
    """Run `action` (store calls that check their target) as one transaction; `verb` is 'edit', 'undo' or 'redo'."""
    project = session.project
    while True:
        try:
            with project.transaction():
                action()
            return Outcome.DONE
        except ServerGone as exc:  # a server project lost its connection: nothing was saved; offer to reconnect
            from .connection import connection_lost  # here: connection.py needs the session, which needs this module

            connection_lost(QApplication.activeWindow(), session, exc)
            return Outcome.CANCELLED  # the annotator repeats the edit once reconnected; it is not replayed unseen
        except StaleEditError:
            message = (t("this annotation was changed in another window/process since; undo skipped") if verb == "undo"
                       else t("this annotation was changed in another window/process since; redo skipped"))
        except AnnotationError as exc:
            message = t("{verb} skipped: {problem}", verb=t(verb), problem=str(exc))
        except sqlite3.Error as exc:
            if ask_retry(str(project.path), failure_cause(exc)):
                continue
            return Outcome.CANCELLED
        session.hint.emit(message)
        tell(message)
        return Outcome.DROPPED


class GuardedCommand(QUndoCommand):
    """An undo command whose change (`_apply`) and its reverse (`_revert`) run through run_guarded, checking their
    target; `_applied` and `_reverted` repaint afterwards. Run by EditStack before the stack moves; if Qt calls
    redo()/undo() itself, the change is made there, and a failure makes the command obsolete (Qt drops it)."""

    def __init__(self, session, text: str):
        super().__init__(text)
        self.s = session
        self._ready = False  # EditStack already made the change: redo()/undo() only repaint
        self._made = False  # applied once: the next apply is a redo

    def attempt(self, undo: bool) -> Outcome:
        verb = "undo" if undo else ("redo" if self._made else "edit")
        outcome = run_guarded(self.s, self._revert if undo else self._apply, verb)
        if outcome is Outcome.DONE and not undo:
            self._made = True
        elif outcome is Outcome.DROPPED:
            self._show_current()  # what the other window made of it
        return outcome

    def redo(self) -> None:
        if not self._ready and self.attempt(False) is not Outcome.DONE:
            self.setObsolete(True)
            return
        self._ready = False
        self._applied()

    def undo(self) -> None:
        if not self._ready and self.attempt(True) is not Outcome.DONE:
            self.setObsolete(True)
            return
        self._ready = False
        self._reverted()

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError

    def _applied(self) -> None:
        pass

    def _reverted(self) -> None:
        pass

    def _show_current(self) -> None:
        pass


class EditStack(QUndoStack):
    """The session's undo stack: holds only committed edits; a failed undo or redo leaves it where it was."""

    def __init__(self, session):
        super().__init__(session)
        self.session = session
        self.read_only = False

    def _refuse_read_only(self) -> bool:
        if self.read_only:
            message = t("This window is read-only (the project is open for {name} elsewhere): the edit was not "
                        "made.", name=self.session.annotator)
            self.session.hint.emit(message)
            tell(message)
        return self.read_only

    def push(self, cmd: QUndoCommand) -> bool:
        """Make the edit and record it; False if it was not made (refused, or cancelled after a failure)."""
        if self._refuse_read_only():
            return False
        if isinstance(cmd, GuardedCommand):
            if cmd.attempt(False) is not Outcome.DONE:
                return False  # never recorded: the stack holds only what was committed
            cmd._ready = True
        super().push(cmd)
        return True

    def undo(self) -> None:
        if self.index() > 0 and not self._refuse_read_only() and self._step(self.command(self.index() - 1), True):
            super().undo()

    def redo(self) -> None:
        if self.index() < self.count() and not self._refuse_read_only() and self._step(self.command(self.index()),
                                                                                        False):
            super().redo()

    def _step(self, cmd, undo: bool) -> bool:
        """Make the command's change ahead of QUndoStack; False if the user cancelled (the stack stays put)."""
        if not isinstance(cmd, GuardedCommand):
            return True
        outcome = cmd.attempt(undo)
        if outcome is Outcome.CANCELLED:
            return False
        if outcome is Outcome.DROPPED:
            cmd.setObsolete(True)  # QUndoStack deletes an obsolete command instead of running it
        else:
            cmd._ready = True
        return True
