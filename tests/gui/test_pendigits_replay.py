"""Real pen trajectories (pendigits, train split) replayed into the canvas are read well enough."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

SAMPLES = 300
SEED = 20240
#: the shipped model's measured figure on this sample (71.3%) minus 3 points; a "?" counts as a
#: miss. Lower than an older model's 74%: see docs/handwriting.md (stretched 1s and 7s).
MIN_ACCURACY = 0.683


def train_samples(path) -> tuple[list[np.ndarray], np.ndarray]:
    """A fixed-seed sample of the train split: polylines in the 0-100 box (y down), labels."""
    with np.load(path, allow_pickle=False) as archive:
        points, offsets = archive["points"], archive["sample_offsets"]
        labels, split = archive["labels"], archive["split"]
    train = np.flatnonzero(split == "train")  # the test split stays unseen
    chosen = np.random.default_rng(SEED).choice(train, SAMPLES, replace=False)
    return [points[offsets[i]:offsets[i + 1]] for i in chosen], labels[chosen]


@pytest.mark.slow
def test_replayed_pen_digits_are_read_well(qtbot, pretrained_draw_panel, pen_replay,
                                           pendigits_file):
    """About 300 pendigits pen trajectories drawn with mouse events (each one polyline, pen-up
    jumps included) are read correctly at least MIN_ACCURACY of the time."""
    canvas = pretrained_draw_panel.canvas
    label = pretrained_draw_panel.findChild(QLabel, "predictionLabel")

    polylines, labels = train_samples(pendigits_file)
    predicted = np.full(len(labels), -1)
    for i, polyline in enumerate(polylines):
        QTest.keyClick(canvas, Qt.Key.Key_Escape)
        assert label.text() == ""
        pen_replay.draw(canvas, [polyline])
        qtbot.waitUntil(lambda: label.text() != "", timeout=500)
        predicted[i] = -1 if label.text() == "?" else int(label.text())

    accuracy = float(np.mean(predicted == labels))
    per_digit = {d: round(float(np.mean(predicted[labels == d] == d)), 2) for d in range(10)}
    declined = float(np.mean(predicted == -1))
    print(f"pendigits replay: {accuracy:.1%} of {len(labels)} read correctly, {declined:.1%} "
          f"declined; per digit {per_digit}")
    assert accuracy >= MIN_ACCURACY, f"only {accuracy:.1%} read correctly; per digit {per_digit}"
