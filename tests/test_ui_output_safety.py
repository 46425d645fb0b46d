"""The window's Save dialogs (Export JSONL…, Export as…, Bundle my work…) refuse the project and its side files,
and the export progress dialog's Cancel stops the export, leaving an earlier file at that path as it was."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from gui_helpers import drag_select, make_window, qt_find
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QPushButton

from app.core.exchange.importer import ImportOptions, import_sources
from app.core.io.output_guard import SQLITE_MAGIC
from app.core.store import Project

pytestmark = pytest.mark.gui
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def record_boxes(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda *a, k=kind, **kw: shown.append((k, a[2])))
    return shown


def test_every_save_dialog_refuses_the_open_project_and_the_window_keeps_saving(qtbot, tmp_path, monkeypatch):
    project = Project.create(tmp_path / "p.db")
    import_sources(project, [SEEDS], ImportOptions(annotator="amal"))
    win = make_window(qtbot, project, tmp_path, annotator="amal")
    shown = record_boxes(monkeypatch)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("conll", True))
    for target in (project.path, Path(f"{project.path}-wal"), Path(f"{project.path}-shm")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, o=target, **k: (str(o), ""))
        for action in ("export", "exportAs", "bundle"):
            shown.clear()
            win.actions[action].trigger()
            assert len(shown) == 1, (action, shown)
            kind, text = shown[0]
            assert kind in ("warning", "critical") and str(target) in text, (action, shown)
            assert "choose another output file" in text
    assert project.path.read_bytes()[:16] == SQLITE_MAGIC
    # The window still writes to the real project file: an entity tagged now is there for any other reader.
    s16, e16 = qt_find(win.view, "نواف العنزي")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_1)
    con = sqlite3.connect(project.path)
    try:
        assert con.execute("SELECT count(*) FROM entities").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    finally:
        con.close()


def test_cancel_in_the_export_progress_dialog_stops_it_and_keeps_the_earlier_file(qtbot, tmp_path, monkeypatch):
    articles = tmp_path / "many.jsonl"
    articles.write_text("".join(json.dumps({"id": f"n{i}", "text": f"خبر قصير رقم {i}"}, ensure_ascii=False) + "\n"
                                for i in range(2500)), encoding="utf-8")
    project = Project.create(tmp_path / "big.db")
    import_sources(project, [articles])
    win = make_window(qtbot, project, tmp_path)
    out = tmp_path / "out" / "export.jsonl"
    out.parent.mkdir()
    out.write_bytes(b"the earlier export\n")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    shown = record_boxes(monkeypatch)
    clicked_at: list[int] = []

    def click_cancel_once_under_way() -> None:
        dlg = win.findChild(QProgressDialog)
        if dlg is not None and 0 < dlg.value() < dlg.maximum() and not clicked_at:
            clicked_at.append(dlg.value())
            dlg.findChild(QPushButton).click()

    timer = QTimer()
    timer.timeout.connect(click_cancel_once_under_way)
    timer.start(0)  # runs whenever the export lets events through (its progress callback)
    try:
        win.actions["export"].trigger()
    finally:
        timer.stop()
    assert clicked_at, "the export never showed progress under way"
    assert out.read_bytes() == b"the earlier export\n"
    assert [p.name for p in out.parent.iterdir()] == ["export.jsonl"]  # no partial file left
    assert shown == [] and "cancel" in win.statusBar().currentMessage().lower()
    win.actions["export"].trigger()  # not cancelled: the whole export replaces the earlier file
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2500
    assert shown and shown[-1][0] == "information"
