"""Recording one training run into the run history, without ever getting in its way.

:class:`RunRecorder` is a listener for the trainer's events (the command line passes it the
events on the training thread, the GUI session on the GUI thread). It writes the run row when
the run starts, each epoch as it ends, progress reports in groups (at most every
``flush_seconds``, and at each epoch end), and the outcome. If the history file is read-only,
corrupt, locked or full, the recorder logs one warning, stops recording, and the run goes on:
the history is a convenience, training is the work.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from .config import TrainConfig
from .events import BatchEnd, EpochEnd, Event, RunFailed
from .runstore import FAILED, INTERRUPTED, RunStore, RunStoreError

log = logging.getLogger(__name__)


class RunRecorder:
    """Records runs into the store at ``path`` (opened on first use, on the calling thread).

    Parameters
    ----------
    path : the history file (``digitlab.paths.run_store_path()``), or None to record nothing
    source : ``"cli"`` or ``"gui"``
    on_warning : also told the one-line warning when recording stops (e.g. a status bar)
    flush_seconds : the longest progress reports wait before they are written
    """

    def __init__(self, path: str | os.PathLike[str] | None, source: str,
                 on_warning: Callable[[str], None] | None = None, flush_seconds: float = 1.0) -> None:
        self.path = path
        self.source = source
        self.on_warning = on_warning
        self.flush_seconds = flush_seconds
        self._store: RunStore | None = None
        self._broken = path is None
        #: the id of the run being (or last) recorded
        self.run_id: int | None = None
        self._pending: list[tuple[Any, ...]] = []
        self._last_flush = 0.0
        self._finished = False

    @property
    def active(self) -> bool:
        """Whether a run is being recorded right now."""
        return (self.run_id is not None and not self._finished and not self._broken
                and self._store is not None)

    def _guard(self, action: Callable[[RunStore], Any]) -> Any:
        """Run ``action`` on the store; on any store failure warn once and stop recording."""
        if self._broken:
            return None
        try:
            if self._store is None:
                self._store = RunStore(self.path)  # type: ignore[arg-type]
            return action(self._store)
        except RunStoreError as exc:
            self._give_up(str(exc))
        except OSError as exc:  # sqlite3 wraps most; a vanished folder may not be
            self._give_up(f"the run history {self.path} failed: {exc}")
        return None

    def _give_up(self, reason: str) -> None:
        self._broken = True
        message = f"{reason}; this run is not recorded in the history (training goes on)"
        log.warning(message)
        if self.on_warning is not None:
            self.on_warning(message)
        if self._store is not None:
            try:
                self._store.close()
            except Exception:  # noqa: BLE001 - closing a broken file may fail; nothing to do
                pass
            self._store = None

    # -- the run -----------------------------------------------------------------------------
    def start(self, config: TrainConfig, *, preset: str | None = None, command: str | None = None,
              data: dict[str, Any] | None = None) -> int | None:
        """Record a new run; returns its id (None when the history is unavailable)."""
        from .. import __version__

        self._pending = []
        self._last_flush = time.monotonic()
        self._finished = False
        self.run_id = self._guard(lambda s: s.start_run(
            config.to_dict(), source=self.source, preset=preset, command=command, data=data,
            version=__version__))
        return self.run_id

    def __call__(self, event: Event) -> None:
        """The trainer's listener: keeps epochs and progress reports."""
        if not self.active:
            return
        if isinstance(event, BatchEnd):
            self._pending.append((event.iteration, event.epoch, event.loss, event.accuracy,
                                  event.lr, event.elapsed))
            if time.monotonic() - self._last_flush >= self.flush_seconds:
                self.flush()
        elif isinstance(event, EpochEnd):
            self.flush()
            self._guard(lambda s: s.add_epoch(self.run_id, event.metrics))
        elif isinstance(event, RunFailed):
            self.finish(FAILED, message=event.message)

    def flush(self) -> None:
        """Write the progress reports waiting in memory."""
        pending, self._pending = self._pending, []
        self._last_flush = time.monotonic()
        if pending and self.active:
            self._guard(lambda s: s.add_batches(self.run_id, pending))

    def finish(self, status: str, *, message: str = "", result: dict[str, Any] | None = None,
               model_path: str | os.PathLike[str] | None = None) -> None:
        """Record the outcome (``status``: a RunFinished reason, ``failed`` or ``interrupted``)."""
        if not self.active:
            return
        self.flush()
        path = None if model_path is None else str(os.path.abspath(model_path))
        run_id = self.run_id
        self._finished = True
        self._guard(lambda s: s.finish_run(run_id, status, message=message, result=result,
                                           model_path=path))

    def set_model_path(self, run_id: int, path: str | os.PathLike[str]) -> None:
        """The model of run ``run_id`` was saved to ``path``."""
        self._guard(lambda s: s.set_model_path(run_id, str(os.path.abspath(path))))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


__all__ = ["RunRecorder", "INTERRUPTED", "FAILED"]
