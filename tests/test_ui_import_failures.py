"""File > Import… / Merge bundles… / Import gazetteer… in the window: every failure, not only the tool's own
errors, ends in a plain-text dialog naming the file and line or the cause, and the project is unchanged."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest
from bundle_helpers import annotate, new_project
from gui_helpers import make_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.core.exchange.bundle import write_bundle

pytestmark = pytest.mark.gui


def content(project) -> str:
    """A checksum of everything the project holds."""
    return hashlib.sha256("\n".join(project.conn.iterdump()).encode()).hexdigest()


def dialogs(monkeypatch) -> list[tuple[str, object]]:
    """(text, text format) of every warning shown; QMessageBox.warning too, as the window used it before."""
    shown: list[tuple[str, object]] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.text(), box.textFormat())) or 0)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append((a[2], None)))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: pytest.fail(f"reported success: {a[2]}"))
    return shown


def pick(monkeypatch, *paths) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(paths[0]), ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))  # .txt: plain articles


def lock(project) -> sqlite3.Connection:
    """Another process holding the write lock; the window's connection gives up after 50 ms instead of 5 s."""
    project.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(project.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


@pytest.mark.parametrize("case", ["invalid-utf8", "lone-surrogate", "deep-json", "deep-labelstudio",
                                  "unclosed-csv-quote", "locked-database"])
def test_every_import_failure_is_a_dialog_and_changes_nothing(qtbot, project, tmp_path, monkeypatch, case):
    win = make_window(qtbot, project, tmp_path)
    f = {"invalid-utf8": tmp_path / "bad.jsonl", "lone-surrogate": tmp_path / "bad.jsonl",
         "deep-json": tmp_path / "bad.jsonl", "deep-labelstudio": tmp_path / "bad.json",
         "unclosed-csv-quote": tmp_path / "bad.csv", "locked-database": tmp_path / "good.txt"}[case]
    f.write_bytes({"invalid-utf8": '{"text": "نص"}\n{"text": "'.encode() + b"\xff\xfe" + b'"}\n',
                   "lone-surrogate": b'{"text": "ok"}\n{"text": "half an emoji \\ud83d"}\n',
                   "deep-json": b'{"text": "x", "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
                   "deep-labelstudio": b"[" * 100_000,
                   "unclosed-csv-quote": 'id,text\na,"نص أول\nb,نص ثان\n'.encode(),
                   "locked-database": "نص جديد لم يستورد".encode()}[case])
    expected = {"invalid-utf8": f"{f}:2: not valid UTF-8", "lone-surrogate": f"{f}:2: an escaped lone surrogate",
                "deep-json": f"{f}:1: JSON nested too deeply", "deep-labelstudio": f"{f}:1: JSON nested too deeply",
                "unclosed-csv-quote": f"{f}:2: a quoted field opens on this line and never closes",
                "locked-database": f"{project.path}: the project database refused the change (database is locked)"}
    before = content(project)
    shown = dialogs(monkeypatch)
    pick(monkeypatch, f)
    other = lock(project) if case == "locked-database" else None
    win.actions["import"].trigger()
    if other:
        other.rollback()
        other.close()
    assert len(shown) == 1
    text, fmt = shown[0]
    assert text.startswith(expected[case]) and text.endswith("Nothing was imported.")
    assert fmt == Qt.TextFormat.PlainText
    assert content(project) == before


def test_merge_failures_are_dialogs_and_change_nothing(qtbot, tmp_path, monkeypatch):
    desk = new_project(tmp_path, "desk")
    annotate(desk, "amal")
    good = tmp_path / "amal.tawsim-bundle.jsonl"
    write_bundle(desk, good, "amal")
    deep = tmp_path / "deep.tawsim-bundle.jsonl"
    deep.write_bytes(b"[" * 100_000 + b"\n")
    reviewer = new_project(tmp_path, "reviewer")
    win = make_window(qtbot, reviewer, tmp_path, annotator="rana")
    before = content(reviewer)
    shown = dialogs(monkeypatch)
    pick(monkeypatch, deep)
    win.actions["merge"].trigger()
    assert shown[-1][0].startswith(f"{deep}:1: not a Tawsim bundle")
    pick(monkeypatch, good)
    other = lock(reviewer)
    win.actions["merge"].trigger()
    other.rollback()
    other.close()
    text, fmt = shown[-1]
    assert text.startswith(f"{reviewer.path}: the project database refused the change (database is locked)")
    assert text.endswith("nothing was merged; the project is unchanged") and fmt == Qt.TextFormat.PlainText
    assert len(shown) == 2 and content(reviewer) == before


def test_gazetteer_import_on_a_locked_project_is_a_dialog(qtbot, project, tmp_path, monkeypatch):
    win = make_window(qtbot, project, tmp_path)
    tsv = tmp_path / "names.tsv"
    tsv.write_text("الكويت\tGPE\n", encoding="utf-8")
    before = content(project)
    shown = dialogs(monkeypatch)
    pick(monkeypatch, tsv)
    other = lock(project)
    win.actions["importGazetteer"].trigger()
    other.rollback()
    other.close()
    assert [t for t, _ in shown] == [f"{project.path}: the project database refused the change (database is "
                                     f"locked); try again when no other program is writing to it"]
    assert content(project) == before
