"""The Review menu: reviewer role, blind annotation, other annotators' spans, the adjudication window and the
agreement dashboard. Blind projects show everyone's work only to the reviewer, so every way in checks that first.

It is handed what it uses (the session, the article view, the window's actions, a parent widget) rather than the
main window itself, so the arrow points one way: main_window imports this module, never the reverse."""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core.model import GOLD
from ..core.review.adjudication import SELF_ADJUDICATION
from ..core.store import NotPermitted
from .i18n import t
from .plain import plain

if TYPE_CHECKING:
    from .article_view import ArticleView
    from .session import Session


class ReviewMenu(QObject):
    def __init__(self, parent: QWidget, session: "Session", view: "ArticleView", actions: Mapping[str, QAction]):
        """`actions` is the window's name -> QAction map; it may be filled after this menu is made (the window builds
        its menus with this object's slots), so it is kept by reference and read when needed."""
        super().__init__(parent)
        self.parent_widget, self.session, self.view, self.actions = parent, session, view, actions
        self.review_window = None
        self.agreement_dashboard = None
        self.progress_view = None

    def sync(self) -> None:
        project, me = self.session.project, self.session.annotator
        reviewer = project.role(me) == "reviewer"
        self.actions["reviewerRole"].setChecked(reviewer)
        self.actions["blind"].setChecked(project.blind())
        self.actions["blind"].setEnabled(reviewer)
        self.actions["selfAdjudication"].setChecked(bool(project.setting(SELF_ADJUDICATION, False)))
        self.actions["selfAdjudication"].setEnabled(reviewer)
        see = project.can_see_others(me)
        self.actions["showOthers"].setEnabled(see)
        if not see:
            self.actions["showOthers"].setChecked(False)

    def _refused(self, exc: Exception) -> None:
        """The server refused a change to this login's role (pg_roles.py): say so, show the state as it is."""
        box = QMessageBox(QMessageBox.Icon.Warning, t("Review"), plain(str(exc)), QMessageBox.StandardButton.Ok,
                          self.parent_widget)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        self.sync()

    def toggle_reviewer(self, checked: bool) -> None:
        try:
            self.session.project.set_role(self.session.annotator, "reviewer" if checked else "annotator")
        except NotPermitted as exc:
            return self._refused(exc)
        self.sync()
        self.show_others()

    def toggle_blind(self, checked: bool) -> None:
        try:
            self.session.project.set_setting("blind", bool(checked))
        except NotPermitted as exc:
            return self._refused(exc)
        self.sync()

    def toggle_self_adjudication(self, checked: bool) -> None:
        """Off by default: a reviewer judging their own version against the others' is not a second opinion.
        Turning it on asks first, and the adjudication window then says the project allows it."""
        if checked and QMessageBox.question(
                self.parent_widget, t("Reviewers may adjudicate their own documents"),
                t("Reviewers will be able to adjudicate documents they annotated themselves, judging their own "
                  "version against the others'. Allow it for this project?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            self.sync()
            return
        self.session.project.set_setting(SELF_ADJUDICATION, bool(checked))
        self.sync()

    def show_others(self, *_) -> None:
        """Other annotators' spans as grey dashes over the text: only where the project is not blind for me."""
        cur, project = self.session.current, self.session.project
        if cur is None or not self.actions["showOthers"].isChecked() or \
                not project.can_see_others(self.session.annotator):
            self.view.set_marks([], "others")
            return
        marks = []
        for other in project.set_annotators(cur.document.key):
            if other not in (self.session.annotator, GOLD):
                marks += [(e.start, e.end, "#777777", False) for e in project.load(cur.document.key, other).entities]
        self.view.set_marks(marks, "others")

    def may_see_all(self) -> bool:
        """Blind projects show everyone's work only to the reviewer: ask before taking that role."""
        project, me = self.session.project, self.session.annotator
        if project.can_see_others(me):
            return True
        answer = QMessageBox.question(
            self.parent_widget, t("Adjudication"),
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

        self.agreement_dashboard = AgreementDashboard(self.session.project, self.parent_widget)
        self.agreement_dashboard.documentRequested.connect(self.session.open_document)
        self.agreement_dashboard.show()

    def open_review(self) -> None:
        if not self.may_see_all():
            return
        from .review_window import ReviewWindow

        self.review_window = ReviewWindow(self.session.project, self.session.annotator)
        self.review_window.show()

    def open_progress(self) -> None:
        """Per annotator: assigned, done, time spent, agreement; only what this connection may read."""
        from .progress_view import ProgressView

        if self.progress_view is None:
            self.progress_view = ProgressView(self.session.project, self.parent_widget)
        else:
            self.progress_view.refresh()
        self.progress_view.show()
        self.progress_view.raise_()

    def refresh_progress(self, *_) -> None:
        """Someone saved (the live list, or this window's own status change): recompute an open progress view."""
        if self.progress_view is not None and self.progress_view.isVisible():
            self.progress_view.schedule()

    def close_windows(self) -> None:
        """The main window is closing: the review windows go with it (they have no parent, so nothing else would
        close them and the process would keep running)."""
        for w in (self.review_window, self.agreement_dashboard):
            if w is not None:
                w.close()
