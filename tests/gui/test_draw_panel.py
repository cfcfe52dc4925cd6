"""The Draw panel: drawing with mouse events, live prediction, clear, undo, image files."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from digitlab.core.inputs import InputTransform
from digitlab.gui.panels.draw_panel import DrawPanel
from digitlab.gui.session import Session
from digitlab.gui.stroke_prediction import network_input_for_strokes
from digitlab.gui.widgets.draw_canvas import DrawCanvas, render_strokes
from digitlab.imageio import save_grey_image


def drag(canvas: DrawCanvas, points: list[tuple[float, float]]) -> None:
    """Draw one stroke through widget-coordinate points with real mouse events."""
    first = QPoint(round(points[0][0]), round(points[0][1]))
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    for x, y in points[1:]:
        local = QPointF(x, y)
        event = QMouseEvent(QEvent.Type.MouseMove, local, canvas.mapToGlobal(local),
                            Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(canvas, event)
    last = QPoint(round(points[-1][0]), round(points[-1][1]))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, last)


def draw_seven(canvas: DrawCanvas) -> None:
    """A '7': a top bar and a diagonal, in the middle of the canvas."""
    square = canvas.square()
    def at(u, v):
        return (square.left() + u * square.width(), square.top() + v * square.height())
    top = [at(0.3 + 0.4 * t / 20, 0.25) for t in range(21)]
    diagonal = [at(0.7 - 0.25 * t / 30, 0.25 + 0.5 * t / 30) for t in range(1, 31)]
    drag(canvas, top + diagonal)


@pytest.fixture
def panel(new_model_draw_panel):
    return new_model_draw_panel


def label(panel: DrawPanel) -> QLabel:
    return panel.findChild(QLabel, "predictionLabel")


def test_drawing_gives_a_one_digit_prediction_within_500_ms(qtbot, panel):
    """Strokes drawn with mouse events yield exactly one digit within 500 ms of the release."""
    canvas = panel.findChild(DrawCanvas, "drawCanvas")
    assert label(panel).text() == ""
    draw_seven(canvas)
    released = time.monotonic()
    qtbot.waitUntil(lambda: label(panel).text() != "", timeout=500)
    assert time.monotonic() - released < 0.5
    assert len(label(panel).text()) == 1 and label(panel).text().isdigit()
    assert panel.network_input.shape == (28, 28) and panel.network_input.max() > 0.5
    assert np.isclose(panel.probabilities.sum(), 1.0, atol=1e-4)


def test_prediction_updates_while_the_pen_moves(qtbot, panel):
    """Before the pen is released the label already shows a digit (live prediction)."""
    canvas = panel.canvas
    square = canvas.square()
    start = QPoint(int(square.center().x()), int(square.top() + 40))
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 40):
        local = QPointF(start.x(), start.y() + step * 5)
        QApplication.sendEvent(canvas, QMouseEvent(
            QEvent.Type.MouseMove, local, canvas.mapToGlobal(local), Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
        qtbot.wait(5)
    qtbot.waitUntil(lambda: label(panel).text() != "", timeout=500)
    assert canvas.is_drawing()
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    assert not canvas.is_drawing()


def test_escape_right_click_and_clear_button_empty_the_label(qtbot, panel):
    """Esc, a right click and the Clear button each empty the canvas and the prediction."""
    canvas = panel.canvas
    clearers = [
        lambda: QTest.keyClick(canvas, Qt.Key.Key_Escape),
        lambda: QTest.mouseClick(canvas, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                                 canvas.rect().center()),
        lambda: QTest.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton),
    ]
    for clear in clearers:
        draw_seven(canvas)
        qtbot.waitUntil(lambda: label(panel).text() != "", timeout=500)
        clear()
        assert canvas.is_empty() and canvas.strokes() == []
        assert label(panel).text() == ""
        qtbot.wait(PREDICT_WAIT)
        assert label(panel).text() == ""


PREDICT_WAIT = 150


def test_undo_removes_the_last_stroke(qtbot, panel):
    """Ctrl+Z and the Undo button remove one stroke each; undoing everything empties the label."""
    canvas = panel.canvas
    square = canvas.square()
    x0, y0, side = square.left(), square.top(), square.width()
    drag(canvas, [(x0 + side * 0.5, y0 + side * (0.2 + 0.03 * i)) for i in range(20)])
    drag(canvas, [(x0 + side * (0.3 + 0.02 * i), y0 + side * 0.5) for i in range(20)])
    assert len(canvas.strokes()) == 2
    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes()) == 1
    qtbot.waitUntil(lambda: label(panel).text() != "", timeout=500)
    QTest.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert canvas.is_empty()
    assert label(panel).text() == ""


def test_strokes_survive_resizing(qtbot, panel):
    """Strokes are kept in normalised coordinates: resizing the canvas does not change them."""
    canvas = panel.canvas
    draw_seven(canvas)
    before = canvas.strokes()
    panel.resize(1100, 700)
    qtbot.wait(20)
    assert canvas.strokes() == before
    assert all(0 <= x <= 1 and 0 <= y <= 1 for stroke in before for x, y in stroke)


def test_network_rendering_ignores_drawing_size():
    """A digit drawn small or large reaches the network with the same stroke thickness."""
    stroke = [(0.5, 0.1 + 0.04 * i) for i in range(21)]
    small = [[(0.5 + (x - 0.5) / 4, 0.5 + (y - 0.5) / 4) for x, y in stroke]]
    big = network_input_for_strokes([stroke])
    tiny = network_input_for_strokes(small)
    assert np.abs(big - tiny).max() < 0.05
    # Strokes are MNIST-thick: about 2-3 px across the 28x28 frame.
    assert 1.5 < big[14].sum() < 3.5
    assert render_strokes([], 10, 0.1).max() == 0


def test_load_image_file_predicts_and_shows_it(qtbot, panel, tmp_path):
    """A picture file goes through the same pipeline and gets a one-digit prediction."""
    image = np.full((120, 90), 255, np.uint8)
    image[20:100, 40:52] = 0  # a dark '1' on white paper
    path = tmp_path / "one.png"
    save_grey_image(path, image)
    with qtbot.waitSignal(panel.picture_loaded, timeout=10000) as loaded:
        panel.load_image_file(path)
    assert loaded.args == [True]
    assert len(label(panel).text()) == 1
    assert panel.canvas.picture() is not None and not panel.canvas.is_empty()
    assert panel.network_input[:, 14].sum() > 10  # a vertical bar through the middle
    QTest.keyClick(panel.canvas, Qt.Key.Key_Escape)
    assert panel.canvas.picture() is None and label(panel).text() == ""


def test_bad_image_file_shows_an_inline_error(qtbot, panel, tmp_path):
    """An unreadable file reports its problem inline and leaves the canvas alone."""
    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"garbage")
    with qtbot.waitSignal(panel.picture_loaded, timeout=10000) as loaded:
        panel.load_image_file(bad)
    assert loaded.args == [False]
    error = panel.findChild(QLabel, "drawErrorLabel")
    assert error.isVisible() and "not-an-image.png" in error.text()
    assert label(panel).text() == ""


def test_without_a_model_the_panel_explains_what_to_do(qtbot):
    """With no model the canvas still draws and the panel says how to get a model."""
    panel = DrawPanel(Session())
    qtbot.addWidget(panel)
    panel.show()
    draw_seven(panel.canvas)
    panel.predict_now()
    assert label(panel).text() == ""
    assert "no model" in panel.hint_label.text().lower()
    assert panel.network_input is not None


def test_a_model_with_an_unknown_pipeline_names_no_digit_and_says_why(qtbot, panel):
    """A model recording an image pipeline DigitLab lacks reads nothing; the error names it."""
    panel.session.current_model().transform = InputTransform(pipeline="deskew-bbox16")
    draw_seven(panel.canvas)
    panel.predict_now()
    assert label(panel).text() == "" and panel.probabilities is None
    error = panel.findChild(QLabel, "drawErrorLabel")
    assert error.isVisible() and "deskew-bbox16" in error.text()
    assert panel.network_input is not None and panel.network_input.any()  # what it would see
