"""Declining to name a digit: the stored rule, the ink statistics and old model files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitlab.core.decline import (
    DECLINE_METHOD,
    MAX_STROKES,
    MIN_EXTENT,
    TOO_LITTLE_INK,
    TOO_MANY_STROKES,
    UNLIKE_ANY_DIGIT,
    DeclineRule,
    InkStats,
    decline_reason,
)
from digitlab.core.errors import ModelFileError
from digitlab.core.predict import NO_INK, predict_image
from digitlab.core.serialization import load_model, save_model


def _bar_image() -> np.ndarray:
    """A dark upright bar on white paper, spanning most of the image."""
    image = np.full((60, 40), 255, np.uint8)
    image[10:50, 18:23] = 0
    return image


def test_the_model_file_round_trips_calibration_and_decline(tmp_path, constant_model):
    """Saving and loading keeps the temperature and the decline threshold exactly."""
    from digitlab.core.calibration import Calibration

    model = constant_model(digit=4)
    model.calibration = Calibration(1.7, 0.05, 0.01, "validation split (100 images)", 100)
    model.decline = DeclineRule(DECLINE_METHOD, 0.8125)
    loaded = load_model(save_model(tmp_path / "m.npz", model))
    assert loaded.decline == DeclineRule(DECLINE_METHOD, 0.8125)
    assert loaded.calibration.temperature == pytest.approx(1.7)


def test_a_reading_below_the_threshold_is_unlike_any_digit(constant_model):
    """The constant model is ~94% sure: a threshold above that declines, one below does not."""
    model = constant_model(digit=2)
    model.decline = DeclineRule(DECLINE_METHOD, 0.99)
    declined = predict_image(model, _bar_image())
    assert declined.reason == UNLIKE_ANY_DIGIT and declined.digit is None
    assert declined.confidence == pytest.approx(float(declined.probabilities.max()))
    assert declined.confidence > 0.9
    model.decline = DeclineRule(DECLINE_METHOD, 0.5)
    assert predict_image(model, _bar_image()).digit == 2


def test_an_old_model_file_declines_only_blank_images(tmp_path, constant_model):
    """A file written without a decline record loads with none; blank is '?', ink is read."""
    path = save_model(tmp_path / "old.npz", constant_model(digit=6))
    with np.load(path, allow_pickle=False) as archive:
        assert "decline" not in json.loads(str(archive["config"]))
    old = load_model(path)
    assert old.decline is None
    assert predict_image(old, np.full((30, 30), 255, np.uint8)).reason == NO_INK
    assert predict_image(old, _bar_image()).digit == 6


def test_a_speck_in_a_large_image_is_too_little_ink(constant_model):
    """Ink spanning under MIN_EXTENT of the image is a dot, whatever the model says."""
    image = np.full((200, 200), 255, np.uint8)
    image[100:103, 100:103] = 0
    assert predict_image(constant_model(), image).reason == TOO_LITTLE_INK


def test_ink_statistics_decline_dots_and_hatching():
    """Too small an extent or too many strokes decline before the model is asked."""
    sure = np.eye(10)[3]
    assert decline_reason(sure, None, InkStats(MIN_EXTENT / 2, 1)) == TOO_LITTLE_INK
    assert decline_reason(sure, None, InkStats(0.5, MAX_STROKES + 1)) == TOO_MANY_STROKES
    assert decline_reason(sure, None, InkStats(0.5, MAX_STROKES)) is None
    assert decline_reason(sure, None, None) is None


@pytest.mark.parametrize("record", [
    {"method": "energy", "threshold": 0.5},
    {"method": DECLINE_METHOD, "threshold": 1.5},
    {"method": DECLINE_METHOD, "threshold": "high"},
    {"method": DECLINE_METHOD, "threshold": True},
    {"method": DECLINE_METHOD},
    [0.5],
])
def test_a_malformed_decline_record_is_one_clear_error(tmp_path, constant_model, record):
    """A bad 'decline' entry in a model file is a one-line ModelFileError, never a traceback."""
    path = save_model(tmp_path / "m.npz", constant_model())
    with np.load(path, allow_pickle=False) as archive:
        arrays = dict(archive)
    config = json.loads(str(arrays["config"]))
    config["decline"] = record
    arrays["config"] = np.array(json.dumps(config))
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match="decline") as info:
        load_model(path)
    assert "\n" not in str(info.value)
