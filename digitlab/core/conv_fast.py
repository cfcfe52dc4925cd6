"""The array work behind :class:`~digitlab.core.conv.Conv2D`: im2col, col2im and the two
input-gradient algorithms (row by row; col2im), on channels-last ``(N, H, W, C)`` arrays.

:mod:`digitlab.core.conv_reference` computes the same numbers the way a textbook writes them
(one kernel offset at a time); the tests hold this module to it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .image_geometry import Pair, window_slice
from .parallel import batch_splitter

#: numbers per block in blocked loops: 64k float32 (256 KiB) stays in a core's L2 cache
CACHE_BLOCK = 65536


def ones_last_row(array: np.ndarray) -> None:
    """Set the last row to ones (the bias row of kernel-major columns)."""
    array[-1] = 1


class Scratch:
    """Work arrays a layer reuses from step to step, re-made (zero-filled) when a shape changes.

    Reuse matters: a fresh 30 MB array each step costs page faults, and a zero border written
    once stays zero because only the interior is ever written.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: np.dtype,
            prepare: Callable[[np.ndarray], None] | None = None) -> np.ndarray:
        """The array called ``name``; a new one is zero-filled and then passed to ``prepare``."""
        array = self._arrays.get(name)
        if array is None or array.shape != shape or array.dtype != dtype:
            array = self._arrays[name] = np.zeros(shape, dtype=dtype)
            if prepare is not None:
                prepare(array)
        return array


def im2col(padded: np.ndarray, kernel: Pair, stride: Pair, out_hw: Pair, cols: np.ndarray,
           kernel_major: bool) -> None:
    """Copy every window of ``padded`` (N, Hp, Wp, C) into ``cols``.

    ``cols`` is ``(N, Ho, Wo, kh, kw, C)`` (row-major: one row per output pixel), or
    ``(kh, kw, C, N, Ho, Wo)`` with ``kernel_major`` (one row per weight): with a single input
    channel the latter copies contiguous image rows and is several times faster.
    """
    windows = sliding_window_view(padded, kernel, axis=(1, 2))  # (N, Hp-kh+1, Wp-kw+1, C, kh, kw)
    windows = windows[:, ::stride[0], ::stride[1]][:, :out_hw[0], :out_hw[1]]
    if kernel_major:
        np.copyto(cols, windows.transpose(4, 5, 3, 0, 1, 2))
    else:
        np.copyto(cols, windows.transpose(0, 1, 2, 4, 5, 3))


def input_grad_rows(dout_image: np.ndarray, weights: np.ndarray, hw: Pair, pads_h: Pair,
                    pads_w: Pair, scratch: Scratch) -> np.ndarray:
    """Stride-1 input gradient, one kernel row at a time.

    ``x[h, w]`` met ``W[i, j]`` in output ``(h + pad_top - i, w + pad_left - j)``, so
    ``dx[h, w] = sum_{i,j,f} dout[h + pad_top - i, w + pad_left - j, f] W[f, :, i, j]``. For one
    kernel row ``i`` the sum over ``j`` and ``f`` is one matrix product: the width windows of
    ``dout``, ``D[(n, ho, w), (j, f)] = dout[n, ho, w + pad_left - j, f]`` (zero outside), times
    ``W[:, :, i, :]`` as a ``(kw*F, C)`` matrix; its result belongs to input row
    ``ho - pad_top + i``. ``D`` is built once for all ``kh`` rows and is ``kh`` times smaller
    than the im2col of the whole padded ``dout`` a transposed convolution would copy, and the
    products land on whole contiguous rows, where col2im adds ``kw*C`` numbers at a time.

    Parameters
    ----------
    dout_image : (N, Ho, Wo, F) output gradient, channels-last.
    weights : (F, C, kh, kw) kernel.
    hw : input height and width ``(H, W)``.
    pads_h, pads_w : the forward's (before, after) padding, each below the kernel size.
    scratch : where the width-padded ``dout`` and its windows are kept between steps.

    Returns
    -------
    (N, H, W, C) input gradient (a view into an array with the padding rows).
    """
    n, ho, wo, f = dout_image.shape
    h, w = hw
    _, c, kh, kw = weights.shape
    left = kw - 1 - pads_w[0]
    padded = scratch.get("rows_dout_padded", (n, ho, w + kw - 1, f), dout_image.dtype)
    windows = scratch.get("rows_windows", (n, ho, w, kw, f), dout_image.dtype)

    def copy_windows(start: int, stop: int) -> None:
        padded[start:stop, :, left:left + wo] = dout_image[start:stop]
        view = sliding_window_view(padded[start:stop], kw, axis=2)  # (n, Ho, W, F, kw): w + k
        np.copyto(windows[start:stop], view[..., ::-1].transpose(0, 1, 2, 4, 3))  # k = kw-1-j

    batch_splitter().run(copy_windows, n, windows.size)
    rows = windows.reshape(n * ho * w, kw * f)
    kernel_rows = weights.transpose(2, 3, 0, 1)  # (kh, kw, F, C)
    dx = np.empty((n, ho + kh - 1, w, c), dtype=dout_image.dtype)  # rows in padded coordinates
    dx[:, ho:] = 0  # rows only the later kernel rows reach
    for i in range(kh):
        product = (rows @ kernel_rows[i].reshape(kw * f, c)).reshape(n, ho, w, c)
        if i == 0:
            dx[:, :ho] = product
        else:
            dx[:, i:i + ho] += product
    return dx[:, pads_h[0]:pads_h[0] + h]


