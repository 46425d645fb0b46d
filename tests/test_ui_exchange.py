"""Bundle and merge from the File menu: an annotator's desktop to the reviewer's."""
from __future__ import annotations

import pytest
from gui_helpers import drag_select, make_window, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core.exchange.importer import import_sources
from app.core.store import Project

pytestmark = pytest.mark.gui


def test_bundle_on_one_desktop_merge_on_another(qtbot, project, tmp_path, monkeypatch, seeds_dir):
    win = make_window(qtbot, project, tmp_path, annotator="amal")
    s16, e16 = qt_find(win.view, "نواف العنزي")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_1)
    bundle = tmp_path / "amal.tawsim-bundle.jsonl"
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: infos.append(a[2]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(bundle), ""))
    win.actions["bundle"].trigger()
    assert bundle.exists()

    reviewer = Project.create(tmp_path / "reviewer.db")
    import_sources(reviewer, [seeds_dir])
    (tmp_path / "r").mkdir()
    rwin = make_window(qtbot, reviewer, tmp_path / "r", annotator="rana")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bundle)], ""))
    rwin.actions["merge"].trigger()
    doc = reviewer.document("kuwait-nato-anezi").key
    assert [e.text for e in reviewer.load(doc, "amal").entities] == ["نواف العنزي"]
    rwin.actions["merge"].trigger()  # merging twice changes nothing
    assert "unchanged" in infos[-1]
    assert [e.text for e in reviewer.load(doc, "amal").entities] == ["نواف العنزي"]


def test_a_bundle_with_a_new_key_merges_only_once_the_reviewer_confirms(qtbot, tmp_path, monkeypatch, seeds_dir):
    """Issue 13 item 8 in the window: the pinned key's mismatch is shown, and Yes accepts the new key."""
    from bundle_helpers import later

    from app.core.exchange import signing
    from app.core.exchange.bundle import write_bundle
    from app.core.exchange.merge import PINNED_KEYS

    desk = Project.create(tmp_path / "desk.db")
    import_sources(desk, [seeds_dir])
    doc = desk.document("kuwait-nato-anezi").key
    desk.add_entity(doc, "amal", 0, 3, "PER")
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    write_bundle(desk, old, "amal", key=signing.installation_key(tmp_path / "old.pem"))
    desk.add_entity(doc, "amal", 4, 9, "GPE")
    desk.stamp_set(doc, "amal", later())  # within the same second as the first bundle otherwise
    write_bundle(desk, new, "amal", key=signing.installation_key(tmp_path / "new.pem"))  # a new installation
    desk.close()

    reviewer = Project.create(tmp_path / "reviewer.db")
    import_sources(reviewer, [seeds_dir])
    rwin = make_window(qtbot, reviewer, tmp_path, annotator="rana")
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    asked = []
    answer = QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer)
    for path in (old, new):
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, p=path, **k: ([str(p)], ""))
        rwin.actions["merge"].trigger()
    assert "Accept the new signing key of amal?" in asked[-1] and "--accept-new-key amal" in asked[-1]
    assert len(reviewer.load(doc, "amal").entities) == 1  # No: the old key's set stays
    answer = QMessageBox.StandardButton.Yes
    rwin.actions["merge"].trigger()
    assert len(reviewer.load(doc, "amal").entities) == 2
    pinned = reviewer.setting(PINNED_KEYS)["amal"]["public_key"]
    assert pinned == signing.public_key_text(signing.installation_key(tmp_path / "new.pem"))
