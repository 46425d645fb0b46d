"""Imported data is shown as plain text everywhere in the window (app/ui/plain.py).

A project is filled, through a real import, with an annotator name, a label, a document id and title, a quote, a
cue, a speaker, a stance target and a comment that are all `<img src="file:///etc/passwd"><b>x</b>`. The main
window, the adjudication window, the agreement dashboard, the label editor, the quote and stance panels, real
tooltips and an error dialog are opened, and then every widget is walked: any label or tooltip that holds the
data must *show* it character for character, as Qt will render it (rich text would turn it into an image of
/etc/passwd and bold text)."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QHelpEvent, QImage, QTextCursor, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QColorDialog, QFileDialog, QInputDialog, QLabel,
                               QMessageBox)

from app.core.store.guidelines import set_guidelines
from app.core.exchange.importer import import_sources
from app.core.model import ENTITY, Label
from app.core.store import Project
from app.ui.agreement_dashboard import AgreementDashboard
from app.ui.label_editor import LabelEditor
from app.ui.review_window import ReviewWindow
from gui_helpers import make_window

PAYLOAD = '<img src="file:///etc/passwd"><b>x</b>'
LABEL = "<b>x</b>"  # label names have no spaces
SHOWN = 'src="file:///etc/passwd"'  # what only a literal rendering still contains


def displayed(text: str, fmt=Qt.TextFormat.AutoText) -> str:
    """The characters Qt shows for `text` in a place with text format `fmt` (tooltips and dialogs are Auto)."""
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def rich_data() -> list[str]:
    """Every label and tooltip on screen that holds the data but would not show it literally."""
    bad = []
    for w in QApplication.allWidgets():
        where = f"{type(w).__name__} {w.objectName()!r}"
        if isinstance(w, QLabel) and "passwd" in w.text() and SHOWN not in displayed(w.text(), w.textFormat()):
            bad.append(f"{where}: label {w.text()!r}")
        if "passwd" in w.toolTip() and SHOWN not in displayed(w.toolTip()):
            bad.append(f"{where}: tooltip {w.toolTip()!r}")
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            cols = 1 if isinstance(m, QAbstractListModel) else m.columnCount(QModelIndex())
            for r in range(min(m.rowCount(QModelIndex()), 100)):
                for c in range(cols):
                    tip = m.data(m.index(r, c), Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str) and "passwd" in tip and SHOWN not in displayed(tip):
                        bad.append(f"{where}: item tooltip ({r}, {c}) {tip!r}")
    return bad


def shows_data(label: QLabel) -> bool:
    return PAYLOAD in displayed(label.text(), label.textFormat())


@pytest.fixture
def hostile(tmp_path):
    """One article whose id, title, quote, cue, speaker, stance target and comment are the payload, annotated by
    an annotator named as the payload and by sara (so there is something to adjudicate), with a label named
    <b>x</b> whose Arabic name is the payload."""
    p = Project.create(tmp_path / "hostile.db")
    p.add_label(Label(LABEL, ENTITY, PAYLOAD, "#123456", "8"))
    text = f"{PAYLOAD} قال: «{PAYLOAD} الكويت شريك متميز».\n"
    cue = (0, len(PAYLOAD))
    q0 = text.index("«") + 1
    quote = (q0, text.index("»"))
    ents = [{"id": "e1", "start": q0, "end": q0 + len(PAYLOAD), "label": LABEL}]
    k = text.index("الكويت")

    def line(annotator, extra):
        return {"id": PAYLOAD, "text": text, "annotator": annotator, "status": "flagged",
                "entities": ents + extra,
                "quotes": [{"id": "q1", "start": quote[0], "end": quote[1], "speaker_text": PAYLOAD,
                            "cue": {"start": cue[0], "end": cue[1]}, "kind": "direct"}],
                "stances": [{"id": "s1", "label": "favor", "target_text": PAYLOAD, "scope": "document"}]}

    src = tmp_path / "hostile.jsonl"
    src.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in (
        line(PAYLOAD, []), line("sara", [{"id": "e2", "start": k, "end": k + 6, "label": "GPE"}]))) + "\n",
        encoding="utf-8")
    import_sources(p, [src])
    doc = p.document(PAYLOAD)
    p.set_status(doc.key, PAYLOAD, "flagged", comment=PAYLOAD)
    p.set_role(PAYLOAD, "reviewer")
    yield p
    p.close()


def hover(widget, pos: QPoint) -> None:
    """A real tooltip request, as the mouse resting on `pos` sends it (to the active window, as Qt wants)."""
    widget.window().activateWindow()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))


def tip_labels() -> list[QLabel]:
    return [w for w in QApplication.allWidgets() if w.metaObject().className() == "QTipLabel" and w.isVisible()]


@pytest.mark.real_dialogs
def test_every_label_tooltip_and_dialog_shows_data_as_plain_text(qtbot, hostile, tmp_path, monkeypatch):
    win = make_window(qtbot, hostile, tmp_path, annotator=PAYLOAD)
    assert win.session.current is not None and win.session.current.document.id == PAYLOAD
    win.session.select_quote("q1")
    assert shows_data(win.annotator_label)  # "Annotator: <img …>" in the status bar
    assert shows_data(win.quotes.cue)  # the cue's text
    # Real tooltips: the mouse on a palette button and on the quote row.
    button = win.palette.buttons[LABEL]
    hover(button, QPoint(3, 3))
    qtbot.waitUntil(lambda: any("passwd" in w.text() for w in tip_labels()), timeout=3000)
    assert rich_data() == []
    table = win.quotes.table
    hover(table.viewport(), table.visualRect(table.model().index(0, 1)).center())
    qtbot.waitUntil(lambda: any("الكويت" in w.text() for w in tip_labels()), timeout=3000)
    assert rich_data() == []

    review = ReviewWindow(hostile, "rana")
    qtbot.addWidget(review)
    review.show()
    assert shows_data(review.legend)  # "1/A = <img …>  2/B = sara"
    dash = AgreementDashboard(hostile)
    qtbot.addWidget(dash)
    dash.show()
    assert shows_data(dash.summary)  # the annotators' names
    # QtCharts reads axis labels as HTML: the label <b>x</b> must read as itself, not as a bold x.
    axis = next(a for a in dash.chart_view.chart().axes() if hasattr(a, "categories"))
    assert LABEL in [_html(c) for c in axis.categories()]
    editor = LabelEditor(hostile, win)
    qtbot.addWidget(editor)
    editor.show()
    assert rich_data() == []

    # An error dialog whose message quotes the data: the window's import of a line reusing the id.
    bad = tmp_path / "clash.jsonl"
    bad.write_text(json.dumps({"id": PAYLOAD, "text": "نص آخر"}, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bad)], ""))
    seen = []

    def inspect():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, inspect)
            return
        label = box.findChild(QLabel, "qt_msgbox_label")
        seen.append((displayed(label.text(), label.textFormat()), rich_data()))
        box.done(0)

    QTimer.singleShot(0, inspect)
    assert win.import_files() is None
    (shown, problems), = seen
    assert f"{bad}:1: id {PAYLOAD!r} is already used" in shown and problems == []


def _html(fragment: str) -> str:
    doc = QTextDocument()
    doc.setHtml(fragment)
    return doc.toPlainText()


def test_guidelines_render_markdown_but_load_no_image_and_open_no_file(qtbot, project, tmp_path):
    """The guidelines are user content: Markdown renders, but an image (Markdown or HTML) from a local path is
    never read, and following a file: link does not load the file into the panel."""
    marker = tmp_path / "marker.png"
    img = QImage(40, 40, QImage.Format.Format_RGB32)
    img.fill(Qt.GlobalColor.red)
    img.save(str(marker))
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET CONTENTS", encoding="utf-8")
    url = QUrl.fromLocalFile(str(marker)).toString()
    link = QUrl.fromLocalFile(str(secret)).toString()
    set_guidelines(project, f"# Rules\n\n[the file]({link})\n\n![m]({url})\n\n<img src=\"{marker}\">\n")
    win = make_window(qtbot, project, tmp_path)
    browser = win.guidelines.browser
    win.guidelines_dock.raise_()
    browser.grab()  # lay out and paint: images are fetched now
    assert "Rules" in browser.toPlainText()
    for name in (url, str(marker)):
        res = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert res is None or res.size().width() <= 1, name  # the 40x40 file never loaded
    # A click on the link.
    found = browser.document().find("the file")
    assert not found.isNull()
    cur = QTextCursor(browser.document())
    cur.setPosition(found.selectionStart() + 2)
    QTest.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     browser.cursorRect(cur).center())
    assert "SECRET" not in browser.toPlainText() and "Rules" in browser.toPlainText()
    assert browser.source().isEmpty()


def test_the_name_dialog_refuses_gold_and_look_alikes(qtbot, project, tmp_path, monkeypatch):
    win = make_window(qtbot, project, tmp_path)
    typed = iter([("gold", True), (" Gold ", True), ("g\u200bold", True), ("nour", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(typed))
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    win.actions["annotatorName"].trigger()
    assert len(warned) == 3 and all("reserved" in w for w in warned)
    assert win.session.annotator == "nour" and win.settings.annotator == "nour"
    assert "gold" in project.annotators(include_gold=True) and project.role("gold") == "gold"
    # Cancel after a refusal keeps the name in use.
    typed = iter([("GOLD", True), ("", False)])
    win.actions["annotatorName"].trigger()
    assert win.session.annotator == "nour"


def test_a_hostile_colour_never_reaches_a_style_sheet(qtbot, project, tmp_path):
    """A project written before colours were checked (or edited by hand) may hold any text as a colour: the window
    shows a neutral colour instead of pasting it into a style sheet."""
    project.conn.execute("UPDATE labels SET color = 'url(/etc/passwd)' WHERE name IN ('PER', 'favor')")
    project._labels_cache = None
    win = make_window(qtbot, project, tmp_path)
    LabelEditor(project, win).show()
    sheets = [w.styleSheet() for w in QApplication.allWidgets()]
    assert any("#999999" in s for s in sheets)
    assert not any("url(" in s or "passwd" in s for s in sheets)


def test_the_label_editor_refuses_a_colour_that_is_not_rrggbb(qtbot, project, monkeypatch):
    """Whatever a colour dialog hands back, only #RRGGBB is stored; anything else is refused with the reason."""

    class Picked:  # what a (platform) colour dialog returns: a valid colour with a name
        def __init__(self, name):
            self._name = name

        def isValid(self):
            return True

        def name(self):
            return self._name

    editor = LabelEditor(project)
    qtbot.addWidget(editor)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: Picked("url(/etc/passwd)"))
    editor.choose_colour("ORG")
    assert warned and "#RRGGBB" in warned[0] and "url(/etc/passwd)" in warned[0]
    assert next(l for l in project.labels(ENTITY) if l.name == "ORG").color == "#8ecae6"
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: Picked("#a1b2c3"))
    editor.choose_colour("ORG")
    assert next(l for l in project.labels(ENTITY) if l.name == "ORG").color == "#a1b2c3"


