"""The trainer on tiny synthetic digits: learning, reproducibility, sampling, run control, events.

The data is a separable pattern: each image is faint noise with a bright horizontal bar at a row
that depends on its label. Every sample also carries its index in two corner pixels, so a test
can see exactly which samples a batch held.
"""

from __future__ import annotations

import threading
import time
import warnings
from dataclasses import replace

import numpy as np
import pytest

from digitlab.core.augment import AugmentConfig
from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.data import MnistData
from digitlab.core.errors import ConfigError, DataError
from digitlab.core.evaluation import evaluate
from digitlab.core.events import (
    BatchEnd,
    EpochEnd,
    EpochMetrics,
    NumericalProgress,
    RunFailed,
    RunFinished,
    RunStarted,
    WeightsSnapshot,
)
from digitlab.core.run_control import RunControl
from digitlab.core.splits import Split, TrainingData
from digitlab.core.training import Trainer

N_TRAIN, N_TEST = 200, 60
SMALL_NET = ({"type": "dense", "units": 16, "init": "he", "init_scale": 0.01}, {"type": "relu"},
             {"type": "dense", "units": 10, "init": "xavier", "init_scale": 0.01}, {"type": "softmax"})


def _digits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 10).astype(np.uint8)
    rng.shuffle(labels)
    images = rng.integers(0, 30, (n, 28, 28), dtype=np.uint8)
    rows = 4 + 2 * labels.astype(np.int64)
    images[np.arange(n), rows, 4:24] = 255
    images[:, 0, 0] = np.arange(n) // 256  # the sample's index, for tests that track batches
    images[:, 0, 1] = np.arange(n) % 256
    return images, labels


def _mnist() -> MnistData:
    train_images, train_labels = _digits(N_TRAIN, 0)
    test_images, test_labels = _digits(N_TEST, 1)
    return MnistData(train_images, train_labels, test_images, test_labels, "synthetic bars")


MNIST = _mnist()
DATA = TrainingData.from_mnist(MNIST)


def _ids(images: np.ndarray) -> np.ndarray:
    return images[:, 0, 0].astype(np.int64) * 256 + images[:, 0, 1]


def _config(layers=SMALL_NET, input_shape=(784,), augment=None, loss="softmax_cross_entropy",
            **changes) -> TrainConfig:
    settings = dict(optimizer="adam", lr=0.01, batch_size=20, epochs=3, evaluate_test=False,
                    report_every=5)
    settings.update(changes)
    config = TrainConfig(NetworkSpec(layers, input_shape, loss), augment=augment or AugmentConfig())
    return config.with_settings(**settings)


def _run(config: TrainConfig, data: TrainingData = DATA, **kwargs):
    events: list = []
    trainer = Trainer(config, data, **kwargs)
    result = trainer.run(events.append)
    return result, events, trainer


def _spy_batches(trainer: Trainer) -> list[np.ndarray]:
    """Record the sample indices of every batch the trainer turns into inputs."""
    seen: list[np.ndarray] = []
    original = trainer.make_inputs

    def recording(images, augment=False, labels=None):
        seen.append(_ids(images))
        return original(images, augment, labels)

    trainer.make_inputs = recording  # type: ignore[method-assign]
    return seen


def _without_timing(history: list[EpochMetrics]) -> list[EpochMetrics]:
    return [replace(m, seconds=0.0, samples_per_second=0.0) for m in history]


def test_loss_falls_and_the_pattern_is_learned():
    """A tiny run lowers the training loss epoch by epoch and classifies the test bars."""
    result, _, _ = _run(_config(epochs=4, evaluate_test=True))
    losses = [m.train_loss for m in result.history]
    assert losses[-1] < 0.5 * losses[0]
    assert result.reason == "completed" and result.iterations == 4 * 10
    assert result.history[-1].test_accuracy >= 0.9


