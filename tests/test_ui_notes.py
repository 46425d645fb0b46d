"""Notes on spans and quotes through the real window (issue 14, item 13): M or the context menu opens the editor,
a note typed in Arabic is saved as one undo step, shown on hover, in the entity list and the quote panel, exported,
and listed in the adjudication window."""
from __future__ import annotations

import pytest
from gui_helpers import ANNOTATOR, caret_point, exported, qt_find
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QToolTip

from app.ui.i18n import AR, EN, set_language
from app.ui.review_window import ReviewWindow

pytestmark = pytest.mark.gui

NOTE = "ليس متأكدًا: قد يكون منظمة"
QUOTE_NOTE = "اقتباس غير مباشر؟"


def type_arabic(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def span(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


def inside(view, needle: str) -> QPoint:
    """A point inside the first character of `needle` in the article."""
    s16, _ = qt_find(view, needle)
    a, b = caret_point(view, s16), caret_point(view, s16 + 1)
    return QPoint((a.x() + b.x()) // 2, a.y())


def hover(view, pos: QPoint) -> None:
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))


def tooltip_at(view, pos: QPoint) -> str:
    hover(view, pos)
    return QToolTip.text() if QToolTip.isVisible() else ""


def entity_rows(win) -> list[tuple[str, str]]:
    m = win.entities.table.model()
    return [(m.index(r, 1).data(), m.index(r, 2).data()) for r in range(m.rowCount())]


def test_m_opens_a_note_typed_in_arabic_shown_on_hover_in_the_list_undone_and_exported(qtbot, win, project,
                                                                                       tmp_path):
    doc = win.session.current.document
    e = project.add_entity(doc.key, ANNOTATOR, *span(doc.text, "الناتو"), "ORG")
    win.session.open_document(doc.key)
    win.entities_dock.show()
    win.session.select_entity(e.id)
    QTest.keyClick(win.view, Qt.Key.Key_M)
    dialog = win.notes.dialog
    assert dialog is not None and dialog.isVisible() and dialog.what.text() == "ORG «الناتو»"
    type_arabic(dialog.text, NOTE)
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert project.load(doc.key, ANNOTATOR).entity(e.id).note == NOTE
    assert ("الناتو", NOTE) in entity_rows(win)
    assert tooltip_at(win.view, inside(win.view, "الناتو")) == NOTE
    (line,) = [r for r in exported(project, tmp_path) if r["annotator"] == ANNOTATOR]
    assert [x.get("note") for x in line["entities"]] == [NOTE]

    win.session.undo_stack.undo()  # one step: the note is gone, the span stays
    assert project.load(doc.key, ANNOTATOR).entity(e.id).note == ""
    assert ("الناتو", "") in entity_rows(win)
    hover(win.view, inside(win.view, "الناتو"))  # the note's tooltip, still up, goes: nothing to show now
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)
    (line,) = [r for r in exported(project, tmp_path) if r["annotator"] == ANNOTATOR]
    assert "note" not in line["entities"][0]
    win.session.undo_stack.redo()
    assert project.load(doc.key, ANNOTATOR).entity(e.id).note == NOTE


def test_context_menu_note_on_a_quote_shows_in_the_quote_panel_and_in_arabic(win, project):
    doc = win.session.current.document
    q = project.add_quote(doc.key, ANNOTATOR, *span(doc.text, "مناقشة أفضل سبل زيادة وتيرة التحاور"),
                          kind="indirect")
    win.session.open_document(doc.key)
    pos = inside(win.view, "مناقشة أفضل")
    QApplication.sendEvent(win.view.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                                   win.view.viewport().mapToGlobal(pos)))
    menu = win.notes.menu
    (action,) = [a for a in menu.actions() if a.objectName() == "noteAction"]
    assert action.isEnabled()
    action.trigger()
    menu.close()
    dialog = win.notes.dialog
    type_arabic(dialog.text, QUOTE_NOTE)
    QTest.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    assert project.quote(doc.key, ANNOTATOR, q.id).note == QUOTE_NOTE
    model = win.quotes.model
    col = model.COLUMNS.index("note")
    assert model.index(model.row_of(q.id), col).data() == QUOTE_NOTE
    assert tooltip_at(win.view, pos) == QUOTE_NOTE
    set_language(AR)  # the editor in the Arabic interface: its own strings in Arabic, the note as typed
    try:
        dialog = win.notes.edit(("quote", q.id))
        assert dialog.windowTitle() == "ملاحظة" and dialog.what.text().startswith("اقتباس «مناقشة أفضل")
        assert dialog.text.toPlainText() == QUOTE_NOTE
        dialog.reject()
    finally:
        set_language(EN)


def test_the_adjudication_window_lists_every_annotators_notes(qtbot, project):
    doc = project.document("kuwait-nato-anezi")
    nato = span(doc.text, "حلف شمال الأطلسي")
    for who, label, note in (("amal", "ORG", "حلف عسكري: منظمة"), ("omar", "LOC", "")):
        e = project.add_entity(doc.key, who, *nato, label)
        if note:
            project.set_note("entity", doc.key, who, e.id, note)
    win = ReviewWindow(project, "rana")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert [win.notes.item(i).text() for i in range(win.notes.count())] == \
        ["amal · ORG «حلف شمال الأطلسي»: حلف عسكري: منظمة"]
    (row,) = range(win.table.rowCount())  # the disagreement's amal column spells the note out
    cells = [win.table.item(row, c).text() for c in range(1, 3)]
    assert "note: حلف عسكري: منظمة" in cells[0] and "note" not in cells[1]
