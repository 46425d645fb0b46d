"""The label palette: one button per entity label, in its colour, with its key; clicking equals pressing the key."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from ..core.model import Label
from .i18n import language, t
from .plain import PlainLabel, menu_text, plain, style_colour


class LabelPalette(QWidget):
    labelChosen = Signal(str)  # label name

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(4, 2, 4, 2)
        self.buttons: dict[str, QPushButton] = {}
        self.hint = PlainLabel(self)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window

    def set_labels(self, labels: list[Label]) -> None:
        while self._lay.count():
            item = self._lay.takeAt(0)
            if item.widget() and item.widget() is not self.hint:
                item.widget().deleteLater()
        self.buttons.clear()
        for lab in labels:
            name = f"{lab.display or lab.name}" if language() == "ar" else lab.name
            text = f"{lab.key}  {name}" if lab.key else name
            b = QPushButton(menu_text(text), self)
            b.setObjectName(f"label-{lab.name}")
            b.setToolTip(plain(f"{lab.name} — {lab.display}" + (f"  [{lab.key}]" if lab.key else "")))
            b.setStyleSheet(f"QPushButton {{ background: {style_colour(lab.color)}; color: #111; border: 1px solid #777;"
                            f" border-radius: 4px; padding: 3px 8px; font-weight: bold; }}")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep keyboard focus in the article
            b.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, n=lab.name: self.labelChosen.emit(n))
            self._lay.addWidget(b)
            self.buttons[lab.name] = b
        self.hint.setText(t("Select text, then press a label key (1–9)."))
        self.hint.setStyleSheet("color: #666;")
        self._lay.addStretch(1)
        self._lay.addWidget(self.hint)
