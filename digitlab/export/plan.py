"""What an export writes, worked out once for every format: the layers up to the scores, the
input scaling, and how the output is made (softmax with an optional temperature, or raw).

DigitLab's probabilities (``Network.predict_proba``) are the network's output, with a softmax
applied when the loss fuses one (cross-entropy), whether or not the last layer is a softmax
entry. An export writes that as: every layer before a final softmax, then (if there is a
softmax output) ``softmax(scores / temperature)``. So the calibration temperature has one place
to go, the same in every format.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.activations import Softmax
from ..core.decline import DeclineRule
from ..core.errors import DigitLabError
from ..core.layers import Layer, Shape
from ..core.network import plan_layers
from ..core.predict import check_image_model
from ..core.serialization import SavedModel


class ExportError(DigitLabError):
    """A model that cannot be exported, a missing package, or an output that may not be written."""


@dataclass(frozen=True)
class ExportStep:
    """One layer to export: its position in the model file, the layer, and its input shape."""

    index: int
    layer: Layer
    input_shape: Shape

    @property
    def type_name(self) -> str:
        return self.layer.type_name

    def arrays(self) -> dict[str, np.ndarray]:
        """Its parameters and buffers by name (``W``, ``running_mean``...), float32 copies."""
        return {name: np.array(value, dtype=np.float32)
                for name, value in {**self.layer.params, **self.layer.buffers}.items()}


@dataclass(frozen=True)
class ExportPlan:
    """A model as an export sees it.

    Attributes
    ----------
    steps : the layers that compute the scores (a final softmax entry is not among them).
    input_shape : one sample's shape, ``(784,)`` or ``(1, 28, 28)``.
    output_shape : the scores' shape, ``(10,)``.
    softmax_output : whether the probabilities are ``softmax(scores / temperature)``; false
        for a network whose loss does not fuse a softmax and that ends without one (raw outputs).
    temperature : the calibration temperature, or ``None`` for none (see :func:`temperature_of`).
    scale, mean, std : the input transform, ``x = (pixels * scale - mean) / std``.
    decline : the model's "not a digit" rule (a top probability below its threshold names no
        digit), or ``None`` for a model without one.
    """

    steps: tuple[ExportStep, ...]
    input_shape: Shape
    output_shape: Shape
    softmax_output: bool
    temperature: float | None
    scale: float
    mean: float
    std: float
    decline: DeclineRule | None = None

    def require_supported(self, supported: Collection[str], what: str) -> None:
        """Raise :class:`ExportError` naming the first layer ``what`` cannot express."""
        for step in self.steps:
            if step.type_name not in supported:
                raise ExportError(f"{what} cannot export layer {step.index} ({step.type_name}); "
                                  f"it knows {', '.join(sorted(supported))}")


def temperature_of(model: SavedModel) -> float | None:
    """The model's calibration temperature (``model.calibration.temperature``; the scores are
    divided by it before the softmax, as :func:`digitlab.core.predict.model_probabilities`
    does), or None for an uncalibrated model."""
    if model.calibration is None:
        return None
    value: Any = model.calibration.temperature
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) \
            or value <= 0:
        raise ExportError(f"the model's temperature must be a positive number, got {value!r}")
    return None if value == 1 else float(value)


def plan_export(model: SavedModel) -> ExportPlan:
    """The :class:`ExportPlan` of ``model``; a model that cannot read 28x28 digits is refused."""
    check_image_model(model)  # ModelFileError, one line: not a 28x28 -> 10 digit reader
    network = model.network
    layers = list(network.layers)
    ends_in_softmax = isinstance(layers[-1], Softmax)
    if ends_in_softmax:
        layers = layers[:-1]
    softmax_output = ends_in_softmax or network.loss_fn.fuses_softmax
    temperature = temperature_of(model)
    if temperature is not None and not softmax_output:
        raise ExportError("the model has a temperature but no softmax output to apply it to")
    plans = plan_layers(layers, network.input_shape) if layers else []
    steps = tuple(ExportStep(i, p.layer, p.input_shape) for i, p in enumerate(plans))
    t = model.transform
    return ExportPlan(steps, tuple(network.input_shape), tuple(network.output_shape),
                      softmax_output, temperature, float(t.scale), float(t.mean), float(t.std),
                      model.decline)
