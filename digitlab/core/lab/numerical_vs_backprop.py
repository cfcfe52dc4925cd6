"""Numerical gradients against backpropagation, on the same network and the same batches.

Two copies of one freshly initialised network are trained side by side: one takes its gradient
by nudging every parameter up and down (central differences, two forward passes per parameter),
the other by backpropagation (one forward and one backward pass in all). Both see exactly the
same mini-batches and use the same plain SGD step, so in exact arithmetic they would follow the
same trajectory; in float64 they stay within rounding error of each other. What differs is the
time: each iteration's seconds are measured, and their ratio is the slowdown factor.

Everything runs in float64 so that the numerical gradient (step 1e-5) is accurate to about
1e-9 and the only visible difference between the two runs is the cost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..data import MnistData
from ..events import COMPLETED, INTERRUPTED, NumericalProgress
from ..gradcheck import GradCheckRow, backprop_gradient, numerical_gradient, relative_error
from ..network import Network
from ..optimizers import get_optimizer
from .common import (
    OnEvent,
    ShouldStop,
    build_network,
    check_choice,
    check_number,
    check_whole,
    ignore_event,
    mlp_config,
    mnist_inputs,
    never_stop,
    require_mnist,
    sgd_step,
)


@dataclass(frozen=True)
class NetChoice:
    """One of the networks the comparison offers: ``side``x``side`` inputs, one ReLU layer."""

    key: str
    label: str
    side: int
    hidden: int

    @property
    def inputs(self) -> int:
        return self.side * self.side

    def config(self) -> dict:
        # The tutorial's net: ReLU hidden layer, softmax output, weights drawn with std 0.01.
        return mlp_config(self.inputs, [self.hidden], 10, "relu", "normal", 0.01)

    @property
    def parameter_count(self) -> int:
        return self.inputs * self.hidden + self.hidden + self.hidden * 10 + 10


NET_CHOICES: dict[str, NetChoice] = {
    choice.key: choice for choice in (
        NetChoice("tutorial", "784-50-10 (the tutorial's net)", 28, 50),
        NetChoice("small", "784-10-10", 28, 10),
        NetChoice("tiny", "196-10-10 (14x14 images)", 14, 10),
    )
}


@dataclass(frozen=True)
class ComparisonSettings:
    """What to compare.

    net : a key of :data:`NET_CHOICES`. ``small`` (784-10-10, 7,960 parameters) is the default:
        the tutorial's 784-50-10 has five times as many parameters, so each numerical iteration
        costs five times as long (tens of seconds with batches of 100).
    iterations, batch_size : the run is short on purpose; batches are drawn with replacement
        from ``pool`` training images, as the tutorial's ``np.random.choice`` does.
    lr : plain SGD learning rate, the same for both copies.
    """

    net: str = "small"
    iterations: int = 20
    batch_size: int = 10
    lr: float = 0.5
    seed: int = 0
    pool: int = 10000

    def __post_init__(self) -> None:
        check_choice("network", self.net, NET_CHOICES)
        check_whole("iterations", self.iterations, 1, 10000)
        check_whole("batch size", self.batch_size, 1, 1000)
        check_number("learning rate", self.lr, 0.0, 100.0, low_inclusive=False)
        check_whole("seed", self.seed, 0)
        check_whole("pool", self.pool, 1)

    @property
    def choice(self) -> NetChoice:
        return NET_CHOICES[self.net]


@dataclass(frozen=True)
class ComparisonStarted:
    net_label: str
    parameter_count: int
    iterations: int
    batch_size: int
    #: measured before the run: seconds one numerical iteration will take, and the whole run
    estimated_seconds_per_iteration: float
    estimated_total_seconds: float


@dataclass(frozen=True)
class ComparisonStep:
    """One iteration of both copies on the same batch.

    The losses are each copy's batch loss before its update; ``weight_difference`` is
    ``||w_numerical - w_backprop|| / ||w_backprop||`` after the update; ``check`` compares the
    two gradients at the numerical copy's weights, one row per parameter tensor.
    """

    iteration: int
    numerical_loss: float
    backprop_loss: float
    numerical_seconds: float
    backprop_seconds: float
    #: median numerical seconds / median backprop seconds so far (medians, so that one
    #: hiccup of the operating system during a 100-microsecond backprop step cannot skew it)
    slowdown: float
    weight_difference: float
    check: tuple[GradCheckRow, ...]
    elapsed: float
    eta: float


@dataclass(frozen=True)
class ComparisonResult:
    steps: tuple[ComparisonStep, ...]
    reason: str
    parameter_count: int

    @property
    def slowdown(self) -> float:
        return self.steps[-1].slowdown if self.steps else float("nan")

    @property
    def max_check_error(self) -> float:
        return max((row.relative_error for s in self.steps for row in s.check), default=float("nan"))


def make_network(settings: ComparisonSettings) -> Network:
    """The float64 network both copies start from, drawn from the settings' seed."""
    init_seed = np.random.SeedSequence([settings.seed, 0])
    return build_network(settings.choice.config(), np.random.default_rng(init_seed))


