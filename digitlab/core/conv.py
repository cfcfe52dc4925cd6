"""2-D convolution layer: configuration, geometry, and the fast path's orchestration.

Inputs and outputs are ``(N, C, H, W)``, channels-last in memory (see
:mod:`digitlab.core.image_geometry`). The array work lives in :mod:`digitlab.core.conv_fast`;
:mod:`digitlab.core.conv_reference` is the short, readable version of what it computes, and the
tests' oracle.

Convolution by matrix product
-----------------------------
Forward: the windows of the zero-padded input, ``cols[(n, ho, wo), (i, j, c)]``, times the
weights ``W[(i, j, c), f]``; with a single input channel the columns are built transposed
(kernel-major), which copies whole image rows, and carry a row of ones that folds the bias into
the product. Backward: ``dW = cols.T @ dout`` reuses the forward's ``cols``. The input gradient
is either computed one kernel row at a time (stride 1: the width windows of ``dout`` times each
kernel row, whose products land on whole input rows; :func:`~digitlab.core.conv_fast.input_grad_rows`),
or ``dout @ W.T`` added back into the windows ("col2im", any stride), done a few samples at a
time so the block being added to stays in cache. The layer picks whichever moves fewer numbers
(:meth:`Conv2D._use_rows`); for the ``lenet`` net's second convolution the rows take a third
of col2im's time.

Winograd
--------
A 3x3, stride-1 convolution can instead run as Winograd F(2x2, 3x3)
(:mod:`digitlab.core.conv_winograd`): 16 products of ``(B*Ho*Wo/4, C) x (C, F)`` replace the
im2col product, 2.25 times fewer multiplications, and backward keeps the transformed input tiles
(``4 * 4*B*Ho*Wo*C`` bytes, 13 MB for the ``cnn`` net's second convolution, against 29 MB of
im2col columns; backward writes the input gradient's tiles over them). Which one runs is
set by ``DIGITLAB_CONV_ALGORITHM``: ``by-shape`` (the default, a fixed rule so a run is
bit-reproducible: Winograd where a 3x3 stride-1 layer reads 16 or more channels), ``im2col``,
``winograd``, or ``auto``, which measures both per shape the first time it is met and then
remembers (:mod:`digitlab.core.conv_choice`). Single-threaded,
Winograd takes 0.78x im2col's time for the ``cnn`` net's 32 -> 64 convolution (forward +
backward) and loses for the single-channel first one, whose im2col product is cheap anyway. With
two BLAS threads on a heavily loaded machine it lost badly (each of its 48 small products per
step waits for the second thread to get a core), and the measurement then picks im2col.

Memory per training batch (float32, ``B`` samples)
--------------------------------------------------
A convolution keeps its im2col matrix until backward, ``4 * B*Ho*Wo*kh*kw*C`` bytes, and reuses
it and its other scratch arrays from step to step. Its input gradient needs either the width
windows of ``dout`` (row by row, ``4 * B*Ho*W*kw*F`` bytes) or ``dout @ W.T`` (col2im, ``4 *
B*Ho*Wo*kh*kw*C`` bytes when the copies run on several threads, a few MB otherwise). For the
``cnn`` benchmark net at ``B = 128`` (conv 1->32 and 32->64, 3x3, on 28x28 and 14x14) that is 4
MB + 29 MB of cached columns and 29 MB of col2im scratch; with the activations and their
gradients a training step holds 130-170 MB, and a process training it on full MNIST (188 MB of
float32 images) peaks at about 400 MB (``benchmarks/bench_cnn.py`` reports it). Winograd's work
arrays for the second convolution are larger than im2col's (about 57 MB against 40 MB; its 16
tile products, 26 MB, are the largest, and the output transforms run in place on them):
``digitlab train --preset cnn`` (uint8 images, test evaluation) peaked at 285 MiB with the
measured choice and 274 MiB with im2col only on 2026-12-02. In inference a convolution works
through the batch in chunks of :attr:`Conv2D.inference_chunk` samples, so its scratch stays at
one chunk's size; the activations of a large batch still add up (``predict`` on 1000 images of
the ``cnn`` net holds about 350 MB).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import conv_choice, conv_winograd
from .conv_fast import Scratch, im2col, input_grad_col2im, input_grad_rows, ones_last_row
from .errors import ConfigError
from .image_geometry import (
    Pair,
    channels_first,
    channels_last,
    image_shape,
    pair_config,
    parse_pair,
    same_padding,
)
from .initializers import fill_normal, init_std
from .layers import Layer, Shape, check_init, check_positive_int
from .parallel import batch_splitter


def _kernel_major(channels: int) -> bool:
    """Whether the im2col columns are built kernel-major (one row per weight, plus a row of
    ones for the bias): with a single input channel that copies whole image rows.

    Forward and backward both ask this; backward cannot tell the layout from the array's shape,
    since ``N*Ho*Wo`` may happen to equal ``kh*kw*C + 1``.
    """
    return channels == 1


class Conv2D(Layer):
    """2-D convolution (cross-correlation, as in every framework) with ``filters`` outputs.

    Parameters
    ----------
    filters : number of output channels ``F``.
    kernel_size : ``k`` or ``[kh, kw]``.
    stride : ``s`` or ``[sh, sw]``.
    padding : ``"valid"`` (none), ``"same"`` (output ``ceil(H / s)``; any odd remainder goes to
        the bottom/right, as in Keras), or a number of zero rows/columns ``p`` or ``[ph, pw]``
        added on each side.
    init, init_scale : weight initialiser as for :class:`~digitlab.core.layers.Dense`; fans
        are ``C*kh*kw`` and ``F*kh*kw``. Biases start at zero.

    Shapes: ``x`` (N, C, H, W) -> ``y`` (N, F, Ho, Wo) with
    ``Ho = (H + pad_top + pad_bottom - kh) // sh + 1``; ``W`` (F, C, kh, kw) as in PyTorch;
    ``b`` (F,).
    """

    type_name = "conv2d"
    decay_names = ("W",)
    #: samples per block in inference mode, which bounds the im2col memory of a large batch
    inference_chunk = 128
    #: the row-by-row input gradient is used while its window copy is at most this many times
    #: the size of col2im's scatter-add (see _use_rows)
    rows_ratio = 1.0
    #: "by-shape" (the default: Winograd for 3x3 stride-1 layers reading at least
    #: conv_choice.WINOGRAD_MIN_CHANNELS channels, else im2col), "im2col", "winograd" or "auto"
    #: (measure both where Winograd applies, see conv_choice); set from
    #: DIGITLAB_CONV_ALGORITHM. Not "auto" by default, for the same reason PyTorch leaves
    #: cuDNN's benchmark mode off: a measured choice can differ between two runs of one
    #: command, and the two algorithms round differently, so a re-run or a continued run would
    #: no longer give bit-identical weights.
    algorithm = conv_choice.algorithm_from_environment()

    def __init__(self, filters: int, kernel_size: int | list[int], stride: int | list[int] = 1,
                 padding: str | int | list[int] = "valid", init: str = "he",
                 init_scale: float = 0.01) -> None:
        super().__init__()
        self.filters = check_positive_int("conv2d filters", filters)
        self.kernel_size = parse_pair("conv2d kernel_size", kernel_size)
        self.stride = parse_pair("conv2d stride", stride)
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ConfigError(f"conv2d padding must be 'valid', 'same' or a number, got {padding!r}")
            self.padding: str | Pair = padding
        else:
            if isinstance(padding, (list, tuple)) and len(padding) == 2:
                pads = padding
            elif isinstance(padding, (list, tuple)):
                raise ConfigError(f"conv2d padding must be a number or a pair, got {padding!r}")
            else:
                pads = (padding, padding)
            if any(isinstance(p, bool) or not isinstance(p, (int, np.integer)) or p < 0 for p in pads):
                raise ConfigError(f"conv2d padding must be whole numbers >= 0, got {padding!r}")
            self.padding = (int(pads[0]), int(pads[1]))
        check_init(init, init_scale)
        self.init = init
        self.init_scale = float(init_scale)
        self._scratch = Scratch()
        self._cols: np.ndarray | None = None  # what backward needs: im2col or Winograd tiles
        self._x_shape: tuple[int, ...] = ()
        self._algorithm = "im2col"  # of the last training forward

    # -- structure -------------------------------------------------------------------------
    def pads(self, h: int, w: int) -> tuple[Pair, Pair]:
        """((top, bottom), (left, right)) zero rows/columns for an ``h`` x ``w`` input."""
        if self.padding == "valid":
            return (0, 0), (0, 0)
        if self.padding == "same":
            (kh, kw), (sh, sw) = self.kernel_size, self.stride
            return same_padding(h, kh, sh), same_padding(w, kw, sw)
        ph, pw = self.padding
        return (ph, ph), (pw, pw)

    def _geometry(self, h: int, w: int) -> tuple[Pair, Pair, Pair]:
        """Output size and padding for an ``h`` x ``w`` input: ``(ho, wo), pads_h, pads_w``."""
        pads_h, pads_w = self.pads(h, w)
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        ho = (h + sum(pads_h) - kh) // sh + 1
        wo = (w + sum(pads_w) - kw) // sw + 1
        if ho < 1 or wo < 1:
            raise ConfigError(f"a {kh}x{kw} convolution with padding {self.padding!r} does not fit "
                              f"a {h}x{w} input")
        return (ho, wo), pads_h, pads_w

    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        c, h, w = image_shape("conv2d", input_shape)
        self._geometry(h, w)
        return {"W": (self.filters, c) + self.kernel_size, "b": (self.filters,)}

    def output_shape(self, input_shape: Shape) -> Shape:
        _, h, w = image_shape("conv2d", input_shape)
        (ho, wo), _, _ = self._geometry(h, w)
        return (self.filters, ho, wo)

    def scratch_size(self, input_shape: Shape) -> int:
        c, h, w = image_shape("conv2d", input_shape)
        (ho, wo), pads_h, pads_w = self._geometry(h, w)
        padded = (h + sum(pads_h)) * (w + sum(pads_w)) * c
        columns = ho * wo * (self.kernel_size[0] * self.kernel_size[1] * c + 1)
        return padded + columns

    def initialize(self, rng: np.random.Generator) -> None:
        weights = self.params["W"]
        fill_normal(weights, init_std(self.init, weights.shape, self.init_scale), rng)
        self.params["b"][...] = 0

    def get_config(self) -> dict[str, Any]:
        padding = self.padding if isinstance(self.padding, str) else pair_config(self.padding)
        return {"type": self.type_name, "filters": self.filters,
                "kernel_size": pair_config(self.kernel_size), "stride": pair_config(self.stride),
                "padding": padding, "init": self.init, "init_scale": self.init_scale}

    # -- computation -----------------------------------------------------------------------
    def _weight_matrix(self, with_bias: bool = False) -> np.ndarray:
        """``W`` (F, C, kh, kw) as the ``(kh*kw*C, F)`` matrix the im2col rows multiply, with
        ``b`` appended as a last row if ``with_bias``."""
        weights = self.params["W"]
        matrix = weights.transpose(2, 3, 1, 0).reshape(-1, weights.shape[0])
        return np.vstack([matrix, self.params["b"]]) if with_bias else matrix

    def _algorithms(self, x_shape: tuple[int, ...]) -> list[str]:
        """The algorithms that can convolve an input of ``x_shape``, the default first."""
        if self.algorithm == "im2col":
            return ["im2col"]
        (ho, wo), pads_h, pads_w = self._geometry(x_shape[2], x_shape[3])
        if not conv_winograd.applies(self.kernel_size, self.stride, pads_h, pads_w):
            return ["im2col"]
        if self.algorithm == "auto":
            return ["im2col", "winograd"]
        if self.algorithm == "winograd" or x_shape[1] >= conv_choice.WINOGRAD_MIN_CHANNELS:
            return ["winograd"]
        return ["im2col"]

    def _pick(self, x: np.ndarray, training: bool) -> str:
        """The algorithm for this input: measured the first time its shape is seen
        (:mod:`~digitlab.core.conv_choice`), then remembered."""
        candidates = self._algorithms(x.shape)
        if len(candidates) == 1:
            return candidates[0]
        n, c, h, w = x.shape
        (ho, wo), pads_h, pads_w = self._geometry(h, w)
        key = (n, c, h, w, self.filters, pads_h, pads_w, x.dtype.str, training)
        work = n * ho * wo * 9 * c * self.filters

        def trial(name: str) -> None:
            y, self._cols = self._forward_block(x, "train" if training else "infer", name)
            if training:
                self._x_shape, self._algorithm = x.shape, name
                self.backward(np.zeros_like(y))

        def release() -> None:
            self._scratch, self._cols = Scratch(), None

        return conv_choice.choose(key, candidates, work, trial, release)

    def _forward_block(self, x: np.ndarray, tag: str, algorithm: str = "im2col"
                       ) -> tuple[np.ndarray, np.ndarray]:
        """Convolve one block; returns ``(y, cols)`` with ``cols`` the 2-D im2col matrix
        (or, for Winograd, the transformed input tiles backward needs).

        With one input channel the columns are kernel-major, ``(kh*kw + 1, N*Ho*Wo)``, and the
        extra last row is all ones: the product then adds the bias and, in backward, sums the
        bias gradient for free. (With 9 or 25 weights per output, the separate passes over the
        wide output would cost as much as the product itself.)
        """
        if algorithm == "winograd":
            return self._forward_winograd(x, tag)
        n, c, h, w = x.shape
        (ho, wo), (pt, pb), (pl, pr) = self._geometry(h, w)
        kh, kw = self.kernel_size
        size = kh * kw * c
        image = channels_last(x)
        padded = image
        if pt or pb or pl or pr:
            padded = self._scratch.get(f"{tag}_padded", (n, h + pt + pb, w + pl + pr, c), x.dtype)
        kernel_major = _kernel_major(c)
        if kernel_major:
            cols = self._scratch.get(f"{tag}_cols_km", (size + 1, n * ho * wo), x.dtype, ones_last_row)
            cols_image = cols[:size].reshape(kh, kw, c, n, ho, wo)
        else:
            cols = self._scratch.get(f"{tag}_cols", (n * ho * wo, size), x.dtype)
            cols_image = cols.reshape(n, ho, wo, kh, kw, c)

        def copy_windows(start: int, stop: int) -> None:
            if padded is not image:
                padded[start:stop, pt:pt + h, pl:pl + w] = image[start:stop]
            target = cols_image[:, :, :, start:stop] if kernel_major else cols_image[start:stop]
            im2col(padded[start:stop], self.kernel_size, self.stride, (ho, wo), target, kernel_major)

        batch_splitter().run(copy_windows, n, cols.size)
        if kernel_major:
            out = cols.T @ self._weight_matrix(with_bias=True)
        else:
            out = cols @ self._weight_matrix()
            out += self.params["b"]
        # out is (N*Ho*Wo, F): the channels-last output itself
        return channels_first(out.reshape(n, ho, wo, self.filters)), cols

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if training:
            algorithm = self._pick(x, training=True)
            self._x_shape, self._algorithm = x.shape, algorithm
            out, self._cols = self._forward_block(x, "train", algorithm)
            return out
        self._cols = None
        n = x.shape[0]
        if n <= self.inference_chunk:
            return self._forward_block(x, "infer", self._pick(x, training=False))[0]
        _, ho, wo = self.output_shape(x.shape[1:])
        out = channels_first(np.empty((n, ho, wo, self.filters), dtype=x.dtype))
        for start in range(0, n, self.inference_chunk):
            stop = min(start + self.inference_chunk, n)
            block = x[start:stop]
            out[start:stop] = self._forward_block(block, "infer", self._pick(block, training=False))[0]
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self._algorithm == "winograd":
            return self._backward_winograd(dout)
        n, c, h, w = self._x_shape
        f = self.filters
        kh, kw = self.kernel_size
        size = kh * kw * c
        dout_image = np.ascontiguousarray(channels_last(dout))  # a view for our own layout
        dout2d = dout_image.reshape(-1, f)
        cols = self._cols
        if _kernel_major(c):  # columns (kh*kw*C + 1, N*Ho*Wo) with the row of ones
            # np.dot, not @: for this shape (a small result from a long sum) matmul keeps the
            # GIL for the whole product, which stalls the other half of a batch (batch_halves)
            grad_matrix = np.dot(cols, dout2d)  # (kh*kw*C + 1, F)
            self.grads["b"][...] = grad_matrix[size]
        else:
            grad_matrix = cols.T @ dout2d  # (kh*kw*C, F)
            np.sum(dout2d, axis=0, out=self.grads["b"])
        self.grads["W"][...] = grad_matrix[:size].reshape(kh, kw, c, f).transpose(3, 2, 0, 1)
        if not self.needs_input_grad:
            return dout  # nobody reads it; skip the largest product of the step
        (ho, wo), pads_h, pads_w = self._geometry(h, w)
        if self._use_rows(w, wo, pads_h, pads_w):
            dx = input_grad_rows(dout_image, self.params["W"], (h, w), pads_h, pads_w, self._scratch)
        else:
            dx = input_grad_col2im(dout2d, self._weight_matrix(), (n, c, h, w), (ho, wo),
                                   self.kernel_size, self.stride, pads_h, pads_w)
        return channels_first(dx)

    def _use_rows(self, in_width: int, out_width: int, pads_h: Pair, pads_w: Pair) -> bool:
        """Pick the cheaper input-gradient method: per output row and kernel row, the row-by-row
        one copies ``W*F`` numbers (``dout``'s width windows), col2im adds ``Wo*kh*C``; the rows
        also need stride 1 and padding under the kernel. Measured (batch 128, 2 threads): rows
        0.34x col2im's time for ``lenet``'s 8 -> 16 5x5 layer, 0.75-0.85x for the tutorial
        CNN's 3x3 layers, 1.2x for the ``cnn`` net's 32 -> 64 one (which runs Winograd)."""
        (kh, kw), c = self.kernel_size, self.params["W"].shape[1]
        fits = self.stride == (1, 1) and max(pads_h) < kh and max(pads_w) < kw
        return fits and in_width * self.filters <= self.rows_ratio * out_width * kh * c

    def release_step_memory(self) -> None:
        super().release_step_memory()
        self._scratch = Scratch()  # the im2col and Winograd work arrays, made again when needed

    # -- Winograd F(2x2, 3x3) (see conv_winograd) -------------------------------------------
    def _work(self, name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        """A reused work array of ``shape``; arrays of one name share memory whatever their
        shape (forward's tile products and backward's tile gradients are never live at once)."""
        return self._scratch.get(name, (int(np.prod(shape)),), dtype).reshape(shape)

    def _forward_winograd(self, x: np.ndarray, tag: str) -> tuple[np.ndarray, np.ndarray]:
        n, c, h, w = x.shape
        (ho, wo), (pt, _), (pl, _) = self._geometry(h, w)
        th, tw = conv_winograd.tile_counts((ho, wo))
        f, dtype = self.filters, x.dtype
        padded_shape = conv_winograd.padded_shape(n, c, (ho, wo))
        # the zero border is written once, when the array is made, and never touched again
        padded = self._scratch.get(f"{tag}_wg_padded", padded_shape, dtype)
        padded[:, pt:pt + h, pl:pl + w] = channels_last(x)
        tiles = self._scratch.get(f"{tag}_wg_tiles", (4, 4, n, th, tw, c), dtype)
        rows = self._work("wg_rows", (4, n, th, padded_shape[2], c), dtype)
        conv_winograd.input_transform(padded, (th, tw), rows, tiles)
        products = self._work("wg_products", (16, n * th * tw, f), dtype)
        np.matmul(tiles.reshape(16, -1, c), conv_winograd.kernel_transform(self.params["W"]),
                  out=products)
        products[5] += self.params["b"]  # the centre of A^T M A reaches all four outputs
        full = np.empty((n, 2 * th, 2 * tw, f), dtype)
        conv_winograd.output_transform(products.reshape(4, 4, n, th, tw, f), full)
        out = full if (2 * th, 2 * tw) == (ho, wo) else np.ascontiguousarray(full[:, :ho, :wo])
        return channels_first(out), tiles

    def _backward_winograd(self, dout: np.ndarray) -> np.ndarray:
        n, c, h, w = self._x_shape
        (ho, wo), (pt, _), (pl, _) = self._geometry(h, w)
        th, tw = conv_winograd.tile_counts((ho, wo))
        f, dtype = self.filters, dout.dtype
        dout_image = channels_last(dout)
        np.sum(dout_image, axis=(0, 1, 2), out=self.grads["b"])
        if (2 * th, 2 * tw) == (ho, wo):
            full = np.ascontiguousarray(dout_image)
        else:  # odd output: the tiles' extra row/column gets a zero gradient
            full = self._scratch.get("wg_dout_full", (n, 2 * th, 2 * tw, f), dtype)
            full[:, :ho, :wo] = dout_image
        grad_products = self._work("wg_products", (4, 4, n, th, tw, f), dtype)
        conv_winograd.output_transform_grad(full, grad_products)
        grad_products = grad_products.reshape(16, -1, f)
        tiles = self._cols.reshape(16, -1, c)
        grad_kernels = np.matmul(tiles.transpose(0, 2, 1), grad_products)  # (16, C, F)
        self.grads["W"][...] = conv_winograd.kernel_transform_grad(grad_kernels, f)
        if not self.needs_input_grad:
            return dout
        kernels = conv_winograd.kernel_transform(self.params["W"])  # (16, C, F)
        grad_tiles = tiles  # the forward's tiles are not needed any more: their memory is reused
        np.matmul(grad_products, kernels.transpose(0, 2, 1), out=grad_tiles)
        self._cols = None
        padded = np.empty(conv_winograd.padded_shape(n, c, (ho, wo)), dtype)
        conv_winograd.input_transform_grad(
            grad_tiles.reshape(4, 4, n, th, tw, c),
            self._work("wg_rows", (4, n, th, padded.shape[2], c), dtype), padded)
        return channels_first(padded[:, pt:pt + h, pl:pl + w])
