"""The training run as a background :class:`~digitlab.gui.jobs.Job`, with typed event signals.

Training keeps a class of its own because it forwards many kinds of event, not one progress
fraction: :meth:`TrainingWorker.run` is the job's work function (it runs on the job's thread)
and turns the core's plain events into Qt signals. The worker object itself stays on the GUI
thread, so each signal reaches the session's slots through a queued connection, in the order
it was emitted. The thread's lifetime, cancellation and the result or error are the job's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, SignalInstance

from ..core.events import (
    BatchEnd,
    EpochEnd,
    Event,
    NumericalProgress,
    RunFinished,
    RunStarted,
    WeightsSnapshot,
)
from ..core.training import Trainer, TrainResult
from .jobs import Job


class TrainingWorker(QObject):
    #: (copy of the network, InputTransform) once the trainer is built, before training starts
    trainer_ready = Signal(object, object)
    run_started = Signal(object)  # RunStarted
    batch_finished = Signal(object)  # BatchEnd
    numerical_progress = Signal(object)  # NumericalProgress
    epoch_finished = Signal(object)  # EpochEnd
    weights_updated = Signal(object)  # WeightsSnapshot
    run_finished = Signal(object)  # RunFinished

    def __init__(self, trainer: Trainer | Callable[[], Trainer], on_epoch_end=None) -> None:
        super().__init__()
        #: a Trainer, or a function building one on the worker thread (its set-up can be slow)
        self._make_trainer = trainer if not isinstance(trainer, Trainer) else None
        self.trainer: Trainer | None = trainer if isinstance(trainer, Trainer) else None
        #: called on the worker thread after each epoch (checkpointing); must not touch Qt
        self._on_epoch_end = on_epoch_end
        # A RunFailed event needs no signal: the exception becomes the job's `failed`.
        self._signals: dict[type, SignalInstance] = {
            BatchEnd: self.batch_finished, EpochEnd: self.epoch_finished,
            WeightsSnapshot: self.weights_updated, NumericalProgress: self.numerical_progress,
            RunStarted: self.run_started, RunFinished: self.run_finished}

    def job(self, on_cancel: Callable[[], None]) -> Job:
        """A job (not started) that runs this training; ``on_cancel`` stops the trainer."""
        return Job(self.run, "training", on_cancel=on_cancel)

    def run(self, _progress=None, _should_cancel=None) -> TrainResult:
        """Build the trainer if needed and train (worker thread). Stopping goes through the
        trainer's RunControl, which the job's ``on_cancel`` reaches."""
        if self.trainer is None:
            self.trainer = self._make_trainer()
        self.trainer_ready.emit(self.trainer.network.copy(), self.trainer.transform)
        return self.trainer.run(self._dispatch)

    def _dispatch(self, event: Event) -> None:
        if isinstance(event, EpochEnd) and self._on_epoch_end is not None:
            self._on_epoch_end(self.trainer)
        signal = self._signals.get(type(event))
        if signal is not None:
            signal.emit(event)
