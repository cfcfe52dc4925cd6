"""Lab: fitting a 2-D function with one sigmoid hidden layer, target and network side by side."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QFormLayout, QGridLayout, QWidget

from ...core.events import INTERRUPTED, THRESHOLD
from ...core.lab.function_fitting import (
    TARGET_FUNCTIONS,
    FittingEpoch,
    FittingResult,
    FittingSettings,
    FittingStarted,
    fit_function,
    grid_points,
    make_fitting_data,
)
from ..plotting import pg
from .base import ExperimentWidget, make_plot, real_spin, spin
from .heatmap import HeatmapPlot
from .runner import Experiment


class FittingTab(ExperimentWidget):
    key = "fitting"

    def explanation_html(self) -> str:
        """The explanation, with a paragraph about the function selected now."""
        box = getattr(self, "function_box", None)  # the base class asks before the controls exist
        key = box.currentData() if box is not None else FittingSettings().function
        notes = {
            "bowl": self.tr(
                "<p>The target now is the bowl x\u00b2 + y\u00b2: lowest in the middle, rising "
                "towards the corners, where it is steepest. Compare 3, 5 and 8 hidden units, and "
                "watch whether the corners are fitted as well as the middle.</p>"),
            "saddle": self.tr(
                "<p>The target now is the saddle x\u00b2 \u2212 y\u00b2: it rises along x and falls "
                "along y, so the hidden units must work in opposite directions. Compare 3, 5 and 8 "
                "hidden units.</p>"),
            "ripple": self.tr(
                "<p>The target now is the ripple cos(1.2x)\u00b7cos(1.2y). Three hidden units catch "
                "its middle but miss its corners; eight fit it.</p>"),
        }
        return self.tr(
            "<b>Fitting a function</b><p>A network is a function with knobs. Here it gets 100 random "
            "points of a surface over the square [\u22122, 2]\u00b2 and must learn the whole surface "
            "from them: two inputs (x, y), one hidden layer of sigmoid units, one output.</p>"
            "<p>Left: the true function. Right: what the network computes now, in the same colours; "
            "the dots are the training points.</p>") + notes.get(key, "") + self.tr(
            "<p>Try the tutorial's tiny starting weights (std 0.01): the hidden units start as near "
            "copies of each other and learn slowly.</p>"
            "<p>One epoch here is the tutorial's: 100 mini-batches of 40 points.</p>")

    def build_controls(self, form: QFormLayout) -> None:
        self.function_box = QComboBox()
        for key, f in TARGET_FUNCTIONS.items():
            self.function_box.addItem(f.label, key)
        self.function_box.setToolTip(self.tr("The surface to learn"))
        self.hidden_box = spin(8, 1, 200, self.tr("Sigmoid units in the hidden layer (the tutorial "
                                                  "compares 3, 5 and 8)"))
        self.init_box = QComboBox()
        self.init_box.addItem(self.tr("Xavier (Glorot)"), "xavier")
        self.init_box.addItem(self.tr("tiny, std 0.01 (tutorial)"), "small")
        self.init_box.setToolTip(self.tr("How the starting weights are drawn"))
        tr = self.tr
        self.lr_box = real_spin(0.4, 0.001, 10.0, tr("Initial learning rate"))
        self.power_box = real_spin(0.2, 0.0, 2.0, tr("Power decay: the rate at update t is lr / t^power"),
                                   step=0.05)
        self.momentum_box = real_spin(0.6, 0.0, 0.99, tr("Momentum: how much of the last step is kept"),
                                      step=0.05)
        self.l2_box = real_spin(1e-4, 0.0, 1.0, tr("L2 weight decay strength"), decimals=5, step=1e-4)
        self.batch_box = spin(40, 1, 100, tr("Points per mini-batch"))
        self.epochs_box = spin(200, 1, 5000, tr("Epochs to train"))
        self.batches_box = spin(100, 1, 1000, tr("Mini-batches per epoch: the tutorial makes 100 (one per "
                                                 "training point); 3 is one pass over the data"))
        self.threshold_box = real_spin(1e-3, 0.0, 10.0, tr("Stop once the training error is below this"),
                                       decimals=4, step=1e-3)
        self.seed_box = spin(42, 0, 999999, tr("Seed for the points, the weights and the batches"))
        form.addRow(tr("Function"), self.function_box)
        form.addRow(tr("Hidden units"), self.hidden_box)
        form.addRow(tr("Initial weights"), self.init_box)
        form.addRow(tr("Learning rate"), self.lr_box)
        form.addRow(tr("Decay power"), self.power_box)
        form.addRow(tr("Momentum"), self.momentum_box)
        form.addRow(tr("L2"), self.l2_box)
        form.addRow(tr("Batch size"), self.batch_box)
        form.addRow(tr("Epochs"), self.epochs_box)
        form.addRow(tr("Batches per epoch"), self.batches_box)
        form.addRow(tr("Stop below"), self.threshold_box)
        form.addRow(tr("Seed"), self.seed_box)

    def build_plots(self) -> QWidget:
        panel = QWidget()
        grid = QGridLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        self.target_plot = HeatmapPlot(self.tr("Target function"), colorbar=True)
        self.target_plot.setObjectName("targetHeatmap")
        self.network_plot = HeatmapPlot(self.tr("Network output"), colorbar=True)
        self.network_plot.setObjectName("networkHeatmap")
        self.error_plot = make_plot(self.tr("Training error (log scale)"), self.tr("epoch"),
                                    self.tr("mean \u00bd(y \u2212 t)\u00b2"), log_y=True)
        self.error_curve = self.error_plot.plot([], [], name=self.tr("training error"),
                                                pen=pg.mkPen("#1565c0", width=2))
        grid.addWidget(self.target_plot, 0, 0)
        grid.addWidget(self.network_plot, 0, 1)
        grid.addWidget(self.error_plot, 1, 0, 1, 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        self.function_box.currentIndexChanged.connect(self._on_function_changed)
        self.seed_box.valueChanged.connect(self._on_data_changed)
        self.show_target()
        return panel

    def _on_function_changed(self) -> None:
        self.explanation.setText(self.explanation_html())
        self._on_data_changed()

    def _on_data_changed(self, *_args) -> None:
        """Another function or seed: the last run's surface and summary were about other data."""
        if self.is_running:
            return  # the controls are disabled meanwhile; the run's own data stays on screen
        self.reset_plots()
        self.show_status("")
        self.show_target()

    def show_target(self) -> None:
        """Draw the selected target function and its training points at once, before any run."""
        if self.is_running:
            return  # the run's own target stays until it ends
        settings = self.settings()
        grid = grid_points(settings.grid_size)
        f = TARGET_FUNCTIONS[settings.function]
        target = f.function(grid[:, 0], grid[:, 1]).reshape(settings.grid_size, settings.grid_size)
        points, _targets = make_fitting_data(settings)
        self._levels = (float(target.min()), float(target.max()))
        self.target_plot.set_grid(target, self._levels)
        self.target_plot.setTitle(self.tr("Target: {0}").format(f.label), size="11pt")
        self.target_plot.set_points(points)
        self.network_plot.set_points(points)

    def settings(self) -> FittingSettings:
        return FittingSettings(
            function=self.function_box.currentData(), hidden_units=self.hidden_box.value(),
            init=self.init_box.currentData(), lr=self.lr_box.value(), power=self.power_box.value(),
            momentum=self.momentum_box.value(), l2=self.l2_box.value(), batch_size=self.batch_box.value(),
            epochs=self.epochs_box.value(), batches_per_epoch=self.batches_box.value(),
            threshold=self.threshold_box.value(), seed=self.seed_box.value())

    def make_job(self) -> Experiment:
        settings = self.settings()
        return lambda on_event, should_stop: fit_function(settings, on_event, should_stop)

    def reset_plots(self) -> None:
        self._errors: list[float] = []
        self._levels = (0.0, 1.0)
        self.error_curve.setData([], [])
        self.network_plot.clear_grid()

    def handle_events(self, events: list[object]) -> None:
        latest: FittingEpoch | None = None
        for event in events:
            if isinstance(event, FittingStarted):
                low, high = float(event.target_grid.min()), float(event.target_grid.max())
                self._levels = (low, high)
                self._errors = [event.initial_error]
                self.target_plot.set_grid(event.target_grid, self._levels)
                self.target_plot.setTitle(self.tr("Target: {0}").format(event.function_label), size="11pt")
                self.target_plot.set_points(event.points)
                self.network_plot.set_points(event.points)
            elif isinstance(event, FittingEpoch):
                self._errors.append(event.error)
                latest = event
        if latest is not None:
            self.network_plot.set_grid(latest.surface, self._levels)
            self.error_curve.setData(np.arange(len(self._errors), dtype=float), self._errors)
            self.show_status(self.tr("Epoch {0} of {1}: error {2:.5f}, learning rate {3:.4f}").format(
                latest.epoch, latest.epochs, latest.error, latest.lr))

    def handle_result(self, result: object) -> None:
        assert isinstance(result, FittingResult)
        self.network_plot.set_grid(result.surface, self._levels)
        how = {INTERRUPTED: self.tr("stopped"), THRESHOLD: self.tr("below the stopping threshold")}.get(
            result.reason, self.tr("all epochs done"))
        self.show_status(self.tr(
            "Training error {0:.4f} \u2192 {1:.5f} after {2} epochs ({3}): the final error is {4:.2%} of "
            "the starting error.").format(result.initial_error, result.final_error, len(result.errors) - 1,
                                          how, result.error_ratio))
