"""Uncaught exceptions in the app: logged with their traceback, shown to the user as one line."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from digitlab.gui.errors import ErrorReporter
from digitlab.gui.main_window import MainWindow
from digitlab.gui.settings import AppSettings
from digitlab.logfile import configure_logging


@pytest.fixture
def reporter():
    installed = ErrorReporter().install()
    yield installed
    installed.uninstall()


def broken_slot() -> None:
    raise ZeroDivisionError("slot divided by zero")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_qt_slot_is_logged_and_reported_as_one_line(qtbot, reporter):
    """An exception escaping a slot reaches the log with its traceback, and error_reported
    carries one line naming the error and the log file."""
    log_path = configure_logging()
    with qtbot.waitSignal(reporter.error_reported, timeout=5000) as signal:
        QTimer.singleShot(0, broken_slot)
    [line] = signal.args
    assert "ZeroDivisionError: slot divided by zero" in line and str(log_path) in line
    assert "\n" not in line
    text = log_path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "broken_slot" in text


def test_an_exception_ending_a_python_thread_is_logged_and_reported(qtbot, reporter):
    """threading.excepthook goes through the reporter too."""
    log_path = configure_logging()

    def crash() -> None:
        raise RuntimeError("thread crashed")

    with qtbot.waitSignal(reporter.error_reported, timeout=5000) as signal:
        thread = threading.Thread(target=crash, name="crasher")
        thread.start()
        thread.join()
    assert "RuntimeError: thread crashed" in signal.args[0]
    text = log_path.read_text(encoding="utf-8")
    assert "uncaught exception in thread crasher" in text and "Traceback" in text


def test_uninstall_restores_the_previous_hooks():
    """The hooks are the reporter's only while it is installed."""
    before = (sys.excepthook, threading.excepthook)
    installed = ErrorReporter().install()
    assert sys.excepthook == installed.handle_exception
    installed.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_main_window_shows_an_unexpected_error_in_one_box(qtbot, monkeypatch, tmp_path):
    """The main window puts the line in the status bar and in one message box, reused while open."""
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    window = MainWindow(settings=AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.show()
    window.show_unexpected_error("KeyError: 'x' (details in /tmp/digitlab.log)")
    window.show_unexpected_error("KeyError: 'y' (details in /tmp/digitlab.log)")
    boxes = [b for b in window.findChildren(QMessageBox, "errorMessage") if b.isVisible()]
    assert len(boxes) == 1 and boxes[0].text() == "KeyError: 'y' (details in /tmp/digitlab.log)"
    assert window.statusBar().currentMessage() == "KeyError: 'y' (details in /tmp/digitlab.log)"
    boxes[0].accept()
    window.show_unexpected_error("third")
    assert [b.text() for b in window.findChildren(QMessageBox, "errorMessage") if b.isVisible()] == ["third"]