def test_same_seed_is_bit_identical_and_other_seed_differs():
    """The same seed gives bit-identical weights and history; another seed gives other weights."""
    config = _config(val_split=0.0, augment=AugmentConfig(10, 0.1, 0.1), l2=1e-4)
    first, _, _ = _run(config)
    second, _, _ = _run(config)
    np.testing.assert_array_equal(first.network.flat_parameters(), second.network.flat_parameters())
    assert _without_timing(first.history) == _without_timing(second.history)
    other, _, _ = _run(config.with_settings(seed=1))
    assert not np.array_equal(first.network.flat_parameters(), other.network.flat_parameters())


def test_shuffle_visits_every_sample_once_per_epoch():
    """With shuffling each epoch is a permutation of all samples, in a new order each epoch."""
    trainer = Trainer(_config(batch_size=30, epochs=3), DATA)
    batches = _spy_batches(trainer)
    result = trainer.run()
    per_epoch = 7  # ceil(200 / 30): the last batch is the 20 left over
    assert len(batches) == 3 * per_epoch == result.iterations
    epochs = [np.concatenate(batches[i * per_epoch:(i + 1) * per_epoch]) for i in range(3)]
    for order in epochs:
        assert np.array_equal(np.sort(order), np.arange(N_TRAIN))
    assert not np.array_equal(epochs[0], epochs[1])
    assert [len(b) for b in batches[:per_epoch]] == [30] * 6 + [20]


