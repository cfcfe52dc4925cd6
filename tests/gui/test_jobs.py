"""Background jobs: one outcome on the GUI thread, progress, cancel, logging, and no thread
outliving the main window."""

from __future__ import annotations

import gc
import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from digitlab.core.data import MnistData
from digitlab.core.errors import Cancelled, DataError
from digitlab.gui import jobs
from digitlab.gui.jobs import Job
from digitlab.gui.main_window import MainWindow
from digitlab.gui.panels import evaluate_panel
from digitlab.gui.session import Session
from digitlab.gui.settings import AppSettings
from digitlab.logfile import configure_logging

WAIT_MS = 10000


class Outcomes:
    """Everything a job delivered, with the thread each signal arrived on."""

    def __init__(self, job: Job) -> None:
        self.results: list[object] = []
        self.errors: list[str] = []
        self.cancels = 0
        self.progress: list[tuple[float | None, str]] = []
        self.threads: set[int] = set()
        self.finished = False
        job.result_ready.connect(lambda value: self._note(self.results.append, value))
        job.failed.connect(lambda text: self._note(self.errors.append, text))
        job.cancelled.connect(lambda: self._note(self._cancelled))
        job.progressed.connect(lambda f, t: self._note(self.progress.append, (f, t)))
        job.finished.connect(lambda: self._note(self._finished))

    def _note(self, action, *args) -> None:
        self.threads.add(threading.get_ident())
        action(*args)

    def _cancelled(self) -> None:
        self.cancels += 1

    def _finished(self) -> None:
        self.finished = True

    @property
    def outcome_count(self) -> int:
        return len(self.results) + len(self.errors) + self.cancels


def run(qtbot, job: Job) -> Outcomes:
    outcomes = Outcomes(job)
    job.start()
    qtbot.waitUntil(lambda: outcomes.finished, timeout=WAIT_MS)
    return outcomes


def wait_until_cancelled(should_cancel) -> str:
    while not should_cancel():
        threading.Event().wait(0.005)
    return "stopped early"


def test_result_arrives_on_the_gui_thread(qtbot):
    """The work runs on another thread; its return value is delivered on the GUI thread, once."""
    worker_threads: list[int] = []

    def work(_progress, _should_cancel):
        worker_threads.append(threading.get_ident())
        return 42

    outcomes = run(qtbot, Job(work, "answer"))
    assert outcomes.results == [42] and outcomes.outcome_count == 1
    gui_thread = threading.get_ident()
    assert worker_threads and worker_threads[0] != gui_thread
    assert outcomes.threads == {gui_thread}


def explode_with_a_traceback(_progress, _should_cancel):
    raise ValueError("boom 42")


def test_an_exception_becomes_the_error_signal_and_is_logged_with_its_traceback(qtbot):
    """An unexpected exception is reported as one line naming the log file, the only outcome,
    and the log file holds its traceback."""
    log_path = configure_logging()
    outcomes = run(qtbot, Job(explode_with_a_traceback, "exploding"))
    assert outcomes.results == [] and outcomes.cancels == 0
    [message] = outcomes.errors
    assert "ValueError: boom 42" in message and str(log_path) in message and "\n" not in message
    text = log_path.read_text(encoding="utf-8")
    assert "exploding failed unexpectedly" in text
    assert "Traceback (most recent call last)" in text and "explode_with_a_traceback" in text
    assert "ValueError: boom 42" in text


def test_an_expected_error_is_its_own_message_without_a_traceback(qtbot):
    """A DigitLabError (bad data, bad settings) is shown as its message; no traceback is logged."""
    log_path = configure_logging()

    def work(_progress, _should_cancel):
        raise DataError("no MNIST in /nowhere")

    outcomes = run(qtbot, Job(work, "loading"))
    assert outcomes.errors == ["no MNIST in /nowhere"] and outcomes.outcome_count == 1
    text = log_path.read_text(encoding="utf-8")
    assert "no MNIST in /nowhere" in text and "Traceback" not in text


def test_cancel_stops_a_long_job_and_its_thread_ends(qtbot):
    """cancel() makes should_cancel() true; the work returns, the thread ends, the job leaves
    the registry."""
    def work(progress, should_cancel):
        progress(0.0, "started")
        return wait_until_cancelled(should_cancel)

    job = Job(work, "long")
    outcomes = Outcomes(job)
    job.start()
    qtbot.waitUntil(lambda: bool(outcomes.progress), timeout=WAIT_MS)
    assert job.is_running and job in jobs.active()
    job.cancel()
    assert job.wait(WAIT_MS)
    qtbot.waitUntil(lambda: outcomes.finished, timeout=WAIT_MS)
    assert outcomes.results == ["stopped early"] and not job.is_running
    assert job not in jobs.active()


def test_raising_cancelled_gives_the_cancelled_signal_only(qtbot):
    """Work that gives up by raising Cancelled ends with `cancelled`, neither result nor error."""
    def work(_progress, should_cancel):
        wait_until_cancelled(should_cancel)
        raise Cancelled("stopped")

    job = Job(work, "cancellable")
    outcomes = Outcomes(job)
    job.start()
    job.cancel()
    qtbot.waitUntil(lambda: outcomes.finished, timeout=WAIT_MS)
    assert outcomes.cancels == 1 and outcomes.outcome_count == 1


