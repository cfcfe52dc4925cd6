"""Fitting 2-D functions with one hidden layer, and 2-D classification of drawn points.

Regression (the tutorials' experiment): 100 random points in ``[-2, 2]^2`` with the value of
``x^2 + y^2``, ``x^2 - y^2`` or ``cos(1.2x) cos(1.2y)``; a network 2 - H sigmoid units - 1
identity output, trained on the squared error with momentum SGD, a power-decayed learning rate
``lr / t**power``, L2 on the weights, mini-batches of 40 and a stopping threshold.

About "epochs": the tutorial's loop counts an epoch every time it has made as many mini-batch
updates as there are training points, so its 200 epochs are 20,000 updates of 40 points (8,000
passes over the data). ``batches_per_epoch = 100`` reproduces that; set it to 3 for a textbook
epoch of one pass. About the start: the tutorial draws every weight from ``[0, 0.01)``; with
such tiny, nearly equal weights the hidden units start out as near copies of each other and the
ripple ``cos(1.2x) cos(1.2y)`` is hardly fitted (after 200 epochs its error is still 58% of the
start), so the default here is Glorot (Xavier) initialisation, which suits sigmoid units;
``init="small"`` (normal, std 0.01) shows the tutorial's behaviour.

Classification: two classes of points (clicked by the user, or an example set), a small
network (2 - 16 - 16 - 2, tanh or relu, softmax cross-entropy, Adam) whose probability map over
the plane is reported as it trains, so the decision boundary can be watched forming.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError
from ..events import COMPLETED, INTERRUPTED, THRESHOLD
from ..network import Network
from ..optimizers import get_optimizer
from ..schedules import make_schedule
from .common import (
    OnEvent,
    ShouldStop,
    build_network,
    check_choice,
    check_number,
    check_whole,
    ignore_event,
    mlp_config,
    never_stop,
    sgd_step,
)

#: half the side of the square the points live in: ``[-EXTENT, EXTENT]^2``
EXTENT = 2.0


@dataclass(frozen=True)
class TargetFunction:
    key: str
    label: str
    function: Callable[[np.ndarray, np.ndarray], np.ndarray]


TARGET_FUNCTIONS: dict[str, TargetFunction] = {
    f.key: f for f in (
        TargetFunction("bowl", "x\u00b2 + y\u00b2", lambda x, y: x * x + y * y),
        TargetFunction("saddle", "x\u00b2 \u2212 y\u00b2", lambda x, y: x * x - y * y),
        TargetFunction("ripple", "cos(1.2x)\u00b7cos(1.2y)", lambda x, y: np.cos(1.2 * x) * np.cos(1.2 * y)),
    )
}

#: initialisations offered for the regression net: config name and scale
FITTING_INITS = {"xavier": ("xavier", 1.0), "small": ("normal", 0.01)}


def grid_axis(size: int, extent: float = EXTENT) -> np.ndarray:
    """The centres of ``size`` equal cells dividing ``[-extent, extent]``, so a (size, size) grid
    drawn as an image over the square puts every value at the centre of its pixel."""
    step = 2 * extent / size
    return -extent + step * (np.arange(size) + 0.5)


def grid_points(size: int, extent: float = EXTENT) -> np.ndarray:
    """All points of a ``size`` x ``size`` grid, (size*size, 2), row-major: row ``i`` is ``y[i]``.

    Reshaping a network's outputs for these points to ``(size, size)`` gives an image whose first
    index is y and second is x.
    """
    axis = grid_axis(size, extent)
    xx, yy = np.meshgrid(axis, axis)
    return np.column_stack([xx.ravel(), yy.ravel()])


@dataclass(frozen=True)
class FittingSettings:
    """The tutorial's regression experiment; every default is the tutorial's figure except
    ``init`` (see the module docstring)."""

    function: str = "bowl"
    hidden_units: int = 8
    init: str = "xavier"
    lr: float = 0.4
    power: float = 0.2
    momentum: float = 0.6
    l2: float = 1e-4
    batch_size: int = 40
    epochs: int = 200
    batches_per_epoch: int = 100
    #: stop once the training error is below this (0 never stops early)
    threshold: float = 1e-3
    points: int = 100
    seed: int = 42
    grid_size: int = 41

    def __post_init__(self) -> None:
        check_choice("function", self.function, TARGET_FUNCTIONS)
        check_whole("hidden units", self.hidden_units, 1, 1000)
        check_choice("initialisation", self.init, FITTING_INITS)
        check_number("learning rate", self.lr, 0.0, 100.0, low_inclusive=False)
        check_number("decay power", self.power, 0.0, 10.0)
        check_number("momentum", self.momentum, 0.0, 0.999)
        check_number("L2", self.l2, 0.0, 10.0)
        check_whole("batch size", self.batch_size, 1)
        check_whole("epochs", self.epochs, 1, 100000)
        check_whole("batches per epoch", self.batches_per_epoch, 1, 100000)
        check_number("threshold", self.threshold, 0.0)
        check_whole("points", self.points, 2, 100000)
        check_whole("seed", self.seed, 0)
        check_whole("grid size", self.grid_size, 2, 400)


@dataclass(frozen=True)
class FittingStarted:
    """The data and the target surface, reported once before training.

    ``points`` (N, 2) and ``targets`` (N,); ``target_grid`` (G, G) holds the function on the
    grid of :func:`grid_points` (first index y).
    """

    function_label: str
    points: np.ndarray
    targets: np.ndarray
    target_grid: np.ndarray
    extent: float
    initial_error: float


@dataclass(frozen=True)
class FittingEpoch:
    """After each epoch: the training error (mean of ``0.5 * (y - t)**2``, without the L2 term),
    the learning rate now and the network's surface on the grid (G, G)."""

    epoch: int
    epochs: int
    error: float
    lr: float
    surface: np.ndarray