def test_sampling_with_replacement():
    """Replacement sampling draws n // batch full batches per epoch, at random, with repeats."""
    trainer = Trainer(_config(sampling="replacement", epochs=2), DATA)
    batches = _spy_batches(trainer)
    result = trainer.run()
    assert result.reason == "completed" and len(batches) == 2 * (N_TRAIN // 20)
    assert all(len(b) == 20 for b in batches)
    drawn = np.concatenate(batches)
    assert drawn.min() >= 0 and drawn.max() < N_TRAIN
    assert len(np.unique(drawn)) < len(drawn)  # 400 draws from 200 samples repeat some


def test_val_split_holds_out_the_right_count_without_overlap():
    """val_split holds out round(n * split) samples, disjoint from training, fixed by the seed."""
    data = TrainingData.from_mnist(MNIST, val_split=0.15, seed=4)
    train_ids, val_ids = _ids(data.train.images), _ids(data.validation.images)
    assert len(val_ids) == 30 and len(train_ids) == N_TRAIN - 30
    assert not set(train_ids) & set(val_ids)
    assert np.array_equal(np.sort(np.concatenate([train_ids, val_ids])), np.arange(N_TRAIN))
    np.testing.assert_array_equal(data.validation.labels, MNIST.train_labels[val_ids])
    again = TrainingData.from_mnist(MNIST, val_split=0.15, seed=4)
    np.testing.assert_array_equal(_ids(again.validation.images), val_ids)
    other = TrainingData.from_mnist(MNIST, val_split=0.15, seed=5)
    assert set(_ids(other.validation.images)) != set(val_ids)
    limited = TrainingData.from_mnist(MNIST, val_split=0.5, train_limit=40)
    assert len(limited.train) == len(limited.validation) == 20
    result, events, _ = _run(_config(epochs=1), data)
    assert events[0].val_size == 30 and result.history[0].val_accuracy is not None


def test_val_split_that_leaves_nothing_is_refused():
    """A split leaving no validation (or no training) sample raises ConfigError."""
    with pytest.raises(ConfigError, match="0.001"):
        TrainingData.from_mnist(MNIST, val_split=0.001)


def test_stop_from_another_thread_leaves_a_consistent_network():
    """request_stop from a timer thread ends the run as "interrupted" between two whole updates:
    the weights equal those of an uninterrupted run of the same number of iterations."""
    control = RunControl()
    config = _config(epochs=100_000, optimizer="momentum", lr=0.05)
    timer = threading.Timer(0.2, control.request_stop)
    timer.start()
    try:
        result, events, _ = _run(config, control=control)
    finally:
        timer.cancel()
    assert result.reason == "interrupted" and result.message == "stopped on request"
    assert isinstance(events[-1], RunFinished) and events[-1].reason == "interrupted"
    assert 0 < result.iterations < 10 * 100_000
    weights = result.network.flat_parameters()
    assert np.isfinite(weights).all()
    assert evaluate(result.network, result.transform, MNIST.test_images, MNIST.test_labels).accuracy > 0.5
    replay, _, _ = _run(config.with_settings(max_iterations=result.iterations))
    np.testing.assert_array_equal(replay.network.flat_parameters(), weights)


def test_stop_requested_before_start_makes_no_update():
    """A stop requested before the run starts returns at once with the initial weights."""
    control = RunControl()
    control.request_stop()
    trainer = Trainer(_config(), DATA, control=control)
    before = trainer.network.flat_parameters().copy()
    result = trainer.run()
    assert result.reason == "interrupted" and result.iterations == 0 and result.history == []
    np.testing.assert_array_equal(result.network.flat_parameters(), before)


def test_pause_blocks_progress_until_resume():
    """After pause() no batch runs until resume(); then the run carries on and completes."""
    control = RunControl()
    events: list = []
    paused_at = threading.Event()

    def on_event(event):
        events.append(event)
        if isinstance(event, BatchEnd) and event.iteration == 3:
            control.pause()
            paused_at.set()

    trainer = Trainer(_config(epochs=2, report_every=1), DATA, control=control)
    results: list = []
    worker = threading.Thread(target=lambda: results.append(trainer.run(on_event)))
    worker.start()
    try:
        assert paused_at.wait(5)
        assert control.paused
        time.sleep(0.05)
        count = len(events)
        time.sleep(0.25)
        assert len(events) == count and worker.is_alive()
        assert [e.iteration for e in events if isinstance(e, BatchEnd)][-1] == 3
    finally:
        control.resume()
        worker.join(10)
    assert not worker.is_alive() and results[0].reason == "completed"
    assert [e.iteration for e in events if isinstance(e, BatchEnd)] == list(range(1, 21))


def test_stop_wakes_a_paused_run():
    """A stop request ends a paused run instead of leaving it blocked."""
    control = RunControl()
    control.pause()
    trainer = Trainer(_config(), DATA, control=control)
    results: list = []
    worker = threading.Thread(target=lambda: results.append(trainer.run()))
    worker.start()
    time.sleep(0.1)
    assert worker.is_alive()
    control.request_stop()
    worker.join(5)
    assert not worker.is_alive() and results[0].reason == "interrupted" and results[0].iterations == 0


def test_set_learning_rate_takes_effect_from_the_next_batch():
    """A new learning rate set mid-run is used from the next batch on and recorded in the history."""
    control = RunControl()

    def on_event(event):
        if isinstance(event, BatchEnd) and event.iteration == 4:
            control.set_learning_rate(0.002)

    trainer = Trainer(_config(epochs=1, report_every=1), DATA, control=control)
    events: list = []
    trainer.run(lambda e: (events.append(e), on_event(e)))
    rates = [e.lr for e in events if isinstance(e, BatchEnd)]
    assert rates == [0.01] * 4 + [0.002] * 6
    assert trainer.optimizer.lr == 0.002 and trainer.history[-1].lr == 0.002
    with pytest.raises(ConfigError, match="-1"):
        control.set_learning_rate(-1)


def test_divergence_stops_with_reason_and_restores_finite_weights():
    """A huge learning rate makes the loss non-finite: the run ends "diverged", says why, without
    NumPy overflow warnings, and the network holds the last good (finite) weights."""
    layers = ({"type": "dense", "units": 10, "init": "he", "init_scale": 0.01}, {"type": "identity"})
    config = _config(layers=layers, loss="mse", optimizer="sgd", lr=1e6, epochs=50)
    trainer = Trainer(config, DATA)
    initial = trainer.network.flat_parameters().copy()
    events: list = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the core reports divergence; it does not spill warnings
        result = trainer.run(events.append)
    assert result.reason == "diverged"
    assert "loss became" in result.message and "smaller learning rate" in result.message
    assert isinstance(events[-1], RunFinished) and events[-1].reason == "diverged"
    weights = result.network.flat_parameters()
    assert np.isfinite(weights).all()
    assert result.iterations <= 10  # diverged before a later good copy was taken: back to the start
    np.testing.assert_array_equal(weights, initial)
    evaluate(result.network, result.transform, MNIST.test_images, MNIST.test_labels)


def test_loss_threshold_ends_the_run():
    """Once an epoch's training loss is under loss_threshold the run ends with "threshold"."""
    result, events, _ = _run(_config(epochs=50, loss_threshold=1.5))
    assert result.reason == "threshold" and "1.5" in result.message
    assert result.history[-1].train_loss < 1.5
    assert all(m.train_loss >= 1.5 for m in result.history[:-1])
    assert len(result.history) < 50


def test_max_iterations_caps_the_run():
    """max_iterations stops the run after that many updates, mid-epoch if need be."""
    result, events, _ = _run(_config(epochs=5, max_iterations=13))
    assert result.iterations == 13 and result.reason == "completed"
    assert "13 iterations" in result.message
    assert [m.epoch for m in result.history] == [1, 2]
    assert events[0].total_iterations == 13


def test_events_arrive_in_a_sensible_order():
    """RunStarted first and RunFinished last; one EpochEnd per epoch, each followed by a snapshot;
    BatchEnd every report_every iterations and at each epoch's last batch."""
    result, events, _ = _run(_config(epochs=3, batch_size=30, report_every=3, snapshot_every=5))
    assert isinstance(events[0], RunStarted) and isinstance(events[-1], RunFinished)
    assert sum(isinstance(e, (RunStarted, RunFinished)) for e in events) == 2
    started = events[0]
    assert (started.train_size, started.batches_per_epoch, started.total_iterations, started.first_epoch) == (
        N_TRAIN, 7, 21, 1)
    epoch_ends = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.metrics.epoch for e in epoch_ends] == [1, 2, 3]
    for index, event in enumerate(events):
        if isinstance(event, EpochEnd):
            assert isinstance(events[index + 1], WeightsSnapshot)
    batch_iterations = [e.iteration for e in events if isinstance(e, BatchEnd)]
    expected = sorted({i for i in range(1, 22) if i % 3 == 0} | {7, 14, 21})
    assert batch_iterations == expected
    snapshots = [e.iteration for e in events if isinstance(e, WeightsSnapshot)]
    assert sorted(set(snapshots)) == sorted({5, 10, 15, 20} | {7, 14, 21})
    assert not any(isinstance(e, RunFailed) for e in events)
    assert events[-1].epochs_completed == 3 and events[-1].iterations == 21


