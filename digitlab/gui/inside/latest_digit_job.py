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
from PySide6.QtCore import QObject, Signal

from ...core.network import Network
from ...core.serialization import SavedModel
from ..jobs import Job

#: ``compute(private_model, image) -> result``, run on the worker thread
Compute = Callable[[SavedModel, np.ndarray], Any]
#: a network's architecture, dtype and weights, taken on the GUI thread
_Snapshot = tuple[dict[str, Any], np.dtype, dict[str, np.ndarray]]
_Request = tuple[SavedModel, _Snapshot, np.ndarray, Compute]


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


class LatestDigitJob(QObject):
    """One view's background computations: at most one running and one waiting."""

    #: the result of the newest computation that finished (GUI thread)
    result_ready = Signal(object)
    #: one line: why it failed
    failed = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._job: Job | None = None
        self._waiting: _Request | None = None
        self._twins = _Twins()

    @property
    def is_busy(self) -> bool:
        """A computation runs or waits."""
        return self._job is not None or self._waiting is not None

    def submit(self, model: SavedModel, image: np.ndarray, compute: Compute) -> None:
        """Compute ``compute(copy of model, image)`` on a worker thread (after the running one)."""
        # The snapshot is taken now, on the GUI thread, where the weights are consistent.
        network = model.network
        snapshot = (network.get_config(), network.dtype, network.state_dict())
        request = (model, snapshot, np.array(image, dtype=np.float32), compute)
        if self._job is not None:
            self._waiting = request  # replaces an older waiting request: only the newest counts
            return
        self._start(request)

    def _start(self, request: _Request) -> None:
        model, snapshot, image, compute = request
        twins = self._twins

        def work(_progress, _should_cancel) -> object:
            return compute(twins.model_for(model, snapshot), image)

        job = Job(work, self.name)
        job.result_ready.connect(self._on_result)
        job.failed.connect(self._on_failed)
        job.finished.connect(self._on_finished)
        self._job = job
        job.start()

    def _on_result(self, result: object) -> None:
        if self._waiting is None:  # a newer request would replace this result at once
            self.result_ready.emit(result)

    def _on_failed(self, message: str) -> None:
        if self._waiting is None:
            self.failed.emit(message)

    def _on_finished(self) -> None:
        self._job = None
        if self._waiting is not None:
            request, self._waiting = self._waiting, None
            self._start(request)

    def wait(self, timeout_ms: int = 10000) -> bool:
        """Block until the running computation's thread has ended (tests, closing)."""
        job = self._job
        return True if job is None else job.wait(timeout_ms)
