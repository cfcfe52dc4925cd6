"""Weight initialisers.

Each initialiser fills a weight array in place from a seeded generator. ``fan_in`` and
``fan_out`` are the number of inputs and outputs of one unit: for a dense layer ``W`` of shape
``(in, out)`` they are ``in`` and ``out``; for a convolution ``W`` of shape
``(out, in, kh, kw)`` they are ``in * kh * kw`` and ``out * kh * kw``.
"""

from __future__ import annotations

import numpy as np

from .errors import ConfigError

INITIALIZERS = ("normal", "xavier", "he")


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` for a dense ``(in, out)`` or conv ``(out, in, kh, kw)`` shape."""
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) == 4:
        receptive = shape[2] * shape[3]
        return shape[1] * receptive, shape[0] * receptive
    raise ConfigError(f"cannot compute fans for a weight of shape {shape}")


def init_std(name: str, shape: tuple[int, ...], scale: float = 0.01) -> float:
    """Standard deviation the named initialiser uses for a weight of ``shape``.

    ``normal``: ``scale`` itself (the tutorials' ``0.01 * randn``).
    ``xavier``: Glorot's ``sqrt(2 / (fan_in + fan_out))``, good for sigmoid and tanh.
    ``he``: ``sqrt(2 / fan_in)``, which keeps the variance of ReLU activations constant.
    """
    fan_in, fan_out = fans(shape)
    if name == "normal":
        if not scale > 0:
            raise ConfigError(f"init scale must be positive, got {scale!r}")
        return float(scale)
    if name == "xavier":
        return float(np.sqrt(2.0 / (fan_in + fan_out)))
    if name == "he":
        return float(np.sqrt(2.0 / fan_in))
    raise ConfigError(f"unknown initialiser {name!r}; choose one of {', '.join(INITIALIZERS)}")


def fill_normal(out: np.ndarray, std: float, rng: np.random.Generator) -> None:
    """Fill ``out`` in place with samples of N(0, std^2), drawn in float64 for reproducibility."""
    out[...] = rng.standard_normal(out.shape) * std