def test_snapshots_are_copies():
    """Weight snapshots hold copies: later training does not change an earlier snapshot."""
    _, events, trainer = _run(_config(epochs=2))
    first = next(e for e in events if isinstance(e, WeightsSnapshot))
    assert set(first.weights) == set(trainer.network.named_parameters())
    assert not any(np.shares_memory(v, trainer.network.flat_parameters()) for v in first.weights.values())
    assert not np.array_equal(first.weights["layers.0.W"], trainer.network.named_parameters()["layers.0.W"])
    assert all(np.isfinite(n) for n in first.gradient_norms.values())


def test_listener_exception_is_reported_as_run_failed():
    """An exception during the run is reported as RunFailed and then re-raised."""
    events: list = []

    def on_event(event):
        events.append(event)
        if isinstance(event, BatchEnd):
            raise RuntimeError("listener broke")

    with pytest.raises(RuntimeError, match="listener broke"):
        Trainer(_config(), DATA).run(on_event)
    assert isinstance(events[-1], RunFailed) and "listener broke" in events[-1].message


def test_numerical_gradients_train_like_backprop():
    """Training with numerical gradients (float64) follows backprop's float64 run almost exactly,
    and reports its progress and a time estimate."""
    layers = ({"type": "dense", "units": 2, "init": "he", "init_scale": 0.01}, {"type": "tanh"},
              {"type": "dense", "units": 10, "init": "xavier", "init_scale": 0.01}, {"type": "softmax"})
    config = _config(layers=layers, optimizer="sgd", lr=0.5, batch_size=2, max_iterations=2,
                     sampling="replacement")
    numerical, events, _ = _run(config.with_settings(gradients="numerical"))
    backprop, _, _ = _run(config.with_settings(dtype="float64"))
    assert numerical.network.dtype == np.float64 and numerical.iterations == 2
    start = Trainer(config.with_settings(dtype="float64"), DATA).network.flat_parameters()
    moved = np.linalg.norm(backprop.network.flat_parameters() - start)
    assert moved > 1e-3
    difference = np.linalg.norm(numerical.network.flat_parameters() - backprop.network.flat_parameters())
    assert difference < 1e-6 * moved
    assert events[0].seconds_per_iteration_estimate > 0
    progress = [e for e in events if isinstance(e, NumericalProgress)]
    assert progress[-1].done == progress[-1].total == numerical.network.parameter_count


