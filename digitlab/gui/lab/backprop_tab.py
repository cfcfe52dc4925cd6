"""Lab: backpropagation step by step on a 4-3-2 network, every gradient checked numerically.

Nothing here needs a worker thread: the whole derivation (44 numbers and 33 numerical
derivatives, each two forward passes of a 4-3-2 net) takes about 2 ms, so it is
computed at once when the sample changes and the buttons only move through it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.lab.backprop_steps import LOSSES, Step, TinyNet, backprop_steps
from .backprop_diagram import BackpropDiagram
from .base import ExperimentWidget, spin
from .numerical_tab import verdict
from .runner import Experiment

#: table columns
COLUMNS = ("step", "quantity", "formula", "numbers", "backprop", "numerical", "relative error")


class BackpropTab(ExperimentWidget):
    key = "backprop"

    def __init__(self, data_source, parent: QWidget | None = None) -> None:
        self.net: TinyNet | None = None
        self.steps: list[Step] = []
        #: index of the step shown last; -1 before the first
        self.position = -1
        super().__init__(data_source, parent)
        self.setObjectName("backpropStepper")
        # nothing runs in the background: Next and Back replace Start and Stop
        self.start_button.hide()
        self.stop_button.hide()
        self.new_network()

    def explanation_html(self) -> str:
        return self.tr(
            "<b>Backpropagation, step by step</b><p>A network of 4 inputs, 3 sigmoid hidden units "
            "and 2 outputs, and one sample. <b>Next</b> computes one number: first every value of "
            "the forward pass up to the loss E, then every gradient of the backward pass, from "
            "the loss back to the first weights. Each number appears where it is computed, in "
            "the diagram and in the table with its formula.</p><p>Every gradient is checked "
            "against the numerical derivative: nudge that one number by \u00b110\u207b\u2075, run "
            "the rest of the network again and divide the change of E by the nudge. The two "
            "columns agree to about 10\u207b\u00b9\u2070: the chain rule is right.</p>")

    def side_width(self) -> int:
        return 400  # room for four buttons in a row

    def build_controls(self, form: QFormLayout) -> None:
        self.loss_box = QComboBox()
        self.loss_box.setObjectName("backpropLoss")
        labels = {"mse": self.tr("sigmoid, squared error"),
                  "cross_entropy": self.tr("softmax, cross-entropy")}
        for key in LOSSES:
            self.loss_box.addItem(labels[key], key)
        self.loss_box.setToolTip(self.tr(
            "The output layer and the loss: sigmoid outputs with E = \u00bd\u03a3(y\u2212t)\u00b2, "
            "or softmax outputs with E = \u2212\u03a3 t log y. With softmax and cross-entropy, "
            "\u03b42 = y \u2212 t: the two derivatives simplify each other"))
        self.loss_box.currentIndexChanged.connect(self.new_network)
        self.seed_box = spin(0, 0, 999999, self.tr("Seed for the weights, the inputs and the target"))
        self.seed_box.setObjectName("backpropSeed")
        self.seed_box.valueChanged.connect(self.new_network)
        form.addRow(self.tr("Output and loss"), self.loss_box)
        form.addRow(self.tr("Seed"), self.seed_box)

    def extra_buttons(self) -> list[QPushButton]:
        def button(text: str, name: str, tip: str, slot) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.back_button = button(self.tr("Back"), "backpropBack", self.tr("Undo the last step"), self.back)
        self.next_button = button(self.tr("Next"), "backpropNext",
                                  self.tr("Compute the next number (shortcut: N)"), self.next)
        self.next_button.setShortcut(Qt.Key.Key_N)
        self.reset_button = button(self.tr("Reset"), "backpropReset",
                                   self.tr("Back to the start: nothing computed yet"), self.reset)
        self.new_button = button(self.tr("New sample"), "backpropNew",
                                 self.tr("New random weights, inputs and target (the next seed)"),
                                 self.new_sample)
        return [self.back_button, self.next_button, self.reset_button, self.new_button]

    def build_plots(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.diagram = BackpropDiagram()
        self.diagram.setToolTip(self.tr(
            "The network with every number computed so far. Orange: the forward step just taken; "
            "blue: the backward step"))
        self.current = QLabel()
        self.current.setObjectName("backpropCurrent")
        self.current.setWordWrap(True)
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.current.setStyleSheet("QLabel { font-size: 11pt; padding: 4px; }")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("backpropTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Step"), self.tr("Quantity"), self.tr("Formula"), self.tr("With the numbers"),
            self.tr("Backprop"), self.tr("Numerical"), self.tr("Relative error")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for stretched in (2, 3):  # the formula and its numbers share what is left
            header.setSectionResizeMode(stretched, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setToolTip(self.tr(
            "Every number so far. For a gradient, the backprop value and the numerical derivative "
            "side by side; green: they agree to better than 1e-7"))
        layout.addWidget(self.diagram, 3)
        layout.addWidget(self.current)
        layout.addWidget(self.table, 2)
        return panel

    def start(self) -> None:
        """What Start means here (the button is hidden; scripts may still call it): one step."""
        self.next()

    def make_job(self) -> Experiment:  # never called: start() steps instead of running a job
        raise NotImplementedError

    # -- stepping ------------------------------------------------------------------------------
    def new_network(self) -> None:
        """Build the net for the chosen seed and loss, compute its derivation, go to the start."""
        self.net = TinyNet.random(self.seed_box.value(), self.loss_box.currentData())
        self.steps = backprop_steps(self.net)
        self.reset()

    def new_sample(self) -> None:
        self.seed_box.setValue(self.seed_box.value() + 1)  # rebuilds through valueChanged

    def next(self) -> None:
        if self.position < len(self.steps) - 1:
            self.position += 1
            self._add_row(self.position)
            self._show()

    def back(self) -> None:
        if self.position >= 0:
            self.table.removeRow(self.position)
            self.position -= 1
            self._show()

    def reset(self) -> None:
        self.position = -1
        self.table.setRowCount(0)
        self._show()

    def run_to_end(self) -> None:
        while self.position < len(self.steps) - 1:
            self.next()

    def _add_row(self, i: int) -> None:
        step = self.steps[i]
        cells = [str(i + 1), step.label, step.formula, step.arithmetic, f"{step.value:.6g}",
                 "" if step.numerical is None else f"{step.numerical:.6g}",
                 "" if step.relative_error is None else f"{step.relative_error:.1e}"]
        self.table.insertRow(i)
        colour = None if step.relative_error is None else QColor(verdict(step.relative_error)[1])
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if colour is not None and c >= 4:
                item.setBackground(colour)
                item.setForeground(QColor("#1a1a1a"))  # dark text on the pale verdict colours
            self.table.setItem(i, c, item)
        self.table.selectRow(i)
        self.table.scrollToItem(self.table.item(i, 0))

    def _show(self) -> None:
        done = self.steps[:self.position + 1]
        self.diagram.show_steps(self.net, done)
        self.back_button.setEnabled(self.position >= 0)
        self.reset_button.setEnabled(self.position >= 0)
        self.next_button.setEnabled(self.position < len(self.steps) - 1)
        forward_count = sum(1 for s in self.steps if s.phase == "forward")
        if not done:
            self.current.setText(self.tr("Press <b>Next</b> to compute the first value of the "
                                         "forward pass."))
            self.show_status(self.tr("{0} values forward, then {1} gradients backward.").format(
                forward_count, len(self.steps) - forward_count))
            return
        step = done[-1]
        phase = self.tr("forward") if step.phase == "forward" else self.tr("backward")
        text = f"<b>{step.formula}</b><br>{step.arithmetic}"
        if step.numerical is not None:
            text += "<br>" + self.tr("numerical: (E(+h) \u2212 E(\u2212h)) / 2h = {0:.10f}; "
                                     "backprop {1:.10f}; relative error {2:.1e}").format(
                step.numerical, step.value, step.relative_error)
        self.current.setText(text)
        self.show_status(self.tr("Step {0} of {1} ({2}).").format(self.position + 1, len(self.steps), phase))
