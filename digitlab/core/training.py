"""Mini-batch training that can be observed, paused and stopped from another thread.

(``Split``/``TrainingData`` live in :mod:`.splits`, ``RunControl`` in :mod:`.run_control` and
``TrainResult`` in :mod:`.train_result`; they are imported here because a trainer is made from
them or returns them.)

The trainer never prints, sleeps or touches a GUI. It reports plain records from
:mod:`digitlab.core.events` to one ``on_event`` callable and polls a :class:`RunControl` between
batches, so a stop or pause always lands between two complete updates: a stopped run leaves a
consistent network. A run is reproducible bit for bit from its seed: initial weights, the
validation split, batch order and augmentation each draw from their own child generator.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .augment import augment_batch
from .batch_halves import BatchHalves, halves_apply
from .calibration import MIN_CALIBRATION_IMAGES, Calibration, calibrate_if_it_helps
from .config import TrainConfig
from .errors import ConfigError, DataError
from .evaluation import loss_and_accuracy
from .events import (
    COMPLETED,
    DIVERGED,
    EARLY,
    INTERRUPTED,
    THRESHOLD,
    BatchEnd,
    EpochEnd,
    EpochMetrics,
    Event,
    NumericalProgress,
    RunFailed,
    RunFinished,
    RunStarted,
    WeightsSnapshot,
)
from .gradcheck import numerical_gradient, numerical_iteration_seconds
from .inputs import InputTransform
from .layers import Dropout
from .monitor import EpochWatch
from .network import Network
from .outlier_exposure import NegativeBank, bank_size
from .resume import ResumeState, generator_state, restore_generator
from .run_control import RunControl
from .splits import TrainingData
from .train_result import TrainResult


def _ignore(_event: Event) -> None:
    pass


@dataclass
class _Position:
    """Where the run is: updates made, whole epochs done, batches done in the current epoch,
    the batch generator's state the current epoch's order was drawn from, and the current
    epoch's running sums (loss sum, correct, samples, seconds)."""

    iteration: int = 0
    epochs_done: int = 0
    batch: int = 0
    epoch_rng: dict[str, Any] | None = None
    sums: tuple[float, int, int, float] = (0.0, 0, 0, 0.0)


