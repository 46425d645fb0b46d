"""Ctrl+F: find in the article ignoring tashkeel, tatweel and hamza forms; next / previous; tag this match."""
from __future__ import annotations

import pytest
from gui_helpers import make_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui


def type_text(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def win(qtbot, project, tmp_path):
    w = make_window(qtbot, project, tmp_path)
    w.session.open_document(project.document("kuwait-nato-colomina").key)
    w.activateWindow()
    w.view.setFocus()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    return w


def selected_text(win) -> str:
    s, e = win.view.selection_cp()
    return win.session.current.document.text[s:e]


def test_find_ignores_marks_steps_and_tags_the_match(win, project):
    text = win.session.current.document.text
    QTest.keyClick(win.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = win.find_bar
    assert bar.isVisible() and bar.query.hasFocus()
    type_text(bar.query, "الكُوَيـــت")  # tashkeel and tatweel in the query
    n = text.count("الكويت")
    assert n > 3 and bar.count.text() == f"1 / {n}" and selected_text(win) == "الكويت"
    first = win.view.selection_cp()
    QTest.keyClick(bar.query, Qt.Key.Key_Return)
    assert bar.count.text() == f"2 / {n}" and win.view.selection_cp()[0] > first[0]
    QTest.keyClick(bar.query, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert win.view.selection_cp() == first
    bar.label.setCurrentIndex(bar.label.findData("GPE"))
    QTest.mouseClick(bar.tag, Qt.MouseButton.LeftButton)
    (ent,) = project.load(win.session.doc_key, "amal").entities
    assert (ent.start, ent.end, ent.label) == (*first, "GPE")
    assert bar.count.text() == f"2 / {n}"  # on to the next match
    bar.query.clear()
    type_text(bar.query, "اسطنبول")  # hamza forms: finds إسطنبول
    assert selected_text(win) == "إسطنبول"
    QTest.keyClick(bar.query, Qt.Key.Key_Escape)
    assert not bar.isVisible() and win.view.hasFocus()
