"""Suggestions over an annotator's day: what was deleted, undone or rejected stays away; nothing vanishes on a
language switch."""
from __future__ import annotations

import pytest
from gui_helpers import drag_select, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui



def entity_suggestions(win, name: str) -> list[tuple[int, int]]:
    """Spans of `name` proposed as entities, as painted in the article (the suggestion overlay)."""
    text = win.session.current.document.text
    painted = {(s, e) for s, e, _, _ in win.view._layers.get("suggestions", [])}
    items = [i.span for i in win.assist.items if i.kind == "entity" and text[i.span[0]:i.span[1]] == name]
    assert set(items) <= painted
    return items


def tag_first(win, name: str, key) -> None:
    s16, e16 = qt_find(win.view, name)
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, key)


def test_deleted_or_undone_annotation_is_not_suggested_again(win, qtbot):
    view = win.view
    tag_first(win, "كولومينا", Qt.Key.Key_1)
    assert len(entity_suggestions(win, "كولومينا")) >= 2  # the name is learnt: its other occurrences proposed
    QTest.keyClick(view, Qt.Key.Key_Delete)  # the annotator changes their mind
    assert win.session.current.entities == []
    assert entity_suggestions(win, "كولومينا") == []
    tag_first(win, "الكويت", Qt.Key.Key_4)
    assert entity_suggestions(win, "الكويت")
    win.session.undo_stack.undo()  # undone: the same
    assert win.session.current.entities == []
    assert entity_suggestions(win, "الكويت") == []
    # a suggestion accepted, then deleted, is not proposed again either
    tag_first(win, "الناتو", Qt.Key.Key_2)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    first = win.assist.current
    while first.kind != "entity":
        QTest.keyClick(view, Qt.Key.Key_Backspace)  # reject the quote suggestions before it
        first = win.assist.current
    QTest.keyClick(view, Qt.Key.Key_Return)
    accepted = next(e for e in win.session.current.entities if (e.start, e.end) == first.span)
    win.session.select_entity(accepted.id)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert first.span not in [i.span for i in win.assist.items]
    # a quote accepted then undone is not proposed again
    quote = next(i for i in win.assist.items if i.kind == "quote")
    while win.assist.current is not quote:
        QTest.keyClick(view, Qt.Key.Key_Backspace)
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert [(q.start, q.end) for q in win.session.current.quotes] == [quote.span]
    win.session.undo_stack.undo()
    assert win.session.current.quotes == []
    assert quote.span not in [i.span for i in win.assist.items]


def test_preview_accept_all_of_a_label_and_a_quiet_legend(win, project):
    view = win.view
    tag_first(win, "الكويت", Qt.Key.Key_4)  # learnt: its other occurrences are proposed as GPE
    QTest.keyClick(view, Qt.Key.Key_Escape)
    quote = next(i for i in win.assist.items if i.kind == "quote")
    q = quote.proposal
    preview = win.assist.describe(quote)  # what the status bar shows for a quote: speaker, cue and kind
    cue = win.session.current.document.text[q.cue[0]:q.cue[1]]
    assert "speaker" in preview and cue in preview and q.kind in preview
    if win.assist.current.kind == "quote":
        assert win.suggestion_preview.text() == preview
    while not (win.assist.current.kind == "entity" and win.assist.current.proposal.label == "GPE"):
        QTest.keyClick(view, Qt.Key.Key_Backspace)
    assert "GPE" in win.suggestion_preview.text() and "الكويت" in win.suggestion_preview.text()
    gpe = [i.span for i in win.assist.items if i.kind == "entity" and i.proposal.label == "GPE"]
    assert len(gpe) >= 3
    before = len(win.session.current.entities)
    QTest.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # all of this label, one step
    stored = project.load(win.session.doc_key, "amal").entities
    assert len(stored) == before + len(gpe) and {(e.start, e.end) for e in stored} >= set(gpe)
    assert not [i for i in win.assist.items if i.kind == "entity" and i.proposal.label == "GPE"]
    win.session.undo_stack.undo()
    assert len(project.load(win.session.doc_key, "amal").entities) == before
    # other suggestions are faint and dotted; the legend says what the marks mean
    others = [m for m in view._layers["suggestions"] if not m[3]]
    assert others and all(QColor(c).alpha() < 255 for _, _, c, _ in others)
    assert win.suggestion_legend.isVisible() and "Shift+Enter" in win.suggestion_legend.text()


def test_long_article_suggestions_follow_the_screen(qtbot, project, tmp_path):
    """A long article is suggested around what is on screen, and again where the reader scrolls to."""
    text = ("وقال الوزير إن الكويت تدعم التعاون مع حلف الناتو في المنطقة.\n" * 1500)  # ~95,000 characters
    key = project.insert_document("long-one", text, {})
    project.add_entity(key, "amal", text.index("الكويت"), text.index("الكويت") + len("الكويت"), "GPE")
    win = make_window(qtbot, project, tmp_path)
    win.session.open_document(key)
    qtbot.waitUntil(lambda: bool(win.assist.items), timeout=3000)
    a, b = win.assist._region
    assert a == 0 and b < len(text) // 2  # only around the top: the work does not grow with the article
    assert all(a <= i.span[0] and i.span[1] <= b for i in win.assist.items)
    qtbot.waitUntil(lambda: win.view.fully_loaded, timeout=3000)  # a long article is laid out a chunk at a time
    bar = win.view.verticalScrollBar()
    bar.setValue(bar.maximum())  # to the end of the article
    win.view.viewport().grab()
    qtbot.waitUntil(lambda: win.assist._region[1] == len(text), timeout=3000)
    lo, hi = win.view._visible_cp
    near = [i for i in win.assist.items if lo <= i.span[0] < hi and i.kind == "entity"]
    assert near and all(text[s:e] == "الكويت" for s, e in (i.span for i in near))
