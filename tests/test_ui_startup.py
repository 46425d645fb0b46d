"""First start: the default project is made from the seeds, the annotator's name is asked once and remembered."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QInputDialog

from app.core.exchange.defaults import default_project_path, open_or_create_with_seeds
from app.ui import app as ui_app
from app.ui.settings import Settings

pytestmark = pytest.mark.gui


def test_default_project_is_created_from_seeds_once(tmp_path, monkeypatch):
    monkeypatch.setenv("TAWSIM_HOME", str(tmp_path / "home"))
    path = default_project_path()
    assert path.parent == tmp_path / "home"
    p = open_or_create_with_seeds(path)
    assert p.count_documents() == 2
    p.add_entity(p.list_documents(0, 1)[0].key, "amal", 0, 3, "PER")
    p.close()
    p = open_or_create_with_seeds(path)  # second start: opened, not re-imported or reset
    assert p.count_documents() == 2
    assert p.stats()["entities_per_label"] == {"PER": 1}
    p.close()


def test_annotator_is_asked_on_first_start_and_remembered(qtbot, tmp_path, monkeypatch):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    asked = []

    def fake_get_text(*a, **k):
        asked.append(1)
        return ("  سارة  ", True)

    monkeypatch.setattr(QInputDialog, "getText", fake_get_text)
    assert ui_app.ask_annotator(settings) == "سارة"
    assert ui_app.ask_annotator(settings) == "سارة"
    assert len(asked) == 1
    reread = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert reread.annotator == "سارة"


def test_screenshot_renders_first_seed_article_with_labels(qtbot, tmp_path):
    from app.ui.screenshot import render_screenshot

    out = render_screenshot(tmp_path / "shot.png")
    img = QImage(str(out))
    assert img.width() >= 1000 and img.height() >= 600
    # The PER and GPE label tags are painted in their label colours.
    colours = {img.pixelColor(x, y).name() for x in range(0, img.width(), 3) for y in range(0, img.height(), 3)}
    assert {"#f4a261", "#c3b1e1"} <= colours
