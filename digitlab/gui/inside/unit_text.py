"""Names for units and their inputs, and a unit's arithmetic in one line, as the Inside views say them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ...core.network import Network
from ...core.unit_math import UnitBreakdown


def _tr(text: str) -> str:
    return QCoreApplication.translate("UnitText", text)


def layer_title(network: Network, index: int) -> str:
    """``"2: dense -> (128,)"``: a layer's index, type and output shape."""
    shape = network.layers[index].output_shape(network.layer_input_shapes[index])
    return _tr("{0}: {1} → {2}").format(index, network.layers[index].type_name,
                                         " x ".join(str(d) for d in shape))


def unit_name(position: tuple[int, ...]) -> str:
    """``"unit 17"`` or ``"filter 3 at (row 5, col 9)"``."""
    if len(position) == 3:
        return _tr("filter {0} at (row {1}, col {2})").format(*position)
    return _tr("unit {0}").format(position[-1])


def input_name(network: Network, layer_index: int, position: tuple[int, ...]) -> str:
    """What sits at ``position`` of the input of layer ``layer_index``: a pixel of the digit,
    a unit or a feature-map position of the layer before, or padding."""
    if len(position) == 3:
        channel, row, col = position
        _, height, width = network.layer_input_shapes[layer_index]
        if not (0 <= row < height and 0 <= col < width):
            return _tr("padding")
        if layer_index == 0:
            return _tr("pixel (row {0}, col {1})").format(row, col)
        return _tr("layer {0}, map {1} (row {2}, col {3})").format(layer_index - 1, channel, row, col)
    (i,) = position
    if layer_index == 0 and network.input_shape == (784,):
        return _tr("pixel (row {0}, col {1})").format(i // 28, i % 28)
    if layer_index == 0:
        return _tr("input {0}").format(i)
    return _tr("layer {0}, unit {1}").format(layer_index - 1, i)


def breakdown_line(network: Network, parts: UnitBreakdown, count: int = 4) -> str:
    """The arithmetic of one unit in a line: its top inputs, the rest, the bias and the result."""
    terms = [_tr("{0}: {1:.3g} × {2:.3g}").format(
        input_name(network, parts.layer_index, parts.input_positions[i]),
        parts.inputs[i], parts.weights[i]) for i in parts.top(count)]
    text = _tr("z = {0} + {1} other inputs ({2:+.3g}) + bias {3:+.3g} = {4:.4g}").format(
        "; ".join(terms), max(0, len(parts.inputs) - count), parts.rest(count), parts.bias,
        parts.pre_activation)
    if parts.activation_name is not None and parts.activation is not None:
        text += _tr(" → {0} = {1:.4g}").format(parts.activation_name, parts.activation)
    return text
