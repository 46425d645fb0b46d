"""The annotator-name dialog (first start and File → Annotator name…): asks until the name passes the core's rule
(core/names.py), saying why a name was refused. "gold" is the adjudicated set: annotating under it would write
straight into the reviewers' gold standard."""
from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ..core.names import AnnotatorNameError, check_annotator_name
from .i18n import t
from .plain import plain


def ask_annotator_name(parent: Optional[QWidget], current: str = "") -> Optional[str]:
    """The name typed (white space around it trimmed, as in any form field) once it is one a person may use;
    None if the user cancels."""
    text = current
    while True:
        name, ok = QInputDialog.getText(parent, t("Annotator name"),
                                        t("Your name (every annotation is saved under it):"), text=text)
        if not ok:
            return None
        name = name.strip()
        try:
            return check_annotator_name(name)
        except AnnotatorNameError as exc:
            QMessageBox.warning(parent, t("Annotator name"), plain(str(exc)))
            text = name
