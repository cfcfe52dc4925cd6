"""Real pen trajectories (pendigits, train split) replayed into the canvas are read well enough."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from digitlab.gui.panels.draw_panel import DrawPanel
from digitlab.gui.session import Session

SAMPLES = 300
SEED = 20240
MIN_ACCURACY = 0.70
#: the digit's 0-100 box spans this fraction of the drawing square, centred
DIGIT_FRACTION = 0.7
#: distance between successive mouse-move events, in widget pixels (a real mouse: a few px)
MOVE_STEP_PX = 4.0


def holdout_file() -> Path:
    folder = os.environ.get("DIGITLAB_HOLDOUT_DIR")
    base = Path(folder) if folder else Path(__file__).resolve().parents[2].parent / "shared" / "holdout"
    return base / "pendigits_strokes.npz"


def train_samples() -> tuple[list[np.ndarray], np.ndarray]:
    """A fixed-seed sample of the train split: polylines in the 0-100 box (y down), labels."""
    with np.load(holdout_file(), allow_pickle=False) as archive:
        points, offsets = archive["points"], archive["sample_offsets"]
        labels, split = archive["labels"], archive["split"]
    train = np.flatnonzero(split == "train")  # the test split stays unseen
    chosen = np.random.default_rng(SEED).choice(train, SAMPLES, replace=False)
    return [points[offsets[i]:offsets[i + 1]] for i in chosen], labels[chosen]


def pen_path(polyline: np.ndarray, left: float, top: float, side: float) -> list[QPointF]:
    """Widget points along the polyline (pen-up jumps included), MOVE_STEP_PX apart."""
    scale = side * DIGIT_FRACTION / 100.0
    origin = np.array([left, top]) + side * (1 - DIGIT_FRACTION) / 2
    corners = origin + polyline.astype(np.float64) * scale  # same scale on x and y: aspect kept
    path = [corners[0]]
    for start, end in zip(corners[:-1], corners[1:], strict=True):
        steps = max(1, int(np.ceil(np.linalg.norm(end - start) / MOVE_STEP_PX)))
        path += [start + (end - start) * k / steps for k in range(1, steps + 1)]
    return [QPointF(x, y) for x, y in path]


def replay(canvas, points: list[QPointF]) -> None:
    """Press at the first point, move with the left button held, release at the last."""
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     points[0].toPoint())
    for point in points[1:]:
        # QTest.mouseMove sets no buttons; a real drag reports the held button.
        QApplication.sendEvent(canvas, QMouseEvent(
            QEvent.Type.MouseMove, point, canvas.mapToGlobal(point), Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(points[-1].toPoint()))


@pytest.mark.slow
def test_replayed_pen_digits_are_read_at_least_70_percent(qtbot, pretrained_path):
    """About 300 pendigits pen trajectories drawn with mouse events: >= 70% read correctly."""
    if not holdout_file().is_file():
        pytest.skip(f"no pendigits holdout at {holdout_file()} (set DIGITLAB_HOLDOUT_DIR)")
    session = Session()
    session.load_model(pretrained_path)
    panel = DrawPanel(session)
    qtbot.addWidget(panel)
    panel.resize(900, 560)
    panel.show()
    qtbot.waitExposed(panel)
    canvas = panel.canvas
    label = panel.findChild(QLabel, "predictionLabel")
    square = canvas.square()

    polylines, labels = train_samples()
    predicted = np.full(len(labels), -1)
    for i, polyline in enumerate(polylines):
        QTest.keyClick(canvas, Qt.Key.Key_Escape)
        assert label.text() == ""
        replay(canvas, pen_path(polyline, square.left(), square.top(), square.width()))
        qtbot.waitUntil(lambda: label.text() != "", timeout=500)
        predicted[i] = int(label.text())

    accuracy = float(np.mean(predicted == labels))
    per_digit = {d: round(float(np.mean(predicted[labels == d] == d)), 2) for d in range(10)}
    print(f"pendigits replay: {accuracy:.1%} of {len(labels)} read correctly; per digit {per_digit}")
    assert accuracy >= MIN_ACCURACY, f"only {accuracy:.1%} read correctly; per digit {per_digit}"
