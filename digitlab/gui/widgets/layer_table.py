"""An editable table of layer entries: type, per-type settings, output shape and parameters.

The layer types come from the core registry and each type's settings from its constructor's
signature, so a layer added to the registry (convolution, pooling, batch norm) is editable here
without changing this file. Known settings get a fitting control with a range and a tooltip;
unknown ones get a text field that takes a number or a word.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import ConfigError
from ...core.registry import INITIALIZERS, LAYERS, build_layer
from .fields import SciSpinBox

#: layer types whose weights the initialiser applies to
WEIGHT_LAYERS = ("dense", "conv2d")
#: types that work on images (C, H, W): their presence makes the input an image
IMAGE_LAYERS = ("conv2d", "max_pool2d", "avg_pool2d")


def _tr(text: str) -> str:
    return QCoreApplication.translate("LayerTable", text)


def _key_spec(kind: str, key: str, default: Any) -> tuple[str, float, float, str, str]:
    """(control, minimum, maximum, short label, tooltip) for one layer setting."""
    if key == "units":
        return "int", 1, 8192, _tr("units"), _tr("Number of outputs (neurons) of this dense layer")
    if key == "filters":
        return "int", 1, 512, _tr("filters"), _tr("Number of filters (output channels)")
    if key == "kernel_size":
        return "int", 1, 28, _tr("kernel"), _tr("Side of the square convolution kernel, in pixels")
    if key == "pool_size":
        return "int", 1, 28, _tr("size"), _tr("Side of the square pooling window, in pixels")
    if key == "stride":
        if default is None:
            return ("int_auto", 0, 28, _tr("stride"),
                    _tr("Step between windows; 'auto' steps by the window size"))
        return "int", 1, 28, _tr("stride"), _tr("Step between kernel positions, in pixels")
    if key == "padding":
        return ("padding", 0, 0, _tr("padding"),
                _tr("'valid': no padding (the image shrinks); 'same': pad to keep the size; "
                    "or a number of zero pixels on each side"))
    if key == "rate":
        return "float", 0.0, 0.95, _tr("rate"), _tr("Fraction of inputs dropped at random in training")
    if key == "slope":
        return "float", 0.0, 1.0, _tr("slope"), _tr("Slope for negative inputs")
    if key == "init_slope":
        return "float", 0.0, 1.0, _tr("slope"), _tr("Starting value of the learned negative slope")
    if key == "momentum":
        return ("float", 0.0, 0.999, _tr("momentum"),
                _tr("How slowly the running mean and variance follow the batches"))
    if key == "init":
        return ("choice", 0, 0, _tr("init"),
                _tr("How this layer's weights start: 'normal' draws from N(0, scale^2), 'xavier' "
                    "suits sigmoid/tanh, 'he' suits ReLU"))
    if key == "init_scale":
        return ("sci", 1e-6, 10.0, _tr("init scale"),
                _tr("Standard deviation of the 'normal' initialiser (the tutorials use 0.01)"))
    if key == "eps":
        return "sci", 1e-12, 1.0, _tr("eps"), _tr("Added to the variance to avoid dividing by zero")
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        return "text", 0, 0, key, _tr("Setting '{0}' of this layer").format(key)
    if isinstance(default, int):
        return "int", 0, 100000, key, _tr("Setting '{0}' of this layer").format(key)
    return "float", 0.0, 1e6, key, _tr("Setting '{0}' of this layer").format(key)


def layer_settings(kind: str) -> dict[str, Any]:
    """The editable settings of a layer type with their defaults (``inspect.Parameter.empty``
    when required), read from its constructor."""
    cls = LAYERS.get(kind)
    if cls is None:
        return {}
    params = inspect.signature(cls.__init__).parameters
    return {name: p.default for name, p in params.items()
            if name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def default_entry(kind: str, init: str = "he", init_scale: float = 0.01) -> dict[str, Any]:
    """A new layer entry of ``kind`` with sensible defaults for required settings."""
    entry: dict[str, Any] = {"type": kind}
    required = {"units": 64, "filters": 8, "kernel_size": 3}
    for key, default in layer_settings(kind).items():
        if key == "init":
            entry[key] = init
        elif key == "init_scale":
            entry[key] = init_scale
        elif default is inspect.Parameter.empty:
            entry[key] = required.get(key, 1)
        elif default is not None:
            entry[key] = default
    return entry


def walk_shapes(layers: list[dict[str, Any]], input_shape: tuple[int, ...]
                ) -> list[tuple[str, int | None, str | None]]:
    """Per layer: (output shape text, parameter count, error). Stops at the first error."""
    rows: list[tuple[str, int | None, str | None]] = []
    shape = tuple(input_shape)
    for entry in layers:
        try:
            layer = build_layer(entry)
            count = sum(int(np.prod(s)) for s in layer.param_shapes(shape).values())
            shape = tuple(layer.output_shape(shape))
        except (ConfigError, ValueError, TypeError) as exc:
            rows.append(("\u26a0", None, str(exc)))
            rows.extend(("", None, None) for _ in range(len(layers) - len(rows)))
            return rows
        rows.append(("\u00d7".join(str(d) for d in shape), count, None))
    return rows


def summary(entry: dict[str, Any]) -> str:
    """A short text of a layer's settings, e.g. ``units 256`` or ``filters 8, kernel 3``."""
    kind = entry.get("type", "")
    defaults = layer_settings(kind)
    parts = []
    for key in defaults:
        if key == "init_scale" and entry.get("init") != "normal":
            continue  # only the normal initialiser reads it
        value = entry.get(key, defaults[key])
        if value is inspect.Parameter.empty:
            continue
        label = _key_spec(kind, key, defaults[key])[3]
        parts.append(f"{label} {_tr('auto') if value is None else value}")
    return ", ".join(parts) or "\u2014"  # a dash, so an activation's row does not look unfinished


