"""The guidelines panel and the label editor driven as a user would: clicks, typing (Arabic too), dialogs answered
through monkeypatched QMessageBox / QInputDialog / QColorDialog. Assertions are on the project and its export."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QColorDialog, QInputDialog, QLineEdit, QMessageBox

from app.core.exchange.exporter import export_jsonl
from app.core.store.guidelines import DEFAULT_GUIDELINES, get_guidelines
from app.core.model import ENTITY, STANCE
from app.core.store import Project
from app.ui import label_editor
from app.ui.guidelines_panel import GuidelinesPanel
from app.ui.i18n import AR, EN, set_language
from app.ui.label_editor import COLOR, DISPLAY, KEY, NAME, USES, LabelEditor

pytestmark = pytest.mark.gui
DOC = "kuwait-nato-anezi"
Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def type_text(widget, text: str) -> None:
    """Type as a keyboard would; non-ASCII characters one key event each (keyClicks aborts on them)."""
    for ch in text:
        if ch == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        elif ch.isascii():
            QTest.keyClicks(widget, ch)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def shown(qtbot, w):
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def annotated(project):
    doc = project.document(DOC)
    t = doc.text
    i = t.index("نواف العنزي")
    project.add_entity(doc.key, "amal", i, i + len("نواف العنزي"), "PER")
    i = t.index("بلجيكا")
    project.add_entity(doc.key, "amal", i, i + len("بلجيكا"), "GPE")
    project.add_stance(doc.key, "amal", "favor")
    return doc


@pytest.fixture
def panel(qtbot, project):
    return shown(qtbot, GuidelinesPanel(project))


@pytest.fixture
def editor(qtbot, project, panel):
    dlg = shown(qtbot, LabelEditor(project))
    dlg.labelsChanged.connect(panel.refresh)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg, timeout=2000)
    return dlg


def entity_labels(project, doc) -> list[str]:
    return sorted(e.label for e in project.load(doc.key, "amal").entities)


def export_labels(project, tmp_path) -> list[str]:
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out, annotator="amal")
    return sorted(e["label"] for line in out.read_text(encoding="utf-8").splitlines()
                  for e in json.loads(line)["entities"])


def click_cell(table, row: int, col: int, double: bool = False) -> None:
    pos = table.visualItemRect(table.item(row, col)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    if double:
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def edit_cell(table, row: int, col: int) -> QLineEdit:
    """Double-click a cell; returns the line edit the table opened in it, with its text selected."""
    click_cell(table, row, col, double=True)
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit) and table.isAncestorOf(field)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    return field


# ---- guidelines panel ----------------------------------------------------------------------------------------
def test_panel_shows_default_guidelines_right_to_left_and_legend(panel):
    doc = panel.browser.document()
    assert "دليل التوسيم" in doc.toPlainText() and "# " not in doc.toPlainText()  # rendered, not raw Markdown
    dirs = {}
    block = doc.begin()
    while block.isValid():
        dirs.setdefault(block.text()[:20], block.textDirection())
        block = block.next()
    arabic = next(k for k in dirs if k.startswith("يوسم هذا"))
    english = next(k for k in dirs if k.startswith("This project"))
    assert dirs[arabic] == Qt.LayoutDirection.RightToLeft
    assert dirs[english] == Qt.LayoutDirection.LeftToRight
    rows = panel.legend_rows()
    assert ("entity", "PER", "شخص", "#f4a261", "1") in rows
    assert ("stance", "against", "معارض", "#e76f51", "a") in rows
    assert [r[1] for r in rows if r[0] == "entity"] == ["PER", "ORG", "LOC", "GPE", "DATE", "EVENT", "MISC"]


def test_edit_and_save_guidelines_through_the_widgets(qtbot, panel, project):
    assert not panel.save_button.isEnabled()
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert panel.is_editing() and panel.editor.toPlainText() == DEFAULT_GUIDELINES
    QTest.keyClick(panel.editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(panel.editor, "# قواعد الفريق\n\n- الكويت: GPE\n- Titles are not part of PER")
    with qtbot.waitSignal(panel.guidelinesSaved):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    expected = "# قواعد الفريق\n\n- الكويت: GPE\n- Titles are not part of PER"
    assert get_guidelines(project) == expected
    assert not panel.is_editing() and not panel.edit_button.isChecked()
    assert "قواعد الفريق" in panel.browser.toPlainText() and "#" not in panel.browser.toPlainText()
    other = Project.open(project.path)  # on disk at once
    assert get_guidelines(other) == expected
    other.close()


def test_leaving_edit_mode_without_save_discards(qtbot, panel, project):
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    type_text(panel.editor, "draft")
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert not panel.is_editing()
    assert get_guidelines(project) == DEFAULT_GUIDELINES


# ---- label editor --------------------------------------------------------------------------------------------
def test_rename_in_use_asks_with_count_and_moves_annotations(annotated, qtbot, editor, panel, project, tmp_path,
                                                             monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or Yes)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("PERSON", True))
    click_cell(editor.table, editor.row_of("PER"), USES)
    assert editor.table.item(editor.row_of("PER"), USES).text() == "1"
    with qtbot.waitSignal(editor.labelsChanged):
        qtbot.mouseClick(editor.buttons["rename"], Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "1" in asked[0] and "PER" in asked[0] and "PERSON" in asked[0]
    assert entity_labels(project, annotated) == ["GPE", "PERSON"]
    assert export_labels(project, tmp_path) == ["GPE", "PERSON"]
    assert editor.row_of("PERSON") >= 0 and editor.row_of("PER") < 0
    assert ("entity", "PERSON", "شخص", "#f4a261", "1") in panel.legend_rows()  # legend follows


def test_rename_answered_no_changes_nothing(annotated, qtbot, editor, project, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: No)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("PERSON", True))
    click_cell(editor.table, editor.row_of("PER"), USES)
    qtbot.mouseClick(editor.buttons["rename"], Qt.MouseButton.LeftButton)
    assert "PER" in project.label_names(ENTITY) and "PERSON" not in project.label_names(ENTITY)
    assert entity_labels(project, annotated) == ["GPE", "PER"]
    assert export_labels(project, tmp_path) == ["GPE", "PER"]
    assert editor.table.item(editor.row_of("PER"), NAME).text() == "PER"


def test_rename_by_editing_the_name_cell(annotated, qtbot, editor, project, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: Yes)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("WEAPON", True))  # a stray "Add…" cannot block
    table = editor.table
    field = edit_cell(table, editor.row_of("GPE"), NAME)
    QTest.keyClicks(field, "STATE")
    QTest.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.row_of("STATE") >= 0, timeout=2000)
    assert entity_labels(project, annotated) == ["PER", "STATE"]
    assert editor.isVisible() and "WEAPON" not in project.label_names(ENTITY)  # Return committed the cell; it did not press a dialog button


def test_remove_used_label_asks_and_moves_to_the_chosen_label(annotated, qtbot, editor, panel, project, tmp_path,
                                                              monkeypatch):
    asked, offered = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or Yes)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: offered.append(a[3]) or ("MISC", True))
    click_cell(editor.table, editor.row_of("PER"), USES)
    qtbot.mouseClick(editor.buttons["remove"], Qt.MouseButton.LeftButton)
    assert "1" in asked[0] and "PER" in asked[0]
    assert "PER" not in offered[0] and "MISC" in offered[0]
    assert "PER" not in project.label_names(ENTITY)
    assert entity_labels(project, annotated) == ["GPE", "MISC"]
    assert export_labels(project, tmp_path) == ["GPE", "MISC"]
    assert editor.row_of("PER") < 0
    assert "PER" not in [r[1] for r in panel.legend_rows()]


def test_remove_used_label_cancelled_drops_nothing(annotated, qtbot, editor, project, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: Yes)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
    click_cell(editor.table, editor.row_of("GPE"), USES)
    qtbot.mouseClick(editor.buttons["remove"], Qt.MouseButton.LeftButton)
    assert "GPE" in project.label_names(ENTITY)
    assert entity_labels(project, annotated) == ["GPE", "PER"]


def test_remove_unused_label_and_stance_kind(annotated, qtbot, editor, project, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("unused: nothing to ask"))
    click_cell(editor.table, editor.row_of("EVENT"), USES)
    qtbot.mouseClick(editor.buttons["remove"], Qt.MouseButton.LeftButton)
    assert "EVENT" not in project.label_names(ENTITY)
    editor.kind_box.setCurrentIndex(editor.kind_box.findData(STANCE))
    assert [editor.table.item(r, NAME).text() for r in range(editor.table.rowCount())] == \
        ["favor", "against", "neutral", "unclear"]


def test_change_colour_through_the_colour_button(qtbot, editor, panel, project, monkeypatch):
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#123abc"))
    button = editor.table.cellWidget(editor.row_of("ORG"), COLOR)
    with qtbot.waitSignal(editor.labelsChanged):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert next(l for l in project.labels(ENTITY) if l.name == "ORG").color == "#123abc"
    assert editor.table.cellWidget(editor.row_of("ORG"), COLOR).text() == "#123abc"
    assert ("entity", "ORG", "منظمة", "#123abc", "2") in panel.legend_rows()
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor())  # cancelled
    qtbot.mouseClick(editor.table.cellWidget(editor.row_of("ORG"), COLOR), Qt.MouseButton.LeftButton)
    assert next(l for l in project.labels(ENTITY) if l.name == "ORG").color == "#123abc"


def test_edit_arabic_name_and_key_cells(qtbot, editor, project, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("WEAPON", True))  # a stray "Add…" cannot block
    table = editor.table
    field = edit_cell(table, editor.row_of("GPE"), DISPLAY)
    type_text(field, "دولة")
    QTest.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: next(l for l in project.labels(ENTITY) if l.name == "GPE").display == "دولة",
                    timeout=2000)
    assert editor.isVisible() and "WEAPON" not in project.label_names(ENTITY)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    field = edit_cell(table, editor.row_of("GPE"), KEY)
    QTest.keyClicks(field, "1")  # PER's key: refused, cell restored
    QTest.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(warned), timeout=2000)
    assert "PER" in warned[0]
    assert next(l for l in project.labels(ENTITY) if l.name == "GPE").key == "4"
    assert table.item(editor.row_of("GPE"), KEY).text() == "4"


def test_add_label_gets_next_free_key(qtbot, editor, project, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("WEAPON", True))
    qtbot.mouseClick(editor.buttons["add"], Qt.MouseButton.LeftButton)
    weapon = next(l for l in project.labels(ENTITY) if l.name == "WEAPON")
    assert weapon.key == "8" and weapon.color.startswith("#")
    assert editor.selected_name() == "WEAPON"


def test_panel_edit_labels_button_opens_the_editor_and_refreshes(qtbot, panel, project, monkeypatch):
    def run_dialog(dlg):  # stands in for the modal loop: the user recolours GPE, then closes
        monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#00ff00"))
        qtbot.mouseClick(dlg.table.cellWidget(dlg.row_of("GPE"), COLOR), Qt.MouseButton.LeftButton)
        return 0

    monkeypatch.setattr(label_editor.LabelEditor, "exec", run_dialog)
    with qtbot.waitSignal(panel.labelsChanged):
        qtbot.mouseClick(panel.labels_button, Qt.MouseButton.LeftButton)
    assert ("entity", "GPE", "كيان جغرافي سياسي", "#00ff00", "4") in panel.legend_rows()


def test_arabic_interface(qtbot, project):
    set_language(AR)
    try:
        panel = shown(qtbot, GuidelinesPanel(project))
        dlg = shown(qtbot, LabelEditor(project))
    finally:
        set_language(EN)
    assert panel.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert (panel.edit_button.text(), panel.save_button.text()) == ("تحرير", "حفظ")
    assert dlg.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dlg.table.horizontalHeaderItem(DISPLAY).text() == "الاسم العربي"
    assert dlg.kind_box.itemText(0) == "وسوم الكيانات"
