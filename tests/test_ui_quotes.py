"""Quotes and stance through the real widgets: Q / click speaker / C / K keys, the Quotes and Stance panels, undo."""
from __future__ import annotations

import pytest
from gui_helpers import ANNOTATOR, click_at, drag_select, exported, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui



def tag(win, needle: str, key, offset: int = 0, length: int | None = None):
    s16, _ = qt_find(win.view, needle)
    s16 += offset
    drag_select(win.view, s16, s16 + (length if length is not None else len(needle) - offset))
    QTest.keyClick(win.view, key)
    return win.session.current.entity(win.session.selected_entity)


def type_arabic(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


SENT = "وقال كولومينا إن من أهداف زيارته لدولة الكويت مناقشة أفضل سبل زيادة وتيرة التحاور"
QUOTE = "من أهداف زيارته لدولة الكويت مناقشة أفضل سبل زيادة وتيرة التحاور"


def make_quote(win):
    """Tag the speaker, select the reported text and press Q, then click the speaker."""
    view = win.view
    speaker = tag(win, SENT, Qt.Key.Key_1, offset=len("وقال "), length=len("كولومينا"))
    assert speaker.text == "كولومينا"
    s16, _ = qt_find(view, SENT)
    q16 = s16 + SENT.index(QUOTE)
    drag_select(view, q16, q16 + len(QUOTE))
    QTest.keyClick(view, Qt.Key.Key_Q)
    q = win.session.quote(win.session.selected_quote)
    assert q is not None and q.text == QUOTE and q.speaker is None
    assert win.quotes.model.data(win.quotes.model.index(0, 0)) == "⚠"  # incomplete: no speaker yet
    click_at(view, s16 + len("وقال ") + 2)  # click the speaker's span
    return speaker, win.session.quote(q.id)


def test_quote_with_speaker_cue_and_kind_by_keyboard_and_undo(win, project, tmp_path):
    view = win.view
    speaker, q = make_quote(win)
    assert q.speaker == speaker.id and q.speaker_text == "كولومينا"
    assert win.quotes.model.data(win.quotes.model.index(0, 0)) == ""
    # The cue verb without its conjunction: Alt keeps the raw selection.
    s16, _ = qt_find(view, SENT)
    cur = view.textCursor()
    cur.setPosition(s16 + 1)  # caret after the conjunction و
    view.setTextCursor(cur)
    for _ in range(3):  # Shift+Left extends logically forward in right-to-left text
        QTest.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert win.session.quote(q.id).cue.text == "قال"
    assert win.session.quote(q.id).kind == "indirect"  # no quotation marks around it
    QTest.keyClick(view, Qt.Key.Key_K)
    assert win.session.quote(q.id).kind == "direct"

    (line,) = [l for l in exported(project, tmp_path, annotator=ANNOTATOR) if l["id"] == "kuwait-nato-colomina"]
    (eq,) = line["quotes"]
    assert eq["text"] == QUOTE and line["text"][eq["start"]:eq["end"]] == QUOTE
    assert eq["speaker"] == speaker.id and eq["speaker_text"] == "كولومينا"
    assert eq["cue"]["text"] == "قال" and line["text"][eq["cue"]["start"]:eq["cue"]["end"]] == "قال"
    assert eq["kind"] == "direct"

    undo = lambda: QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # noqa: E731
    undo()
    assert win.session.quote(q.id).kind == "indirect"
    undo()
    assert win.session.quote(q.id).cue is None
    undo()
    assert win.session.quote(q.id).speaker is None
    undo()
    assert win.session.current.quotes == []
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [x.id for x in win.session.current.quotes] == [q.id]  # redo brings back the same id


def test_quote_panel_typed_speaker_kind_combo_and_delete_with_undo(win, project, tmp_path):
    view = win.view
    s16, _ = qt_find(view, SENT)
    q16 = s16 + SENT.index(QUOTE)
    drag_select(view, q16, q16 + len(QUOTE))
    QTest.keyClick(view, Qt.Key.Key_Q)
    qid = win.session.selected_quote
    QTest.keyClick(view, Qt.Key.Key_Escape)  # no speaker click
    # pick the quote in the panel, then type a speaker that is not tagged
    panel = win.quotes
    rect = panel.table.visualRect(panel.model.index(0, 1))
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert win.session.selected_quote == qid
    edit = panel.speaker.lineEdit()
    edit.setFocus()
    edit.clear()
    type_arabic(edit, "مصدر دبلوماسي")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    q = win.session.quote(qid)
    assert (q.speaker, q.speaker_text) == (None, "مصدر دبلوماسي")
    # kind via the combo box, as a user would with the keyboard
    panel.kind.setFocus()
    target = "direct" if q.kind == "indirect" else "indirect"
    key = Qt.Key.Key_Down if panel.kind.findData(target) > panel.kind.currentIndex() else Qt.Key.Key_Up
    QTest.keyClick(panel.kind, key)
    assert win.session.quote(qid).kind == target
    # a stance for the quote, then delete the quote: its stance goes with it, and undo brings both back
    panel.stance.setFocus()
    QTest.keyClick(panel.stance, Qt.Key.Key_Down)  # — -> favor
    assert [(s.scope, s.label) for s in win.session.current.stances] == [(qid, "favor")]
    QTest.mouseClick(panel.delete, Qt.MouseButton.LeftButton)
    assert win.session.current.quotes == [] and win.session.current.stances == []
    win.session.undo_stack.undo()
    assert [x.id for x in win.session.current.quotes] == [qid]
    assert [(s.scope, s.label) for s in win.session.current.stances] == [(qid, "favor")]
    line = next(l for l in exported(project, tmp_path, annotator=ANNOTATOR) if l["id"] == "kuwait-nato-colomina")
    assert line["quotes"][0]["speaker"] is None and line["quotes"][0]["speaker_text"] == "مصدر دبلوماسي"
    assert line["stances"] == [{"id": line["stances"][0]["id"], "target": None, "target_text": "",
                                "label": "favor", "scope": qid}]


def test_document_stance_toward_entity_and_quote_stance(win, project, tmp_path):
    view = win.view
    nato = tag(win, "حلف الناتو", Qt.Key.Key_2, offset=len("حلف "), length=len("الناتو"))
    assert nato.text == "الناتو"
    # the entity is selected: the Stance panel's target follows it; click "favor"
    assert win.stances.target.value() == (nato.id, "الناتو")
    QTest.mouseClick(win.stances.buttons["favor"], Qt.MouseButton.LeftButton)
    assert [(s.scope, s.target, s.label) for s in win.session.current.stances] == [("document", nato.id, "favor")]
    # keyboard: Shift+A with the entity selected changes it to against; undo goes back
    click_at(view, qt_find(view, "حلف الناتو")[0] + len("حلف ") + 2)
    QTest.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert [s.label for s in win.session.current.stances] == ["against"]
    win.session.undo_stack.undo()
    assert [s.label for s in win.session.current.stances] == ["favor"]
    # a quote's stance (F) is toward the article's target by default
    speaker, q = make_quote(win)
    win.session.select_quote(q.id)
    QTest.keyClick(view, Qt.Key.Key_F)
    st = [s for s in win.session.current.stances if s.scope == q.id]
    assert [(s.target, s.target_text, s.label) for s in st] == [(nato.id, "الناتو", "favor")]
    QTest.keyClick(view, Qt.Key.Key_N)
    assert [s.label for s in win.session.current.stances if s.scope == q.id] == ["neutral"]
    line = next(l for l in exported(project, tmp_path, annotator=ANNOTATOR) if l["id"] == "kuwait-nato-colomina")
    got = sorted((s["scope"], s["target"], s["target_text"], s["label"]) for s in line["stances"])
    assert got == sorted([("document", nato.id, "الناتو", "favor"), (q.id, nato.id, "الناتو", "neutral")])


def test_typed_document_stance_target(win, project):
    edit = win.stances.target.lineEdit()
    edit.setFocus()
    type_arabic(edit, "مجلس التعاون الخليجي")
    QTest.mouseClick(win.stances.buttons["neutral"], Qt.MouseButton.LeftButton)
    st = win.session.current.stances
    assert [(s.target, s.target_text, s.label) for s in st] == [(None, "مجلس التعاون الخليجي", "neutral")]


def test_arabic_keyboard_layout_reaches_the_same_commands(win):
    view = win.view
    s16, _ = qt_find(view, SENT)
    q16 = s16 + SENT.index(QUOTE)
    drag_select(view, q16, q16 + len(QUOTE))
    type_arabic(view, "ض")  # the Q key on an Arabic layout
    assert [q.text for q in win.session.current.quotes] == [QUOTE]
    speaker_s = s16 + len("وقال ")
    drag_select(view, speaker_s, speaker_s + len("كولومينا"))
    type_arabic(view, "١")  # Arabic-Indic digit one = label key 1
    assert [(e.label, e.text) for e in win.session.current.entities] == [("PER", "كولومينا")]
