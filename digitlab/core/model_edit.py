"""Edits on a copy of a trained network: hidden units switched off or scaled, pruning, noise.

An edit is a small JSON-able record (``{"op": "units", ...}``, ``{"op": "prune", ...}``,
``{"op": "noise", ...}``); a list of them, applied in order to a *copy* of the network, is what
the Neuron lab shows and what a saved edited model records in its provenance
(``{"kind": "edited", "how": "...", "edits": [...]}``, see docs/model-format.md).

A hidden unit is one output feature of a dense layer (or one channel of a convolution) that a
later dense or convolution layer reads. Scaling it by ``s`` multiplies the weights through which
that *consumer* reads it (the rows of a dense ``W`` fed by it, or ``W[:, channel]`` of a
convolution), so the consumer sees exactly ``s`` times the unit's activation whatever lies in
between (activation, batch norm, dropout, pooling, flatten). ``s = 0`` switches it off. The
edited network is an ordinary network: it saves, loads and exports like any other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .conv import Conv2D
from .errors import ConfigError
from .layers import Dense, Flatten
from .network import Network
from .serialization import SavedModel

__all__ = ["HiddenLayer", "Edit", "apply_edits", "check_edits", "describe_edits", "edited_model",
           "hidden_layers", "first_changed_layer", "most_active_units", "unit_activity",
           "PRUNE_SCOPES", "MAX_UNIT_SCALE"]

#: ``"layer"`` prunes the smallest fraction of each layer's weights; ``"global"`` of all at once
PRUNE_SCOPES = ("layer", "global")
#: the largest factor a unit may be scaled by (a negative one would not commute with max-pooling)
MAX_UNIT_SCALE = 10.0

Edit = dict[str, Any]


@dataclass(frozen=True)
class HiddenLayer:
    """A layer whose units can be switched off or scaled.

    Attributes
    ----------
    index : int
        Position of the dense or convolution layer that computes the units.
    kind : str
        ``"dense"`` (units are features) or ``"conv2d"`` (units are channels).
    units : int
        How many units (features or channels).
    consumer : int
        Position of the dense or convolution layer that reads them.
    rows_per_unit : int
        Rows of the consumer's dense ``W`` fed by one unit (``H * W`` of a channel after a
        flatten; 1 otherwise); 0 when the consumer is a convolution.
    """

    index: int
    kind: str
    units: int
    consumer: int
    rows_per_unit: int


def hidden_layers(network: Network) -> list[HiddenLayer]:
    """Every dense/convolution layer whose output another dense/convolution layer reads.

    The last such layer (the output layer) is not hidden: nothing reads its units.
    """
    producers = [i for i, layer in enumerate(network.layers) if isinstance(layer, (Dense, Conv2D))]
    found = []
    for producer, consumer in zip(producers, producers[1:], strict=False):
        layer = network.layers[producer]
        units = layer.units if isinstance(layer, Dense) else layer.filters
        rows = 0
        if isinstance(network.layers[consumer], Dense):
            flattened = any(isinstance(network.layers[k], Flatten) for k in range(producer + 1, consumer))
            rows = math.prod(network.layer_input_shapes[consumer]) // units if flattened else 1
            if rows * units != math.prod(network.layer_input_shapes[consumer]):
                continue  # something between mixes units: they cannot be addressed one by one
        found.append(HiddenLayer(producer, "dense" if isinstance(layer, Dense) else "conv2d",
                                 units, consumer, rows))
    return found


def _weighted_layers(network: Network) -> list[int]:
    return [i for i, layer in enumerate(network.layers) if isinstance(layer, (Dense, Conv2D))]


def _check_fraction(name: str, value: Any, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= high:
        raise ConfigError(f"{name} must be a number from 0 to {high:g}, got {value!r}"[:200])
    return float(value)


def check_edits(network: Network, edits: Sequence[Edit]) -> None:
    """Raise :class:`ConfigError` (one line) unless every edit fits ``network``."""
    hidden = {h.index: h for h in hidden_layers(network)}
    if not isinstance(edits, (list, tuple)):
        raise ConfigError("edits must be a list")
    for edit in edits:
        op = edit.get("op") if isinstance(edit, dict) else None
        if op == "units":
            layer = edit.get("layer")
            if layer not in hidden:
                raise ConfigError(f"layer {layer!r} has no hidden units to edit "
                                  f"(hidden layers: {sorted(hidden)})")
            units = edit.get("units")
            if not isinstance(units, list) or not all(
                    isinstance(u, int) and not isinstance(u, bool) and 0 <= u < hidden[layer].units
                    for u in units):
                raise ConfigError(f"units of layer {layer} must be a list of indices below "
                                  f"{hidden[layer].units}")
            _check_fraction("a unit's scale", edit.get("scale"), MAX_UNIT_SCALE)
        elif op == "prune":
            _check_fraction("the pruned fraction", edit.get("fraction"))
            if edit.get("scope") not in PRUNE_SCOPES:
                raise ConfigError(f"prune scope must be one of {', '.join(PRUNE_SCOPES)}, "
                                  f"got {edit.get('scope')!r}"[:200])
        elif op == "noise":
            _check_fraction("the noise level", edit.get("level"), 10.0)
            seed = edit.get("seed")
            if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
                raise ConfigError(f"the noise seed must be a whole number >= 0, got {seed!r}"[:200])
        else:
            raise ConfigError(f"unknown edit {op!r}: use units, prune or noise"[:200])


def first_changed_layer(network: Network, edits: Sequence[Edit]) -> int:
    """The first layer whose weights ``edits`` change (``len(network.layers)`` if none): the
    output of the layers before it is the same as the unedited network's."""
    first = len(network.layers)
    hidden = {h.index: h for h in hidden_layers(network)}
    for edit in edits:
        if edit["op"] == "units":
            if edit["units"] and edit["scale"] != 1.0:
                first = min(first, hidden[edit["layer"]].consumer)
        elif edit.get("fraction", edit.get("level", 0.0)) > 0:
            first = min(first, _weighted_layers(network)[0])
    return first


