"""The entity list dock: every span with label and text, filter by label, click to jump, several at once."""
from __future__ import annotations

import pytest
from gui_helpers import make_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui


@pytest.fixture
def win(qtbot, project, tmp_path):
    w = make_window(qtbot, project, tmp_path)
    doc = project.document("kuwait-nato-colomina")
    text = doc.text
    w.spans = {}
    for name, label, nth in (("الناتو", "ORG", 0), ("الكويت", "GPE", 0), ("كولومينا", "PER", 0), ("الكويت", "GPE", 9)):
        i = -1
        for _ in range(nth + 1):
            i = text.index(name, i + 1)
        w.spans[name, nth] = project.add_entity(doc.key, "amal", i, i + len(name), label).id
    w.session.open_document(doc.key)
    w.entities_dock.show()
    w.entities_dock.raise_()
    return w


def rows(panel):
    t = panel.table
    return [(t.model().index(r, 0).data(), t.model().index(r, 1).data()) for r in range(t.model().rowCount())]


def click_row(panel, r, mods=Qt.KeyboardModifier.NoModifier):
    t = panel.table
    rect = t.visualRect(t.model().index(r, 1))
    QTest.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, mods, rect.center())


def labels(win, project):
    return sorted((e.text, e.label) for e in project.load(win.session.doc_key, "amal").entities)


def test_entity_list_filter_jump_and_one_step_bulk_edits(win, project):
    panel = win.entities
    assert rows(panel) == [("ORG", "الناتو"), ("GPE", "الكويت"), ("PER", "كولومينا"), ("GPE", "الكويت")]
    panel.filter.setCurrentIndex(panel.filter.findData("GPE"))
    assert rows(panel) == [("GPE", "الكويت"), ("GPE", "الكويت")]
    click_row(panel, 1)  # jump: selected in the article, scrolled into view
    far = win.spans["الكويت", 9]
    assert win.session.selected_entity == far
    e = win.session.current.entity(far)
    r, _ = win.view.span_rects(e.start, e.end)[0]
    assert 0 <= r.top() and r.bottom() <= win.view.viewport().height()
    click_row(panel, 0)
    click_row(panel, 1, Qt.KeyboardModifier.ControlModifier)  # both GPE rows
    panel.relabel_to.setCurrentIndex(panel.relabel_to.findData("LOC"))
    QTest.mouseClick(panel.relabel, Qt.MouseButton.LeftButton)
    assert labels(win, project).count(("الكويت", "LOC")) == 2
    win.session.undo_stack.undo()  # one step undoes both
    assert labels(win, project).count(("الكويت", "GPE")) == 2
    panel.filter.setCurrentIndex(0)
    click_row(panel, 0)
    click_row(panel, 2, Qt.KeyboardModifier.ControlModifier)
    QTest.mouseClick(panel.delete, Qt.MouseButton.LeftButton)
    assert labels(win, project) == [("الكويت", "GPE"), ("الكويت", "GPE")]
    win.session.undo_stack.undo()
    assert labels(win, project) == sorted([("الناتو", "ORG"), ("الكويت", "GPE"), ("كولومينا", "PER"),
                                           ("الكويت", "GPE")])
