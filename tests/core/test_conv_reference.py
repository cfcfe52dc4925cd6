"""The reference convolution is right on its own terms: the definition, written out pixel by
pixel, and numerical derivatives of its forward pass (it is the oracle for the fast path)."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.conv_reference import conv2d_backward, conv2d_forward

# (batch, channels, filters, kernel, stride, pads, (H, W))
CASES = [
    (2, 3, 2, (3, 3), (1, 1), ((1, 1), (1, 1)), (5, 5)),
    (1, 2, 3, (2, 3), (2, 1), ((0, 1), (2, 0)), (6, 5)),
    (3, 1, 2, (4, 2), (3, 2), ((0, 0), (0, 0)), (9, 7)),  # stride leaves the last rows unused
]


def definition(x: np.ndarray, weights: np.ndarray, bias: np.ndarray, stride, pads) -> np.ndarray:
    """y[n, f, p, q] = b[f] + sum(W[f] * window of x at (p*sh, q*sw)), one pixel at a time."""
    padded = np.pad(x, ((0, 0), (0, 0), pads[0], pads[1]))
    f, _, kh, kw = weights.shape
    (sh, sw), (hp, wp) = stride, padded.shape[2:]
    ho, wo = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    y = np.empty((x.shape[0], f, ho, wo))
    for n in range(x.shape[0]):
        for k in range(f):
            for p in range(ho):
                for q in range(wo):
                    window = padded[n, :, p * sh:p * sh + kh, q * sw:q * sw + kw]
                    y[n, k, p, q] = bias[k] + np.sum(weights[k] * window)
    return y


def random_problem(case, seed: int = 0):
    n, c, f, kernel, stride, pads, hw = case
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, c, *hw)), rng.standard_normal((f, c, *kernel)),
            rng.standard_normal(f), stride, pads)


def test_reference_on_a_hand_computed_example():
    """A 2x2 kernel over a 3x3 image, stride 1, no padding, worked out by hand."""
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1 2 3] [4 5 6] [7 8 9]]
    weights = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])  # top-left minus bottom-right
    y = conv2d_forward(x, weights, np.array([0.5]))
    np.testing.assert_array_equal(y, [[[[1 - 5 + 0.5, 2 - 6 + 0.5], [4 - 8 + 0.5, 5 - 9 + 0.5]]]])


@pytest.mark.parametrize("case", CASES)
def test_reference_forward_follows_the_definition(case):
    """The offset-by-offset einsum equals the pixel-by-pixel definition of cross-correlation."""
    x, weights, bias, stride, pads = random_problem(case)
    np.testing.assert_allclose(conv2d_forward(x, weights, bias, stride, pads),
                               definition(x, weights, bias, stride, pads), atol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_reference_backward_matches_numerical_derivatives(case):
    """Every gradient equals central differences of sum(dy * forward(...)) in float64."""
    x, weights, bias, stride, pads = random_problem(case)
    dy = np.random.default_rng(1).standard_normal(conv2d_forward(x, weights, bias, stride, pads).shape)
    analytic = conv2d_backward(x, weights, dy, stride, pads)
    step = 1e-6
    for array, gradient in zip((x, weights, bias), analytic, strict=True):
        assert gradient.shape == array.shape
        numerical = np.empty_like(array)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + step
            above = np.sum(dy * conv2d_forward(x, weights, bias, stride, pads))
            array[index] = saved - step
            below = np.sum(dy * conv2d_forward(x, weights, bias, stride, pads))
            array[index] = saved
            numerical[index] = (above - below) / (2 * step)
        np.testing.assert_allclose(gradient, numerical, rtol=1e-6, atol=1e-7)


def test_reference_keeps_float32():
    """float32 inputs give float32 outputs and gradients, as the layer's do."""
    x, weights, bias, stride, pads = random_problem(CASES[0])
    x, weights, bias = (a.astype(np.float32) for a in (x, weights, bias))
    y = conv2d_forward(x, weights, bias, stride, pads)
    assert y.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv2d_backward(x, weights, np.ones_like(y), stride, pads))
