"""Lab: numerical gradients against backpropagation, with a colour-coded gradient check."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import DataError
from ...core.events import INTERRUPTED, NumericalProgress
from ...core.gradcheck import GradCheckRow
from ...core.lab.common import require_mnist
from ...core.lab.numerical_vs_backprop import (
    NET_CHOICES,
    ComparisonResult,
    ComparisonSettings,
    ComparisonStarted,
    ComparisonStep,
    check_gradients,
    estimate_seconds_per_iteration,
    run_numerical_vs_backprop,
)
from ..plotting import pg
from .base import COLOURS, ExperimentWidget, make_plot, real_spin, spin
from .runner import Experiment

#: relative error -> (verdict, background): the usual rule of thumb for float64 checks
VERDICTS = ((1e-7, "excellent", "#c8e6c9"), (1e-4, "suspicious", "#fff59d"), (math.inf, "wrong", "#ffcdd2"))


def verdict(relative_error: float) -> tuple[str, str]:
    for bound, word, colour in VERDICTS:
        if relative_error < bound:
            return word, colour
    return VERDICTS[-1][1], VERDICTS[-1][2]


def format_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} \u00b5s"
    if seconds < 1:
        return f"{seconds * 1e3:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min"


class NumericalTab(ExperimentWidget):
    needs_mnist = True
    key = "numerical"

    def explanation_html(self) -> str:
        return self.tr(
            "<b>Numerical gradient vs backpropagation</b><p>To learn, a network needs the slope of "
            "its loss for every weight. The obvious way: nudge one weight up and down a tiny bit "
            "and see how the loss changes. That takes two passes through the network <i>per "
            "weight</i>. Backpropagation gets all the slopes from one pass forward and one back."
            "</p><p>Two copies of the same network train here on the same batches, one each way. "
            "Their losses lie on top of each other (the maths agrees), but look at the time per "
            "iteration. The table checks the two gradients against each other, tensor by tensor: "
            "that <i>gradient check</i> is how backprop code is tested.</p>")

    def build_controls(self, form: QFormLayout) -> None:
        self.net_box = QComboBox()
        for key, label in self.net_labels().items():
            self.net_box.addItem(label, key)
        self.net_box.setCurrentIndex(list(NET_CHOICES).index("small"))
        self.net_box.setToolTip(self.tr("The network both copies start from (ReLU hidden layer, softmax "
                                        "output). The tutorial's 784-50-10 is five times slower than "
                                        "784-10-10; 196-10-10 works on 14x14 images and is fastest."))
        self.iterations_box = spin(20, 1, 1000, self.tr("Mini-batch updates made by each copy"))
        self.batch_box = spin(10, 1, 500, self.tr("Images per mini-batch; the numerical time grows with it"))
        self.lr_box = real_spin(0.5, 0.001, 10.0, self.tr("SGD learning rate, the same for both copies"))
        self.seed_box = spin(0, 0, 999999, self.tr("Seed for the initial weights and the batches"))
        form.addRow(self.tr("Network"), self.net_box)
        form.addRow(self.tr("Iterations"), self.iterations_box)
        form.addRow(self.tr("Batch size"), self.batch_box)
        form.addRow(self.tr("Learning rate"), self.lr_box)
        form.addRow(self.tr("Seed"), self.seed_box)
        self.eta_label = QLabel()
        self.eta_label.setObjectName("etaLabel")
        self.eta_label.setWordWrap(True)
        form.addRow(self.eta_label)
        self._eta_timer = QTimer(self)
        self._eta_timer.setSingleShot(True)
        self._eta_timer.setInterval(300)
        self._eta_timer.timeout.connect(self.update_estimate)
        for box in (self.net_box, self.iterations_box, self.batch_box):
            signal = box.currentIndexChanged if isinstance(box, QComboBox) else box.valueChanged
            signal.connect(lambda *_: self._eta_timer.start())
        self._eta_timer.start()

    def extra_buttons(self) -> list[QPushButton]:
        self.check_button = QPushButton(self.tr("Check gradients"))
        self.check_button.setObjectName("checkGradientsButton")
        self.check_button.setToolTip(self.tr("Only the gradient check: compare both gradients once at "
                                             "the initial weights, without training"))
        self.check_button.clicked.connect(self.start_check)
        return [self.check_button]

    def build_plots(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.headline = QLabel(self.tr("Press Start to race the two methods."))
        self.headline.setObjectName("slowdownLabel")
        self.headline.setStyleSheet("QLabel { font-size: 15pt; font-weight: bold; padding: 4px; }")
        self.progress = QProgressBar()
        self.progress.setObjectName("numericalProgress")
        self.progress.setFormat(self.tr("numerical gradient of this iteration: %p%"))
        self.progress.setValue(0)
        plots = QWidget()
        row = pg.QtWidgets.QHBoxLayout(plots)
        row.setContentsMargins(0, 0, 0, 0)
        self.loss_plot = make_plot(self.tr("Loss on each shared batch"), self.tr("iteration"),
                                   self.tr("loss"))
        self.numerical_loss = self.loss_plot.plot(
            [], [], name=self.tr("numerical"), pen=None, symbol="o", symbolSize=9,
            symbolBrush=None, symbolPen=pg.mkPen(COLOURS["numerical"], width=2))
        self.backprop_loss = self.loss_plot.plot(
            [], [], name=self.tr("backprop"), pen=pg.mkPen(COLOURS["backprop"], width=2))
        self.time_plot = make_plot(self.tr("Seconds per iteration (log scale)"), self.tr("iteration"),
                                   self.tr("seconds"), log_y=True)
        self.numerical_time = self.time_plot.plot(
            [], [], name=self.tr("numerical"), pen=pg.mkPen(COLOURS["numerical"], width=2), symbol="o",
            symbolSize=6, symbolBrush=COLOURS["numerical"])
        self.backprop_time = self.time_plot.plot(
            [], [], name=self.tr("backprop"), pen=pg.mkPen(COLOURS["backprop"], width=2), symbol="s",
            symbolSize=6, symbolBrush=COLOURS["backprop"])
        # between the numerical curve (top) and the backprop one (bottom)
        self.time_plot.getPlotItem().legend.anchor(itemPos=(1, 0.5), parentPos=(1, 0.5), offset=(-10, 0))
        row.addWidget(self.loss_plot)
        row.addWidget(self.time_plot)
        self.check_title = QLabel(self.tr("<b>Gradient check</b> (float64): relative error "
                                          "|a\u2212b| / (|a|+|b|) per parameter tensor"))
        self.check_table = QTableWidget(0, 5)
        self.check_table.setObjectName("gradientCheckTable")
        self.check_table.setHorizontalHeaderLabels([
            self.tr("Tensor"), self.tr("Shape"), self.tr("Relative error"), self.tr("Largest difference"),
            self.tr("Verdict")])
        self.check_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.check_table.verticalHeader().setVisible(False)
        self.check_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.check_table.setMaximumHeight(150)
        self.check_table.setToolTip(self.tr("Green: below 1e-7, backprop is right. Yellow: below 1e-4, "
                                            "often a kink of ReLU. Red: a bug."))
        layout.addWidget(self.headline)
        layout.addWidget(self.progress)
        layout.addWidget(plots, 1)
        layout.addWidget(self.check_title)
        layout.addWidget(self.check_table)
        return panel

    def net_labels(self) -> dict[str, str]:
        labels = {"tutorial": self.tr("784-50-10 (the tutorial's net)"), "small": self.tr("784-10-10"),
                  "tiny": self.tr("196-10-10 (14x14 images)")}
        return {key: labels[key] for key in NET_CHOICES}

    def verdict_text(self, relative_error: float) -> str:
        words = {"excellent": self.tr("excellent"), "suspicious": self.tr("suspicious"),
                 "wrong": self.tr("wrong")}
        return words[verdict(relative_error)[0]]

    # -- settings and estimate ---------------------------------------------------------------
    def settings(self) -> ComparisonSettings:
        return ComparisonSettings(net=self.net_box.currentData(), iterations=self.iterations_box.value(),
                                  batch_size=self.batch_box.value(), lr=self.lr_box.value(),
                                  seed=self.seed_box.value())

    def update_estimate(self) -> None:
        """Measure a few nudged forward passes (about 50 ms) and show the expected run time."""
        settings = self.settings()
        per_iteration = estimate_seconds_per_iteration(settings, budget=0.05)
        self.eta_label.setText(self.tr(
            "Expected: about {0} per numerical iteration, {1} for the run ({2:,} weights, "
            "each nudged twice per iteration).").format(
            format_seconds(per_iteration), format_seconds(per_iteration * settings.iterations),
            settings.choice.parameter_count))

    # -- running -------------------------------------------------------------------------------
    def make_job(self) -> Experiment:
        mnist = require_mnist(self.data_source())
        settings = self.settings()
        return lambda on_event, should_stop: run_numerical_vs_backprop(mnist, settings, on_event, should_stop)

    def start_check(self) -> None:
        def make() -> Experiment | None:
            try:
                mnist = require_mnist(self.data_source())
            except DataError as exc:
                self.show_status(str(exc), error=True)
                return None
            settings = self.settings()
            return lambda on_event, should_stop: check_gradients(mnist, settings, None, on_event, should_stop)
        self.run_job(make)

    def set_controls_enabled(self, enabled: bool) -> None:
        super().set_controls_enabled(enabled)
        self.check_button.setEnabled(enabled)

    def reset_plots(self) -> None:
        self._steps: list[ComparisonStep] = []
        for curve in (self.numerical_loss, self.backprop_loss, self.numerical_time, self.backprop_time):
            curve.setData([], [])
        self.progress.setValue(0)
        self.check_table.setRowCount(0)
        self.headline.setText(self.tr("Measuring\u2026"))

    def handle_events(self, events: list[object]) -> None:
        progress = None
        for event in events:
            if isinstance(event, ComparisonStarted):
                self.show_status(self.tr("{0}: {1:,} weights. Estimated {2} per numerical iteration, "
                                         "{3} in all.").format(
                    self.net_labels()[self.net_box.currentData()], event.parameter_count,
                    format_seconds(event.estimated_seconds_per_iteration),
                    format_seconds(event.estimated_total_seconds)))
            elif isinstance(event, NumericalProgress):
                progress = event
            elif isinstance(event, ComparisonStep):
                self._steps.append(event)
        if progress is not None:
            self.progress.setValue(int(100 * progress.done / max(progress.total, 1)))
        if self._steps:
            self._draw_steps()

    def _draw_steps(self) -> None:
        steps = self._steps
        x = np.array([s.iteration for s in steps], dtype=float)
        self.numerical_loss.setData(x, [s.numerical_loss for s in steps])
        self.backprop_loss.setData(x, [s.backprop_loss for s in steps])
        self.numerical_time.setData(x, [s.numerical_seconds for s in steps])
        self.backprop_time.setData(x, [s.backprop_seconds for s in steps])
        last = steps[-1]
        self.headline.setText(self.tr("Backprop is {0:,.0f}\u00d7 faster").format(last.slowdown))
        self.headline.setToolTip(self.tr("Median seconds per numerical iteration divided by the median "
                                         "per backprop iteration"))
        self.show_status(self.tr(
            "Iteration {0}: numerical {1}, backprop {2}. Weights of the two copies differ by {3:.1e} "
            "(relative). About {4} to go.").format(
            last.iteration, format_seconds(last.numerical_seconds), format_seconds(last.backprop_seconds),
            last.weight_difference, format_seconds(last.eta)))
        self.show_check(last.check)

    def show_check(self, rows: tuple[GradCheckRow, ...] | list[GradCheckRow]) -> None:
        self.check_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            colour = verdict(row.relative_error)[1]
            cells = [row.name, "\u00d7".join(map(str, row.shape)), f"{row.relative_error:.2e}",
                     f"{row.max_abs_error:.2e}", self.verdict_text(row.relative_error)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QColor(colour))
                item.setForeground(QColor("#1a1a1a"))  # the pale verdict colours need dark text
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.check_table.setItem(r, c, item)

    def handle_result(self, result: object) -> None:
        if result is None:
            self.show_status(self.tr("Gradient check stopped."))
            return
        if isinstance(result, list):  # the gradient check alone
            self.show_check(result)
            self.headline.setText(self.tr("Gradient check at the initial weights"))
            worst = max(row.relative_error for row in result)
            self.show_status(self.tr("Largest relative error {0:.1e}: {1}.").format(
                worst, self.verdict_text(worst)))
            return
        assert isinstance(result, ComparisonResult)
        self.progress.setValue(100 if result.reason != INTERRUPTED else self.progress.value())
        if not result.steps:
            self.show_status(self.tr("Stopped before the first iteration ended."))
            return
        last = result.steps[-1]
        ended = self.tr("Stopped") if result.reason == INTERRUPTED else self.tr("Done")
        self.show_status(self.tr(
            "{0} after {1} iterations. Numerical {2} per iteration, backprop {3}: backprop is {4:,.0f}\u00d7 "
            "faster. Final losses {5:.6f} and {6:.6f}; largest gradient-check error {7:.1e}.").format(
            ended, len(result.steps),
            format_seconds(float(np.median([s.numerical_seconds for s in result.steps]))),
            format_seconds(float(np.median([s.backprop_seconds for s in result.steps]))), result.slowdown,
            last.numerical_loss, last.backprop_loss, result.max_check_error))
