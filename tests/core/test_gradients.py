"""Backprop against numerical differentiation for every layer, activation and loss.

Each check builds a small float64 network, compares ``backprop_gradient`` with the central
difference of :func:`digitlab.core.gradcheck.numerical_gradient` per parameter tensor and demands a
relative error below 1e-6 (float64) — or below an honest 1e-2 bound in float32.
"""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.activations import (
    Identity,
    LeakyReLU,
    PReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
)
from digitlab.core.gradcheck import backprop_gradient, gradient_check, numerical_gradient
from digitlab.core.layers import Dense, Dropout, Flatten, Layer
from digitlab.core.losses import one_hot
from digitlab.core.network import Network

TOLERANCE_64 = 1e-6
BATCH, FEATURES, CLASSES = 4, 5, 3


def _net(layers: list[Layer], loss: str = "softmax_cross_entropy", input_shape=(FEATURES,),
         dtype=np.float64, seed: int = 0) -> Network:
    return Network(layers, input_shape, loss, dtype, np.random.default_rng(seed))


def _batch(input_shape=(FEATURES,), seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, *input_shape))
    labels = rng.integers(0, CLASSES, BATCH)
    return x, labels


def _assert_gradients_agree(network: Network, x: np.ndarray, t: np.ndarray, l2: float = 0.0,
                            tolerance: float = TOLERANCE_64, h: float | None = None) -> dict[str, float]:
    """Run the gradient check; every tensor must agree and carry a non-trivial gradient."""
    rows = gradient_check(network, x, t, l2=l2, h=h)
    assert [row.name for row in rows] == list(network.named_parameters())
    analytic = backprop_gradient(network, x, t, l2)
    errors = {}
    for row in rows:
        assert np.linalg.norm(analytic[row.name]) > 1e-4, f"{row.name}: gradient is (nearly) zero"
        assert row.relative_error < tolerance, f"{row.name}: relative error {row.relative_error:.3g}"
        errors[row.name] = row.relative_error
    return errors


@pytest.mark.parametrize("init,scale", [("normal", 0.1), ("normal", 0.01), ("xavier", 0.01), ("he", 0.01)])
def test_dense_each_initialiser(init, scale):
    """Dense W and b gradients match numerical ones for every initialiser."""
    net = _net([Dense(6, init, scale), Tanh(), Dense(CLASSES, init, scale)])
    x, labels = _batch()
    _assert_gradients_agree(net, x, labels)


@pytest.mark.parametrize("activation", [ReLU(), LeakyReLU(0.1), Sigmoid(), Tanh(), Identity()],
                         ids=lambda a: a.type_name)
def test_activation(activation):
    """Each activation's backward matches the numerical gradient between two dense layers."""
    net = _net([Dense(6, "xavier"), activation, Dense(CLASSES, "xavier")])
    x, labels = _batch()
    _assert_gradients_agree(net, x, labels)


def test_prelu_slope_and_input_gradients_flat():
    """PReLU's learned slope (one per feature) and its input gradient are right."""
    net = _net([Dense(6, "xavier"), PReLU(0.25), Dense(CLASSES, "xavier")])
    x, labels = _batch()
    errors = _assert_gradients_agree(net, x, labels)
    assert "layers.1.alpha" in errors
    assert net.named_parameters()["layers.1.alpha"].shape == (6,)


def test_prelu_slope_per_channel_on_image_input():
    """On a (C, H, W) input PReLU has one slope per channel, summed over the batch and pixels."""
    net = _net([PReLU(0.3), Flatten(), Dense(CLASSES, "xavier")], input_shape=(2, 3, 3))
    x, labels = _batch((2, 3, 3))
    errors = _assert_gradients_agree(net, x, labels)
    assert net.named_parameters()["layers.0.alpha"].shape == (2,)
    assert set(errors) == {"layers.0.alpha", "layers.2.W", "layers.2.b"}


def test_flatten_passes_gradients_through():
    """Flatten's backward restores the image shape; the dense layer after it checks out."""
    net = _net([Flatten(), Dense(4, "xavier"), Tanh(), Dense(CLASSES, "xavier")], input_shape=(2, 3, 3))
    x, labels = _batch((2, 3, 3))
    _assert_gradients_agree(net, x, labels)


def test_softmax_layer_with_mse_uses_its_own_backward():
    """A softmax output under squared error backpropagates through its Jacobian correctly."""
    net = _net([Dense(6, "xavier"), Tanh(), Dense(CLASSES, "xavier"), Softmax()], "mean_squared_error")
    x, labels = _batch()
    _assert_gradients_agree(net, x, labels)
    targets = np.random.default_rng(5).random((BATCH, CLASSES))
    _assert_gradients_agree(net, x, targets)


