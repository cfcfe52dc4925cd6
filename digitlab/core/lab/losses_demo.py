"""Mean squared error against cross-entropy: the tutorials' worked values and a race.

The worked values (the tutorials' example): the target is digit 2, one-hot
``t = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]``; a network that gives 0.6 to class 2 is confidently right,
the same output with the 0.6 moved to class 7 is confidently wrong.

=========  ======  ======
output     MSE     CE
=========  ======  ======
right      0.0975  0.5108
wrong      0.5975  2.3026
=========  ======  ======

MSE here is the tutorials' ``0.5 * sum((y - t)**2)`` and cross-entropy ``-sum(t * log(y))``:
both come from DigitLab's own loss classes (cross-entropy fed the log-probabilities as scores,
so its softmax gives back ``y``), the very functions the networks train with.

The race: two copies of one network (784 - 50 sigmoid - 10 softmax) start from the same weights
and see the same batches with the same SGD step; one minimises MSE on the softmax output, the
other cross-entropy. MSE's gradient passes through the softmax's slope, which is nearly flat when
the output is confidently wrong, so it learns slowly exactly where learning is most needed;
cross-entropy's gradient with respect to the scores is simply ``p - t``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import MnistData
from ..events import COMPLETED, INTERRUPTED
from ..losses import MeanSquaredError, SoftmaxCrossEntropy
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
    training_pool,
)

#: the tutorials' network output: 0.6 on class 2, the rest spread over five other classes
TUTORIAL_OUTPUT = (0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0)
TUTORIAL_TARGET = 2


def mse_of(y: np.ndarray, target: int) -> float:
    """``0.5 * sum((y - onehot(target))**2)`` for one output vector ``y`` (K,)."""
    y = np.asarray(y, dtype=np.float64)[None, :]
    return MeanSquaredError().forward(y, np.array([target]))


def cross_entropy_of(y: np.ndarray, target: int) -> float:
    """``-log(y[target])`` for one probability vector ``y`` (K,), summing to one.

    Computed by the training loss itself, fed ``log(y)`` as scores (a zero probability becomes
    a score of -inf, whose exponential is exactly zero again).
    """
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(divide="ignore"):
        scores = np.log(y)[None, :]
    return SoftmaxCrossEntropy().forward(scores, np.array([target]))


@dataclass(frozen=True)
class WorkedLoss:
    title: str
    output: tuple[float, ...]
    target: int
    mse: float
    cross_entropy: float


def worked_examples() -> tuple[WorkedLoss, WorkedLoss]:
    """The tutorials' confident right and confident wrong predictions with both losses."""
    right = np.array(TUTORIAL_OUTPUT)
    wrong = right.copy()
    wrong[[2, 7]] = wrong[[7, 2]]  # the 0.6 moves to class 7, the 0.1 of class 7 to class 2
    return tuple(WorkedLoss(title, tuple(float(v) for v in y), TUTORIAL_TARGET,
                            mse_of(y, TUTORIAL_TARGET), cross_entropy_of(y, TUTORIAL_TARGET))
                 for title, y in (("confident and right", right), ("confident and wrong", wrong)))