# ---- the rule in the source: every place that shows data goes through app/ui/plain.py -----------------------------

UI = Path(__file__).resolve().parents[1] / "app" / "ui"
DIALOG_TEXT = {("QMessageBox", m): 2 for m in ("warning", "information", "critical", "question")} | {
    ("QInputDialog", m): 2 for m in ("getText", "getItem", "getInt", "getDouble", "getMultiLineText")}


def _constant_text(node: ast.AST) -> bool:
    """A literal, or t("literal") with no data filled in: our own words, never data."""
    if isinstance(node, ast.Constant):
        return True
    return (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "t" and not node.keywords
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant))


def _through(node: ast.AST, helper: str) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", "") == helper


def unsafe_calls(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func, where = node.func, f"{filename}:{node.lineno}"
        if getattr(func, "id", "") == "QLabel":
            found.append(f"{where}: QLabel( (use PlainLabel)")
        if isinstance(func, ast.Attribute):
            owner = getattr(func.value, "id", "")
            i = DIALOG_TEXT.get((owner, func.attr))
            if i is not None and len(node.args) > i and not (_constant_text(node.args[i])
                                                             or _through(node.args[i], "plain")):
                found.append(f"{where}: {owner}.{func.attr} text not through plain()")
            if func.attr == "setToolTip" and node.args and not _through(node.args[-1], "plain"):
                found.append(f"{where}: setToolTip not through plain()")
            if func.attr == "setStyleSheet" and node.args and isinstance(node.args[0], ast.JoinedStr):
                for part in node.args[0].values:
                    if isinstance(part, ast.FormattedValue) and not _through(part.value, "style_colour"):
                        found.append(f"{where}: data in a style sheet not through style_colour()")
    return found


@pytest.mark.parametrize("path", sorted(p for p in UI.glob("*.py") if p.name != "plain.py"), ids=lambda p: p.name)
def test_ui_module_shows_data_only_through_the_plain_helpers(path):
    assert unsafe_calls(path.read_text(encoding="utf-8"), path.name) == []


@pytest.mark.parametrize("source", [
    "QLabel(name, self)",
    "QMessageBox.warning(self, t('x'), str(exc))",
    "QMessageBox.question(self, t('x'), t('{n} of {name}', n=1, name=name), Yes)",
    "QInputDialog.getText(self, t('x'), t('New name for {name}:', name=old))",
    "item.setToolTip(0, lab.color)",
    "b.setStyleSheet(f'background: {lab.color};')",
])
def test_the_source_check_catches_data_outside_the_helpers(source):
    assert unsafe_calls(source, "x.py")


@pytest.mark.parametrize("source", [
    "PlainLabel(name, self)",
    "QMessageBox.warning(self, t('x'), plain(str(exc)))",
    "QInputDialog.getText(self, t('x'), t('Your name:'))",
    "item.setToolTip(0, plain(lab.color))",
    "b.setStyleSheet(f'background: {style_colour(lab.color)};')",
])
def test_the_source_check_allows_the_helpers(source):
    assert unsafe_calls(source, "x.py") == []
