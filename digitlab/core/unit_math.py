"""One unit's arithmetic, number by number: inputs x weights, + bias, = pre-activation, -> activation.

A *unit* is one number of a layer's output for one input: a dense unit, or one output position
of one convolution filter (its inputs are the window under the kernel, across all channels).
:func:`unit_breakdown` lays out every product that adds up to it, from the layer outputs of
:func:`~digitlab.core.introspect.layer_outputs`; :func:`softmax_steps` does the same for the
output layer's softmax, with a temperature that changes the confidence but never the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Softmax
from .batchnorm import BatchNorm
from .conv import Conv2D
from .layers import Dense, Dropout, Layer
from .network import Network

__all__ = ["SoftmaxSteps", "UnitBreakdown", "feeding_layer", "is_weighted", "network_scores_of",
           "softmax_steps", "unit_breakdown"]


def is_weighted(layer: Layer) -> bool:
    """Whether a unit of ``layer`` is a weighted sum this module can break down."""
    return isinstance(layer, (Dense, Conv2D))


def _passes_units_through(layer: Layer) -> bool:
    """Layers whose unit ``u`` depends only on unit ``u`` of their input (and softmax, whose
    unit ``u`` is read as fed by score ``u``)."""
    return layer.is_activation or isinstance(layer, (Dropout, BatchNorm))


def feeding_layer(network: Network, index: int) -> int | None:
    """The weighted layer whose unit feeds unit ``u`` of layer ``index`` (itself if weighted).

    Walks back through activations, dropout and batch norm; None when a pooling, flatten or
    the input comes first (those units have no weights of their own).
    """
    while index >= 0:
        layer = network.layers[index]
        if is_weighted(layer):
            return index
        if not _passes_units_through(layer):
            return None
        index -= 1
    return None


@dataclass(frozen=True, eq=False)
class UnitBreakdown:
    """How one unit's value is computed for one input.

    Attributes
    ----------
    layer_index : int
        The weighted layer (dense or conv2d).
    unit : tuple of int
        ``(u,)`` for dense, ``(filter, row, col)`` for conv.
    inputs, weights : np.ndarray, shape (M,)
        Every input the unit reads (zero where a conv window lies on padding) and its weight.
    input_positions : list of tuple of int
        Where each input sits in the layer's input: ``(i,)`` or ``(channel, row, col)``
        (rows and columns of the unpadded input; negative or too large on padding).
    bias, pre_activation : float
        ``pre_activation = sum(inputs * weights) + bias``.
    activation_name : str or None
        The activation right after the layer ("relu", "softmax"...), if any.
    activation : float or None
        Its output for this unit.
    """

    layer_index: int
    unit: tuple[int, ...]
    inputs: np.ndarray
    weights: np.ndarray
    input_positions: list[tuple[int, ...]]
    bias: float
    pre_activation: float
    activation_name: str | None
    activation: float | None

    @property
    def products(self) -> np.ndarray:
        """``inputs * weights``, shape (M,)."""
        return self.inputs * self.weights

    def top(self, count: int) -> np.ndarray:
        """Indices of the ``count`` largest contributions by size, largest first."""
        order = np.argsort(-np.abs(self.products), kind="stable")
        return order[:count]

    def rest(self, count: int) -> float:
        """What all contributions but the top ``count`` add up to."""
        return float(self.products.sum() - self.products[self.top(count)].sum())


def _dense_inputs(layer: Dense, layer_input: np.ndarray, unit: int):
    weights = layer.params["W"][:, unit]
    positions = [(i,) for i in range(layer_input.size)]
    return layer_input.reshape(-1), weights, positions, float(layer.params["b"][unit])


def _conv_inputs(layer: Conv2D, layer_input: np.ndarray, unit: tuple[int, int, int]):
    f, row, col = unit
    c, h, w = layer_input.shape
    (pt, pb), (pl, pr) = layer.pads(h, w)
    (kh, kw), (sh, sw) = layer.kernel_size, layer.stride
    padded = np.pad(layer_input, ((0, 0), (pt, pb), (pl, pr)))
    top, left = row * sh, col * sw
    window = padded[:, top:top + kh, left:left + kw]
    channels, rows, cols = np.meshgrid(np.arange(c), np.arange(kh), np.arange(kw), indexing="ij")
    positions = [(int(ch), int(top + r - pt), int(left + q - pl))
                 for ch, r, q in zip(channels.ravel(), rows.ravel(), cols.ravel(), strict=True)]
    return window.reshape(-1), layer.params["W"][f].reshape(-1), positions, float(layer.params["b"][f])


def unit_breakdown(network: Network, x: np.ndarray, outputs: list[np.ndarray], layer_index: int,
                   unit: int) -> UnitBreakdown:
    """Every product that makes unit ``unit`` of weighted layer ``layer_index``.

    Parameters
    ----------
    network : Network
    x : np.ndarray, shape (*network.input_shape)
        One network input (after the input transform).
    outputs : list of np.ndarray
        ``layer_outputs(network, x[None])``, each of shape (1, *layer output shape).
    layer_index : int
        A dense or conv2d layer (see :func:`feeding_layer`).
    unit : int
        Flat index into that layer's output (dense: the unit; conv: ``(filter, row, col)``
        in C order).

    Raises
    ------
    ValueError
        If the layer has no weights or the unit is out of range.
    """
    layer = network.layers[layer_index]
    if not is_weighted(layer):
        raise ValueError(f"layer {layer_index} ({layer.type_name}) has no weights to break down")
    out_shape = outputs[layer_index].shape[1:]
    if not 0 <= unit < int(np.prod(out_shape)):
        raise ValueError(f"layer {layer_index} has {int(np.prod(out_shape))} units, not {unit + 1}")
    layer_input = x if layer_index == 0 else outputs[layer_index - 1][0]
    layer_input = np.asarray(layer_input, dtype=np.float64).reshape(network.layer_input_shapes[layer_index])
    position = tuple(int(i) for i in np.unravel_index(unit, out_shape))
    if isinstance(layer, Dense):
        inputs, weights, positions, bias = _dense_inputs(layer, layer_input, unit)
    else:
        inputs, weights, positions, bias = _conv_inputs(layer, layer_input, position)
    inputs = np.asarray(inputs, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    pre = float(np.dot(inputs, weights) + bias)
    name = value = None
    after = layer_index + 1
    if after < len(network.layers) and network.layers[after].is_activation:
        name = network.layers[after].type_name
        value = float(outputs[after][0].reshape(-1)[unit]) + 0.0  # relu's -0.0 reads as 0
    return UnitBreakdown(layer_index, position, inputs, weights, positions, bias, pre, name, value)


@dataclass(frozen=True, eq=False)
class SoftmaxSteps:
    """The softmax of scores ``z`` at temperature ``T``, one step at a time (each shape (K,)).

    ``scaled = z / T``; ``shifted = scaled - max(scaled)`` (so ``exp`` cannot overflow, and the
    largest is exactly 1); ``exps = exp(shifted)``; ``probabilities = exps / total``.
    """

    scores: np.ndarray
    temperature: float
    scaled: np.ndarray
    shifted: np.ndarray
    exps: np.ndarray
    total: float
    probabilities: np.ndarray

    @property
    def answer(self) -> int:
        """The class with the largest probability: the largest score, whatever ``T``."""
        return int(np.argmax(self.probabilities))


def softmax_steps(scores: np.ndarray, temperature: float = 1.0) -> SoftmaxSteps:
    """Softmax of ``scores`` (K,) divided by ``temperature`` (> 0), with every step kept."""
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    z = np.asarray(scores, dtype=np.float64).reshape(-1)
    scaled = z / temperature
    shifted = scaled - scaled.max()
    exps = np.exp(shifted)
    total = float(exps.sum())
    return SoftmaxSteps(z, float(temperature), scaled, shifted, exps, total, exps / total)


def network_scores_of(network: Network, outputs: list[np.ndarray]) -> np.ndarray | None:
    """The class scores before a final softmax layer, from layer outputs; None without one."""
    if isinstance(network.layers[-1], Softmax) and len(outputs) >= 2:
        return np.asarray(outputs[-2][0], dtype=np.float64).reshape(-1)
    return None
