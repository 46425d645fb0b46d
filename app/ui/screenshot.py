"""`tawsim --screenshot OUT.png`: the window on the first seed article with a few labels, rendered offscreen.

Works on a copy of the project (or a fresh seed project), so a screenshot never changes anyone's work.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import QApplication

from ..core.exchange.defaults import open_or_create_with_seeds
from ..core.store import Project
from .main_window import MainWindow
from .session import Session
from .settings import Settings

DEMO_ANNOTATOR = "demo"
# (text, label, occurrence) placed on the first article when it has no labels yet: shows colours and nesting.
DEMO_SPANS = [("نواف العنزي", "PER"), ("الكويت", "GPE"), ("بلجيكا", "GPE"), ("الاتحاد الأوروبي", "ORG"),
              ("حلف شمال الأطلسي", "ORG"), ("شمال الأطلسي", "LOC"), ("2004", "DATE"),
              ("مبادرة إسطنبول للتعاون", "EVENT"), ("خافيير كولومينا", "PER"), ("الناتو", "ORG")]


def _demo_labels(project: Project, doc_key: int) -> None:
    text = project.document(doc_key).text
    for needle, label in DEMO_SPANS:
        i = text.find(needle)
        if i >= 0:
            project.add_entity(doc_key, DEMO_ANNOTATOR, i, i + len(needle), label)


def render_screenshot(out: str | Path, project_path: Optional[Path] = None, width: int = 1280,
                      height: int = 800) -> Path:
    from tempfile import mkdtemp
    from PySide6.QtCore import QSettings

    tmp = Path(mkdtemp(prefix="tawsim-shot-"))
    copy = tmp / "project.db"
    if project_path:
        src = Project.open(project_path)  # checkpoint WAL into a consistent copy via the backup API
        dst_conn = __import__("sqlite3").connect(copy)
        src.conn.backup(dst_conn)
        dst_conn.close()
        src.close()
    project = open_or_create_with_seeds(copy)
    first = project.list_documents(0, 1)
    annotator = DEMO_ANNOTATOR
    if first:
        sets = project.set_annotators(first[0].key)
        humans = [a for a in sets if a != "gold"]
        if humans:
            annotator = humans[0]
        else:
            _demo_labels(project, first[0].key)
    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    session = Session(project, annotator)
    window = MainWindow(session, settings)
    window.resize(width, height)
    window.show()
    app = QApplication.instance()
    window._size_docks()
    for _ in range(5):
        app.processEvents()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out))
    window.close()
    project.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return out
