"""The training configuration: one typed record per concern, validated when it is made.

A :class:`TrainConfig` holds

- ``network``: the layer stack, input shape and loss (:class:`NetworkSpec`); each layer entry is
  completed with its layer's own defaults, so two ways of writing the same network compare equal;
- ``optimizer``: ``{"name": ..., **its settings}`` (:class:`OptimizerSpec`), validated by
  constructing the optimiser, so a setting it does not take is an error;
- ``schedule``: likewise for the learning-rate schedule (:class:`ScheduleSpec`);
- ``data``: batches, sampling, validation split, input standardisation (:class:`DataSpec`);
- ``augment``: the random transforms of training images (:class:`AugmentConfig`);
- ``run``: epochs, limits, seed, gradients, precision, reporting (:class:`RunSpec`).

Everything is frozen and checks itself, so an impossible value (a negative learning rate, a
validation split of 1.5, an unknown optimiser) is refused with a message quoting it before any
data is loaded. The settings of ``data`` and ``run`` and of every optimiser and schedule are
declared once (:mod:`digitlab.core.spec`); the command line's flags and the Network panel's
controls are derived from those declarations. The record round-trips through plain JSON
(:meth:`TrainConfig.to_dict` / :meth:`TrainConfig.from_dict`) into a model file's ``training``
entry; the flat layout written by DigitLab 0.x is migrated on read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .augment import AugmentConfig
from .errors import ConfigError
from .losses import LOSS_ALIASES, LOSSES
from .monitor import MONITORED_METRICS
from .network import Network, walk_shapes
from .optimizers import Optimizer
from .registry import OPTIMIZERS, SCHEDULES, Registry, build_layer
from .schedules import Schedule
from .spec import Setting, SettingsRecord

SAMPLING_MODES = ("shuffle", "replacement")
GRADIENT_MODES = ("backprop", "numerical")


# == the network ==============================================================================
@dataclass(frozen=True)
class NetworkSpec:
    """The architecture: ``layers`` (``{"type": ..., **settings}`` entries), ``input_shape``
    (without the batch dimension) and the ``loss``."""

    layers: tuple[dict[str, Any], ...]
    input_shape: tuple[int, ...] = (784,)
    loss: str = "softmax_cross_entropy"

    def __post_init__(self) -> None:
        if not isinstance(self.layers, (list, tuple)) or not all(
                isinstance(e, Mapping) and "type" in e for e in self.layers):
            raise ConfigError(f"layers must be a list of {{'type': ...}} entries, got {self.layers!r}")
        if not self.layers:
            raise ConfigError("the network needs at least one layer")
        if not isinstance(self.input_shape, (list, tuple)) or not self.input_shape or not all(
                isinstance(d, (int, np.integer)) and not isinstance(d, bool) and 1 <= d <= 65536
                for d in self.input_shape):
            raise ConfigError(f"input_shape must be whole numbers from 1 to 65536, got {self.input_shape!r}")
        if self.loss not in LOSSES and self.loss not in LOSS_ALIASES:
            raise ConfigError(f"unknown loss {self.loss!r}; choose one of {', '.join(LOSSES)}")
        # Each entry completed with its layer's defaults: the canonical form compares equal
        # however it was written, and an unknown setting is refused here.
        layers = tuple(build_layer(dict(e)).get_config() for e in self.layers)
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "input_shape", tuple(int(d) for d in self.input_shape))
        walk_shapes(layers, self.input_shape)  # a stack that does not fit raises ConfigError

    def to_dict(self) -> dict[str, Any]:
        return {"input_shape": list(self.input_shape), "layers": [dict(e) for e in self.layers],
                "loss": self.loss}

    @classmethod
    def from_dict(cls, data: Any) -> NetworkSpec:
        _expect_keys("network", data, {"input_shape", "layers", "loss"}, required={"layers"})
        return cls(**data)

    def build(self, dtype: Any = np.float32, rng: np.random.Generator | None = None) -> Network:
        return Network.from_config(self.to_dict(), dtype, rng)


# == optimiser and schedule: {"name", **settings} =================================================
@dataclass(frozen=True)
class _NamedChoice:
    """A registered class chosen by ``name`` with its settings, validated by constructing it
    (so the class's own declaration is the only list of what it takes)."""

    name: str
    settings: Mapping[str, Any] = field(default_factory=dict)

    registry: ClassVar[Registry] = OPTIMIZERS
    what: ClassVar[str] = ""

    def __post_init__(self) -> None:
        cls = self.registry.get(self.name)
        if not isinstance(self.settings, Mapping):
            raise ConfigError(f"{self.what} settings must be a mapping, got {self.settings!r}")
        instance = self._make(cls, dict(self.settings))
        object.__setattr__(self, "settings", {s.name: getattr(instance, s.name) for s in cls.settings})

    @staticmethod
    def _make(cls: Any, settings: dict[str, Any]) -> Any:
        return cls(**settings)

    @property
    def declared(self) -> tuple[Setting, ...]:
        return self.registry.get(self.name).settings

    def with_settings(self, **changes: Any):
        return type(self)(self.name, {**self.settings, **changes})

    def switch_to(self, name: str):
        """Another choice, starting from its own defaults."""
        return type(self)(name, {})

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.settings}

    @classmethod
    def from_dict(cls, data: Any):
        if isinstance(data, str):
            return cls(data, {})
        if not isinstance(data, Mapping) or "name" not in data:
            raise ConfigError(f"{cls.what} must be {{'name': ..., settings...}}, got {data!r}")
        settings = dict(data)
        return cls(settings.pop("name"), settings)

    def __hash__(self) -> int:
        return hash((self.name, tuple(sorted(self.settings.items()))))


