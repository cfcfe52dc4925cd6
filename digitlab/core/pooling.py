"""Max and average pooling over windows of ``(N, C, H, W)`` images, each channel separately.

Like the convolution, these layers return channels-last arrays in memory (see
:mod:`digitlab.core.image_geometry`) and share their work on large batches between threads
(:mod:`digitlab.core.parallel`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import ReLU
from .errors import ConfigError
from .image_geometry import (
    Pair,
    channels_first,
    channels_last,
    image_shape,
    pair_config,
    parse_pair,
    window_slice,
)
from .layers import Layer, Shape
from .parallel import batch_splitter


class _Pool2D(Layer):
    """Shared geometry of the pooling layers: windows of ``pool_size`` every ``stride`` pixels
    (default: the pool size, so windows tile the image), no padding, each channel separately.

    The window is visited one offset ``(i, j)`` at a time: each offset is a strided view of the
    whole batch, so a 2x2 pool is four vectorised operations. When the windows tile the image
    exactly (stride == pool size dividing H and W), the input gradient is written by plain
    assignment, with no zero fill and no accumulation.
    """

    def __init__(self, pool_size: int | list[int] = 2, stride: int | list[int] | None = None) -> None:
        super().__init__()
        self.pool_size = parse_pair(f"{self.type_name} pool_size", pool_size)
        self.stride = self.pool_size if stride is None else parse_pair(f"{self.type_name} stride", stride)
        self._x_shape: tuple[int, ...] = ()

    def output_shape(self, input_shape: Shape) -> Shape:
        c, h, w = image_shape(self.type_name, input_shape)
        ho, wo = self._out_hw(h, w)
        return (c, ho, wo)

    def _out_hw(self, h: int, w: int) -> Pair:
        (ph, pw), (sh, sw) = self.pool_size, self.stride
        if ph > h or pw > w:
            raise ConfigError(f"a {ph}x{pw} {self.type_name} window does not fit a {h}x{w} input")
        return (h - ph) // sh + 1, (w - pw) // sw + 1

    def get_config(self) -> dict[str, Any]:
        return {"type": self.type_name, "pool_size": pair_config(self.pool_size),
                "stride": pair_config(self.stride)}

    def _offsets(self, image: np.ndarray) -> list[np.ndarray]:
        """One strided view of ``image`` (N, H, W, C) per window offset, each (N, Ho, Wo, C)."""
        ho, wo = self._out_hw(image.shape[1], image.shape[2])
        (ph, pw), (sh, sw) = self.pool_size, self.stride
        return [image[:, window_slice(i, ho, sh), window_slice(j, wo, sw)]
                for i in range(ph) for j in range(pw)]

    def _tiles(self, h: int, w: int) -> bool:
        """Windows cover the image exactly once: the fast path."""
        return (self.stride == self.pool_size and h % self.pool_size[0] == 0
                and w % self.pool_size[1] == 0)

    def _new_input_grad(self, like: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], bool]:
        """An (N, H, W, C) gradient array, its per-offset views, and whether to assign (fast
        path, array left uninitialised) rather than accumulate (array zeroed)."""
        n, c, h, w = self._x_shape
        tiles = self._tiles(h, w)
        dx = (np.empty if tiles else np.zeros)((n, h, w, c), dtype=like.dtype)
        return dx, self._offsets(dx), tiles


class MaxPool2D(_Pool2D):
    """Maximum over each window. The gradient goes to the window's maximum only; when several
    elements tie (common after a ReLU: a window of zeros), to the first in row-major order.

    Forward keeps the running maxima ``m_k = max(x_0, ..., x_k)`` of the window offsets. The
    first maximum is at offset ``k`` exactly when ``m_k == y`` but ``m_{k-1} != y``, so
    backward needs only comparisons, no argmax index array.
    """

    type_name = "max_pool2d"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        views = self._offsets(channels_last(x))
        if len(views) == 1:
            running = [views[0].copy()]
        elif training:
            running = [views[0]] + [np.empty(views[0].shape, x.dtype) for _ in views[1:]]
        else:  # only the final maximum is needed: one array, updated in place
            running = [views[0]] + [np.empty(views[0].shape, x.dtype)] * (len(views) - 1)

        def maxima(start: int, stop: int) -> None:
            for k in range(1, len(views)):
                np.maximum(running[k - 1][start:stop], views[k][start:stop], out=running[k][start:stop])

        batch_splitter().run(maxima, x.shape[0], x.size)
        if training:
            self._x_shape, self._running = x.shape, running
        return channels_first(running[-1])

    def backward(self, dout: np.ndarray) -> np.ndarray:
        grad = channels_last(dout)
        running = self._running
        dx, dx_views, assign = self._new_input_grad(grad)

        def route(start: int, stop: int) -> None:
            part = slice(start, stop)
            g, out = grad[part], running[-1][part]
            reached = None  # where an earlier offset already holds the maximum
            for k, dx_view in enumerate(dx_views):
                target = dx_view[part]
                if k + 1 == len(dx_views):  # the last offset takes every window not yet reached
                    first = None if reached is None else ~reached
                else:
                    at_max = out == running[k][part]
                    # reached implies at_max, so xor means "at the maximum now but not before"
                    first = at_max if reached is None else at_max ^ reached
                    reached = at_max
                if first is None:
                    routed = g
                else:
                    routed = np.multiply(g, first, out=target if assign else None, dtype=g.dtype)
                if not assign:
                    target += routed
                elif routed is not target:
                    target[...] = routed

        batch_splitter().run(route, dx.shape[0], dx.size)
        return channels_first(dx)


class AvgPool2D(_Pool2D):
    """Mean over each window; the gradient is shared equally by the window's elements."""

    type_name = "avg_pool2d"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        views = self._offsets(channels_last(x))
        self._x_shape = x.shape
        out = np.empty(views[0].shape, x.dtype)
        scale = x.dtype.type(1.0 / len(views))

        def average(start: int, stop: int) -> None:
            total = out[start:stop]
            np.copyto(total, views[0][start:stop])
            for view in views[1:]:
                total += view[start:stop]
            total *= scale

        batch_splitter().run(average, x.shape[0], x.size)
        return channels_first(out)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        grad = channels_last(dout)
        dx, dx_views, assign = self._new_input_grad(grad)
        scale = grad.dtype.type(1.0 / len(dx_views))

        def share(start: int, stop: int) -> None:
            part = grad[start:stop] * scale
            for dx_view in dx_views:
                if assign:
                    dx_view[start:stop] = part
                else:
                    dx_view[start:stop] += part

        batch_splitter().run(share, dx.shape[0], dx.size)
        return channels_first(dx)


def pool_before_relu(layers: list[Layer]) -> list[Layer]:
    """``layers`` in the order a network runs them: a ReLU directly followed by a max pool runs
    after it instead.

    ``max(relu(x)) == relu(max(x))`` since ReLU never lowers the order of two numbers, and the
    gradients agree exactly too: where the window's maximum is positive both route it to the
    same (first) maximum, elsewhere both give zero. Pooling first makes the ReLU's passes over
    memory (forward and backward) act on a quarter of the numbers for a 2x2 pool; nothing
    about the layers or the model file changes.
    """
    order = list(layers)
    for k in range(len(order) - 1):
        if type(order[k]) is ReLU and type(order[k + 1]) is MaxPool2D:
            order[k], order[k + 1] = order[k + 1], order[k]
    return order
