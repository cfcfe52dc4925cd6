"""Image layers: 2-D convolution, max and average pooling, and batch normalisation.

Layout
------
Images are ``(N, C, H, W)`` at every layer boundary, as everywhere in DigitLab. *In memory*,
though, these layers produce channels-last arrays: the ``(N, C, H, W)`` array a convolution
returns is a transposed view of an ``(N, H, W, C)`` block (PyTorch calls this the
``channels_last`` memory format). That is what makes the convolution cheap in NumPy: with the
channels innermost, the im2col matrix is one strided copy, its product with the weights *is*
the next activation (rows ``(n, h, w)``, columns ``c``), and no layer ever transposes a whole
activation. Element-wise layers in between (ReLU, dropout) keep the memory order of their input,
so the layout survives them; :class:`~digitlab.core.layers.Flatten` copies to the usual
``(C, H, W)`` order, so a dense layer sees exactly the features PyTorch would. Any input layout
is accepted; a non-channels-last one just costs a copy.

Convolution by matrix product
-----------------------------
Forward: the windows of the zero-padded input, ``cols[(n, ho, wo), (i, j, c)]``, times the
weights ``W[(i, j, c), f]``; with a single input channel the columns are built transposed
(kernel-major), which copies whole image rows, and carry a row of ones that folds the bias into
the product. Backward: ``dW = cols.T @ dout`` reuses the forward's ``cols``. The input gradient
is either a convolution of the zero-padded ``dout`` with the flipped kernel (stride 1; another
im2col and one large product), or ``dout @ W.T`` added back into the windows ("col2im", any
stride), done a few samples at a time so the block being added to stays in cache. The layer
picks whichever moves fewer numbers (:meth:`Conv2D._use_transposed`).

Memory per training batch (float32, ``B`` samples)
--------------------------------------------------
A convolution keeps its im2col matrix until backward, ``4 * B*Ho*Wo*kh*kw*C`` bytes, and reuses
it and its other scratch arrays from step to step. Its input gradient needs either the im2col
of ``dout`` (transposed convolution, ``4 * B*H*W*kh*kw*F`` bytes) or ``dout @ W.T``
(col2im, ``4 * B*Ho*Wo*kh*kw*C`` bytes when the copies run on several threads, a few MB
otherwise). For the ``cnn`` benchmark net at ``B = 128`` (conv 1->32 and 32->64, 3x3, on
28x28 and 14x14) that is 4 MB + 29 MB of cached columns and 29 MB of col2im scratch; with
the activations and their gradients a training step holds 130-170 MB, and a process training
it on full MNIST (188 MB of float32 images) peaks at about 400 MB (``benchmarks/bench_cnn.py``
reports it). In inference a convolution works through the batch in chunks of
:attr:`Conv2D.inference_chunk` samples, so its scratch stays at one chunk's size; the
activations of a large batch still add up (``predict`` on 1000 images of the ``cnn`` net
holds about 350 MB).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .errors import ConfigError
from .initializers import fill_normal, init_std
from .layers import Layer, Shape, check_init, check_positive_int

Pair = tuple[int, int]


# -- helpers -------------------------------------------------------------------------------------
def _pair(name: str, value: Any) -> Pair:
    """``3`` or ``[3, 3]`` -> ``(3, 3)``, each a positive whole number."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ConfigError(f"{name} must be a number or a pair of numbers, got {value!r}")
        return check_positive_int(name, value[0]), check_positive_int(name, value[1])
    size = check_positive_int(name, value)
    return size, size


def _pair_config(pair: Pair) -> int | list[int]:
    return pair[0] if pair[0] == pair[1] else list(pair)


def _image_shape(kind: str, input_shape: Shape) -> tuple[int, int, int]:
    if len(input_shape) != 3:
        raise ConfigError(f"a {kind} layer needs an image input (channels, height, width) but "
                          f"receives shape {input_shape}")
    c, h, w = (int(d) for d in input_shape)
    return c, h, w


def channels_last(x: np.ndarray) -> np.ndarray:
    """The ``(N, H, W, C)`` view of an ``(N, C, H, W)`` array (no copy)."""
    return x.transpose(0, 2, 3, 1)


