"""Bundle and merge from the File menu: an annotator's desktop to the reviewer's."""
from __future__ import annotations

import pytest
from gui_helpers import drag_select, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core.exchange.importer import import_sources
from app.core.store import Project

pytestmark = pytest.mark.gui


def test_bundle_on_one_desktop_merge_on_another(qtbot, project, tmp_path, monkeypatch, seeds_dir):
    win = make_window(qtbot, project, tmp_path, annotator="amal")
    s16, e16 = qt_find(win.view, "نواف العنزي")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_1)
    bundle = tmp_path / "amal.tawsim-bundle.jsonl"
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: infos.append(a[2]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(bundle), ""))
    win.actions["bundle"].trigger()
    assert bundle.exists()

    reviewer = Project.create(tmp_path / "reviewer.db")
    import_sources(reviewer, [seeds_dir])
    (tmp_path / "r").mkdir()
    rwin = make_window(qtbot, reviewer, tmp_path / "r", annotator="rana")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bundle)], ""))
    rwin.actions["merge"].trigger()
    doc = reviewer.document("kuwait-nato-anezi").key
    assert [e.text for e in reviewer.load(doc, "amal").entities] == ["نواف العنزي"]
    rwin.actions["merge"].trigger()  # merging twice changes nothing
    assert "unchanged" in infos[-1]
    assert [e.text for e in reviewer.load(doc, "amal").entities] == ["نواف العنزي"]
