"""Lab: sigmoid vs ReLU, std 0.01 vs He: activation histograms and gradient norms per layer."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.events import INTERRUPTED
from ...core.lab.activations_init import (
    COMBINATIONS,
    ActivationSettings,
    ActivationsResult,
    CombinationReport,
    TrainingLoss,
    run_activations,
)
from ...core.lab.common import require_mnist
from .. import theme
from ..plotting import pg
from .base import COLOURS, ExperimentWidget, make_plot, real_spin, spin
from .runner import Experiment


class ActivationsTab(ExperimentWidget):
    needs_mnist = True
    key = "activations"

    def explanation_html(self) -> str:
        return self.tr(
            "<b>Why deep networks once would not learn</b><p>The same deep network (five hidden "
            "layers of 100) is built four ways: sigmoid or ReLU units, starting weights tiny "
            "(std 0.01, as in the tutorials) or scaled to the layer's size (He: std \u221a(2/inputs))."
            "</p><p>The histograms show what each hidden layer outputs for a batch of digits. With "
            "sigmoid and tiny weights every unit says 0.5, whatever the digit. Learning needs the "
            "gradient to flow back to the first layer: the plot under the histograms shows its size at "
            "every layer on a log scale (numbers in the table). Where it shrinks tens of times per "
            "layer, the first layers cannot learn: the <i>vanishing gradient</i>. The loss curves show "
            "who learns.</p>")

    def build_controls(self, form: QFormLayout) -> None:
        tr = self.tr
        self.std_box = real_spin(0.01, 0.0001, 10.0, tr("Standard deviation of the 'tiny' starting weights"),
                                 decimals=4, step=0.005)
        self.depth_box = spin(5, 1, 10, tr("Number of hidden layers"))
        self.width_box = spin(100, 2, 1000, tr("Units per hidden layer"), step=10)
        self.batch_box = spin(100, 1, 1000, tr("Images in the batch the histograms are made from, and per "
                                               "training step"))
        self.iterations_box = spin(200, 0, 5000, tr("SGD steps each network takes after the snapshot"),
                                   step=50)
        self.lr_box = real_spin(0.1, 0.001, 10.0, tr("SGD learning rate for all four"))
        self.seed_box = spin(0, 0, 999999, tr("Seed for the weights and the batches"))
        form.addRow(tr("Tiny weights' std"), self.std_box)
        form.addRow(tr("Hidden layers"), self.depth_box)
        form.addRow(tr("Units per layer"), self.width_box)
        form.addRow(tr("Batch size"), self.batch_box)
        form.addRow(tr("Training steps"), self.iterations_box)
        form.addRow(tr("Learning rate"), self.lr_box)
        form.addRow(tr("Seed"), self.seed_box)

    def labels(self) -> dict[str, str]:
        return {"sigmoid_small": self.tr("sigmoid, std 0.01"), "sigmoid_he": self.tr("sigmoid, He"),
                "relu_small": self.tr("ReLU, std 0.01"), "relu_he": self.tr("ReLU, He")}

    def build_plots(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        # The caption above the four buttons, not beside them: the Lab fits a 1024x600 screen.
        caption = QLabel(self.tr("<b>Colours of the four networks</b> (click one for its "
                                 "histograms):"))
        caption.setWordWrap(True)
        layout.addWidget(caption)
        chooser = QHBoxLayout()
        self.combination_group = QButtonGroup(self)
        for index, (key, label) in enumerate(self.labels().items()):
            button = QRadioButton(label)
            button.setObjectName(f"show_{key}")
            button.setStyleSheet(
                f"QRadioButton {{ color: {theme.readable(COLOURS[key]).name()}; font-weight: bold; }}")
            button.setToolTip(self.tr("Show this network's activation histograms"))
            self.combination_group.addButton(button, index)
            chooser.addWidget(button)
        self.combination_group.button(0).setChecked(True)
        self.combination_group.idToggled.connect(lambda _id, on: on and self._draw_histograms())
        chooser.addStretch(1)
        layout.addLayout(chooser)
        self.histogram_row = QHBoxLayout()
        self.histogram_plots: list[pg.PlotWidget] = []
        layout.addLayout(self.histogram_row, 3)
        middle = QGridLayout()
        self.norm_plot = make_plot(self.tr("Gradient norm per layer"), self.tr("layer (last = output)"),
                                   self.tr("gradient norm (log scale)"), log_y=True)
        self.loss_plot = make_plot(self.tr("Training loss"), self.tr("step"), self.tr("loss"))
        self.norm_curves = {}
        self.loss_curves = {}
        for key, label in self.labels().items():
            pen = pg.mkPen(COLOURS[key], width=2)
            self.norm_curves[key] = self.norm_plot.plot([], [], name=label, pen=pen, symbol="o", symbolSize=7,
                                                        symbolBrush=COLOURS[key])
            self.loss_curves[key] = self.loss_plot.plot([], [], name=label, pen=pen)
        for plot in (self.norm_plot, self.loss_plot):  # the coloured buttons above are the key
            plot.getPlotItem().legend.hide()
        middle.addWidget(self.norm_plot, 0, 0)
        middle.addWidget(self.loss_plot, 0, 1)
        layout.addLayout(middle, 4)
        self.table = QTableWidget(len(COMBINATIONS), 0)
        self.table.setObjectName("gradientNormTable")
        self.table.setVerticalHeaderLabels(list(self.labels().values()))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + len(COMBINATIONS) * self.table.verticalHeader().defaultSectionSize() + 4)
        self.table.setToolTip(self.tr("Gradient norm of each layer's weights for one batch, at the start"))
        layout.addWidget(self.table)
        self._reports: dict[str, CombinationReport] = {}
        self._losses: dict[str, tuple[list[int], list[float]]] = {}
        self._ensure_histograms(5)
        return panel

    def _ensure_histograms(self, count: int) -> None:
        while len(self.histogram_plots) < count:
            first = not self.histogram_plots
            plot = make_plot(self.tr("hidden layer {0}").format(len(self.histogram_plots) + 1),
                             self.tr("activation"), self.tr("fraction") if first else "")
            plot.getPlotItem().legend.hide()
            if not first:  # all share the 0-1 fraction axis of the first: room for the titles
                plot.getPlotItem().getAxis("left").setStyle(showValues=False)
                plot.getPlotItem().getAxis("left").setWidth(6)
            plot.setMinimumSize(100, 110)
            self.histogram_row.addWidget(plot)
            self.histogram_plots.append(plot)
        for index, plot in enumerate(self.histogram_plots):
            plot.setVisible(index < count)

    # -- running -------------------------------------------------------------------------------
    def settings(self) -> ActivationSettings:
        return ActivationSettings(depth=self.depth_box.value(), width=self.width_box.value(),
                                  init_std=self.std_box.value(), batch_size=self.batch_box.value(),
                                  iterations=self.iterations_box.value(), lr=self.lr_box.value(),
                                  seed=self.seed_box.value())

    def make_job(self) -> Experiment:
        mnist = require_mnist(self.data_source())
        settings = self.settings()
        return lambda on_event, should_stop: run_activations(mnist, settings, on_event, should_stop)

    def reset_plots(self) -> None:
        self._reports = {}
        self._losses = {key: ([], []) for key in self.labels()}
        for curve in (*self.norm_curves.values(), *self.loss_curves.values()):
            curve.setData([], [])
        for plot in self.histogram_plots:
            plot.getPlotItem().clear()
        self.table.setColumnCount(0)

    def handle_events(self, events: list[object]) -> None:
        new_report = False
        for event in events:
            if isinstance(event, CombinationReport):
                self._reports[event.key] = event
                new_report = True
            elif isinstance(event, TrainingLoss):
                steps, losses = self._losses[event.key]
                steps.append(event.iteration)
                losses.append(event.loss)
        if new_report:
            self._draw_reports()
        for key, (steps, losses) in self._losses.items():
            if steps:
                self.loss_curves[key].setData(steps, losses)

    def _draw_reports(self) -> None:
        depth = max(len(r.layers) for r in self._reports.values())
        self._ensure_histograms(depth)
        self.table.setColumnCount(depth + 1)
        self.table.setHorizontalHeaderLabels(
            [self.tr("layer {0}").format(i) for i in range(1, depth + 1)] + [self.tr("output")])
        keys = list(self.labels())
        for key, report in self._reports.items():
            norms = report.gradient_norms
            self.norm_curves[key].setData(np.arange(1, len(norms) + 1, dtype=float), norms)
            for col, norm in enumerate(norms):
                self.table.setItem(keys.index(key), col, QTableWidgetItem(f"{norm:.1e}"))
        self._draw_histograms()

    def _draw_histograms(self) -> None:
        key = list(self.labels())[self.combination_group.checkedId()]
        report = self._reports.get(key)
        if report is None:
            return
        for plot, stats in zip(self.histogram_plots, report.layers, strict=False):
            item = plot.getPlotItem()
            item.clear()
            centres = (stats.edges[:-1] + stats.edges[1:]) / 2
            fractions = stats.counts / max(stats.counts.sum(), 1)
            item.addItem(pg.BarGraphItem(x=centres, height=fractions, width=np.diff(stats.edges),
                                         brush=COLOURS[key],
                                         pen=pg.mkPen(theme.plot_background(), width=0.5)))
            title = self.tr("layer {0}<br>mean {1:.2f}, sd {2:.3f}").format(
                stats.layer, stats.mean, stats.std)
            item.setTitle(f"<span style='font-size:8pt'>{title}</span>")
            item.setXRange(float(stats.edges[0]), float(stats.edges[-1]), padding=0.02)
            item.setYRange(0, 1, padding=0.02)

    def handle_result(self, result: object) -> None:
        assert isinstance(result, ActivationsResult)
        small, he = result.report("sigmoid_small"), result.report("relu_he")
        first_small, first_he = small.layers[0].gradient_norm, he.layers[0].gradient_norm
        final = {key: losses[-1] for key, (_, losses) in result.losses.items() if losses}
        ended = self.tr("Stopped") if result.reason == INTERRUPTED else self.tr("Done")
        text = self.tr("{0}. First-layer gradient: {1:.1e} for sigmoid with std 0.01, {2:.1e} for ReLU "
                       "with He ({3:,.0f}\u00d7 larger).").format(ended, first_small, first_he,
                                                           first_he / max(first_small, 1e-300))
        if final:
            text += " " + self.tr("Final losses: {0}.").format(
                ", ".join(f"{self.labels()[k]} {v:.2f}" for k, v in final.items()))
        self.show_status(text)