def test_numerical_mode_can_be_stopped_mid_gradient():
    """A stop during a numerical gradient abandons that iteration and leaves weights untouched."""
    layers = ({"type": "dense", "units": 10, "init": "he", "init_scale": 0.01}, {"type": "softmax"})
    control = RunControl()

    def on_event(event):
        if isinstance(event, NumericalProgress):
            control.request_stop()

    trainer = Trainer(_config(layers=layers, gradients="numerical", batch_size=2), DATA, control=control)
    before = trainer.network.flat_parameters().copy()
    result = trainer.run(on_event)
    assert result.reason == "interrupted" and result.iterations == 0
    np.testing.assert_array_equal(result.network.flat_parameters(), before)


def test_continuing_numbers_epochs_after_the_old_history():
    """Starting from a network and its history continues training and numbers epochs after it."""
    config = _config(epochs=2)
    first, _, _ = _run(config)
    second, events, trainer = _run(config.with_settings(seed=9), network=first.network,
                                   transform=first.transform, history=first.history)
    assert trainer.network is first.network  # fine-tuned in place, not re-initialised
    assert events[0].first_epoch == 3
    assert [m.epoch for m in second.history] == [1, 2, 3, 4]
    assert [e.metrics.epoch for e in events if isinstance(e, EpochEnd)] == [3, 4]
    assert second.history[2].train_loss < first.history[0].train_loss


def test_continuing_refuses_a_network_of_another_input_shape():
    """A starting network whose input shape differs from the configuration is a ConfigError."""
    with pytest.raises(ConfigError, match="flatten"):
        _config(layers=({"type": "dense", "units": 10},), input_shape=(1, 28, 28))
    net = _config(layers=({"type": "flatten"}, {"type": "dense", "units": 10}),
                  input_shape=(1, 28, 28)).build_network()
    with pytest.raises(ConfigError, match="input"):
        Trainer(_config(), DATA, network=net)


def test_empty_training_data_is_refused():
    """A trainer with no training samples raises DataError."""
    empty = TrainingData(Split(MNIST.train_images[:0], MNIST.train_labels[:0]))
    with pytest.raises(DataError):
        Trainer(_config(), empty)


def test_normalize_fits_mean_and_std_of_training_pixels():
    """normalize=True standardises with the scaled training pixels' mean and std."""
    trainer = Trainer(_config(normalize=True), DATA)
    pixels = DATA.train.images.astype(np.float64) / 255
    assert trainer.transform.mean == pytest.approx(pixels.mean(), rel=1e-9)
    assert trainer.transform.std == pytest.approx(pixels.std(), rel=1e-9)
    x = trainer.make_inputs(DATA.train.images)
    assert x.dtype == np.float32 and x.shape == (N_TRAIN, 784)
    assert abs(float(x.mean())) < 1e-4 and float(x.std()) == pytest.approx(1.0, rel=1e-4)
    assert Trainer(_config(), DATA).transform.mean == 0.0