def estimate_seconds_per_iteration(settings: ComparisonSettings, budget: float = 0.1,
                                   max_probes: int = 256) -> float:
    """Seconds one numerical iteration will take, measured on random inputs (no data needed).

    Nudges consecutive parameters up and down exactly as the numerical gradient does, for at most
    ``budget`` seconds (at least 16 parameters), and scales to all of them. Cheap enough for a
    GUI to show an ETA before Start; the run refines it from its own measured iterations.
    """
    network = make_network(settings)
    rng = np.random.default_rng(settings.seed)
    x = rng.random((settings.batch_size, settings.choice.inputs))
    t = rng.integers(0, 10, settings.batch_size)
    flat = network.flat_parameters()
    network.loss(x, t)  # warm up: first calls allocate
    first = int(rng.integers(0, max(flat.size - max_probes, 1)))
    probes = 0
    start = time.perf_counter()
    for i in range(first, min(first + max_probes, flat.size)):
        original = flat[i]
        flat[i] = original + 1e-5
        network.loss(x, t)
        flat[i] = original - 1e-5
        network.loss(x, t)
        flat[i] = original
        probes += 1
        if probes >= 16 and time.perf_counter() - start > budget:
            break
    return (time.perf_counter() - start) / probes * flat.size


def _rows(analytic: dict[str, np.ndarray], numeric: dict[str, np.ndarray]) -> tuple[GradCheckRow, ...]:
    return tuple(GradCheckRow(name, analytic[name].shape, relative_error(analytic[name], numeric[name]),
                              float(np.max(np.abs(analytic[name] - numeric[name]), initial=0.0)))
                 for name in analytic)


