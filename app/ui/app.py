"""Start the window: `tawsim [PROJECT.db | postgresql://URL] [--annotator NAME] [--screenshot OUT.png]`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.names import AnnotatorNameError, check_annotator_name
from ..core.store import Project, ProjectError
from ..core.store.location import is_server_url
from .fonts import arabic_family
from .i18n import t
from .name_dialog import ask_annotator_name
from .plain import plain
from .settings import Settings


# Qt platforms that need no X11 or Wayland display (offscreen rendering, a VNC server, the framebuffer).
NO_DISPLAY_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "minimalegl", "vkkhrdisplay")


def no_display_message(env=None, platform: str = sys.platform) -> Optional[str]:
    """Why the window cannot open, in one line, or None. Checked before Qt starts: without a display Qt aborts
    the process with a misleading hint about libxcb-cursor0."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return None
    if env.get("QT_QPA_PLATFORM", "").split(":")[0] in NO_DISPLAY_PLATFORMS:
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return ("tawsim: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set): run it in a desktop session, "
            "or use the headless commands (tawsim --help)")


def ensure_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Tawsim")
    app.setOrganizationName("Tawsim")
    arabic_family()
    return app


def ask_annotator(settings: Settings) -> Optional[str]:
    """The annotator's name: remembered in QSettings, asked for on first start (and again if the remembered one is
    no longer allowed, e.g. "gold")."""
    if settings.annotator:
        try:
            return check_annotator_name(settings.annotator)
        except AnnotatorNameError:
            pass
    name = ask_annotator_name(None, settings.annotator)
    if name is None:
        return None
    settings.annotator = name
    return name


def confirm_open(project: Project, annotator: str) -> Optional[bool]:
    """If the project is already open for `annotator` (another window or process), say so and ask: read-only
    (True), open anyway (False) or cancel (None). Not open elsewhere: False, without asking."""
    others = project.open_elsewhere(annotator)
    if not others:
        return False
    where = "\n".join(t("process {pid} on {host}, since {when}", pid=o.pid, host=o.host, when=o.started_at)
                      for o in others)
    box = QMessageBox(QMessageBox.Icon.Warning, "Tawsim",
                      t("{path} is already open for {name} in another window:\n{where}\n\nTwo windows annotating as "
                        "the same person can undo each other's work. Open it read-only, or open it anyway?",
                        path=str(project.path), name=annotator, where=where),
                      QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ignore
                      | QMessageBox.StandardButton.Cancel)
    box.setTextFormat(Qt.TextFormat.PlainText)  # names and paths are data
    box.button(QMessageBox.StandardButton.Open).setText(t("Open read-only"))
    box.button(QMessageBox.StandardButton.Ignore).setText(t("Open anyway"))
    box.setDefaultButton(QMessageBox.StandardButton.Open)
    choice = box.exec()
    if choice == QMessageBox.StandardButton.Open:
        return True
    return False if choice == QMessageBox.StandardButton.Ignore else None


def open_server_project(url: str):
    """Open a project on a PostgreSQL server; if that fails (server down, login refused…), say why in one line
    and offer to try again. None when the user gives up."""
    while True:
        try:
            return Project.open(url)
        except ProjectError as exc:
            buttons = QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel
            answer = QMessageBox.critical(None, "Tawsim", plain(str(exc)), buttons, QMessageBox.StandardButton.Retry)
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
    if args.screenshot and no_display_message():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    problem = no_display_message()
    if problem and QApplication.instance() is None:
        print(problem, file=sys.stderr)
        return 2
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
    if args.annotator is not None:
        try:
            check_annotator_name(args.annotator)
        except AnnotatorNameError as exc:
            print(f"tawsim: --annotator: {exc}", file=sys.stderr)
            return 2
    from ..core.exchange.defaults import default_project_path, open_or_create_with_seeds  # here: the window
    # module loads without the importers (the benchmark times the window from process start)

    if args.project and is_server_url(args.project):
        project = open_server_project(args.project)  # offers Retry; None if the user gave up
        if project is None:
            return 1
        path = project.path
    else:
        path = Path(args.project) if args.project else default_project_path()
        try:
            project = open_or_create_with_seeds(path) if not args.project or path.exists() else None
        except ProjectError as exc:
            QMessageBox.critical(None, "Tawsim", plain(str(exc)))
            return 1
    if project is None:
        print(f"tawsim: {path}: no such project (create it with `tawsim init {path}`)", file=sys.stderr)
        return 1
    # On a server the login is the annotator (the database refuses writes under any other name): no name to ask.
    annotator = project.login_name() or args.annotator or ask_annotator(settings)
    if not annotator:
        return 1
    from .main_window import MainWindow
    from .session import Session

    read_only = confirm_open(project, annotator)
    if read_only is None:
        project.close()
        return 1
    session = Session(project, annotator, read_only=read_only)
    MainWindow(session, settings).show()  # MainWindow.live keeps it (and its language-switch successor) alive
    code = app.exec()
    session.close()
    project.close()
    return code
