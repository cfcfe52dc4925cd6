"""The batch losses of the current model's run as the Curves panel draws them: one home.

They live with the session, not in the panel, so the Curves tab can be built when it is first
shown (start-up time) and still draw every batch of a run that began before it existed, and so
the CSV export reads the same numbers the plot shows.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.events import BatchEnd

SMOOTHING = 0.9  # exponential moving average factor of the smoothed batch loss


class _Growable:
    """A float64 column that grows by doubling, so appending n values costs O(n) in all."""

    def __init__(self) -> None:
        self._data = np.empty(1024)
        self.size = 0

    def append(self, value: float) -> None:
        if self.size == len(self._data):
            bigger = np.empty(2 * len(self._data))
            bigger[: self.size] = self._data
            self._data = bigger
        self._data[self.size] = value
        self.size += 1

    def clear(self) -> None:
        self.size = 0

    def view(self) -> np.ndarray:
        return self._data[: self.size]


class BatchLosses:
    """Reported batch losses: position in epochs, loss, and its bias-corrected moving average.

    Batch ``b`` of epoch ``e`` sits at ``e - 1 + b / batches_per_epoch``. A non-finite loss (a
    diverging run) is kept as it is but leaves the average alone.
    """

    def __init__(self) -> None:
        self._x, self._loss, self._smoothed = _Growable(), _Growable(), _Growable()
        self._ema, self._ema_count = 0.0, 0

    def __len__(self) -> int:
        return self._x.size

    def add(self, event: BatchEnd) -> None:
        self._x.append(event.epoch - 1 + event.batch / max(event.batches_per_epoch, 1))
        self._loss.append(event.loss)
        if math.isfinite(event.loss):
            self._ema = SMOOTHING * self._ema + (1 - SMOOTHING) * event.loss
            self._ema_count += 1
        self._smoothed.append(self._ema / (1 - SMOOTHING ** self._ema_count) if self._ema_count
                              else math.nan)

    def clear(self) -> None:
        for column in (self._x, self._loss, self._smoothed):
            column.clear()
        self._ema, self._ema_count = 0.0, 0

    def positions(self) -> np.ndarray:
        """Each batch's position in epochs (a view: copy it to keep it)."""
        return self._x.view()

    def losses(self) -> np.ndarray:
        return self._loss.view()

    def smoothed(self) -> np.ndarray:
        return self._smoothed.view()
