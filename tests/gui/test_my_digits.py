""""My digits" in the app: add from the Draw panel, browse/relabel/delete, fine-tune honestly."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest

from digitlab import paths
from digitlab.core.my_digits import MyDigits, load_my_digits, save_my_digits
from digitlab.gui.my_digits_dialog import MyDigitsDialog
from digitlab.gui.panels.draw_panel import DrawPanel
from digitlab.gui.session import IDLE, Session


def _stroke(canvas, points) -> None:
    """One stroke with real mouse events, in fractions of the canvas' drawing square."""
    square = canvas.square()

    def at(u: float, v: float) -> QPoint:
        return QPoint(round(square.left() + u * square.width()), round(square.top() + v * square.height()))

    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(*points[0]))
    for point in points[1:]:
        QTest.mouseMove(canvas, at(*point))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at(*points[-1]))


@pytest.fixture
def panel(new_model_draw_panel):
    return new_model_draw_panel


def _menu_action(panel: DrawPanel, name: str) -> QAction:
    action = panel.my_digits_button.menu().findChild(QAction, name)
    assert action is not None, name
    return action


def test_add_to_my_digits_keeps_the_network_input_with_its_label(panel, qtbot):
    """The drawing's 28x28 input is stored with the digit picked in the menu, in the user folder."""
    _stroke(panel.canvas, [(0.5, 0.2 + 0.03 * i) for i in range(21)])
    qtbot.waitUntil(lambda: panel.current_input() is not None, timeout=2000)
    expected = np.round(panel.current_input() * 255).astype(np.uint8)
    _menu_action(panel, "addMyDigit1").trigger()
    _menu_action(panel, "addMyDigit7").trigger()
    digits = load_my_digits(paths.my_digits_path())
    assert digits.labels.tolist() == [1, 7]
    assert np.array_equal(digits.images[0], expected)


def test_an_empty_canvas_adds_nothing_and_says_why(panel):
    _menu_action(panel, "addMyDigit3").trigger()
    assert not paths.my_digits_path().exists()
    assert panel.error_label.isVisibleTo(panel) and panel.error_label.text()


def _some_digits(n: int) -> MyDigits:
    rng = np.random.default_rng(1)
    return MyDigits(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), (np.arange(n) % 10).astype(np.uint8))


def test_the_browser_relabels_and_deletes(qtbot):
    save_my_digits(paths.my_digits_path(), _some_digits(5))
    dialog = MyDigitsDialog(Session())
    qtbot.addWidget(dialog)
    dialog.reload()
    dialog.show()
    assert dialog.list.count() == 5
    dialog.list.item(1).setSelected(True)
    dialog.label_choice.setCurrentIndex(7)
    QTest.mouseClick(dialog.relabel_button, Qt.MouseButton.LeftButton)
    assert load_my_digits(paths.my_digits_path()).labels.tolist() == [0, 7, 2, 3, 4]
    dialog.list.clearSelection()
    dialog.list.item(0).setSelected(True)
    dialog.list.item(3).setSelected(True)
    QTest.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert load_my_digits(paths.my_digits_path()).labels.tolist() == [7, 2, 4]
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["7", "2", "4"]


@pytest.mark.slow
def test_fine_tuning_in_the_app_raises_accuracy_on_the_held_out_digits(qtbot, synthetic_mnist,
                                                                       small_config, column_digits):
    """Through the session's training path on the worker thread: held-out accuracy goes up, the
    model records what it was fine-tuned on, and the Network panel's settings are unchanged."""
    session = Session()
    session.data = synthetic_mnist()
    with qtbot.waitSignal(session.run_finished, timeout=30000):
        session.start_training(small_config.with_settings(epochs=3))
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    config_before = session.config
    save_my_digits(paths.my_digits_path(), column_digits(60, seed=3))
    dialog = MyDigitsDialog(session)
    qtbot.addWidget(dialog)
    dialog.reload()
    assert dialog.fine_tune()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=60000)
    before, after = dialog.last_result
    assert before is not None and after is not None
    assert before < 0.5 and after >= before + 0.3, (before, after)
    assert "%" in dialog.result_label.text()
    model = session.current_model()
    assert model.data["name"] == "mnist+my_digits"
    assert model.data["parts"][-1]["name"] == "my_digits"
    assert model.provenance[-1]["on"] == "mnist+my_digits"
    assert session.config == config_before
    session.stop_and_wait()
