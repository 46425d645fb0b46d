"""The Review menu: reviewer role, blind annotation, other annotators' spans, the adjudication window and the
agreement dashboard. Blind projects show everyone's work only to the reviewer, so every way in checks that first."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from ..core.model import GOLD
from .i18n import t
from .plain import plain

if TYPE_CHECKING:
    from .main_window import MainWindow


class ReviewMenu(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.w = window
        self.review_window = None
        self.agreement_dashboard = None

    @property
    def session(self):
        return self.w.session

    def sync(self) -> None:
        project, me = self.session.project, self.session.annotator
        reviewer = project.role(me) == "reviewer"
        self.w.actions["reviewerRole"].setChecked(reviewer)
        self.w.actions["blind"].setChecked(project.blind())
        self.w.actions["blind"].setEnabled(reviewer)
        see = project.can_see_others(me)
        self.w.actions["showOthers"].setEnabled(see)
        if not see:
            self.w.actions["showOthers"].setChecked(False)

    def toggle_reviewer(self, checked: bool) -> None:
        self.session.project.set_role(self.session.annotator, "reviewer" if checked else "annotator")
        self.sync()
        self.show_others()

    def toggle_blind(self, checked: bool) -> None:
        self.session.project.set_setting("blind", bool(checked))
        self.sync()

    def show_others(self, *_) -> None:
        """Other annotators' spans as grey dashes over the text: only where the project is not blind for me."""
        cur, project = self.session.current, self.session.project
        if cur is None or not self.w.actions["showOthers"].isChecked() or \
                not project.can_see_others(self.session.annotator):
            self.w.view.set_marks([], "others")
            return
        marks = []
        for other in project.set_annotators(cur.document.key):
            if other not in (self.session.annotator, GOLD):
                marks += [(e.start, e.end, "#777777", False) for e in project.load(cur.document.key, other).entities]
        self.w.view.set_marks(marks, "others")

    def may_see_all(self) -> bool:
        """Blind projects show everyone's work only to the reviewer: ask before taking that role."""
        project, me = self.session.project, self.session.annotator
        if project.can_see_others(me):
            return True
        answer = QMessageBox.question(
            self.w, t("Adjudication"),
            plain(t("This project is blind: only the reviewer sees everyone's work. Become the reviewer?")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        project.set_role(me, "reviewer")
        self.sync()
        return True

    def open_agreement(self) -> None:
        if not self.may_see_all():
            return
        from .agreement_dashboard import AgreementDashboard

        self.agreement_dashboard = AgreementDashboard(self.session.project, self.w)
        self.agreement_dashboard.documentRequested.connect(self.session.open_document)
        self.agreement_dashboard.show()

    def open_review(self) -> None:
        if not self.may_see_all():
            return
        from .review_window import ReviewWindow

        self.review_window = ReviewWindow(self.session.project, self.session.annotator)
        self.review_window.show()