class OptimizerSpec(_NamedChoice):
    """``{"name": "adam", "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08}``."""

    registry = OPTIMIZERS
    what = "optimizer"

    def build(self) -> Optimizer:
        return self._make(self.registry.get(self.name), dict(self.settings))


class ScheduleSpec(_NamedChoice):
    """``{"name": "cosine", "min_lr": 1e-05}``; the run supplies the number of updates."""

    registry = SCHEDULES
    what = "schedule"

    def build(self, total_steps: int = 1) -> Schedule:
        return self.registry.get(self.name)(total_steps, **self.settings)


# == data and run ==============================================================================
class DataSpec(SettingsRecord):
    """How training data is fed: batches, sampling, validation split, standardisation."""

    OWNER = "data"
    SETTINGS = (
        Setting("batch_size", 100, int, low=1, high=1_000_000, help="Samples per update"),
        Setting("sampling", "shuffle", str, choices=SAMPLING_MODES,
                help="shuffle: every sample once per epoch; replacement: each batch drawn at "
                     "random (as the first tutorial does)"),
        Setting("iterations_per_epoch", None, int, title="updates per epoch", low=1, optional=True,
                special="auto", help="Updates per epoch (auto: training samples / batch size)"),
        Setting("val_split", 0.0, title="validation split", low=0.0, high=1.0, high_open=True,
                special="none", help="Fraction of the training images held out for validation"),
        Setting("train_limit", None, int, title="training samples", low=1, optional=True,
                special="all", help="Train on the first N training images only"),
        Setting("normalize", False, bool, title="standardise input",
                help="Standardise pixels with the training images' mean and std"),
    )
    batch_size: int
    sampling: str
    iterations_per_epoch: int | None
    val_split: float
    train_limit: int | None
    normalize: bool


class RunSpec(SettingsRecord):
    """How long a run goes, what it computes with, and what it reports."""

    OWNER = "run"
    SETTINGS = (
        Setting("epochs", 10, int, low=1, high=100_000, help="Passes over the training data"),
        Setting("max_iterations", None, int, low=1, optional=True, special="no limit",
                help="Stop after this many updates in all"),
        Setting("loss_threshold", None, low=0.0, low_open=True, optional=True, special="off",
                help="Stop once an epoch's training loss falls below this"),
        Setting("l2", 0.0, title="L2 weight decay", low=0.0, special="off",
                help="L2 weight decay: adds l2/2 * sum(W^2) to the loss, pulling weights towards zero"),
        Setting("seed", 0, int, low=0, high=2**31 - 1,
                help="Random seed of the initial weights, validation split, batch order and "
                     "augmentation: the same seed gives the same run"),
        Setting("gradients", "backprop", str, choices=GRADIENT_MODES,
                help="backprop: exact gradients; numerical: finite differences (very slow)"),
        Setting("dtype", "float32", str, title="precision", choices=("float32", "float64"),
                help="Floating-point precision of the network"),
        Setting("report_every", 10, int, low=1, help="Batches between progress reports"),
        Setting("snapshot_every", 0, int, low=0, special="by time",
                help="Batches between weight snapshots (0: by time, see snapshot_seconds)"),
        Setting("snapshot_seconds", 0.5, low=0.0, special="epoch ends",
                help="Seconds between weight snapshots during an epoch (0: epoch ends only)"),
        Setting("evaluate_test", True, bool, title="test every epoch",
                help="Measure test loss and accuracy every epoch"),
        Setting("monitor", "val_loss", str, title="watched metric", choices=MONITORED_METRICS,
                help="The per-epoch metric early stopping, keep-best and the plateau schedule "
                     "watch (val_*: needs a validation split)"),
        Setting("patience", 0, int, title="early-stopping patience", low=0, high=100_000,
                special="off",
                help="Stop after this many epochs without improvement of the watched metric"),
        Setting("min_delta", 0.0, title="min. improvement", low=0.0,
                help="The smallest change of the watched metric that counts as an improvement"),
        Setting("keep_best", False, bool, title="keep best epoch",
                help="At the end, put back the weights of the epoch with the best watched metric"),
    )
    epochs: int
    max_iterations: int | None
    loss_threshold: float | None
    l2: float
    seed: int
    gradients: str
    dtype: str
    report_every: int
    snapshot_every: int
    snapshot_seconds: float
    evaluate_test: bool
    monitor: str
    patience: int
    min_delta: float
    keep_best: bool


