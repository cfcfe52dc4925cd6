"""Run only the newest of many quickly requested computations (a slider being dragged).

Requests are coalesced: each one restarts a short timer, and only when it fires does the newest
request start, on the job helper (:mod:`digitlab.gui.jobs`). A request made while a job runs
cancels that job and starts once it has ended, so at most one job runs at a time and a result
is only delivered when no newer request waits.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ..jobs import Job, Work

#: how long requests are gathered before the newest starts (milliseconds)
COALESCE_MS = 120


class LatestJob(QObject):
    """Start the newest requested work function; deliver its result if nothing newer waits."""

    result_ready = Signal(object)
    failed = Signal(str)
    progressed = Signal(object, str)
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None, delay_ms: int = COALESCE_MS) -> None:
        super().__init__(parent)
        self.name = name
        self._pending: Work | None = None
        self._job: Job | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._launch)

    @property
    def busy(self) -> bool:
        """Work is waiting or running."""
        return self._pending is not None or self._job is not None

    @property
    def job(self) -> Job | None:
        """The running job, if any."""
        return self._job

    def request(self, work: Work, immediately: bool = False) -> None:
        """Make ``work`` the newest request (any older waiting one is dropped)."""
        was_busy = self.busy
        self._pending = work
        if self._job is not None:
            self._job.cancel()
        if immediately:
            self._timer.stop()
            self._launch()
        else:
            self._timer.start()
        if not was_busy:
            self.busy_changed.emit(True)

    def cancel(self) -> None:
        """Drop the waiting request and ask the running job to stop."""
        self._timer.stop()
        self._pending = None
        if self._job is not None:
            self._job.cancel()
        else:
            self.busy_changed.emit(False)

    def _launch(self) -> None:
        if self._job is not None or self._pending is None:
            return  # a running job is being cancelled: _on_finished starts the newest
        work, self._pending = self._pending, None
        job = Job(work, self.name)
        job.result_ready.connect(self._on_result)
        job.failed.connect(self._on_failed)
        job.progressed.connect(self.progressed)
        job.finished.connect(self._on_finished)
        self._job = job
        job.start()

    def _on_result(self, value: object) -> None:
        if self._pending is None:  # a newer request makes this result old news
            self.result_ready.emit(value)

    def _on_failed(self, message: str) -> None:
        if self._pending is None:
            self.failed.emit(message)

    def _on_finished(self) -> None:
        self._job = None
        if self._pending is not None and not self._timer.isActive():
            self._launch()
        elif not self.busy:
            self.busy_changed.emit(False)
