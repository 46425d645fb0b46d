"""File > Export: pick a path (default: the exports/ folder), run the core export with a progress dialog, say where."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from ..core.exchange.exporter import export_jsonl
from ..core.io.atomic import WriteCancelled
from ..core.store import Project
from .i18n import t
from .plain import plain

EXPORTS_DIR = Path(__file__).resolve().parents[2] / "exports"


def export_folder(project: Project) -> Path:
    """Where files written from the window go by default: the repository's exports/, else beside the project."""
    return EXPORTS_DIR if EXPORTS_DIR.is_dir() else project.path.parent


def default_export_path(project: Project) -> Path:
    folder = export_folder(project)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return folder / f"{project.path.stem}-{stamp}.jsonl"


def export_interactively(parent: QWidget, project: Project) -> Optional[Path]:
    path, _ = QFileDialog.getSaveFileName(parent, t("Export JSONL…"), str(default_export_path(project)),
                                          "JSON Lines (*.jsonl)")
    if not path:
        return None
    dlg = QProgressDialog(t("Exporting…"), t("Cancel"), 0, 100, parent)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(300)

    def progress(done: int, total: int) -> None:
        dlg.setMaximum(max(total, 1))
        dlg.setValue(min(done, total))
        QApplication.processEvents()
        if dlg.wasCanceled():  # the core then removes the partial file; an earlier file at `path` stays
            raise WriteCancelled()

    try:
        n = export_jsonl(project, path, progress=progress)
    except WriteCancelled:
        dlg.close()
        if hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(t("Export cancelled; nothing was written"), 10000)
        return None
    except OSError as exc:
        dlg.close()
        QMessageBox.critical(parent, t("Export failed"), plain(str(exc) if exc.filename else f"{path}: {exc}"))
        return None
    dlg.close()
    msg = t("Exported {n} line(s) to {path}", n=n, path=path)
    if hasattr(parent, "statusBar"):
        parent.statusBar().showMessage(msg, 10000)
    QMessageBox.information(parent, t("Export finished"), plain(msg))
    return Path(path)
