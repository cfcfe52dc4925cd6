"""``digitlab selftest``: open the app offscreen, draw digits on the canvas, check what it reads.

The check a user (or a packager) runs to know an installation works end to end: Qt and its
platform plugin load, the main window builds, the shipped model loads, the canvas takes mouse
events and the Draw panel's prediction appears. It needs no MNIST, no network and no display.

It drives the window only through its public contract (issue 3): the canvas is the widget named
``drawCanvas`` and takes left-button press / move / release events in widget coordinates; the
label ``predictionLabel`` holds exactly one digit at most 500 ms after the pen is lifted, and is
empty when the canvas is (Esc clears it). Two digits are drawn, a 7 and then a 1, so a broken
model that always answers the same digit cannot pass.

Qt runs on the ``offscreen`` platform unless ``--platform`` says otherwise, whatever the display:
nothing flashes on the user's screen and the result is the same on a desktop, over SSH and in
CI. Settings go to a throwaway ``DIGITLAB_HOME``, so the user's layout, recent models and data
folder neither affect the test nor are touched by it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from ..logfile import log_file_path
from .common import EXIT_FAILURE, EXIT_OK

if TYPE_CHECKING:  # NumPy and Qt load only once the test runs
    import numpy as np

log = logging.getLogger(__name__)

#: Pen strokes per digit, in coordinates normalised to the drawing area (0..1, y downwards).
#: Plain strokes a person would draw, not MNIST images; the shipped model reads each with > 0.95
#: confidence over rotations of +-10 degrees, 0.6x size, pen widths 0.05-0.12 and 200-400 px.
STROKES: dict[int, list[list[tuple[float, float]]]] = {
    7: [[(0.28, 0.24), (0.50, 0.23), (0.72, 0.22), (0.63, 0.40), (0.54, 0.60), (0.46, 0.80)]],
    1: [[(0.52, 0.20), (0.51, 0.50), (0.48, 0.80)]],
}
#: The digits drawn, in order (the canvas is cleared with Esc between them).
SEQUENCE = (7, 1)
#: After the pen is lifted the label must show the new reading within 500 ms; reading it sooner
#: could see a prediction made while the stroke was still being drawn.
SETTLE_S = 0.6
#: Longest wait for a reading before the test gives up.
TIMEOUT_S = 2.0
#: Distance between synthetic mouse-move events, in pixels (a mouse reports about this often).
STEP_PX = 3.0


class SelftestFailure(Exception):
    """The app did not behave; the message says how."""


class Reading(NamedTuple):
    """One digit drawn on the canvas and what the app made of it."""

    #: the digit drawn
    drawn: int
    #: the digit predictionLabel showed
    read: int
    #: the shipped model's ten probabilities (10,) for the canvas's strokes, by the Draw panel's
    #: own path; None if the canvas does not expose its strokes
    probabilities: np.ndarray | None = None

    @property
    def confidence(self) -> float | None:
        """The probability of the digit drawn, if known."""
        return None if self.probabilities is None else float(self.probabilities[self.drawn])


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "selftest", help="check that the app works: draw digits offscreen and read them",
        description="Open the desktop app offscreen with the shipped model, draw a 7 and a 1 on "
                    "the canvas with mouse events and check that the Draw panel reads them. "
                    "Needs no MNIST, network or display. Exit 0 if it works, 1 with the reason "
                    "otherwise.")
    p.add_argument("--platform", default="offscreen", metavar="NAME",
                   help="Qt platform plugin (default offscreen; e.g. xcb under a display checks "
                        "the X11 plugin too)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    ready: list[float] = []
    with _isolated_environment(args.platform), _quiet_qt_platform_notes():
        try:
            readings = run_selftest(on_ready=lambda: ready.append(time.perf_counter() - started))
        except SelftestFailure as exc:
            print(f"selftest failed: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        except Exception as exc:  # noqa: BLE001 - any breakage is a reason; the traceback is logged
            log.exception("selftest failed unexpectedly")
            path = log_file_path()
            where = f" (details in {path})" if path is not None else ""
            print(f"selftest failed: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
            return EXIT_FAILURE
    parts = [f"drew {r.drawn}, read {r.read}"
             + ("" if r.confidence is None else f" ({r.confidence:.2f})") for r in readings]
    timing = f"in {time.perf_counter() - started:.1f} s"
    if ready:
        timing += f", the window was ready after {ready[0]:.1f} s"
    print(f"selftest passed: {'; '.join(parts)} {timing}")
    return EXIT_OK


@contextlib.contextmanager
def _isolated_environment(platform: str) -> Iterator[None]:
    """The Qt platform, a throwaway DIGITLAB_HOME and no MNIST folder, restored afterwards."""
    saved = {name: os.environ.get(name)
             for name in ("QT_QPA_PLATFORM", "DIGITLAB_HOME", "DIGITLAB_MNIST_DIR")}
    with tempfile.TemporaryDirectory(prefix="digitlab-selftest-") as home:
        os.environ["QT_QPA_PLATFORM"] = platform
        os.environ["DIGITLAB_HOME"] = home
        os.environ.pop("DIGITLAB_MNIST_DIR", None)  # prove the Draw panel needs no data
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


@contextlib.contextmanager
def _quiet_qt_platform_notes() -> Iterator[None]:
    """Hide the offscreen plugin's note that it ignores size hints; pass every other message on."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message: str) -> None:
        if "does not support propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def run_selftest(window=None, on_ready=None) -> list[Reading]:
    """Draw :data:`SEQUENCE` on the window's canvas; returns a :class:`Reading` for each.

    Parameters
    ----------
    window : QWidget, optional
        The main window to drive (tests pass their own); by default one is built as the app
        builds it, with the shipped pretrained model, and closed at the end.
    on_ready : callable, optional
        Called once the window is up and the canvas is showing (to time the start-up).

    Raises
    ------
    SelftestFailure
        With the reason, when anything in the contract does not hold.
    """
    from PySide6.QtWidgets import QApplication

    from ..assets import pretrained_model_path

    model_path = pretrained_model_path()
    if model_path is None:
        raise SelftestFailure("the shipped model (resources/pretrained.npz) is missing")
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "digitlab"])
    own_window = window is None
    if own_window:
        app.setApplicationName("DigitLab")
        app.setOrganizationName("DigitLab")
        from ..gui.app import create_main_window

        window = create_main_window(model_path)
        window.resize(1280, 800)
        window.show()
    try:
        canvas, label = _find_widgets(window)
        _reveal(canvas)
        _wait(lambda: canvas.isVisible() and canvas.width() >= 50 and canvas.height() >= 50, TIMEOUT_S)
        if not canvas.isVisible():
            raise SelftestFailure("the drawing canvas could not be shown")
        if on_ready is not None:
            on_ready()
        model = _load_model(model_path)
        readings = []
        for index, digit in enumerate(SEQUENCE):
            if index:
                _clear(canvas, label)
            _draw(canvas, STROKES[digit])
            read = _read_label(label)
            if read != digit:
                raise SelftestFailure(f"drew {digit}, but the app read {read}")
            readings.append(Reading(digit, read, _probabilities(canvas, model)))
        return readings
    finally:
        if own_window:
            window.close()
            window.deleteLater()
            app.processEvents()


