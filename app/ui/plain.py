"""Data in the window is shown as plain text, never read by Qt as rich text or style.

Why: names, labels, ids, cues, quotes and file contents come from imports and bundles other people made. Qt reads
any string that *looks* like HTML as rich text in labels, tooltips, message boxes and input-dialog prompts
(Qt::mightBeRichText), so `<img src="file:///etc/passwd">` in an annotator's name would load a local file and
`<b>` would restyle a dialog; a colour pasted into a style sheet can load files too (`url(...)`). Every place
in app/ui that shows data goes through one of these helpers (tests/test_ui_plain_text.py walks the widgets):

- `PlainLabel`: a QLabel that is always plain text (use it for every label);
- `plain(text)`: for places that take a string and decide for themselves (tooltips, QMessageBox, QInputDialog and
  QProgressDialog prompts, model ToolTipRole): the text unchanged when Qt reads it as plain anyway, else escaped
  and wrapped so Qt's rich text shows exactly these characters;
- `html_text(text)`: for places that always read HTML (QtCharts labels);
- `menu_text(text)`: for QAction, button and undo command text, where "&" would mark a shortcut letter;
- `style_colour(colour)`: the only way a label colour enters a style sheet (#RRGGBB, else a neutral grey);
- `SafeTextBrowser`: Markdown guidelines rendered without raw HTML and without loading any image or file, and
  with only web and mail links opened (outside, in the browser).
"""
from __future__ import annotations

import html

from PySide6.QtCore import QByteArray, QUrl, Qt
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtWidgets import QLabel, QMessageBox, QTextBrowser

from ..core.labels import check_colour
from ..core.model import AnnotationError

NEUTRAL_COLOUR = "#999999"
OPENABLE_SCHEMES = ("http", "https", "mailto")


def plain(text: str) -> str:
    """`text` as a string every auto-detecting Qt place shows literally (same characters, line breaks kept)."""
    text = str(text)
    if not GuiQt.mightBeRichText(text):
        return text
    return '<p style="white-space:pre-wrap">' + html.escape(text, quote=False) + "</p>"


class PlainLabel(QLabel):
    """A QLabel whose text is never read as rich text."""

    def __init__(self, text: str = "", parent=None):
        if not isinstance(text, str):  # PlainLabel(parent)
            text, parent = "", text
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)


def html_text(text: str) -> str:
    """Text for places that always read HTML (QtCharts axis labels): every character shown as itself."""
    return html.escape(str(text), quote=False)


def menu_text(text: str) -> str:
    """Text for a QAction or QUndoCommand: "&" shown as itself, not as a shortcut marker."""
    return text.replace("&", "&&")


def style_colour(colour: str) -> str:
    """A label colour fit for a style sheet: #RRGGBB as stored, anything else (an old project's) a neutral grey."""
    try:
        return check_colour(colour)
    except AnnotationError:
        return NEUTRAL_COLOUR


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser for text a user wrote: Markdown without raw HTML, no resource ever loaded (images, style
    sheets: local files and URLs alike), links opened only when they are web or mail addresses."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)  # a clicked link never loads a file into the view
        self.anchorClicked.connect(self._open_outside)

    def set_markdown(self, text: str) -> None:
        self.document().setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownNoHTML
                                    | QTextDocument.MarkdownFeature.MarkdownDialectGitHub)

    def loadResource(self, kind: int, name: QUrl):  # noqa: N802 (Qt's name)
        # Always a value, if empty: when this returns nothing, QTextDocument reads local files itself.
        image = QTextDocument.ResourceType.ImageResource
        return QImage() if kind in (image, image.value) else QByteArray()

    @staticmethod
    def _open_outside(url: QUrl) -> None:
        if url.scheme().lower() in OPENABLE_SCHEMES:
            QDesktopServices.openUrl(url)


def confirm(parent, title: str, text: str) -> bool:
    """A Yes/No question whose text holds data (a selected word): shown as plain text, No by default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
