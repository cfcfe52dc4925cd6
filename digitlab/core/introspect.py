"""Every layer's output for some inputs: what the Inside views and the points map look at."""

from __future__ import annotations

import numpy as np

from .network import Network

__all__ = ["layer_outputs"]


def layer_outputs(network: Network, x: np.ndarray, batch_size: int = 500) -> list[np.ndarray]:
    """The output of each layer of ``network`` for the inputs ``x``, in inference mode.

    Parameters
    ----------
    network : Network
        Any DigitLab network (MLP or CNN).
    x : np.ndarray, shape (N, *network.input_shape)
        Network inputs, already through the model's input transform.
    batch_size : int
        Inputs pushed through at a time, to bound the memory of wide convolution layers.

    Returns
    -------
    list of np.ndarray
        ``outputs[i]`` has shape ``(N, *output shape of layer i)``; the last one is the
        network's final output (probabilities when it ends in a softmax layer).
    """
    x = np.asarray(x, dtype=network.dtype)
    per_batch: list[list[np.ndarray]] = []
    for start in range(0, x.shape[0], batch_size):
        y = x[start:start + batch_size]
        outputs = []
        for layer in network.layers:
            # copy: a layer may reuse its output buffer on the next call
            y = np.array(layer.forward(y, False), copy=True)
            outputs.append(y)
        per_batch.append(outputs)
    if not per_batch:
        return []
    return [np.concatenate([batch[i] for batch in per_batch]) for i in range(len(network.layers))]
