"""Evaluating a network on a labelled set of 28x28 images."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .calibration import tempered_probabilities
from .errors import Cancelled
from .inputs import InputTransform
from .metrics import accuracy, confusion_matrix, per_class_accuracy
from .network import Network, network_plan, plan_sizes

#: activation memory one evaluation batch may use; a network that needs a lot per image (a
#: large padded convolution) is evaluated in smaller batches instead of exhausting memory
BATCH_MEMORY = 128 * 1024**2


@dataclass(frozen=True)
class Evaluation:
    loss: float
    accuracy: float
    predictions: np.ndarray  # (N,) int
    confidences: np.ndarray  # (N,) probability of the predicted class
    confusion: np.ndarray  # (10, 10), rows = true label

    @property
    def per_class_accuracy(self) -> np.ndarray:
        return per_class_accuracy(self.confusion)


def inference_batch_size(network: Network, requested: int) -> int:
    """``requested``, or fewer so that one batch's activations stay within BATCH_MEMORY."""
    _, work = plan_sizes(network_plan(network.get_config()))
    return max(1, min(requested, BATCH_MEMORY // (work * network.dtype.itemsize)))


def loss_and_accuracy(network: Network, transform: InputTransform, images: np.ndarray,
                      labels: np.ndarray, batch_size: int = 256) -> tuple[float, float]:
    """Mean loss (no L2 term) and accuracy over a whole set, ``batch_size`` at a time."""
    if labels.size == 0:
        return float("nan"), 0.0
    total_loss = 0.0
    correct = 0
    batch_size = inference_batch_size(network, batch_size)
    for start in range(0, labels.size, batch_size):
        x = transform.apply(images[start:start + batch_size], network.input_shape, network.dtype)
        t = labels[start:start + batch_size]
        total_loss += network.loss(x, t, training=False) * t.size
        correct += int(np.sum(np.argmax(network.last_output, axis=1) == t))
    return total_loss / labels.size, correct / labels.size


def evaluate(network: Network, transform: InputTransform, images: np.ndarray,
             labels: np.ndarray, batch_size: int = 256, *,
             on_progress: Callable[[float], None] | None = None,
             should_stop: Callable[[], bool] | None = None,
             temperature: float | None = None) -> Evaluation:
    """Loss, accuracy, every prediction with its confidence, and the confusion matrix.

    Parameters
    ----------
    images : (N, 28, 28) uint8
    labels : (N,) int
    on_progress : called after each batch with the fraction of the set done, in (0, 1].
    should_stop : polled before each batch; once it returns True, :class:`Cancelled` is raised.
    temperature : the model's calibration temperature: the confidences are then the calibrated
        ones the app shows everywhere (answers, accuracy and loss do not change).
    """
    losses, probs = [], []
    batch_size = inference_batch_size(network, batch_size)
    for start in range(0, labels.size, batch_size):
        if should_stop is not None and should_stop():
            raise Cancelled("evaluation cancelled")
        x = transform.apply(images[start:start + batch_size], network.input_shape, network.dtype)
        t = labels[start:start + batch_size]
        losses.append(network.loss(x, t, training=False) * t.size)
        batch_probs = network.output_probabilities()
        if temperature is not None:
            # softmax(log p / T) = softmax(z / T): the scores' shift cancels in the softmax.
            batch_probs = tempered_probabilities(np.log(np.clip(batch_probs, 1e-30, None)), temperature)
        probs.append(batch_probs)
        if on_progress is not None:
            on_progress(min(start + batch_size, labels.size) / labels.size)
    p = np.concatenate(probs) if probs else np.zeros((0, 10), np.float32)
    predicted = np.argmax(p, axis=1)
    return Evaluation(loss=float(sum(losses) / max(labels.size, 1)),
                      accuracy=accuracy(predicted, labels), predictions=predicted,
                      confidences=p[np.arange(p.shape[0]), predicted],
                      confusion=confusion_matrix(predicted, labels, p.shape[1] if p.size else 10))