def test_dropout_with_frozen_mask():
    """With the mask frozen, dropout's backward (mask and 1/(1-rate) scaling) is exact."""
    net = _net([Dense(8, "xavier"), ReLU(), Dropout(0.5), Dense(CLASSES, "xavier")])
    x, labels = _batch()
    _assert_gradients_agree(net, x, labels)
    mask = net.layers[2]._mask
    assert mask is not None and (mask == 0).any() and (mask == 2.0).any()
    assert not net.layers[2].freeze_mask  # the check unfreezes it again


@pytest.mark.parametrize("one_hot_labels", [False, True], ids=["index", "one_hot"])
@pytest.mark.parametrize("final_softmax", [False, True], ids=["scores", "softmax_layer"])
def test_softmax_cross_entropy(one_hot_labels, final_softmax):
    """Fused softmax cross-entropy is right for index and one-hot labels, with or without a
    final Softmax layer (which training skips in favour of the fused gradient)."""
    layers = [Dense(6, "xavier"), Sigmoid(), Dense(CLASSES, "xavier")]
    net = _net(layers + ([Softmax()] if final_softmax else []))
    x, labels = _batch()
    t = one_hot(labels, CLASSES, np.float64) if one_hot_labels else labels
    _assert_gradients_agree(net, x, t)


def test_mse_with_index_labels_and_real_targets():
    """Squared error matches with class-index labels (one-hot internally) and real targets."""
    net = _net([Dense(6, "xavier"), Sigmoid(), Dense(CLASSES, "xavier"), Identity()], "mean_squared_error")
    x, labels = _batch()
    _assert_gradients_agree(net, x, labels)
    targets = np.random.default_rng(7).standard_normal((BATCH, CLASSES))
    _assert_gradients_agree(net, x, targets)


def test_l2_term_included():
    """The L2 penalty 0.5*l2*sum(W**2) and its gradient l2*W agree (weights only, not biases)."""
    net = _net([Dense(6, "he"), ReLU(), Dense(CLASSES, "he")])
    x, labels = _batch()
    _assert_gradients_agree(net, x, labels, l2=0.3)
    plain = backprop_gradient(net, x, labels, 0.0)
    decayed = backprop_gradient(net, x, labels, 0.3)
    params = net.named_parameters()
    np.testing.assert_allclose(decayed["layers.0.W"] - plain["layers.0.W"], 0.3 * params["layers.0.W"],
                               atol=1e-12)
    np.testing.assert_array_equal(decayed["layers.0.b"], plain["layers.0.b"])


def test_float32_honest_bound():
    """In float32 with h = 1e-2 backprop and numerical gradients agree to better than 1e-3
    (measured about 1e-5: the loss is summed in float64)."""
    net = _net([Dense(6, "xavier"), Tanh(), Dense(CLASSES, "xavier")], dtype=np.float32)
    x, labels = _batch()
    _assert_gradients_agree(net, x.astype(np.float32), labels, tolerance=1e-3, h=1e-2)


def test_numerical_gradient_restores_weights_exactly():
    """Nudging every weight leaves the parameters bit-for-bit as they were (float32 and 64)."""
    for dtype in (np.float32, np.float64):
        net = _net([Dense(6, "he"), ReLU(), Dense(CLASSES, "he")], dtype=dtype)
        before = net.flat_parameters().copy()
        x, labels = _batch()
        grads = numerical_gradient(net, x.astype(dtype), labels)
        assert grads is not None
        np.testing.assert_array_equal(net.flat_parameters(), before)
        assert {k: v.shape for k, v in grads.items()} == {
            k: v.shape for k, v in net.named_parameters().items()}


def test_numerical_gradient_honours_should_stop_and_reports_progress():
    """A stop request abandons the computation (None), weights intact; progress is reported."""
    net = _net([Dense(60, "he"), ReLU(), Dense(CLASSES, "he")])  # 543 parameters
    before = net.flat_parameters().copy()
    x, labels = _batch()
    progress: list[tuple[int, int]] = []
    result = numerical_gradient(net, x, labels, on_progress=lambda d, t: progress.append((d, t)),
                                should_stop=lambda: True)
    assert result is None
    assert progress == [(256, net.parameter_count)]
    np.testing.assert_array_equal(net.flat_parameters(), before)

    progress.clear()
    assert numerical_gradient(net, x, labels, on_progress=lambda d, t: progress.append((d, t)),
                              should_stop=lambda: False) is not None
    assert progress[-1] == (net.parameter_count, net.parameter_count)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
