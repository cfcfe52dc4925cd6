"""The hand-designed stroke digits and non-digits (tests/data/stroke_digits.json) drawn into the
canvas with mouse events: digits are read, non-digits get "?" and a reason in words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

STROKES_FILE = Path(__file__).resolve().parents[1] / "data" / "stroke_digits.json"
#: the shipped model's measured figures on this set minus 3 points (docs/handwriting.md):
#: 99.3% of the digits read (one curled 6 read as 5), 100% of the non-digits declined
MIN_DIGITS_READ = 0.963
MIN_NON_DIGITS_DECLINED = 0.97
#: kinds whose undistorted drawing the shipped model must decline (at least five kinds)
MUST_DECLINE = ("dot", "hash", "blob", "zigzag", "asterisk", "X", "K")


def _stroke_set() -> dict:
    return json.loads(STROKES_FILE.read_text())


def _read(qtbot, panel, pen_replay, strokes) -> tuple[str, str]:
    """Clear, draw, wait for the reading: (predictionLabel, declineReasonLabel) texts."""
    canvas = panel.canvas
    label = panel.findChild(QLabel, "predictionLabel")
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    assert label.text() == ""
    pen_replay.draw(canvas, [np.asarray(s) for s in strokes])
    qtbot.waitUntil(lambda: label.text() != "", timeout=500)
    return label.text(), panel.findChild(QLabel, "declineReasonLabel").text()


def test_a_dot_and_hatching_are_declined_with_a_reason(qtbot, pretrained_draw_panel, pen_replay):
    """A dot is 'too little ink' and eight crossing strokes 'too many strokes', whatever the
    model (crossing, so they stay one drawing rather than a number)."""
    text, reason = _read(qtbot, pretrained_draw_panel, pen_replay, [[[50, 50], [50.4, 50.3]]])
    assert text == "?" and "too little ink" in reason
    angles = np.arange(8) * np.pi / 8
    hatching = [[[50 - 40 * np.cos(a), 50 - 40 * np.sin(a)], [50 + 40 * np.cos(a), 50 + 40 * np.sin(a)]]
                for a in angles]
    text, reason = _read(qtbot, pretrained_draw_panel, pen_replay, hatching)
    assert text == "?" and "too many strokes" in reason
    QTest.keyClick(pretrained_draw_panel.canvas, Qt.Key.Key_Escape)
    assert pretrained_draw_panel.findChild(QLabel, "declineReasonLabel").text() == ""


@pytest.mark.slow
def test_stroke_digits_are_read(qtbot, pretrained_draw_panel, pen_replay):
    """Every designed digit form, in several hands, is read at least MIN_DIGITS_READ ("?" is a
    miss)."""
    digits = _stroke_set()["digits"]
    labels = np.array([d["label"] for d in digits])
    read = np.array([_read(qtbot, pretrained_draw_panel, pen_replay, d["strokes"])[0]
                     for d in digits])
    correct = read == labels.astype(str)
    per_digit = {k: round(float(correct[labels == k].mean()), 2) for k in range(10)}
    misread = sorted({f"{d['label']}:{d['form']}->{r}" for d, r, ok in
                      zip(digits, read, correct, strict=True) if not ok})
    print(f"stroke digits: {correct.mean():.1%} of {len(digits)}; per digit {per_digit}; "
          f"missed {misread}")
    assert correct.mean() >= MIN_DIGITS_READ, f"per digit {per_digit}; missed {misread}"


@pytest.mark.slow
def test_non_digits_are_declined(qtbot, pretrained_draw_panel, pen_replay):
    """Drawings of at least five kinds of non-digit show '?' (never a digit) and a reason."""
    others = _stroke_set()["non_digits"]
    kinds = [o["kind"] for o in others]
    readings = [_read(qtbot, pretrained_draw_panel, pen_replay, o["strokes"]) for o in others]
    declined = np.array([text == "?" for text, _ in readings])
    assert all(reason for (text, reason) in readings if text == "?")
    per_kind = {k: round(float(declined[[x == k for x in kinds]].mean()), 2) for k in dict.fromkeys(kinds)}
    print(f"non-digits: {declined.mean():.1%} of {len(others)} declined; per kind {per_kind}")
    first_of_kind = {k: kinds.index(k) for k in MUST_DECLINE}  # the undistorted drawing
    assert len(first_of_kind) >= 5
    for kind, index in first_of_kind.items():
        assert readings[index][0] == "?", f"the {kind} was read as {readings[index][0]}"
    assert declined.mean() >= MIN_NON_DIGITS_DECLINED, f"per kind {per_kind}"
