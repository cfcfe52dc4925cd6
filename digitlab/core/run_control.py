"""Pause, resume, stop and learning-rate requests to a run, from any thread.

The trainer polls a :class:`RunControl` between batches, so a request always lands between two
complete updates and a stopped run leaves a consistent network.
"""

from __future__ import annotations

import math
import threading
import time

from .errors import ConfigError


class RunControl:
    """Pause, resume, stop and learning-rate requests, safe to call from any thread."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._lock = threading.Lock()
        self._new_lr: float | None = None

    def request_stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused run so it can stop

    def pause(self) -> None:
        if not self._stop.is_set():
            self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def set_learning_rate(self, lr: float) -> None:
        """Change the base learning rate from the next batch on (the schedule still applies)."""
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise ConfigError(f"learning rate must be a positive number, got {lr!r}")
        with self._lock:
            self._new_lr = float(lr)

    def take_learning_rate(self) -> float | None:
        with self._lock:
            lr, self._new_lr = self._new_lr, None
        return lr

    def wait_while_paused(self) -> float:
        """Block while paused; return the seconds spent waiting."""
        if self._running.is_set():
            return 0.0
        start = time.perf_counter()
        self._running.wait()
        return time.perf_counter() - start
