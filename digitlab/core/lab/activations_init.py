"""Activations and initialisation: why a deep sigmoid net with tiny weights cannot learn.

The same deep MLP (784 - 5 hidden layers of 100 - 10) is built four ways: sigmoid or ReLU, with
weights drawn from N(0, 0.01^2) (the tutorials' ``0.01 * randn``) or with He's
N(0, 2 / fan_in). For one batch of digits each network reports, per hidden layer, a histogram
of its activations and the norm of the loss gradient with respect to the layer's weights.

- sigmoid, std 0.01: every activation sits at 0.5 (the layer's input is almost zero), and each
  layer passes back at most a quarter of the gradient times its tiny weights, so the first
  layer's gradient is many orders of magnitude below the last one's: it vanishes.
- ReLU, He: activations keep their spread from layer to layer and the gradient norms stay within
  a small factor of each other, so every layer learns.

Then all four are trained for a few hundred SGD steps on the same batches, so the learner can
see which ones learn at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..activations import ReLU, Sigmoid
from ..data import MnistData
from ..events import COMPLETED, INTERRUPTED
from ..layers import Dense
from ..network import Network
from ..optimizers import get_optimizer
from .common import (
    OnEvent,
    ShouldStop,
    build_network,
    check_number,
    check_whole,
    ignore_event,
    mlp_config,
    mnist_inputs,
    never_stop,
    require_mnist,
    sgd_step,
    training_pool,
)


@dataclass(frozen=True)
class Combination:
    key: str
    label: str
    activation: str
    init: str  # "normal" (std = settings.init_std) or "he"


COMBINATIONS: tuple[Combination, ...] = (
    Combination("sigmoid_small", "sigmoid, std 0.01", "sigmoid", "normal"),
    Combination("sigmoid_he", "sigmoid, He", "sigmoid", "he"),
    Combination("relu_small", "ReLU, std 0.01", "relu", "normal"),
    Combination("relu_he", "ReLU, He", "relu", "he"),
)


@dataclass(frozen=True)
class ActivationSettings:
    depth: int = 5
    width: int = 100
    init_std: float = 0.01
    batch_size: int = 100
    iterations: int = 200
    lr: float = 0.1
    seed: int = 0
    bins: int = 30
    #: iterations between two reported training losses
    report_every: int = 5
    pool: int = 20000

    def __post_init__(self) -> None:
        check_whole("depth", self.depth, 1, 20)
        check_whole("width", self.width, 1, 2000)
        check_number("init std", self.init_std, 0.0, 10.0, low_inclusive=False)
        check_whole("batch size", self.batch_size, 1, 10000)
        check_whole("iterations", self.iterations, 0, 100000)
        check_number("learning rate", self.lr, 0.0, 100.0, low_inclusive=False)
        check_whole("seed", self.seed, 0)
        check_whole("bins", self.bins, 2, 500)
        check_whole("report every", self.report_every, 1)
        check_whole("pool", self.pool, 1)


@dataclass(frozen=True)
class LayerStats:
    """One hidden layer (``layer`` counts from 1) of one network on one batch.

    ``counts`` (bins,) is the histogram of its activations over ``edges`` (bins + 1,); values
    beyond the last edge are counted in the last bin. ``gradient_norm`` is the Frobenius norm of
    the loss gradient with respect to the weights feeding this layer.
    """

    layer: int
    mean: float
    std: float
    counts: np.ndarray
    edges: np.ndarray
    gradient_norm: float


@dataclass(frozen=True)
class CombinationReport:
    """The per-layer picture of one combination at its initial weights; ``output_gradient_norm``
    is the gradient norm of the output layer's weights."""

    key: str
    label: str
    layers: tuple[LayerStats, ...]
    output_gradient_norm: float

    @property
    def gradient_norms(self) -> tuple[float, ...]:
        return tuple(s.gradient_norm for s in self.layers) + (self.output_gradient_norm,)


@dataclass(frozen=True)
class TrainingLoss:
    """The batch loss of one combination after ``iteration`` SGD steps."""

    key: str
    iteration: int
    iterations: int
    loss: float


