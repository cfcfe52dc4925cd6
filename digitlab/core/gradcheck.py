"""Numerical differentiation and the gradient check.

Before backpropagation, a network's gradient can be found the slow, obvious way: nudge each
parameter up and down by ``h`` and see how the loss changes (central difference,
``(L(w + h) - L(w - h)) / 2h``). That needs two forward passes per parameter, which is why it is
thousands of times slower than backprop, but it needs no calculus and no special cases, so it is
the reference backprop is checked against.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .layers import Dropout
from .network import Network


@contextmanager
def frozen_randomness(network: Network):
    """Make repeated forward passes identical: dropout reuses its mask and running statistics
    (batch norm) are restored afterwards, so perturbing a weight is the only change."""
    dropouts = [layer for layer in network.layers if isinstance(layer, Dropout)]
    saved_buffers = {k: v.copy() for k, v in network.named_buffers().items()}
    for layer in dropouts:
        layer.freeze_mask = True
    try:
        yield
    finally:
        for layer in dropouts:
            layer.freeze_mask = False
        for name, buffer in network.named_buffers().items():
            buffer[...] = saved_buffers[name]


def seconds_per_loss(network: Network, x: np.ndarray, t: np.ndarray, l2: float = 0.0,
                     repeats: int = 5) -> float:
    """Measured seconds of one forward pass and loss on the batch ``x`` (mean of ``repeats``)."""
    start = time.perf_counter()
    for _ in range(repeats):
        network.loss(x, t, l2)
    return (time.perf_counter() - start) / repeats


def numerical_iteration_seconds(network: Network, x: np.ndarray, t: np.ndarray,
                                l2: float = 0.0) -> tuple[float, float]:
    """(seconds per numerical-gradient iteration, seconds per loss): two losses per parameter."""
    per_loss = seconds_per_loss(network, x, t, l2)
    return per_loss * 2 * network.parameter_count, per_loss


def numerical_gradient(network: Network, x: np.ndarray, t: np.ndarray, l2: float = 0.0,
                       h: float | None = None,
                       on_progress: Callable[[int, int], None] | None = None,
                       should_stop: Callable[[], bool] | None = None) -> dict[str, np.ndarray] | None:
    """Central-difference gradient of the batch loss for every parameter.

    Parameters
    ----------
    network : the network; its weights are restored exactly after each nudge.
    x, t : a batch and its targets.
    h : step; defaults to 1e-5 in float64 and 1e-2 in float32 (where smaller steps drown in
        rounding error).
    on_progress : called as ``on_progress(done, total)`` every few hundred parameters.
    should_stop : polled as often; returning True abandons the computation (returns None).

    Returns
    -------
    Gradients named like :meth:`Network.named_parameters`, or None if stopped.
    """
    if h is None:
        h = 1e-5 if network.dtype == np.float64 else 1e-2
    flat = network.flat_parameters()
    grad = np.zeros_like(flat)
    total = flat.size
    report_every = 256
    with frozen_randomness(network):
        network.loss(x, t, l2, training=True)  # draw any dropout mask once
        for i in range(total):
            original = flat[i]
            flat[i] = original + h
            loss_plus = network.loss(x, t, l2, training=True)
            flat[i] = original - h
            loss_minus = network.loss(x, t, l2, training=True)
            flat[i] = original
            grad[i] = (loss_plus - loss_minus) / (2 * h)
            if (i + 1) % report_every == 0 or i + 1 == total:
                if on_progress is not None:
                    on_progress(i + 1, total)
                if should_stop is not None and should_stop():
                    return None
    # Unflatten with the same layout the network uses for its own parameters.
    result = {}
    offset = 0
    for name, param in network.named_parameters().items():
        result[name] = grad[offset:offset + param.size].reshape(param.shape)
        offset += param.size
    return result


def backprop_gradient(network: Network, x: np.ndarray, t: np.ndarray,
                      l2: float = 0.0) -> dict[str, np.ndarray]:
    """Analytic gradient by backpropagation, as copies named like the parameters."""
    with frozen_randomness(network):
        network.gradient(x, t, l2)
    return {k: v.copy() for k, v in network.named_gradients().items()}


@dataclass(frozen=True)
class GradCheckRow:
    """Agreement of backprop and numerical gradients for one parameter tensor."""

    name: str
    shape: tuple[int, ...]
    relative_error: float
    max_abs_error: float


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``||a - b|| / (||a|| + ||b||)``: 0 when equal, 1 when unrelated; 0 for two zero arrays."""
    denom = float(np.linalg.norm(a) + np.linalg.norm(b))
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b)) / denom


def gradient_check(network: Network, x: np.ndarray, t: np.ndarray,
                   l2: float = 0.0, h: float | None = None) -> list[GradCheckRow]:
    """Compare backprop with numerical differentiation, one row per parameter tensor.

    Run it on a float64 network (``network.copy(np.float64)``) and a small batch: errors below
    about 1e-7 mean backprop is right; float32 cannot do better than about 1e-3.
    """
    analytic = backprop_gradient(network, x, t, l2)
    numeric = numerical_gradient(network, x, t, l2, h)
    assert numeric is not None
    return [GradCheckRow(name, analytic[name].shape, relative_error(analytic[name], numeric[name]),
                         float(np.max(np.abs(analytic[name] - numeric[name]), initial=0.0)))
            for name in analytic]


def sampled_gradient_check(network: Network, x: np.ndarray, t: np.ndarray, l2: float = 0.0,
                           per_tensor: int = 50, rng: np.random.Generator | None = None,
                           h: float | None = None,
                           on_progress: Callable[[int, int], None] | None = None) -> list[GradCheckRow]:
    """Like :func:`gradient_check`, but differentiates only ``per_tensor`` randomly chosen entries
    of each tensor: a check of a large network (a CNN) in seconds instead of hours."""
    rng = rng or np.random.default_rng(0)
    if h is None:
        h = 1e-5 if network.dtype == np.float64 else 1e-2
    analytic = backprop_gradient(network, x, t, l2)
    params = network.named_parameters()
    chosen = {name: rng.choice(p.size, size=min(per_tensor, p.size), replace=False)
              for name, p in params.items()}
    total = sum(len(c) for c in chosen.values())
    done = 0
    rows = []
    with frozen_randomness(network):
        network.loss(x, t, l2, training=True)
        for name, param in params.items():
            flat = param.reshape(-1)  # a view: the parameters are contiguous
            numeric = np.empty(len(chosen[name]))
            for k, i in enumerate(chosen[name]):
                original = flat[i]
                flat[i] = original + h
                plus = network.loss(x, t, l2, training=True)
                flat[i] = original - h
                minus = network.loss(x, t, l2, training=True)
                flat[i] = original
                numeric[k] = (plus - minus) / (2 * h)
                done += 1
                if on_progress is not None and done % 64 == 0:
                    on_progress(done, total)
            a = analytic[name].reshape(-1)[chosen[name]]
            rows.append(GradCheckRow(name, param.shape, relative_error(a, numeric),
                                     float(np.max(np.abs(a - numeric), initial=0.0))))
    return rows
