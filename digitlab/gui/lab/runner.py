"""Runs one lab experiment at a time on a QThread, the way the session runs training.

The standard wiring: a plain ``QObject`` worker moved to a ``QThread``; ``started`` runs it, its
``finished`` quits the thread, and the thread's ``finished`` deletes both. The worker calls the
experiment (a core function taking ``on_event`` and ``should_stop``) and catches everything, so
a failure becomes a ``failed`` signal instead of a dead thread. It never touches a widget.

Events are not sent one signal each: an experiment may report thousands per second. They go into
a locked buffer that the widget drains on its ~15 Hz redraw timer (``take_events``), so the GUI
thread does one redraw per frame however fast the experiment runs.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from ...core.errors import ConfigError, DataError

#: an experiment ready to run: ``job(on_event, should_stop) -> result``
Job = Callable[[Callable[[object], None], Callable[[], bool]], object]


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


class LabWorker(QObject):
    result_ready = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, job: Job, buffer: EventBuffer, stop: threading.Event) -> None:
        super().__init__()
        self._job, self._buffer, self._stop = job, buffer, stop

    @Slot()
    def run(self) -> None:
        try:
            self.result_ready.emit(self._job(self._buffer.append, self._stop.is_set))
        except (ConfigError, DataError) as exc:  # expected: bad settings, no data
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            traceback.print_exc()
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.finished.emit()


class ExperimentRunner(QObject):
    """Owns the thread of the experiment in progress (one at a time) and its event buffer."""

    running_changed = Signal(bool)
    #: the experiment's return value, delivered on the GUI thread after its last event
    result_ready = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buffer = EventBuffer()
        self._stop = threading.Event()
        self._thread: QThread | None = None
        self._worker: LabWorker | None = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, job: Job) -> None:
        if self.is_running:
            raise ConfigError("this experiment is already running")
        self._buffer.take()
        self._stop = threading.Event()
        thread = QThread(self)
        worker = LabWorker(job, self._buffer, self._stop)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.result_ready.connect(self.result_ready)
        worker.failed.connect(self.failed)
        # Direct: quit() is thread-safe, and a queued call would wait for the GUI thread, which
        # may be blocked in stop_and_wait() (closing a window) until the thread ends: a deadlock.
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        self.running_changed.emit(True)
        thread.start()

    def stop(self) -> None:
        """Ask the experiment to stop at its next check (it returns what it has so far)."""
        self._stop.set()

    def stop_and_wait(self, timeout_ms: int = 10000) -> bool:
        """Stop and block until the thread has ended (closing a window)."""
        thread = self._thread
        self.stop()
        return True if thread is None else thread.wait(timeout_ms)

    def take_events(self) -> list[object]:
        return self._buffer.take()

    def _on_thread_finished(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = self._worker = None
        self.running_changed.emit(False)
