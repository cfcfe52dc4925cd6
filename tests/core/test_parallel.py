"""Sharing a batch between threads: identical results, and a thread count decided on first use."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from digitlab.core import parallel
from digitlab.core.network import Network

HEAD = [{"type": "flatten"}, {"type": "dense", "units": 3}, {"type": "softmax"}]


def conv(filters: int, kernel: int, **settings) -> dict:
    return {"type": "conv2d", "filters": filters, "kernel_size": kernel, **settings}


def test_results_do_not_depend_on_threads(monkeypatch):
    """Splitting the batch between threads gives bit-identical outputs and gradients."""
    splitter = parallel.batch_splitter()
    config = {"input_shape": [3, 9, 9], "layers": [
        conv(4, 3, padding="same"), {"type": "max_pool2d", "pool_size": 3, "stride": 2},
        conv(5, 2, stride=2), {"type": "avg_pool2d", "pool_size": 1}, conv(6, 1), {"type": "max_pool2d"},
    ] + HEAD}
    rng = np.random.default_rng(0)
    x = rng.standard_normal((7, 3, 9, 9)).astype(np.float32)
    t = rng.integers(0, 3, 7)
    results = []
    for min_size, threads in ((1 << 62, 1), (0, 3)):
        monkeypatch.setattr(splitter, "min_size", min_size)
        monkeypatch.setattr(splitter, "threads", threads)
        monkeypatch.setattr(splitter, "_pool", None)
        net = Network.from_config(config, rng=np.random.default_rng(1))
        net.layers[4].rows_ratio = np.inf  # one input gradient of each kind
        loss = net.gradient(x, t)
        results.append((loss, net.flat_gradients().copy(), net.predict_proba(x)))
    assert results[0][0] == results[1][0]
    np.testing.assert_array_equal(results[0][1], results[1][1])
    np.testing.assert_array_equal(results[0][2], results[1][2])


def test_copy_threads_follow_the_blas_spin(monkeypatch):
    """One thread per core (at most 8) only when OpenBLAS's idle threads sleep (spin <= 16)."""
    monkeypatch.setattr(os, "cpu_count", lambda: 32)
    expected = {"4": 8, "16": 8, "17": 1, "28": 1, "not a number": 1, None: 1}
    try:
        for value, threads in expected.items():
            if value is None:
                monkeypatch.delenv("OPENBLAS_THREAD_TIMEOUT", raising=False)
            else:
                monkeypatch.setenv("OPENBLAS_THREAD_TIMEOUT", value)
            parallel.copy_threads.cache_clear()
            assert parallel.copy_threads() == threads, value
    finally:
        parallel.copy_threads.cache_clear()  # the next caller reads the real environment


def test_thread_count_is_read_on_first_use_not_at_import():
    """Importing every core module fixes no thread count: an environment set afterwards (as by
    an entry point that imported DigitLab early) still decides the splitter's threads."""
    script = (
        "import importlib, os, pkgutil, digitlab.core\n"
        "for module in pkgutil.walk_packages(digitlab.core.__path__, 'digitlab.core.'):\n"
        "    importlib.import_module(module.name)\n"
        "os.environ['OPENBLAS_THREAD_TIMEOUT'] = '4'\n"
        "os.cpu_count = lambda: 3\n"
        "from digitlab.core.parallel import batch_splitter\n"
        "print(batch_splitter().threads)\n")
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_THREAD_TIMEOUT"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "3"
