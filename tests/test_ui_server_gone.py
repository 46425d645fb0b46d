"""The server goes away while the window is open: the edit the annotator makes is not shown as saved (not in the
view, not on the undo stack), one message says why and offers to retry, and after reconnecting edits save again."""
from __future__ import annotations

import psycopg
import pytest
from gui_helpers import ANNOTATOR, drag_select, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from app.core.store import Project

pytestmark = pytest.mark.gui


@pytest.fixture
def store_backend() -> str:
    return "postgres"


def test_lost_connection_edit_not_shown_as_saved_then_retry_reconnects(qtbot, project, tmp_path, pg_server,
                                                                       monkeypatch):
    win = make_window(qtbot, project, tmp_path)
    view = win.view
    drag_select(view, *qt_find(view, "نواف العنزي"))
    QTest.keyClick(view, Qt.Key.Key_1)
    assert [e.text for e in win.session.current.entities] == ["نواف العنزي"]
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:  # the server drops the window's connection
        admin.execute("SELECT pg_terminate_backend(%s)", (project.conn.raw.info.backend_pid,))
    shown = []

    def fake_critical(parent, title, text, *args):
        shown.append(text)
        return QMessageBox.StandardButton.Retry
    monkeypatch.setattr(QMessageBox, "critical", fake_critical)

    drag_select(view, *qt_find(view, "بلجيكا"))
    QTest.keyClick(view, Qt.Key.Key_4)
    assert len(shown) == 1 and "connection to the server was lost" in shown[0] and "\n" not in shown[0]
    assert [e.text for e in win.session.current.entities] == ["نواف العنزي"]  # the refused edit is not shown
    assert win.session.undo_stack.count() == 1  # nor listed as done
    drag_select(view, *qt_find(view, "بلجيكا"))  # reconnected: the annotator repeats the edit, and it saves
    QTest.keyClick(view, Qt.Key.Key_4)
    assert win.session.undo_stack.count() == 2
    with Project.open(project.path) as other:
        doc = win.session.current.document.key
        assert sorted(e.text for e in other.load(doc, ANNOTATOR).entities) == ["بلجيكا", "نواف العنزي"]


def test_a_lost_connection_stops_the_lease_heartbeat_instead_of_raising_from_a_timer(qtbot, project, tmp_path,
                                                                                     pg_server):
    """The lease heartbeat runs on a timer: on a dead connection it used to raise ServerGone from the event loop
    every few seconds (seen as errors inside later, unrelated tests)."""
    win = make_window(qtbot, project, tmp_path)
    beat = win.session._heartbeat
    assert beat.isActive()
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (project.conn.raw.info.backend_pid,))
    beat.timeout.emit()  # the next beat meets the lost connection
    assert not beat.isActive()
