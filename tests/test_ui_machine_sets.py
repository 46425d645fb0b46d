"""A model's predictions (a machine annotator's sets, `tawsim predict --as NAME`) are pre-annotations, not a
person's judgement: the adjudication window neither lists a document that only a model shares with one person, nor
shows the model as an annotator, nor puts it in gold's sources, unless the reviewer ticks the box; the agreement
dashboard leaves it out too."""
from __future__ import annotations

import pytest

from app.core.model import GOLD
from app.ui.agreement_dashboard import AgreementDashboard
from app.ui.review_window import ReviewWindow
from test_ui_review import span, three  # noqa: F401  (fixture: amal, omar, sara; 4 disagreements)

pytestmark = pytest.mark.gui


def test_adjudication_and_agreement_leave_machine_annotators_out_unless_asked(qtbot, project, three):
    other = project.document("kuwait-nato-colomina")
    project.register_machine("crf", "model ner (F1 0.71)")
    project.add_entity(three.key, "crf", *span(three.text, "الكويت"), "ORG")
    project.add_entity(three.key, "crf", *span(three.text, "نواف العنزي"), "LOC")
    project.add_entity(other.key, "amal", *span(other.text, "الناتو"), "ORG")
    project.add_entity(other.key, "crf", *span(other.text, "الناتو"), "LOC")

    win = ReviewWindow(project, "rana")
    qtbot.addWidget(win)
    listed = [win.docs.item(i).text() for i in range(win.docs.count())]
    assert listed == ["kuwait-nato-anezi  (3)"]  # colomina: amal and a model only
    assert win.annotators == ["amal", "omar", "sara"]
    headers = [win.table.horizontalHeaderItem(c).text() for c in range(win.table.columnCount())]
    assert not any("crf" in h for h in headers)
    assert all("crf" not in u.versions for u in win.units)
    gold = project.load(three.key, GOLD)
    assert gold.provenance["sources"] == ["amal", "omar", "sara"]
    # نواف العنزي: the three people agree (PER); the model's LOC does not make it a disagreement.
    assert [(e.text, e.label) for e in gold.entities] == [("نواف العنزي", "PER")]

    win.with_machines.setChecked(True)  # asked for
    listed = [win.docs.item(i).text() for i in range(win.docs.count())]
    assert listed == ["kuwait-nato-anezi  (4)", "kuwait-nato-colomina  (2)"]
    assert win.annotators == ["amal", "crf", "omar", "sara"]
    assert any("crf" in win.table.horizontalHeaderItem(c).text() for c in range(win.table.columnCount()))

    dash = AgreementDashboard(project)
    qtbot.addWidget(dash)
    assert dash.report.annotators == ["amal", "omar", "sara"]
    assert all("crf" not in dash.pairs.item(r, 0).text() for r in range(dash.pairs.rowCount()))
