"""Learning-rate schedules.

A schedule maps the update count ``t`` (1 for the first update) and the finished-epoch count to
a learning rate, given the base rate ``lr``:

- ``constant``: ``lr``
- ``time``: ``lr / (1 + decay * t)`` (Keras' classic ``decay`` argument)
- ``power``: ``lr / t**power`` (the tutorials' power decay)
- ``step``: ``lr * gamma ** (epoch // step_size)``
- ``cosine``: from ``lr`` down to ``min_lr`` along half a cosine over ``total_steps`` updates
- ``plateau``: ``lr`` times ``plateau_factor`` each time the watched metric (``RunSpec.monitor``)
  has not improved for ``plateau_patience`` epochs (Keras' ``ReduceLROnPlateau``)

A schedule that depends on how the run goes (``plateau``) hears every finished epoch through
:meth:`Schedule.end_epoch` and keeps its state in :meth:`Schedule.state_dict`, which the run's
resume state saves, so a continued run lowers the rate exactly when the uninterrupted one would.

Each is a small class that declares its settings; declaring ``name`` registers it, so
``make_schedule("cosine", min_lr=1e-5)`` and the configuration's ``{"name": "cosine",
"min_lr": 1e-5}`` both work, and a setting a schedule does not take is an error.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from .errors import ConfigError
from .events import EpochMetrics
from .monitor import Plateau, higher_is_better, metric_value
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

    def end_epoch(self, metrics: EpochMetrics, metric: str, min_delta: float) -> None:
        """Hear a finished epoch (``metric``: the watched one). Most schedules ignore it."""

    def state_dict(self) -> dict[str, Any]:
        """What a schedule learnt during the run (JSON); empty for those that learn nothing."""
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue from :meth:`state_dict`'s output."""


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


class ReduceOnPlateau(Schedule):
    name = "plateau"
    settings = (Setting("plateau_factor", 0.1, title="plateau factor", low=0.0, high=1.0,
                        low_open=True, high_open=True,
                        help="Factor applied to the learning rate when the watched metric stalls"),
                Setting("plateau_patience", 2, int, title="plateau patience", low=1, high=100_000,
                        help="Epochs without improvement of the watched metric before the "
                             "learning rate is lowered"))

    def __init__(self, total_steps: int = 1, **settings: Any) -> None:
        super().__init__(total_steps, **settings)
        #: the product of the reductions so far
        self.scale = 1.0
        self._plateau: Plateau | None = None
        self._metric = ""

    def rate(self, lr: float, t: int, epoch: int = 0) -> float:
        return lr * self.scale

    def end_epoch(self, metrics: EpochMetrics, metric: str, min_delta: float) -> None:
        if self._plateau is None or metric != self._metric:  # another metric starts afresh
            self._plateau, self._metric = Plateau(higher_is_better(metric), min_delta), metric
        self._plateau.update(metrics.epoch, metric_value(metrics, metric))
        if self._plateau.wait >= self.plateau_patience:
            self.scale *= self.plateau_factor
            self._plateau.wait = 0  # wait another plateau_patience epochs before the next cut

    def state_dict(self) -> dict[str, Any]:
        return {"scale": self.scale, "metric": self._metric,
                "plateau": self._plateau.to_dict() if self._plateau is not None else None,
                "higher_is_better": self._plateau.higher_is_better if self._plateau else None,
                "min_delta": self._plateau.min_delta if self._plateau else None}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        scale = state.get("scale", 1.0)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 < scale <= 1:
            raise ConfigError(f"the plateau schedule's saved scale must be in (0, 1], got {scale!r}")
        self.scale = float(scale)
        if state.get("plateau") is not None:
            self._plateau = Plateau(bool(state.get("higher_is_better")),
                                    float(state.get("min_delta") or 0.0))
            self._plateau.load(state["plateau"])
            self._metric = str(state.get("metric", ""))


def make_schedule(name: str, total_steps: int = 1, **settings: Any) -> Schedule:
    """Build a schedule by name; a setting it does not take is an error."""
    return SCHEDULES.get(name)(total_steps, **settings)
