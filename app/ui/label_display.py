"""How a label is shown wherever labels are listed by kind: the kind's title and a square of the label's colour.

Shared by the guidelines legend and the label editor; in a module of its own so that neither has to import the
other for it (the editor is opened from the guidelines panel, so that arrow already points one way).
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap

from ..core.model import ENTITY, QUOTE_KIND, STANCE

KIND_TITLES = {ENTITY: "Entity labels", STANCE: "Stance labels", QUOTE_KIND: "Quote kinds"}


def swatch(color: str, size: int = 14) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(QColor(color))
    return QIcon(pm)
