"""The Draw panel with several digits: `?` in predictionLabel, the number in numberLabel."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from digitlab.gui.panels.draw_panel import DrawPanel
from digitlab.gui.widgets.draw_canvas import DrawCanvas
from digitlab.imageio import save_grey_image


@pytest.fixture
def panel(pretrained_draw_panel):
    return pretrained_draw_panel


def draw(pen, canvas: DrawCanvas, strokes) -> None:
    """Each stroke (canvas coordinates 0..1) drawn with a left-button press, moves and release
    (``pen``: the shared pen_replay fixture; these points are already in the canvas's square)."""
    square = canvas.square()
    for stroke in strokes:
        pen.stroke(canvas, [QPointF(square.left() + x * square.width(),
                                            square.top() + y * square.height()) for x, y in stroke])


def labels(panel: DrawPanel) -> tuple[QLabel, QLabel]:
    return panel.findChild(QLabel, "predictionLabel"), panel.findChild(QLabel, "numberLabel")


@pytest.mark.parametrize("text", ["2026", "17"])
def test_several_digits_show_a_question_mark_and_the_number(qtbot, panel, number_strokes, text, pen_replay):
    """A number drawn with the mouse: predictionLabel shows `?` (never a digit) within 500 ms of
    the last release, and numberLabel the number with one confidence per digit."""
    prediction, number = labels(panel)
    draw(pen_replay, panel.canvas, number_strokes(text, left=0.08, height=min(0.3, 0.8 / (0.85 * len(text)))))
    qtbot.waitUntil(lambda: prediction.text() == "?", timeout=500)
    assert number.isVisible()
    first_line, confidences = number.text().split("\n")
    assert first_line == f"Number: {text}"
    shown = confidences.split(" · ")
    assert [s.split()[0] for s in shown] == list(text)
    assert all(s.split()[1].endswith("%") for s in shown)


def test_a_digit_in_two_strokes_stays_one_digit(qtbot, panel, number_strokes, pen_replay):
    """A 4 drawn in two strokes is one digit: predictionLabel names it, numberLabel stays empty."""
    prediction, number = labels(panel)
    draw(pen_replay, panel.canvas, number_strokes("4", left=0.3, top=0.2, height=0.6))
    qtbot.waitUntil(lambda: prediction.text() != "", timeout=500)
    assert prediction.text() == "4"
    assert number.text() == "" and not number.isVisible()


def test_from_a_number_back_to_one_digit(qtbot, panel, number_strokes, pen_replay):
    """Undo back to one digit and the panel names it again; Esc clears both labels."""
    prediction, number = labels(panel)
    draw(pen_replay, panel.canvas, number_strokes("71", left=0.2, top=0.3, height=0.4))
    qtbot.waitUntil(lambda: prediction.text() == "?", timeout=500)
    panel.canvas.undo()  # the 1 goes; the crossed 7 remains
    qtbot.waitUntil(lambda: prediction.text() == "7", timeout=500)
    assert number.text() == "" and not number.isVisible()
    draw(pen_replay, panel.canvas, number_strokes("1", left=0.6, top=0.3, height=0.4))
    qtbot.waitUntil(lambda: prediction.text() == "?", timeout=500)
    QTest.keyClick(panel.canvas, Qt.Key.Key_Escape)
    assert prediction.text() == "" and number.text() == "" and not number.isVisible()


def test_a_picture_of_a_number_is_read_digit_by_digit(qtbot, panel, tmp_path):
    """A loaded picture with three separate marks shows `?` and a three-digit number."""
    picture = np.full((60, 200), 235, np.uint8)
    for left in (20, 90, 160):
        picture[10:50, left:left + 6] = 20  # three 1s
    path = tmp_path / "111.png"
    save_grey_image(path, picture)
    prediction, number = labels(panel)
    with qtbot.waitSignal(panel.picture_loaded, timeout=10000) as loaded:
        panel.load_image_file(path)
    assert loaded.args == [True]
    assert prediction.text() == "?"
    assert number.text().split("\n")[0] == "Number: 111"
