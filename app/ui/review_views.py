"""What the adjudication window shows of the annotators' versions: a quote spelled out field by field (span,
speaker, cue, kind, stance: the text alone hides which of them two annotators disagree on), and two annotators'
versions of the whole article side by side (V in the adjudication window), what one has and the other lacks marked.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QGridLayout

from ..core.model import AnnotationSet
from ..core.review.adjudication import QUOTE_UNIT, Unit
from ..core.store import Project
from .article_view import ArticleView
from .i18n import t
from .plain import PlainLabel

ONLY_HERE = "#d62828"  # a span this annotator has and the other has not (same start, end and label)


def describe_version(unit: Unit, annotator: str) -> str:
    """One annotator's version of a unit as plain text; quotes in full, one field after another."""
    items = unit.versions.get(annotator, ())
    if unit.kind != QUOTE_UNIT:
        notes = [t("note: {note}", note=e.note) for e in items if getattr(e, "note", "")]
        return "\n".join([unit.describe(annotator), *notes])
    out = []
    for v in unit.versions.get(annotator, ()):
        q = v.quote
        parts = [t("span {start}–{end}", start=q.start, end=q.end) + f" «{q.text[:40]}{'…' if len(q.text) > 40 else ''}»",
                 t("speaker: {name}", name=q.speaker_text or "—"),
                 t("cue: {cue}", cue=f"{q.cue.text} ({q.cue.start}–{q.cue.end})" if q.cue else "—"),
                 t("kind: {kind}", kind=t(q.kind))]
        if v.stance is not None:
            parts.append(t("stance: {label}", label=v.stance.label))
        out.append(" · ".join(parts) + ("\n" + t("note: {note}", note=q.note) if q.note else ""))
    return "\n".join(out) or "—"


class SideBySide(QDialog):
    """Two annotators' sets of one document next to each other; each side marks what the other side lacks."""

    def __init__(self, project: Project, sets: dict[str, AnnotationSet], first: str, second: str, parent=None):
        super().__init__(parent)
        self.setObjectName("sideBySide")
        self.setWindowTitle(t("Side by side"))
        self.project, self.sets = project, sets
        names = sorted(sets)
        self.pickers = [QComboBox(self), QComboBox(self)]
        self.views = [ArticleView(self), ArticleView(self)]
        grid = QGridLayout(self)
        for col, (picker, view, name) in enumerate(zip(self.pickers, self.views, (first, second))):
            picker.addItems(names)
            picker.setCurrentText(name)
            picker.currentTextChanged.connect(self.refresh)
            grid.addWidget(picker, 0, col)
            grid.addWidget(view, 1, col)
        self.note = PlainLabel(t("Red: what this annotator has and the other has not."), self)
        grid.addWidget(self.note, 2, 0, 1, 2)
        self.resize(1300, 760)
        self.refresh()

    @property
    def shown(self) -> tuple[str, str]:
        return self.pickers[0].currentText(), self.pickers[1].currentText()

    def refresh(self, *_) -> None:
        labels = self.project.labels("entity")
        sides = [self.sets[n] for n in self.shown]
        for view, mine, other in ((self.views[0], sides[0], sides[1]), (self.views[1], sides[1], sides[0])):
            view.show_set(mine, labels)
            theirs = {(e.start, e.end, e.label) for e in other.entities}
            view.set_marks([(e.start, e.end, ONLY_HERE, False) for e in mine.entities
                            if (e.start, e.end, e.label) not in theirs], "difference")

    def only_in(self, side: int) -> list[tuple[int, int, str]]:
        """(start, end, label) of the entities side 0 or 1 has and the other lacks: what the red marks show."""
        a, b = (self.sets[n] for n in self.shown)
        mine, other = (a, b) if side == 0 else (b, a)
        theirs = {(e.start, e.end, e.label) for e in other.entities}
        return sorted((e.start, e.end, e.label) for e in mine.entities if (e.start, e.end, e.label) not in theirs)

    def keyPressEvent(self, e) -> None:
        if e.key() == Qt.Key.Key_V:  # the same key closes it again
            self.close()
            return
        super().keyPressEvent(e)
