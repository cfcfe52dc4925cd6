"""Which convolution algorithm to run for a shape, chosen by measured time and remembered.

Like cuDNN's benchmark mode: the first time a layer meets a shape (batch, channels, size,
filters, padding, training or not) for which more than one algorithm applies, it runs each a
few times and keeps the faster for the rest of the process. Each candidate is measured in one
block, and its work arrays are released before the next one's are made, so measuring does not
raise the process's peak memory. The fastest round counts, not the median: on a machine shared
with other processes a 20 ms call's wall time swings by a factor of two, and the fastest round
is the one least disturbed. (CPU time is no better: idle BLAS threads waiting for a busy core
burn it too.) On a loaded machine the choice can differ from run to run; both algorithms
compute the same numbers up to float rounding (``tests/core/test_conv.py`` holds each to the
reference). Shapes too small to matter are not measured (the first candidate is taken).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Hashable, Sequence

#: timed rounds of each candidate when measuring (after one untimed warm-up that makes its work
#: arrays); the fastest round counts, the one least disturbed by other processes
ROUNDS = 3
#: below this many multiply-adds per call the choice is not worth measuring
MIN_MEASURED_WORK = 20_000_000

_measuring = threading.Lock()
_chosen: dict[Hashable, str] = {}

#: the values DIGITLAB_CONV_ALGORITHM may take; the first is the default
ALGORITHMS = ("by-shape", "im2col", "winograd", "auto")
#: by shape, Winograd runs where a 3x3 stride-1 layer reads at least this many channels: with
#: one input channel (a first layer) its 16 small products lose to one cheap im2col product
WINOGRAD_MIN_CHANNELS = 16


def algorithm_from_environment() -> str:
    """``DIGITLAB_CONV_ALGORITHM`` if it names one of :data:`ALGORITHMS`, else ``"by-shape"``.

    ``by-shape`` (a fixed rule), ``im2col`` and ``winograd`` give bit-identical weights when a
    run is repeated; ``auto`` (measured, like cuDNN's benchmark mode) may pick differently on a
    busier machine.
    """
    value = os.environ.get("DIGITLAB_CONV_ALGORITHM", ALGORITHMS[0]).strip().lower()
    return value if value in ALGORITHMS else ALGORITHMS[0]


def choose(key: Hashable, candidates: Sequence[str], work: int,
           trial: Callable[[str], None], release: Callable[[], None] = lambda: None) -> str:
    """The candidate to use for ``key``: measured once with ``trial(name)`` and remembered.

    Parameters
    ----------
    key : everything the timing depends on (shapes, mode).
    candidates : algorithm names, the default first.
    work : multiply-adds of one call; small jobs take the default without measuring.
    trial : runs one call of the named algorithm (its results are thrown away).
    release : frees the work arrays of the candidate just measured.
    """
    if len(candidates) == 1 or work < MIN_MEASURED_WORK:
        return candidates[0]
    with _measuring:  # the two halves of a batch (batch_halves) meet a new shape together
        return _chosen[key] if key in _chosen else _measure(key, candidates, trial, release)


def _measure(key: Hashable, candidates: Sequence[str], trial: Callable[[str], None],
             release: Callable[[], None]) -> str:
    """Time each candidate (warm-up, then ROUNDS calls; fastest call) and remember the winner."""
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for name in candidates:
        trial(name)  # warm-up: makes the work arrays
        for _ in range(ROUNDS):
            began = time.perf_counter()
            trial(name)
            times[name].append(time.perf_counter() - began)
        release()
    _chosen[key] = min(candidates, key=lambda name: min(times[name]))
    return _chosen[key]


def chosen() -> dict[Hashable, str]:
    """The choices made so far in this process (a copy), for benchmarks and tests."""
    return dict(_chosen)


def forget() -> None:
    """Measure again next time (after a change of machine load, or in tests)."""
    _chosen.clear()
