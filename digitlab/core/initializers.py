"""Weight initialisers.

Each initialiser fills a weight array in place from a seeded generator. ``fan_in`` and
``fan_out`` are the number of inputs and outputs of one unit: for a dense layer ``W`` of shape
``(in, out)`` they are ``in`` and ``out``; for a convolution ``W`` of shape
``(out, in, kh, kw)`` they are ``in * kh * kw`` and ``out * kh * kw``.
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError
from .registry import INITIALIZERS


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` for a dense ``(in, out)`` or conv ``(out, in, kh, kw)`` shape."""
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) == 4:
        receptive = shape[2] * shape[3]
        return shape[1] * receptive, shape[0] * receptive
    raise ConfigError(f"cannot compute fans for a weight of shape {shape}")


@INITIALIZERS.register(name="normal")
def normal_std(shape: tuple[int, ...], scale: float = 0.01) -> float:
    """``scale`` itself: the tutorials' ``0.01 * randn``."""
    if not scale > 0:
        raise ConfigError(f"init scale must be positive, got {scale!r}")
    return float(scale)


@INITIALIZERS.register(name="xavier")
def xavier_std(shape: tuple[int, ...], scale: float = 0.01) -> float:
    """Glorot's ``sqrt(2 / (fan_in + fan_out))``, good for sigmoid and tanh."""
    fan_in, fan_out = fans(shape)
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


@INITIALIZERS.register(name="he")
def he_std(shape: tuple[int, ...], scale: float = 0.01) -> float:
    """``sqrt(2 / fan_in)``, which keeps the variance of ReLU activations constant."""
    fan_in, _ = fans(shape)
    return float(np.sqrt(2.0 / fan_in))


def init_std(name: str, shape: tuple[int, ...], scale: float = 0.01) -> float:
    """Standard deviation the named initialiser uses for a weight of ``shape``."""
    if min(shape, default=0) < 1:
        raise ConfigError(f"cannot initialise a weight of shape {shape}: every side must be >= 1")
    return INITIALIZERS.get(name)(shape, scale)


def fill_normal(out: np.ndarray, std: float, rng: np.random.Generator) -> None:
    """Fill ``out`` in place with samples of N(0, std^2), drawn in float64 for reproducibility."""
    out[...] = rng.standard_normal(out.shape) * std
