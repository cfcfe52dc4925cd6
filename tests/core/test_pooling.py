"""Max and average pooling against short reference formulas, tie-breaking, and PyTorch (optional)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from digitlab.core.pooling import AvgPool2D, MaxPool2D


def reference_pool(kind: str, x: np.ndarray, pool: tuple[int, int], stride: tuple[int, int],
                   dy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(y, dx)`` by the textbook: each output is the max/mean of its window; backward sends
    dy to the window's first maximum (row-major) or shares it equally over the window."""
    windows = sliding_window_view(x, pool, axis=(2, 3))[:, :, ::stride[0], ::stride[1]]
    y = windows.max(axis=(4, 5)) if kind == "max" else windows.mean(axis=(4, 5))
    dx = np.zeros_like(x)
    for n, c, p, q in np.ndindex(y.shape):
        top, left = p * stride[0], q * stride[1]
        if kind == "max":
            i, j = np.unravel_index(np.argmax(windows[n, c, p, q]), pool)  # argmax: first maximum
            dx[n, c, top + i, left + j] += dy[n, c, p, q]
        else:
            dx[n, c, top:top + pool[0], left:left + pool[1]] += dy[n, c, p, q] / (pool[0] * pool[1])
    return y, dx


def as_pair(value: int | list[int]) -> tuple[int, int]:
    return (value[0], value[1]) if isinstance(value, list) else (value, value)


# (pool_size, stride or None, (H, W)): tiling, odd sizes, overlapping and gapped windows
POOL_CASES = [
    (2, None, (8, 8)), (2, None, (9, 7)), (3, 2, (9, 9)), (3, 1, (5, 6)), ([2, 3], [1, 2], (7, 8)),
    (2, 3, (8, 8)), (1, None, (4, 5)), ([3, 1], [3, 1], (9, 4)), (3, None, (3, 3)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("pool, stride, hw", POOL_CASES)
def test_pooling_matches_reference(kind, pool, stride, hw, dtype):
    """Pooled values and input gradients equal the reference formulas, with many ties (inputs
    drawn from {0, 1, 2}, as after a ReLU) and channels-first or channels-last input."""
    rng = np.random.default_rng(len(POOL_CASES) * hw[0] + hw[1])
    layer = (MaxPool2D if kind == "max" else AvgPool2D)(pool_size=pool, stride=stride)
    x = rng.integers(0, 3, (3, 4, *hw)).astype(dtype)
    dy = rng.standard_normal((3, 4, *layer.output_shape((4, *hw))[1:])).astype(dtype)
    y_ref, dx_ref = reference_pool(kind, x, as_pair(pool), as_pair(pool if stride is None else stride), dy)
    tolerance = 1e-6 if dtype == np.float32 else 1e-12
    for layout in (x, np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)):
        y = layer.forward(layout, training=True)
        assert y.dtype == dtype
        np.testing.assert_allclose(y, y_ref, rtol=0, atol=tolerance)
        np.testing.assert_allclose(layer.backward(dy), dx_ref, rtol=0, atol=tolerance)
        np.testing.assert_allclose(layer.forward(layout, training=False), y_ref, rtol=0, atol=tolerance)


def test_max_pool_routes_ties_to_the_first_element():
    """With equal values in a window, the whole gradient goes to the first (row-major) one."""
    pool = MaxPool2D(pool_size=2)
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 2:, 2:] = [[1, 5], [5, 5]]
    pool.forward(x, training=True)
    dx = pool.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    expected = np.zeros((4, 4))
    expected[0, 0], expected[0, 2], expected[2, 0], expected[2, 3] = 1, 2, 3, 4
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_overlapping_max_pool_counts_each_window():
    """An element that is the maximum of two overlapping windows receives both gradients."""
    pool = MaxPool2D(pool_size=3, stride=1)
    x = np.zeros((1, 1, 4, 3))
    x[0, 0, 1, 1] = 9.0
    y = pool.forward(x, training=True)
    assert y.shape == (1, 1, 2, 1)
    dx = pool.backward(np.ones_like(y))
    assert dx[0, 0, 1, 1] == 2 and dx.sum() == 2


# -- against PyTorch (skipped when it is not installed) -----------------------------------------
@pytest.mark.parametrize("kind, pool, stride", [
    ("max", 2, None), ("max", 3, 2), ("max", [2, 3], [1, 2]), ("avg", 2, None), ("avg", 3, 2),
])
def test_pooling_matches_pytorch(kind, pool, stride):
    """Pooled values and input gradients equal torch's max_pool2d / avg_pool2d."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 11, 10))
    layer = (MaxPool2D if kind == "max" else AvgPool2D)(pool_size=pool, stride=stride)
    y = layer.forward(x, training=True)
    dout = rng.standard_normal(y.shape)
    dx = layer.backward(dout)
    xt = torch.tensor(x, requires_grad=True)
    function = torch.nn.functional.max_pool2d if kind == "max" else torch.nn.functional.avg_pool2d
    yt = function(xt, tuple(pool) if isinstance(pool, list) else pool,
                  tuple(stride) if isinstance(stride, list) else stride)
    yt.backward(torch.tensor(dout))
    np.testing.assert_allclose(y, yt.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("pool, stride", [(2, None), (3, 2)], ids=["tiling 2x2", "overlapping 3/2"])
def test_network_pooling_before_relu_changes_no_output_or_gradient(pool, stride):
    """A network runs ReLU -> max pool as max pool -> ReLU (pool_before_relu); outputs and input
    gradients equal running the layers in the config's order, bit for bit, even with ties and
    windows that are all negative or zero."""
    from digitlab.core.activations import ReLU
    from digitlab.core.layers import Flatten
    from digitlab.core.network import Network

    rng = np.random.default_rng(5)
    x = np.round(rng.standard_normal((4, 3, 9, 9)), 1)  # rounding makes ties common
    x[0, :, :4, :4] = -1.0
    x[1, :, :4, :4] = 0.0
    net = Network([ReLU(), MaxPool2D(pool, stride), Flatten()], (3, 9, 9), "mse", np.float64)
    assert [type(layer) for layer in net._train_layers] == [MaxPool2D, ReLU, Flatten]
    y = net.forward(x, training=True)
    dy = rng.standard_normal(y.shape)
    dout = dy
    for layer in reversed(net._train_layers):
        dout = layer.backward(dout)
    in_order = [ReLU(), MaxPool2D(pool, stride), Flatten()]
    expected = x
    for layer in in_order:
        expected = layer.forward(expected, training=True)
    expected_dx = dy
    for layer in reversed(in_order):
        expected_dx = layer.backward(expected_dx)
    np.testing.assert_array_equal(y, expected)
    np.testing.assert_array_equal(dout, expected_dx)
