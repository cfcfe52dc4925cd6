"""The training run as a background :class:`~digitlab.gui.jobs.Job`, with typed event signals.

Training keeps a class of its own because it forwards many kinds of event, not one progress
fraction: :meth:`TrainingWorker.run` is the job's work function (it runs on the job's thread)
and turns the core's plain events into Qt signals. The worker object itself stays on the GUI
thread, so each signal reaches the session's slots through a queued connection, in the order
it was emitted. The thread's lifetime, cancellation and the result or error are the job's.

A run that continues a model with a "not a digit" rule carries it over here, on the worker
thread: the parent is measured on the run's digits before training moves its weights, each
checkpoint gets the rule re-chosen for its weights, and the run's :class:`TrainedRun` brings
the trained weights' own rule to the GUI thread, which adopts the model with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, SignalInstance

from ..core.decline import CarriedRule, DeclineCarry
from ..core.events import (
    BatchEnd,
    EpochEnd,
    Event,
    NumericalProgress,
    RunFinished,
    RunStarted,
    WeightsSnapshot,
)
from ..core.serialization import SavedModel
from ..core.training import Trainer, TrainResult
from .jobs import Job

#: ``on_epoch_end(trainer, carry)``: called on the worker thread after each epoch
EpochEndHook = Callable[[Trainer, DeclineCarry | None], None]


@dataclass(frozen=True)
class TrainedRun:
    """What the training job returns: the trainer's result, and the decline rule carried over
    to its weights (``None`` when the run does not continue a model that has one)."""

    result: TrainResult
    carried: CarriedRule | None = None


class TrainingWorker(QObject):
    #: (copy of the network, InputTransform) once the trainer is built, before training starts
    trainer_ready = Signal(object, object)
    run_started = Signal(object)  # RunStarted
    batch_finished = Signal(object)  # BatchEnd
    numerical_progress = Signal(object)  # NumericalProgress
    epoch_finished = Signal(object)  # EpochEnd
    weights_updated = Signal(object)  # WeightsSnapshot
    run_finished = Signal(object)  # RunFinished

    def __init__(self, trainer: Trainer | Callable[[], Trainer], on_epoch_end: EpochEndHook | None = None,
                 carry_from: SavedModel | None = None) -> None:
        super().__init__()
        #: a Trainer, or a function building one on the worker thread (its set-up can be slow)
        self._make_trainer = trainer if not isinstance(trainer, Trainer) else None
        self.trainer: Trainer | None = trainer if isinstance(trainer, Trainer) else None
        #: called on the worker thread after each epoch (checkpointing); must not touch Qt
        self._on_epoch_end = on_epoch_end
        #: the model this run continues, its network not yet trained (None: a new run)
        self._carry_from = carry_from
        #: its decline rule measured on the run's digits (worker thread; None: nothing to carry)
        self.carry: DeclineCarry | None = None
        # A RunFailed event needs no signal: the exception becomes the job's `failed`.
        self._signals: dict[type, SignalInstance] = {
            BatchEnd: self.batch_finished, EpochEnd: self.epoch_finished,
            WeightsSnapshot: self.weights_updated, NumericalProgress: self.numerical_progress,
            RunStarted: self.run_started, RunFinished: self.run_finished}

    def job(self, on_cancel: Callable[[], None]) -> Job:
        """A job (not started) that runs this training; ``on_cancel`` stops the trainer."""
        return Job(self.run, "training", on_cancel=on_cancel)

    def run(self, _progress=None, _should_cancel=None) -> TrainedRun:
        """Build the trainer if needed and train (worker thread). Stopping goes through the
        trainer's RunControl, which the job's ``on_cancel`` reaches."""
        if self.trainer is None:
            self.trainer = self._make_trainer()
        trainer = self.trainer
        self.trainer_ready.emit(trainer.network.copy(), trainer.transform)
        if self._carry_from is not None:  # a forward pass over the run's digits, before training
            self.carry = DeclineCarry.measure(self._carry_from, trainer.data)
        result = trainer.run(self._dispatch)
        carried = None
        if self.carry is not None:
            carried = self.carry.choose(SavedModel(result.network, result.transform,
                                                   calibration=result.calibration))
        return TrainedRun(result, carried)

    def _dispatch(self, event: Event) -> None:
        if isinstance(event, EpochEnd) and self._on_epoch_end is not None:
            self._on_epoch_end(self.trainer, self.carry)
        signal = self._signals.get(type(event))
        if signal is not None:
            signal.emit(event)