@dataclass(frozen=True)
class FittingResult:
    #: training error before training (index 0) and after each epoch
    errors: tuple[float, ...]
    reason: str
    surface: np.ndarray
    target_grid: np.ndarray

    @property
    def initial_error(self) -> float:
        return self.errors[0]

    @property
    def final_error(self) -> float:
        return self.errors[-1]

    @property
    def error_ratio(self) -> float:
        """Final error as a fraction of the starting error."""
        return self.final_error / self.initial_error if self.initial_error else float("nan")


def make_fitting_data(settings: FittingSettings) -> tuple[np.ndarray, np.ndarray]:
    """The random training points (N, 2) in ``[-2, 2]^2`` and their targets (N, 1)."""
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 0]))
    points = rng.uniform(-EXTENT, EXTENT, size=(settings.points, 2))
    f = TARGET_FUNCTIONS[settings.function].function
    return points, f(points[:, 0], points[:, 1])[:, None]


def fitting_network(settings: FittingSettings) -> Network:
    init, scale = FITTING_INITS[settings.init]
    config = mlp_config(2, [settings.hidden_units], 1, "sigmoid", init, scale,
                        output_activation="identity", loss="mean_squared_error")
    return build_network(config, np.random.default_rng(np.random.SeedSequence([settings.seed, 1])))


class _BatchStream:
    """Mini-batches of ``size`` indices (at most ``n``) taken in turn from a stream of reshuffled
    passes over ``n`` samples, so every batch is full even when ``size`` does not divide ``n``."""

    def __init__(self, n: int, size: int, rng: np.random.Generator) -> None:
        self.n, self.size, self.rng = n, min(size, n), rng
        self._queue = np.empty(0, dtype=np.intp)

    def next(self) -> np.ndarray:
        if self._queue.size < self.size:
            self._queue = np.concatenate([self._queue, self.rng.permutation(self.n)])
        batch, self._queue = self._queue[:self.size], self._queue[self.size:]
        return batch


def fit_function(settings: FittingSettings | None = None, on_event: OnEvent = ignore_event,
                 should_stop: ShouldStop = never_stop) -> FittingResult:
    """Train the regression net; report :class:`FittingStarted`, then a :class:`FittingEpoch`
    per epoch. Stops early when the error falls below ``settings.threshold``."""
    settings = settings or FittingSettings()
    points, targets = make_fitting_data(settings)
    grid = grid_points(settings.grid_size)
    f = TARGET_FUNCTIONS[settings.function]
    target_grid = f.function(grid[:, 0], grid[:, 1]).reshape(settings.grid_size, settings.grid_size)
    network = fitting_network(settings)
    optimizer = get_optimizer("momentum", lr=settings.lr, momentum=settings.momentum)
    schedule = make_schedule("power", power=settings.power)
    batches = _BatchStream(len(points), settings.batch_size,
                           np.random.default_rng(np.random.SeedSequence([settings.seed, 2])))

    def surface() -> np.ndarray:
        return network.forward(grid).reshape(settings.grid_size, settings.grid_size).copy()

    errors = [network.loss(points, targets)]
    on_event(FittingStarted(f.label, points.copy(), targets[:, 0].copy(), target_grid, EXTENT, errors[0]))
    updates = 0
    reason = COMPLETED
    for epoch in range(1, settings.epochs + 1):
        for _ in range(settings.batches_per_epoch):
            if should_stop():
                return FittingResult(tuple(errors), INTERRUPTED, surface(), target_grid)
            updates += 1
            optimizer.lr = schedule.rate(settings.lr, updates)
            batch = batches.next()
            network.gradient(points[batch], targets[batch], settings.l2)
            sgd_step(network, optimizer)
        errors.append(network.loss(points, targets))
        if not np.isfinite(errors[-1]):
            raise ConfigError(f"the training error became {errors[-1]} at epoch {epoch}: "
                              "the learning rate is too large")
        on_event(FittingEpoch(epoch, settings.epochs, errors[-1], optimizer.lr, surface()))
        if errors[-1] < settings.threshold:
            reason = THRESHOLD
            break
    return FittingResult(tuple(errors), reason, surface(), target_grid)


# == classification of drawn points ==========================================================
EXAMPLE_SETS = ("xor", "circle", "moons")


