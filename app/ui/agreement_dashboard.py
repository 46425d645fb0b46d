"""The agreement dashboard: pairwise entity F1 (exact and overlap), κ and α on stance and speakers, F1 per label
as a chart (QtCharts), the learning curve of the project's recogniser (a tab next to it, computed in the
background: app.ui.learning_curve), and the worst articles; double-click one to open it."""
from __future__ import annotations

from typing import Optional

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHeaderView, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout)

from ..core.review.agreement import AgreementReport, project_agreement, worst_documents
from ..core.store import Project
from .i18n import t
from .learning_curve import LearningCurvePanel
from .plain import PlainLabel, html_text


def fmt(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:.3f}"


class AgreementDashboard(QDialog):
    documentRequested = Signal(int)  # document key

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.setWindowTitle(t("Agreement"))
        self.resize(900, 720)
        self.report: AgreementReport = project_agreement(project)
        r = self.report
        self.summary = PlainLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setText(
            t("{n} documents annotated by two or more of: {names}", n=r.documents_compared,
              names=", ".join(r.annotators) or "—") + "\n"
            + t("Stance: κ {k}, α {a} ({u} units)", k=self._kappa(r.stance), a=fmt(r.stance.krippendorff_alpha),
                u=r.stance.units) + "    "
            + t("Speakers: κ {k}, α {a} ({u} units)", k=self._kappa(r.speaker), a=fmt(r.speaker.krippendorff_alpha),
                u=r.speaker.units))
        self.pairs = QTableWidget(len(r.pairs), 5, self)
        self.pairs.setObjectName("agreementPairs")
        self.pairs.setHorizontalHeaderLabels([t("pair"), t("documents"), t("exact F1"), t("overlap F1"),
                                              t("span F1")])
        for i, p in enumerate(r.pairs):
            ent = p.entities
            for c, v in enumerate([f"{p.a} / {p.b}", str(p.documents), fmt(ent.exact.f1), fmt(ent.overlap.f1),
                                   fmt(ent.span.f1)]):
                self.pairs.setItem(i, c, QTableWidgetItem(v))
        self.chart_view = QChartView(self._chart(), self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        worst = worst_documents(r, 20)
        self.worst = QTableWidget(len(worst), 4, self)
        self.worst.setObjectName("worstDocuments")
        self.worst.setHorizontalHeaderLabels([t("document"), t("annotators"), t("exact F1"), t("overlap F1")])
        for i, d in enumerate(worst):
            item = QTableWidgetItem(d.id)
            item.setData(Qt.ItemDataRole.UserRole, d.key)
            self.worst.setItem(i, 0, item)
            names = ", ".join(d.annotators) if isinstance(d.annotators, (list, tuple)) else str(d.annotators)
            for c, v in enumerate([names, fmt(d.exact_f1), fmt(d.overlap_f1)], 1):
                self.worst.setItem(i, c, QTableWidgetItem(v))
        self.confidence = self._confidence_table()
        for table in (self.pairs, self.worst, self.confidence):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.worst.cellDoubleClicked.connect(self._open)
        self.worst.itemActivated.connect(lambda item: self._open(item.row(), 0))  # Enter on a row too
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.pairs)
        lay.addWidget(PlainLabel(t("How far to trust them (95% interval: bootstrap over documents):"), self))
        lay.addWidget(self.confidence)
        self.curve = LearningCurvePanel(project.path, self)  # the location itself: str() hides a password
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.chart_view, t("Entity F1 per label"))
        self.tabs.addTab(self.curve, t("Learning curve"))
        lay.addWidget(self.tabs, 1)
        lay.addWidget(PlainLabel(t("Worst documents (double-click to open):"), self))
        lay.addWidget(self.worst)

    def _confidence_table(self) -> QTableWidget:
        """Each figure's support, its interval, and a warning where it rests on too few items to mean anything."""
        rows = list(self.report.intervals().items())
        table = QTableWidget(len(rows), 5, self)
        table.setObjectName("agreementConfidence")
        table.setHorizontalHeaderLabels([t("figure"), t("items"), t("documents"), t("95% interval"), t("warning")])
        for i, (name, iv) in enumerate(rows):
            ci = "—" if iv.low is None else f"[{iv.low:.3f}, {iv.high:.3f}]"
            warning = t("only {n} item(s): not a figure to rely on", n=iv.items) if not iv.reliable else ""
            for c, v in enumerate([name, str(iv.items), str(iv.documents), ci, warning]):
                item = QTableWidgetItem(v)
                if warning:
                    item.setBackground(QColor("#fde2e2"))
                table.setItem(i, c, item)
        return table

    @staticmethod
    def _kappa(cat) -> str:
        """κ of the pair with two annotators; with more, the mean over pairs (marked as such)."""
        if len(cat.annotators) == 2:
            return fmt(cat.cohen_kappa)
        vals = [p.cohen_kappa for p in cat.kappa_pairs if p.cohen_kappa is not None]
        return (t("mean") + " " + fmt(sum(vals) / len(vals))) if vals else "—"

    def _chart(self) -> QChart:
        """Exact and overlap F1 per entity label, all pairs together."""
        per = self.report.entities.per_label
        labels = sorted(per)
        exact, overlap = QBarSet(t("exact F1")), QBarSet(t("overlap F1"))
        for lab in labels:
            ex, ov = per[lab]
            exact.append(ex.f1 or 0.0)
            overlap.append(ov.f1 or 0.0)
        series = QBarSeries()
        series.append(exact)
        series.append(overlap)
        chart = QChart()
        chart.addSeries(series)
        chart.setTitle(t("Entity F1 per label"))
        axis_x = QBarCategoryAxis()
        axis_x.append([html_text(lab) for lab in labels])  # QtCharts reads axis labels as HTML
        axis_y = QValueAxis()
        axis_y.setRange(0, 1)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self.chart_series = series
        return chart

    def _open(self, row: int, _col: int) -> None:
        key = self.worst.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if key is not None:
            self.documentRequested.emit(int(key))
