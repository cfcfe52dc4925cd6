"""Batch normalisation against the textbook formulas, and its running statistics."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.batchnorm import BatchNorm
from digitlab.core.network import Network


def reference_batch_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float,
                         dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(y, dx, dgamma, dbeta)`` in training mode, on rows (N, F): the forward as Ioffe &
    Szegedy write it, the backward step by step back through the normalisation, the variance
    and the mean (the staged computation graph of "Deep Learning from Scratch", ch. 6)."""
    count = x.shape[0]
    mean = x.mean(axis=0)
    centred = x - mean
    var = (centred ** 2).mean(axis=0)
    std = np.sqrt(var + eps)
    normalised = centred / std
    y = gamma * normalised + beta
    dbeta, dgamma = dy.sum(axis=0), (dy * normalised).sum(axis=0)
    dnormalised = dy * gamma
    dcentred = dnormalised / std
    dstd = -np.sum(dnormalised * centred / std ** 2, axis=0)
    dvar = 0.5 * dstd / std
    dcentred += (2 / count) * centred * dvar
    dx = dcentred - dcentred.sum(axis=0) / count
    return y, dx, dgamma, dbeta


def as_rows(array: np.ndarray) -> np.ndarray:
    """(N, F) itself, or an image (N, C, H, W) as (N*H*W, C): one row per normalised vector."""
    return array if array.ndim == 2 else array.transpose(0, 2, 3, 1).reshape(-1, array.shape[1])


def prepared_layer(features: int, dtype, rng: np.random.Generator, momentum: float = 0.9,
                   eps: float = 1e-5) -> BatchNorm:
    layer = BatchNorm(momentum=momentum, eps=eps)
    for name in ("gamma", "beta"):
        layer.params[name] = rng.standard_normal(features).astype(dtype)
        layer.grads[name] = np.zeros(features, dtype)
    layer.buffers["running_mean"] = np.zeros(features, dtype)
    layer.buffers["running_var"] = np.ones(features, dtype)
    return layer


@pytest.mark.parametrize("dtype, tolerance", [(np.float32, 1e-5), (np.float64, 1e-12)],
                         ids=["float32", "float64"])
@pytest.mark.parametrize("shape", [(6, 5), (5, 3, 4, 2), (2, 1, 3, 3), (16, 8)])
def test_batch_norm_training_matches_reference(shape, dtype, tolerance):
    """Output and all gradients in training mode equal the textbook formulas, for flat
    features and for image channels (normalised over batch and pixels)."""
    rng = np.random.default_rng(shape[0] * 10 + shape[1])
    x = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
    dy = rng.standard_normal(shape).astype(dtype)
    layer = prepared_layer(shape[1], dtype, rng, eps=1e-3)
    y_ref, dx_ref, dgamma_ref, dbeta_ref = reference_batch_norm(
        as_rows(x).astype(np.float64), layer.params["gamma"].astype(np.float64),
        layer.params["beta"].astype(np.float64), 1e-3, as_rows(dy).astype(np.float64))
    y = layer.forward(x, training=True)
    dx = layer.backward(dy)
    assert y.dtype == dx.dtype == dtype and y.shape == dx.shape == shape
    for actual, expected in ((as_rows(y), y_ref), (as_rows(dx), dx_ref),
                             (layer.grads["gamma"], dgamma_ref), (layer.grads["beta"], dbeta_ref)):
        scale = max(1.0, float(np.abs(expected).max()))
        np.testing.assert_allclose(actual, expected, rtol=0, atol=tolerance * scale)


def test_batch_norm_running_statistics():
    """Training normalises with batch statistics and moves the running ones; inference uses them."""
    net = Network.from_config({"input_shape": [2, 3, 3], "layers": [{"type": "batch_norm",
                                                                    "momentum": 0.5}]},
                              dtype=np.float64)
    layer = net.layers[0]
    np.testing.assert_array_equal(layer.buffers["running_var"], [1, 1])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 2, 3, 3)) * np.array([2.0, 0.5])[:, None, None] + 3
    y = layer.forward(x, training=True)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, atol=1e-3)
    np.testing.assert_allclose(layer.buffers["running_mean"], 0.5 * x.mean(axis=(0, 2, 3)))
    np.testing.assert_allclose(layer.buffers["running_var"], 0.5 + 0.5 * x.var(axis=(0, 2, 3)))
    mean, var = layer.buffers["running_mean"], layer.buffers["running_var"]
    expected = (x - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5)
    np.testing.assert_allclose(layer.forward(x, training=False), expected, atol=1e-12)
    assert "layers.0.running_var" in net.state_dict()


def test_batch_norm_inference_uses_gamma_and_beta():
    """Inference output is gamma * (x - running_mean) / sqrt(running_var + eps) + beta."""
    rng = np.random.default_rng(3)
    layer = prepared_layer(4, np.float64, rng, eps=1e-2)
    layer.buffers["running_mean"][...] = rng.standard_normal(4)
    layer.buffers["running_var"][...] = rng.uniform(0.5, 2, 4)
    x = rng.standard_normal((5, 4))
    expected = (layer.params["gamma"] * (x - layer.buffers["running_mean"])
                / np.sqrt(layer.buffers["running_var"] + 1e-2) + layer.params["beta"])
    np.testing.assert_allclose(layer.forward(x, training=False), expected, atol=1e-12)
