"""What the current run has reported so far, kept by the session: the batch losses the Curves
tab draws and the gradients the Weights tab shows. One home each.

They live with the session, not in the panels, so those tabs can be built when first shown
(start-up time) and still show everything of a run that began before they existed, and so the
Curves tab's CSV export reads the same numbers its plot shows.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.events import BatchEnd, WeightsSnapshot

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


class GradientTrace:
    """The last weight snapshot's gradients and every snapshot's gradient norms, by parameter
    name, since the run started (cleared by the session when a run starts or, between runs,
    when another model is adopted)."""

    def __init__(self) -> None:
        #: parameter name -> gradient array of the last snapshot
        self.gradients: dict[str, np.ndarray] = {}
        #: parameter name -> [(iteration, gradient norm)]
        self.norms: dict[str, list[tuple[int, float]]] = {}

    def add(self, snapshot: WeightsSnapshot) -> None:
        self.gradients = dict(snapshot.gradients)
        for name, norm in snapshot.gradient_norms.items():
            self.norms.setdefault(name, []).append((snapshot.iteration, norm))

    def clear(self) -> None:
        self.gradients, self.norms = {}, {}
