"""Scratch arrays for warping batches (:func:`digitlab.core.augment.warp_affine_batch`), kept per
thread and reused while the batch shape stays the same."""

from __future__ import annotations

import threading

import numpy as np


class Workspace:
    """Scratch arrays for warping batches of one shape.

    Allocating these afresh for every batch costs more than the arithmetic: the allocator hands
    megabytes back to the operating system after each call and page-faults them in again on
    the next (measured: 1.07 s instead of 0.29 s for 60,000 MNIST images in batches of 128).
    """

    def __init__(self, n: int, height: int, width: int) -> None:
        shape = (n, height, width)
        self.shape = shape
        self.padded = np.zeros((n, height + 3, width + 3), dtype=np.float32)
        self.rows = np.arange(height, dtype=np.float32)[:, None]
        self.cols = np.arange(width, dtype=np.float32)[None, :]
        self.src_r = np.empty(shape, dtype=np.float32)
        self.src_c = np.empty(shape, dtype=np.float32)
        self.r0 = np.empty(shape, dtype=np.float32)
        self.c0 = np.empty(shape, dtype=np.float32)
        self.index = np.empty(shape, dtype=np.intp)
        image_size = (height + 3) * (width + 3)
        self.image_offsets = (np.arange(n, dtype=np.intp) * image_size)[:, None, None]
        self.corners = tuple(np.empty(shape, dtype=np.float32) for _ in range(4))

    @property
    def nbytes(self) -> int:
        """Memory held, in bytes."""
        arrays = [self.padded, self.src_r, self.src_c, self.r0, self.c0, self.index]
        return sum(a.nbytes for a in arrays) + sum(a.nbytes for a in self.corners)


# Workspaces are per thread (a GUI preview and a training worker may warp at the same time)
# and only the latest shape is kept: training batches all share one shape.
_local = threading.local()
# Larger batches (a whole data set at once) get a throw-away workspace instead of pinning
# hundreds of megabytes for the life of the process.
_MAX_CACHED_BYTES = 32 * 2**20


def workspace(n: int, height: int, width: int) -> Workspace:
    """This thread's workspace for ``(n, height, width)`` batches, reused when possible."""
    ws = getattr(_local, "workspace", None)
    if ws is not None and ws.shape == (n, height, width):
        return ws
    ws = Workspace(n, height, width)
    if ws.nbytes <= _MAX_CACHED_BYTES:
        _local.workspace = ws
    return ws