# == the whole configuration ====================================================================
@dataclass(frozen=True)
class TrainConfig:
    """All settings of a training run, one record per concern (see the module docstring)."""

    network: NetworkSpec
    optimizer: OptimizerSpec = field(default_factory=lambda: OptimizerSpec("adam"))
    schedule: ScheduleSpec = field(default_factory=lambda: ScheduleSpec("constant"))
    data: DataSpec = field(default_factory=DataSpec)
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    run: RunSpec = field(default_factory=RunSpec)

    def __post_init__(self) -> None:
        for name, kind in _BLOCKS.items():
            value = getattr(self, name)
            if not isinstance(value, kind):
                object.__setattr__(self, name, kind.from_dict(value))
        run = self.run
        if self.watches_metric and run.monitor.startswith("val_") and not self.data.val_split:
            raise ConfigError(f"early stopping, keep-best and the plateau schedule watch "
                              f"{run.monitor}, which needs a validation split (val_split > 0)")
        if self.watches_metric and run.monitor.startswith("test_") and not run.evaluate_test:
            raise ConfigError(f"early stopping, keep-best and the plateau schedule watch "
                              f"{run.monitor}, which needs the test set measured every epoch "
                              f"(evaluate_test)")

    # -- derived ---------------------------------------------------------------------------
    @property
    def np_dtype(self) -> np.dtype:
        # Numerical differentiation in float32 drowns in rounding error: always float64.
        return np.dtype(np.float64 if self.run.gradients == "numerical" else self.run.dtype)

    @property
    def watches_metric(self) -> bool:
        """Whether the run needs its ``run.monitor`` metric every epoch (early stopping,
        keep-best or the plateau schedule)."""
        return bool(self.run.patience or self.run.keep_best or self.schedule.name == "plateau")

    def build_network(self, rng: np.random.Generator | None = None) -> Network:
        return self.network.build(self.np_dtype, rng)

    def make_optimizer(self) -> Optimizer:
        return self.optimizer.build()

    def make_schedule(self, total_steps: int) -> Schedule:
        return self.schedule.build(total_steps)

    # -- changes ---------------------------------------------------------------------------
    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with whole records replaced (``network=``, ``optimizer=``, ...)."""
        return dataclasses.replace(self, **changes)

    def with_settings(self, **settings: Any) -> TrainConfig:
        """A copy with single settings changed by name, each routed to the record that declares
        it: ``with_settings(lr=0.1, batch_size=64, epochs=3)``. ``optimizer=``/``schedule=``
        with a name switch to that choice from its own defaults first. A setting that no record
        (or not the chosen optimiser or schedule) takes is a :class:`ConfigError`."""
        settings = dict(settings)
        optimizer, schedule = self.optimizer, self.schedule
        if "optimizer" in settings:
            name = settings.pop("optimizer")
            if name != optimizer.name:
                optimizer = optimizer.switch_to(name)
        if "schedule" in settings:
            name = settings.pop("schedule")
            if name != schedule.name:
                schedule = schedule.switch_to(name)
        blocks = {"data": {}, "run": {}, "augment": {}}
        opt_changes, sched_changes = {}, {}
        for key, value in settings.items():
            owner = next((b for b, kind in (("data", DataSpec), ("run", RunSpec),
                                            ("augment", AugmentConfig)) if key in kind.names()), None)
            if owner is not None:
                blocks[owner][key] = value
            elif key in {s.name for s in optimizer.declared}:
                opt_changes[key] = value
            elif key in {s.name for s in schedule.declared}:
                sched_changes[key] = value
            elif key in all_optimizer_settings():
                raise ConfigError(f"the {optimizer.name} optimizer has no setting {key!r}; it takes "
                                  f"{', '.join(s.name for s in optimizer.declared)}")
            elif key in all_schedule_settings():
                taken = ", ".join(s.name for s in schedule.declared) or "no settings"
                raise ConfigError(f"the {schedule.name} schedule has no setting {key!r}; it takes {taken}")
            else:
                raise ConfigError(f"unknown training setting {key!r}")
        return TrainConfig(
            self.network,
            optimizer.with_settings(**opt_changes) if opt_changes else optimizer,
            schedule.with_settings(**sched_changes) if sched_changes else schedule,
            self.data.replace(**blocks["data"]) if blocks["data"] else self.data,
            self.augment.replace(**blocks["augment"]) if blocks["augment"] else self.augment,
            self.run.replace(**blocks["run"]) if blocks["run"] else self.run)

    # -- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name).to_dict() for name in _BLOCKS}

    @classmethod
    def from_dict(cls, data: Any) -> TrainConfig:
        if not isinstance(data, Mapping):
            raise ConfigError(f"a training configuration must be a mapping, got {data!r}")
        if "network" not in data and "layers" in data:
            data = migrate_flat_config(data)
        _expect_keys("training configuration", data, set(_BLOCKS), required={"network"})
        return cls(**{name: _BLOCKS[name].from_dict(value) for name, value in data.items()})


_BLOCKS: dict[str, Any] = {"network": NetworkSpec, "optimizer": OptimizerSpec,
                           "schedule": ScheduleSpec, "data": DataSpec, "augment": AugmentConfig,
                           "run": RunSpec}


def _expect_keys(what: str, data: Any, allowed: set[str], required: set[str] = frozenset()) -> None:
    if not isinstance(data, Mapping):
        raise ConfigError(f"{what} must be a mapping, got {data!r}")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"unknown {what} entries: {', '.join(map(str, unknown))}")
    missing = sorted(required - set(data))
    if missing:
        raise ConfigError(f"{what} lacks {', '.join(missing)}")


def _declared_settings(registry: Registry) -> dict[str, Setting]:
    """Every setting any class of ``registry`` takes, by name (the first declaration of each)."""
    found: dict[str, Setting] = {}
    for cls in registry.values():
        for setting in cls.settings:
            found.setdefault(setting.name, setting)
    return found


def all_optimizer_settings() -> dict[str, Setting]:
    """Every setting any optimiser takes, by name."""
    return _declared_settings(OPTIMIZERS)


def all_schedule_settings() -> dict[str, Setting]:
    """Every setting any schedule takes, by name."""
    return _declared_settings(SCHEDULES)


def migrate_flat_config(flat: Mapping[str, Any]) -> dict[str, Any]:
    """The flat ``training.config`` of format-1 model files (DigitLab 0.x) as records: the
    optimiser and schedule keep only the settings they take (the flat layout stored every
    optimiser's settings side by side)."""
    flat = dict(flat)
    network = {k: flat.pop(k) for k in ("layers", "input_shape", "loss") if k in flat}
    optimizer_name = flat.pop("optimizer", "adam")
    schedule_name = flat.pop("schedule", "constant")
    optimizer_cls = OPTIMIZERS.get(optimizer_name)
    schedule_cls = SCHEDULES.get(schedule_name)
    optimizer = {"name": optimizer_name}
    schedule = {"name": schedule_name}
    for name in list(flat):
        if name in {s.name for s in optimizer_cls.settings}:
            value = flat.pop(name)
            if value is not None:
                optimizer[name] = value
        elif name in {s.name for s in schedule_cls.settings}:
            schedule[name] = flat.pop(name)
        elif name in all_optimizer_settings() or name in all_schedule_settings():
            flat.pop(name)  # a setting of an optimiser or schedule that was not chosen
    data = {k: flat.pop(k) for k in DataSpec.names() if k in flat}
    run = {k: flat.pop(k) for k in RunSpec.names() if k in flat}
    augment = flat.pop("augment", {})
    if flat:
        raise ConfigError(f"unknown training settings: {', '.join(sorted(map(str, flat)))}")
    return {"network": network, "optimizer": optimizer, "schedule": schedule, "data": data,
            "augment": augment, "run": run}
