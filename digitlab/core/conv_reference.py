"""Reference 2-D convolution, forward and backward, written to be read.

This is what :class:`~digitlab.core.conv.Conv2D` computes, without any of its speed-ups
(channels-last memory, im2col matrices, col2im, threads, reused buffers): one loop over the
kernel offsets ``(i, j)``, and at each offset one :func:`numpy.einsum` over the whole batch.
It is slow but short, and the tests hold the fast path to it. It imports nothing from the rest
of DigitLab, not even the output-size arithmetic, so it can be read on its own and cannot share
a bug with the code it checks.

The maths (cross-correlation, as in every deep-learning framework), for an input ``x`` already
zero-padded, weights ``W`` (F, C, kh, kw), bias ``b`` (F,) and stride ``(sh, sw)``::

    y[n, f, p, q] = b[f] + sum_{c, i, j} W[f, c, i, j] * x[n, c, p*sh + i, q*sw + j]

Every output pixel ``(p, q)`` sees the window that starts at ``(p*sh, q*sw)``. Read the other
way round, kernel offset ``(i, j)`` meets the input pixels ``x[n, c, i::sh, j::sw]`` (the first
``Ho x Wo`` of them), which is the strided slice the code takes. The gradients follow from the
chain rule, one term per place an input or a weight was used::

    db[f]             = sum_{n, p, q} dy[n, f, p, q]
    dW[f, c, i, j]    = sum_{n, p, q} dy[n, f, p, q] * x[n, c, p*sh + i, q*sw + j]
    dx[n, c, p*sh + i, q*sw + j] += sum_f dy[n, f, p, q] * W[f, c, i, j]

and the gradient of the padded input is cut back to the unpadded one (the padding is constant).
"""

from __future__ import annotations

import numpy as np

Pair = tuple[int, int]


def _offset_view(padded: np.ndarray, i: int, j: int, stride: Pair, out_hw: Pair) -> np.ndarray:
    """The input pixels that kernel offset ``(i, j)`` multiplies, one per output pixel:
    ``padded[:, :, p*sh + i, q*sw + j]`` for ``p < Ho, q < Wo``, shape (N, C, Ho, Wo)."""
    (sh, sw), (ho, wo) = stride, out_hw
    return padded[:, :, i:i + (ho - 1) * sh + 1:sh, j:j + (wo - 1) * sw + 1:sw]


def _output_size(padded_hw: Pair, kernel: Pair, stride: Pair) -> Pair:
    """``(Ho, Wo)``: how many windows fit, stepping by the stride."""
    (hp, wp), (kh, kw), (sh, sw) = padded_hw, kernel, stride
    return (hp - kh) // sh + 1, (wp - kw) // sw + 1


def _pad(x: np.ndarray, pads: tuple[Pair, Pair]) -> np.ndarray:
    """``x`` (N, C, H, W) with ``pads = ((top, bottom), (left, right))`` rows/columns of zeros."""
    return np.pad(x, ((0, 0), (0, 0), pads[0], pads[1]))


def conv2d_forward(x: np.ndarray, weights: np.ndarray, bias: np.ndarray, stride: Pair = (1, 1),
                   pads: tuple[Pair, Pair] = ((0, 0), (0, 0))) -> np.ndarray:
    """Convolve a batch of images.

    Parameters
    ----------
    x : (N, C, H, W) input.
    weights : (F, C, kh, kw) kernels, one per output channel.
    bias : (F,) one number per output channel.
    stride : ``(sh, sw)`` step between windows.
    pads : ``((top, bottom), (left, right))`` zero rows and columns added around each image
        (for Conv2D's "same" padding, see :func:`digitlab.core.image_geometry.same_padding`).

    Returns
    -------
    (N, F, Ho, Wo) output, ``Ho = (H + top + bottom - kh) // sh + 1`` and likewise ``Wo``.
    """
    padded = _pad(x, pads)
    kh, kw = weights.shape[2:]
    ho, wo = _output_size(padded.shape[2:], (kh, kw), stride)
    y = np.zeros((x.shape[0], weights.shape[0], ho, wo), dtype=np.result_type(x, weights))
    for i in range(kh):
        for j in range(kw):
            pixels = _offset_view(padded, i, j, stride, (ho, wo))  # (N, C, Ho, Wo)
            y += np.einsum("nchw,fc->nfhw", pixels, weights[:, :, i, j])
    y += bias[None, :, None, None]
    return y


def conv2d_backward(x: np.ndarray, weights: np.ndarray, dy: np.ndarray, stride: Pair = (1, 1),
                    pads: tuple[Pair, Pair] = ((0, 0), (0, 0))) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a loss through :func:`conv2d_forward`, given the output gradient ``dy``.

    Parameters
    ----------
    x, weights, stride, pads : as given to :func:`conv2d_forward`.
    dy : (N, F, Ho, Wo) gradient of the loss with respect to the output.

    Returns
    -------
    dx : (N, C, H, W) gradient with respect to the input.
    dweights : (F, C, kh, kw) gradient with respect to the weights.
    dbias : (F,) gradient with respect to the bias.
    """
    padded = _pad(x, pads)
    kh, kw = weights.shape[2:]
    ho, wo = dy.shape[2:]
    dpadded = np.zeros_like(padded, dtype=np.result_type(x, weights, dy))
    dweights = np.zeros(weights.shape, dtype=dpadded.dtype)
    for i in range(kh):
        for j in range(kw):
            pixels = _offset_view(padded, i, j, stride, (ho, wo))
            dweights[:, :, i, j] = np.einsum("nfhw,nchw->fc", dy, pixels)
            # each input pixel used at this offset receives what its output pixels send back
            _offset_view(dpadded, i, j, stride, (ho, wo))[...] += np.einsum("nfhw,fc->nchw", dy,
                                                                            weights[:, :, i, j])
    dbias = dy.sum(axis=(0, 2, 3))
    (top, _), (left, _) = pads
    h, w = x.shape[2:]
    dx = dpadded[:, :, top:top + h, left:left + w]
    return dx, dweights, dbias
