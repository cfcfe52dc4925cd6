"""layerMathView: one unit's arithmetic with numbers, and the softmax step by step."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.activations import Softmax
from ...core.network import Network
from ...core.unit_math import SoftmaxSteps, UnitBreakdown, is_weighted, softmax_steps, unit_breakdown
from ..session import Session
from .context import InsideContext
from .digit_view import DigitOutputs, DigitView, digit_outputs
from .unit_text import input_name, layer_title

#: inputs listed one by one (the rest are summed in one row)
TOP_INPUTS = 10
#: the temperature slider spans 10**(-1) .. 10**1 in steps of 10**(1/STEPS_PER_DECADE)
STEPS_PER_DECADE = 20


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    """Show ``rows`` of text, reusing the items already there (new items cost far more)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = table.item(r, c)
            if item is None:
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(r, c, item)
            elif item.text() != text:
                item.setText(text)
    # Once per fill: a column that resizes to its contents by itself would measure every row
    # again for each changed cell (half a millisecond each).
    table.resizeColumnsToContents()


class LayerMathView(DigitView):
    """Pick a weighted layer and a unit: input × weight, + bias, = z, → activation."""

    def __init__(self, session: Session, context: InsideContext, parent: QWidget | None = None) -> None:
        super().__init__(session, context, self.tr(
            "One unit's arithmetic for this digit: each input times its weight (the largest "
            "contributions first), plus the bias, gives the pre-activation z; the activation "
            "turns z into the unit's output. A convolution unit is one filter at one position: "
            "its inputs are the window under the filter. For the output layer, the softmax "
            "steps turn scores into probabilities; the temperature changes the confidence, "
            "never the answer."), parent)
        self.setObjectName("layerMathView")
        self.layer_combo = QComboBox(self.body)
        self.layer_combo.setObjectName("mathLayerCombo")
        self.layer_combo.setToolTip(self.tr("A layer with weights: dense or convolution"))
        self.unit_spin = QSpinBox(self.body)
        self.unit_spin.setObjectName("mathUnitSpin")
        self.row_spin = QSpinBox(self.body)
        self.row_spin.setObjectName("mathRowSpin")
        self.row_spin.setPrefix(self.tr("row "))
        self.row_spin.setToolTip(self.tr("Output row of the filter's position"))
        self.col_spin = QSpinBox(self.body)
        self.col_spin.setObjectName("mathColSpin")
        self.col_spin.setPrefix(self.tr("col "))
        self.col_spin.setToolTip(self.tr("Output column of the filter's position"))
        self.strongest_button = QPushButton(self.tr("Most active"), self.body)
        self.strongest_button.setObjectName("mathMostActiveButton")
        self.strongest_button.setToolTip(self.tr("Go to the unit with the largest output in this layer"))

        self.table = QTableWidget(0, 4, self.body)
        self.table.setObjectName("mathContributionTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("input"), self.tr("x (value)"), self.tr("w (weight)"), self.tr("x × w")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setToolTip(self.tr("The largest contributions input × weight, then the rest "
                                      "summed, the bias, and the result"))
        self.formula = QLabel("", self.body)
        self.formula.setObjectName("mathFormula")
        self.formula.setWordWrap(True)
        self.formula.setTextFormat(Qt.TextFormat.PlainText)

        self.softmax_box = QWidget(self.body)
        self.temperature_slider = QSlider(Qt.Orientation.Horizontal, self.softmax_box)
        self.temperature_slider.setObjectName("temperatureSlider")
        self.temperature_slider.setRange(-STEPS_PER_DECADE, STEPS_PER_DECADE)
        self.temperature_slider.setToolTip(self.tr(
            "Divide the scores by a temperature T before the softmax: T > 1 softens the "
            "probabilities, T < 1 sharpens them; the largest score wins either way"))
        self.temperature_label = QLabel("", self.softmax_box)
        self.softmax_table = QTableWidget(0, 6, self.softmax_box)
        self.softmax_table.setObjectName("softmaxStepsTable")
        self.softmax_table.setHorizontalHeaderLabels(
            [self.tr("digit"), "z", "z / T", self.tr("− max"), "exp", self.tr("÷ sum = p")])
        self.softmax_table.horizontalHeader().setStretchLastSection(True)
        self.softmax_table.verticalHeader().hide()
        for table in (self.table, self.softmax_table):  # compact rows: ten digits fit a small screen
            table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.softmax_answer = QLabel("", self.softmax_box)
        self.softmax_answer.setObjectName("softmaxAnswer")
        self.softmax_answer.setWordWrap(True)

        self._build_layout()
        self._network: Network | None = None
        self._input: np.ndarray | None = None
        self._outputs: list[np.ndarray] = []
        self._layers: list[int] = []
        self.breakdown: UnitBreakdown | None = None
        self.steps: SoftmaxSteps | None = None
        self.layer_combo.currentIndexChanged.connect(self._on_layer_changed)
        for spin in (self.unit_spin, self.row_spin, self.col_spin):
            spin.valueChanged.connect(self._show_unit)
        self.strongest_button.clicked.connect(self.select_most_active)
        self.temperature_slider.valueChanged.connect(self._show_softmax)

    def _build_layout(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Layer"), self.body))
        controls.addWidget(self.layer_combo, 1)
        controls.addWidget(self.unit_spin)
        controls.addWidget(self.row_spin)
        controls.addWidget(self.col_spin)
        controls.addWidget(self.strongest_button)
        temperature = QHBoxLayout()
        temperature.addWidget(QLabel(self.tr("Temperature"), self.softmax_box))
        temperature.addWidget(self.temperature_slider, 1)
        temperature.addWidget(self.temperature_label)
        box = QVBoxLayout(self.softmax_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel(self.tr("Softmax, step by step"), self.softmax_box))
        box.addLayout(temperature)
        box.addWidget(self.softmax_table, 1)
        box.addWidget(self.softmax_answer)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(self.formula)
        columns.addLayout(left, 3)
        columns.addWidget(self.softmax_box, 2)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(columns, 1)

    # -- the model and the digit ---------------------------------------------------------------
    @property
    def temperature(self) -> float:
        return 10 ** (self.temperature_slider.value() / STEPS_PER_DECADE)

    def compute(self):
        return digit_outputs

    def show_result(self, result: DigitOutputs) -> None:
        network = self.session.current_model().network
        if result.architecture != network.get_config():
            return  # computed for the model before; the new one's redraw is on its way
        layers = [i for i, layer in enumerate(network.layers) if is_weighted(layer)]
        if not layers:
            raise ValueError(self.tr("the network has no dense or convolution layer"))
        self._outputs = result.outputs
        self._input = result.network_input
        if network is not self._network or layers != self._layers:
            self._network, self._layers = network, layers
            chosen = self.layer_combo.currentIndex()
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems([layer_title(network, i) for i in layers])
            self.layer_combo.setCurrentIndex(chosen if 0 <= chosen < len(layers) else len(layers) - 1)
            self.layer_combo.blockSignals(False)
            self._on_layer_changed()
        else:
            self._show_unit()

    def clear(self) -> None:
        self._outputs, self._input, self.breakdown, self.steps = [], None, None, None
        self.table.setRowCount(0)
        self.softmax_table.setRowCount(0)
        self.formula.setText("")
        self.softmax_answer.setText("")

    @property
    def layer_index(self) -> int | None:
        row = self.layer_combo.currentIndex()
        return self._layers[row] if 0 <= row < len(self._layers) else None

    def _output_shape(self) -> tuple[int, ...]:
        return self._outputs[self.layer_index].shape[1:]

    def _on_layer_changed(self, *_args: object) -> None:
        if self.layer_index is None or not self._outputs:
            return
        shape = self._output_shape()
        is_conv = len(shape) == 3
        for spin, top in ((self.unit_spin, shape[0]), (self.row_spin, shape[1] if is_conv else 1),
                          (self.col_spin, shape[2] if is_conv else 1)):
            spin.blockSignals(True)
            spin.setRange(0, top - 1)
            spin.blockSignals(False)
        self.unit_spin.setPrefix(self.tr("filter ") if is_conv else self.tr("unit "))
        self.unit_spin.setToolTip(self.tr("Which filter") if is_conv else self.tr("Which unit"))
        self.row_spin.setVisible(is_conv)
        self.col_spin.setVisible(is_conv)
        self._show_unit()

    def select_unit(self, unit: int) -> None:
        """Show unit ``unit`` (flat index into the layer's output) of the chosen layer."""
        position = np.unravel_index(unit, self._output_shape())
        spins = (self.unit_spin, self.row_spin, self.col_spin)[:len(position)]
        for spin, value in zip(spins, position, strict=True):
            spin.blockSignals(True)
            spin.setValue(int(value))
            spin.blockSignals(False)
        self._show_unit()

    def select_most_active(self) -> None:
        if self.layer_index is not None and self._outputs:
            self.select_unit(int(np.argmax(self._outputs[self.layer_index][0])))

    def _current_unit(self) -> int:
        shape = self._output_shape()
        if len(shape) == 3:
            return int(np.ravel_multi_index(
                (self.unit_spin.value(), self.row_spin.value(), self.col_spin.value()), shape))
        return self.unit_spin.value()

    # -- the arithmetic ------------------------------------------------------------------------
    def _show_unit(self, *_args: object) -> None:
        index = self.layer_index
        if index is None or not self._outputs:
            return
        parts = unit_breakdown(self._network, self._input, self._outputs, index, self._current_unit())
        self.breakdown = parts
        top = parts.top(TOP_INPUTS)
        rows = [(input_name(self._network, index, parts.input_positions[i]), f"{parts.inputs[i]:.4g}",
                 f"{parts.weights[i]:.4g}", f"{parts.products[i]:+.4g}") for i in top]
        others = len(parts.inputs) - len(top)
        if others:
            rows.append((self.tr("the other {0} inputs").format(others), "", "",
                         f"{parts.rest(TOP_INPUTS):+.4g}"))
        rows.append((self.tr("+ bias b"), "", "", f"{parts.bias:+.4g}"))
        rows.append((self.tr("= pre-activation z"), "", "", f"{parts.pre_activation:.4g}"))
        if parts.activation_name is not None and parts.activation is not None:
            rows.append((self.tr("→ {0}(z)").format(parts.activation_name), "", "",
                         f"{parts.activation:.4g}"))
        _fill(self.table, rows)
        self.formula.setText(self.tr(
            "z = Σ x·w + b = {0:+.4g} {1:+.4g} = {2:.4g} (sum of all {3} products and the bias)").format(
            float(parts.products.sum()), parts.bias, parts.pre_activation, len(parts.inputs)))
        feeds_softmax = (index + 1 < len(self._network.layers)
                         and isinstance(self._network.layers[index + 1], Softmax))
        self.softmax_box.setVisible(feeds_softmax)
        if feeds_softmax:
            self._show_softmax()

    def _show_softmax(self, *_args: object) -> None:
        index = self.layer_index
        if index is None or not self._outputs:
            return
        steps = softmax_steps(self._outputs[index][0].reshape(-1), self.temperature)
        self.steps = steps
        self.temperature_label.setText(f"T = {steps.temperature:.2f}")
        _fill(self.softmax_table, [
            (str(k), f"{steps.scores[k]:.3f}", f"{steps.scaled[k]:.3f}", f"{steps.shifted[k]:.3f}",
             f"{steps.exps[k]:.4g}", f"{steps.probabilities[k]:.1%}")
            for k in range(len(steps.scores))])
        self.softmax_answer.setText(self.tr(
            "sum of exp = {0:.4g}. Answer: {1}, {2:.1%} sure at T = {3:.2f} (the largest score "
            "wins at every temperature)").format(steps.total, steps.answer,
                                                 float(steps.probabilities.max()), steps.temperature))

    def set_temperature(self, temperature: float) -> None:
        """Move the slider to the step nearest ``temperature`` (0.1 to 10)."""
        step = round(math.log10(temperature) * STEPS_PER_DECADE)
        self.temperature_slider.setValue(max(-STEPS_PER_DECADE, min(STEPS_PER_DECADE, step)))
