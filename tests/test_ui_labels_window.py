"""Editing the label set from the main window: the palette, the article and the export follow a rename."""
from __future__ import annotations

import pytest
from gui_helpers import ANNOTATOR, drag_select, exported, make_window, qt_find
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from app.ui.label_editor import LabelEditor

pytestmark = pytest.mark.gui


def test_rename_label_in_use_from_the_edit_menu(qtbot, project, tmp_path, monkeypatch):
    win = make_window(qtbot, project, tmp_path)
    s16, e16 = qt_find(win.view, "نواف العنزي")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_1)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("PERSON", True))

    def in_dialog():
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, LabelEditor)
        row = next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).text() == "PER")
        dlg.table.selectRow(row)
        QTest.mouseClick(dlg.buttons["rename"], Qt.MouseButton.LeftButton)
        dlg.reject()

    QTimer.singleShot(0, in_dialog)
    win.actions["editLabels"].trigger()
    assert asked and "1" in asked[0]  # told how many annotations use it before renaming
    assert "PERSON" in win.palette.buttons and "PER" not in win.palette.buttons
    assert [e.label for e in win.session.current.entities] == ["PERSON"]
    line = next(l for l in exported(project, tmp_path, annotator=ANNOTATOR) if l["entities"])
    assert [(e["label"], e["text"]) for e in line["entities"]] == [("PERSON", "نواف العنزي")]
    # the renamed label still works from the keyboard
    s16, e16 = qt_find(win.view, "بلجيكا")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_1)
    assert sorted(e.label for e in win.session.current.entities) == ["PERSON", "PERSON"]
