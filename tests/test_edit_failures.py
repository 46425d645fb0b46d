"""An edit in the window that cannot be written (another program holds the write lock, or the disk is full): a dialog
names the file and the cause and offers Retry; Cancel leaves the project and the undo stack as they were, and the
stack only ever holds edits that were committed (no phantom command whose Ctrl+Z raises)."""
from __future__ import annotations

import sqlite3
import time

import pytest
from gui_helpers import ANNOTATOR, drag_select, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

pytestmark = pytest.mark.gui
LOCKED = "the project is locked by another program"
FULL = "the disk is full"


@pytest.fixture
def win(qtbot, project, tmp_path):
    return make_window(qtbot, project, tmp_path)


@pytest.fixture
def dialogs(monkeypatch):
    """Answers the window's message boxes from a script: each entry is (button, what to do first)."""
    script, shown = [], []

    def fake_exec(box):
        shown.append(box.text())
        button, before = script.pop(0)
        if before:
            before()
        return button

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return script, shown


def entities(path, doc_key) -> list[tuple[str, str]]:
    """What is on disk, read by a connection of its own."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT e.id, e.label FROM entities e JOIN annotation_sets s ON s.key = e.set_key "
            "JOIN annotators a ON a.key = s.annotator WHERE a.name = ? AND s.document = ?",
            (ANNOTATOR, doc_key)).fetchall()
    finally:
        conn.close()


def press_label(win, needle="بلجيكا") -> float:
    drag_select(win.view, *qt_find(win.view, needle))
    began = time.monotonic()
    QTest.keyClick(win.view, Qt.Key.Key_4)  # GPE
    return time.monotonic() - began


def test_edit_while_another_program_holds_the_lock_asks_retry_and_keeps_the_stack_true(win, project, dialogs):
    script, shown = dialogs
    doc, stack = win.session.doc_key, win.session.undo_stack
    blocker = sqlite3.connect(project.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program writing

    script.append((QMessageBox.StandardButton.Cancel, None))
    took = press_label(win)
    assert len(shown) == 1 and shown[0].startswith(f"{project.path}: the edit was not saved: {LOCKED}.")
    assert took < 3.0  # a short wait for the lock, not the CLI's 5 s freeze before the dialog
    assert entities(project.path, doc) == [] and win.session.current.entities == []
    assert (stack.count(), stack.index()) == (0, 0)  # no phantom command
    project.set_busy_timeout(50)  # the window's wait is measured above; the rest need not wait for real

    script.append((QMessageBox.StandardButton.Retry, lambda: blocker.execute("ROLLBACK")))  # the other is done
    press_label(win)
    assert len(shown) == 2 and LOCKED in shown[1]
    assert entities(project.path, doc) == [("e1", "GPE")]
    assert [e.label for e in win.session.current.entities] == ["GPE"]
    assert (stack.count(), stack.index()) == (1, 1)

    blocker.execute("BEGIN IMMEDIATE")  # locked again: Ctrl+Z cancelled leaves the stack and the entity alone
    script.append((QMessageBox.StandardButton.Cancel, None))
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(shown) == 3 and LOCKED in shown[2]
    assert (stack.count(), stack.index()) == (1, 1)
    assert entities(project.path, doc) == [("e1", "GPE")]

    script.append((QMessageBox.StandardButton.Retry, lambda: blocker.execute("ROLLBACK")))
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (stack.count(), stack.index()) == (1, 0)
    assert entities(project.path, doc) == [] and win.session.current.entities == []
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert entities(project.path, doc) == [("e1", "GPE")] and stack.index() == 1
    assert script == [] and len(shown) == 4
    blocker.close()


def _fill_to_the_page_limit(conn: sqlite3.Connection, doc_key: int) -> None:
    """Make the window's connection behave as on a full disk: the file may not grow by another page, and the
    entity pages are filled with rows smaller than any the window writes, so its next entity needs a new page."""
    conn.execute("INSERT INTO annotators (name) VALUES ('filler')")
    sk = conn.execute("INSERT INTO annotation_sets (document, annotator, updated_at) VALUES "
                      "(?, (SELECT key FROM annotators WHERE name = 'filler'), '')", (doc_key,)).lastrowid
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    for i in range(1900):
        try:
            conn.execute("INSERT INTO entities (set_key, id, start, \"end\", label) VALUES (?, ?, 0, 1, '')",
                         (sk, chr(0x80 + i)))
        except sqlite3.OperationalError as exc:
            assert exc.sqlite_errorname == "SQLITE_FULL"
            return
    raise AssertionError("the pages never filled")


def test_edit_on_a_full_disk_asks_retry_and_saves_nothing_until_it_succeeds(win, project, dialogs):
    script, shown = dialogs
    doc, stack = win.session.doc_key, win.session.undo_stack
    _fill_to_the_page_limit(project.conn, doc)

    script.append((QMessageBox.StandardButton.Cancel, None))
    press_label(win)
    assert len(shown) == 1 and shown[0].startswith(f"{project.path}: the edit was not saved: {FULL}.")
    assert entities(project.path, doc) == [] and (stack.count(), stack.index()) == (0, 0)
    assert project.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    def free_space():
        project.conn.execute("PRAGMA max_page_count = 1073741823")

    script.append((QMessageBox.StandardButton.Retry, free_space))
    press_label(win)
    assert entities(project.path, doc) == [("e1", "GPE")]
    assert (stack.count(), stack.index()) == (1, 1) and len(shown) == 2
