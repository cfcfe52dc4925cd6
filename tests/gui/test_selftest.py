"""``digitlab selftest``: passes on the real app, and fails with a reason when the contract breaks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from digitlab.assets import pretrained_model_path
from digitlab.cli import selftest_command
from digitlab.cli.selftest_command import SelftestFailure, run_selftest

#: The selftest reads digits with the shipped model (a missing file fails, see conftest).
needs_model = pytest.mark.usefixtures("pretrained_path")


def digitlab_command() -> list[str]:
    """The installed ``digitlab`` launcher of this environment, else ``python -m digitlab``."""
    launcher = Path(sys.executable).with_name("digitlab")
    return [str(launcher)] if launcher.is_file() else [sys.executable, "-m", "digitlab"]


@needs_model
@pytest.mark.slow
def test_selftest_command_passes_without_a_display(tmp_path):
    """`digitlab selftest` exits 0 and says what it drew and read, with no display and no MNIST."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "DIGITLAB_MNIST_DIR")}
    env["DIGITLAB_HOME"] = str(tmp_path / "home")
    result = subprocess.run([*digitlab_command(), "selftest"], capture_output=True, text=True,
                            timeout=180, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.match(r"selftest passed: drew 7, read 7 \(\d\.\d\d\); drew 1, read 1 \(\d\.\d\d\)",
                    result.stdout), result.stdout
    assert not (tmp_path / "home").exists(), "the selftest must not write the user's settings"


class FakeWindow(QMainWindow):
    """The Draw-panel contract in miniature: a canvas in a background tab and a prediction label.

    ``answer`` decides the label's text from the canvas: by default the shipped model's reading.
    """

    def __init__(self, answer=None, delay_ms: int = 150, with_canvas: bool = True) -> None:
        super().__init__()
        from digitlab.gui.widgets.draw_canvas import DrawCanvas

        tabs = QTabWidget()
        tabs.addTab(QLabel("another panel"), "Other")
        page = QWidget()
        layout = QVBoxLayout(page)
        self.canvas = DrawCanvas() if with_canvas else QWidget()
        self.label = QLabel()
        self.label.setObjectName("predictionLabel")
        layout.addWidget(self.canvas)
        layout.addWidget(self.label)
        tabs.addTab(page, "Draw")
        self.setCentralWidget(tabs)
        self.answer = answer or self._model_reading
        self.timer = QTimer(self, singleShot=True, interval=delay_ms)
        self.timer.timeout.connect(self._predict)
        if with_canvas:
            self.canvas.strokes_changed.connect(self.timer.start)
        self.resize(900, 600)

    def _model_reading(self, canvas) -> str:
        from digitlab.core.serialization import load_model
        from digitlab.gui.stroke_prediction import predict_strokes

        return str(predict_strokes(load_model(pretrained_model_path()), canvas.strokes()).digit)

    def _predict(self) -> None:
        self.label.setText("" if self.canvas.is_empty() else self.answer(self.canvas))


@pytest.fixture
def fake_window(qtbot):
    def make(**kwargs) -> FakeWindow:
        window = FakeWindow(**kwargs)
        qtbot.addWidget(window)
        window.show()
        return window

    return make


@needs_model
@pytest.mark.slow  # about 1.5 s: the driver waits for the label after each digit
def test_driver_reads_both_digits_from_a_background_tab(fake_window):
    """The driver brings the Draw tab forward, draws 7 then 1, clears between, reads both."""
    readings = run_selftest(fake_window())
    assert [(r.drawn, r.read) for r in readings] == [(7, 7), (1, 1)]
    assert all(r.confidence is not None and r.confidence > 0.9 for r in readings)


@needs_model
@pytest.mark.slow  # about 1.5 s: the driver waits for the label after each digit
def test_a_model_that_always_says_seven_fails(fake_window):
    """A constant answer passes the 7 but not the 1, and the message says what was read."""
    with pytest.raises(SelftestFailure, match="drew 1, but the app read 7"):
        run_selftest(fake_window(answer=lambda canvas: "7"))


@needs_model
def test_a_slow_prediction_fails(fake_window, monkeypatch):
    """A label that is not set within the time limit is a failure, not a hang."""
    monkeypatch.setattr(selftest_command, "TIMEOUT_S", 1.0)
    with pytest.raises(SelftestFailure, match="no digit in predictionLabel"):
        run_selftest(fake_window(delay_ms=5000))


@needs_model
def test_missing_canvas_is_named(fake_window):
    """A window without drawCanvas fails with the object name it looked for."""
    with pytest.raises(SelftestFailure, match="drawCanvas"):
        run_selftest(fake_window(with_canvas=False))
