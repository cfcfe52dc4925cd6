"""What a training run hands back: the network, its history, how it ended, and the summary
that becomes the model record's ``result``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .calibration import Calibration
from .config import TrainConfig
from .events import EpochMetrics
from .inputs import InputTransform
from .network import Network
from .resume import ResumeState


@dataclass
class TrainResult:
    network: Network
    transform: InputTransform
    config: TrainConfig
    history: list[EpochMetrics]
    reason: str
    message: str
    iterations: int
    #: training-step seconds of each epoch of this run (evaluation excluded)
    epoch_seconds: list[float] = field(default_factory=list)
    #: where the run stands, to continue it exactly (None after a divergence)
    resume: ResumeState | None = None
    #: the watched metric (``config.run.monitor``) when the run watched one, its best value
    #: and that epoch's number, and whether its weights were put back at the end (keep-best)
    monitor: str | None = None
    best_value: float | None = None
    best_epoch: int | None = None
    restored_best: bool = False
    #: the temperature fitted on the validation split at the end (None without one)
    calibration: Calibration | None = None

    @property
    def seconds_per_epoch(self) -> float | None:
        return float(np.median(self.epoch_seconds)) if self.epoch_seconds else None

    @property
    def final_metrics(self) -> EpochMetrics | None:
        """The metrics of the weights the run hands back: the best epoch's after keep-best,
        else the last epoch's."""
        if self.restored_best:
            return next((m for m in self.history if m.epoch == self.best_epoch), None)
        return self.history[-1] if self.history else None

    def summary(self) -> dict[str, Any]:
        """The model record's ``result``: how the run ended and what its weights measure
        (JSON: values that are not finite numbers become null)."""
        final = self.final_metrics
        summary: dict[str, Any] = {
            "stopped": self.reason,
            "message": self.message,
            "epochs": len(self.epoch_seconds),
            "iterations": self.iterations,
            "seconds_per_epoch": self.seconds_per_epoch,
        }
        for key in ("test_accuracy", "test_loss", "train_loss", "val_accuracy", "val_loss",
                    "samples_per_second"):
            summary[key] = finite_or_none(getattr(final, key)) if final is not None else None
        if self.calibration is not None:
            summary.update(temperature=self.calibration.temperature,
                           ece_before=self.calibration.ece_before,
                           ece_after=self.calibration.ece_after)
        if self.monitor is not None:
            summary.update(monitor=self.monitor, best_value=finite_or_none(self.best_value),
                           best_epoch=self.best_epoch, restored_best=self.restored_best)
        return summary


def finite_or_none(value: Any) -> Any:
    """``value``, or None for a float that is NaN or infinite: neither JSON nor the run history
    has those (SQLite would store NaN as NULL anyway)."""
    return None if isinstance(value, float) and not math.isfinite(value) else value
