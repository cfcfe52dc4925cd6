"""How an edited network does on a fixed test subset, fast enough to follow a slider.

The Neuron lab re-scores after every edit. Most edits (a unit switched off) change only the
layers from some point on, so the unedited network's output up to the first changed layer is
kept and the edited network runs only the rest (a CNN's first convolution is most of its time).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import Cancelled
from .model_edit import Edit, apply_edits, first_changed_layer
from .network import Network, network_plan, plan_sizes

__all__ = ["EditScore", "EditScorer", "fixed_test_subset", "scoring_batch_size", "SUBSET_SIZE"]

#: images in the fixed test subset the Neuron lab and the Robustness view score on
SUBSET_SIZE = 2000
#: largest kept intermediate output (bytes): a wide first layer is recomputed instead
CACHE_BYTES = 128 * 1024**2
#: activation memory one scoring batch may use (bytes). Bigger than evaluation's budget on
#: purpose: on the busy 2-core machine the cnn preset scored 2,000 digits in 1.6-3.2 s in
#: batches of 1,000 against 6-10 s in batches of 401 (BLAS threads pay per call when loaded).
SCORING_MEMORY = 384 * 1024**2


def scoring_batch_size(network: Network, rows: int, memory: int = SCORING_MEMORY) -> int:
    """Rows per batch to push ``rows`` inputs through in as few equal batches as ``memory``
    allows (one batch when it fits)."""
    _, work = plan_sizes(network_plan(network.get_config()))
    largest = max(1, memory // (work * network.dtype.itemsize))
    batches = max(1, math.ceil(rows / largest))
    return max(1, math.ceil(rows / batches))


def fixed_test_subset(available: int, size: int = SUBSET_SIZE, seed: int = 0) -> np.ndarray:
    """Indices of ``size`` test images (all when fewer), the same every time: sorted, drawn
    without replacement from ``default_rng(seed)`` so every digit class is represented."""
    if available <= size:
        return np.arange(available)
    return np.sort(np.random.default_rng(seed).choice(available, size, replace=False))


@dataclass(frozen=True)
class EditScore:
    """Accuracy of an edited network on the subset, and its probabilities for one input."""

    accuracy: float
    probabilities: np.ndarray | None  # (10,) for the current digit, or None
    network: Network  # the edited copy


class EditScorer:
    """Scores edit lists for one network on fixed inputs; lives on one thread at a time.

    Parameters
    ----------
    network : Network
        The trained network; a private copy is taken, so the caller's network may go on
        predicting on another thread.
    x : np.ndarray, shape (N, *network.input_shape)
        The subset's network inputs.
    labels : np.ndarray, shape (N,)
    batch_size : int, optional
        Inputs pushed through at a time (default: the whole subset, or as few equal batches as
        :data:`SCORING_MEMORY` allows).
    """

    def __init__(self, network: Network, x: np.ndarray, labels: np.ndarray,
                 batch_size: int | None = None) -> None:
        self.network = network.copy()
        self.x = np.asarray(x, dtype=self.network.dtype)
        self.labels = np.asarray(labels)
        # Big batches: with BLAS threads on a busy machine, 2,000 rows at once took 0.30 s where
        # eight batches of 250 took 1.2 s (784-256-128-10, load 17 on 2 cores).
        self.batch_size = batch_size or scoring_batch_size(self.network, self.x.shape[0])
        #: the unedited network's input to a layer, by layer index (within CACHE_BYTES)
        self._cached: dict[int, np.ndarray] = {}

    def _input_of(self, layer_index: int, should_cancel: Callable[[], bool]) -> np.ndarray:
        """What layer ``layer_index`` of the unedited network receives for the subset."""
        if layer_index == 0:
            return self.x
        if layer_index in self._cached:
            return self._cached[layer_index]
        parts = []
        for start in range(0, self.x.shape[0], self.batch_size):
            if should_cancel():
                raise Cancelled("scoring cancelled")
            y = self.x[start:start + self.batch_size]
            for layer in self.network.layers[:layer_index]:
                y = layer.forward(y, False)
            parts.append(np.array(y, copy=True))
        result = np.concatenate(parts)
        if result.nbytes <= CACHE_BYTES:
            # keep the newest within the budget: the unedited scores' input (small) stays
            while self._cached and sum(a.nbytes for a in self._cached.values()) + result.nbytes > CACHE_BYTES:
                self._cached.pop(max(self._cached, key=lambda k: self._cached[k].nbytes))
            self._cached[layer_index] = result
        return result

    def score(self, edits: Sequence[Edit], digit_input: np.ndarray | None = None,
              should_cancel: Callable[[], bool] = lambda: False) -> EditScore:
        """Accuracy of the network with ``edits`` on the subset, and its probabilities for
        ``digit_input`` (shape ``(1, *input_shape)``) when given.

        Raises :class:`~digitlab.core.errors.Cancelled` once ``should_cancel()`` turns True.
        """
        edited = apply_edits(self.network, edits)
        start_layer = min(first_changed_layer(self.network, edits), len(edited.layers) - 1)
        inputs = self._input_of(start_layer, should_cancel)
        correct = 0
        for start in range(0, inputs.shape[0], self.batch_size):
            if should_cancel():
                raise Cancelled("scoring cancelled")
            y = inputs[start:start + self.batch_size]
            for layer in edited.layers[start_layer:]:
                y = layer.forward(y, False)
            correct += int(np.sum(np.argmax(y, axis=1) == self.labels[start:start + self.batch_size]))
        accuracy = correct / max(1, self.labels.size)
        probabilities = None
        if digit_input is not None:
            probabilities = edited.predict_proba(np.asarray(digit_input, dtype=edited.dtype))[0]
        return EditScore(accuracy, probabilities, edited)
