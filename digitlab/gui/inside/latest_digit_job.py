"""Run a view's per-digit computation on a worker thread: the latest request only, on a private copy.

A view asks for a computation each time the digit, the model or a control changes (20 times a
second while the pen moves). :class:`LatestDigitJob` runs one at a time through
:class:`~digitlab.gui.jobs.Job`; a request made while one runs replaces any request still
waiting, so the view always ends on the newest digit and never queues stale work.

The work never touches the session's network: layers cache their inputs and scratch buffers
while computing, and the Draw panel uses that network on the GUI thread at the same time. Each
request takes a snapshot of the weights on the GUI thread (a copy of a few MB at most) and the
worker loads it into a private twin of the network, built once per architecture.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject

from ...core.network import Network
from ...core.serialization import SavedModel
from .latest_job import LatestJob

#: ``compute(private_model, image) -> result``, run on the worker thread
Compute = Callable[[SavedModel, np.ndarray], Any]
#: a network's architecture, dtype and weights, taken on the GUI thread
_Snapshot = tuple[dict[str, Any], np.dtype, dict[str, np.ndarray]]


class _Twins:
    """The private networks, by architecture. Used by one work function at a time only."""

    def __init__(self) -> None:
        self._key: str | None = None
        self._network: Network | None = None

    def model_for(self, model: SavedModel, snapshot: _Snapshot) -> SavedModel:
        config, dtype, state = snapshot
        key = json.dumps([config, str(dtype)], sort_keys=True)
        if key != self._key or self._network is None:
            self._network = Network.from_config(config, dtype)
            self._key = key
        self._network.load_state_dict(state)
        return dataclasses.replace(model, network=self._network)


class LatestDigitJob(LatestJob):
    """One view's background computations: at most one running and one waiting (the queueing is
    :class:`~.latest_job.LatestJob`'s, without its delay: a digit view answers at once)."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(name, parent, delay_ms=0)
        self._twins = _Twins()

    @property
    def is_busy(self) -> bool:
        """A computation runs or waits."""
        return self.busy

    def submit(self, model: SavedModel, image: np.ndarray, compute: Compute) -> None:
        """Compute ``compute(copy of model, image)`` on a worker thread (after the running one)."""
        # The snapshot is taken now, on the GUI thread, where the weights are consistent.
        network = model.network
        snapshot = (network.get_config(), network.dtype, network.state_dict())
        image = np.array(image, dtype=np.float32)
        twins = self._twins  # one work function at a time: LatestJob runs one job at a time

        def work(_progress, _should_cancel) -> object:
            return compute(twins.model_for(model, snapshot), image)

        self.request(work, immediately=True)

    def wait(self, timeout_ms: int = 10000) -> bool:
        """Block until the running computation's thread has ended (tests, closing)."""
        job = self.job
        return True if job is None else job.wait(timeout_ms)
