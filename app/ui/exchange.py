"""File menu: bundle my work for the reviewer, merge bundles from annotators (the desktop-to-desktop exchange)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.exchange.bundle import NOTHING_MERGED, SUFFIX, BundleError, write_bundle
from ..core.exchange.merge import merge_bundles
from ..core.store import Project
from .export_dialog import export_folder
from .failure import failure_text, show_failure
from .i18n import t
from .plain import plain


def bundle_interactively(parent: QWidget, project: Project, annotator: str) -> Optional[Path]:
    folder = export_folder(project)
    path, _ = QFileDialog.getSaveFileName(parent, t("Bundle my work…"), str(folder / f"{annotator}{SUFFIX}"),
                                          "Tawsim bundle (*.jsonl)")
    if not path:
        return None
    try:
        summary = write_bundle(project, path, annotator)
    except (BundleError, OSError) as exc:
        QMessageBox.warning(parent, t("Bundle my work…"), plain(str(exc)))
        return None
    QMessageBox.information(parent, t("Bundle my work…"), plain("\n".join(summary.lines())))
    return Path(path)


def merge_interactively(parent: QWidget, project: Project, me: str) -> bool:
    paths, _ = QFileDialog.getOpenFileNames(parent, t("Merge bundles…"), str(project.path.parent),
                                            "Tawsim bundle (*.jsonl)")
    if not paths:
        return False
    add_missing = False
    accepted: list[str] = []
    while True:
        try:
            summary = merge_bundles(project, paths, add_missing=add_missing, protect=(me,), accept_new_key=accepted)
            break
        except BundleError as exc:
            fresh = [n for n in exc.new_keys if n not in accepted]
            if fresh and QMessageBox.question(  # a changed key is accepted deliberately, name by name
                    parent, t("Merge bundles…"),
                    plain(str(exc) + "\n\n" + t("Accept the new signing key of {names}? Only if they told you they "
                                                  "have a new installation.", names=", ".join(fresh))),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes:
                accepted += fresh
                continue
            if not add_missing and "missing" in str(exc).lower() and QMessageBox.question(
                    parent, t("Merge bundles…"), plain(str(exc) + "\n\n" + t("Add the missing texts to the project?")),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes:
                add_missing = True
                continue
            show_failure(parent, t("Merge bundles…"), str(exc))
            return False
        except Exception as exc:  # one transaction: whatever failed, nothing was merged; say why
            show_failure(parent, t("Merge bundles…"), failure_text(exc, project.path) + "\n\n" + NOTHING_MERGED)
            return False
    QMessageBox.information(parent, t("Merge bundles…"), plain("\n".join(summary.lines())))
    return summary.changed
