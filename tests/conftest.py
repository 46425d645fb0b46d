"""Shared fixtures. Qt must run offscreen before any Qt module loads, or a screenless CI aborts the run."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def project(tmp_path):
    """A fresh project with the two seed articles imported."""
    from app.core.exchange.importer import import_sources
    from app.core.store import Project

    p = Project.create(tmp_path / "p.db")
    import_sources(p, [SEEDS])
    yield p
    p.close()


@pytest.fixture
def empty_project(tmp_path):
    from app.core.store import Project

    p = Project.create(tmp_path / "empty.db")
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
