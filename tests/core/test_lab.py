"""The teaching lab's experiments, end to end on small settings, against stated thresholds."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from digitlab.core.data import MnistData, load_mnist
from digitlab.core.errors import ConfigError, DataError
from digitlab.core.events import COMPLETED, INTERRUPTED, THRESHOLD, NumericalProgress
from digitlab.core.gradcheck import gradient_check
from digitlab.core.lab import activations_init, losses_demo
from digitlab.core.lab.activations_init import ActivationSettings, CombinationReport, run_activations
from digitlab.core.lab.common import mnist_inputs
from digitlab.core.lab.function_fitting import (
    ClassifierEpoch,
    ClassifierSettings,
    FittingEpoch,
    FittingSettings,
    FittingStarted,
    example_points,
    fit_function,
    train_classifier,
)
from digitlab.core.lab.losses_demo import LossRaceSettings, run_loss_race, worked_examples
from digitlab.core.lab.numerical_vs_backprop import (
    ComparisonSettings,
    ComparisonStarted,
    ComparisonStep,
    check_gradients,
    estimate_seconds_per_iteration,
    make_network,
    run_numerical_vs_backprop,
)


@pytest.fixture(scope="module")
def digits(synthetic_mnist) -> MnistData:
    return synthetic_mnist(n_train=300, n_test=100)


# == numerical vs backprop ====================================================================
def test_numerical_and_backprop_follow_the_same_trajectory(digits):
    """Same batches, same start: the two copies' losses and weights agree to float64 rounding,
    backprop is more than 100 times faster, and every gradient-check error is below 1e-6."""
    events = []
    settings = ComparisonSettings(net="tiny", iterations=3, batch_size=5)
    result = run_numerical_vs_backprop(digits, settings, events.append)
    assert result.reason == COMPLETED and len(result.steps) == 3
    assert isinstance(events[0], ComparisonStarted) and events[0].parameter_count == 2080
    assert events[0].estimated_total_seconds > 0
    assert any(isinstance(e, NumericalProgress) for e in events)
    for step in result.steps:
        assert step.numerical_loss == pytest.approx(step.backprop_loss, abs=1e-8)
        assert step.weight_difference < 1e-6
        assert {row.name for row in step.check} == {"layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b"}
    assert result.max_check_error < 1e-6
    assert result.slowdown > 100
    assert [e.iteration for e in events if isinstance(e, ComparisonStep)] == [1, 2, 3]


def test_gradient_check_every_tensor_below_1e_6(digits):
    """The float64 gradient check lists every parameter tensor with a relative error below 1e-6,
    the same rows as the core's gradient_check on the same net and batch; it can be stopped."""
    settings = ComparisonSettings(net="tiny")
    rows = check_gradients(digits, settings, batch_size=4)
    assert [row.name for row in rows] == ["layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b"]
    assert rows[0].shape == (196, 10)
    assert all(row.relative_error < 1e-6 for row in rows)
    rng = np.random.default_rng(np.random.SeedSequence([settings.seed, 2]))
    idx = rng.choice(digits.num_train, size=4, replace=False)
    reference = gradient_check(make_network(settings), mnist_inputs(digits.train_images[idx], 14),
                               digits.train_labels[idx].astype(np.intp))
    assert rows == reference
    assert check_gradients(digits, settings, batch_size=4, should_stop=lambda: True) is None


def test_numerical_run_stops_inside_an_iteration(digits):
    """A stop request during a numerical gradient ends the run promptly as interrupted."""
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 3

    result = run_numerical_vs_backprop(digits, ComparisonSettings(net="tiny", iterations=5), should_stop=stop)
    assert result.reason == INTERRUPTED and len(result.steps) < 5


def test_eta_estimate_needs_no_data_and_scales_with_the_net():
    """The ETA is measured without MNIST; the 784-50-10 net is estimated slower than 196-10-10."""
    tiny = estimate_seconds_per_iteration(ComparisonSettings(net="tiny"), budget=0.02)
    tutorial = estimate_seconds_per_iteration(ComparisonSettings(net="tutorial"), budget=0.02)
    assert 0 < tiny < tutorial


@pytest.mark.parametrize("run", [
    lambda: run_numerical_vs_backprop(None),
    lambda: check_gradients(None),
    lambda: run_loss_race(None),
    lambda: run_activations(None),
])
def test_mnist_experiments_say_so_without_data(run):
    """Experiments that train on digits raise a DataError that names MNIST and how to get it."""
    with pytest.raises(DataError, match="no MNIST data is loaded"):
        run()


def test_settings_refuse_bad_values_with_the_value_quoted():
    """Settings validate themselves and quote the bad value."""
    with pytest.raises(ConfigError, match="'huge'"):
        ComparisonSettings(net="huge")
    with pytest.raises(ConfigError, match="-1"):
        FittingSettings(hidden_units=-1)
    with pytest.raises(ConfigError, match="'swish'"):
        ClassifierSettings(activation="swish")
    with pytest.raises(ConfigError, match="0"):
        LossRaceSettings(lr=0)


# == function fitting ===========================================================================
@pytest.mark.parametrize("function", ["bowl", "saddle", "ripple"])
def test_eight_units_fit_each_function_to_a_tenth_of_the_start(function):
    """With the tutorial's hyperparameters (50 of its 200 epochs, to keep the test fast) the
    8-unit net's final training error is at most 10% of its starting error."""
    events = []
    result = fit_function(FittingSettings(function=function, hidden_units=8, epochs=50), events.append)
    assert result.reason in (COMPLETED, THRESHOLD)
    assert result.error_ratio <= 0.10
    started = events[0]
    assert isinstance(started, FittingStarted)
    assert started.points.shape == (100, 2) and np.abs(started.points).max() <= 2
    assert started.target_grid.shape == (41, 41)
    epochs = [e for e in events if isinstance(e, FittingEpoch)]
    assert epochs and epochs[-1].surface.shape == (41, 41)
    assert epochs[-1].lr == pytest.approx(0.4 / (100 * len(epochs)) ** 0.2)