def input_grad_col2im(dout2d: np.ndarray, weight_matrix: np.ndarray, x_shape: tuple[int, int, int, int],
                      out_hw: Pair, kernel: Pair, stride: Pair, pads_h: Pair, pads_w: Pair) -> np.ndarray:
    """General input gradient: ``dcols = dout @ W.T`` added back into the windows it came
    from (col2im), a few samples at a time so the block being added to stays in cache.

    Parameters
    ----------
    dout2d : (N*Ho*Wo, F) output gradient, rows in ``(n, ho, wo)`` order.
    weight_matrix : (kh*kw*C, F) kernel as the im2col rows multiply it.
    x_shape : input shape ``(N, C, H, W)``.
    out_hw, kernel, stride : output size, kernel size and stride, each ``(rows, columns)``.
    pads_h, pads_w : the forward's (before, after) padding.

    Returns
    -------
    (N, H, W, C) input gradient (a view into a padded array).
    """
    n, c, h, w = x_shape
    ho, wo = out_hw
    kh, kw = kernel
    (pt, pb), (pl, pr) = pads_h, pads_w
    margin = col2im_margin(kw, stride[1])
    padded = np.empty((n, h + pt + pb, w + pl + pr + margin, c), dtype=dout2d.dtype)
    weights_t = np.ascontiguousarray(weight_matrix.T)  # (F, kh*kw*C)
    block = max(1, CACHE_BLOCK // padded[0].size)
    rows = ho * wo
    for start in range(0, n, block):
        stop = min(start + block, n)
        # one block's products are still in cache when they are added back
        dcols = dout2d[start * rows:stop * rows] @ weights_t
        target = padded[start:stop]
        target[...] = 0  # rows past the last window (stride not fitting) stay zero
        col2im_add(dcols.reshape(stop - start, ho, wo, kh, kw, c), stride, target)
    return padded[:, pt:pt + h, pl:pl + w]


def col2im_add(dcols: np.ndarray, stride: Pair, padded: np.ndarray) -> None:
    """``padded[n, ho*sh + i, wo*sw + j] += dcols[n, ho, wo, i, j]`` for every kernel offset.

    Windows of outputs ``wo`` and ``wo + g`` with ``g = ceil(kw / sw)`` do not overlap, so all
    ``wo`` of one residue mod ``g`` are added in one call, and its innermost run is a whole
    window row, ``kw*C`` numbers, rather than ``C``: ``kh * g`` calls instead of ``kh * kw``.
    ``padded`` needs :func:`col2im_margin` spare columns on the right.
    """
    n, ho, wo, kh, kw, c = dcols.shape
    sh, sw = stride
    group = -(-kw // sw)
    span = group * sw  # columns between windows of one residue
    for i in range(kh):
        rows = padded[:, window_slice(i, ho, sh)]
        for residue in range(min(group, wo)):
            count = len(range(residue, wo, group))
            start = residue * sw
            target = rows[:, :, start:start + count * span].reshape(n, ho, count, span, c)
            target[:, :, :, :kw] += dcols[:, :, residue::group, i]


def col2im_margin(kernel_width: int, stride_width: int) -> int:
    """Spare columns :func:`col2im_add` may touch past the last window (it reshapes whole
    ``ceil(kw / sw) * sw``-column spans)."""
    return -(-kernel_width // stride_width) * stride_width - kernel_width
