"""Arabic assistance in the window: clitic snapping, tag all (article and corpus), suggestions, gazetteer."""
from __future__ import annotations

import pytest
from gui_helpers import ANNOTATOR, click_at, drag_select, exported, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox

pytestmark = pytest.mark.gui



def test_selection_on_a_conjunction_snaps_to_the_entity(win):
    s16, e16 = qt_find(win.view, "والحلف")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_2)
    assert [e.text for e in win.session.current.entities] == ["الحلف"]


def test_cue_selection_drops_the_conjunction(win):
    win.assist.set_enabled(False)
    s16, _ = qt_find(win.view, "وقال كولومينا إن")
    quote = "من أهداف زيارته لدولة الكويت"
    q16, _ = qt_find(win.view, quote)
    drag_select(win.view, q16, q16 + len(quote))
    QTest.keyClick(win.view, Qt.Key.Key_Q)
    drag_select(win.view, s16, s16 + len("وقال"))
    QTest.keyClick(win.view, Qt.Key.Key_C)
    (q,) = win.session.current.quotes
    assert q.cue.text == "قال"


def test_tag_all_in_article_then_corpus_with_count_and_undo(win, project, monkeypatch):
    s16, e16 = qt_find(win.view, "الكويت")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_4)
    QTest.keyClick(win.view, Qt.Key.Key_T)
    here = [e for e in win.session.current.entities if e.label == "GPE"]
    assert len(here) > 10 and {e.text for e in here} <= {"الكويت", "كويت"}
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one step undoes them all
    assert len(win.session.current.entities) == 1
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    win.session.select_entity(win.session.current.entities[0].id)
    QTest.keyClick(win.view, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    assert "2" in asked[0]  # the count and the number of documents are shown before applying
    anezi = project.load(project.document("kuwait-nato-anezi").key, ANNOTATOR)
    assert len(anezi.entities) >= 5 and all(e.label == "GPE" for e in anezi.entities)
    win.session.undo_stack.undo()
    assert project.load(project.document("kuwait-nato-anezi").key, ANNOTATOR).entities == []


def test_quote_suggestions_enter_accepts_backspace_rejects(win, project, tmp_path):
    first, second = win.assist.items[0], win.assist.items[1]
    assert first.kind == "quote" and second.kind == "quote"
    QTest.keyClick(win.view, Qt.Key.Key_Return)
    (q,) = win.session.current.quotes
    assert (q.start, q.end) == first.span
    assert win.assist.current.span == second.span  # the next one is now current
    QTest.keyClick(win.view, Qt.Key.Key_Backspace)  # reject it: nothing is stored
    assert len(win.session.current.quotes) == 1
    assert second.span not in [i.span for i in win.assist.items]
    QTest.keyClick(win.view, Qt.Key.Key_Return)  # accept the third: "... مشيرا إلى أهمية ..." (كولومينا)
    quotes = win.session.current.quotes
    assert len(quotes) == 2 and any(x.speaker_text == "كولومينا" and x.cue.text == "مشيرا" for x in quotes)
    line = next(l for l in exported(project, tmp_path, annotator=ANNOTATOR) if l["id"] == "kuwait-nato-colomina")
    assert len(line["quotes"]) == 2
    win.session.undo_stack.undo()
    assert len(win.session.current.quotes) == 1


def test_gazetteer_file_pre_annotates(win, project, tmp_path, monkeypatch):
    names = tmp_path / "names.tsv"
    names.write_text("نواف العنزي\tPER\nبلجيكا\tGPE\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(names), ""))
    win.actions["importGazetteer"].trigger()
    win.session.open_document(project.document("kuwait-nato-anezi").key)
    ents = [i for i in win.assist.items if i.kind == "entity"]
    assert {(i.proposal.text, i.proposal.label) for i in ents} >= {("نواف العنزي", "PER"), ("بلجيكا", "GPE")}
    win.assist.set_enabled(True)
    while win.assist.current is not None and win.assist.current.kind != "entity":
        QTest.keyClick(win.view, Qt.Key.Key_Backspace)
    QTest.keyClick(win.view, Qt.Key.Key_Return)
    assert [(e.text, e.label) for e in win.session.current.entities] == [("بلجيكا", "GPE")]


def test_boilerplate_lines_are_greyed(win):
    text = win.session.current.document.text
    grey = [text[s:e] for s, e in win.view._grey]
    assert "0 تعليق ارسل طباعة" in grey and "أخبار ذات صلة" in grey