class Trainer:
    """Trains a network on :class:`TrainingData` according to a :class:`TrainConfig`.

    Parameters
    ----------
    network, transform : start from these (fine-tuning a saved model) instead of fresh weights
        and a transform fitted to the training data.
    history : the saved model's history; this run's epochs continue its numbering.
    control : shared with whoever wants to pause, stop or change the learning rate.
    resume : the saved model's :class:`ResumeState`: the run continues exactly where that one
        stood (optimiser slots, schedule, batch order, random generators). An unfinished run
        goes on to its planned end; a finished one is extended by ``config.run.epochs``.
    """

    def __init__(self, config: TrainConfig, data: TrainingData, network: Network | None = None,
                 transform: InputTransform | None = None, history: list[EpochMetrics] | None = None,
                 control: RunControl | None = None, resume: ResumeState | None = None) -> None:
        if len(data.train) == 0:
            raise DataError("there are no training samples")
        self.config = config
        self.data = data
        self.control = control or RunControl()
        # A fourth child for the non-digit bank leaves the first three (and old runs) unchanged.
        init_seed, batch_seed, augment_seed, negatives_seed = \
            np.random.SeedSequence(config.run.seed).spawn(4)
        self._batch_rng = np.random.default_rng(batch_seed)
        self._augment_rng = np.random.default_rng(augment_seed)
        if network is None:
            network = config.build_network(np.random.default_rng(init_seed))
        elif network.dtype != config.np_dtype:
            network = network.copy(config.np_dtype)
        if tuple(network.input_shape) != tuple(config.network.input_shape):
            raise ConfigError(f"the network takes inputs of shape {network.input_shape}, "
                              f"the configuration says {config.network.input_shape}")
        self.network = network
        if transform is None:
            transform = (InputTransform.fitted(data.train.images) if config.data.normalize
                         else InputTransform())
        self.transform = transform
        self.history: list[EpochMetrics] = list(history or [])
        self.optimizer = config.make_optimizer()
        n, batch_size = len(data.train), config.data.batch_size
        if config.data.iterations_per_epoch:
            self.batches_per_epoch = config.data.iterations_per_epoch
        elif config.data.sampling == "shuffle":
            self.batches_per_epoch = math.ceil(n / batch_size)
        else:
            self.batches_per_epoch = max(n // batch_size, 1)
        planned = self.batches_per_epoch * config.run.epochs
        planned = min(planned, config.run.max_iterations or planned)
        self.base_lr = config.optimizer.settings["lr"]
        self.position = _Position()
        if resume is not None:
            self._restore(resume)
            # An unfinished run goes on to the end of its plan (the same total when the settings
            # are unchanged, so the schedule is exactly the uninterrupted one's; a new --epochs
            # re-plans it); a finished run is extended by this configuration's epochs.
            if not resume.unfinished:
                planned += resume.iteration
        self.total_iterations = planned
        fraction = config.augment.negatives_frac
        self.negatives = (NegativeBank(negatives_seed, fraction, bank_size(
            planned * round(fraction * config.data.batch_size))) if fraction > 0 else None)
        self.schedule = config.make_schedule(self.total_iterations)
        self.watch = self._make_watch()
        if resume is not None:
            self.schedule.load_state_dict(resume.schedule_state)
            if self.watch is not None:
                if resume.best_parameters is not None and \
                        resume.best_parameters.shape != network.flat_parameters().shape:
                    raise ConfigError("the resume state's best weights do not fit the network")
                self.watch.load(resume.monitor_state, resume.best_parameters)

    def _make_watch(self) -> EpochWatch | None:
        """Early stopping and keep-best, when the configuration asks for either (or for the
        plateau schedule); refused when the data cannot give the watched metric."""
        run = self.config.run
        if not self.config.watches_metric:
            return None
        has_validation = self.data.validation is not None and len(self.data.validation) > 0
        has_test = run.evaluate_test and self.data.test is not None and len(self.data.test) > 0
        if run.monitor.startswith("val_") and not has_validation:
            raise ConfigError(f"early stopping, keep-best and the plateau schedule watch "
                              f"{run.monitor}, which needs a validation split (val_split > 0)")
        if run.monitor.startswith("test_") and not has_test:
            raise ConfigError(f"early stopping, keep-best and the plateau schedule watch "
                              f"{run.monitor}, which needs test data measured every epoch "
                              f"(evaluate_test)")
        return EpochWatch(run.monitor, run.patience, run.min_delta, run.keep_best)

    def _restore(self, resume: ResumeState) -> None:
        self.optimizer.load_state_dict(resume.optimizer_steps, resume.optimizer_slots,
                                       {"all": self.network.flat_parameters()})
        self._batch_rng = restore_generator(resume.epoch_rng)
        self._augment_rng = restore_generator(resume.augment_rng)
        for key, saved in resume.dropout_rngs.items():
            index = int(key) if key.isdigit() else -1
            layer = self.network.layers[index] if 0 <= index < len(self.network.layers) else None
            if not isinstance(layer, Dropout):
                raise ConfigError(f"the resume state names dropout layer {key}, which the network lacks")
            layer.rng = restore_generator(saved)
        self.base_lr = resume.base_lr
        self.position = _Position(resume.iteration, resume.epochs_done, resume.batch,
                                  resume.epoch_rng, resume.epoch_sums)

    def resume_state(self) -> ResumeState:
        """Everything needed to continue this run exactly from where it stands now."""
        pos = self.position
        steps, slots = self.optimizer.state_dict()
        dropouts = {str(i): generator_state(layer.rng) for i, layer in enumerate(self.network.layers)
                    if isinstance(layer, Dropout)}
        epoch_rng = pos.epoch_rng if pos.batch else generator_state(self._batch_rng)
        watch = self.watch
        return ResumeState(pos.iteration, self.total_iterations, pos.epochs_done, pos.batch,
                           self.base_lr, epoch_rng, generator_state(self._augment_rng), dropouts,
                           steps, slots, pos.sums,
                           watch.state() if watch is not None else {}, self.schedule.state_dict(),
                           None if watch is None or watch.best_parameters is None
                           else watch.best_parameters.copy())

    # -- batches ---------------------------------------------------------------------------
    def make_inputs(self, images: np.ndarray, augment: bool = False,
                    labels: np.ndarray | None = None) -> np.ndarray:
        """uint8 images (B, 28, 28) -> network inputs, augmented if asked and configured
        (``labels``, when given, let the augmentation draw flags on ones)."""
        net = self.network
        if augment and self.config.augment.enabled:
            unit = np.multiply(images, np.float32(1 / 255), dtype=np.float32)
            unit = augment_batch(unit, self.config.augment, self._augment_rng, labels=labels)
            return self.transform.apply_unit(unit, net.input_shape, net.dtype)
        return self.transform.apply(images, net.input_shape, net.dtype)

    def _prepare_unit(self, unit: np.ndarray) -> np.ndarray:
        """Unit images (K, 28, 28) -> network inputs, augmented as training images are."""
        net = self.network
        if self.config.augment.enabled:
            unit = augment_batch(unit, self.config.augment, self._augment_rng)
        return self.transform.apply_unit(unit, net.input_shape, net.dtype)

    def training_batch(self, images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Inputs and targets of one training step: augmented, with non-digits when configured
        (then the targets are probability rows, see :mod:`.outlier_exposure`)."""
        x = self.make_inputs(images, augment=True, labels=labels)
        if self.negatives is None:
            return x, labels
        classes = self.network.output_shape[-1]
        return self.negatives.extend(x, labels, classes, self._augment_rng, self._prepare_unit)

    def _batch_indices(self, order: np.ndarray | None, batch: int) -> np.ndarray:
        size = self.config.data.batch_size
        if order is None:  # sampling with replacement, as np.random.choice does
            return self._batch_rng.integers(0, len(self.data.train), size)
        return order[batch * size:(batch + 1) * size]

    def estimate_numerical_seconds(self) -> float:
        """Measured cost of one numerical-gradient iteration: two losses per parameter."""
        idx = np.arange(min(self.config.data.batch_size, len(self.data.train)))
        x = self.make_inputs(self.data.train.images[idx])
        return numerical_iteration_seconds(self.network, x, self.data.train.labels[idx],
                                           self.config.run.l2)[0]

    def _numerical_step(self, x, t, iteration, on_event) -> float | None:
        def progress(done: int, total: int) -> None:
            on_event(NumericalProgress(iteration, done, total))

        def stop() -> bool:
            self.control.wait_while_paused()
            return self.control.stop_requested

        loss = self.network.loss(x, t, self.config.run.l2)
        probabilities_output = self.network.last_output
        grads = numerical_gradient(self.network, x, t, self.config.run.l2,
                                   on_progress=progress, should_stop=stop)
        if grads is None:
            return None
        named = self.network.named_gradients()
        for name, value in grads.items():
            named[name][...] = value
        self.network.last_output = probabilities_output
        return loss

    # -- the run ---------------------------------------------------------------------------
    def run(self, on_event: Callable[[Event], None] | None = None) -> TrainResult:
        """Train until done, stopped, diverged or under the loss threshold.

        Exceptions are reported as :class:`RunFailed` and then re-raised.
        """
        emit = on_event or _ignore
        try:
            # Overflow in a diverging run is detected and reported as such, not warned about.
            with np.errstate(over="ignore", invalid="ignore"):
                return self._run(emit)
        except Exception as exc:
            emit(RunFailed(f"{type(exc).__name__}: {exc}"))
            raise

    def _finishes_an_epoch(self) -> bool:
        """A run stopped inside an epoch left that epoch's partial metrics as the last history
        entry; finishing the epoch replaces it."""
        return self.position.batch > 0 and bool(self.history)

    def _run(self, emit: Callable[[Event], None]) -> TrainResult:
        numerical = self.config.run.gradients == "numerical"
        first_epoch = self.history[-1].epoch if self._finishes_an_epoch() else len(self.history) + 1
        emit(RunStarted(len(self.data.train), len(self.data.validation or ()),
                        len(self.data.test or ()), self.batches_per_epoch, self.total_iterations,
                        first_epoch, self.network.parameter_count,
                        self.estimate_numerical_seconds() if numerical else None))
        # Each batch as two halves, one per core, where the network allows it (batch_halves).
        halves = (BatchHalves(self.network)
                  if not numerical and halves_apply(self.network, self.config.data.batch_size)
                  else None)
        try:
            return self._train(emit, halves)
        finally:
            if halves is not None:
                halves.close()

    def _train(self, emit: Callable[[Event], None], halves: BatchHalves | None) -> TrainResult:
        cfg, net, control, pos = self.config, self.network, self.control, self.position
        train = self.data.train
        params = {"all": net.flat_parameters()}
        grads = {"all": net.flat_gradients()}
        numerical = cfg.run.gradients == "numerical"
        l2 = cfg.run.l2
        replace_last = self._finishes_an_epoch()
        last_good = net.flat_parameters().copy()
        start_iteration = pos.iteration
        active_seconds = 0.0
        last_snapshot = time.perf_counter()
        epoch_seconds: list[float] = []
        reason, message = COMPLETED, "finished all epochs"
        lr = self.base_lr
        diverged = False
        while pos.iteration < self.total_iterations and reason == COMPLETED:
            epoch = self.history[-1].epoch if replace_last else len(self.history) + 1
            epoch_index = pos.epochs_done
            # The order is drawn again from the epoch's starting state when resuming inside it.
            pos.epoch_rng = generator_state(self._batch_rng)
            order = self._batch_rng.permutation(len(train)) if cfg.data.sampling == "shuffle" else None
            loss_sum, correct, seen, epoch_time = pos.sums
            for batch in range(pos.batch, self.batches_per_epoch):
                control.wait_while_paused()
                if control.stop_requested:
                    reason, message = INTERRUPTED, "stopped on request"
                    break
                new_lr = control.take_learning_rate()
                if new_lr is not None:
                    self.base_lr = new_lr
                started = time.perf_counter()
                idx = self._batch_indices(order, batch)
                t = train.labels[idx]
                x, targets = self.training_batch(train.images[idx], t)
                iteration = pos.iteration + 1
                lr = self.schedule.rate(self.base_lr, iteration, epoch_index)
                self.optimizer.lr = lr
                if numerical:
                    loss = self._numerical_step(x, targets, iteration, emit)
                    if loss is None:
                        reason, message = INTERRUPTED, "stopped on request"
                        break
                elif halves is not None:
                    loss = halves.gradient(x, targets, l2)
                else:
                    loss = net.gradient(x, targets, l2)
                if not math.isfinite(loss):
                    net.flat_parameters()[...] = last_good
                    reason, diverged = DIVERGED, True
                    message = (f"the loss became {loss} at iteration {iteration}; the weights were "
                               f"restored to the last good ones. Try a smaller learning rate.")
                    break
                self.optimizer.update(params, grads)
                step = time.perf_counter() - started
                epoch_time += step
                active_seconds += step
                # Accuracy counts the real images only (the non-digits come after them).
                batch_correct = int(np.count_nonzero(net.last_output[:t.size].argmax(axis=1) == t))
                loss_sum += loss * t.size
                correct += batch_correct
                seen += t.size
                pos.iteration, pos.batch = iteration, batch + 1
                pos.sums = (loss_sum, correct, seen, epoch_time)
                if iteration % 10 == 0 and np.isfinite(params["all"]).all():
                    last_good[...] = params["all"]
                if iteration % cfg.run.report_every == 0 or batch + 1 == self.batches_per_epoch:
                    done = iteration - start_iteration
                    per_iteration = active_seconds / done
                    emit(BatchEnd(epoch, iteration, batch + 1, self.batches_per_epoch,
                                  self.total_iterations, loss, batch_correct / t.size, lr,
                                  cfg.data.batch_size / per_iteration if per_iteration else 0.0,
                                  active_seconds, per_iteration * (self.total_iterations - iteration)))
                if self._snapshot_due(iteration, last_snapshot):
                    emit(self.snapshot(epoch, iteration))
                    last_snapshot = time.perf_counter()
                if iteration >= self.total_iterations:
                    break
            if seen:
                epoch_seconds.append(epoch_time)
                # The last step's caches and work arrays would sit under the evaluation's own.
                for network in (net, halves.twin) if halves is not None else (net,):
                    network.release_step_memory()
                metrics = self._epoch_metrics(epoch, loss_sum / seen, correct / seen, epoch_time, lr, seen)
                if replace_last:
                    self.history[-1] = metrics
                else:
                    self.history.append(metrics)
                replace_last = False
                emit(EpochEnd(self.history[-1]))
                emit(self.snapshot(epoch, pos.iteration))
                last_snapshot = time.perf_counter()
            if pos.batch == 0 and reason != COMPLETED:
                # Stopped before the epoch's first update: its order was drawn already, so the
                # generator goes back to the epoch's start for the resume state to be exact.
                self._batch_rng = restore_generator(pos.epoch_rng)
            whole_epoch = pos.batch >= self.batches_per_epoch
            if whole_epoch:
                pos.epochs_done, pos.batch, pos.sums = pos.epochs_done + 1, 0, (0.0, 0, 0, 0.0)
            if reason != COMPLETED:
                break
            if whole_epoch and seen and self._end_of_epoch_says_stop(self.history[-1], params["all"]):
                if pos.iteration < self.total_iterations:
                    reason, message = EARLY, self.watch.describe_stop()
                break
            if cfg.run.loss_threshold is not None and seen and loss_sum / seen < cfg.run.loss_threshold:
                reason = THRESHOLD
                message = f"training loss {loss_sum / seen:.4g} fell below {cfg.run.loss_threshold:g}"
                break
        if not diverged and not np.isfinite(params["all"]).all():
            # The last updates overflowed without the loss showing it yet.
            params["all"][...] = last_good
            reason, diverged = DIVERGED, True
            message = (f"the weights became NaN or infinite by iteration {pos.iteration}; they were "
                       f"restored to the last good ones. Try a smaller learning rate.")
        if reason == COMPLETED and self.total_iterations < self.batches_per_epoch * cfg.run.epochs:
            message = f"reached the limit of {self.total_iterations} iterations"
        # Resuming state is taken before keep-best changes the weights: the optimiser's slots
        # belong to the last update's weights.
        resume = None if diverged else self.resume_state()
        watch = self.watch
        # An interrupted run keeps its last weights, so that continuing it is exact.
        restored = watch is not None and reason != INTERRUPTED and watch.restore_best(params["all"])
        if restored and self.history and watch.best_epoch != self.history[-1].epoch:
            message += f"; the weights of epoch {watch.best_epoch} (best {watch.metric}) were put back"
        best_epoch = watch.best_epoch if watch is not None else None
        emit(RunFinished(reason, message, len(epoch_seconds), pos.iteration, best_epoch, restored))
        return TrainResult(net, self.transform, cfg, self.history, reason, message, pos.iteration,
                           epoch_seconds, resume, watch.metric if watch is not None else None,
                           watch.best_value if watch is not None else None, best_epoch, restored,
                           self.calibrate())

    def _end_of_epoch_says_stop(self, metrics: EpochMetrics, parameters: np.ndarray) -> bool:
        """Let the schedule and the watch hear a whole epoch; True when early stopping says stop."""
        run = self.config.run
        self.schedule.end_epoch(metrics, run.monitor, run.min_delta)
        return self.watch is not None and self.watch.end_epoch(metrics, parameters)

    def calibrate(self) -> Calibration | None:
        """Fit the temperature of the probabilities on the validation split, if there is one of
        at least MIN_CALIBRATION_IMAGES; keep it only if it lowers the calibration error."""
        validation = self.data.validation
        if validation is None or len(validation) < MIN_CALIBRATION_IMAGES:
            return None
        x = self.transform.apply(validation.images, self.network.input_shape, self.network.dtype)
        return calibrate_if_it_helps(self.network, x, validation.labels,
                                     f"validation split ({len(validation):,} images)")

    def _snapshot_due(self, iteration: int, last_snapshot: float) -> bool:
        run = self.config.run
        if run.snapshot_every:
            return iteration % run.snapshot_every == 0
        return bool(run.snapshot_seconds) and time.perf_counter() - last_snapshot >= run.snapshot_seconds

    def _epoch_metrics(self, epoch: int, train_loss: float, train_accuracy: float,
                       seconds: float, lr: float, seen: int) -> EpochMetrics:
        val_loss = val_accuracy = test_loss = test_accuracy = None
        if self.data.validation is not None and len(self.data.validation):
            val_loss, val_accuracy = loss_and_accuracy(self.network, self.transform,
                                                       self.data.validation.images,
                                                       self.data.validation.labels)
        if self.config.run.evaluate_test and self.data.test is not None and len(self.data.test):
            test_loss, test_accuracy = loss_and_accuracy(self.network, self.transform,
                                                         self.data.test.images, self.data.test.labels)
        return EpochMetrics(epoch, train_loss, train_accuracy, val_loss, val_accuracy, test_loss,
                            test_accuracy, seconds, lr, seen / seconds if seconds else 0.0)

    def snapshot(self, epoch: int, iteration: int) -> WeightsSnapshot:
        """Copies of the weights (and buffers) and last gradients, safe to hand to another thread."""
        return WeightsSnapshot(epoch, iteration, self.network.state_dict(),
                               {k: v.copy() for k, v in self.network.named_gradients().items()})
