"""An editable combo box of the document's entity spans: pick a span to link it, or type a name that is not tagged.

Used for quote speakers and stance targets, so both behave the same way. The spans become items only when the
annotator reaches for the list (opens it, focuses the box, scrolls over it) or a span is shown in it: filling
three pickers with an article's spans on every switch, and repainting them, was a tenth of the switch time for
lists nobody opened.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from ..core.model import Entity

PREFERRED = ("PER", "ORG", "GPE")  # likely speakers/targets first, in this order


def ordered_spans(entities: list[Entity]) -> list[Entity]:
    rank = {label: i for i, label in enumerate(PREFERRED)}
    return sorted(entities, key=lambda e: (rank.get(e.label, len(PREFERRED)), e.start))


def item_text(e: Entity) -> str:
    return f"{e.text}  [{e.label}]"


class EntityPicker(QComboBox):
    picked = Signal(object, str)  # entity id (or None for a typed name), text

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._unordered: list[Entity] = []
        self._ordered: Optional[list[Entity]] = []
        self._filled = True  # the items are the blank one plus one per span of `_entities`
        self._quiet = False
        self.addItem("", None)
        self.activated.connect(self._on_activated)
        self.lineEdit().returnPressed.connect(self._on_return)

    def set_entities(self, entities: list[Entity]) -> None:
        """The spans to offer, likely speakers first; left showing nothing picked. One span added or removed (a
        tag, a delete) in a filled list changes one item (refilling a long article's thousands of spans took a
        tenth of a second per edit, per picker); anything else empties the list until it is needed."""
        self._quiet = True
        if not (self._filled and self._update_one(self._entities, ordered_spans(entities))):
            if self.count() > 1:
                self.clear()
                self.addItem("", None)
            self._filled = not entities
            self._unordered, self._ordered = list(entities), None  # put in order when the list is needed
        if self.currentIndex() != 0:
            self.setCurrentIndex(0)
        if self.currentText():
            self.setEditText("")
        self._quiet = False

    def fill(self) -> None:
        """Make the items: one per span, after the blank one (what is typed in the box stays)."""
        if self._filled:
            return
        typed, self._quiet = self.currentText(), True
        for e in self._entities:
            self.addItem(item_text(e), e.id)
        self._filled = True
        if self.currentText() != typed:
            self.setEditText(typed)
        self._quiet = False

    def showPopup(self) -> None:
        self.fill()
        super().showPopup()

    def focusInEvent(self, event) -> None:  # typing completes from the items; arrow keys step through them
        self.fill()
        super().focusInEvent(event)

    def wheelEvent(self, event) -> None:
        self.fill()
        super().wheelEvent(event)

    @property
    def _entities(self) -> list[Entity]:
        """The spans offered, in the list's order."""
        if self._ordered is None:
            self._ordered = ordered_spans(self._unordered)
        return self._ordered

    def _update_one(self, old: list[Entity], new: list[Entity]) -> bool:
        """Turn the items for `old` into those for `new` when they differ by at most one span (then they are the
        spans offered); False otherwise."""
        if self.count() != len(old) + 1 or abs(len(new) - len(old)) > 1:
            return False
        i = next((k for k, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
        if len(new) == len(old) and old[i:] == new[i:]:
            pass
        elif len(new) > len(old) and old[i:] == new[i + 1:]:
            self.insertItem(i + 1, item_text(new[i]), new[i].id)
        elif len(new) < len(old) and old[i + 1:] == new[i:]:
            self.removeItem(i + 1)
        else:
            return False
        self._unordered = self._ordered = new
        return True

    def show_value(self, entity_id: Optional[str], text: str) -> None:
        self._quiet = True
        if entity_id:
            self.fill()
        i = self.findData(entity_id) if entity_id else -1
        if i >= 0:
            self.setCurrentIndex(i)
        else:
            if self.currentIndex() != 0:
                self.setCurrentIndex(0)
            if self.currentText() != text:
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
