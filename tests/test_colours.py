"""A label colour is #RRGGBB at every entry point (core/labels.check_colour): the window pastes colours into Qt
style sheets, where `url(/etc/passwd)` would make Qt read a file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.labels import check_colour
from app.core.model import ENTITY, STANCE, AnnotationError, Label
from app.core.store import Project

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ["url(/etc/passwd)", "red", "#fff", "#12345g", "#123456; background-image: url(x)", "", " #123456", 7]


def tawsim(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("colour", HOSTILE)
def test_only_rrggbb_passes(colour):
    with pytest.raises(AnnotationError, match="#RRGGBB"):
        check_colour(colour)


@pytest.mark.parametrize("colour", ["#f4a261", "#ABCDEF", "#000000"])
def test_rrggbb_passes_unchanged(colour):
    assert check_colour(colour) == colour


def test_a_json_labels_file_with_a_hostile_colour_is_refused(tmp_path):
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps([{"name": "PER", "color": "#ff0000"},
                                  {"name": "WEAPON", "color": "url(/etc/passwd)"}]), encoding="utf-8")
    db = tmp_path / "p.db"
    res = tawsim("init", db, "--labels", labels)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert f"{labels}:1: label 'WEAPON'" in res.stderr and 'is not a colour "#RRGGBB"' in res.stderr \
        and "url(/etc/passwd)" in res.stderr
    assert not db.exists()


def test_a_text_labels_file_with_a_hostile_colour_is_refused(tmp_path):
    labels = tmp_path / "labels.txt"
    labels.write_text("PER\tشخص\t#ff0000\nWEAPON\tسلاح\turl(/etc/passwd)\n", encoding="utf-8")
    db = tmp_path / "p.db"
    res = tawsim("init", db, "--labels", labels)
    assert res.returncode == 1 and "label 'WEAPON'" in res.stderr and "#RRGGBB" in res.stderr
    assert not db.exists()


def test_the_store_refuses_hostile_colours_everywhere(tmp_path):
    with pytest.raises(AnnotationError, match="#RRGGBB"):
        Project.create(tmp_path / "bad.db", [Label("PER", ENTITY, "", "url(/etc/passwd)", "1")])
    assert not (tmp_path / "bad.db").exists()
    with Project.create(tmp_path / "p.db") as p:
        before = p.labels()
        with pytest.raises(AnnotationError, match="#RRGGBB"):
            p.update_label(ENTITY, "PER", color="url(/etc/passwd)")
        with pytest.raises(AnnotationError, match="#RRGGBB"):
            p.add_label(Label("WEAPON", ENTITY, "", "url(/etc/passwd)", "8"))
        with pytest.raises(AnnotationError, match="#RRGGBB"):
            p.add_labels([Label("mixed", STANCE, "", "#123456; x: url(y)", "")])
        assert p.labels() == before
