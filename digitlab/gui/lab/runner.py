"""Runs one lab experiment at a time as a background :class:`~digitlab.gui.jobs.Job`.

An experiment is a core function taking ``on_event`` and ``should_stop``; the job runs it on a
worker thread and delivers its return value (or a one-line failure) on the GUI thread.

Events are not sent one signal each: an experiment may report thousands per second. They go into
a locked buffer that the widget drains on its ~15 Hz redraw timer (``take_events``), so the GUI
thread does one redraw per frame however fast the experiment runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ...core.errors import ConfigError
from ..jobs import Job

#: an experiment ready to run: ``experiment(on_event, should_stop) -> result``
Experiment = Callable[[Callable[[object], None], Callable[[], bool]], object]


class EventBuffer:
    """A list the worker appends to and the GUI thread empties, under one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[object] = []

    def append(self, event: object) -> None:
        with self._lock:
            self._events.append(event)

    def take(self) -> list[object]:
        with self._lock:
            events, self._events = self._events, []
        return events


class ExperimentRunner(QObject):
    """Owns the job of the experiment in progress (one at a time) and its event buffer."""

    running_changed = Signal(bool)
    #: the experiment's return value, delivered on the GUI thread after its last event
    result_ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, name: str = "lab") -> None:
        super().__init__(parent)
        self.name = name
        self._buffer = EventBuffer()
        self._job: Job | None = None

    @property
    def is_running(self) -> bool:
        return self._job is not None

    def start(self, experiment: Experiment) -> None:
        if self.is_running:
            raise ConfigError("this experiment is already running")
        self._buffer.take()
        buffer = self._buffer

        def work(_progress, should_cancel) -> object:
            return experiment(buffer.append, should_cancel)

        job = Job(work, self.name)
        job.result_ready.connect(self.result_ready)
        job.failed.connect(self.failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        self.running_changed.emit(True)
        job.start()

    def stop(self) -> None:
        """Ask the experiment to stop at its next check (it returns what it has so far)."""
        if self._job is not None:
            self._job.cancel()

    def stop_and_wait(self, timeout_ms: int = 10000) -> bool:
        """Stop and block until the thread has ended (closing a window)."""
        job = self._job
        self.stop()
        return True if job is None else job.wait(timeout_ms)

    def take_events(self) -> list[object]:
        return self._buffer.take()

    def _on_job_finished(self) -> None:
        self._job = None
        self.running_changed.emit(False)
