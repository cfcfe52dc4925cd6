"""Runs a core :class:`~digitlab.core.training.Trainer` on a QThread.

The standard wiring: a plain ``QObject`` worker moved to a ``QThread``; ``started`` runs it,
its ``finished`` quits the thread. The worker turns the core's plain events into Qt signals
(delivered on the GUI thread through queued connections) and catches every exception, so a
failing run becomes a ``failed`` signal instead of a dead thread. It never touches a widget.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from ..core.events import (
    BatchEnd,
    EpochEnd,
    Event,
    NumericalProgress,
    RunFailed,
    RunFinished,
    RunStarted,
    WeightsSnapshot,
)
from ..core.training import Trainer, TrainResult


class TrainingWorker(QObject):
    #: (copy of the network, InputTransform) once the trainer is built, before training starts
    trainer_ready = Signal(object, object)
    run_started = Signal(object)  # RunStarted
    batch_finished = Signal(object)  # BatchEnd
    numerical_progress = Signal(object)  # NumericalProgress
    epoch_finished = Signal(object)  # EpochEnd
    weights_updated = Signal(object)  # WeightsSnapshot
    run_finished = Signal(object)  # RunFinished
    #: the TrainResult when the run ends normally (also after stop, divergence, threshold)
    result_ready = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, trainer: Trainer | Callable[[], Trainer], on_epoch_end=None) -> None:
        super().__init__()
        #: a Trainer, or a function building one on the worker thread (its set-up can be slow)
        self._make_trainer = trainer if not isinstance(trainer, Trainer) else None
        self.trainer: Trainer | None = trainer if isinstance(trainer, Trainer) else None
        #: called on the worker thread after each epoch (checkpointing); must not touch Qt
        self._on_epoch_end = on_epoch_end

    def _dispatch(self, event: Event) -> None:
        if isinstance(event, BatchEnd):
            self.batch_finished.emit(event)
        elif isinstance(event, EpochEnd):
            if self._on_epoch_end is not None:
                self._on_epoch_end(self.trainer)
            self.epoch_finished.emit(event)
        elif isinstance(event, WeightsSnapshot):
            self.weights_updated.emit(event)
        elif isinstance(event, NumericalProgress):
            self.numerical_progress.emit(event)
        elif isinstance(event, RunStarted):
            self.run_started.emit(event)
        elif isinstance(event, RunFinished):
            self.run_finished.emit(event)
        elif isinstance(event, RunFailed):
            pass  # reported through `failed` with the full reason below

    @Slot()
    def run(self) -> None:
        try:
            if self.trainer is None:
                self.trainer = self._make_trainer()
            self.trainer_ready.emit(self.trainer.network.copy(), self.trainer.transform)
            result: TrainResult = self.trainer.run(self._dispatch)
            self.result_ready.emit(result)
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            traceback.print_exc()
            self.failed.emit(str(exc) or type(exc).__name__)
        finally:
            self.finished.emit()
