"""The annotation window driven as a user would: drag-select, Shift+arrows, label keys, clicks, undo, status keys.

Every test asserts on what the core returns and on what the export holds, not on widget internals.
"""
from __future__ import annotations

import json

import pytest
from gui_helpers import ANNOTATOR, click_at, drag_select, exported, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core.exchange.importer import import_sources
from app.core.store import Project

pytestmark = pytest.mark.gui


@pytest.fixture
def win(qtbot, project, tmp_path):
    return make_window(qtbot, project, tmp_path)


def test_mouse_selection_in_rtl_text_and_label_key(win, project, tmp_path):
    view = win.view
    text = win.session.current.document.text
    s16, e16 = qt_find(view, "نواف العنزي")
    drag_select(view, s16, e16)
    assert view.textCursor().hasSelection()
    QTest.keyClick(view, Qt.Key.Key_1)  # PER
    doc = win.session.current
    assert [(e.label, e.text) for e in doc.entities] == [("PER", "نواف العنزي")]
    line = next(r for r in exported(project, tmp_path, annotator=ANNOTATOR))
    (ent,) = line["entities"]
    assert ent["label"] == "PER" and text[ent["start"]:ent["end"]] == "نواف العنزي" == ent["text"]


def test_sloppy_selection_snaps_to_whole_words_unless_alt(win):
    view = win.view
    s16, e16 = qt_find(view, "بلجيكا")
    drag_select(view, s16 + 2, e16 - 1)  # from inside the word to inside it
    QTest.keyClick(view, Qt.Key.Key_4)  # GPE
    assert [e.text for e in win.session.current.entities] == ["بلجيكا"]
    s16, e16 = qt_find(view, "الاتحاد")
    drag_select(view, s16 + 2, e16 - 2, mods=Qt.KeyboardModifier.AltModifier)
    raw = view.selection_cp()
    text = win.session.current.document.text
    assert raw and text[raw[0]:raw[1]] != "الاتحاد"
    QTest.keyClick(view, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    # Alt held: the raw selection is kept, not grown to the word.
    assert text[raw[0]:raw[1]] in [e.text for e in win.session.current.entities]


def test_shift_arrows_select_then_label(win):
    view = win.view
    s16, _ = qt_find(view, "بلجيكا")
    cur = view.textCursor()
    cur.setPosition(s16)
    view.setTextCursor(cur)
    view.setFocus()
    for _ in range(len("بلجيكا")):
        # In right-to-left text Key_Left moves logically forward.
        QTest.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectedText() == "بلجيكا"
    QTest.keyClick(view, Qt.Key.Key_4)
    assert [(e.label, e.text) for e in win.session.current.entities] == [("GPE", "بلجيكا")]


def test_click_relabel_delete_and_undo_redo(win, project, tmp_path):
    view = win.view
    s16, e16 = qt_find(view, "الاتحاد الأوروبي")
    drag_select(view, s16, e16)
    QTest.keyClick(view, Qt.Key.Key_3)  # LOC, by mistake
    view.clear_selection()
    click_at(view, s16 + 3)
    ent = win.session.current.entities[0]
    assert win.session.selected_entity == ent.id
    QTest.keyClick(view, Qt.Key.Key_2)  # relabel as ORG
    assert [e.label for e in win.session.current.entities] == ["ORG"]
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert win.session.current.entities == []
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo delete
    assert [e.label for e in win.session.current.entities] == ["ORG"]
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo relabel
    assert [e.label for e in win.session.current.entities] == ["LOC"]
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [e.label for e in win.session.current.entities] == ["ORG"]
    line = exported(project, tmp_path, annotator=ANNOTATOR)[0]
    assert [(e["label"], e["text"]) for e in line["entities"]] == [("ORG", "الاتحاد الأوروبي")]


def test_nested_spans_are_distinguishable_and_click_picks_innermost(win):
    view = win.view
    s16, e16 = qt_find(view, "حلف شمال الأطلسي")
    drag_select(view, s16, e16)
    QTest.keyClick(view, Qt.Key.Key_2)
    s2, e2 = qt_find(view, "شمال الأطلسي")
    drag_select(view, s2, e2)
    QTest.keyClick(view, Qt.Key.Key_3)
    ents = {e.label: e for e in win.session.current.entities}
    assert set(ents) == {"ORG", "LOC"}
    levels = {p.entity.label: p.level for p in view._placed}
    assert levels["ORG"] != levels["LOC"]
    view.clear_selection()
    click_at(view, s2 + 2)
    assert win.session.selected_entity == ents["LOC"].id
    click_at(view, s16 + 1)
    assert win.session.selected_entity == ents["ORG"].id


def test_span_after_emoji_is_stored_in_code_points(qtbot, tmp_path):
    src = tmp_path / "emoji.jsonl"
    text = "👍 … خافيير كولومينا 👍👍 قال إن الناتو"
    src.write_text(json.dumps({"id": "emoji", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    project = Project.create(tmp_path / "e.db")
    import_sources(project, [src])
    win = make_window(qtbot, project, tmp_path)
    view = win.view
    s16, e16 = qt_find(view, "خافيير كولومينا")
    assert (s16, e16) == (text.index("خافيير") + 1, text.index("خافيير") + 1 + len("خافيير كولومينا"))
    drag_select(view, s16, e16)
    QTest.keyClick(view, Qt.Key.Key_1)
    s16, e16 = qt_find(view, "الناتو")
    drag_select(view, s16, e16)
    QTest.keyClick(view, Qt.Key.Key_2)
    line = exported(project, tmp_path)[0]
    got = {e["label"]: (e["start"], e["end"], e["text"]) for e in line["entities"]}
    assert got["PER"] == (4, 19, "خافيير كولومينا")
    start = text.index("الناتو")
    assert got["ORG"] == (start, start + len("الناتو"), "الناتو")
    for e in line["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]


def test_done_and_next_skip_flag_progress_and_undo(win, project, monkeypatch):
    first = win.session.doc_key
    QTest.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert project.load(first, ANNOTATOR).status == "done"
    assert win.session.doc_key != first
    assert win.progress.value() == 1 and win.progress.maximum() == 2
    second = win.session.doc_key
    monkeypatch.setattr("app.ui.main_window.QInputDialog.getText", lambda *a, **k: ("text is cut off", True))
    win.actions["flag"].trigger()
    st = project.load(second, ANNOTATOR)
    assert (st.status, st.comment) == ("flagged", "text is cut off")
    win.session.undo_stack.undo()
    assert project.load(second, ANNOTATOR).status == "todo"
    assert win.session.doc_key == second
    win.actions["skip"].trigger()
    assert project.load(second, ANNOTATOR).status == "skipped"


def test_export_from_file_menu(win, project, tmp_path, monkeypatch):
    view = win.view
    s16, e16 = qt_find(view, "بلجيكا")
    drag_select(view, s16, e16)
    QTest.keyClick(view, Qt.Key.Key_4)
    out = tmp_path / "gui-export.jsonl"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    win.actions["export"].trigger()
    lines = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    mine = [l for l in lines if l["annotator"] == ANNOTATOR]
    assert [(e["label"], e["text"]) for e in mine[0]["entities"]] == [("GPE", "بلجيكا")]
    assert str(out) in shown[0]


def test_every_edit_is_on_disk_at_once(win, project, tmp_path):
    view = win.view
    s16, e16 = qt_find(view, "بلجيكا")
    drag_select(view, s16, e16)
    QTest.keyClick(view, Qt.Key.Key_4)
    # A second connection (as after a crash and restart) sees the edit without any save.
    other = Project.open(project.path)
    doc = other.load(win.session.doc_key, ANNOTATOR)
    assert [e.text for e in doc.entities] == ["بلجيكا"]
    other.close()


def test_search_box_ignores_diacritics_and_tatweel(win, qtbot):
    box = win.documents.search
    box.setFocus()
    for ch in "الكُوَيـــت":
        QTest.sendKeyEvent(QTest.KeyAction.Click, box, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: win.documents.model.search is not None, timeout=2000)
    assert win.documents.model.rowCount() == 2
    box.clear()
    for ch in "كولومينا":
        QTest.sendKeyEvent(QTest.KeyAction.Click, box, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: win.documents.model.rowCount() == 1, timeout=2000)
    assert win.documents.model.row(0).id == "kuwait-nato-colomina"


def test_status_filter_and_list_click_opens_document(win, project):
    QTest.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    win.documents.status.setCurrentIndex(win.documents.status.findData("done"))
    assert win.documents.model.rowCount() == 1
    win.documents.status.setCurrentIndex(0)
    table = win.documents.table
    target = next(r for r in range(2) if win.documents.model.row(r).key != win.session.doc_key)
    rect = table.visualRect(win.documents.model.index(target, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert win.session.doc_key == win.documents.model.row(target).key


def test_font_size_keys_are_remembered(win):
    before = win.view.point_size()
    QTest.keyClick(win, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert win.view.point_size() == before + 1
    assert win.settings.font_size == before + 1
    QTest.keyClick(win, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(win, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert win.settings.font_size == before - 1


def test_article_is_right_to_left_and_right_aligned(win):
    opt = win.view.document().defaultTextOption()
    assert opt.textDirection() == Qt.LayoutDirection.RightToLeft
    assert opt.alignment() & Qt.AlignmentFlag.AlignAbsolute
    assert opt.alignment() & Qt.AlignmentFlag.AlignRight
    assert "Amiri" in win.view.font().family()
