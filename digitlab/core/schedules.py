"""Learning-rate schedules.

A schedule maps the update count ``t`` (1 for the first update) and the finished-epoch count to
a learning rate, given the base rate ``lr``:

- ``constant``: ``lr``
- ``time``: ``lr / (1 + decay * t)`` (Keras' classic ``decay`` argument)
- ``power``: ``lr / t**power`` (the tutorials' power decay)
- ``step``: ``lr * gamma ** (epoch // step_size)``
- ``cosine``: from ``lr`` down to ``min_lr`` along half a cosine over ``total_steps`` updates

Each is a small class that declares its settings; declaring ``name`` registers it, so
``make_schedule("cosine", min_lr=1e-5)`` and the configuration's ``{"name": "cosine",
"min_lr": 1e-5}`` both work, and a setting a schedule does not take is an error.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from .registry import SCHEDULES
from .spec import Setting, check_settings


class Schedule:
    """Base class: settings are validated against ``settings`` and become attributes."""

    name: ClassVar[str] = "schedule"
    settings: ClassVar[tuple[Setting, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            SCHEDULES.register(cls)

    def __init__(self, total_steps: int = 1, **settings: Any) -> None:
        for key, value in check_settings(f"the {self.name} schedule", self.settings,
                                         settings).items():
            setattr(self, key, value)
        #: updates in the whole run (the cosine needs to know where it ends)
        self.total_steps = Setting("total_steps", 1, int, low=1).check(total_steps, "schedule")

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {s.name: s.default for s in cls.settings}

    def rate(self, lr: float, t: int, epoch: int = 0) -> float:
        """Learning rate for update ``t`` (counting from 1) during epoch ``epoch`` (from 0)."""
        raise NotImplementedError


class Constant(Schedule):
    name = "constant"

    def rate(self, lr: float, t: int, epoch: int = 0) -> float:
        return lr


class TimeDecay(Schedule):
    name = "time"
    settings = (Setting("decay", 0.0, low=0.0,
                        help="Decay of the 'time' schedule: lr / (1 + decay * t)"),)

    def rate(self, lr: float, t: int, epoch: int = 0) -> float:
        return lr / (1 + self.decay * t)


class PowerDecay(Schedule):
    name = "power"
    settings = (Setting("power", 0.5, low=0.0,
                        help="Exponent of the 'power' schedule: lr / t**power"),)

    def rate(self, lr: float, t: int, epoch: int = 0) -> float:
        return lr / max(t, 1) ** self.power


class StepDecay(Schedule):
    name = "step"
    settings = (Setting("step_size", 10, int, low=1, help="Epochs between two steps"),
                Setting("gamma", 0.5, low=0.0, high=1.0, low_open=True,
                        help="Factor applied to the learning rate at each step"))

    def rate(self, lr: float, t: int, epoch: int = 0) -> float:
        return lr * self.gamma ** (epoch // self.step_size)


class Cosine(Schedule):
    name = "cosine"
    settings = (Setting("min_lr", 0.0, title="min. learning rate", low=0.0,
                        help="Learning rate the cosine ends at"),)

    def rate(self, lr: float, t: int, epoch: int = 0) -> float:
        progress = min(t / max(self.total_steps, 1), 1.0)
        return self.min_lr + 0.5 * (lr - self.min_lr) * (1 + math.cos(math.pi * progress))


def make_schedule(name: str, total_steps: int = 1, **settings: Any) -> Schedule:
    """Build a schedule by name; a setting it does not take is an error."""
    return SCHEDULES.get(name)(total_steps, **settings)