def test_augmentation_runs_and_changes_the_inputs():
    """With augmentation on, training batches are transformed images; the run still learns."""
    config = _config(augment=AugmentConfig(rotation_deg=15, shift_frac=0.1, zoom_frac=0.1), epochs=4)
    trainer = Trainer(config, DATA)
    images = DATA.train.images[:20]
    augmented = trainer.make_inputs(images, augment=True)
    plain = trainer.make_inputs(images, augment=False)
    assert augmented.shape == plain.shape and not np.allclose(augmented, plain)
    result = trainer.run()
    assert result.reason == "completed"
    assert np.isfinite(result.network.flat_parameters()).all()
    assert result.history[-1].train_loss < result.history[0].train_loss


# -- exact resume -------------------------------------------------------------------------------
RESUME_NET = ({"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dropout", "rate": 0.3},
              {"type": "dense", "units": 10}, {"type": "softmax"})


def _resume_config(optimizer: str, epochs: int) -> TrainConfig:
    lr = {"momentum": 0.05, "adam": 0.01}[optimizer]
    return _config(layers=RESUME_NET, optimizer=optimizer, lr=lr, epochs=epochs, normalize=True,
                   augment=AugmentConfig(rotation_deg=10, shift_frac=0.1))


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_continuing_after_an_epoch_equals_the_uninterrupted_run(optimizer):
    """Train 2 epochs; or train 1, then continue 1 from the first run's resume state: the weights
    are identical bit for bit (optimiser slots, batch order, augmentation and dropout all
    carried on), and the history numbers the epochs 1, 2."""
    straight, _, _ = _run(_resume_config(optimizer, 2))
    first, _, _ = _run(_resume_config(optimizer, 1))
    assert first.resume is not None and not first.resume.unfinished
    second, _, _ = _run(_resume_config(optimizer, 1), network=first.network,
                        transform=first.transform, history=first.history, resume=first.resume)
    np.testing.assert_array_equal(second.network.flat_parameters(), straight.network.flat_parameters())
    assert [m.epoch for m in second.history] == [1, 2]
    # Without the resume state the continuation is a different run (so the check can fail).
    fresh_first, _, _ = _run(_resume_config(optimizer, 1))
    other, _, _ = _run(_resume_config(optimizer, 1), network=fresh_first.network,
                       transform=fresh_first.transform, history=fresh_first.history)
    assert not np.array_equal(other.network.flat_parameters(), straight.network.flat_parameters())


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_a_run_stopped_inside_an_epoch_continues_exactly(optimizer):
    """Stop in the middle of epoch 2 of 3, continue: the same weights as the run that never
    stopped, and epoch 2 appears once in the history, with the whole epoch's metrics."""
    straight, _, _ = _run(_resume_config(optimizer, 3))
    control = RunControl()

    def stop_mid_epoch(event):
        if isinstance(event, BatchEnd) and event.epoch == 2 and event.batch >= 2:
            control.request_stop()

    stopped = Trainer(_resume_config(optimizer, 3), DATA, control=control).run(stop_mid_epoch)
    assert stopped.reason == "interrupted" and stopped.resume.unfinished
    assert 0 < stopped.resume.batch < Trainer(_resume_config(optimizer, 3), DATA).batches_per_epoch
    resumed, _, _ = _run(_resume_config(optimizer, 3), network=stopped.network,
                         transform=stopped.transform, history=stopped.history, resume=stopped.resume)
    np.testing.assert_array_equal(resumed.network.flat_parameters(), straight.network.flat_parameters())
    assert [m.epoch for m in resumed.history] == [1, 2, 3]
    assert resumed.history[1].train_loss == pytest.approx(straight.history[1].train_loss, rel=1e-6)


