"""Plain records a training run reports to its listener.

They carry numbers and *copies* of arrays only, so a listener on another thread (the GUI) can
keep them without racing the trainer, which goes on changing its own arrays.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

#: why a run ended
COMPLETED, INTERRUPTED, DIVERGED, THRESHOLD = "completed", "interrupted", "diverged", "threshold"
#: early stopping: the watched metric stopped improving
EARLY = "early"


@dataclass(frozen=True)
class EpochMetrics:
    """One row of a run's history. Accuracies are fractions; absent values are None."""

    epoch: int
    train_loss: float
    train_accuracy: float | None
    val_loss: float | None = None
    val_accuracy: float | None = None
    test_loss: float | None = None
    test_accuracy: float | None = None
    seconds: float = 0.0  # training-step time of the epoch, evaluation excluded
    lr: float = 0.0
    samples_per_second: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EpochMetrics:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True)
class RunStarted:
    train_size: int
    val_size: int
    test_size: int
    batches_per_epoch: int
    total_iterations: int
    first_epoch: int  # 1 for a fresh run; later when continuing a saved model's history
    parameter_count: int
    #: for numerical gradients, a measured estimate of one iteration's time (seconds)
    seconds_per_iteration_estimate: float | None = None


@dataclass(frozen=True)
class BatchEnd:
    epoch: int
    iteration: int  # updates made so far in this run, from 1
    batch: int  # batch within the epoch, from 1
    batches_per_epoch: int
    total_iterations: int
    loss: float
    accuracy: float | None
    lr: float
    samples_per_second: float
    elapsed: float  # seconds of training so far, pauses excluded
    eta: float  # seconds still to go, estimated


@dataclass(frozen=True)
class NumericalProgress:
    """Within one numerical-gradient iteration: parameters done out of the total."""

    iteration: int
    done: int
    total: int


@dataclass(frozen=True)
class EpochEnd:
    metrics: EpochMetrics


@dataclass(frozen=True)
class WeightsSnapshot:
    epoch: int
    iteration: int
    weights: dict[str, np.ndarray]  # copies of parameters and buffers, by model-file name
    gradients: dict[str, np.ndarray]  # copies of the last batch's gradients

    @property
    def gradient_norms(self) -> dict[str, float]:
        return {k: float(np.linalg.norm(v)) for k, v in self.gradients.items()}


@dataclass(frozen=True)
class RunFinished:
    reason: str  # completed | interrupted | diverged | threshold | early
    message: str
    epochs_completed: int
    iterations: int
    #: the epoch with the best watched metric, when the run watched one
    best_epoch: int | None = None
    #: whether the best epoch's weights were put back at the end (keep-best)
    restored_best: bool = False


@dataclass(frozen=True)
class RunFailed:
    message: str


Event = RunStarted | BatchEnd | NumericalProgress | EpochEnd | WeightsSnapshot | RunFinished | RunFailed
