"""The main window: assembles the document list, the label palette, the article view, menus and the status bar.

It owns no annotation logic (that is AnnotationController) and no data (that is the core via Session).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QInputDialog, QMainWindow, QProgressBar, QVBoxLayout, QWidget)

from ..core.text.boilerplate import boilerplate_lines
from .annotate import AnnotationController
from .assist import AssistController
from .article_view import ArticleView
from .document_list import DocumentListPanel
from .live_list import LiveList
from .open_project import ask_and_open
from .keymap import bound_once
from .i18n import AR, EN, language, set_language, t
from .entity_list import EntityListPanel
from .find_bar import FindBar
from .guidelines_panel import GuidelinesPanel
from .label_palette import LabelPalette
from .name_dialog import ask_annotator_name
from .plain import PlainLabel
from .notes import NoteController
from .quote_panel import QuotePanel
from .review_menu import ReviewMenu
from .stance_panel import StancePanel
from .session import Session
from .span_keys import SpanKeys
from .settings import Settings


def apply_language(lang: str) -> None:
    """Set the interface language; Arabic mirrors the whole application (menus, docks, dialogs)."""
    set_language(lang)
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft if language() == AR
                                    else Qt.LayoutDirection.LeftToRight)


class MainWindow(QMainWindow):
    live: "MainWindow | None" = None  # the window in use; a language switch replaces it

    def __init__(self, session: Session, settings: Settings):
        super().__init__()
        MainWindow.live = self
        self._lang = language()  # the language this window was built in (a switch builds its successor first)
        self.session, self.settings = session, settings
        self.setWindowTitle(f"Tawsim — توسيم — {session.project.path.name}")

        self.view = ArticleView(self)
        self.view.set_point_size(settings.font_size)
        self.palette = LabelPalette(self)
        self.palette.set_labels(session.project.labels("entity"))
        central = QWidget(self)
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.palette)
        lay.addWidget(self.view, 1)
        self.setCentralWidget(central)

        self.documents = DocumentListPanel(session, self)
        # The document list sits where reading starts: left in English, right in Arabic (Qt does not mirror docks).
        start, end = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        if language() == AR:
            start, end = end, start
        self.documents.setMinimumWidth(280)
        self.documents_dock = self._dock("documentsDock", t("Documents"), self.documents, start)

        self.controller = AnnotationController(session, self.view, self)
        self.find_bar = FindBar(session, self.view, self.controller, self)
        lay.insertWidget(1, self.find_bar)
        self.assist = AssistController(session, self.view, self.controller, self)
        self.span_keys = SpanKeys(session, self.view, self)
        self.notes = NoteController(session, self.view, self.controller, self)
        self.quotes = QuotePanel(session, self.controller, self)
        self.stances = StancePanel(session, self.controller, self)
        self.quotes_dock = self._dock("quotesDock", t("Quotes"), self.quotes, end)
        self.stances_dock = self._dock("stanceDock", t("Stance"), self.stances, end)
        self.guidelines = GuidelinesPanel(session.project, self)
        self.guidelines_dock = self._dock("guidelinesDock", t("Guidelines"), self.guidelines, end)
        self.entities = EntityListPanel(session, self)
        self.entities_dock = self._dock("entitiesDock", t("Entities"), self.entities, end)
        self.tabifyDockWidget(self.stances_dock, self.guidelines_dock)
        self.tabifyDockWidget(self.stances_dock, self.entities_dock)
        self.stances_dock.raise_()
        self.guidelines.labelsChanged.connect(self._labels_changed)
        self._docks_sized = False
        session.hint.connect(self._show_hint)
        self.palette.labelChosen.connect(lambda name: (self.controller.apply_label(name), self.view.setFocus()))
        self.documents.documentActivated.connect(session.open_document)
        self.live_list = LiveList(session, self.documents, self)  # others' committed edits show in the list

        self.progress = QProgressBar(self)
        self.progress.setObjectName("progress")
        self.progress.setMaximumWidth(260)
        self.annotator_label = PlainLabel(self)
        self.suggestion_preview = PlainLabel(self)  # what Enter would store: label, or speaker, cue and kind
        self.suggestion_preview.setObjectName("suggestionPreview")
        self.suggestion_preview.setTextFormat(Qt.TextFormat.PlainText)
        self.suggestion_legend = PlainLabel(t("Suggestions: ▭ current (Enter; Shift+Enter: all like it; Backspace: "
                                          "reject) · ┄ others"), self)
        self.suggestion_legend.setObjectName("suggestionLegend")
        self.suggestion_legend.setStyleSheet("color: #666;")
        self.statusBar().addWidget(self.suggestion_preview, 1)
        self.statusBar().addPermanentWidget(self.suggestion_legend)
        self.assist.changed.connect(lambda: self.suggestion_preview.setText(self.assist.describe()))
        self.model_label = PlainLabel(self)  # which model suggests, and how good it is (plain text)
        self.model_label.setTextFormat(Qt.TextFormat.PlainText)
        self.assist.model.status.connect(self.model_label.setText)
        self.statusBar().addPermanentWidget(self.model_label)
        self.statusBar().addPermanentWidget(self.annotator_label)
        self.statusBar().addPermanentWidget(self.progress)

        self.actions: dict[str, QAction] = {}
        self.review = ReviewMenu(self, session, self.view, self.actions)
        self._build_menus()

        session.documentOpened.connect(self._show_set)
        session.annotationsChanged.connect(self._annotations_changed)
        session.statusChanged.connect(self._update_progress)
        self.live_list.changed.connect(self._update_progress)
        self.live_list.changed.connect(self.review.refresh_progress)  # the progress view is live
        session.statusChanged.connect(self.review.refresh_progress)
        if settings.geometry():
            self.restoreGeometry(settings.geometry())
        else:
            self.resize(1280, 800)
        self._update_progress()
        if session.current is None:
            session.open_first()
        else:
            self._show_set(session.current)
        self.review.sync()
        if session.read_only:
            self._show_read_only()
        self.view.setFocus()

    def _show_read_only(self) -> None:
        """A read-only window says so and offers no command that writes (its edits are refused by the session)."""
        self.statusBar().addPermanentWidget(PlainLabel(t("read-only"), self))
        for name in ("import", "merge", "importGazetteer", "annotatorName", "editLabels", "adjudicate",
                     "reviewerRole", "blind", "selfAdjudication"):
            self.actions[name].setEnabled(False)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # ---- menus ---------------------------------------------------------------------------------------------
    def _action(self, name: str, text: str, slot, *shortcuts: str | QKeySequence.StandardKey) -> QAction:
        a = QAction(text, self)
        a.setObjectName(name)
        if shortcuts:
            a.setShortcuts([QKeySequence(s) for s in shortcuts])
        a.triggered.connect(slot)
        self.addAction(a)
        self.actions[name] = a
        return a

    def _build_menus(self) -> None:
        mb = self.menuBar()
        stack = self.session.undo_stack
        m = mb.addMenu(t("&File"))
        m.addAction(self._action("openProject", t("Open project…"), self.open_project, "Ctrl+O"))
        m.addAction(self._action("import", t("Import…"), self.import_files, "Ctrl+I"))
        m.addAction(self._action("export", t("Export JSONL…"), self.export, "Ctrl+E"))
        m.addAction(self._action("exportAs", t("Export as…"), self.export_as))
        m.addAction(self._action("bundle", t("Bundle my work…"), self.bundle))
        m.addAction(self._action("merge", t("Merge bundles…"), self.merge))
        m.addSeparator()
        m.addAction(self._action("importGazetteer", t("Import gazetteer…"), self.import_gazetteer))
        m.addAction(self._action("annotatorName", t("Annotator name…"), self.change_annotator))
        m.addSeparator()
        m.addAction(self._action("quit", t("Quit"), self.close, QKeySequence.StandardKey.Quit))

        m = mb.addMenu(t("&Edit"))
        undo = stack.createUndoAction(self, t("Undo"))
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = stack.createRedoAction(self, t("Redo"))
        redo.setShortcuts(bound_once([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
                                     + QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)))
        for a, n, slot in ((undo, "undo", stack.undo), (redo, "redo", stack.redo)):
            a.triggered.disconnect()  # to the session's EditStack, which checks and commits before the stack moves
            a.triggered.connect(slot)
            a.setObjectName(n)
            self.addAction(a)
            self.actions[n] = a
            m.addAction(a)
        m.addAction(self._action("deleteSpan", t("Delete span"), self.controller.delete_selected))
        m.addAction(self._action("find", t("Find in the article…"), self.find_bar.open, QKeySequence.StandardKey.Find))
        m.addSeparator()
        m.addAction(self._action("editLabels", t("Edit labels…"), self.guidelines.open_label_editor))

        m = mb.addMenu(t("&Annotate"))
        m.addAction(self._action("doneNext", t("Done and next"), self.controller.done_and_next,
                                 "Ctrl+Return", "Ctrl+Enter"))
        m.addAction(self._action("skip", t("Skip"), self.controller.skip, "Ctrl+Shift+K"))
        m.addAction(self._action("flag", t("Flag…"), self.flag, "Ctrl+Shift+F"))
        m.addAction(self._action("acceptModel", t("Accept model suggestions above the threshold"),
                                 self.assist.accept_confident, "Ctrl+Shift+Return", "Ctrl+Shift+Enter"))
        m.addAction(self._action("retrainModel", t("Retrain the model now"), self.assist.model.retrain))
        a = self._action("activeOrder", t("Next document: the one the model is least sure of"),
                         lambda on: setattr(self.controller, "next_chooser",
                                            self.assist.model.most_uncertain if on else None))
        a.setCheckable(True)
        m.addAction(a)
        m.addSeparator()
        m.addAction(self._action("nextDoc", t("Next document"), lambda: self.controller.go(+1), "Ctrl+PgDown"))
        m.addAction(self._action("prevDoc", t("Previous document"), lambda: self.controller.go(-1), "Ctrl+PgUp"))

        m = mb.addMenu(t("&Review"))
        review = self.review
        m.addAction(self._action("adjudicate", t("Adjudicate…"), review.open_review, "Ctrl+Shift+R"))
        m.addAction(self._action("agreement", t("Agreement…"), review.open_agreement))
        m.addAction(self._action("progress", t("Progress…"), review.open_progress))
        a = self._action("reviewerRole", t("I am the reviewer"), review.toggle_reviewer)
        a.setCheckable(True)
        m.addAction(a)
        a = self._action("blind", t("Blind annotation"), review.toggle_blind)
        a.setCheckable(True)
        m.addAction(a)
        a = self._action("selfAdjudication", t("Reviewers may adjudicate their own documents"),
                         review.toggle_self_adjudication)
        a.setCheckable(True)
        m.addAction(a)

        m = mb.addMenu(t("&View"))
        a = self._action("showOthers", t("Show other annotators' spans"), review.show_others)
        a.setCheckable(True)
        m.addAction(a)
        a = self._action("suggestions", t("Show suggestions"), self.assist.set_enabled)
        a.setCheckable(True)
        a.setChecked(True)
        m.addAction(a)
        m.addAction(self._action("zoomIn", t("Bigger text"), lambda: self.zoom(+1), "Ctrl+=", "Ctrl++"))
        m.addAction(self._action("zoomOut", t("Smaller text"), lambda: self.zoom(-1), "Ctrl+-"))
        for d in (self.documents_dock, self.quotes_dock, self.stances_dock, self.guidelines_dock, self.entities_dock):
            m.addAction(d.toggleViewAction())
        m.addSeparator()
        m.addAction(self._action("shortcuts", t("Keyboard shortcuts…"), self.show_shortcuts, "F1", "?"))
        lang_menu = m.addMenu(t("Interface language"))
        for code, name in ((EN, "English"), (AR, "العربية")):
            a = self._action(f"lang-{code}", name, lambda _=False, c=code: self.switch_language(c))
            a.setCheckable(True)
            a.setChecked(language() == code)
            lang_menu.addAction(a)

    # ---- slots ---------------------------------------------------------------------------------------------
    def _show_set(self, aset) -> None:
        self.view.show_set(aset, self.session.project.labels("entity"))
        self.view.set_grey(boilerplate_lines(aset.document.text))
        self.view.set_selected_entity(self.session.selected_entity)
        self.setWindowTitle(f"Tawsim — {aset.document.id} — {self.session.project.path.name}"
                            + (f" ({t('read-only')})" if self.session.read_only else ""))
        self.review.show_others()
        self.view.setFocus()

    def _annotations_changed(self, doc_key: int) -> None:
        if doc_key == self.session.doc_key and self.session.current is not None:
            self.view.show_set(self.session.current, self.session.project.labels("entity"))
            self.view.set_selected_entity(self.session.selected_entity)

    def _labels_changed(self) -> None:
        """The label set was edited: repaint everything that shows labels. Undo history is cleared because its
        commands name labels that may no longer exist."""
        self.palette.set_labels(self.session.project.labels("entity"))
        self.stances.rebuild_buttons()
        self.session.undo_stack.clear()
        if self.session.doc_key is not None:
            self.session.open_document(self.session.doc_key)
        self.documents.model.refresh_rows()

    def _show_hint(self, msg: str) -> None:
        self.statusBar().showMessage(msg, 8000)

    def _update_progress(self, *_) -> None:
        done, total = self.session.progress()
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(t("{done} of {total} done", done=done, total=total))
        self.annotator_label.setText(t("Annotator: {name}", name=self.session.annotator))

    def show_shortcuts(self) -> None:
        from .shortcut_sheet import ShortcutSheet

        self.shortcut_sheet = ShortcutSheet(self)
        self.shortcut_sheet.show()

    def zoom(self, step: int) -> None:
        size = max(8, min(48, self.view.point_size() + step))
        self.view.set_point_size(size)
        self.settings.font_size = size

    def flag(self) -> None:
        comment, ok = QInputDialog.getText(self, t("Flag document"), t("What is wrong with this document?"))
        if ok:
            self.controller.flag(comment)

    def change_annotator(self) -> None:
        name = ask_annotator_name(self, self.session.annotator)  # refuses gold, look-alikes, control characters
        if name is not None:
            self.settings.annotator = name
            self.session.set_annotator(name)
            self.documents.model.reload()
            self._update_progress()

    def import_files(self) -> None:
        from .import_export import import_interactively  # the importers load when first used, not at start

        if import_interactively(self, self.session.project, self.session.annotator):
            self.palette.set_labels(self.session.project.labels("entity"))  # a corpus may bring labels
            self.guidelines.refresh()
            self.documents.model.reload()
            self._update_progress()
            if self.session.current is None:
                self.session.open_first()

    def export_as(self) -> None:
        from .import_export import export_format_interactively

        export_format_interactively(self, self.session.project)

    def bundle(self) -> None:
        from .exchange import bundle_interactively  # signing and its cryptography load when first used

        bundle_interactively(self, self.session.project, self.session.annotator)

    def merge(self) -> None:
        from .exchange import merge_interactively

        if merge_interactively(self, self.session.project, self.session.annotator):
            self.documents.model.reload()
            self.review.sync()
            if self.session.doc_key is not None:
                self.session.open_document(self.session.doc_key)

    def import_gazetteer(self) -> None:
        from .import_export import import_gazetteer_interactively

        done = import_gazetteer_interactively(self, self.session.project)
        if done is not None:
            self.assist._known = None  # re-read the names
            self.assist.refresh()
            self.statusBar().showMessage(t("Imported {n} new names from {path}", n=done[0], path=done[1]), 8000)

    def export(self) -> None:
        from .export_dialog import export_interactively  # the exporters load when first used

        export_interactively(self, self.session.project)

    def open_project(self, project=None) -> "MainWindow":
        """Another project (a file or a server URL) in a new window; this one closes once the new one is open."""
        project = project or ask_and_open(self)
        if project is None:
            return self
        old = self.session.project
        new = MainWindow(Session(project, self.session.annotator), self.settings)
        new.setGeometry(self.geometry())
        new.show()
        # The old project closes with its window, after anything the window still has queued (e.g. suggestions).
        self.destroyed.connect(old.close)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close()
        return new

    def switch_language(self, lang: str) -> "MainWindow":
        """Rebuild the window in the other language; the session (document, selection, undo history) carries on."""
        if lang == language():
            return self
        self.settings.language = lang
        apply_language(lang)
        new = MainWindow(self.session, self.settings)
        new.setGeometry(self.geometry())
        new.show()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close()
        return new

    def showEvent(self, e) -> None:
        super().showEvent(e)
        if not self._docks_sized:
            self._docks_sized = True  # once the window has its real size: this language's layout as it was left
            state = self.settings.window_state(self._lang)
            if not (state and self.restoreState(state)):
                self._size_docks()  # first start: room for ids and quotes

    def _size_docks(self) -> None:
        self.resizeDocks([self.documents_dock], [330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.quotes_dock], [380], Qt.Orientation.Horizontal)

    def closeEvent(self, e: QCloseEvent) -> None:
        self.settings.set_geometry(self.saveGeometry())
        self.review.close_windows()
        self.settings.set_window_state(self._lang, self.saveState())
        super().closeEvent(e)