def test_resume_state_survives_a_model_file(tmp_path):
    """Save after 1 epoch, reload, continue: identical to 2 epochs without a file in between."""
    from digitlab.core.serialization import SavedModel, load_model, save_model

    config = _resume_config("adam", 1)
    straight, _, _ = _run(_resume_config("adam", 2))
    first, _, _ = _run(config)
    path = save_model(tmp_path / "half.npz", SavedModel(first.network, first.transform, config,
                                                        first.history, resume=first.resume))
    loaded = load_model(path)
    assert loaded.resume is not None and loaded.config == config
    second, _, _ = _run(loaded.config, network=loaded.network, transform=loaded.transform,
                        history=loaded.history, resume=loaded.resume)
    np.testing.assert_array_equal(second.network.flat_parameters(), straight.network.flat_parameters())


def test_snapshots_arrive_during_an_epoch_by_time():
    """With snapshot_seconds set, weight snapshots come between epoch ends, not only at them."""
    config = _config(epochs=1, batch_size=1, snapshot_seconds=1e-9)
    _, events, _ = _run(config)
    snapshots = [e for e in events if isinstance(e, WeightsSnapshot)]
    epoch_end_iteration = [e for e in events if isinstance(e, BatchEnd)][-1].iteration
    assert any(s.iteration < epoch_end_iteration for s in snapshots)


def test_divergence_on_the_last_update_is_reported_and_undone():
    """If the very last update makes the weights non-finite, the run says diverged and keeps
    finite weights (nothing that cannot be saved or read back)."""
    config = _config(epochs=1, batch_size=N_TRAIN)  # one update in all
    trainer = Trainer(config, DATA)
    original_update = trainer.optimizer.update

    def poisoned(params, grads):
        original_update(params, grads)
        params["all"][0] = np.nan

    trainer.optimizer.update = poisoned  # type: ignore[method-assign]
    result = trainer.run()
    assert result.reason == "diverged" and result.resume is None
    assert np.isfinite(result.network.flat_parameters()).all()


def test_a_run_with_a_validation_split_ends_calibrated():
    """The temperature is fitted on the validation split at the end; without one, none."""
    config = _config(val_split=0.5, epochs=2)
    result, _, _ = _run(config, TrainingData.for_config(MNIST, config))
    assert result.calibration is not None and result.calibration.samples == 100
    assert result.calibration.ece_after <= result.calibration.ece_before
    assert "validation" in result.calibration.fitted_on
    assert _run(_config(epochs=1))[0].calibration is None


@pytest.mark.slow
def test_outlier_exposure_is_reproducible_and_makes_non_digits_unsure():
    """With non-digits in every batch the run is still bit-identical for a seed, accuracy counts
    the real images only, and generated non-digits end up far less sure than real digits."""
    from digitlab.core.negatives import negative_images
    from digitlab.core.predict import model_probabilities
    from digitlab.core.serialization import SavedModel

    config = _config(val_split=0.0, epochs=4, augment=AugmentConfig(negatives_frac=0.5))
    first, _, trainer = _run(config)
    second, _, _ = _run(config)
    np.testing.assert_array_equal(first.network.flat_parameters(),
                                  second.network.flat_parameters())
    assert trainer.negatives is not None and len(trainer.negatives.images) > 0
    assert 0.0 <= first.history[-1].train_accuracy <= 1.0
    model = SavedModel(first.network, first.transform)
    real = model_probabilities(model, first.transform.apply(MNIST.test_images, (784,),
                                                            first.network.dtype)).max(axis=1)
    fake_unit = negative_images(20, np.random.default_rng(9))
    fake = model_probabilities(model, first.transform.apply_unit(fake_unit, (784,),
                                                                 first.network.dtype)).max(axis=1)
    assert np.median(fake) < np.median(real) - 0.2
