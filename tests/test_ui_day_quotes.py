"""Changing a quote's speaker by clicking a span, the speaker list's order, and a cue that is not a reporting verb."""
from __future__ import annotations

import pytest
from gui_helpers import click_at, drag_select, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

pytestmark = pytest.mark.gui

SENT = "وقال كولومينا إن من أهداف زيارته لدولة الكويت مناقشة أفضل سبل زيادة وتيرة التحاور"
QUOTE = "من أهداف زيارته لدولة الكويت مناقشة أفضل سبل زيادة وتيرة التحاور"


@pytest.fixture
def win(qtbot, project, tmp_path):
    w = make_window(qtbot, project, tmp_path)
    doc = project.document("kuwait-nato-colomina")
    for name, label in (("الكويت", "GPE"), ("كولومينا", "PER"), ("الجارالله", "PER"), ("الناتو", "ORG")):
        i = doc.text.index(SENT) + len("وقال ") if name == "كولومينا" else doc.text.index(name)
        project.add_entity(doc.key, "amal", i, i + len(name), label)
    w.session.open_document(doc.key)
    return w


def make_quote(win):
    s16, _ = qt_find(win.view, SENT)
    q16 = s16 + SENT.index(QUOTE)
    drag_select(win.view, q16, q16 + len(QUOTE))
    QTest.keyClick(win.view, Qt.Key.Key_Q)
    QTest.keyClick(win.view, Qt.Key.Key_Escape)  # no speaker named at once
    return s16, q16


def test_select_a_quote_then_click_a_person_to_change_its_speaker(win, project):
    view = win.view
    s16, q16 = make_quote(win)
    click_at(view, q16 + 5)  # select the quote
    (q,) = win.session.current.quotes
    assert win.session.selected_quote == q.id and q.speaker is None
    click_at(view, s16 + len("وقال ") + 2)  # كولومينا
    ent = {e.text: e for e in win.session.current.entities}
    assert win.session.current.quotes[0].speaker == ent["كولومينا"].id
    g16, _ = qt_find(view, "الجارالله")
    click_at(view, g16 + 2)  # changed my mind: the other person
    stored = project.load(win.session.doc_key, "amal").quotes[0]
    assert (stored.speaker, stored.speaker_text) == (ent["الجارالله"].id, "الجارالله")
    win.session.undo_stack.undo()
    assert project.load(win.session.doc_key, "amal").quotes[0].speaker == ent["كولومينا"].id
    # the drop-down lists persons, then organisations, first
    labels = [win.quotes.speaker.itemText(i).split("[")[-1].rstrip("]") for i in range(1, win.quotes.speaker.count())]
    assert labels == ["PER", "PER", "ORG", "GPE"]


def test_c_on_a_word_that_is_not_a_reporting_verb_asks_first(win, project, monkeypatch):
    view = win.view
    s16, q16 = make_quote(win)
    click_at(view, q16 + 5)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []
    def answer(box):  # the annotator reads the question (plain text: the word is data) and answers
        asked.append(box.text())
        assert box.textFormat() == Qt.TextFormat.PlainText
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    an16 = s16 + SENT.index("إن")
    drag_select(view, an16, an16 + 2)
    QTest.keyClick(view, Qt.Key.Key_C)
    assert len(asked) == 1 and "إن" in asked[0]
    assert project.load(win.session.doc_key, "amal").quotes[0].cue is None  # No: nothing changed
    drag_select(view, an16, an16 + 2)
    QTest.keyClick(view, Qt.Key.Key_C)
    assert project.load(win.session.doc_key, "amal").quotes[0].cue.text == "إن"  # Yes: as asked
    drag_select(view, s16, s16 + len("وقال"))
    QTest.keyClick(view, Qt.Key.Key_C)  # a reporting verb: no question
    assert len(asked) == 2 and project.load(win.session.doc_key, "amal").quotes[0].cue.text == "قال"
