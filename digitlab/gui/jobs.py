"""Background work: one helper that runs a plain Python function on a worker thread.

A :class:`Job` runs ``work(progress, should_cancel)``, a function that knows nothing of Qt:

- ``progress(fraction, text="")`` reports how far it is (``fraction`` in [0, 1], or None when
  unknown); reports are throttled at the source, and the last one is always delivered;
- ``should_cancel()`` turns True once :meth:`Job.cancel` was called; the function stops at its
  next check, either returning what it has or raising :class:`~digitlab.core.errors.Cancelled`.

Exactly one outcome arrives on the GUI thread: ``result_ready(value)``, ``failed(message)`` or
``cancelled()``, then ``finished()`` once the thread has ended. A :class:`~digitlab.core.errors.
DigitLabError` is an expected failure (its message is the whole story); any other exception is
logged with its traceback and reported as one line that names the log file.

One thread-lifetime scheme for the whole app (mu editor's wiring): a worker ``QObject`` moved to
a parentless ``QThread``; ``started`` runs it, its ``finished`` quits the thread (directly: a
queued quit would wait for a GUI thread that may be blocked in :meth:`Job.wait`), and the
thread's ``finished`` lets the job drop both once the thread has exited (Python owns them). A
running job is kept alive by the module's registry, not by whoever started it, so a panel that
goes away cannot destroy a running thread.
:func:`cancel_all_and_wait` is what closing the main window calls.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from ..core.errors import Cancelled, DigitLabError
from .errors import unexpected_error_message

log = logging.getLogger(__name__)

#: ``progress(fraction, text="")`` as the work function sees it
ProgressFn = Callable[..., None]
#: the function a job runs: ``work(progress, should_cancel) -> result``
Work = Callable[[ProgressFn, Callable[[], bool]], Any]

#: seconds between two progress reports that reach the GUI thread (~20 Hz)
PROGRESS_INTERVAL = 0.05

# Jobs whose thread has not finished yet. Holding them here keeps the Job, its worker and its
# QThread alive until the end, whatever happens to the widget that started them.
_ACTIVE: list[Job] = []


class _Worker(QObject):
    """Lives on the job's thread: calls the work function and reports what happened."""

    progressed = Signal(object, str)
    result_ready = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, work: Work, name: str, cancel: threading.Event, interval: float) -> None:
        super().__init__()
        self._work, self._name, self._cancel, self._interval = work, name, cancel, interval
        self._last_report = float("-inf")
        self._pending: tuple[float | None, str] | None = None

    def _progress(self, fraction: float | None = None, text: str = "") -> None:
        # Throttled here, at the source: a download or a lab run may report thousands of times
        # a second, and each signal costs the GUI thread an event.
        now = time.monotonic()
        if now - self._last_report >= self._interval:
            self._last_report, self._pending = now, None
            self.progressed.emit(fraction, text)
        else:
            self._pending = (fraction, text)

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self._progress, self._cancel.is_set)
        except Cancelled:
            self._flush_progress()
            log.info("%s: cancelled", self._name)
            self.cancelled.emit()
        except DigitLabError as exc:  # expected: bad settings, missing data, no network...
            self._flush_progress()
            log.warning("%s failed: %s", self._name, exc)
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            self._flush_progress()
            log.exception("%s failed unexpectedly", self._name)
            self.failed.emit(unexpected_error_message(exc))
        else:
            self._flush_progress()
            self.result_ready.emit(result)
        finally:
            self.finished.emit()

    def _flush_progress(self) -> None:
        if self._pending is not None:
            self.progressed.emit(*self._pending)
            self._pending = None


class Job(QObject):
    """One piece of background work: start it, watch its progress, cancel it, get one outcome.

    Parameters
    ----------
    work : ``work(progress, should_cancel) -> result``, run on the worker thread. It must not
        touch widgets; it gets everything it needs (copies of arrays, paths) before it starts.
    name : what the log calls it ("evaluation", "download", ...).
    on_cancel : called on the GUI thread by :meth:`cancel`, for work that stops through its own
        control (the trainer's RunControl) rather than ``should_cancel``.
    progress_interval : seconds between two progress reports delivered to the GUI thread.
    """

    #: (fraction in [0, 1] or None if unknown, text), throttled
    progressed = Signal(object, str)
    #: the work function's return value (also after a cancel it honoured by returning early)
    result_ready = Signal(object)
    #: one line for the user; an unexpected error is in the log file with its traceback
    failed = Signal(str)
    #: the work function raised Cancelled
    cancelled = Signal()
    #: after the outcome, once the thread has ended
    finished = Signal()

    def __init__(self, work: Work, name: str = "job", *, on_cancel: Callable[[], None] | None = None,
                 progress_interval: float = PROGRESS_INTERVAL) -> None:
        super().__init__()
        self.name = name
        self._cancel = threading.Event()
        self._on_cancel = on_cancel
        self._thread: QThread | None = None
        self._worker: _Worker | None = _Worker(work, name, self._cancel, progress_interval)
        self._started = False

    @property
    def is_running(self) -> bool:
        """Started and its thread not yet finished."""
        return self._thread is not None

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def start(self) -> Job:
        """Start the work on a new thread (once); returns the job for chaining."""
        if self._started:
            raise RuntimeError(f"job {self.name!r} was already started")
        self._started = True
        thread = QThread()
        thread.setObjectName(f"digitlab-{self.name}")
        worker = self._worker
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self.progressed)
        worker.result_ready.connect(self.result_ready)
        worker.failed.connect(self.failed)
        worker.cancelled.connect(self.cancelled)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        # No deleteLater: Python owns the worker and the thread (both parentless), and drops
        # them in _on_thread_finished once the thread has really ended. Both owners at once
        # would delete them twice, or delete a QThread whose thread is still running.
        thread.finished.connect(self._on_thread_finished)
        self._thread = thread
        _ACTIVE.append(self)
        thread.start()
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next check (thread-safe flag; returns at once)."""
        if self._cancel.is_set() or not self.is_running:
            return
        self._cancel.set()
        if self._on_cancel is not None:
            self._on_cancel()

    def wait(self, timeout_ms: int = 10000) -> bool:
        """Block until the thread has ended or ``timeout_ms`` passed; True if it has ended.

        ``finished`` is still delivered later, by the event loop.
        """
        thread = self._thread
        return True if thread is None else thread.wait(max(0, timeout_ms))

    def _on_thread_finished(self) -> None:
        # QThread.finished is emitted by the thread just before it exits: wait for the exit
        # (a moment) before the last references go, or the QThread would be destroyed running.
        if self._thread is not None:
            self._thread.wait()
        self._thread = self._worker = None
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        self.finished.emit()


def start_job(work: Work, name: str = "job", **options: Any) -> Job:
    """Create a :class:`Job` and start it."""
    return Job(work, name, **options).start()


def active() -> list[Job]:
    """The jobs whose thread is still running, oldest first."""
    return [job for job in _ACTIVE if job.is_running]


def cancel_all_and_wait(timeout_ms: int = 10000) -> bool:
    """Cancel every running job and wait for all their threads, ``timeout_ms`` in all.

    Returns False (and logs which) if some job did not end in time; the app may then still
    exit, but those threads are left running rather than destroyed.
    """
    jobs = active()
    for job in jobs:
        job.cancel()
    deadline = time.monotonic() + timeout_ms / 1000
    late = [job.name for job in jobs
            if not job.wait(int(max(0.0, deadline - time.monotonic()) * 1000))]
    if late:
        log.warning("still running after %d ms: %s", timeout_ms, ", ".join(late))
    return not late
