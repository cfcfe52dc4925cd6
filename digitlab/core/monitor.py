"""Watching one metric across epochs: early stopping, keeping the best epoch, plateaus.

A run may watch one of its per-epoch metrics (``RunSpec.monitor``): early stopping ends the run
after ``patience`` epochs without an improvement of at least ``min_delta``, keep-best puts the
best epoch's weights back at the end, and the ``plateau`` schedule lowers the learning rate when
the metric stalls. All three share :class:`Plateau`, the one definition of "improved". Their
state is plain JSON (plus one array for the best weights) so that a saved run continues exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ConfigError
from .events import EpochMetrics

#: the metrics a run can watch (names of :class:`EpochMetrics` fields)
MONITORED_METRICS = ("val_loss", "val_accuracy", "test_accuracy", "train_loss")


def higher_is_better(metric: str) -> bool:
    """Accuracies improve upwards, losses downwards."""
    return metric.endswith("accuracy")


def metric_value(metrics: EpochMetrics, metric: str) -> float | None:
    """The watched value of one epoch, or None when the epoch did not measure it."""
    value = getattr(metrics, metric)
    return None if value is None else float(value)


@dataclass
class Plateau:
    """Best value so far, its epoch, and the epochs since.

    An epoch improves when its value beats the best by more than ``min_delta`` (in the metric's
    good direction); a NaN never improves.
    """

    higher_is_better: bool
    min_delta: float = 0.0
    best: float | None = None
    best_epoch: int | None = None
    wait: int = 0

    def update(self, epoch: int, value: float | None) -> bool:
        """Record ``epoch``'s value; True when it is a new best."""
        if value is None or not math.isfinite(value):
            self.wait += 1
            return False
        if self.best is None:
            improved = True
        elif self.higher_is_better:
            improved = value > self.best + self.min_delta
        else:
            improved = value < self.best - self.min_delta
        if improved:
            self.best, self.best_epoch, self.wait = value, epoch, 0
        else:
            self.wait += 1
        return improved

    def to_dict(self) -> dict[str, Any]:
        return {"best": self.best, "best_epoch": self.best_epoch, "wait": self.wait}

    def load(self, saved: Any) -> None:
        """Take the state written by :meth:`to_dict` (an empty mapping leaves it fresh)."""
        if not isinstance(saved, dict):
            raise ConfigError(f"a saved plateau state must be a mapping, got {saved!r}")
        best, epoch, wait = saved.get("best"), saved.get("best_epoch"), saved.get("wait", 0)
        if best is not None and (isinstance(best, bool) or not isinstance(best, (int, float))):
            raise ConfigError(f"a saved best value must be a number, got {best!r}")
        for name, value in (("best_epoch", epoch), ("wait", wait)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ConfigError(f"a saved {name} must be a whole number >= 0, got {value!r}")
        self.best = None if best is None else float(best)
        self.best_epoch, self.wait = epoch, int(wait)


class EpochWatch:
    """Early stopping and keep-best for one run.

    Parameters
    ----------
    metric : one of :data:`MONITORED_METRICS`
    patience : epochs without improvement before the run stops; 0 never stops
    min_delta : the smallest change that counts as an improvement
    keep_best : keep a copy of the best epoch's parameters, (P,) like ``flat_parameters()``
    """

    def __init__(self, metric: str, patience: int = 0, min_delta: float = 0.0,
                 keep_best: bool = False) -> None:
        if metric not in MONITORED_METRICS:
            raise ConfigError(f"cannot watch {metric!r}; choose one of {', '.join(MONITORED_METRICS)}")
        self.metric = metric
        self.patience = patience
        self.keep_best = keep_best
        self.plateau = Plateau(higher_is_better(metric), min_delta)
        #: the best epoch's parameters, (P,), when keep_best
        self.best_parameters: np.ndarray | None = None

    @property
    def best_epoch(self) -> int | None:
        return self.plateau.best_epoch

    @property
    def best_value(self) -> float | None:
        return self.plateau.best

    def end_epoch(self, metrics: EpochMetrics, parameters: np.ndarray) -> bool:
        """Record a finished epoch (``parameters``: (P,), its weights); True to stop now."""
        if self.plateau.update(metrics.epoch, metric_value(metrics, self.metric)) and self.keep_best:
            if self.best_parameters is None or self.best_parameters.shape != parameters.shape:
                self.best_parameters = parameters.copy()
            else:
                self.best_parameters[...] = parameters
        return bool(self.patience) and self.plateau.wait >= self.patience

    def restore_best(self, parameters: np.ndarray) -> bool:
        """Write the best epoch's weights into ``parameters`` (P,); False if there are none."""
        if not self.keep_best or self.best_parameters is None:
            return False
        parameters[...] = self.best_parameters
        return True

    def describe_stop(self) -> str:
        if self.best_value is None:
            return f"{self.metric} was not a finite number for {self.plateau.wait} epochs"
        return (f"{self.metric} did not improve for {self.plateau.wait} epochs "
                f"(best {self.best_value:.4g} at epoch {self.best_epoch})")

    def state(self) -> dict[str, Any]:
        return {**self.plateau.to_dict(), "metric": self.metric}

    def load(self, saved: dict[str, Any], best_parameters: np.ndarray | None) -> None:
        """Continue from a saved state. A run that had stopped early starts a new wait (the user
        chose to go on), so it does not stop again at once; a state that watched another metric
        is not comparable and is dropped."""
        if saved.get("metric", self.metric) != self.metric:
            return
        self.plateau.load(saved)
        if self.patience and self.plateau.wait >= self.patience:
            self.plateau.wait = 0
        if best_parameters is not None:
            self.best_parameters = np.array(best_parameters, copy=True)
