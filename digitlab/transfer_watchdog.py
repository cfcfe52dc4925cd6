"""A watchdog for one HTTP transfer: cancel, an overall deadline and a minimum rate.

A blocked ``recv`` cannot poll a flag, and a per-read socket timeout never fires for a server
that trickles a byte at a time. So a thread watches the clock, the byte count and the cancel
flag, and shuts the socket down when a limit is hit; that wakes the blocked read at once, and
the reader asks :meth:`TransferWatchdog.reason` why.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

#: Each mirror gets this long to deliver one file in full before the next mirror is tried.
DEFAULT_DEADLINE_SECONDS = 600.0
#: A mirror slower than this over any ``DEFAULT_RATE_WINDOW_SECONDS`` is abandoned.
DEFAULT_MIN_BYTES_PER_SECOND = 1024.0
DEFAULT_RATE_WINDOW_SECONDS = 30.0
# How often the watchdog looks at the cancel flag, the deadline and the rate: cancel takes
# effect within this many seconds even while a read is blocked.
WATCH_INTERVAL = 0.1


@dataclass(frozen=True)
class TransferLimits:
    """When to give up on one mirror for one file.

    Attributes
    ----------
    deadline : float
        Seconds from the request to the last byte.
    min_bytes_per_second : float
        The slowest average rate accepted over each ``rate_window``.
    rate_window : float
        Seconds over which the rate is measured (a short stall is forgiven).
    """

    deadline: float = DEFAULT_DEADLINE_SECONDS
    min_bytes_per_second: float = DEFAULT_MIN_BYTES_PER_SECOND
    rate_window: float = DEFAULT_RATE_WINDOW_SECONDS


#: What :meth:`TransferWatchdog.reason` returns when the user cancelled.
CANCELLED = "cancelled"


class TransferWatchdog:
    """Cuts the connection when the user cancels, the deadline passes or the rate falls too low.

    Use as a context manager around the reading loop; the reader adds to ``bytes_received``
    and calls :meth:`reason` after each read (and when a read fails).

    Parameters
    ----------
    sock : the connection to shut down, or None until :meth:`watch_socket` gives it (until
        then, limits are checked between reads only).
    should_cancel : polled from the watchdog thread, so it must be thread-safe (read a flag).
    limits : the deadline and minimum rate.
    started : ``time.monotonic()`` when the request began; the deadline counts from there.
    """

    def __init__(self, sock: socket.socket | None, should_cancel: Callable[[], bool] | None,
                 limits: TransferLimits, started: float) -> None:
        self._sock = sock
        self._should_cancel = should_cancel
        self._limits = limits
        self._started = started
        self._tripped: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="download-watchdog", daemon=True)
        self.bytes_received = 0  # written by the reading thread only

    def __enter__(self) -> TransferWatchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def watch_socket(self, sock: socket.socket) -> None:
        """The connection to cut from now on (cut at once if a limit was already hit)."""
        self._sock = sock
        if self._tripped is not None:
            self._cut()

    def reason(self) -> str | None:
        """None while the transfer may go on; ``CANCELLED``; or why the mirror was abandoned."""
        if self._tripped is None:
            self._tripped = self._check(time.monotonic())
        return self._tripped

    def _watch(self) -> None:
        window_start, window_bytes = self._started, 0
        while not self._stop.wait(WATCH_INTERVAL):
            now = time.monotonic()
            reason = self._check(now)
            if reason is None and now - window_start >= self._limits.rate_window:
                rate = (self.bytes_received - window_bytes) / (now - window_start)
                if rate < self._limits.min_bytes_per_second:
                    reason = (f"too slow: {rate:.0f} bytes/s over {now - window_start:.1f} s, below "
                              f"the minimum of {self._limits.min_bytes_per_second:.0f} bytes/s")
                window_start, window_bytes = now, self.bytes_received
            if reason is not None:
                self._tripped = reason
                self._cut()
                return

    def _check(self, now: float) -> str | None:
        if self._should_cancel is not None and self._should_cancel():
            return CANCELLED
        elapsed = now - self._started
        if elapsed > self._limits.deadline:
            return f"gave up after {elapsed:.0f} s (limit {self._limits.deadline:g} s per file)"
        return None

    def _cut(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
