"""An annotator's day, keyboard first: redo keys, stance keys after a keyboard selection, the view following it."""
from __future__ import annotations

import pytest
from gui_helpers import drag_select, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

import app.ui.main_window as main_window

pytestmark = pytest.mark.gui

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def active(qtbot, win):
    """Window shortcuts only reach the active window."""
    win.activateWindow()
    win.view.setFocus()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    return win


@pytest.fixture
def win(qtbot, project, tmp_path):
    return active(qtbot, make_window(qtbot, project, tmp_path))


class LinuxDesktopKeys(QKeySequence):
    """QKeySequence as on a GNOME/KDE desktop, where the standard Redo key is Ctrl+Shift+Z (offscreen it is Ctrl+Y)."""

    LINUX = {QKeySequence.StandardKey.Redo: ["Ctrl+Shift+Z"], QKeySequence.StandardKey.Undo: ["Ctrl+Z"]}

    def __init__(self, *args):
        if args and isinstance(args[0], QKeySequence.StandardKey):
            args = (self.keyBindings(args[0])[0].toString() if self.keyBindings(args[0]) else "",)
        super().__init__(*args)

    @staticmethod
    def keyBindings(key):
        if key in LinuxDesktopKeys.LINUX:
            return [QKeySequence(k) for k in LinuxDesktopKeys.LINUX[key]]
        return QKeySequence.keyBindings(key)


def test_ctrl_shift_z_and_ctrl_y_both_redo(qtbot, project, tmp_path, monkeypatch):
    monkeypatch.setattr(main_window, "QKeySequence", LinuxDesktopKeys)
    win = active(qtbot, make_window(qtbot, project, tmp_path))
    view = win.view
    s16, e16 = qt_find(view, "بلجيكا")
    drag_select(view, s16, e16)
    QTest.keyClick(view, Qt.Key.Key_4)
    s16, e16 = qt_find(view, "الاتحاد الأوروبي")
    drag_select(view, s16, e16)
    QTest.keyClick(view, Qt.Key.Key_2)
    doc = win.session.doc_key
    texts = lambda: sorted(e.text for e in project.load(doc, "amal").entities)  # noqa: E731
    assert texts() == ["الاتحاد الأوروبي", "بلجيكا"]
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert texts() == ["بلجيكا"]
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)  # redo, not an ambiguous shortcut
    assert texts() == ["الاتحاد الأوروبي", "بلجيكا"]
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    QTest.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert texts() == ["الاتحاد الأوروبي", "بلجيكا"]
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)  # the next undo undoes the last edit, nothing else
    assert texts() == ["بلجيكا"]


