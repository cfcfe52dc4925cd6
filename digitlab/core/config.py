"""The training configuration: every setting of a run, validated when it is made.

A :class:`TrainConfig` is frozen and checks itself in ``__post_init__``, so an impossible value
(a negative learning rate, a validation split of 1.5, an unknown optimiser) is refused with a
message quoting it before any data is loaded. It round-trips through plain JSON
(:meth:`to_dict` / :meth:`from_dict`) into the ``training`` entry of a model file.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .augment import AugmentConfig
from .errors import ConfigError
from .losses import LOSS_ALIASES, LOSSES
from .network import Network
from .optimizers import OPTIMIZERS, Optimizer, get_optimizer
from .schedules import SCHEDULES, Schedule

SAMPLING_MODES = ("shuffle", "replacement")
GRADIENT_MODES = ("backprop", "numerical")


def _number(name: str, value: Any, low: float | None = None, high: float | None = None,
            low_open: bool = False, high_open: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        raise ConfigError(f"{name} must be {'>' if low_open else '>='} {low}, got {value!r}")
    if high is not None and (value >= high if high_open else value > high):
        raise ConfigError(f"{name} must be {'<' if high_open else '<='} {high}, got {value!r}")


def _whole(name: str, value: Any, low: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ConfigError(f"{name} must be a whole number >= {low}, got {value!r}")


@dataclass(frozen=True)
class TrainConfig:
    """All settings of a training run.

    Architecture: ``layers`` (list of layer entries), ``input_shape``, ``loss``.
    Optimiser: ``optimizer``, ``lr`` and its settings; ``schedule`` and its settings; ``l2``.
    Data: ``batch_size``, ``epochs``, ``sampling`` (``shuffle``: every sample once per epoch;
    ``replacement``: each batch drawn at random with ``np.random.choice``, as the first tutorial
    does), ``iterations_per_epoch`` (default: training samples // batch size), ``max_iterations``
    (stop after this many updates in all), ``val_split`` (fraction held out for validation),
    ``train_limit`` (use only this many training samples), ``normalize`` (standardise pixels with
    the training mean and std), ``augment``.
    Run: ``seed``, ``gradients`` (``backprop`` or ``numerical``), ``dtype``,
    ``loss_threshold`` (stop once the epoch's training loss falls below it),
    ``report_every`` (batches between progress events), ``snapshot_every`` (batches between
    weight snapshots; 0 = at epoch ends only), ``evaluate_test`` (test metrics every epoch).
    """

    layers: tuple[dict[str, Any], ...]
    input_shape: tuple[int, ...] = (784,)
    loss: str = "softmax_cross_entropy"
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    rho: float | None = None
    eps: float | None = None
    schedule: str = "constant"
    decay: float = 0.0
    power: float = 0.5
    step_size: int = 10
    gamma: float = 0.5
    min_lr: float = 0.0
    l2: float = 0.0
    batch_size: int = 100
    epochs: int = 10
    sampling: str = "shuffle"
    iterations_per_epoch: int | None = None
    max_iterations: int | None = None
    val_split: float = 0.0
    train_limit: int | None = None
    normalize: bool = False
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    seed: int = 0
    gradients: str = "backprop"
    dtype: str = "float32"
    loss_threshold: float | None = None
    report_every: int = 10
    snapshot_every: int = 0
    evaluate_test: bool = True

    def __post_init__(self) -> None:
        # Shapes first: JSON from a file or the GUI may hold anything.
        if not isinstance(self.layers, (list, tuple)) or not all(
                isinstance(e, dict) and "type" in e for e in self.layers):
            raise ConfigError(f"layers must be a list of {{'type': ...}} entries, got {self.layers!r}")
        object.__setattr__(self, "layers", tuple(dict(e) for e in self.layers))
        if not isinstance(self.input_shape, (list, tuple)) or not self.input_shape or not all(
                isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 1
                for d in self.input_shape):
            raise ConfigError(f"input_shape must be positive whole numbers, got {self.input_shape!r}")
        object.__setattr__(self, "input_shape", tuple(int(d) for d in self.input_shape))
        if isinstance(self.augment, dict):
            object.__setattr__(self, "augment", AugmentConfig.from_dict(self.augment))
        if not isinstance(self.augment, AugmentConfig):
            raise ConfigError(f"augment must be augmentation settings, got {self.augment!r}")
        if self.loss not in LOSSES and self.loss not in LOSS_ALIASES:
            raise ConfigError(f"unknown loss {self.loss!r}; choose one of {', '.join(LOSSES)}")
        for name in ("normalize", "evaluate_test"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ConfigError(f"{name} must be true or false, got {getattr(self, name)!r}")
        _whole("seed", self.seed, low=0)
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        if self.schedule not in SCHEDULES:
            raise ConfigError(f"unknown schedule {self.schedule!r}; choose one of {', '.join(SCHEDULES)}")
        if self.sampling not in SAMPLING_MODES:
            raise ConfigError(f"sampling must be one of {', '.join(SAMPLING_MODES)}, got {self.sampling!r}")
        if self.gradients not in GRADIENT_MODES:
            raise ConfigError(f"gradients must be one of {', '.join(GRADIENT_MODES)}, got {self.gradients!r}")
        if self.dtype not in ("float32", "float64"):
            raise ConfigError(f"dtype must be float32 or float64, got {self.dtype!r}")
        _number("learning rate", self.lr, 0, low_open=True)
        _number("momentum", self.momentum, 0, 1, high_open=True)
        _number("beta1", self.beta1, 0, 1, high_open=True)
        _number("beta2", self.beta2, 0, 1, high_open=True)
        if self.rho is not None:
            _number("rho", self.rho, 0, 1, low_open=True, high_open=True)
        if self.eps is not None:
            _number("eps", self.eps, 0, low_open=True)
        _number("l2", self.l2, 0)
        _number("val_split", self.val_split, 0, 1, high_open=True)
        _whole("batch_size", self.batch_size)
        _whole("epochs", self.epochs)
        for name in ("iterations_per_epoch", "max_iterations", "train_limit"):
            if getattr(self, name) is not None:
                _whole(name, getattr(self, name))
        _whole("report_every", self.report_every)
        _whole("snapshot_every", self.snapshot_every, low=0)
        if self.loss_threshold is not None:
            _number("loss_threshold", self.loss_threshold, 0, low_open=True)
        self.make_schedule(1)  # validates the schedule settings
        if not self.layers:
            raise ConfigError("the network needs at least one layer")

    # -- factories -------------------------------------------------------------------------
    @property
    def np_dtype(self) -> np.dtype:
        # Numerical differentiation in float32 drowns in rounding error: always float64.
        return np.dtype(np.float64 if self.gradients == "numerical" else self.dtype)

    def network_config(self) -> dict[str, Any]:
        return {"input_shape": list(self.input_shape), "layers": [dict(e) for e in self.layers],
                "loss": self.loss}

    def build_network(self, rng: np.random.Generator | None = None) -> Network:
        return Network.from_config(self.network_config(), self.np_dtype, rng)

    def make_optimizer(self) -> Optimizer:
        return get_optimizer(self.optimizer, lr=self.lr, momentum=self.momentum, beta1=self.beta1,
                             beta2=self.beta2, rho=self.rho, eps=self.eps)

    def make_schedule(self, total_steps: int) -> Schedule:
        return Schedule(self.schedule, self.decay, self.power, self.step_size, self.gamma,
                        self.min_lr, total_steps)

    def replace(self, **changes: Any) -> TrainConfig:
        return dataclasses.replace(self, **changes)

    # -- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["layers"] = [dict(e) for e in self.layers]
        d["input_shape"] = list(self.input_shape)
        d["augment"] = self.augment.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ConfigError(f"unknown training settings: {', '.join(unknown)}")
        return cls(**d)
