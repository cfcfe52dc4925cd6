"""Learning-rate schedules.

A schedule maps the update count ``t`` (1 for the first update) and the finished-epoch count to
a learning rate, given the base rate ``lr``:

- ``constant``: ``lr``
- ``time``: ``lr / (1 + decay * t)`` (Keras' classic ``decay`` argument)
- ``power``: ``lr / t**power`` (the tutorials' power decay)
- ``step``: ``lr * gamma ** (epoch // step_size)``
- ``cosine``: from ``lr`` down to ``min_lr`` along half a cosine over ``total_steps`` updates
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from .errors import ConfigError

SCHEDULES = ("constant", "time", "power", "step", "cosine")


@dataclass(frozen=True)
class Schedule:
    name: str = "constant"
    decay: float = 0.0
    power: float = 0.5
    step_size: int = 10
    gamma: float = 0.5
    min_lr: float = 0.0
    total_steps: int = 1

    def __post_init__(self) -> None:
        if self.name not in SCHEDULES:
            raise ConfigError(f"unknown schedule {self.name!r}; choose one of {', '.join(SCHEDULES)}")
        # Type and finiteness first, so a string or inf from JSON is refused, not compared.
        for key in ("decay", "power", "gamma", "min_lr", "step_size", "total_steps"):
            value = getattr(self, key)
            whole = key in ("step_size", "total_steps")
            expected = numbers.Integral if whole else numbers.Real
            if isinstance(value, bool) or not isinstance(value, expected) or not math.isfinite(value):
                what = "a whole number" if whole else "a finite number"
                raise ConfigError(f"schedule {key} must be {what}, got {value!r}")
        if not self.decay >= 0:
            raise ConfigError(f"schedule decay must be >= 0, got {self.decay!r}")
        if not self.power >= 0:
            raise ConfigError(f"schedule power must be >= 0, got {self.power!r}")
        if self.step_size < 1:
            raise ConfigError(f"schedule step_size must be >= 1, got {self.step_size!r}")
        if not 0 < self.gamma <= 1:
            raise ConfigError(f"schedule gamma must be in (0, 1], got {self.gamma!r}")
        if not self.min_lr >= 0:
            raise ConfigError(f"schedule min_lr must be >= 0, got {self.min_lr!r}")

    def rate(self, lr: float, t: int, epoch: int = 0) -> float:
        """Learning rate for update ``t`` (counting from 1) during epoch ``epoch`` (from 0)."""
        if self.name == "constant":
            return lr
        if self.name == "time":
            return lr / (1 + self.decay * t)
        if self.name == "power":
            return lr / max(t, 1) ** self.power
        if self.name == "step":
            return lr * self.gamma ** (epoch // self.step_size)
        progress = min(t / max(self.total_steps, 1), 1.0)
        return self.min_lr + 0.5 * (lr - self.min_lr) * (1 + math.cos(math.pi * progress))
