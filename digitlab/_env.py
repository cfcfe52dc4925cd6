"""Process settings that DigitLab's entry points apply before NumPy is imported.

Importing :mod:`digitlab` changes nothing in the process; the ``digitlab`` command,
``python -m digitlab``, the bundled launcher and the benchmarks call
:func:`set_openblas_thread_timeout` first thing. This module must not import NumPy (nor
anything that does): the setting only counts if it is in the environment when NumPy loads.
"""

from __future__ import annotations

import os

#: log2 of the CPU cycles an idle OpenBLAS thread spins before it sleeps (OpenBLAS's default is 28)
OPENBLAS_THREAD_TIMEOUT = "4"


def set_openblas_thread_timeout() -> None:
    """Let idle OpenBLAS threads sleep almost at once, unless the user chose otherwise.

    Idle OpenBLAS threads otherwise busy-wait ~0.1 s after every matrix product, holding the
    other core that the convolution copies and the GUI thread need (``benchmarks/bench_cnn.py``
    measured it). OpenBLAS reads ``OPENBLAS_THREAD_TIMEOUT`` once, when NumPy loads, so call
    this before anything imports NumPy; child processes inherit it. A value the user set is kept.
    """
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", OPENBLAS_THREAD_TIMEOUT)
