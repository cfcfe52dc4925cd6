"""Early stopping, keep-best and the plateau schedule: when they act, what they restore, and
that a run using them still continues exactly after a stop or a model file."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.data import MnistData, load_mnist
from digitlab.core.errors import ConfigError
from digitlab.core.evaluation import loss_and_accuracy
from digitlab.core.events import BatchEnd, EpochEnd, RunFinished
from digitlab.core.monitor import Plateau
from digitlab.core.run_control import RunControl
from digitlab.core.serialization import SavedModel, load_model, save_model
from digitlab.core.splits import TrainingData
from digitlab.core.training import Trainer

NET = ({"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dropout", "rate": 0.2},
       {"type": "dense", "units": 10}, {"type": "softmax"})


def _bars(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Noisy images with a bright bar at a row given by the label (learnable, but noisy)."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % 10).astype(np.uint8)
    images = rng.integers(0, 120, (n, 28, 28), dtype=np.uint8)
    images[np.arange(n), 4 + 2 * labels.astype(np.int64), 4:24] = 200
    return images, labels


def _data(val_split: float = 0.25) -> TrainingData:
    mnist = MnistData(*_bars(240, 0), *_bars(60, 1), "bars")
    return TrainingData.for_config(mnist, _config(val_split=val_split))


def _config(**changes) -> TrainConfig:
    settings = dict(optimizer="adam", lr=0.01, batch_size=20, epochs=6, val_split=0.25,
                    evaluate_test=False, normalize=True)
    settings.update(changes)
    return TrainConfig(NetworkSpec(NET)).with_settings(**settings)


def test_plateau_counts_an_improvement_only_beyond_min_delta():
    """A loss must fall by more than min_delta to be a new best; an accuracy must rise; NaN
    never improves."""
    loss = Plateau(higher_is_better=False, min_delta=0.1)
    assert loss.update(1, 1.0) and loss.best_epoch == 1
    assert not loss.update(2, 0.95) and loss.wait == 1  # better, but by less than min_delta
    assert loss.update(3, 0.8) and (loss.best, loss.best_epoch, loss.wait) == (0.8, 3, 0)
    assert not loss.update(4, float("nan")) and loss.wait == 1
    accuracy = Plateau(higher_is_better=True)
    assert accuracy.update(1, 0.5) and not accuracy.update(2, 0.4) and accuracy.update(3, 0.6)


def test_watching_a_validation_metric_without_a_validation_split_is_refused():
    """Early stopping on val_loss without a validation split is refused by the configuration
    (before any data is loaded), and by the trainer when the data has no validation set."""
    with pytest.raises(ConfigError, match="validation split"):
        _config(val_split=0.0, patience=2)
    with pytest.raises(ConfigError, match="test set"):
        _config(monitor="test_accuracy", keep_best=True, evaluate_test=False)
    with pytest.raises(ConfigError, match="validation split"):
        Trainer(_config(patience=2), _data(val_split=0.0))


def test_patience_stops_the_run_and_keep_best_restores_the_best_epoch():
    """A watched metric that never improves beyond a huge min_delta: the run stops exactly
    `patience` epochs after epoch 1 (its best), says "early", and keep-best puts epoch 1's
    weights back (the same weights as a 1-epoch run with the same seed)."""
    config = _config(monitor="train_loss", patience=2, min_delta=100.0, keep_best=True)
    events: list = []
    result = Trainer(config, _data()).run(events.append)
    assert result.reason == "early" and [m.epoch for m in result.history] == [1, 2, 3]
    assert result.best_epoch == 1 and result.restored_best
    finished = [e for e in events if isinstance(e, RunFinished)][-1]
    assert finished.reason == "early" and finished.best_epoch == 1 and finished.restored_best
    one_epoch = Trainer(_config(epochs=1), _data()).run()
    np.testing.assert_array_equal(result.network.flat_parameters(), one_epoch.network.flat_parameters())
    assert result.summary()["best_epoch"] == 1 and result.summary()["stopped"] == "early"


def test_plateau_schedule_lowers_the_rate_after_its_patience():
    """With no improvement ever, the plateau schedule multiplies the rate by its factor every
    plateau_patience epochs."""
    config = _config(schedule="plateau", plateau_factor=0.5, plateau_patience=2,
                     monitor="train_loss", min_delta=100.0, epochs=6)
    result = Trainer(config, _data()).run()
    assert [m.lr for m in result.history] == pytest.approx([0.01, 0.01, 0.01, 0.005, 0.005, 0.0025])


WATCHING = dict(schedule="plateau", plateau_factor=0.5, plateau_patience=1, monitor="val_loss",
                patience=4, keep_best=True, epochs=8, lr=0.05)


@pytest.mark.parametrize("where", ["inside epoch 3", "at the end of epoch 2"])
def test_a_watching_run_stopped_and_saved_continues_exactly(tmp_path, where):
    """Early stopping, keep-best and the plateau schedule carry their state through a stop and a
    model file: the continued run ends with the uninterrupted run's weights, rates and reason.
    (A stop at an epoch's end lands before the next epoch's first update, after its batch order
    was drawn: the resume state must still start that epoch afresh.)"""
    straight = Trainer(_config(**WATCHING, report_every=1), _data()).run()
    control = RunControl()

    def stop(event):
        if where == "inside epoch 3" and isinstance(event, BatchEnd) and event.epoch == 3 \
                and event.batch == 3:
            control.request_stop()
        if where == "at the end of epoch 2" and isinstance(event, EpochEnd) and event.metrics.epoch == 2:
            control.request_stop()

    stopped = Trainer(_config(**WATCHING, report_every=1), _data(), control=control).run(stop)
    assert stopped.reason == "interrupted" and not stopped.restored_best
    path = save_model(tmp_path / "half.npz", SavedModel(stopped.network, stopped.transform,
                                                        stopped.config, stopped.history,
                                                        resume=stopped.resume))
    loaded = load_model(path)
    assert loaded.resume.best_parameters is not None and loaded.resume.schedule_state
    resumed = Trainer(loaded.config, _data(), loaded.network, loaded.transform, loaded.history,
                      resume=loaded.resume).run()
    np.testing.assert_array_equal(resumed.network.flat_parameters(), straight.network.flat_parameters())
    assert [m.lr for m in resumed.history] == [m.lr for m in straight.history]
    assert (resumed.reason, resumed.best_epoch) == (straight.reason, straight.best_epoch)
    # The plateau schedule and keep-best did act (so the comparisons can fail).
    assert min(m.lr for m in straight.history) < 0.05
    assert straight.restored_best and straight.best_epoch < len(straight.history)


@pytest.mark.mnist
@pytest.mark.slow
def test_early_stopping_on_mnist_with_a_too_high_learning_rate(mnist_dir):
    """1,000 MNIST digits, Adam at a rate too high for them: validation loss turns up, the run
    stops within patience + 1 epochs of its best validation epoch, and the weights it returns
    are that epoch's: they measure the best epoch's validation accuracy and loss, not the last's,
    and equal a run trained for exactly that many epochs."""
    patience = 3
    settings = dict(optimizer="adam", lr=0.02, train_limit=1000, val_split=0.2, batch_size=50,
                    epochs=40, evaluate_test=False, seed=1)
    mnist = load_mnist(mnist_dir)
    config = TrainConfig(NetworkSpec(({"type": "dense", "units": 64}, {"type": "relu"},
                                      {"type": "dense", "units": 10}, {"type": "softmax"})))
    config = config.with_settings(**settings, patience=patience, keep_best=True)
    data = TrainingData.for_config(mnist, config)
    result = Trainer(config, data).run()
    assert result.reason == "early" and result.restored_best
    best = result.best_epoch
    assert best is not None and len(result.history) - best <= patience + 1
    assert result.history[best - 1].val_loss == min(m.val_loss for m in result.history)
    val_loss, val_accuracy = loss_and_accuracy(result.network, result.transform,
                                               data.validation.images, data.validation.labels)
    assert val_accuracy == result.history[best - 1].val_accuracy
    assert val_loss == pytest.approx(result.history[best - 1].val_loss, rel=1e-6)
    assert val_loss < result.history[-1].val_loss - 0.01  # not the last epoch's weights
    only_best = Trainer(config.with_settings(epochs=best, patience=0, keep_best=False), data).run()
    np.testing.assert_array_equal(result.network.flat_parameters(), only_best.network.flat_parameters())


def test_continuing_with_another_watched_metric_starts_its_record_afresh():
    """A run continued with the watched metric changed (val_accuracy -> train_loss) does not
    compare losses with the old best accuracy: its first epoch is the new best, even with a
    min_delta that no later epoch can beat."""
    first = Trainer(_config(monitor="val_accuracy", patience=5, epochs=2), _data()).run()
    assert first.resume.monitor_state["metric"] == "val_accuracy"
    second = Trainer(_config(monitor="train_loss", min_delta=100.0, patience=5, epochs=2), _data(),
                     first.network, first.transform, first.history, resume=first.resume).run()
    assert second.monitor == "train_loss" and second.best_epoch == 3


def test_a_metric_that_is_never_finite_stops_the_run_with_a_readable_reason():
    """Early stopping whose metric is NaN every epoch stops after `patience` epochs, saying so,
    and keep-best has nothing to put back."""
    from digitlab.core.events import EpochMetrics
    from digitlab.core.monitor import EpochWatch

    watch = EpochWatch("val_loss", patience=2, keep_best=True)
    parameters = np.zeros(3, np.float32)
    assert not watch.end_epoch(EpochMetrics(1, 0.5, 0.5, val_loss=float("nan")), parameters)
    assert watch.end_epoch(EpochMetrics(2, 0.5, 0.5, val_loss=float("nan")), parameters)
    assert "not a finite number" in watch.describe_stop()
    assert not watch.restore_best(parameters)
