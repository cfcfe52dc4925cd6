"""Temperature scaling and the expected calibration error."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.calibration import (
    Calibration,
    calibrate,
    expected_calibration_error,
    fit_temperature,
    network_scores,
    reliability_table,
    tempered_probabilities,
)
from digitlab.core.errors import ConfigError
from digitlab.core.network import Network


def _overconfident(n: int = 4000, true_temperature: float = 2.5, seed: int = 0):
    """Labels drawn from softmax(s / T): scores that are T times too sharp."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(0, 3, (n, 10))
    probs = tempered_probabilities(scores, true_temperature)
    labels = np.array([rng.choice(10, p=p) for p in probs])
    return scores, labels


def test_fit_recovers_the_temperature_that_made_the_labels():
    """Labels sampled from softmax(s / 2.5) give a fitted T close to 2.5."""
    scores, labels = _overconfident()
    assert fit_temperature(scores, labels) == pytest.approx(2.5, rel=0.08)


def test_temperature_scaling_lowers_the_calibration_error_and_keeps_the_answers():
    """On over-confident scores the ECE falls after scaling; the argmax never changes."""
    scores, labels = _overconfident()
    t = fit_temperature(scores, labels)
    before = expected_calibration_error(tempered_probabilities(scores), labels)
    after = expected_calibration_error(tempered_probabilities(scores, t), labels)
    assert after < before / 3
    assert np.array_equal(tempered_probabilities(scores, t).argmax(1), scores.argmax(1))


def test_ece_of_a_perfectly_calibrated_bin_is_zero_and_of_a_wrong_one_is_the_gap():
    """Two samples at confidence 0.9, one right and one wrong: |0.9 - 0.5| = 0.4."""
    probs = np.array([[0.9, 0.1], [0.9, 0.1]])
    assert expected_calibration_error(probs, np.array([0, 1])) == pytest.approx(0.4)
    confidence, accuracy, counts = reliability_table(probs, np.array([0, 0]))
    assert counts.sum() == 2 and np.nanmax(accuracy) == 1.0
    assert expected_calibration_error(probs, np.array([0, 0])) == pytest.approx(0.1)


def test_calibrate_a_network_on_held_out_inputs():
    """calibrate() reports the temperature and the ECE before and after on those inputs."""
    network = Network.from_config({"input_shape": [5], "layers": [
        {"type": "dense", "units": 10, "init": "normal", "init_scale": 3.0}, {"type": "softmax"}]},
        rng=np.random.default_rng(1))
    rng = np.random.default_rng(2)
    x = rng.normal(size=(500, 5)).astype(np.float32)
    labels = rng.integers(0, 10, 500)
    result = calibrate(network, x, labels, "test inputs")
    assert result.temperature > 1  # random labels: the sharp network must be softened
    assert result.ece_after < result.ece_before and result.samples == 500


@pytest.mark.parametrize("bad", [{"temperature": 0.0}, {"temperature": float("nan")},
                                 {"samples": 0}, {"extra": 1}, {"fitted_on": "x" * 300}])
def test_hostile_calibration_records_are_refused(bad):
    good = {"temperature": 1.5, "ece_before": 0.02, "ece_after": 0.01, "fitted_on": "v", "samples": 9}
    with pytest.raises(ConfigError):
        Calibration.from_dict({**good, **bad})


def test_a_model_file_round_trips_its_calibration_and_predictions_use_it(tmp_path):
    """Saved and loaded, the temperature is the same and predict_image's confidence is the
    tempered one (the digit unchanged)."""
    from digitlab.core.inputs import InputTransform
    from digitlab.core.predict import model_probabilities
    from digitlab.core.serialization import SavedModel, load_model, save_model

    network = Network.from_config({"input_shape": [784], "layers": [
        {"type": "dense", "units": 10, "init": "normal", "init_scale": 0.5}, {"type": "softmax"}]},
        rng=np.random.default_rng(3))
    cal = Calibration(2.0, 0.05, 0.01, "validation split (100 images)", 100)
    path = save_model(tmp_path / "m.npz", SavedModel(network, InputTransform(), calibration=cal))
    loaded = load_model(path)
    assert loaded.calibration == cal
    x = np.random.default_rng(4).random((3, 784)).astype(np.float32)
    plain = network.predict_proba(x)
    shown = model_probabilities(loaded, x)
    assert np.array_equal(shown.argmax(1), plain.argmax(1))
    assert shown.max(1).mean() < plain.max(1).mean()
    uncalibrated = SavedModel(network, InputTransform())
    np.testing.assert_allclose(model_probabilities(uncalibrated, x), plain)


def test_evaluation_confidences_are_the_calibrated_ones():
    """evaluate(temperature=T) gives the tempered confidences; answers and accuracy unchanged."""
    from digitlab.core.evaluation import evaluate
    from digitlab.core.inputs import InputTransform

    network = Network.from_config({"input_shape": [784], "layers": [
        {"type": "dense", "units": 10, "init": "normal", "init_scale": 0.5}, {"type": "softmax"}]},
        rng=np.random.default_rng(5))
    rng = np.random.default_rng(6)
    images = rng.integers(0, 256, (50, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 50)
    plain = evaluate(network, InputTransform(), images, labels)
    tempered = evaluate(network, InputTransform(), images, labels, temperature=3.0)
    x = InputTransform().apply(images, (784,), np.float32)
    expected = tempered_probabilities(network_scores(network, x), 3.0).max(1)
    np.testing.assert_allclose(tempered.confidences, expected, rtol=1e-4)
    assert np.array_equal(tempered.predictions, plain.predictions)
    assert tempered.accuracy == plain.accuracy and (tempered.confidences < plain.confidences).all()