class LayerEditor(QWidget):
    """The layer stack: a table (type, settings, output shape, parameters), buttons to add,
    remove and reorder, and a form editing the selected layer. Emits ``layers_edited`` after
    any change made by the user (never when the panel writes layers back)."""

    layers_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layers: list[dict[str, Any]] = []
        self._init = ("he", 0.01)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("layerTable")
        self.table.setHorizontalHeaderLabels([self.tr("Layer"), self.tr("Settings"),
                                              self.tr("Output"), self.tr("Params")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setToolTip(self.tr("The network's layers from input (top) to output (bottom); "
                                      "activations are layers of their own. Select a row to edit it."))
        self.table.currentCellChanged.connect(lambda row, *_: self._show_details(row))
        self.table.setMinimumHeight(120)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.add_button = self._button(buttons, self.tr("Add"), "addLayerButton",
                                       self.tr("Insert a dense layer below the selected one"),
                                       lambda: self.add_layer("dense"))
        self._button(buttons, self.tr("Remove"), "removeLayerButton",
                     self.tr("Delete the selected layer"), self.remove_layer)
        self._button(buttons, self.tr("Up"), "layerUpButton",
                     self.tr("Move the selected layer towards the input"), lambda: self.move_layer(-1))
        self._button(buttons, self.tr("Down"), "layerDownButton",
                     self.tr("Move the selected layer towards the output"), lambda: self.move_layer(1))
        layout.addLayout(buttons)

        self.details = QGroupBox(self.tr("Selected layer"))
        self.details.setObjectName("layerDetails")
        self._details_form = QFormLayout(self.details)
        self._details_form.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.details)

    @staticmethod
    def _button(row: QHBoxLayout, text: str, name: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # -- the entries -----------------------------------------------------------------------
    def layers(self) -> list[dict[str, Any]]:
        return [dict(e) for e in self._layers]

    def set_layers(self, layers: list[dict[str, Any]]) -> None:
        """Show ``layers`` (no signal: this is the panel writing back)."""
        row = self.table.currentRow()
        self._layers = [dict(e) for e in layers]
        self._refresh_table()
        self._select(min(max(row, 0), len(self._layers) - 1))

    def set_initializer(self, init: str, init_scale: float) -> None:
        """Initialiser given to dense and convolution layers added from now on."""
        self._init = (init, init_scale)

    def current_row(self) -> int:
        return self.table.currentRow()

    def show_shapes(self, rows: list[tuple[str, int | None, str | None]]) -> None:
        for row, (shape, count, error) in enumerate(rows[: self.table.rowCount()]):
            out = QTableWidgetItem(shape)
            out.setToolTip(error or self.tr("Shape of this layer's output for one image"))
            if error:
                out.setForeground(Qt.GlobalColor.red)
            self.table.setItem(row, 2, out)
            params = QTableWidgetItem(f"{count:,}" if count is not None else "")
            params.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            params.setToolTip(self.tr("Trainable parameters of this layer"))
            self.table.setItem(row, 3, params)

    # -- structure edits -------------------------------------------------------------------
    def add_layer(self, kind: str = "dense") -> None:
        row = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else len(self._layers)
        self._layers.insert(row, default_entry(kind, *self._init))
        self._refresh_table()
        self._select(row)
        self.layers_edited.emit()

    def remove_layer(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._layers):
            del self._layers[row]
            self._refresh_table()
            self._select(min(row, len(self._layers) - 1))
            self.layers_edited.emit()

    def move_layer(self, delta: int) -> None:
        row, target = self.table.currentRow(), self.table.currentRow() + delta
        if 0 <= row < len(self._layers) and 0 <= target < len(self._layers):
            self._layers[row], self._layers[target] = self._layers[target], self._layers[row]
            self._refresh_table()
            self._select(target)
            self.layers_edited.emit()

    def set_layer_type(self, row: int, kind: str) -> None:
        if 0 <= row < len(self._layers) and self._layers[row].get("type") != kind:
            self._layers[row] = default_entry(kind, *self._init)
            self._refresh_table()
            self._select(row, force=True)
            self.layers_edited.emit()

    def set_layer_value(self, row: int, key: str, value: Any) -> None:
        if 0 <= row < len(self._layers):
            if value is None:
                self._layers[row].pop(key, None)
            else:
                self._layers[row][key] = value
            self.table.item(row, 1).setText(summary(self._layers[row]))
            self.layers_edited.emit()

    # -- display ---------------------------------------------------------------------------
    def _refresh_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._layers))
        for row, entry in enumerate(self._layers):
            kind = QTableWidgetItem(entry.get("type", "?"))
            cls = LAYERS.get(entry.get("type", ""))
            if cls is not None:
                kind.setToolTip(_doc_line(cls))
            self.table.setItem(row, 0, kind)
            settings = QTableWidgetItem(summary(entry))
            settings.setToolTip(summary(entry))
            self.table.setItem(row, 1, settings)
        self.table.blockSignals(False)

    def _select(self, row: int, force: bool = False) -> None:
        if row < 0:
            self._show_details(-1)
            return
        previous = self.table.currentRow()
        self.table.setCurrentCell(row, 0)
        if force or previous == row:
            self._show_details(row)

    def _show_details(self, row: int) -> None:
        form = self._details_form
        while form.rowCount():
            # take, then delete later: the row may hold the combo whose signal got us here
            taken = form.takeRow(0)
            for item in (taken.labelItem, taken.fieldItem):
                if item is not None and item.widget() is not None:
                    item.widget().hide()
                    item.widget().deleteLater()
        if not 0 <= row < len(self._layers):
            self.details.setTitle(self.tr("Selected layer"))
            note = QLabel(self.tr("Select a layer in the table to edit it."))
            note.setEnabled(False)
            form.addRow(note)
            return
        entry = self._layers[row]
        kind = entry.get("type", "")
        self.details.setTitle(self.tr("Layer {0}").format(row + 1))
        combo = QComboBox()
        combo.setObjectName("layerTypeCombo")
        for name, cls in LAYERS.items():
            combo.addItem(name)
            combo.setItemData(combo.count() - 1, _doc_line(cls), Qt.ItemDataRole.ToolTipRole)
        if combo.findText(kind) < 0:
            combo.addItem(kind)
        combo.setCurrentText(kind)
        combo.setToolTip(self.tr("Layer type; activations are layers of their own"))
        combo.currentTextChanged.connect(lambda text, r=row: self.set_layer_type(r, text))
        form.addRow(self.tr("Type:"), combo)
        defaults = layer_settings(kind)
        for key, default in defaults.items():
            control, low, high, label, tip = _key_spec(kind, key, default)
            widget = self._control(row, key, control, low, high, entry.get(key, default))
            widget.setObjectName(f"layer_{key}")
            widget.setToolTip(tip)
            form.addRow(label[:1].upper() + label[1:] + ":", widget)

    def _control(self, row: int, key: str, control: str, low: float, high: float, value: Any) -> QWidget:
        def changed(v: Any) -> None:
            self.set_layer_value(row, key, v)

        if control in ("int", "int_auto"):
            spin = QSpinBox()
            spin.setRange(int(low), int(high))
            spin.setKeyboardTracking(False)
            first = value[0] if isinstance(value, (list, tuple)) and value else value
            spin.setValue(int(first) if isinstance(first, (int, float)) else int(low))
            if control == "int_auto":
                spin.setSpecialValueText(self.tr("auto"))
                spin.valueChanged.connect(lambda v: changed(None if v == 0 else v))
            else:
                spin.valueChanged.connect(changed)
            return spin
        if control in ("float", "sci"):
            if control == "sci":
                spin = SciSpinBox(low, high)
            else:
                spin = QDoubleSpinBox()
                spin.setRange(low, high)
                spin.setDecimals(3)
                spin.setSingleStep(0.05)
                spin.setKeyboardTracking(False)
            spin.setValue(float(value) if isinstance(value, (int, float)) else low)
            spin.valueChanged.connect(changed)
            return spin
        if control == "choice":
            combo = QComboBox()
            combo.addItems(list(INITIALIZERS))
            combo.setCurrentText(str(value))
            combo.currentTextChanged.connect(changed)
            return combo
        if control == "padding":
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(["valid", "same", "1", "2"])
            combo.setCurrentText(str(value))
            combo.currentTextChanged.connect(
                lambda text: changed(int(text) if text.strip().isdigit() else text.strip()))
            return combo
        edit = QLineEdit("" if value is inspect.Parameter.empty else str(value))
        edit.editingFinished.connect(lambda: changed(_parse(edit.text().strip())))
        return edit


def _doc_line(cls: type) -> str:
    doc = (cls.__doc__ or "").strip().split("\n\n")[0].replace("``", "")
    return " ".join(doc.split())


def _parse(text: str) -> Any:
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text or None
