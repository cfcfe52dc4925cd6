"""Damaged digits, accuracy-vs-damage curves and the reject (coverage/accuracy) curve."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.errors import Cancelled, ConfigError
from digitlab.core.robustness import (
    DAMAGES,
    accuracy_curve,
    damage_images,
    model_predictor,
    reject_curve,
)


def _digits(n=6) -> np.ndarray:
    images = np.zeros((n, 28, 28), dtype=np.float32)
    images[:, 6:22, 12:16] = 1.0  # a bar, like a "1"
    return images


@pytest.mark.parametrize("kind", list(DAMAGES))
def test_level_zero_changes_nothing_and_the_input_is_never_changed(kind):
    """Every damage at level 0 returns an equal copy; a real level changes the image, in [0, 1]."""
    images = _digits()
    original = images.copy()
    np.testing.assert_array_equal(damage_images(images, kind, 0.0), images)
    level = DAMAGES[kind].maximum
    damaged = damage_images(images, kind, level)
    np.testing.assert_array_equal(images, original)
    assert damaged.shape == images.shape and damaged.dtype == np.float32
    assert not np.array_equal(damaged, images)
    assert damaged.min() >= 0.0 and damaged.max() <= 1.0


def test_damage_is_seeded():
    """The same seed damages the same way, another seed differently."""
    images = _digits()
    for kind in ("noise", "rotation", "shift", "occlusion"):
        np.testing.assert_array_equal(damage_images(images, kind, DAMAGES[kind].maximum / 2, 1),
                                      damage_images(images, kind, DAMAGES[kind].maximum / 2, 1))
        assert not np.array_equal(damage_images(images, kind, DAMAGES[kind].maximum / 2, 1),
                                  damage_images(images, kind, DAMAGES[kind].maximum / 2, 2))


def test_each_damage_does_what_its_name_says():
    """Thicker strokes add ink, thinner remove it; a 90 degree rotation turns a bar on its side;
    occlusion blacks out a square of the asked side; a shift moves the ink's centre that far."""
    images = _digits(4)
    ink = images.sum()
    assert damage_images(images, "stroke", 1.0).sum() > ink > damage_images(images, "stroke", -1.0).sum()
    turned = damage_images(images, "rotation", 90.0)
    assert turned[:, 12:16, 6:22].mean() > 0.9 and turned[:, 6:10, 12:16].mean() < 0.1
    blank = np.ones((3, 28, 28), dtype=np.float32)
    assert np.all((1 - damage_images(blank, "occlusion", 6.0)).sum(axis=(1, 2)) == 36)
    moved = damage_images(images, "shift", 4.0)
    rows, cols = np.mgrid[:28, :28]

    def centre(batch):
        mass = batch.sum(axis=(1, 2))
        return np.stack([(batch * rows).sum(axis=(1, 2)) / mass, (batch * cols).sum(axis=(1, 2)) / mass], 1)

    np.testing.assert_allclose(np.linalg.norm(centre(moved) - centre(images), axis=1), 4.0, atol=0.3)


def test_an_unknown_damage_is_refused_in_one_line():
    with pytest.raises(ConfigError, match="unknown damage"):
        damage_images(_digits(), "melt", 1.0)


def test_accuracy_curve_follows_what_the_predictor_reads():
    """A predictor that answers 1 while the bar is upright: perfect at 0 degrees, 0 at 90."""
    images, labels = _digits(8), np.ones(8, dtype=int)

    def predict(batch):
        upright = batch[:, 6:22, 12:16].mean(axis=(1, 2)) > 0.5
        return np.eye(10)[np.where(upright, 1, 0)]

    curve = accuracy_curve(predict, images, labels, "rotation", [0.0, 90.0])
    np.testing.assert_array_equal(curve, [1.0, 0.0])
    seen = []
    accuracy_curve(predict, images, labels, "noise", progress=seen.append)
    assert seen[-1] == 1.0 and len(seen) == len(DAMAGES["noise"].levels)
    with pytest.raises(Cancelled):
        accuracy_curve(predict, images, labels, "noise", should_cancel=lambda: True)


def test_reject_curve_keeps_the_most_confident_first():
    """Coverage k/N with accuracy on the k most confident; thresholds read back the same numbers."""
    confidences = np.array([0.9, 0.5, 0.99, 0.6, 0.8])
    correct = np.array([True, False, True, True, False])
    curve = reject_curve(confidences, correct)
    np.testing.assert_allclose(curve.thresholds, [0.99, 0.9, 0.8, 0.6, 0.5])
    np.testing.assert_allclose(curve.coverage, [0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(curve.accuracy, [1, 1, 2 / 3, 3 / 4, 3 / 5])
    assert curve.accuracy_at_coverage(0.4) == 1.0
    assert curve.accuracy_at_coverage(1.0) == pytest.approx(0.6)
    assert curve.at_threshold(0.85) == (pytest.approx(0.4), 1.0)
    coverage, accuracy = curve.at_threshold(1.0)
    assert coverage == 0.0 and np.isnan(accuracy)
    assert curve.threshold_for_coverage(0.6) == 0.8


def test_model_predictor_gives_the_models_probabilities(constant_model):
    """The predictor of a model that always reads 3 says 3 for every damaged digit."""
    predict = model_predictor(constant_model(3))
    probabilities = predict(damage_images(_digits(), "noise", 0.3))
    assert probabilities.shape == (6, 10)
    assert np.all(np.argmax(probabilities, axis=1) == 3)
