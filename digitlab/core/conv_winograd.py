"""Winograd F(2x2, 3x3): a 3x3, stride-1 convolution with 2.25 times fewer multiplications.

The output is cut into 2x2 tiles; tile ``(t, s)`` needs the 4x4 input patch starting at
``(2t, 2s)`` of the zero-padded input. With the transforms of Lavin & Gray (2016)::

    V = B^T d B          (per 4x4 input patch d and channel c)
    U = G g G^T          (per 3x3 kernel g, for each pair (c, f))
    M[xi] = V[xi] @ U[xi]    for each of the 16 positions xi of a 4x4 tile: a (P, C) x (C, F)
                             matrix product over all P = N*Th*Tw tiles at once
    Y = A^T M A          (the 2x2 output tile)

so the 9 multiply-adds per output pixel and channel pair of a direct convolution become 16 per
2x2 tile (4 per pixel). Everything in between is additions on whole arrays. All transforms are
linear, so backward is the same chain read backwards, with the same 16 products:
``dM = A dY A^T``, ``dU[xi] = V[xi]^T @ dM[xi]``, ``dg = G^T dU G``, ``dV[xi] = dM[xi] @ U[xi]^T``
and ``dd = B dV B^T`` added back into the (overlapping) input patches.

Arrays are channels-last, ``(N, H, W, C)``, as in :mod:`digitlab.core.conv_fast`; tile
arrays are ``(4, 4, N, Th, Tw, C)``, so ``reshape(16, -1, C)`` gives the 16 product operands
without a copy. :mod:`digitlab.core.conv_reference` remains the oracle the tests hold this to.
"""

from __future__ import annotations

import numpy as np

from .image_geometry import Pair
from .parallel import batch_splitter

#: G of F(2x2, 3x3): the kernel transform U = G g G^T
KERNEL_TRANSFORM = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])


def applies(kernel: Pair, stride: Pair, pads_h: Pair, pads_w: Pair) -> bool:
    """Whether the layer is a 3x3, stride-1 convolution with padding inside the kernel."""
    return (kernel == (3, 3) and stride == (1, 1) and max(pads_h) < 3 and max(pads_w) < 3)


