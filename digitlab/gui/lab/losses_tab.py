"""Lab: mean squared error against cross-entropy, worked values and a race on MNIST."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.events import INTERRUPTED
from ...core.lab.common import require_mnist
from ...core.lab.losses_demo import (
    LossRaceResult,
    LossRaceSettings,
    LossRaceStep,
    loss_versus_confidence,
    run_loss_race,
    worked_examples,
)
from .. import theme
from ..plotting import pg
from .base import COLOURS, ExperimentWidget, make_accuracy_plot, make_plot, real_spin, spin
from .runner import Experiment

#: bar colours of the right and the wrong guess (not the loss colours: those mean MSE and CE)
GUESS_COLOURS = ("#1e88e5", "#8e24aa")


class LossesTab(ExperimentWidget):
    needs_mnist = True
    key = "losses"

    def explanation_html(self) -> str:
        return self.tr(
            "<b>Two ways to score a guess</b><p>The network says how likely each digit is. Mean "
            "squared error (MSE) adds up the squared misses over all ten outputs; cross-entropy (CE) "
            "looks only at the probability given to the right digit and takes \u2212log of it.</p>"
            "<p>The table has the tutorial's example (the right answer is 2): a confident right "
            "guess and the same guess pointing at 7. Cross-entropy punishes the confident mistake "
            "much harder, and without limit as the right digit's probability goes to 0 (lower left)."
            "</p><p>Start races two copies of one network on the same batches, one per loss: with "
            "cross-entropy the gradient stays large while the network is wrong, so it learns faster."
            "</p>")

    def build_controls(self, form: QFormLayout) -> None:
        tr = self.tr
        self.hidden_box = spin(50, 1, 1000, tr("Hidden units of the 784-H-10 network"))
        self.activation_box = QComboBox()
        for name in ("sigmoid", "relu", "tanh"):
            self.activation_box.addItem(name, name)
        self.activation_box.setToolTip(tr("Hidden activation (the output is softmax for both losses)"))
        self.iterations_box = spin(300, 1, 20000, tr("Mini-batch updates of each copy"), step=50)
        self.batch_box = spin(100, 1, 1000, tr("Images per mini-batch"))
        self.lr_box = real_spin(0.5, 0.001, 10.0, tr("SGD learning rate, the same for both copies"))
        self.seed_box = spin(0, 0, 999999, tr("Seed for the initial weights and the batches"))
        form.addRow(tr("Hidden units"), self.hidden_box)
        form.addRow(tr("Activation"), self.activation_box)
        form.addRow(tr("Iterations"), self.iterations_box)
        form.addRow(tr("Batch size"), self.batch_box)
        form.addRow(tr("Learning rate"), self.lr_box)
        form.addRow(tr("Seed"), self.seed_box)

    def build_plots(self) -> QWidget:
        panel = QWidget()
        grid = QGridLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self._worked_panel(), 0, 0)
        grid.addWidget(self._outputs_plot(), 0, 1)
        grid.addWidget(self._confidence_plot(), 1, 0)
        self.loss_plot = make_plot(self.tr("Training loss (each copy its own)"), self.tr("iteration"))
        self.mse_curve = self.loss_plot.plot([], [], name=self.tr("MSE copy"),
                                             pen=pg.mkPen(COLOURS["mse"], width=2))
        self.ce_curve = self.loss_plot.plot([], [], name=self.tr("cross-entropy copy"),
                                            pen=pg.mkPen(COLOURS["cross_entropy"], width=2))
        self.accuracy_plot = make_accuracy_plot(self.tr("Accuracy on test images"), self.tr("iteration"))
        self.accuracy_plot.getPlotItem().legend.anchor(itemPos=(1, 1), parentPos=(1, 1), offset=(-10, -10))
        self.mse_accuracy = self.accuracy_plot.plot(
            [], [], name=self.tr("MSE copy"), pen=pg.mkPen(COLOURS["mse"], width=2), symbol="o", symbolSize=5,
            symbolBrush=COLOURS["mse"])
        self.ce_accuracy = self.accuracy_plot.plot(
            [], [], name=self.tr("cross-entropy copy"), pen=pg.mkPen(COLOURS["cross_entropy"], width=2),
            symbol="s", symbolSize=5, symbolBrush=COLOURS["cross_entropy"])
        grid.addWidget(self.loss_plot, 1, 1)
        grid.addWidget(self.accuracy_plot, 2, 0, 1, 2)
        grid.setRowStretch(0, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 3)
        return panel

    def _worked_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("<b>The tutorial's worked values</b> (the right answer is 2)"))
        caption = QLabel(self.tr("Below: \u25cf marks the right guess, \u2715 the wrong one, on both "
                                 "loss curves."))
        caption.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self._worked_table())
        layout.addWidget(caption)
        layout.addStretch(1)
        return panel

    def _worked_table(self) -> QTableWidget:
        right, wrong = worked_examples()
        table = QTableWidget(2, 3)
        table.setObjectName("workedLossTable")
        table.setHorizontalHeaderLabels([self.tr("Guess"), self.tr("MSE"), self.tr("Cross-entropy")])
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        titles = (self.tr("0.6 on digit 2: confident, right"), self.tr("0.6 on digit 7: confident, wrong"))
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.verticalHeader()
                             .defaultSectionSize() + 4)
        for row, (example, title) in enumerate(zip((right, wrong), titles, strict=True)):
            colour = QColor("#e8f5e9" if row == 0 else "#ffebee")
            for col, text in enumerate((title, f"{example.mse:.4f}", f"{example.cross_entropy:.4f}")):
                item = QTableWidgetItem(text)
                item.setBackground(colour)
                item.setForeground(QColor("#1a1a1a"))  # pale background: dark text on any theme
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, col, item)
        table.setToolTip(self.tr("MSE = \u00bd\u03a3(y \u2212 t)\u00b2, cross-entropy = "
                                 "\u2212\u03a3 t\u00b7log y, for the output y and the one-hot target t"))
        self.worked = (right, wrong)
        return table

    def _outputs_plot(self) -> pg.PlotWidget:
        right, wrong = worked_examples()
        plot = make_plot(self.tr("The two guesses (right answer: 2)"), self.tr("digit"),
                         self.tr("probability"))
        digits = np.arange(10)
        right_bars = pg.BarGraphItem(x=digits - 0.2, height=right.output, width=0.4, brush=GUESS_COLOURS[0])
        wrong_bars = pg.BarGraphItem(x=digits + 0.2, height=wrong.output, width=0.4, brush=GUESS_COLOURS[1])
        plot.addItem(right_bars)
        plot.addItem(wrong_bars)
        legend = plot.getPlotItem().legend
        legend.addItem(right_bars, self.tr("right guess"))
        legend.addItem(wrong_bars, self.tr("wrong guess"))
        legend.anchor(itemPos=(0.5, 0), parentPos=(0.5, 0), offset=(20, 5))  # above digits 3-6
        item = plot.getPlotItem()
        item.getAxis("bottom").setTicks([[(d, str(d)) for d in digits]])
        item.getAxis("left").enableAutoSIPrefix(False)
        plot.setYRange(0, 0.7)
        return plot

    def _confidence_plot(self) -> pg.PlotWidget:
        plot = make_plot(self.tr("Loss vs probability of the right digit"), self.tr("probability"),
                         self.tr("loss"))
        p = np.linspace(0.005, 1.0, 200)
        mse, ce = loss_versus_confidence(p)
        plot.plot(p, mse, name=self.tr("MSE"), pen=pg.mkPen(COLOURS["mse"], width=2))
        plot.plot(p, ce, name=self.tr("cross-entropy"), pen=pg.mkPen(COLOURS["cross_entropy"], width=2))
        right, wrong = self.worked
        marks = ((right, "o", self.tr("right guess")), (wrong, "x", self.tr("wrong guess")))
        for example, symbol, name in marks:
            prob = example.output[example.target]
            plot.plot([prob, prob], [example.mse, example.cross_entropy], pen=None, symbol=symbol, name=name,
                      symbolSize=10, symbolBrush=theme.plot_foreground(), symbolPen=theme.plot_foreground())
        plot.setYRange(0, 5.5)
        return plot

    # -- running -------------------------------------------------------------------------------
    def settings(self) -> LossRaceSettings:
        return LossRaceSettings(hidden_units=self.hidden_box.value(),
                                activation=self.activation_box.currentData(),
                                iterations=self.iterations_box.value(), batch_size=self.batch_box.value(),
                                lr=self.lr_box.value(), seed=self.seed_box.value())

    def make_job(self) -> Experiment:
        mnist = require_mnist(self.data_source())
        settings = self.settings()
        return lambda on_event, should_stop: run_loss_race(mnist, settings, on_event, should_stop)

    def reset_plots(self) -> None:
        self._steps: list[LossRaceStep] = []
        for curve in (self.mse_curve, self.ce_curve, self.mse_accuracy, self.ce_accuracy):
            curve.setData([], [])

    def handle_events(self, events: list[object]) -> None:
        new = [e for e in events if isinstance(e, LossRaceStep)]
        if not new:
            return
        self._steps.extend(new)
        steps = self._steps
        x = np.array([s.iteration for s in steps], dtype=float)
        self.mse_curve.setData(x, [s.mse_loss for s in steps])
        self.ce_curve.setData(x, [s.cross_entropy_loss for s in steps])
        measured = [s for s in steps if s.mse_accuracy is not None]
        if measured:
            mx = [s.iteration for s in measured]
            self.mse_accuracy.setData(mx, [100 * s.mse_accuracy for s in measured])
            self.ce_accuracy.setData(mx, [100 * s.cross_entropy_accuracy for s in measured])
        last = steps[-1]
        self.show_status(self.tr("Iteration {0} of {1}: MSE {2:.4f}, cross-entropy {3:.4f}").format(
            last.iteration, last.iterations, last.mse_loss, last.cross_entropy_loss))

    def handle_result(self, result: object) -> None:
        assert isinstance(result, LossRaceResult)
        mse_acc, ce_acc = result.final_accuracies()
        ended = self.tr("Stopped") if result.reason == INTERRUPTED else self.tr("Done")
        self.show_status(self.tr("{0} after {1} iterations. Test accuracy: MSE copy {2:.1%}, cross-entropy "
                                 "copy {3:.1%}.").format(ended, len(result.steps), mse_acc, ce_acc))