def channels_first(x: np.ndarray) -> np.ndarray:
    """The ``(N, C, H, W)`` view of an ``(N, H, W, C)`` array (no copy)."""
    return x.transpose(0, 3, 1, 2)


def _window_slice(offset: int, count: int, step: int) -> slice:
    """Positions ``offset, offset + step, ...`` (``count`` of them) along one axis."""
    return slice(offset, offset + (count - 1) * step + 1, step)


#: numbers per block in blocked loops: 64k float32 (256 KiB) stays in a core's L2 cache
_CACHE_BLOCK = 65536


def _ones_last_row(array: np.ndarray) -> None:
    array[-1] = 1


class _Scratch:
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


def _copy_threads() -> int:
    """Threads for the copies around the matrix products: one per core, but only if BLAS lets
    the cores go idle between products.

    By default OpenBLAS's worker threads busy-wait for about 0.1 s after every product, which
    covers all the NumPy work between two products, so extra threads would only queue behind
    them. ``OPENBLAS_THREAD_TIMEOUT`` (log2 of the spin in CPU cycles, read when NumPy loads)
    set to 16 or less makes them sleep almost at once, so an application should set it (to
    4) before it imports NumPy.
    """
    try:
        spin = int(os.environ.get("OPENBLAS_THREAD_TIMEOUT", "28"))
    except ValueError:
        spin = 28
    return max(1, min(os.cpu_count() or 1, 8)) if spin <= 16 else 1