def tile_counts(out_hw: Pair) -> Pair:
    """``(Th, Tw)``: 2x2 output tiles covering an ``Ho`` x ``Wo`` output (odd sizes round up)."""
    return -(-out_hw[0] // 2), -(-out_hw[1] // 2)


def padded_shape(n: int, c: int, out_hw: Pair) -> tuple[int, int, int, int]:
    """The zero-padded input the tiles read: ``(N, 2*Th + 2, 2*Tw + 2, C)``."""
    th, tw = tile_counts(out_hw)
    return n, 2 * th + 2, 2 * tw + 2, c


def kernel_transform(weights: np.ndarray) -> np.ndarray:
    """``U = G g G^T`` for every kernel: (F, C, 3, 3) -> (16, C, F)."""
    g = KERNEL_TRANSFORM.astype(weights.dtype)
    f, c = weights.shape[:2]
    return np.einsum("ai,fcij,bj->abcf", g, weights, g, optimize=True).reshape(16, c, f)


def kernel_transform_grad(du: np.ndarray, f: int) -> np.ndarray:
    """Gradient through :func:`kernel_transform`: (16, C, F) -> (F, C, 3, 3), ``G^T dU G``."""
    g = KERNEL_TRANSFORM.astype(du.dtype)
    c = du.shape[1]
    return np.einsum("ai,abcf,bj->fcij", g, du.reshape(4, 4, c, f), g, optimize=True)


def _input_rows(d: list[np.ndarray], out: np.ndarray) -> None:
    """One axis of ``B^T d``: four input rows ``d[k]`` -> four transformed rows in ``out``."""
    np.subtract(d[0], d[2], out=out[0])
    np.add(d[1], d[2], out=out[1])
    np.subtract(d[2], d[1], out=out[2])
    np.subtract(d[1], d[3], out=out[3])


def input_transform(padded: np.ndarray, tiles: Pair, rows: np.ndarray, out: np.ndarray) -> None:
    """``V = B^T d B`` for every 4x4 patch of ``padded`` (N, 2Th+2, 2Tw+2, C).

    ``rows`` is scratch (4, N, Th, 2Tw+2, C) for the first (row) stage; ``out`` is
    (4, 4, N, Th, Tw, C). Work is shared between threads by sample.
    """
    th, tw = tiles

    def work(start: int, stop: int) -> None:
        part = padded[start:stop]
        _input_rows([part[:, k:k + 2 * th:2] for k in range(4)], rows[:, start:stop])
        for a in range(4):
            row = rows[a, start:stop]
            _input_rows([row[:, :, k:k + 2 * tw:2] for k in range(4)], out[a, :, start:stop])

    batch_splitter().run(work, padded.shape[0], out.size)


def _output_rows_in_place(m: list[np.ndarray]) -> None:
    """One axis of ``A^T m``, in place: four rows -> two output rows, left in ``m[0]`` and
    ``m[1]`` (``m[2]`` and ``m[3]`` are read, not changed)."""
    m[0] += m[1]
    m[0] += m[2]
    m[1] -= m[2]
    m[1] -= m[3]


def output_transform(m: np.ndarray, out: np.ndarray) -> None:
    """``Y = A^T M A``: tile products ``m`` (4, 4, N, Th, Tw, F) -> ``out`` (N, 2Th, 2Tw, F).

    ``m`` is used as scratch (its first-stage rows overwrite ``m[0]`` and ``m[1]``), so no
    extra array as large as the products is needed.
    """
    n, th, tw, f = m.shape[2:]
    tiled = out.reshape(n, th, 2, tw, 2, f)

    def work(start: int, stop: int) -> None:
        part = slice(start, stop)
        _output_rows_in_place([m[a, :, part] for a in range(4)])
        for i in range(2):
            row = [m[i, b, part] for b in range(4)]
            np.add(row[0], row[1], out=tiled[part, :, i, :, 0])
            tiled[part, :, i, :, 0] += row[2]
            np.subtract(row[1], row[2], out=tiled[part, :, i, :, 1])
            tiled[part, :, i, :, 1] -= row[3]

    batch_splitter().run(work, n, m.size)


def _output_rows_grad(dy: list[np.ndarray], out: list[np.ndarray]) -> None:
    """Gradient of one axis of ``A^T m``: two rows ``dy`` -> four rows ``out``. ``out[0]`` and
    ``out[1]`` may be ``dy[0]`` and ``dy[1]`` themselves (written last, in an order that
    allows it)."""
    np.subtract(dy[0], dy[1], out=out[2])
    np.negative(dy[1], out=out[3])
    np.add(dy[0], dy[1], out=out[1])
    if out[0] is not dy[0]:
        np.copyto(out[0], dy[0])


def output_transform_grad(dout: np.ndarray, out: np.ndarray) -> None:
    """``dM = A dY A^T``: ``dout`` (N, 2Th, 2Tw, F) -> ``out`` (4, 4, N, Th, Tw, F).

    The first stage's rows are kept in ``out[:, 0]`` and ``out[:, 1]``, then expanded in place.
    """
    n, th, tw, f = out.shape[2:]
    tiled = dout.reshape(n, th, 2, tw, 2, f)

    def work(start: int, stop: int) -> None:
        part = slice(start, stop)
        for j in range(2):
            _output_rows_grad([tiled[part, :, 0, :, j], tiled[part, :, 1, :, j]],
                              [out[a, j, part] for a in range(4)])
        for a in range(4):
            row = [out[a, b, part] for b in range(4)]
            _output_rows_grad([row[0], row[1]], row)

    batch_splitter().run(work, n, out.size)


def _input_rows_grad(v: list[np.ndarray], targets: list[np.ndarray]) -> None:
    """Gradient of one axis of ``B^T d``, added into the four input rows ``targets``.

    ``targets[0]`` and ``targets[1]`` are assigned (they cover each position once), 2 and 3
    added (they overlap the next tile's 0 and 1).
    """
    np.copyto(targets[0], v[0])
    np.subtract(v[1], v[2], out=targets[1])
    targets[1] += v[3]
    targets[2] += v[1]
    targets[2] += v[2]
    targets[2] -= v[0]
    targets[3] -= v[3]


def input_transform_grad(dv: np.ndarray, rows: np.ndarray, out: np.ndarray) -> None:
    """``dd = B dV B^T`` added back into the overlapping patches: ``dv`` (4, 4, N, Th, Tw, C)
    -> ``out`` (N, 2Th+2, 2Tw+2, C), every element written.

    ``rows`` is scratch (4, N, Th, 2Tw+2, C).
    """
    n, th, tw = dv.shape[2:5]

    def work(start: int, stop: int) -> None:
        part = slice(start, stop)
        for a in range(4):
            row = rows[a, part]
            row[:, :, 2 * tw:] = 0  # only ever added to below
            _input_rows_grad([dv[a, b, part] for b in range(4)],
                             [row[:, :, k:k + 2 * tw:2] for k in range(4)])
        target = out[part]
        target[:, 2 * th:] = 0
        _input_rows_grad([rows[a, part] for a in range(4)],
                         [target[:, k:k + 2 * th:2] for k in range(4)])

    batch_splitter().run(work, n, dv.size)
