"""The learning curve in the review dashboard (issue 17 item 5): opened on a project with done sets, the dashboard
computes held-out entity F1 against documents learnt from in the background and draws each point with QPainter."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from app.core.exchange.importer import ImportOptions, import_sources
from app.core.learn.curve import learning_curve
from app.core.store import Project
from app.ui.agreement_dashboard import AgreementDashboard
from app.ui.learning_curve import LINE_COLOUR
from test_learn import write_corpus

pytestmark = pytest.mark.gui


def test_dashboard_draws_the_learning_curve_of_the_done_sets(qtbot, tmp_path):
    corpus = tmp_path / "news.conll"
    write_corpus(corpus, 6, sentences=3)
    project = Project.create(tmp_path / "p.tawsim")
    import_sources(project, [corpus], ImportOptions(format="conll"))  # six done sets

    dash = AgreementDashboard(project)
    qtbot.addWidget(dash)
    dash.tabs.setCurrentWidget(dash.curve)
    dash.show()
    qtbot.waitExposed(dash)
    qtbot.waitUntil(lambda: dash.curve.done, timeout=60_000)  # trained on a worker thread, the window stays live

    how, expected = learning_curve(project, points=4)
    chart = dash.curve.chart
    assert chart.points == expected
    assert [p.units for p in chart.points] == [2, 3, 4, 5]  # of the 5 documents outside the held-out one
    assert all(0 <= p.f1 <= 1 for p in chart.points) and chart.points[-1].f1 > 0.8
    assert how in dash.curve.note.text() and "1 of 6 document(s) held out" in dash.curve.note.text()
    image = chart.grab().toImage()
    ratio = image.devicePixelRatio()
    for pos in chart.positions():  # a marker is painted where each point is
        assert QColor(image.pixel(int(pos.x() * ratio), int(pos.y() * ratio))) == LINE_COLOUR
    xs = [pos.x() for pos in chart.positions()]
    assert xs == sorted(xs) and len(set(xs)) == 4


def test_too_few_done_documents_says_so_instead_of_a_curve(qtbot, project):
    dash = AgreementDashboard(project)  # the seed articles: nothing marked done
    qtbot.addWidget(dash)
    qtbot.waitUntil(lambda: dash.curve.done, timeout=30_000)
    assert dash.curve.chart.points == []
    assert "annotate 5 more and mark them done" in dash.curve.note.text()
