"""File > Import… and File > Export as…: every format the core reads and writes, with the summary shown after.

The import runs the core importer (one transaction: a bad line names FILE:LINE and changes nothing); the format
follows the file's extension, or is asked for when the extension is ambiguous (.txt: an article or CoNLL?).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from ..core.assist.gazetteer import import_gazetteer
from ..core.exchange.exporter import export_format, export_jsonl
from ..core.exchange.importer import ImportOptions, import_sources
from ..core.io import formats
from ..core.io.source import SourceError
from ..core.store import Project
from .export_dialog import export_folder
from .failure import failure_text, show_failure
from .i18n import t
from .plain import plain


def import_interactively(parent: QWidget, project: Project, annotator: str) -> bool:
    paths, _ = QFileDialog.getOpenFileNames(parent, t("Import…"), str(project.path.parent),
                                            "Corpora (*.txt *.jsonl *.csv *.conll *.conllu *.bio *.iob *.json "
                                            "*.spacy);;All files (*)")
    if not paths:
        return False
    fmt: Optional[str] = None
    if any(Path(p).suffix.lower() == ".txt" for p in paths):
        choice, ok = QInputDialog.getItem(parent, t("Import…"), t("Format of the .txt files:"),
                                          [t("plain articles"), "CoNLL / BIO"], 0, False)
        if not ok:
            return False
        fmt = "conll" if choice == "CoNLL / BIO" else None
    try:
        summary = import_sources(project, paths, ImportOptions(format=fmt, annotator=None))
    except Exception as exc:  # one transaction: whatever failed, nothing was imported; say why
        show_failure(parent, t("Import…"), failure_text(exc, project.path) + "\n\n" + t("Nothing was imported."))
        return False
    QMessageBox.information(parent, t("Import…"), plain("\n".join(summary.lines())))
    return True


def export_format_interactively(parent: QWidget, project: Project) -> Optional[Path]:
    names = list(formats.EXPORT_FORMATS)
    name, ok = QInputDialog.getItem(parent, t("Export as…"), t("Format:"), names, 0, False)
    if not ok:
        return None
    suffix = {"conll": ".conll", "labelstudio": ".json", "spacy": ".spacy"}.get(name, ".jsonl")
    folder = export_folder(project)
    path, _ = QFileDialog.getSaveFileName(parent, t("Export as…"), str(folder / f"{project.path.stem}-{name}{suffix}"))
    if not path:
        return None
    try:
        if name == "jsonl":
            n = export_jsonl(project, path)
            lines = [t("Exported {n} line(s) to {path}", n=n, path=path)]
        else:
            result = export_format(project, name, path)
            lines = result.lines() + result.warnings[:20]
    except (SourceError, OSError) as exc:
        QMessageBox.warning(parent, t("Export failed"), plain(str(exc)))
        return None
    QMessageBox.information(parent, t("Export finished"), plain("\n".join(lines)))
    return Path(path)


def import_gazetteer_interactively(parent: QWidget, project: Project) -> Optional[tuple[int, str]]:
    """File > Import gazetteer…: (names added, file), or None if cancelled or refused (the reason shown)."""
    path, _ = QFileDialog.getOpenFileName(parent, t("Import gazetteer…"), "", "TSV (*.tsv *.txt)")
    if not path:
        return None
    try:
        return import_gazetteer(project, path), path
    except Exception as exc:  # one transaction: nothing was added; say why, whatever failed
        show_failure(parent, t("Import gazetteer…"), failure_text(exc, project.path))
        return None
