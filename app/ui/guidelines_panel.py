"""The guidelines dock: the project's Markdown guidelines (read, or edit and save) and the label legend with keys.

Annotators disagree less when the rules are one glance away; keeping them in the project file (see
core/store/guidelines.py) means the text a team edits here is the text every annotator of that file reads.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QPlainTextEdit, QPushButton, QSplitter, QStackedWidget,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ..core.store.guidelines import get_guidelines, set_guidelines
from ..core.model import ENTITY, QUOTE_KIND, STANCE
from ..core.store import Project
from .fonts import arabic_family
from .i18n import language, t
from .label_display import KIND_TITLES, swatch
from .label_editor import LabelEditor
from .plain import PlainLabel, SafeTextBrowser, plain


class GuidelinesPanel(QWidget):
    labelsChanged = Signal()  # the label set was edited from this panel's "Edit labels…" button
    guidelinesSaved = Signal()

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.setObjectName("guidelinesPanel")
        self.project = project
        rtl = language() == "ar"
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)

        self.browser = SafeTextBrowser(self)  # the guidelines are user content: no file or image is loaded
        self.browser.setObjectName("guidelinesView")
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("guidelinesEditor")
        for w in (self.browser, self.editor):
            f = w.font()
            f.setFamilies([arabic_family(), f.family()])
            w.setFont(f)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.browser)
        self.stack.addWidget(self.editor)

        self.edit_button = QPushButton(t("Edit"), self)
        self.edit_button.setObjectName("editGuidelines")
        self.edit_button.setCheckable(True)
        self.edit_button.toggled.connect(self._set_editing)
        self.save_button = QPushButton(t("Save"), self)
        self.save_button.setObjectName("saveGuidelines")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        self.labels_button = QPushButton(t("Edit labels…"), self)
        self.labels_button.setObjectName("editLabels")
        self.labels_button.clicked.connect(self.open_label_editor)
        bar = QHBoxLayout()
        bar.addWidget(self.edit_button)
        bar.addWidget(self.save_button)
        bar.addStretch(1)
        bar.addWidget(self.labels_button)

        self.legend = QTreeWidget(self)
        self.legend.setObjectName("labelLegend")
        self.legend.setColumnCount(3)
        self.legend.setHeaderLabels([t("Label"), t("Arabic name"), t("Key")])
        self.legend.setRootIsDecorated(False)
        self.legend.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        legend_box = QWidget(self)
        lay = QVBoxLayout(legend_box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(PlainLabel(t("Label legend"), legend_box))
        lay.addWidget(self.legend)

        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addLayout(bar)
        tl.addWidget(self.stack, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(legend_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(2, 2, 2, 2)
        outer.addWidget(split)
        self.refresh()

    # ---- guidelines ----------------------------------------------------------------------------------------
    def markdown(self) -> str:
        return get_guidelines(self.project)

    def is_editing(self) -> bool:
        return self.stack.currentWidget() is self.editor

    def _show_markdown(self) -> None:
        # Each paragraph takes its direction from its first strong character: Arabic lines read right-to-left,
        # English lines left-to-right, in the same document.
        self.browser.set_markdown(self.markdown())

    def _set_editing(self, on: bool) -> None:
        if on:
            self.editor.setPlainText(self.markdown())
            self.stack.setCurrentWidget(self.editor)
            self.editor.setFocus()
        else:  # leaving edit mode without Save discards the draft
            self.stack.setCurrentWidget(self.browser)
        self.save_button.setEnabled(on)

    def save(self) -> None:
        set_guidelines(self.project, self.editor.toPlainText())
        self._show_markdown()
        self.edit_button.setChecked(False)
        self.guidelinesSaved.emit()

    # ---- legend --------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the guidelines and the labels from the project (call after the label set changed)."""
        if not self.is_editing():
            self._show_markdown()
        self.legend.clear()
        for kind in (ENTITY, STANCE, QUOTE_KIND):
            head = QTreeWidgetItem(self.legend, [t(KIND_TITLES[kind])])
            head.setFirstColumnSpanned(True)
            f = head.font(0)
            f.setBold(True)
            head.setFont(0, f)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for lab in self.project.labels(kind):
                item = QTreeWidgetItem(self.legend, [lab.name, lab.display, lab.key])
                item.setIcon(0, swatch(lab.color))
                item.setData(0, Qt.ItemDataRole.UserRole, (kind, lab.name))
                item.setToolTip(0, plain(lab.color))
                item.setTextAlignment(2, Qt.AlignmentFlag.AlignCenter)

    def legend_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(kind, name, Arabic name, colour, key) of every row shown, in order (for tests and screenshots)."""
        out = []
        for i in range(self.legend.topLevelItemCount()):
            it = self.legend.topLevelItem(i)
            data = it.data(0, Qt.ItemDataRole.UserRole)
            if data:
                out.append((data[0], it.text(0), it.text(1), it.toolTip(0), it.text(2)))
        return out

    def open_label_editor(self) -> None:
        dlg = LabelEditor(self.project, self)
        dlg.labelsChanged.connect(self.refresh)
        dlg.labelsChanged.connect(self.labelsChanged)
        dlg.exec()
