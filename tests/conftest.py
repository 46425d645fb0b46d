"""Shared fixtures. Qt must run offscreen before any Qt module loads, or a screenless CI aborts the run."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402

pytest_plugins = ["pg_server"]  # a real, throw-away PostgreSQL server for the server-backend tests (pg_server.py)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def store_backend() -> str:
    """The backend `project` and `empty_project` use: SQLite, unless a test module overrides this fixture with
    `params=["sqlite", "postgres"]` to run its tests against both (tests/test_store.py does), or the run sets
    TAWSIM_TEST_BACKEND=postgres to put every such test on the server."""
    return os.environ.get("TAWSIM_TEST_BACKEND", "sqlite")


@pytest.fixture
def project_target(request, tmp_path, store_backend):
    """Where a test's new project goes: a file in tmp_path, or a fresh database on the test PostgreSQL server."""
    if store_backend == "postgres":
        return request.getfixturevalue("pg_url")
    return tmp_path / "p.db"


@pytest.fixture
def project(project_target):
    """A fresh project with the two seed articles imported."""
    from app.core.exchange.importer import import_sources
    from app.core.store import Project

    p = Project.create(project_target)
    import_sources(p, [SEEDS])
    yield p
    p.close()


@pytest.fixture
def empty_project(request, tmp_path, store_backend):
    from app.core.store import Project

    p = Project.create(request.getfixturevalue("pg_url") if store_backend == "postgres" else tmp_path / "empty.db")
    yield p
    p.close()


@pytest.fixture(autouse=True)
def _tawsim_home(tmp_path_factory, monkeypatch):
    """Every test's data directory (the bundle signing key lives there) is a temporary one, never the user's; one
    per session, so the installation key is made once."""
    monkeypatch.setenv("TAWSIM_HOME", str(tmp_path_factory.getbasetemp() / "tawsim-home"))
    yield


@pytest.fixture(autouse=True)
def _collect_after_test():
    """Destroy each test's windows right after it, while nothing else runs. Left to a random garbage collection
    inside a later test, a window's C++ destructor emits signals into half-destroyed Python objects and crashes."""
    yield
    import gc

    gc.collect()


@pytest.fixture(autouse=True)
def _no_modal_message_box_waits(request, monkeypatch):
    """A message box a test did not expect must not wait for a click that never comes (offscreen, a modal box's
    exec() blocks the run until CI's time limit). Unless a test patches QMessageBox itself, a box is recorded in
    the fixture's list and answered with its default button (or Cancel/Ok), so the test goes on and can assert.
    A test that clicks real boxes itself (from a timer) is marked `real_dialogs`."""
    if request.node.get_closest_marker("real_dialogs"):
        yield []
        return
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:  # pragma: no cover - Qt missing: nothing can block
        yield []
        return
    shown: list[str] = []

    def answer(box):
        shown.append(box.text())
        default = box.defaultButton()
        if default is not None:
            return box.standardButton(default)
        buttons = box.standardButtons()
        for b in (QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.No):
            if buttons & b:
                return b
        return QMessageBox.StandardButton.NoButton

    monkeypatch.setattr(QMessageBox, "exec", answer)
    yield shown


@pytest.fixture
def win(qtbot, project, tmp_path):
    """A window on the seed article with the most quotes (kuwait-nato-colomina); tests that need another start
    define their own `win`."""
    from gui_helpers import make_window

    w = make_window(qtbot, project, tmp_path)
    w.session.open_document(project.document("kuwait-nato-colomina").key)
    return w
