"""Loss functions: softmax cross-entropy and the tutorials' squared error.

A loss takes the network's output and the targets, returns the mean loss over the batch, and
then gives the gradient with respect to that output. Targets may be class indices (N,) or
one-hot / real-valued arrays shaped like the output.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .errors import ConfigError


def one_hot(labels: np.ndarray, classes: int, dtype=np.float32) -> np.ndarray:
    """Class indices (N,) -> one-hot rows (N, classes)."""
    out = np.zeros((labels.shape[0], classes), dtype=dtype)
    out[np.arange(labels.shape[0]), labels] = 1
    return out


class Loss:
    """Base class. ``fuses_softmax`` says the loss applies softmax to raw scores itself."""

    name: ClassVar[str] = "loss"
    fuses_softmax: ClassVar[bool] = False

    def forward(self, y: np.ndarray, t: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError


class SoftmaxCrossEntropy(Loss):
    """Cross-entropy of softmax(scores) against the targets, averaged over the batch:
    ``L = -mean_n sum_k t_nk log p_nk``.

    Fusing softmax into the loss makes the gradient with respect to the scores simply
    ``(p - t) / N`` and avoids ``log(0)``: the log-probabilities come from the stable
    ``x - max - log(sum(exp(x - max)))``.
    """

    name = "softmax_cross_entropy"
    fuses_softmax = True

    def forward(self, y: np.ndarray, t: np.ndarray) -> float:
        shifted = y - y.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        sums = exp.sum(axis=1, keepdims=True)
        log_probs_needed: np.ndarray
        n = y.shape[0]
        if t.ndim == 1:
            rows = np.arange(n)
            log_probs_needed = shifted[rows, t] - np.log(sums[:, 0])
            loss = -float(np.sum(log_probs_needed, dtype=np.float64)) / n
        else:
            log_probs = shifted - np.log(sums)
            loss = -float(np.sum(t * log_probs, dtype=np.float64)) / n
        exp /= sums
        self._probs, self._t = exp, t
        return loss

    @property
    def probabilities(self) -> np.ndarray:
        """Softmax of the last forward's scores (N, K)."""
        return self._probs

    def backward(self) -> np.ndarray:
        p, t = self._probs, self._t
        n = p.shape[0]
        grad = p.copy()
        if t.ndim == 1:
            grad[np.arange(n), t] -= 1
        else:
            grad -= t
        grad *= grad.dtype.type(1.0 / n)
        return grad


class MeanSquaredError(Loss):
    """The tutorials' sum of squares: ``0.5 * sum_k (y_k - t_k)**2`` for each sample, averaged
    over the batch. Class-index targets are turned into one-hot rows first. The 1/2 makes the
    gradient exactly ``(y - t) / N``.
    """

    name = "mean_squared_error"

    def forward(self, y: np.ndarray, t: np.ndarray) -> float:
        if t.ndim == 1 and y.ndim == 2 and y.shape[1] > 1:
            t = one_hot(t, y.shape[1], y.dtype)
        t = t.reshape(y.shape)
        self._diff = y - t
        return 0.5 * float(np.sum(self._diff * self._diff, dtype=np.float64)) / y.shape[0]

    def backward(self) -> np.ndarray:
        return self._diff / self._diff.dtype.type(self._diff.shape[0])


LOSSES: dict[str, type[Loss]] = {
    SoftmaxCrossEntropy.name: SoftmaxCrossEntropy,
    MeanSquaredError.name: MeanSquaredError,
}
#: short names accepted on the command line and in the GUI
LOSS_ALIASES = {"cross_entropy": SoftmaxCrossEntropy.name, "mse": MeanSquaredError.name}


def get_loss(name: str) -> Loss:
    """Build a loss by name: ``softmax_cross_entropy`` (alias ``cross_entropy``) or
    ``mean_squared_error`` (alias ``mse``)."""
    key = LOSS_ALIASES.get(name, name)
    if key not in LOSSES:
        raise ConfigError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}")
    return LOSSES[key]()
