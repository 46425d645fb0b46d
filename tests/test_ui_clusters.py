"""Linking mentions of one person in the window: L then a click, L twice for the suggested partner, Shift+L to unlink,
each one undo step, and what ends up in the export."""
from __future__ import annotations

import pytest
from gui_helpers import click_at, exported, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui

FULL = "خافيير كولومينا"
SENT = "وقال كولومينا إن من أهداف زيارته"


@pytest.fixture
def win(qtbot, project, tmp_path):
    w = make_window(qtbot, project, tmp_path)
    doc = project.document("kuwait-nato-colomina")
    later = doc.text.index(SENT) + len("وقال ")
    for start, name, label in ((doc.text.index(FULL), FULL, "PER"), (later, "كولومينا", "PER"),
                               (doc.text.index("الجارالله"), "الجارالله", "PER"),
                               (doc.text.index("الكويت"), "الكويت", "GPE")):
        project.add_entity(doc.key, "amal", start, start + len(name), label)
    w.session.open_document(doc.key)
    return w


def clusters(project, doc_key) -> dict:
    return {e.text: e.cluster for e in project.load(doc_key, "amal").entities}


def test_l_twice_links_a_family_name_to_the_full_name_and_undo_unlinks(win, project, tmp_path):
    view, key = win.view, win.session.doc_key
    s16, _ = qt_find(view, SENT)
    click_at(view, s16 + len("وقال ") + 2)  # the later كولومينا
    QTest.keyClick(view, Qt.Key.Key_L)
    assert clusters(project, key)["كولومينا"] is None  # waiting: nothing linked yet
    QTest.keyClick(view, Qt.Key.Key_L)  # L again: the suggested partner, the full name before it
    got = clusters(project, key)
    assert got[FULL] is not None and got[FULL] == got["كولومينا"] and got["الجارالله"] is None
    (line,) = [r for r in exported(project, tmp_path, annotator="amal") if r["id"] == "kuwait-nato-colomina"]
    linked = {e["text"]: e.get("cluster") for e in line["entities"]}
    assert linked[FULL] == linked["كولومينا"] == got[FULL] and "cluster" not in \
        next(e for e in line["entities"] if e["text"] == "الكويت")
    win.session.undo_stack.undo()
    assert set(clusters(project, key).values()) == {None}
    win.session.undo_stack.redo()
    assert clusters(project, key)[FULL] == clusters(project, key)["كولومينا"] is not None


def test_l_then_a_click_links_and_shift_l_unlinks(win, project):
    view, key = win.view, win.session.doc_key
    g16, _ = qt_find(view, "الجارالله")
    k16, _ = qt_find(view, "الكويت")
    click_at(view, g16 + 2)
    QTest.keyClick(view, Qt.Key.Key_L)
    click_at(view, k16 + 2)  # the click names the partner, it does not just select
    got = clusters(project, key)
    assert got["الجارالله"] is not None and got["الجارالله"] == got["الكويت"]
    assert win.session.undo_stack.count() == 1
    click_at(view, k16 + 2)
    QTest.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert set(clusters(project, key).values()) == {None}
    win.session.undo_stack.undo()  # the unlink, then the link: one step each
    assert clusters(project, key)["الكويت"] is not None
    win.session.undo_stack.undo()
    assert set(clusters(project, key).values()) == {None}
