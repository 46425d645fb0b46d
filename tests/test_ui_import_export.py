"""File > Import… and File > Export as…: a CoNLL corpus in, the project out as CoNLL and Label Studio."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from gui_helpers import make_window
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

pytestmark = pytest.mark.gui
FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def test_import_conll_then_export_as_conll_and_labelstudio(qtbot, project, tmp_path, monkeypatch):
    win = make_window(qtbot, project, tmp_path)
    before = project.count_documents()
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(FIXTURES / "conll2003_ar.conll")], ""))
    win.actions["import"].trigger()
    assert project.count_documents() > before
    assert win.documents.model.rowCount() == project.count_documents()
    assert "record" in shown[-1]
    for name, suffix in (("conll", ".conll"), ("labelstudio", ".json")):
        out = tmp_path / f"out{suffix}"
        monkeypatch.setattr(QInputDialog, "getItem", lambda *a, n=name, **k: (n, True))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, o=out, **k: (str(o), ""))
        win.actions["exportAs"].trigger()
        assert out.exists() and out.stat().st_size > 0
    tasks = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert isinstance(tasks, list) and any(t.get("annotations") for t in tasks)
    original = [l for l in (FIXTURES / "conll2003_ar.conll").read_text(encoding="utf-8").splitlines() if l.strip()]
    exported = (tmp_path / "out.conll").read_text(encoding="utf-8")
    assert original[1].split()[0] in exported  # tokens come back


def test_bad_import_names_the_line_and_changes_nothing(qtbot, project, tmp_path, monkeypatch):
    win = make_window(qtbot, project, tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "نص صحيح"}\n{"text": \n', encoding="utf-8")
    warned = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: warned.append(box.text()) or 0)  # the failure dialog
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bad)], ""))
    before = project.count_documents()
    win.actions["import"].trigger()
    assert "bad.jsonl:2:" in warned[0]
    assert project.count_documents() == before
