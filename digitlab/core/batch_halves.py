"""A training batch's gradient computed as two halves, one per core.

Why: on two cores, BLAS splits each matrix product between them, but everything around the
products (im2col copies, pooling, ReLU, the element-wise parts of the loss and of backprop) runs
on one core, and the second core waits. Two halves of the batch, each a whole forward and
backward pass with single-threaded BLAS, keep both cores busy all the time: a ``cnn``, ``lenet``
or tutorial-CNN step takes 0.70-0.80x the time (benchmarks/README.md).

The gradient of the batch's mean loss is the size-weighted mean of the halves' gradients::

    g = (n1 * g1 + n2 * g2) / (n1 + n2)

which is the same number up to float rounding (the sums over the batch are added in a
different order). So that a run's weights do not depend on the machine, the split depends only
on the network and the batch size (:func:`halves_apply`), never on the number of cores: on one core
(or with ``OPENBLAS_NUM_THREADS=1``) the halves run one after the other and give the same bits,
BLAS kept to one thread either way. (Without threadpoolctl, a dependency, BLAS cannot be held to
one thread, and its sums may then round differently.) A short last batch of an epoch (fewer
than ``2 * MIN_HALF`` samples) is computed whole. While a step runs, BLAS calls from other
threads (the GUI's predictions) run on one thread too: OpenBLAS has one setting per process.

The second half runs on a *twin*: a network whose parameters are the first network's own arrays
(views, nothing copied) and whose gradients are its own. Dropout draws the whole batch's random
numbers before the halves start and hands each half its rows, so the masks are exactly those the
unsplit batch would get and the run's random streams (and resume state) stay as they were.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np

from .conv import Conv2D
from .layers import Dropout
from .network import Network
from .parallel import blas_threads, serial_copies, single_threaded_blas

#: a batch is split only when each half gets at least this many samples
MIN_HALF = 16


def halves_apply(network: Network, batch_size: int) -> bool:
    """Whether a training batch of ``batch_size`` for ``network`` is computed in two halves:
    when the network has a convolution, both halves have :data:`MIN_HALF` samples or more and
    no layer mixes samples (batch normalisation uses the whole batch's statistics), unless
    ``DIGITLAB_BATCH_HALVES=0`` (to repeat a run made before halves existed bit for bit, or to
    measure what they bring).

    Only convolution networks: an MLP's step is nearly all large matrix products, which BLAS
    already shares between the cores, and halves made it slower (0.80x PyTorch's epoch time
    against 0.71x whole, ``bench_mlp.py``, 2026-12-02)."""
    if os.environ.get("DIGITLAB_BATCH_HALVES", "1").strip() == "0":
        return False
    layers = network.layers
    return (batch_size >= 2 * MIN_HALF and any(isinstance(layer, Conv2D) for layer in layers)
            and not any(layer.mixes_samples for layer in layers))


def gradient_twin(network: Network) -> Network:
    """A network of the same layers whose parameters and buffers are ``network``'s own arrays
    and whose gradients (and layer caches) are its own."""
    twin = Network.from_config(network.get_config(), network.dtype)
    for own, other in zip(network.layers, twin.layers, strict=True):
        for name, array in own.params.items():
            other.params[name] = array
        other.buffers = own.buffers
    twin._flat_params = network.flat_parameters()
    return twin


class BatchHalves:
    """Computes :meth:`Network.gradient` for a batch as two halves, concurrently when it can.

    Parameters
    ----------
    network : the network being trained; its gradients receive the batch's gradient, and its
        ``last_output`` the whole batch's output, as after ``network.gradient``.
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        self.twin = gradient_twin(network)
        self._dropouts = [(index, layer) for index, layer in enumerate(network.layers)
                          if isinstance(layer, Dropout) and layer.rate > 0]
        self._twin_dropouts = [self.twin.layers[index] for index, _ in self._dropouts]
        #: whether the halves run at the same time: when BLAS may use two threads or more (so
        #: two cores are ours: OPENBLAS_NUM_THREADS=1 keeps a run on one) and threadpoolctl
        #: can hold it to one thread per half
        self.concurrent = (os.cpu_count() or 1) >= 2 and blas_threads() >= 2
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="digitlab-half") if self.concurrent else None

    def gradient(self, x: np.ndarray, t: np.ndarray, l2: float = 0.0) -> float:
        """Mean loss of the batch (plus the L2 penalty), with the network's gradients filled in."""
        net, twin = self.network, self.twin
        n = x.shape[0]
        if n < 2 * MIN_HALF:  # a short last batch of an epoch: whole, as the rule says
            return net.gradient(x, t, l2)
        first = n // 2
        self._draw_dropout_masks(n, first)
        # One BLAS thread per half in both cases: OpenBLAS's sums can round differently with
        # one thread and with two, and the halves must give the same bits either way.
        try:
            with single_threaded_blas():
                if self._pool is not None:
                    second = self._pool.submit(self._half, twin, x[first:], t[first:])
                    try:
                        first_loss = self._half(net, x[:first], t[:first])
                    finally:
                        wait([second])  # never leave the twin running after a failure
                    second_loss = second.result()
                else:
                    first_loss = self._half(net, x[:first], t[:first])
                    second_loss = self._half(twin, x[first:], t[first:])
        finally:
            for layer in [layer for _, layer in self._dropouts] + self._twin_dropouts:
                layer.next_draws = None  # drawn for this batch only
        grads = net.flat_gradients()
        if 2 * first == n:
            grads += twin.flat_gradients()
            grads *= grads.dtype.type(0.5)
        else:
            grads *= grads.dtype.type(first / n)
            grads += grads.dtype.type((n - first) / n) * twin.flat_gradients()
        if l2:
            for weight, grad in net.decayed_parameters():
                grad += l2 * weight
        net.last_output = np.concatenate([net.last_output, twin.last_output])
        return (first * first_loss + (n - first) * second_loss) / n + net.l2_penalty(l2)

    @staticmethod
    def _half(network: Network, x: np.ndarray, t: np.ndarray) -> float:
        with serial_copies():  # each half already has a core of its own
            return network.gradient(x, t)

    def _draw_dropout_masks(self, n: int, first: int) -> None:
        """The whole batch's dropout draws, from the network's own generators, split by rows."""
        for (index, layer), twin_layer in zip(self._dropouts, self._twin_dropouts, strict=True):
            shape = (n, *self.network.layer_input_shapes[index])
            draws = layer.rng.random(shape, dtype=np.float32)
            layer.next_draws, twin_layer.next_draws = draws[:first], draws[first:]

    def close(self) -> None:
        """Stop the helper thread (it also ends with the process)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
