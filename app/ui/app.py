"""Start the window: `tawsim [PROJECT.db | postgresql://URL] [--annotator NAME] [--screenshot OUT.png]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence

from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from ..core.defaults import default_project_path, open_or_create_with_seeds
from ..core.store import Project, ProjectError
from ..core.store.location import is_server_url
from .fonts import arabic_family
from .i18n import t
from .settings import Settings


def ensure_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Tawsim")
    app.setOrganizationName("Tawsim")
    arabic_family()
    return app


def ask_annotator(settings: Settings) -> Optional[str]:
    """The annotator's name: remembered in QSettings, asked for on first start."""
    if settings.annotator:
        return settings.annotator
    name, ok = QInputDialog.getText(None, t("Annotator name"), t("Your name (every annotation is saved under it):"))
    if not ok or not name.strip():
        return None
    settings.annotator = name.strip()
    return settings.annotator


def open_server_project(url: str):
    """Open a project on a PostgreSQL server; if that fails (server down, login refused…), say why in one line
    and offer to try again. None when the user gives up."""
    while True:
        try:
            return Project.open(url)
        except ProjectError as exc:
            buttons = QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel
            answer = QMessageBox.critical(None, "Tawsim", str(exc), buttons, QMessageBox.StandardButton.Retry)
            if answer != QMessageBox.StandardButton.Retry:
                return None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="tawsim", description="Open the annotation window "
                                "(or run a command: tawsim init|import|export|validate|stats --help).")
    p.add_argument("project", nargs="?", help="project file or PostgreSQL URL (default: the per-user default project)")
    p.add_argument("--annotator", help="annotate under this name (default: the remembered name)")
    p.add_argument("--screenshot", metavar="OUT.png", help="render the window on the first article to a PNG")
    p.add_argument("--lang", choices=("en", "ar"), help="interface language (default: the remembered one)")
    return p.parse_args(argv)


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    app = ensure_app()
    settings = Settings()
    from .main_window import apply_language

    if args.lang and not args.screenshot:  # a screenshot does not change the remembered choice
        settings.language = args.lang
    apply_language(args.lang or settings.language)
    if args.screenshot:
        from .screenshot import render_screenshot

        render_screenshot(args.screenshot, Path(args.project) if args.project else None)
        print(f"wrote {args.screenshot}")
        return 0
    if args.project and is_server_url(args.project):
        project = open_server_project(args.project)
        if project is None:
            return 1
        path = project.path
    else:
        path = Path(args.project) if args.project else default_project_path()
        try:
            project = open_or_create_with_seeds(path) if not args.project or path.exists() else None
        except ProjectError as exc:
            QMessageBox.critical(None, "Tawsim", str(exc))
            return 1
    if project is None:
        print(f"tawsim: {path}: no such project (create it with `tawsim init {path}`)", file=sys.stderr)
        return 1
    annotator = args.annotator or ask_annotator(settings)
    if not annotator:
        return 1
    from .main_window import MainWindow
    from .session import Session

    session = Session(project, annotator)
    MainWindow(session, settings).show()  # MainWindow.live keeps it (and its language-switch successor) alive
    code = app.exec()
    project.close()
    return code