def example_points(kind: str, n: int = 80, seed: int = 0,
                   extent: float = EXTENT) -> tuple[np.ndarray, np.ndarray]:
    """A two-class example to start from: points (n, 2) in ``[-extent, extent]^2``, labels (n,)."""
    check_choice("example", kind, EXAMPLE_SETS)
    rng = np.random.default_rng(seed)
    s = extent / 2
    if kind == "xor":
        points = rng.uniform(-1.8 * s, 1.8 * s, size=(n, 2))
        points += np.sign(points) * 0.15 * s  # a small gap along both axes
        labels = (points[:, 0] * points[:, 1] < 0).astype(np.intp)
    elif kind == "circle":
        radius = np.concatenate([rng.uniform(0, 0.8 * s, n // 2), rng.uniform(1.2 * s, 1.8 * s, n - n // 2)])
        angle = rng.uniform(0, 2 * np.pi, n)
        points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        labels = (np.arange(n) >= n // 2).astype(np.intp)
    else:
        half = n // 2
        a = rng.uniform(0, np.pi, half)
        b = rng.uniform(0, np.pi, n - half)
        upper = np.column_stack([np.cos(a) - 0.5, np.sin(a) - 0.25])
        lower = np.column_stack([0.5 - np.cos(b), 0.25 - np.sin(b)])
        points = np.concatenate([upper, lower]) * s + rng.normal(0, 0.08 * s, size=(n, 2))
        labels = (np.arange(n) >= half).astype(np.intp)
    return np.clip(points, -extent, extent), labels


@dataclass(frozen=True)
class ClassifierSettings:
    hidden_units: int = 16
    hidden_layers: int = 2
    activation: str = "tanh"
    lr: float = 0.02
    epochs: int = 400
    seed: int = 0
    grid_size: int = 61
    #: epochs between two probability maps (each costs a forward pass over the grid)
    report_every: int = 5

    def __post_init__(self) -> None:
        check_whole("hidden units", self.hidden_units, 1, 1000)
        check_whole("hidden layers", self.hidden_layers, 1, 8)
        check_choice("activation", self.activation, ("tanh", "relu", "sigmoid"))
        check_number("learning rate", self.lr, 0.0, 10.0, low_inclusive=False)
        check_whole("epochs", self.epochs, 1, 100000)
        check_whole("seed", self.seed, 0)
        check_whole("grid size", self.grid_size, 2, 400)
        check_whole("report every", self.report_every, 1)


@dataclass(frozen=True)
class ClassifierEpoch:
    """Loss and accuracy on the points, and P(class 1) on the grid (G, G), first index y."""

    epoch: int
    epochs: int
    loss: float
    accuracy: float
    probability_grid: np.ndarray


@dataclass(frozen=True)
class ClassifierResult:
    losses: tuple[float, ...]
    accuracies: tuple[float, ...]
    probability_grid: np.ndarray
    reason: str


def train_classifier(points: np.ndarray, labels: np.ndarray, settings: ClassifierSettings | None = None,
                     on_event: OnEvent = ignore_event,
                     should_stop: ShouldStop = never_stop) -> ClassifierResult:
    """Full-batch Adam on the points; reports a :class:`ClassifierEpoch` every few epochs.

    ``points`` (N, 2) in ``[-2, 2]^2``; ``labels`` (N,) of 0 and 1, both classes present.
    """
    settings = settings or ClassifierSettings()
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    labels = np.asarray(labels).astype(np.intp).ravel()
    if len(points) != len(labels):
        raise ConfigError(f"{len(points)} points but {len(labels)} labels")
    if not set(np.unique(labels)) <= {0, 1}:
        raise ConfigError(f"labels must be 0 or 1, got {sorted(set(np.unique(labels)))}")
    if len(np.unique(labels)) < 2:
        raise ConfigError("add points of both classes before training")
    init = "xavier" if settings.activation in ("tanh", "sigmoid") else "he"
    config = mlp_config(2, [settings.hidden_units] * settings.hidden_layers, 2, settings.activation, init)
    network: Network = build_network(config, np.random.default_rng(settings.seed))
    optimizer = get_optimizer("adam", lr=settings.lr)
    grid = grid_points(settings.grid_size)

    def probability_map() -> np.ndarray:
        return network.predict_proba(grid)[:, 1].reshape(settings.grid_size, settings.grid_size)

    losses: list[float] = []
    accuracies: list[float] = []
    for epoch in range(1, settings.epochs + 1):
        if should_stop():
            return ClassifierResult(tuple(losses), tuple(accuracies), probability_map(), INTERRUPTED)
        loss = network.gradient(points, labels)
        accuracy = float(np.mean(np.argmax(network.last_output, axis=1) == labels))
        sgd_step(network, optimizer)
        losses.append(float(loss))
        accuracies.append(accuracy)
        if epoch % settings.report_every == 0 or epoch == settings.epochs:
            on_event(ClassifierEpoch(epoch, settings.epochs, float(loss), accuracy, probability_map()))
    return ClassifierResult(tuple(losses), tuple(accuracies), probability_map(), COMPLETED)