def _find_widgets(window):
    from PySide6.QtWidgets import QLabel, QWidget

    canvas = window.findChild(QWidget, "drawCanvas")
    if canvas is None:
        raise SelftestFailure("the main window has no widget named drawCanvas")
    label = window.findChild(QLabel, "predictionLabel")
    if label is None:
        raise SelftestFailure("the main window has no QLabel named predictionLabel")
    return canvas, label


def _reveal(widget) -> None:
    """Bring the widget's tab (or tabbed dock) to the front, as a user would click it."""
    from PySide6.QtWidgets import QDockWidget, QStackedWidget

    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget):  # the pages of a QTabWidget or QToolBox
            parent.setCurrentWidget(child)
        elif isinstance(parent, QDockWidget):
            parent.show()
            parent.raise_()
        child, parent = parent, parent.parentWidget()


def _draw(canvas, strokes) -> None:
    """Send press, moves (with the left button held) and release for each stroke."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    side = 0.8 * min(canvas.width(), canvas.height())
    left, top = (canvas.width() - side) / 2, (canvas.height() - side) / 2
    left_button, no_button = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for stroke in strokes:
        points = _interpolate([QPointF(left + x * side, top + y * side) for x, y in stroke])

        def send(kind, point, button, buttons):
            event = QMouseEvent(kind, point, QPointF(canvas.mapToGlobal(point)), button, buttons,
                                Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(canvas, event)

        send(QEvent.Type.MouseButtonPress, points[0], left_button, left_button)
        for number, point in enumerate(points[1:], start=1):
            send(QEvent.Type.MouseMove, point, no_button, left_button)
            if number % 8 == 0:
                QApplication.processEvents()  # let live predictions run, as between real moves
        send(QEvent.Type.MouseButtonRelease, points[-1], left_button, no_button)
        QApplication.processEvents()


def _interpolate(points):
    """The polyline through ``points`` sampled every :data:`STEP_PX` pixels."""
    from PySide6.QtCore import QPointF

    samples = [points[0]]
    for start, end in zip(points[:-1], points[1:], strict=True):
        delta = end - start
        count = max(1, round((delta.x() ** 2 + delta.y() ** 2) ** 0.5 / STEP_PX))
        samples += [QPointF(start + delta * (k / count)) for k in range(1, count + 1)]
    return samples


def _clear(canvas, label) -> None:
    """Esc on the canvas; the label must become empty."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(canvas, QKeyEvent(kind, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))
    if not _wait(lambda: label.text().strip() == "", TIMEOUT_S):
        raise SelftestFailure(f"Esc did not clear the prediction (it still shows {label.text()!r})")


def _read_label(label) -> int:
    """The digit in predictionLabel once it has settled after the pen was lifted."""
    started = time.monotonic()
    _wait(lambda: False, SETTLE_S)
    found = _wait(lambda: re.fullmatch(r"\d", label.text().strip()) is not None,
                  max(0.0, TIMEOUT_S - (time.monotonic() - started)))
    if not found:
        raise SelftestFailure(f"no digit in predictionLabel {TIMEOUT_S:.0f} s after the pen was "
                              f"lifted (it shows {label.text()!r})")
    return int(label.text().strip())


def _wait(condition, seconds: float) -> bool:
    """Run the event loop until ``condition()`` holds or ``seconds`` pass; returns whether it held."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while True:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.005)


def _load_model(path):
    from ..core.serialization import load_model

    return load_model(path)


def _probabilities(canvas, model):
    """The shipped model's probabilities (10,) for the canvas's strokes, if it exposes them.

    Computed by the Draw panel's own function from strokes to probabilities (the network
    renderer, then the core's prediction), independently of the label, so the number printed
    says how sure the model is and is the number the Draw panel shows.
    """
    strokes = getattr(canvas, "strokes", None)
    if strokes is None:
        return None
    from ..gui.stroke_prediction import predict_strokes

    return predict_strokes(model, strokes()).probabilities
