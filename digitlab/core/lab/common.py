"""Plumbing the lab experiments share: callbacks, stop checks, networks and MNIST inputs.

Every experiment is a plain function ``run_...(..., on_event, should_stop)`` like
:meth:`digitlab.core.training.Trainer.run`: it reports small frozen records to ``on_event``,
polls ``should_stop`` between steps, never prints or sleeps, and is reproducible from its seed.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ..data import MnistData
from ..errors import ConfigError, DataError
from ..network import Network

OnEvent = Callable[[object], None]
ShouldStop = Callable[[], bool]

#: what a learner is told when an experiment that trains on digits has none
NO_MNIST_MESSAGE = (
    "This experiment trains on MNIST digits, and no MNIST data is loaded. Open the Data panel "
    "of the main window to download or import it, then start again."
)


def ignore_event(_event: object) -> None:
    """The default ``on_event``: nobody is listening."""


def never_stop() -> bool:
    """The default ``should_stop``: run to the end."""
    return False


def require_mnist(mnist: MnistData | None) -> MnistData:
    """Return ``mnist``, or raise :class:`DataError` with :data:`NO_MNIST_MESSAGE`."""
    if mnist is None:
        raise DataError(NO_MNIST_MESSAGE)
    return mnist


def check_whole(name: str, value: Any, low: int = 1, high: int | None = None) -> int:
    """``value`` as an int in ``[low, high]``, or a :class:`ConfigError` quoting it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low or (
            high is not None and value > high):
        upper = f" and at most {high}" if high is not None else ""
        raise ConfigError(f"{name} must be a whole number of at least {low}{upper}, got {value!r}")
    return int(value)


def check_number(name: str, value: Any, low: float = 0.0, high: float | None = None,
                 low_inclusive: bool = True) -> float:
    """``value`` as a finite float in the stated range, or a :class:`ConfigError` quoting it."""
    ok = (not isinstance(value, bool) and isinstance(value, numbers.Real) and math.isfinite(value)
          and (value >= low if low_inclusive else value > low) and (high is None or value <= high))
    if not ok:
        bound = ">=" if low_inclusive else ">"
        upper = f" and <= {high}" if high is not None else ""
        raise ConfigError(f"{name} must be a number {bound} {low}{upper}, got {value!r}")
    return float(value)


def check_choice(name: str, value: Any, choices: tuple[str, ...] | dict) -> str:
    if value not in choices:
        raise ConfigError(f"unknown {name} {value!r}; choose one of {', '.join(choices)}")
    return str(value)


def mlp_config(inputs: int, hidden: list[int], outputs: int, activation: str, init: str,
               init_scale: float = 0.01, output_activation: str = "softmax",
               loss: str = "softmax_cross_entropy") -> dict[str, Any]:
    """The JSON network description of a plain multi-layer perceptron."""
    layers: list[dict[str, Any]] = []
    for units in hidden:
        layers.append({"type": "dense", "units": units, "init": init, "init_scale": init_scale})
        layers.append({"type": activation})
    layers.append({"type": "dense", "units": outputs, "init": init, "init_scale": init_scale})
    layers.append({"type": output_activation})
    return {"input_shape": [inputs], "layers": layers, "loss": loss}


def build_network(config: dict[str, Any], rng: np.random.Generator,
                  dtype: Any = np.float64) -> Network:
    return Network.from_config(config, dtype, rng)


def sgd_step(network: Network, optimizer) -> None:
    """Apply the network's current gradients with ``optimizer`` (one contiguous array)."""
    optimizer.update({"all": network.flat_parameters()}, {"all": network.flat_gradients()})


def mnist_inputs(images: np.ndarray, side: int = 28, dtype: Any = np.float64) -> np.ndarray:
    """uint8 images (N, 28, 28) -> flat inputs (N, side*side) in [0, 1].

    ``side`` 14 averages each 2x2 block of pixels, which quarters the number of inputs (and of
    first-layer weights) while keeping the digits readable.
    """
    x = np.asarray(images, dtype=dtype) * (1 / 255)
    if side == 14:
        x = x.reshape(-1, 14, 2, 14, 2).mean(axis=(2, 4))
    elif side != 28:
        raise ConfigError(f"image side must be 28 or 14, got {side!r}")
    return x.reshape(x.shape[0], side * side)


def training_pool(mnist: MnistData, limit: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``limit`` training images drawn without replacement (sorted, reproducible)."""
    limit = min(limit, mnist.num_train)
    return np.sort(rng.choice(mnist.num_train, size=limit, replace=False))
