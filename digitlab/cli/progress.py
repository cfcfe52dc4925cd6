"""A progress line for long work on stderr: bar, counts, rate and ETA.

On a terminal the line redraws in place at most ten times a second; in a log (not a TTY) it
prints a plain line every few seconds instead, so CI logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def format_duration(seconds: float | None) -> str:
    """``75`` -> ``'1:15'``; ``3725`` -> ``'1:02:05'``; unknown -> ``'?'``."""
    if seconds is None or seconds != seconds or seconds == float("inf"):
        return "?"
    seconds = int(round(max(seconds, 0)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressLine:
    def __init__(self, stream: TextIO | None = None, width: int = 24,
                 interval: float | None = None) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = interval if interval is not None else (0.1 if self.is_tty else 5.0)
        self._last = 0.0
        self._shown = False

    def update(self, fraction: float, text: str, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"[{bar}] {fraction * 100:5.1f}% {text}"
        if self.is_tty:
            self.stream.write("\r\x1b[K" + line)
            self._shown = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def clear(self) -> None:
        """Remove the in-place line so a normal line can be printed."""
        if self.is_tty and self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False

    def print(self, line: str) -> None:
        self.clear()
        self.stream.write(line + "\n")
        self.stream.flush()