def test_fitting_is_reproducible_and_stops_on_request():
    """The same seed gives the same errors; should_stop ends the run as interrupted."""
    settings = FittingSettings(function="ripple", hidden_units=3, epochs=3)
    assert fit_function(settings).errors == fit_function(settings).errors
    assert fit_function(settings, should_stop=lambda: True).reason == INTERRUPTED


def test_fitting_threshold_stops_early():
    """A generous stopping threshold ends the run early with the reason 'threshold'."""
    result = fit_function(FittingSettings(function="bowl", threshold=0.5, epochs=50))
    assert result.reason == THRESHOLD and len(result.errors) - 1 < 50 and result.final_error < 0.5


def test_classifier_draws_a_boundary_that_separates_xor():
    """The small tanh net separates the XOR example; the probability map is reported as it trains."""
    points, labels = example_points("xor", n=60)
    events = []
    result = train_classifier(points, labels, ClassifierSettings(epochs=150, grid_size=21), events.append)
    assert result.accuracies[-1] >= 0.95
    maps = [e for e in events if isinstance(e, ClassifierEpoch)]
    assert len(maps) == 30 and maps[-1].probability_grid.shape == (21, 21)
    assert 0 <= maps[-1].probability_grid.min() and maps[-1].probability_grid.max() <= 1


def test_classifier_needs_both_classes():
    """Points of one class only are refused with a message saying what to do."""
    with pytest.raises(ConfigError, match="both classes"):
        train_classifier(np.zeros((3, 2)), np.zeros(3))


# == losses ================================================================================
def test_worked_loss_values_equal_the_tutorials():
    """Confident right: MSE 0.0975, CE 0.5108; confident wrong: MSE 0.5975, CE 2.3026."""
    right, wrong = worked_examples()
    assert right.output[2] == 0.6 and wrong.output[7] == 0.6
    assert (round(right.mse, 4), round(right.cross_entropy, 4)) == (0.0975, 0.5108)
    assert (round(wrong.mse, 4), round(wrong.cross_entropy, 4)) == (0.5975, 2.3026)


def test_loss_race_trains_both_copies_on_the_same_batches(digits):
    """Both copies report their own loss every iteration and test accuracy at the measurements;
    cross-entropy's loss falls."""
    events = []
    settings = LossRaceSettings(hidden_units=16, iterations=30, batch_size=20, eval_every=10, eval_size=50)
    result = run_loss_race(digits, settings, events.append)
    assert result.reason == COMPLETED and len(events) == 30
    measured = [s.iteration for s in result.steps if s.mse_accuracy is not None]
    assert measured == [1, 10, 20, 30]
    assert result.steps[-1].cross_entropy_loss < result.steps[0].cross_entropy_loss
    assert all(0 <= a <= 1 for a in result.final_accuracies())


def test_loss_versus_confidence_shapes():
    """MSE stays bounded as the right class's probability goes to 0; cross-entropy does not."""
    mse, ce = losses_demo.loss_versus_confidence(np.array([1e-6, 0.5, 1.0]))
    assert mse.max() < 0.6 and ce[0] > 13 and ce[-1] == 0


# == activations and initialisation =============================================================
def test_vanishing_gradient_with_sigmoid_and_small_weights(digits):
    """At the first layer, sigmoid with std 0.01 has a gradient norm over 1,000 times smaller than
    ReLU with He; its activations sit at 0.5, ReLU-He's keep their spread."""
    events = []
    result = run_activations(digits, ActivationSettings(iterations=0, batch_size=50), events.append)
    assert [e.key for e in events if isinstance(e, CombinationReport)] == [
        c.key for c in activations_init.COMBINATIONS]
    sigmoid_small, relu_he = result.report("sigmoid_small"), result.report("relu_he")
    assert len(sigmoid_small.layers) == 5 and len(sigmoid_small.gradient_norms) == 6
    assert sigmoid_small.layers[0].gradient_norm < 1e-3 * relu_he.layers[0].gradient_norm
    # the gradient shrinks layer by layer towards the input
    assert list(sigmoid_small.gradient_norms) == sorted(sigmoid_small.gradient_norms)
    assert all(abs(s.mean - 0.5) < 0.01 for s in sigmoid_small.layers)
    assert all(s.std > 0.05 for s in relu_he.layers)
    for stats in sigmoid_small.layers:
        assert stats.counts.sum() == 50 * 100 and len(stats.edges) == 31


def test_activation_training_reports_all_four_losses(digits):
    """After the snapshot, all four nets train on the same batches and report their losses."""
    result = run_activations(digits, ActivationSettings(iterations=4, batch_size=10, report_every=2))
    assert set(result.losses) == {c.key for c in activations_init.COMBINATIONS}
    assert all(its == (1, 2, 4) for its, _ in result.losses.values())


@pytest.mark.mnist
def test_gradient_check_on_real_mnist(mnist_dir):
    """On real MNIST digits too, backprop agrees with numerical gradients to better than 1e-6."""
    rows = check_gradients(load_mnist(mnist_dir), ComparisonSettings(net="tiny"), batch_size=5)
    assert max(row.relative_error for row in rows) < 1e-6


def test_lab_core_never_imports_qt():
    """Importing every lab module in a fresh interpreter loads no Qt and no pyqtgraph."""
    code = ("import sys, digitlab.core.lab.numerical_vs_backprop, digitlab.core.lab.function_fitting, "
            "digitlab.core.lab.losses_demo, digitlab.core.lab.activations_init; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