class _BatchSplitter:
    """Runs ``work(start, stop)`` over slices of the batch, one per thread, in parallel.

    BLAS uses every core for the matrix products, but NumPy does element-wise work and copies
    on one; for large arrays it releases the GIL, so the copies around the products (im2col,
    col2im, pooling) can share the batch between threads. Each sample is computed exactly as
    it would be in one piece, so results do not depend on the number of threads.
    """

    #: jobs smaller than this many array elements run in the calling thread
    min_size = 1 << 18

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None

    def run(self, work: Callable[[int, int], None], count: int, size: int) -> None:
        parts = min(self.threads, count) if size >= self.min_size else 1
        if parts <= 1:
            work(0, count)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads - 1, thread_name_prefix="digitlab-conv")
        bounds = [count * part // parts for part in range(parts + 1)]
        futures = [self._pool.submit(work, bounds[part], bounds[part + 1]) for part in range(1, parts)]
        work(bounds[0], bounds[1])
        for future in futures:
            future.result()


_split = _BatchSplitter(_copy_threads())


def _im2col(padded: np.ndarray, kernel: Pair, stride: Pair, out_hw: Pair, cols: np.ndarray,
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


# -- convolution ---------------------------------------------------------------------------------
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
    #: the transposed-convolution input gradient is used while its im2col copy is at most this
    #: many times the size of the scatter-add's (see _use_transposed)
    transposed_ratio = 1.0

    def __init__(self, filters: int, kernel_size: int | list[int], stride: int | list[int] = 1,
                 padding: str | int | list[int] = "valid", init: str = "he",
                 init_scale: float = 0.01) -> None:
        super().__init__()
        self.filters = check_positive_int("conv2d filters", filters)
        self.kernel_size = _pair("conv2d kernel_size", kernel_size)
        self.stride = _pair("conv2d stride", stride)
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
        self._scratch = _Scratch()
        self._cols: np.ndarray | None = None
        self._x_shape: tuple[int, ...] = ()

    # -- structure -------------------------------------------------------------------------
    def pads(self, h: int, w: int) -> tuple[Pair, Pair]:
        """((top, bottom), (left, right)) zero rows/columns for an ``h`` x ``w`` input."""
        if self.padding == "valid":
            return (0, 0), (0, 0)
        if self.padding == "same":
            pads = []
            for size, k, s in zip((h, w), self.kernel_size, self.stride, strict=True):
                total = max((-(-size // s) - 1) * s + k - size, 0)
                pads.append((total // 2, total - total // 2))
            return pads[0], pads[1]
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
        c, h, w = _image_shape("conv2d", input_shape)
        self._geometry(h, w)
        return {"W": (self.filters, c) + self.kernel_size, "b": (self.filters,)}

    def output_shape(self, input_shape: Shape) -> Shape:
        _, h, w = _image_shape("conv2d", input_shape)
        (ho, wo), _, _ = self._geometry(h, w)
        return (self.filters, ho, wo)

    def scratch_size(self, input_shape: Shape) -> int:
        c, h, w = _image_shape("conv2d", input_shape)
        (ho, wo), pads_h, pads_w = self._geometry(h, w)
        padded = (h + sum(pads_h)) * (w + sum(pads_w)) * c
        columns = ho * wo * (self.kernel_size[0] * self.kernel_size[1] * c + 1)
        return padded + columns

    def initialize(self, rng: np.random.Generator) -> None:
        weights = self.params["W"]
        fill_normal(weights, init_std(self.init, weights.shape, self.init_scale), rng)
        self.params["b"][...] = 0

    def get_config(self) -> dict[str, Any]:
        padding = self.padding if isinstance(self.padding, str) else _pair_config(self.padding)
        return {"type": self.type_name, "filters": self.filters,
                "kernel_size": _pair_config(self.kernel_size), "stride": _pair_config(self.stride),
                "padding": padding, "init": self.init, "init_scale": self.init_scale}

    # -- computation -----------------------------------------------------------------------
    def _weight_matrix(self, with_bias: bool = False) -> np.ndarray:
        """``W`` (F, C, kh, kw) as the ``(kh*kw*C, F)`` matrix the im2col rows multiply, with
        ``b`` appended as a last row if ``with_bias``."""
        weights = self.params["W"]
        matrix = weights.transpose(2, 3, 1, 0).reshape(-1, weights.shape[0])
        return np.vstack([matrix, self.params["b"]]) if with_bias else matrix

    def _forward_block(self, x: np.ndarray, tag: str) -> tuple[np.ndarray, np.ndarray]:
        """Convolve one block; returns ``(y, cols)`` with ``cols`` the 2-D im2col matrix.

        With one input channel the columns are kernel-major, ``(kh*kw + 1, N*Ho*Wo)``, and the
        extra last row is all ones: the product then adds the bias and, in backward, sums the
        bias gradient for free. (With 9 or 25 weights per output, the separate passes over the
        wide output would cost as much as the product itself.)
        """
        n, c, h, w = x.shape
        (ho, wo), (pt, pb), (pl, pr) = self._geometry(h, w)
        kh, kw = self.kernel_size
        size = kh * kw * c
        image = channels_last(x)
        padded = image
        if pt or pb or pl or pr:
            padded = self._scratch.get(f"{tag}_padded", (n, h + pt + pb, w + pl + pr, c), x.dtype)
        kernel_major = c == 1
        if kernel_major:
            cols = self._scratch.get(f"{tag}_cols_km", (size + 1, n * ho * wo), x.dtype, _ones_last_row)
            cols_image = cols[:size].reshape(kh, kw, c, n, ho, wo)
        else:
            cols = self._scratch.get(f"{tag}_cols", (n * ho * wo, size), x.dtype)
            cols_image = cols.reshape(n, ho, wo, kh, kw, c)

        def copy_windows(start: int, stop: int) -> None:
            if padded is not image:
                padded[start:stop, pt:pt + h, pl:pl + w] = image[start:stop]
            target = cols_image[:, :, :, start:stop] if kernel_major else cols_image[start:stop]
            _im2col(padded[start:stop], self.kernel_size, self.stride, (ho, wo), target, kernel_major)

        _split.run(copy_windows, n, cols.size)
        if kernel_major:
            out = cols.T @ self._weight_matrix(with_bias=True)
        else:
            out = cols @ self._weight_matrix()
            out += self.params["b"]
        # out is (N*Ho*Wo, F): the channels-last output itself
        return channels_first(out.reshape(n, ho, wo, self.filters)), cols

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if training:
            self._x_shape = x.shape
            out, self._cols = self._forward_block(x, "train")
            return out
        self._cols = None
        n = x.shape[0]
        if n <= self.inference_chunk:
            return self._forward_block(x, "infer")[0]
        _, ho, wo = self.output_shape(x.shape[1:])
        out = channels_first(np.empty((n, ho, wo, self.filters), dtype=x.dtype))
        for start in range(0, n, self.inference_chunk):
            stop = min(start + self.inference_chunk, n)
            out[start:stop] = self._forward_block(x[start:stop], "infer")[0]
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        n, c, h, w = self._x_shape
        f = self.filters
        kh, kw = self.kernel_size
        size = kh * kw * c
        dout_image = np.ascontiguousarray(channels_last(dout))  # a view for our own layout
        dout2d = dout_image.reshape(-1, f)
        cols = self._cols
        if cols.shape[0] == size + 1:  # kernel-major with the row of ones
            grad_matrix = cols @ dout2d  # (kh*kw*C + 1, F)
            self.grads["b"][...] = grad_matrix[size]
        else:
            grad_matrix = cols.T @ dout2d  # (kh*kw*C, F)
            np.sum(dout2d, axis=0, out=self.grads["b"])
        self.grads["W"][...] = grad_matrix[:size].reshape(kh, kw, c, f).transpose(3, 2, 0, 1)
        if not self.needs_input_grad:
            return dout  # nobody reads it; skip the largest product of the step
        (ho, wo), pads_h, pads_w = self._geometry(h, w)
        if self._use_transposed(h * w, ho * wo, pads_h, pads_w):
            dx = self._input_grad_transposed(dout_image, (h, w), pads_h, pads_w)
        else:
            dx = self._input_grad_col2im(dout2d, (n, c, h, w), (ho, wo), pads_h, pads_w)
        return channels_first(dx)

    def _use_transposed(self, in_pixels: int, out_pixels: int, pads_h: Pair, pads_w: Pair) -> bool:
        """Pick the cheaper input-gradient method: the transposed convolution copies
        ``H*W*kh*kw*F`` numbers per sample, the scatter adds ``Ho*Wo*kh*kw*C`` (about twice
        as dear each); the transposed one also needs stride 1 and padding under the kernel."""
        (kh, kw), c = self.kernel_size, self.params["W"].shape[1]
        fits = self.stride == (1, 1) and max(pads_h) < kh and max(pads_w) < kw
        return fits and in_pixels * self.filters <= self.transposed_ratio * out_pixels * c

    def _input_grad_transposed(self, dout_image: np.ndarray, hw: Pair, pads_h: Pair,
                               pads_w: Pair) -> np.ndarray:
        """Stride-1 input gradient as a convolution of ``dout`` with the flipped kernel.

        ``x[h]`` met ``W[i]`` in output row ``h + pad_top - i``, so
        ``dx[h] = sum_i dout[h + pad_top - i] W[i]``: a valid convolution of ``dout`` padded by
        ``kh - 1 - pad`` rows with the kernel flipped in both directions and its in/out swapped.
        """
        n, ho, wo, f = dout_image.shape
        h, w = hw
        kh, kw = self.kernel_size
        c = self.params["W"].shape[1]
        top, left = kh - 1 - pads_h[0], kw - 1 - pads_w[0]
        padded_shape = (n, h + kh - 1, w + kw - 1, f)
        padded = self._scratch.get("dout_padded", padded_shape, dout_image.dtype)
        cols = self._scratch.get("dout_cols", (n * h * w, kh * kw * f), dout_image.dtype)
        cols_image = cols.reshape(n, h, w, kh, kw, f)

        def copy_windows(start: int, stop: int) -> None:
            padded[start:stop, top:top + ho, left:left + wo] = dout_image[start:stop]
            _im2col(padded[start:stop], (kh, kw), (1, 1), (h, w), cols_image[start:stop], False)

        _split.run(copy_windows, n, cols.size)
        flipped = self.params["W"][:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(-1, c)
        return (cols @ flipped).reshape(n, h, w, c)

    def _input_grad_col2im(self, dout2d: np.ndarray, x_shape: tuple[int, int, int, int],
                           out_hw: Pair, pads_h: Pair, pads_w: Pair) -> np.ndarray:
        """General input gradient: ``dcols = dout @ W.T`` added back into the windows it came
        from (col2im), a few samples at a time so the block being added to stays in cache."""
        n, c, h, w = x_shape
        ho, wo = out_hw
        kh, kw = self.kernel_size
        (pt, pb), (pl, pr) = pads_h, pads_w
        margin = _col2im_margin(kw, self.stride[1])
        padded = np.empty((n, h + pt + pb, w + pl + pr + margin, c), dtype=dout2d.dtype)
        weights_t = np.ascontiguousarray(self._weight_matrix().T)  # (F, kh*kw*C)
        block = max(1, _CACHE_BLOCK // padded[0].size)
        rows = ho * wo
        for start in range(0, n, block):
            stop = min(start + block, n)
            # one block's products are still in cache when they are added back
            dcols = dout2d[start * rows:stop * rows] @ weights_t
            target = padded[start:stop]
            target[...] = 0  # rows past the last window (stride not fitting) stay zero
            _col2im_add(dcols.reshape(stop - start, ho, wo, kh, kw, c), self.stride, target)
        return padded[:, pt:pt + h, pl:pl + w]


def _col2im_add(dcols: np.ndarray, stride: Pair, padded: np.ndarray) -> None:
    """``padded[n, ho*sh + i, wo*sw + j] += dcols[n, ho, wo, i, j]`` for every kernel offset.

    Windows of outputs ``wo`` and ``wo + g`` with ``g = ceil(kw / sw)`` do not overlap, so all
    ``wo`` of one residue mod ``g`` are added in one call, and its innermost run is a whole
    window row, ``kw*C`` numbers, rather than ``C``: ``kh * g`` calls instead of ``kh * kw``.
    ``padded`` needs :func:`_col2im_margin` spare columns on the right.
    """
    n, ho, wo, kh, kw, c = dcols.shape
    sh, sw = stride
    group = -(-kw // sw)
    span = group * sw  # columns between windows of one residue
    for i in range(kh):
        rows = padded[:, _window_slice(i, ho, sh)]
        for residue in range(min(group, wo)):
            count = len(range(residue, wo, group))
            start = residue * sw
            target = rows[:, :, start:start + count * span].reshape(n, ho, count, span, c)
            target[:, :, :, :kw] += dcols[:, :, residue::group, i]


def _col2im_margin(kernel_width: int, stride_width: int) -> int:
    """Spare columns :func:`_col2im_add` may touch past the last window (it reshapes whole
    ``ceil(kw / sw) * sw``-column spans)."""
    return -(-kernel_width // stride_width) * stride_width - kernel_width


# -- pooling -------------------------------------------------------------------------------------
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
        self.pool_size = _pair(f"{self.type_name} pool_size", pool_size)
        self.stride = self.pool_size if stride is None else _pair(f"{self.type_name} stride", stride)
        self._x_shape: tuple[int, ...] = ()

    def output_shape(self, input_shape: Shape) -> Shape:
        c, h, w = _image_shape(self.type_name, input_shape)
        ho, wo = self._out_hw(h, w)
        return (c, ho, wo)

    def _out_hw(self, h: int, w: int) -> Pair:
        (ph, pw), (sh, sw) = self.pool_size, self.stride
        if ph > h or pw > w:
            raise ConfigError(f"a {ph}x{pw} {self.type_name} window does not fit a {h}x{w} input")
        return (h - ph) // sh + 1, (w - pw) // sw + 1

    def get_config(self) -> dict[str, Any]:
        return {"type": self.type_name, "pool_size": _pair_config(self.pool_size),
                "stride": _pair_config(self.stride)}

    def _offsets(self, image: np.ndarray) -> list[np.ndarray]:
        """One strided view of ``image`` (N, H, W, C) per window offset, each (N, Ho, Wo, C)."""
        ho, wo = self._out_hw(image.shape[1], image.shape[2])
        (ph, pw), (sh, sw) = self.pool_size, self.stride
        return [image[:, _window_slice(i, ho, sh), _window_slice(j, wo, sw)]
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

        _split.run(maxima, x.shape[0], x.size)
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

        _split.run(route, dx.shape[0], dx.size)
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

        _split.run(average, x.shape[0], x.size)
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

        _split.run(share, dx.shape[0], dx.size)
        return channels_first(dx)


# -- batch normalisation -------------------------------------------------------------------------
class BatchNorm(Layer):
    """Batch normalisation (Ioffe & Szegedy, 2015): ``y = gamma * (x - mean) / sqrt(var + eps)
    + beta``, per feature of a flat input (N, F) or per channel of an image (N, C, H, W).

    In training ``mean`` and ``var`` are the batch's (the biased variance, over the batch and,
    for images, all pixels), and the running statistics move towards them:
    ``running = momentum * running + (1 - momentum) * batch`` (Keras's convention; PyTorch's
    ``momentum`` is one minus this). In inference the running statistics are used, so a single
    sample gives a deterministic answer.

    Parameters: ``gamma`` (ones) and ``beta`` (zeros), shape (C,). Buffers saved with the model:
    ``running_mean`` (zeros) and ``running_var`` (ones), shape (C,).
    """

    type_name = "batch_norm"
    buffer_names = ("running_mean", "running_var")

    def __init__(self, momentum: float = 0.9, eps: float = 1e-5) -> None:
        super().__init__()
        if not (isinstance(momentum, (int, float)) and 0 <= momentum < 1):
            raise ConfigError(f"batch_norm momentum must be in [0, 1), got {momentum!r}")
        if not (isinstance(eps, (int, float)) and eps > 0 and np.isfinite(eps)):
            raise ConfigError(f"batch_norm eps must be a positive number, got {eps!r}")
        self.momentum = float(momentum)
        self.eps = float(eps)

    def _features(self, input_shape: Shape) -> Shape:
        if len(input_shape) not in (1, 3):
            raise ConfigError(f"batch_norm needs a flat (features,) or image (channels, height, "
                              f"width) input, got shape {input_shape}")
        return (int(input_shape[0]),)

    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        features = self._features(input_shape)
        return {"gamma": features, "beta": features}

    def buffer_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        features = self._features(input_shape)
        return {"running_mean": features, "running_var": features}

    def output_shape(self, input_shape: Shape) -> Shape:
        self._features(input_shape)
        return input_shape

    def initialize(self, rng: np.random.Generator) -> None:
        self.params["gamma"][...] = 1
        self.params["beta"][...] = 0
        self.buffers["running_mean"][...] = 0
        self.buffers["running_var"][...] = 1

    def get_config(self) -> dict[str, Any]:
        return {"type": self.type_name, "momentum": self.momentum, "eps": self.eps}

    @staticmethod
    def _as_rows(x: np.ndarray) -> np.ndarray:
        """(N, F) itself, or an image (N, C, H, W) as (N*H*W, C) rows (a view when the image
        is channels-last in memory, as the other layers here produce it)."""
        return x if x.ndim == 2 else channels_last(x).reshape(-1, x.shape[1])

    @staticmethod
    def _like_input(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        if len(shape) == 2:
            return rows
        n, c, h, w = shape
        return channels_first(rows.reshape(n, h, w, c))

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        rows = self._as_rows(x)
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not training:
            scale = gamma / np.sqrt(self.buffers["running_var"] + x.dtype.type(self.eps))
            out = (rows - self.buffers["running_mean"]) * scale
            out += beta
            return self._like_input(out, x.shape)
        mean = rows.mean(axis=0)
        centred = rows - mean
        var = np.mean(centred * centred, axis=0)
        inv_std = 1 / np.sqrt(var + x.dtype.type(self.eps))
        normalised = centred
        normalised *= inv_std
        self._normalised, self._inv_std, self._x_shape = normalised, inv_std, x.shape
        keep = self.momentum
        for name, batch_value in (("running_mean", mean), ("running_var", var)):
            running = self.buffers[name]
            running *= keep
            running += (1 - keep) * batch_value
        out = normalised * gamma
        out += beta
        return self._like_input(out, x.shape)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        rows = self._as_rows(dout)
        normalised = self._normalised
        dbeta, dgamma = self.grads["beta"], self.grads["gamma"]
        np.sum(rows, axis=0, out=dbeta)
        np.sum(rows * normalised, axis=0, out=dgamma)
        # dx = gamma * inv_std * (dy - mean(dy) - xhat * mean(dy * xhat))
        count = rows.shape[0]
        dx = normalised * (dgamma / count)
        dx += dbeta / count
        np.subtract(rows, dx, out=dx)
        dx *= self.params["gamma"] * self._inv_std
        return self._like_input(dx, self._x_shape)