def test_progress_is_throttled_and_the_last_report_always_arrives(qtbot):
    """Thousands of reports within one throttle interval reach the GUI as the first and the last."""
    def work(progress, _should_cancel):
        for i in range(1, 5001):
            progress(i / 5000, f"step {i}")
        return "done"

    outcomes = run(qtbot, Job(work, "chatty", progress_interval=3600))
    assert outcomes.progress == [(1 / 5000, "step 1"), (1.0, "step 5000")]
    assert outcomes.results == ["done"]


def test_cancel_all_and_wait_joins_every_running_job(qtbot):
    """The registry cancels every running job and waits for all their threads."""
    started = [Job(lambda _p, should_cancel: wait_until_cancelled(should_cancel), f"job {i}").start()
               for i in range(3)]
    assert set(started) <= set(jobs.active())
    assert jobs.cancel_all_and_wait(WAIT_MS)
    assert all(job.wait(0) for job in started)
    qtbot.waitUntil(lambda: not jobs.active(), timeout=WAIT_MS)


def tiny_mnist() -> MnistData:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (50, 28, 28), dtype=np.uint8)
    labels = np.arange(50, dtype=np.uint8) % 10
    return MnistData(images, labels, images[:20], labels[:20], "synthetic")


def slow_evaluation(network, transform, images, labels, *, on_progress=None, should_stop=None,
                    temperature=None):
    """Stands in for evaluate(): runs until asked to stop, as a long CNN evaluation would."""
    on_progress(0.01)
    while not should_stop():
        threading.Event().wait(0.005)
    raise Cancelled("evaluation cancelled")


def test_the_evaluate_panels_cancel_button_stops_the_evaluation(qtbot, monkeypatch):
    """Cancel on the Evaluate panel ends the running evaluation: the panel is idle again and
    says it was cancelled."""
    monkeypatch.setattr(evaluate_panel, "evaluate", slow_evaluation)
    session = Session()
    session.data = tiny_mnist()
    session.new_model()
    panel = evaluate_panel.EvaluatePanel(session)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.start_evaluation() and panel.cancel_button.isVisible()
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_running, timeout=WAIT_MS)
    assert "cancelled" in panel.status_label.text().lower() and panel.evaluation is None
    assert not panel.cancel_button.isVisible() and panel.evaluate_button.isEnabled()


@pytest.mark.slow
def test_closing_the_main_window_cancels_and_joins_every_job(qtbot, qtlog, monkeypatch, tmp_path):
    """Closing the main window during an evaluation, a Lab run and a download-like job cancels
    all three and waits for their threads: none is left running, no QThread is destroyed
    while it runs."""
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    monkeypatch.setattr(evaluate_panel, "evaluate", slow_evaluation)
    window = MainWindow(settings=AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.show()
    window.session.data = tiny_mnist()
    assert window.evaluate_panel.start_evaluation()
    lab = window.lab_menu.launcher.open("fitting")
    qtbot.addWidget(lab)
    lab_tab = lab.experiments["fitting"]
    lab_tab.epochs_box.setValue(100000)
    lab_tab.threshold_box.setValue(0.0)  # never converge early: only closing can end this run
    lab_tab.start()
    download = jobs.start_job(lambda _p, should_cancel: wait_until_cancelled(should_cancel), "download")
    qtbot.waitUntil(lambda: window.evaluate_panel.busy.value() > 0, timeout=WAIT_MS)
    running = jobs.active()
    assert {job.name for job in running} >= {"evaluation", "lab fitting", "download"}

    window.close()

    assert not window.isVisible()
    assert all(job.wait(0) for job in running), "close() returned before every thread ended"
    qtbot.waitUntil(lambda: not jobs.active(), timeout=WAIT_MS)
    assert not window.evaluate_panel.is_running and not lab_tab.is_running and not download.is_running
    assert "cancelled" in window.evaluate_panel.status_label.text().lower()
    del running, download
    gc.collect()
    QApplication.processEvents()
    assert not [r for r in qtlog.records if "Destroyed while thread" in r.message]


def test_a_training_run_that_crashes_is_reported_and_logged(qtbot, monkeypatch):
    """A bug inside training becomes the session's run_failed with one line, its traceback goes
    to the log, and the session is idle again."""
    import digitlab.gui.session as session_module

    def broken_trainer(*args, **kwargs):
        raise RuntimeError("trainer exploded")

    log_path = configure_logging()
    monkeypatch.setattr(session_module, "Trainer", broken_trainer)
    session = Session()
    session.data = tiny_mnist()
    with qtbot.waitSignal(session.run_failed, timeout=WAIT_MS) as failure:
        session.start_training(session.config.with_settings(epochs=1))
    assert "RuntimeError: trainer exploded" in failure.args[0]
    qtbot.waitUntil(lambda: not session.is_running, timeout=WAIT_MS)
    text = log_path.read_text(encoding="utf-8")
    assert "training failed unexpectedly" in text and "broken_trainer" in text
