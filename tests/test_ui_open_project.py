"""File → Open project…: a project file or a PostgreSQL URL typed in the dialog opens in the window; a URL that
cannot be opened gives one message with Retry, and the project already open stays open."""
from __future__ import annotations

import pytest
from gui_helpers import make_window
from PySide6.QtWidgets import QDialog, QMessageBox

from app.core.exchange.importer import import_sources
from app.core.store import Project
from app.ui.main_window import MainWindow
from app.ui.open_project import OpenProjectDialog

pytestmark = pytest.mark.gui


def type_in_dialog(monkeypatch, target: str) -> None:
    def fake_exec(dialog):
        dialog.target.setText(target)
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(OpenProjectDialog, "exec", fake_exec)


def test_open_a_server_project_from_the_file_menu(qtbot, project, tmp_path, pg_url, monkeypatch):
    with Project.create(pg_url) as server:
        src = tmp_path / "one.jsonl"
        src.write_text('{"id": "على-الخادم", "text": "خبر على الخادم"}\n', encoding="utf-8")
        import_sources(server, [src])
    win = make_window(qtbot, project, tmp_path, register=False)
    assert win.documents.model.rowCount() == 2
    type_in_dialog(monkeypatch, pg_url)
    win.actions["openProject"].trigger()
    new = MainWindow.live
    qtbot.addWidget(new)
    assert new is not win
    assert new.session.project.path.name == "postgres"
    assert new.documents.model.rowCount() == 1
    assert new.session.current.document.id == "على-الخادم"
    qtbot.waitUntil(lambda: _closed(project), timeout=5000)  # the previous project closes with its window


def _closed(project) -> bool:
    try:
        project.count_documents()
    except Exception:  # noqa: BLE001 - sqlite3.ProgrammingError: closed
        return True
    return False


def test_a_url_that_cannot_be_opened_keeps_the_open_project(qtbot, project, tmp_path, pg_server, monkeypatch):
    win = make_window(qtbot, project, tmp_path)
    type_in_dialog(monkeypatch, f"postgresql://postgres@127.0.0.1:{pg_server.port}/no_such_database")
    shown = []

    def fake_critical(parent, title, text, *args):
        shown.append(text)
        return QMessageBox.StandardButton.Cancel if len(shown) > 1 else QMessageBox.StandardButton.Retry
    monkeypatch.setattr(QMessageBox, "critical", fake_critical)
    assert win.open_project() is win
    assert len(shown) == 2 and all("cannot connect to the server" in m and "\n" not in m for m in shown)
    assert project.count_documents() == 2 and MainWindow.live is win
