"""An editable combo box of the document's entity spans: pick a span to link it, or type a name that is not tagged.

Used for quote speakers and stance targets, so both behave the same way.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from ..core.model import Entity

PREFERRED = ("PER", "ORG", "GPE")  # likely speakers/targets first, in this order


class EntityPicker(QComboBox):
    picked = Signal(object, str)  # entity id (or None for a typed name), text

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._entities: list[Entity] = []
        self._quiet = False
        self.activated.connect(self._on_activated)
        self.lineEdit().returnPressed.connect(self._on_return)

    def set_entities(self, entities: list[Entity]) -> None:
        self._quiet = True
        self.clear()
        seen = set()
        rank = {label: i for i, label in enumerate(PREFERRED)}
        self._entities = sorted(entities, key=lambda e: (rank.get(e.label, len(PREFERRED)), e.start))
        self.addItem("", None)
        for e in self._entities:
            self.addItem(f"{e.text}  [{e.label}]", e.id)
            seen.add(e.id)
        self._quiet = False

    def show_value(self, entity_id: Optional[str], text: str) -> None:
        self._quiet = True
        i = self.findData(entity_id) if entity_id else -1
        if i >= 0:
            self.setCurrentIndex(i)
        else:
            self.setCurrentIndex(0)
            self.setEditText(text)
        self._quiet = False

    def value(self) -> tuple[Optional[str], str]:
        """(entity id, text) as shown: an exact match of a span's text links to that span."""
        text = self.currentText().strip()
        i = self.currentIndex()
        if i > 0 and self.itemText(i) == self.currentText():
            e = self._entities[i - 1]
            return e.id, e.text
        match = next((e for e in self._entities if e.text == text), None)
        return (match.id, match.text) if match else (None, text)

    def _on_activated(self, index: int) -> None:
        if not self._quiet:
            self.picked.emit(*self.value())

    def _on_return(self) -> None:
        if not self._quiet:
            self.picked.emit(*self.value())
