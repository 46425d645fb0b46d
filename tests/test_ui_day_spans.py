"""Resizing a span without deleting it: drag an edge with the mouse, or move an edge from the keyboard."""
from __future__ import annotations

import pytest
from gui_helpers import caret_point, click_at, mouse, make_window, qt_find
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui

MOD = Qt.KeyboardModifier
ALT, SHIFT, CTRL = MOD.AltModifier, MOD.ShiftModifier, MOD.ControlModifier


@pytest.fixture
def win(qtbot, project, tmp_path):
    w = make_window(qtbot, project, tmp_path)
    doc = project.document("kuwait-nato-colomina")
    i = doc.text.index("حلف شمال الأطلسي (الناتو)") + len("حلف ")
    w.ent_id = project.add_entity(doc.key, "amal", i, i + len("شمال الأطلسي"), "LOC").id
    w.session.open_document(doc.key)
    return w


def stored(win, project):
    e = project.load(win.session.doc_key, "amal").entity(win.ent_id)
    return e.text, e.label


def test_drag_the_start_edge_to_grow_the_span_one_undo_step(win, project):
    view = win.view
    s16, _ = qt_find(view, "شمال الأطلسي (الناتو)")
    click_at(view, s16 + 2)  # select the span
    assert win.session.selected_entity == win.ent_id
    edge = caret_point(view, s16)
    assert view.edge_at(edge) == "start"
    target = caret_point(view, s16 - len("شمال ") + 1)  # inside "حلف": snaps to its start
    mouse(view, QEvent.Type.MouseButtonPress, edge)
    mouse(view, QEvent.Type.MouseMove, QPoint((edge.x() + target.x()) // 2, edge.y()))
    mouse(view, QEvent.Type.MouseMove, target)
    assert view._layers["resize"]  # the new extent is previewed while dragging
    mouse(view, QEvent.Type.MouseButtonRelease, target, buttons=Qt.MouseButton.NoButton)
    assert stored(win, project) == ("حلف شمال الأطلسي", "LOC")
    assert not view.textCursor().hasSelection() and not view._layers["resize"]
    win.session.undo_stack.undo()
    assert stored(win, project) == ("شمال الأطلسي", "LOC")


def test_keyboard_moves_either_edge_by_a_word_or_a_character(win, project):
    view = win.view
    win.session.select_entity(win.ent_id)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Left, ALT)  # end forward one word: the bracket comes whole
    assert stored(win, project) == ("شمال الأطلسي (الناتو)", "LOC")
    QTest.keyClick(view, Qt.Key.Key_Right, ALT)  # and back
    assert stored(win, project) == ("شمال الأطلسي", "LOC")
    QTest.keyClick(view, Qt.Key.Key_Right, ALT | SHIFT)  # start back one word
    assert stored(win, project) == ("حلف شمال الأطلسي", "LOC")
    QTest.keyClick(view, Qt.Key.Key_Left, ALT | SHIFT | CTRL)  # start forward one character
    assert stored(win, project) == ("لف شمال الأطلسي", "LOC")
    QTest.keyClick(view, Qt.Key.Key_Right, ALT | CTRL)  # end back one character
    assert stored(win, project) == ("لف شمال الأطلس", "LOC")
    for expected in ("لف شمال الأطلسي", "حلف شمال الأطلسي", "شمال الأطلسي"):  # one undo step per resize
        win.session.undo_stack.undo()
        assert stored(win, project) == (expected, "LOC")