@dataclass(frozen=True)
class ActivationsResult:
    reports: tuple[CombinationReport, ...]
    #: combination key -> (iterations, losses) reported during training
    losses: dict[str, tuple[tuple[int, ...], tuple[float, ...]]]
    reason: str

    def report(self, key: str) -> CombinationReport:
        return next(r for r in self.reports if r.key == key)


def make_network(combination: Combination, settings: ActivationSettings) -> Network:
    config = mlp_config(784, [settings.width] * settings.depth, 10, combination.activation,
                        combination.init, settings.init_std)
    # Every combination draws its weights from the same stream, so they differ only in scale.
    return build_network(config, np.random.default_rng(np.random.SeedSequence([settings.seed, 0])),
                         np.float32)


def _hidden_outputs(network: Network, x: np.ndarray) -> list[np.ndarray]:
    """Outputs of each hidden activation layer for the batch ``x`` (a forward pass of its own)."""
    outputs = []
    for layer in network.layers[:-2]:
        x = layer.forward(x)
        if isinstance(layer, (Sigmoid, ReLU)):
            outputs.append(x)
    return outputs


def layer_report(combination: Combination, network: Network, x: np.ndarray, t: np.ndarray,
                 bins: int) -> CombinationReport:
    """Histograms and gradient norms of every hidden layer of ``network`` on one batch."""
    activations = _hidden_outputs(network, x)
    network.gradient(x, t)
    dense = [layer for layer in network.layers if isinstance(layer, Dense)]
    norms = [float(np.linalg.norm(layer.grads["W"].astype(np.float64))) for layer in dense]
    if combination.activation == "sigmoid":
        top = 1.0
    else:  # ReLU: wide enough for the healthy case, so collapsed activations pile up at 0
        top = max(1.0, float(max(np.percentile(a, 99) for a in activations)))
    edges = np.linspace(0.0, top, bins + 1)
    layers = []
    for index, (a, norm) in enumerate(zip(activations, norms, strict=False), start=1):
        counts, _ = np.histogram(np.minimum(a, top), bins=edges)
        layers.append(LayerStats(index, float(a.mean()), float(a.std()), counts, edges, norm))
    return CombinationReport(combination.key, combination.label, tuple(layers), norms[-1])


def run_activations(mnist: MnistData | None, settings: ActivationSettings | None = None,
                    on_event: OnEvent = ignore_event,
                    should_stop: ShouldStop = never_stop) -> ActivationsResult:
    """Report a :class:`CombinationReport` for each of :data:`COMBINATIONS` on one batch, then
    train the four on shared batches, reporting :class:`TrainingLoss` every few steps.
    Raises DataError when ``mnist`` is None."""
    settings = settings or ActivationSettings()
    mnist = require_mnist(mnist)
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 1]))
    pool = training_pool(mnist, settings.pool, rng)

    def batch() -> tuple[np.ndarray, np.ndarray]:
        idx = pool[rng.integers(0, len(pool), settings.batch_size)]
        return (mnist_inputs(mnist.train_images[idx], dtype=np.float32),
                mnist.train_labels[idx].astype(np.intp))

    networks = {c.key: make_network(c, settings) for c in COMBINATIONS}
    x, t = batch()
    reports = []
    for combination in COMBINATIONS:
        report = layer_report(combination, networks[combination.key], x, t, settings.bins)
        reports.append(report)
        on_event(report)
    optimizers = {key: get_optimizer("sgd", lr=settings.lr) for key in networks}
    losses: dict[str, tuple[list[int], list[float]]] = {key: ([], []) for key in networks}
    reason = COMPLETED
    for iteration in range(1, settings.iterations + 1):
        if should_stop():
            reason = INTERRUPTED
            break
        x, t = batch()
        for key, network in networks.items():
            loss = network.gradient(x, t)
            sgd_step(network, optimizers[key])
            if iteration == 1 or iteration % settings.report_every == 0 or iteration == settings.iterations:
                losses[key][0].append(iteration)
                losses[key][1].append(float(loss))
                on_event(TrainingLoss(key, iteration, settings.iterations, float(loss)))
    return ActivationsResult(tuple(reports), {k: (tuple(i), tuple(v)) for k, (i, v) in losses.items()},
                             reason)
