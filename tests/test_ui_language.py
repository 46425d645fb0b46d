"""The interface switches between English and Arabic (mirrored), is remembered, and loses no work."""
from __future__ import annotations

import pytest
import shiboken6
from gui_helpers import drag_select, make_window, qt_find
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.ui.i18n import language
from app.ui.main_window import MainWindow, apply_language
from app.ui.settings import Settings

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    apply_language("en")


def menu_titles(win) -> list[str]:
    return [a.text() for a in win.menuBar().actions()]


def test_switch_to_arabic_and_back(qtbot, project, tmp_path):
    win = make_window(qtbot, project, tmp_path, register=False)
    s16, e16 = qt_find(win.view, "بلجيكا")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_4)
    doc = win.session.doc_key
    assert menu_titles(win)[0] == "&File"

    win.actions["lang-ar"].trigger()
    ar = MainWindow.live
    assert ar is not win
    ar.activateWindow()
    qtbot.waitUntil(ar.isActiveWindow, timeout=2000)
    assert language() == "ar"
    assert menu_titles(ar)[:2] == ["&ملف", "&تحرير"]
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert ar.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert ar.quotes_dock.windowTitle() == "الاقتباسات"
    assert ar.palette.buttons["PER"].text().endswith("شخص")
    # remembered for the next start
    assert Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)).language == "ar"
    # the same document and the work on it carry over; undo still reaches the edit made before the switch
    assert ar.session.doc_key == doc
    assert [e.text for e in ar.session.current.entities] == ["بلجيكا"]
    QTest.keyClick(ar, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ar.session.current.entities == []
    # the Arabic window works: label with the keyboard
    drag_select(ar.view, s16, e16)
    QTest.keyClick(ar.view, Qt.Key.Key_4)
    assert [e.label for e in project.load(doc, "amal").entities] == ["GPE"]

    ar.actions["lang-en"].trigger()
    en = MainWindow.live
    qtbot.addWidget(en)
    qtbot.waitUntil(lambda: not shiboken6.isValid(ar), timeout=2000)  # the replaced window is really gone
    assert menu_titles(en)[0] == "&File"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
