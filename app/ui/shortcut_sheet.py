"""The shortcut sheet (F1 or ?): every key of the window, read from the bindings themselves when it opens.

Menu commands come from the window's QActions (their real shortcuts), letter commands from the annotation
controller's key table, label and stance keys from the project's labels, and the article's own keys from
ArticleView.KEYS; nothing here is typed twice, so the sheet cannot go stale. Shown in the interface language.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from ..core.model import ENTITY, STANCE
from .i18n import language, t


def shortcut_rows(window) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding of `window` (a MainWindow), in a reading order."""
    rows: list[tuple[str, str]] = []
    project = window.session.project
    for lab in project.labels(ENTITY):
        if lab.key:
            name = lab.display if language() == "ar" and lab.display else lab.name
            rows.append((lab.key, t("Label the selection (or relabel the selected span) as {label}", label=name)))
    for key, (text, _) in window.controller.command_keys().items():
        rows.append((key.upper(), text))
    for lab in project.labels(STANCE):
        if lab.key:
            rows.append((f"{lab.key.upper()} / Shift+{lab.key.upper()}",
                         t("Stance {label}: of the selected quote / of the article toward the selected span",
                           label=t(lab.name))))
    for keys, text in window.view.KEYS:
        rows.append((keys, t(text)))
    for action in window.actions.values():
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            rows.append((" / ".join(keys), action.text().replace("&", "")))
    return rows


class ShortcutSheet(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle(t("Keyboard shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels([t("Keys"), t("Does")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (keys, text) in enumerate(rows):
            for c, value in enumerate((keys, text)):
                item = QTableWidgetItem(value)  # plain text: label names are data
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, item)
        self.table.resizeColumnToContents(0)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        self.resize(760, 620)
