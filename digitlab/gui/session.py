"""The session: the one owner of the current model, its configuration and the training run.

Panels never hold the live network. While a run is in progress the trainer (on the worker
thread) owns it; the session keeps a separate copy on the GUI thread for predictions, refreshed
from the weight snapshot at each epoch end, and adopts the trained network when the run ends.
Panels observe the session's signals and call its methods; they never talk to each other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..core.config import NetworkSpec, TrainConfig
from ..core.data import MnistData, load_mnist
from ..core.datasets import MNIST_NAME, load_choice, split_choice
from ..core.decline import DeclineCarry
from ..core.errors import ConfigError, DataError, ModelFileError
from ..core.events import (
    COMPLETED,
    DIVERGED,
    EARLY,
    INTERRUPTED,
    THRESHOLD,
    EpochEnd,
    EpochMetrics,
    RunFinished,
    WeightsSnapshot,
)
from ..core.inputs import InputTransform
from ..core.model_fit import check_fits_mnist
from ..core.network import Network
from ..core.presets import get_preset, matching_preset
from ..core.resume import ResumeState, continuation
from ..core.run_control import RunControl
from ..core.run_recorder import RunRecorder
from ..core.serialization import SavedModel, load_model, save_model
from ..core.splits import TrainingData
from ..core.training import Trainer
from ..paths import datasets_dir, run_store_path
from .jobs import Job
from .run_trace import BatchLosses, GradientTrace
from .worker import TrainedRun, TrainingWorker

log = logging.getLogger(__name__)

IDLE, RUNNING, PAUSED, STOPPING = "idle", "running", "paused", "stopping"


class _DataPreparer:
    """The run's :class:`TrainingData`: ready (MNIST), or put together on the worker thread
    from ``load()``; :attr:`described` is then its record (name + SHA-256) once made."""

    def __init__(self, ready: TrainingData | None, load: Callable[[], MnistData] | None = None,
                 config: TrainConfig | None = None) -> None:
        self.ready, self.load, self.config = ready, load, config
        self.described: dict[str, Any] | None = None

    @property
    def deferred(self) -> bool:
        return self.ready is None

    def __call__(self) -> TrainingData:
        if self.ready is not None:
            return self.ready
        data = self.load()
        self.described = data.describe()
        return TrainingData.for_config(data, self.config)


class Session(QObject):
    # -- the model -------------------------------------------------------------------------
    model_changed = Signal()  # a new model was created, loaded or trained: see current_model()
    config_changed = Signal(object)  # TrainConfig
    history_changed = Signal()  # history replaced as a whole (load, new): redraw from .history
    dirty_changed = Signal(bool)  # trained weights not yet saved
    path_changed = Signal(object)  # Path | None of the model file
    data_changed = Signal()  # .data (MnistData | None) and .data_dir changed
    # -- the run (forwarded from the worker, on the GUI thread) -----------------------------
    state_changed = Signal(str)  # idle | running | paused | stopping
    run_started = Signal(object)  # RunStarted
    batch_finished = Signal(object)  # BatchEnd
    numerical_progress = Signal(object)  # NumericalProgress
    epoch_finished = Signal(object)  # EpochEnd
    weights_updated = Signal(object)  # WeightsSnapshot
    run_finished = Signal(object)  # RunFinished
    run_failed = Signal(str)
    message = Signal(str)  # one-line status for the status bar

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: the next run's configuration (what the Network panel shows)
        self.config: TrainConfig = get_preset("mlp")
        #: the current model record: what is predicted with, saved and continued
        self.model: SavedModel | None = None
        self.data: MnistData | None = None
        self.data_dir: Path | None = None
        self.path: Path | None = None
        self.dirty = False
        self.state = IDLE
        self.checkpoint_path: Path | None = None
        self._control: RunControl | None = None
        self._job: Job | None = None
        self._worker: TrainingWorker | None = None
        self._run_record: dict[str, Any] = {}
        self._prepare: _DataPreparer | None = None
        #: what the next run trains on: "mnist", a stored data set's name, or "mnist+NAME"
        self.train_on: str = MNIST_NAME
        #: the run history; its warning (unwritable store) goes to the status bar once
        self.run_history = RunRecorder(run_store_path(), "gui", on_warning=lambda text: self.message.emit(
            self.tr("Run history not written: {0}").format(text)))
        #: the history id of the run that produced the current model (None: not from a run)
        self.model_run_id: int | None = None
        self.batch_finished.connect(self.run_history)
        #: the current run's batch losses as the Curves tab draws them (cleared with the history)
        self.batch_losses = BatchLosses()
        self.batch_finished.connect(self.batch_losses.add)
        self.history_changed.connect(self.batch_losses.clear)
        #: the current run's gradients and gradient norms as the Weights tab shows them
        self.gradient_trace = GradientTrace()
        self.run_started.connect(self.gradient_trace.clear)
        self.weights_updated.connect(self.gradient_trace.add)
        self.model_changed.connect(lambda: None if self.is_running else self.gradient_trace.clear())

    @property
    def history(self) -> list[EpochMetrics]:
        """The current model's per-epoch metrics (its record is their one home)."""
        return self.model.history if self.model is not None else []

    # -- configuration and models ------------------------------------------------------------
    def set_config(self, config: TrainConfig) -> None:
        """Set the next run's configuration (the current model's record is not touched)."""
        self.config = config
        self.config_changed.emit(config)

    def can_continue(self) -> bool:
        """Whether Start can continue the current model: it exists and the next run's network
        is its network (another architecture means new weights)."""
        return self.model is not None and NetworkSpec.from_dict(
            self.model.network.get_config()) == self.config.network

    def next_run_differs(self) -> bool:
        """Whether the next run's configuration differs from the one that trained the model."""
        return self.model is not None and self.model.config != self.config

    def new_model(self, config: TrainConfig | None = None) -> None:
        """Fresh random weights for ``config`` (default: the current one); history cleared."""
        if config is not None:
            self.set_config(config)
        self._adopt(SavedModel(self.config.build_network(), InputTransform()), path=None, dirty=False)

    def load_model(self, path: str | Path) -> None:
        """Open a model file. Raises ModelFileError with a one-line reason.

        The panel then shows the configuration that trained the model (or, for a file that
        does not say, the current settings with the model's network), as the next run's start.
        """
        saved = load_model(path)
        check_fits_mnist(saved.network, str(path))  # a valid file for other data: one line
        if saved.config is not None:
            config = saved.config
        else:
            try:
                config = self.config.replace(network=NetworkSpec.from_dict(saved.network.get_config()))
            except ConfigError as exc:
                raise ModelFileError(f"{path}: its network cannot be trained here: {exc}") from None
        self.set_config(config)
        self._adopt(saved, path=Path(path), dirty=False)

    def save_model(self, path: str | Path) -> Path:
        """Save the current model record atomically. Raises ModelFileError (the old file survives)."""
        if self.model is None:
            raise ModelFileError("there is no model to save yet")
        written = save_model(path, self.model)
        self.path = written
        self.path_changed.emit(written)
        self._set_dirty(False)
        if self.model_run_id is not None:
            self.run_history.set_model_path(self.model_run_id, written)
        self.message.emit(self.tr("Saved {0}").format(written))
        return written

    def current_model(self) -> SavedModel | None:
        """The GUI thread's model for predictions (refreshed during training)."""
        return self.model

    def _adopt(self, model: SavedModel, path: Path | None, dirty: bool) -> None:
        self.model = model
        self.model_run_id = None
        self.path = path
        self.path_changed.emit(path)
        self._set_dirty(dirty)
        self.history_changed.emit()
        self.model_changed.emit()

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)

    # -- data ------------------------------------------------------------------------------
    def load_data(self, folder: str | Path) -> MnistData:
        """Load MNIST from ``folder``. Raises DataError with what is missing and how to get it."""
        data = load_mnist(folder)
        self.data, self.data_dir = data, Path(folder)
        self.data_changed.emit()
        return data

    # -- the run ---------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        return self.state != IDLE

    def start_training(self, config: TrainConfig | None = None, continue_training: bool = False,
                       *, data: Callable[[], MnistData] | None = None,
                       keep_optimizer_state: bool = True) -> None:
        """Start a run on the worker thread.

        ``continue_training`` goes on from the current model (its weights, history and, when
        the optimiser is unchanged, its optimiser state and random generators, so a stopped run
        continues exactly); otherwise the network is built fresh from the configuration.
        The run trains on MNIST, or on what :attr:`train_on` names (a stored data set, or
        MNIST plus one), or on what ``data()`` returns (fine-tuning on "my digits"); such data
        is put together on the worker thread, since joining it with MNIST takes a while.
        ``keep_optimizer_state=False`` continues the weights only, with a fresh optimiser and
        plan (a short fine-tuning run, not the rest of the model's own run). A continued model's
        "not a digit" rule is carried over to its checkpoints and to the trained model, which is
        adopted with it (:class:`~.worker.TrainingWorker`).
        """
        if self.is_running:
            raise ConfigError("a training run is already in progress")
        if self.data is None and data is None and MNIST_NAME in split_choice(self.train_on):
            raise DataError("no MNIST data is loaded: open the Data panel to download or import it")
        if config is not None:
            self.set_config(config)
        config = self.config
        prepare = self._data_preparer(config, data)
        control = RunControl()
        continuing = continue_training and self.can_continue()
        if continue_training and not continuing:
            raise ConfigError(self.tr("the model's network differs from the one in the Network "
                                      "panel: Start trains a new network"))
        parent = None  # the model a continued run carries the decline rule over from
        if continuing:
            model = self.model
            network, transform, history = model.network.copy(), model.transform, list(model.history)
            # Measured on the worker thread before training moves `network` (TrainingWorker).
            parent = replace(model, network=network) if model.decline is not None else None
            resume = continuation(model.config, config, model.resume) if keep_optimizer_state else None
            source = str(self.path) if self.path is not None else None
            provenance = [*model.provenance, {"kind": "fine-tuned", "from": source} if source
                          else {"kind": "continued"}]

            def make_trainer() -> Trainer:
                return Trainer(config, prepare(), network, transform, history, control, resume)
        else:
            config.build_network()  # a bad layer stack raises ConfigError here, in the caller
            provenance = [{"kind": "trained"}]
            self._adopt(SavedModel(config.build_network(), InputTransform(), config), path=None,
                        dirty=False)

            def make_trainer() -> Trainer:
                return Trainer(config, prepare(), control=control)
        self._prepare = prepare
        self._run_record = {"preset": matching_preset(config), "provenance": provenance,
                            "data": None if prepare.deferred else self.data.describe()}
        if not prepare.deferred:
            self.run_history.start(config, preset=self._run_record["preset"],
                                   data=self._run_record["data"])
        # The trainer is built on the worker thread: fitting the input standardisation to 60,000
        # images takes a good fraction of a second, which the GUI thread must not spend.
        self._control = control
        worker = TrainingWorker(make_trainer, self._checkpoint if self.checkpoint_path else None,
                                carry_from=parent)
        job = worker.job(on_cancel=self.stop)
        worker.trainer_ready.connect(self._on_trainer_ready)
        worker.run_started.connect(self.run_started)
        worker.batch_finished.connect(self.batch_finished)
        worker.numerical_progress.connect(self.numerical_progress)
        worker.epoch_finished.connect(self._on_epoch_finished)
        worker.weights_updated.connect(self._on_weights)
        worker.run_finished.connect(self._on_run_finished)
        job.result_ready.connect(self._on_result)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_thread_finished)
        self._job, self._worker = job, worker
        self._set_state(RUNNING)
        job.start()

    def _data_preparer(self, config: TrainConfig,
                       data: Callable[[], MnistData] | None) -> _DataPreparer:
        """What the run trains on, as a function for the worker thread (MNIST: already split,
        so a bad validation split is still reported here, in the caller)."""
        if data is None and self.train_on == MNIST_NAME:
            return _DataPreparer(TrainingData.for_config(self.data, config))
        if data is None:
            choice, mnist, store = self.train_on, self.data, datasets_dir()

            def data() -> MnistData:
                return load_choice(choice, mnist, store)
        return _DataPreparer(None, data, config)

    def pause(self) -> None:
        if self._control is not None and self.state == RUNNING:
            self._control.pause()
            self._set_state(PAUSED)

    def resume(self) -> None:
        if self._control is not None and self.state == PAUSED:
            self._control.resume()
            self._set_state(RUNNING)

    def stop(self) -> None:
        """Ask the run to stop after the current batch; the model stays consistent."""
        if self._control is not None and self.state in (RUNNING, PAUSED):
            self._control.request_stop()
            self._set_state(STOPPING)

    def set_learning_rate(self, lr: float) -> None:
        """Change the learning rate of the run in progress from its next batch on."""
        if self._control is not None:
            self._control.set_learning_rate(lr)
            self.message.emit(self.tr("Learning rate set to {0:g}").format(lr))

    def stop_and_wait(self, timeout_ms: int = 10000) -> bool:
        """Stop a run and block until its thread has ended (closing the window)."""
        job = self._job
        self.stop()
        return True if job is None else job.wait(timeout_ms)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def _record(self, network: Network, transform: InputTransform, config: TrainConfig,
                history: list[EpochMetrics], resume: ResumeState | None = None) -> SavedModel:
        """The model record of the run in progress (what trained it, from where)."""
        return SavedModel(network, transform, config, list(history), resume=resume,
                          command=None, **self._run_record)

    def _checkpoint(self, trainer: Trainer, carry: DeclineCarry | None) -> None:
        # Worker thread, between two batches: the live network is consistent and idle.
        saved = self._record(trainer.network, trainer.transform, trainer.config, trainer.history,
                             trainer.resume_state())
        if carry is not None:  # the rule re-chosen for the weights it holds (under 1% of an epoch)
            carry.apply(saved)
        try:
            self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
            save_model(self.checkpoint_path, saved)
        except (ModelFileError, OSError) as exc:
            log.warning("checkpoint not written: %s", exc)  # a convenience; the run goes on

    def _on_trainer_ready(self, network: Network, transform: InputTransform) -> None:
        described = self._prepare.described if self._prepare is not None else None
        if self._run_record.get("data") is None and described is not None:
            # Data put together on the worker thread: now its description is known.
            self._run_record["data"] = described
            step = self._run_record["provenance"][-1]
            self._run_record["provenance"][-1] = {**step, "on": described.get("name")}
            self.run_history.start(self.config, preset=self._run_record["preset"], data=described)
        # The GUI thread's copy for predictions while the trainer owns the live network.
        self.model = self._record(network, transform, self.config, self.history)
        self.model_changed.emit()

    def _on_epoch_finished(self, event: EpochEnd) -> None:
        if self.model is not None:
            history = self.model.history
            if history and history[-1].epoch == event.metrics.epoch:
                history[-1] = event.metrics  # a resumed run finished an epoch begun before
            else:
                history.append(event.metrics)
        self.run_history(event)
        self._set_dirty(True)
        self.epoch_finished.emit(event)

    def _on_weights(self, snapshot: WeightsSnapshot) -> None:
        if self.model is not None:
            self.model.network.load_state_dict(snapshot.weights, strict=False)
        self.weights_updated.emit(snapshot)

    def _on_run_finished(self, event: RunFinished) -> None:
        reasons = {
            COMPLETED: self.tr("all epochs done"),
            INTERRUPTED: self.tr("stopped on request"),
            DIVERGED: self.tr("the loss diverged; the last good weights were kept (try a smaller "
                              "learning rate)"),
            THRESHOLD: self.tr("the training loss fell below the threshold"),
            EARLY: self.tr("early stopping: the watched metric stopped improving"),
        }
        self.message.emit(self.tr("Training ended: {0}").format(reasons.get(event.reason, event.message)))
        self.run_finished.emit(event)

    def _on_result(self, run: TrainedRun) -> None:
        result = run.result
        model = self._record(result.network, result.transform, result.config, result.history,
                             result.resume)
        model.calibration, model.result = result.calibration, result.summary()
        if run.carried is not None:  # adopted with its rule: never shown or saved without it
            run.carried.attach(model)
        self.model = model
        self.run_history.finish(result.reason, message=result.message, result=model.result)
        self.model_run_id = self.run_history.run_id
        self._set_dirty(bool(result.history) or self.dirty)
        self.model_changed.emit()

    def _on_failed(self, message: str) -> None:
        self.run_history.finish("failed", message=message)
        self.message.emit(self.tr("Training failed: {0}").format(message))
        self.run_failed.emit(message)

    def _on_thread_finished(self) -> None:
        self._job = self._worker = None
        self._control = None
        self._set_state(IDLE)
