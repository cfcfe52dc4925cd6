"""Sharing a batch's copies between threads, how many threads to use, and BLAS's own threads.

The thread count is decided the first time a layer needs it (:func:`batch_splitter`), not when
this module is imported: importing DigitLab changes nothing in the process, and an entry point
that sets ``OPENBLAS_THREAD_TIMEOUT`` (see :mod:`digitlab._env`) is seen whatever the import order.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

#: OpenBLAS's default spin (log2 of CPU cycles) when ``OPENBLAS_THREAD_TIMEOUT`` is not set
_OPENBLAS_DEFAULT_SPIN = 28
#: at or below this spin, idle BLAS threads sleep almost at once and free their cores
_SHORT_SPIN = 16
#: more threads than this do not speed the copies up (memory bandwidth)
_MAX_COPY_THREADS = 8


@functools.cache
def copy_threads() -> int:
    """Threads for the copies around the matrix products: one per core, but only if BLAS lets
    the cores go idle between products.

    By default OpenBLAS's worker threads busy-wait for about 0.1 s after every product, which
    covers all the NumPy work between two products, so extra threads would only queue behind
    them. ``OPENBLAS_THREAD_TIMEOUT`` (log2 of the spin in CPU cycles, read when NumPy loads)
    set to 16 or less makes them sleep almost at once, so an application should set it (to
    4) before it imports NumPy, as DigitLab's entry points do.

    Read on the first call and cached: by then NumPy, and with it OpenBLAS, has loaded, so the
    variable says what OpenBLAS actually does.
    """
    try:
        spin = int(os.environ.get("OPENBLAS_THREAD_TIMEOUT", str(_OPENBLAS_DEFAULT_SPIN)))
    except ValueError:
        spin = _OPENBLAS_DEFAULT_SPIN
    return max(1, min(os.cpu_count() or 1, _MAX_COPY_THREADS)) if spin <= _SHORT_SPIN else 1


class BatchSplitter:
    """Runs ``work(start, stop)`` over slices of the batch, one per thread, in parallel.

    BLAS uses every core for the matrix products, but NumPy does element-wise work and copies
    on one; for large arrays it releases the GIL, so the copies around the products (im2col,
    col2im, pooling) can share the batch between threads. Each sample is computed exactly as
    it would be in one piece, so results do not depend on the number of threads.
    """

    #: jobs smaller than this many array elements run in the calling thread
    min_size = 1 << 18

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None

    def run(self, work: Callable[[int, int], None], count: int, size: int) -> None:
        """Call ``work`` on slices covering ``range(count)``; ``size`` (array elements) decides
        whether the job is worth splitting at all."""
        parts = min(self.threads, count) if size >= self.min_size else 1
        if parts <= 1 or getattr(_this_thread, "serial", False):
            work(0, count)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads - 1, thread_name_prefix="digitlab-conv")
        bounds = [count * part // parts for part in range(parts + 1)]
        futures = [self._pool.submit(work, bounds[part], bounds[part + 1]) for part in range(1, parts)]
        work(bounds[0], bounds[1])
        for future in futures:
            future.result()


@functools.cache
def batch_splitter() -> BatchSplitter:
    """The process's one splitter, made on first use with :func:`copy_threads` threads."""
    return BatchSplitter(copy_threads())


_this_thread = threading.local()


@contextmanager
def serial_copies() -> Iterator[None]:
    """In this thread, run every :meth:`BatchSplitter.run` job in the calling thread: for work
    that already keeps every core busy (:mod:`~digitlab.core.batch_halves` runs one half of a
    batch per core)."""
    before = getattr(_this_thread, "serial", False)
    _this_thread.serial = True
    try:
        yield
    finally:
        _this_thread.serial = before


@functools.cache
def _blas_controller() -> Any:
    """threadpoolctl's view of the loaded BLAS libraries, or None without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


def blas_threads() -> int:
    """How many threads BLAS may use now (1 when threadpoolctl cannot tell)."""
    controller = _blas_controller()
    if controller is None:
        return 1
    counts = [info["num_threads"] for info in controller.info() if info["user_api"] == "blas"]
    return max(counts, default=1)


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """BLAS uses one thread inside this block (process-wide: OpenBLAS has one setting), for
    code that runs its own threads, one per core; without threadpoolctl it changes nothing."""
    controller = _blas_controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield
