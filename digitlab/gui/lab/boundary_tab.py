"""Lab: click two classes of points and watch a small network's decision boundary form."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core.events import INTERRUPTED
from ...core.lab.function_fitting import (
    EXAMPLE_SETS,
    ClassifierEpoch,
    ClassifierResult,
    ClassifierSettings,
    example_points,
    train_classifier,
)
from .. import theme
from ..plotting import pg
from .base import COLOURS, ExperimentWidget, make_accuracy_plot, make_plot, real_spin, spin
from .heatmap import PointCanvas, SquareBox, class_colormap
from .runner import Experiment

#: seconds the worker waits after each reported map in slow motion, so the boundary can be
#: watched forming instead of appearing at once (the network itself trains in well under a second)
SLOW_MOTION_PAUSE = 0.03


class BoundaryTab(ExperimentWidget):
    key = "boundary"

    def __init__(self, data_source, parent=None) -> None:
        super().__init__(data_source, parent)
        self.points = np.zeros((0, 2))
        self.labels = np.zeros(0, dtype=np.intp)
        self.load_example()

    def explanation_html(self) -> str:
        return self.tr(
            "<b>Drawing a decision boundary</b><p>Click to add points: the left button adds the "
            "selected class, the right button the other one. Press Start and a small network "
            "(two hidden layers) learns to tell the classes apart.</p><p>The background shows the "
            "probability it gives to the blue class at every spot, and the dark line is where it is "
            "50/50: its <i>decision boundary</i>. A straight line cannot separate XOR or a ring; the "
            "hidden layers bend it. Try relu against tanh, or one hidden unit against sixteen.</p>")

    def build_controls(self, form: QFormLayout) -> None:
        tr = self.tr
        classes = QWidget()
        row = QHBoxLayout(classes)
        row.setContentsMargins(0, 0, 0, 0)
        self.class_group = QButtonGroup(self)
        for value, (text, colour) in enumerate(((tr("orange"), COLOURS["class0"]),
                                                (tr("blue"), COLOURS["class1"]))):
            button = QRadioButton(text)
            button.setObjectName(f"class{value}Radio")
            button.setStyleSheet(
                f"QRadioButton {{ color: {theme.readable(colour).name()}; font-weight: bold; }}")
            button.setToolTip(tr("Left clicks add points of this class"))
            self.class_group.addButton(button, value)
            row.addWidget(button)
        self.class_group.button(0).setChecked(True)
        form.addRow(tr("Left click adds"), classes)
        self.example_box = QComboBox()
        names = {"xor": tr("XOR (four corners)"), "circle": tr("ring around a disc"),
                 "moons": tr("two moons")}
        for key in EXAMPLE_SETS:
            self.example_box.addItem(names[key], key)
        self.example_box.setToolTip(tr("A ready-made data set to start from"))
        self.example_button = QPushButton(tr("Load example"))
        self.example_button.setToolTip(tr("Replace the points with this example"))
        self.example_button.clicked.connect(self.load_example)
        self.clear_button = QPushButton(tr("Clear points"))
        self.clear_button.setObjectName("clearPointsButton")
        self.clear_button.setToolTip(tr("Remove every point"))
        self.clear_button.clicked.connect(self.clear_points)
        buttons = QWidget()
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.example_button)
        row.addWidget(self.clear_button)
        form.addRow(tr("Example"), self.example_box)
        form.addRow("", buttons)
        self.hidden_box = spin(16, 1, 200, tr("Units in each hidden layer"))
        self.layers_box = spin(2, 1, 6, tr("Number of hidden layers"))
        self.activation_box = QComboBox()
        for name in ("tanh", "relu", "sigmoid"):
            self.activation_box.addItem(name, name)
        self.activation_box.setToolTip(tr("Activation of the hidden layers"))
        self.lr_box = real_spin(0.02, 0.0001, 1.0, tr("Adam learning rate"), decimals=4, step=0.005)
        self.epochs_box = spin(400, 1, 20000, tr("Full passes over the points"), step=50)
        self.slow_box = QCheckBox(tr("slow motion"))
        self.slow_box.setChecked(True)
        self.slow_box.setToolTip(tr("Pause briefly after each picture so the boundary can be watched "
                                    "forming (training itself takes under a second)"))
        form.addRow(tr("Hidden units"), self.hidden_box)
        form.addRow(tr("Hidden layers"), self.layers_box)
        form.addRow(tr("Activation"), self.activation_box)
        form.addRow(tr("Learning rate"), self.lr_box)
        form.addRow(tr("Epochs"), self.epochs_box)
        form.addRow("", self.slow_box)

    def build_plots(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.canvas = PointCanvas(self.tr("Click to add points<br>background: P(blue)"),
                                  class_colormap(COLOURS["class0"], COLOURS["class1"]))
        self.canvas.point_clicked.connect(self.add_point)
        # Loss and accuracy side by side: accuracy in % like everywhere else, loss on its own axis.
        self.curve_plot = make_plot(self.tr("Loss on the points"), self.tr("epoch"), self.tr("loss"))
        self.loss_curve = self.curve_plot.plot([], [], name=self.tr("loss"), pen=pg.mkPen("#c62828", width=2))
        self.accuracy_plot = make_accuracy_plot(self.tr("Accuracy on the points"), self.tr("epoch"))
        self.accuracy_curve = self.accuracy_plot.plot([], [], name=self.tr("accuracy"),
                                                      pen=pg.mkPen("#2e7d32", width=2))
        curves = QHBoxLayout()
        for plot in (self.curve_plot, self.accuracy_plot):
            plot.getPlotItem().legend.hide()  # one curve each: the title says what it is
            plot.setMaximumHeight(200)
            curves.addWidget(plot)
        layout.addWidget(SquareBox(self.canvas), 1)
        layout.addLayout(curves)
        return panel

    # -- points --------------------------------------------------------------------------------
    def add_point(self, x: float, y: float, other_class: bool = False) -> None:
        label = self.class_group.checkedId()
        if other_class:
            label = 1 - label
        self.points = np.vstack([self.points, [[x, y]]])
        self.labels = np.append(self.labels, label)
        self._draw_points()

    def load_example(self) -> None:
        self.points, self.labels = example_points(self.example_box.currentData())
        self.canvas.clear_grid()
        self._draw_points()

    def clear_points(self) -> None:
        self.points = np.zeros((0, 2))
        self.labels = np.zeros(0, dtype=np.intp)
        self.canvas.clear_grid()
        self._draw_points()

    def _draw_points(self) -> None:
        brushes = [pg.mkBrush(COLOURS["class1"] if label else COLOURS["class0"]) for label in self.labels]
        self.canvas.set_points(self.points, brushes)
        counts = np.bincount(self.labels, minlength=2) if len(self.labels) else (0, 0)
        self.show_status(self.tr("{0} orange and {1} blue points.").format(int(counts[0]), int(counts[1])))

    def set_controls_enabled(self, enabled: bool) -> None:
        super().set_controls_enabled(enabled)
        self.canvas.setEnabled(enabled)

    # -- running -------------------------------------------------------------------------------
    def settings(self) -> ClassifierSettings:
        return ClassifierSettings(hidden_units=self.hidden_box.value(), hidden_layers=self.layers_box.value(),
                                  activation=self.activation_box.currentData(), lr=self.lr_box.value(),
                                  epochs=self.epochs_box.value())

    def make_job(self) -> Experiment:
        settings = self.settings()
        points, labels = self.points.copy(), self.labels.copy()
        pause = SLOW_MOTION_PAUSE if self.slow_box.isChecked() else 0.0

        def job(on_event, should_stop):
            def paced(event) -> None:  # runs on the worker thread, never the GUI's
                on_event(event)
                if pause:
                    time.sleep(pause)
            return train_classifier(points, labels, settings, paced, should_stop)
        return job

    def reset_plots(self) -> None:
        self._epochs: list[int] = []
        self._losses: list[float] = []
        self._accuracies: list[float] = []
        self.loss_curve.setData([], [])
        self.accuracy_curve.setData([], [])

    def handle_events(self, events: list[object]) -> None:
        latest = None
        for event in events:
            if isinstance(event, ClassifierEpoch):
                self._epochs.append(event.epoch)
                self._losses.append(event.loss)
                self._accuracies.append(event.accuracy)
                latest = event
        if latest is not None:
            self.canvas.set_grid(latest.probability_grid, (0.0, 1.0))
            self.loss_curve.setData(self._epochs, self._losses)
            self.accuracy_curve.setData(self._epochs, [100 * a for a in self._accuracies])
            self.show_status(self.tr("Epoch {0} of {1}: loss {2:.4f}, {3:.0%} of the points right").format(
                latest.epoch, latest.epochs, latest.loss, latest.accuracy))

    def handle_result(self, result: object) -> None:
        assert isinstance(result, ClassifierResult)
        self.canvas.set_grid(result.probability_grid, (0.0, 1.0))
        ended = self.tr("Stopped") if result.reason == INTERRUPTED else self.tr("Done")
        if result.losses:
            self.show_status(self.tr(
                "{0} after {1} epochs: loss {2:.4f}, {3:.0%} of the points right.").format(
                ended, len(result.losses), result.losses[-1], result.accuracies[-1]))