def loss_versus_confidence(p: np.ndarray, classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Both losses when the right class gets probability ``p`` and the others share ``1 - p``.

    Returns (mse, cross_entropy), each shaped like ``p``: MSE stays below 0.5 * (1 + 1/(K-1))
    however wrong the network is; cross-entropy grows without bound as ``p`` goes to 0.
    """
    p = np.asarray(p, dtype=np.float64)
    rest = (1 - p) / (classes - 1)
    mse = 0.5 * ((1 - p) ** 2 + (classes - 1) * rest ** 2)
    return mse, -np.log(p)


@dataclass(frozen=True)
class LossRaceSettings:
    hidden_units: int = 50
    activation: str = "sigmoid"
    iterations: int = 300
    batch_size: int = 100
    lr: float = 0.5
    seed: int = 0
    #: iterations between two accuracy measurements on ``eval_size`` test images
    eval_every: int = 25
    eval_size: int = 1000
    pool: int = 20000

    def __post_init__(self) -> None:
        check_whole("hidden units", self.hidden_units, 1, 2000)
        check_choice("activation", self.activation, ("sigmoid", "relu", "tanh"))
        check_whole("iterations", self.iterations, 1, 100000)
        check_whole("batch size", self.batch_size, 1, 10000)
        check_number("learning rate", self.lr, 0.0, 100.0, low_inclusive=False)
        check_whole("seed", self.seed, 0)
        check_whole("eval every", self.eval_every, 1)
        check_whole("eval size", self.eval_size, 1)
        check_whole("pool", self.pool, 1)


@dataclass(frozen=True)
class LossRaceStep:
    """Each copy's own training loss on the shared batch; accuracies on the test images when
    measured this iteration (else None)."""

    iteration: int
    iterations: int
    mse_loss: float
    cross_entropy_loss: float
    mse_accuracy: float | None
    cross_entropy_accuracy: float | None


@dataclass(frozen=True)
class LossRaceResult:
    steps: tuple[LossRaceStep, ...]
    reason: str

    def final_accuracies(self) -> tuple[float, float]:
        """(MSE copy, cross-entropy copy) at the last measurement."""
        measured = [s for s in self.steps if s.mse_accuracy is not None]
        if not measured:
            return float("nan"), float("nan")
        return measured[-1].mse_accuracy, measured[-1].cross_entropy_accuracy


def run_loss_race(mnist: MnistData | None, settings: LossRaceSettings | None = None,
                  on_event: OnEvent = ignore_event,
                  should_stop: ShouldStop = never_stop) -> LossRaceResult:
    """Train the MSE copy and the cross-entropy copy on the same batches; a
    :class:`LossRaceStep` per iteration. Raises DataError when ``mnist`` is None."""
    settings = settings or LossRaceSettings()
    mnist = require_mnist(mnist)
    init = "xavier" if settings.activation in ("sigmoid", "tanh") else "he"
    config = mlp_config(784, [settings.hidden_units], 10, settings.activation, init)
    ce_net = build_network(config, np.random.default_rng(np.random.SeedSequence([settings.seed, 0])),
                           np.float32)
    mse_net = build_network({**config, "loss": "mean_squared_error"}, np.random.default_rng(0), np.float32)
    mse_net.load_state_dict(ce_net.state_dict())
    ce_opt = get_optimizer("sgd", lr=settings.lr)
    mse_opt = get_optimizer("sgd", lr=settings.lr)
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 1]))
    pool = training_pool(mnist, settings.pool, rng)
    n_eval = min(settings.eval_size, mnist.num_test)
    x_eval = mnist_inputs(mnist.test_images[:n_eval], dtype=np.float32)
    y_eval = mnist.test_labels[:n_eval]

    def accuracy(network) -> float:
        return float(np.mean(network.predict(x_eval) == y_eval))

    steps: list[LossRaceStep] = []
    for iteration in range(1, settings.iterations + 1):
        if should_stop():
            return LossRaceResult(tuple(steps), INTERRUPTED)
        idx = pool[rng.integers(0, len(pool), settings.batch_size)]
        x = mnist_inputs(mnist.train_images[idx], dtype=np.float32)
        t = mnist.train_labels[idx].astype(np.intp)
        mse_loss = mse_net.gradient(x, t)
        sgd_step(mse_net, mse_opt)
        ce_loss = ce_net.gradient(x, t)
        sgd_step(ce_net, ce_opt)
        measure = iteration == 1 or iteration % settings.eval_every == 0 or iteration == settings.iterations
        step = LossRaceStep(iteration, settings.iterations, float(mse_loss), float(ce_loss),
                            accuracy(mse_net) if measure else None, accuracy(ce_net) if measure else None)
        steps.append(step)
        on_event(step)
    return LossRaceResult(tuple(steps), COMPLETED)