def _scale_units(network: Network, hidden: HiddenLayer, units: list[int], scale: float) -> None:
    weights = network.layers[hidden.consumer].params["W"]
    if hidden.rows_per_unit == 0:  # convolution: W is (out, in, kh, kw)
        weights[:, units] *= scale
        return
    rows = hidden.rows_per_unit
    for unit in units:
        weights[unit * rows:(unit + 1) * rows] *= scale


def _prune(network: Network, fraction: float, scope: str) -> None:
    weights = [network.layers[i].params["W"] for i in _weighted_layers(network)]
    if fraction <= 0:
        return
    if scope == "global":
        magnitudes = np.concatenate([np.abs(w).ravel() for w in weights])
        thresholds = [_threshold(magnitudes, fraction)] * len(weights)
    else:
        thresholds = [_threshold(np.abs(w).ravel(), fraction) for w in weights]
    for w, limit in zip(weights, thresholds, strict=True):
        # ties at the threshold: prune by rank so exactly the asked share goes
        w[np.abs(w) < limit] = 0.0
        if scope == "layer":
            _prune_ties(w, limit, round(fraction * w.size))


def _threshold(magnitudes: np.ndarray, fraction: float) -> float:
    """The magnitude below which ``fraction`` of ``magnitudes`` lie (inf when all go)."""
    count = round(fraction * magnitudes.size)
    if count >= magnitudes.size:
        return math.inf
    if count == 0:
        return -math.inf
    return float(np.partition(magnitudes, count)[count])


def _prune_ties(w: np.ndarray, limit: float, count: int) -> None:
    flat = w.reshape(-1)
    missing = count - int(np.count_nonzero(flat == 0))
    if missing > 0 and math.isfinite(limit):
        ties = np.flatnonzero(np.abs(flat) == limit)[:missing]
        flat[ties] = 0.0


def _add_noise(network: Network, level: float, seed: int) -> None:
    """Each weight matrix gets Gaussian noise of ``level`` times its own standard deviation."""
    rng = np.random.default_rng(seed)
    for i in _weighted_layers(network):
        w = network.layers[i].params["W"]
        noise = rng.standard_normal(w.shape) * (level * float(np.std(w)))
        w += noise.astype(w.dtype)