def run_numerical_vs_backprop(mnist: MnistData | None, settings: ComparisonSettings | None = None,
                              on_event: OnEvent = ignore_event,
                              should_stop: ShouldStop = never_stop) -> ComparisonResult:
    """Train the two copies for ``settings.iterations`` iterations, reporting each one.

    Events: one :class:`ComparisonStarted`, then per iteration several
    :class:`~digitlab.core.events.NumericalProgress` and one :class:`ComparisonStep`.
    Raises :class:`~digitlab.core.errors.DataError` when ``mnist`` is None.
    """
    settings = settings or ComparisonSettings()
    mnist = require_mnist(mnist)
    choice = settings.choice
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 1]))
    pool = rng.choice(mnist.num_train, size=min(settings.pool, mnist.num_train), replace=False)
    numeric_net = make_network(settings)
    backprop_net = numeric_net.copy()
    numeric_opt = get_optimizer("sgd", lr=settings.lr)
    backprop_opt = get_optimizer("sgd", lr=settings.lr)

    estimate = estimate_seconds_per_iteration(settings)
    on_event(ComparisonStarted(choice.label, numeric_net.parameter_count, settings.iterations,
                               settings.batch_size, estimate, estimate * settings.iterations))
    steps: list[ComparisonStep] = []
    numeric_times: list[float] = []
    backprop_times: list[float] = []
    run_start = time.perf_counter()
    for iteration in range(1, settings.iterations + 1):
        if should_stop():
            return ComparisonResult(tuple(steps), INTERRUPTED, numeric_net.parameter_count)
        idx = pool[rng.integers(0, len(pool), settings.batch_size)]
        x = mnist_inputs(mnist.train_images[idx], choice.side)
        t = mnist.train_labels[idx].astype(np.intp)

        # The check is not timed: backprop at the numerical copy's weights, for comparison.
        analytic = backprop_gradient(numeric_net, x, t)

        start = time.perf_counter()
        numeric_loss = numeric_net.loss(x, t)
        numeric = numerical_gradient(
            numeric_net, x, t,
            on_progress=lambda done, total, i=iteration: on_event(NumericalProgress(i, done, total)),
            should_stop=should_stop)
        if numeric is None:
            return ComparisonResult(tuple(steps), INTERRUPTED, numeric_net.parameter_count)
        grads = numeric_net.named_gradients()
        for name, value in numeric.items():
            grads[name][...] = value
        sgd_step(numeric_net, numeric_opt)
        numeric_seconds = time.perf_counter() - start

        start = time.perf_counter()
        backprop_loss = backprop_net.gradient(x, t)
        sgd_step(backprop_net, backprop_opt)
        backprop_seconds = time.perf_counter() - start

        numeric_times.append(numeric_seconds)
        backprop_times.append(backprop_seconds)
        numeric_median = float(np.median(numeric_times))
        w_num, w_bp = numeric_net.flat_parameters(), backprop_net.flat_parameters()
        difference = float(np.linalg.norm(w_num - w_bp) / max(np.linalg.norm(w_bp), 1e-300))
        remaining = settings.iterations - iteration
        step = ComparisonStep(iteration, float(numeric_loss), float(backprop_loss), numeric_seconds,
                              backprop_seconds, numeric_median / max(float(np.median(backprop_times)), 1e-12),
                              difference, _rows(analytic, numeric), time.perf_counter() - run_start,
                              remaining * numeric_median)
        steps.append(step)
        on_event(step)
    return ComparisonResult(tuple(steps), COMPLETED, numeric_net.parameter_count)


def check_gradients(mnist: MnistData | None, settings: ComparisonSettings | None = None,
                    batch_size: int | None = None, on_event: OnEvent = ignore_event,
                    should_stop: ShouldStop = never_stop) -> list[GradCheckRow] | None:
    """The classic gradient check of the chosen net at its initial weights, in float64.

    One batch (``batch_size``, default the settings' batch size) from the training images; one
    row per parameter tensor. Errors around 1e-9 mean backpropagation is right. This is
    :func:`~digitlab.core.gradcheck.gradient_check` made observable and stoppable: it reports
    :class:`~digitlab.core.events.NumericalProgress` and returns None when stopped.
    """
    settings = settings or ComparisonSettings()
    mnist = require_mnist(mnist)
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 2]))
    idx = rng.choice(mnist.num_train, size=min(batch_size or settings.batch_size, mnist.num_train),
                     replace=False)
    x = mnist_inputs(mnist.train_images[idx], settings.choice.side)
    t = mnist.train_labels[idx].astype(np.intp)
    network = make_network(settings)
    analytic = backprop_gradient(network, x, t)
    numeric = numerical_gradient(network, x, t,
                                 on_progress=lambda done, total: on_event(NumericalProgress(0, done, total)),
                                 should_stop=should_stop)
    return None if numeric is None else list(_rows(analytic, numeric))
