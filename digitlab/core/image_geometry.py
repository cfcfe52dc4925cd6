"""Sizes, windows and memory layout shared by the image layers (convolution and pooling).

Layout
------
Images are ``(N, C, H, W)`` at every layer boundary, as everywhere in DigitLab. *In memory*,
though, the image layers produce channels-last arrays: the ``(N, C, H, W)`` array a convolution
returns is a transposed view of an ``(N, H, W, C)`` block (PyTorch calls this the
``channels_last`` memory format). That is what makes the convolution cheap in NumPy: with the
channels innermost, the im2col matrix is one strided copy, its product with the weights *is*
the next activation (rows ``(n, h, w)``, columns ``c``), and no layer ever transposes a whole
activation. Element-wise layers in between (ReLU, dropout) keep the memory order of their input,
so the layout survives them; :class:`~digitlab.core.layers.Flatten` copies to the usual
``(C, H, W)`` order, so a dense layer sees exactly the features PyTorch would. Any input layout
is accepted; a non-channels-last one just costs a copy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ConfigError
from .layers import Shape, check_positive_int

Pair = tuple[int, int]


def parse_pair(name: str, value: Any) -> Pair:
    """``3`` or ``[3, 3]`` -> ``(3, 3)``, each a positive whole number."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ConfigError(f"{name} must be a number or a pair of numbers, got {value!r}")
        return check_positive_int(name, value[0]), check_positive_int(name, value[1])
    size = check_positive_int(name, value)
    return size, size


def pair_config(pair: Pair) -> int | list[int]:
    """The config form of a pair: one number when both are equal, else a list."""
    return pair[0] if pair[0] == pair[1] else list(pair)


def image_shape(kind: str, input_shape: Shape) -> tuple[int, int, int]:
    """``(C, H, W)`` of an image input, or a ConfigError naming the ``kind`` of layer."""
    if len(input_shape) != 3:
        raise ConfigError(f"a {kind} layer needs an image input (channels, height, width) but "
                          f"receives shape {input_shape}")
    c, h, w = (int(d) for d in input_shape)
    return c, h, w


def same_padding(size: int, kernel: int, stride: int) -> Pair:
    """``(before, after)`` zero rows for "same" padding along one axis of length ``size``.

    The output has ``ceil(size / stride)`` positions; any odd padding goes after (bottom/right),
    as in Keras and TensorFlow.
    """
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def channels_last(x: np.ndarray) -> np.ndarray:
    """The ``(N, H, W, C)`` view of an ``(N, C, H, W)`` array (no copy)."""
    return x.transpose(0, 2, 3, 1)


def channels_first(x: np.ndarray) -> np.ndarray:
    """The ``(N, C, H, W)`` view of an ``(N, H, W, C)`` array (no copy)."""
    return x.transpose(0, 3, 1, 2)


def window_slice(offset: int, count: int, step: int) -> slice:
    """Positions ``offset, offset + step, ...`` (``count`` of them) along one axis."""
    return slice(offset, offset + (count - 1) * step + 1, step)