def apply_edits(network: Network, edits: Sequence[Edit]) -> Network:
    """A copy of ``network`` with ``edits`` applied in order; ``network`` is never changed.

    Parameters
    ----------
    network : Network
        The trained network (MLP or CNN).
    edits : list of dict
        ``{"op": "units", "layer": i, "units": [j, ...], "scale": s}`` multiplies hidden units
        ``j`` of layer ``i`` by ``s`` in [0, 10] (0 switches them off);
        ``{"op": "prune", "fraction": f, "scope": "layer" | "global"}`` sets the fraction ``f``
        of weights (``W`` of dense and convolution layers, not biases) with the smallest
        magnitude to zero, per layer or over all layers together;
        ``{"op": "noise", "level": a, "seed": k}`` adds Gaussian noise of standard deviation
        ``a * std(W)`` to each weight matrix, drawn from ``default_rng(k)``.

    Raises
    ------
    ConfigError
        One line, if an edit does not fit the network.
    """
    check_edits(network, edits)
    edited = network.copy()
    hidden = {h.index: h for h in hidden_layers(edited)}
    for edit in edits:
        if edit["op"] == "units":
            _scale_units(edited, hidden[edit["layer"]], edit["units"], float(edit["scale"]))
        elif edit["op"] == "prune":
            _prune(edited, float(edit["fraction"]), edit["scope"])
        else:
            _add_noise(edited, float(edit["level"]), int(edit["seed"]))
    return edited


def describe_edits(edits: Sequence[Edit]) -> str:
    """One line for people: ``4 units of layer 0 off; pruned 20% of weights (global)``."""
    parts = []
    for edit in edits:
        if edit["op"] == "units":
            count, scale = len(edit["units"]), float(edit["scale"])
            what = "off" if scale == 0 else f"scaled by {scale:g}"
            parts.append(f"{count} unit{'s' if count != 1 else ''} of layer {edit['layer']} {what}")
        elif edit["op"] == "prune":
            parts.append(f"pruned {100 * edit['fraction']:g}% of weights "
                         f"({'each layer' if edit['scope'] == 'layer' else 'global'})")
        else:
            parts.append(f"weight noise {edit['level']:g} x std (seed {edit['seed']})")
    return "; ".join(parts) or "no edits"


def edited_model(model: SavedModel, edits: Sequence[Edit]) -> SavedModel:
    """A new model record: ``model`` with ``edits`` applied and a provenance step saying how.

    The configuration, preset, command, data and history still say how the original weights were
    trained. What no longer holds for the new weights is dropped: the last run's ``result``
    (its accuracy was the original's), ``resume`` (optimiser state of other weights) and the
    ``calibration`` temperature (fitted to the original's scores).
    """
    edits = [dict(edit) for edit in edits]
    network = apply_edits(model.network, edits)
    step = {"kind": "edited", "how": describe_edits(edits), "edits": edits}
    return replace(model, network=network, provenance=[*model.provenance, step], result=None,
                   resume=None, calibration=None)


def unit_activity(network: Network, x: np.ndarray, hidden: HiddenLayer,
                  batch_size: int = 1000) -> np.ndarray:
    """Each unit's mean value as its consumer reads it, over the inputs ``x``.

    Parameters
    ----------
    x : np.ndarray, shape (N, *network.input_shape)
        Network inputs (after the model's input transform).

    Returns
    -------
    np.ndarray, shape (hidden.units,), float64
        Mean over the inputs (and over a channel's positions) of what the consumer receives.
    """
    total = np.zeros(hidden.units)
    for start in range(0, x.shape[0], batch_size):
        y = x[start:start + batch_size].astype(network.dtype, copy=False)
        for layer in network.layers[:hidden.consumer]:
            y = layer.forward(y, False)
        total += y.reshape(y.shape[0], hidden.units, -1).mean(axis=2).sum(axis=0)
    return total / max(1, x.shape[0])


def most_active_units(network: Network, x: np.ndarray, hidden: HiddenLayer,
                      fraction: float) -> list[int]:
    """The ``fraction`` of ``hidden``'s units with the highest mean activity on ``x`` (at least
    one), most active first."""
    activity = unit_activity(network, x, hidden)
    count = max(1, round(fraction * hidden.units))
    return [int(u) for u in np.argsort(-activity, kind="stable")[:count]]
