"""What a stopped run needs to go on exactly as if it had never stopped.

Weights alone do not make a run resumable: the optimiser's slots (momentum velocities, Adam's
moments and step count), the schedule's position, where the run was inside its epoch and the
state of every random generator (batch order, augmentation, dropout masks) all shape the next
update. :class:`ResumeState` holds them; the model record saves it with the weights, so Continue
training after a stop, or after saving and reopening the file, gives bit-for-bit the weights of
the run that was never interrupted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .errors import ConfigError


def generator_state(rng: np.random.Generator) -> dict[str, Any]:
    """A JSON-safe copy of a PCG64 generator's state (its 128-bit numbers as hex strings, which
    every JSON reader keeps exactly)."""
    state = rng.bit_generator.state
    if state.get("bit_generator") != "PCG64":
        raise ConfigError(f"cannot save a {state.get('bit_generator')} generator")
    return {"state": format(state["state"]["state"], "x"), "inc": format(state["state"]["inc"], "x"),
            "has_uint32": int(state["has_uint32"]), "uinteger": int(state["uinteger"])}


def restore_generator(saved: Any) -> np.random.Generator:
    """The inverse of :func:`generator_state`."""
    try:
        state = {"bit_generator": "PCG64",
                 "state": {"state": int(saved["state"], 16), "inc": int(saved["inc"], 16)},
                 "has_uint32": int(saved["has_uint32"]), "uinteger": int(saved["uinteger"])}
        if not (0 <= state["state"]["state"] < 2**128 and 0 <= state["state"]["inc"] < 2**128
                and 0 <= state["uinteger"] < 2**32):
            raise ValueError("out of range")
        bit_generator = np.random.PCG64()
        bit_generator.state = state
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"a saved random generator state is invalid ({exc})") from None
    return np.random.Generator(bit_generator)


@dataclass
class ResumeState:
    """Where a run stands after ``iteration`` updates.

    ``epochs_done`` whole epochs of the run are finished and ``batch`` batches of the next one;
    ``epoch_rng`` is the batch generator's state at the start of that epoch (the epoch's sample
    order is drawn from it again), ``epoch_sums`` the partial epoch's loss sum, correct count,
    samples and seconds. ``planned_iterations`` is the length of the run as planned, so an
    interrupted run continues to its planned end with the same learning-rate schedule.
    ``monitor_state`` is the watched metric's best value, best epoch and wait (early stopping),
    ``schedule_state`` what the schedule learnt (the plateau schedule's reductions), and
    ``best_parameters`` (P,) the best epoch's weights when the run keeps them.
    """

    iteration: int
    planned_iterations: int
    epochs_done: int
    batch: int
    base_lr: float
    epoch_rng: dict[str, Any]
    augment_rng: dict[str, Any]
    dropout_rngs: dict[str, dict[str, Any]]
    optimizer_steps: int
    optimizer_slots: dict[str, np.ndarray] = field(default_factory=dict)
    epoch_sums: tuple[float, int, int, float] = (0.0, 0, 0, 0.0)
    monitor_state: dict[str, Any] = field(default_factory=dict)
    schedule_state: dict[str, Any] = field(default_factory=dict)
    best_parameters: np.ndarray | None = None

    @property
    def unfinished(self) -> bool:
        return self.iteration < self.planned_iterations

    def to_dict(self) -> dict[str, Any]:
        """The JSON part (the optimiser's slots are arrays, saved beside it)."""
        return {"iteration": self.iteration, "planned_iterations": self.planned_iterations,
                "epochs_done": self.epochs_done, "batch": self.batch, "base_lr": self.base_lr,
                "epoch_rng": self.epoch_rng, "augment_rng": self.augment_rng,
                "dropout_rngs": self.dropout_rngs, "optimizer_steps": self.optimizer_steps,
                "epoch_sums": list(self.epoch_sums), "monitor_state": self.monitor_state,
                "schedule_state": self.schedule_state}

    @classmethod
    def from_dict(cls, data: Any, slots: dict[str, np.ndarray],
                  best_parameters: np.ndarray | None = None) -> ResumeState:
        if not isinstance(data, dict):
            raise ConfigError(f"the resume state must be a mapping, got {type(data).__name__}")
        whole = ("iteration", "planned_iterations", "epochs_done", "batch", "optimizer_steps")
        try:
            values = {k: data[k] for k in (*whole, "base_lr", "epoch_rng", "augment_rng",
                                           "dropout_rngs", "epoch_sums")}
        except KeyError as exc:
            raise ConfigError(f"the resume state lacks {exc.args[0]!r}") from None
        for key in whole:
            if isinstance(values[key], bool) or not isinstance(values[key], int) or values[key] < 0:
                raise ConfigError(f"resume {key} must be a whole number >= 0, got {values[key]!r}")
        lr = values["base_lr"]
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not (math.isfinite(lr) and lr > 0):
            raise ConfigError(f"resume base_lr must be a positive number, got {lr!r}")
        sums = values["epoch_sums"]
        if not (isinstance(sums, list) and len(sums) == 4 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in sums)):
            raise ConfigError(f"resume epoch_sums must be four numbers, got {sums!r}")
        if not isinstance(values["dropout_rngs"], dict):
            raise ConfigError("resume dropout_rngs must be a mapping")
        for saved in (values["epoch_rng"], values["augment_rng"], *values["dropout_rngs"].values()):
            restore_generator(saved)  # checks it
        # Written since early stopping and the plateau schedule; absent in older files.
        for key in ("monitor_state", "schedule_state"):
            values[key] = data.get(key) or {}
            if not isinstance(values[key], dict):
                raise ConfigError(f"resume {key} must be a mapping, got {values[key]!r}")
        return cls(**{**values, "base_lr": float(lr),
                      "epoch_sums": (float(sums[0]), int(sums[1]), int(sums[2]), float(sums[3]))},
                   optimizer_slots=dict(slots), best_parameters=best_parameters)


def continuation(previous: Any, config: Any, resume: ResumeState | None) -> ResumeState | None:
    """The resume state to continue a model trained with ``previous`` (a TrainConfig) under
    ``config``, or None to start a fresh run on its weights.

    The position in the run (batch order, epoch, random generators) only means something for the
    same data, batches and seed, and the optimiser's slots only for the same optimiser: if those
    differ the run starts afresh from the weights (a fine-tune). Another learning rate keeps
    everything and takes effect, as a change made while a run goes on does.
    """
    if resume is None or previous is None:
        return None
    if (previous.data != config.data or previous.run.seed != config.run.seed
            or previous.optimizer.name != config.optimizer.name
            or previous.network != config.network):
        return None
    if previous.optimizer.settings != config.optimizer.settings:
        return replace(resume, base_lr=float(config.optimizer.settings["lr"]))
    return resume
