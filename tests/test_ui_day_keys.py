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




def nato_with_spans(win, project, names):
    """The NATO article with spans already tagged (earlier work), shown in the window."""
    doc = project.document("kuwait-nato-colomina")
    ids = {}
    for name, label, nth in names:
        i = -1
        for _ in range(nth + 1):
            i = doc.text.index(name, i + 1)
        ids[name, nth] = project.add_entity(doc.key, "amal", i, i + len(name), label).id
    win.session.open_document(doc.key)
    return ids


def visible(win, ent_id) -> bool:
    e = win.session.current.entity(ent_id)
    rects = win.view.span_rects(e.start, e.end)
    return bool(rects) and all(0 <= r.top() and r.bottom() <= win.view.viewport().height() for r, _ in rects)


def test_tab_selects_the_next_span_scrolls_to_it_and_stance_keys_follow(win, project):
    ids = nato_with_spans(win, project, [("الناتو", "ORG", 0), ("الكويت", "GPE", 0), ("كولومينا", "PER", 0),
                                         ("الكويت", "GPE", 8)])
    view = win.view
    win.session.select_entity(ids["الناتو", 0])  # clicked earlier
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert win.session.selected_entity == ids["الكويت", 0]
    QTest.keyClick(view, Qt.Key.Key_F, SHIFT)  # the article's stance toward the span selected now
    assert [(s.target, s.label) for s in win.session.current.stances] == [(ids["الكويت", 0], "favor")]
    QTest.keyClick(view, Qt.Key.Key_Tab)
    QTest.keyClick(view, Qt.Key.Key_Tab)
    last = ids["الكويت", 8]
    assert win.session.selected_entity == last
    assert win.view.verticalScrollBar().value() > 0 and visible(win, last)  # the view followed
    QTest.keyClick(view, Qt.Key.Key_Backtab)
    assert win.session.selected_entity == ids["كولومينا", 0] and visible(win, ids["كولومينا", 0])


def test_stance_key_acts_on_the_span_selected_with_shift_arrows(win, project):
    ids = nato_with_spans(win, project, [("الناتو", "ORG", 0), ("كولومينا", "PER", 0)])
    view = win.view
    win.session.select_entity(ids["الناتو", 0])
    ent = win.session.current.entity(ids["كولومينا", 0])
    cur = view.textCursor()
    cur.setPosition(view.map.to_utf16(ent.start))
    view.setTextCursor(cur)
    for _ in range(len("كولومينا")):
        QTest.keyClick(view, Qt.Key.Key_Left, SHIFT)  # right-to-left: Left moves forward
    QTest.keyClick(view, Qt.Key.Key_A, SHIFT)
    assert [(s.target, s.label) for s in win.session.current.stances] == [(ent.id, "against")]
    assert win.session.selected_entity == ent.id


def sheet_rows(win) -> dict[str, str]:
    table = win.shortcut_sheet.table
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def test_f1_shows_every_key_from_the_real_bindings_in_both_languages(qtbot, project, tmp_path):
    from app.ui.main_window import MainWindow, apply_language

    win = active(qtbot, make_window(qtbot, project, tmp_path, register=False))
    QTest.keyClick(win.view, Qt.Key.Key_F1)
    rows = sheet_rows(win)
    assert any("Ctrl+Y" in k and "Ctrl+Shift+Z" in k and v == "Redo" for k, v in rows.items())
    assert rows["Q"].startswith("Quote") and rows["4"].endswith("GPE") and "Tab / Shift+Tab" in rows
    assert any("favor" in v for v in rows.values())
    # a binding changed in the project shows at once: no list to keep in step
    project.update_label("entity", "GPE", key="8")
    win.shortcut_sheet.close()
    win.actions["lang-ar"].trigger()
    ar = active(qtbot, MainWindow.live)
    qtbot.addWidget(ar)
    QTest.keyClick(ar.view, Qt.Key.Key_Question)
    rows = sheet_rows(ar)
    assert ar.shortcut_sheet.windowTitle() == "اختصارات لوحة المفاتيح"
    assert rows["Q"].startswith("اقتباس") and "كيان جغرافي سياسي" in rows["8"] and "4" not in rows
    assert any("Ctrl+Shift+Z" in k and v == "إعادة" for k, v in rows.items())
    ar.shortcut_sheet.close()
    apply_language("en")
