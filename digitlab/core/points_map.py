"""The points map: test digits placed by what the network makes of them, layer by layer.

:func:`map_features` pushes a fixed subset of test digits through a model once, layer by layer,
and keeps for every stage (the input pixels, then each layer's output) its top principal
components (:data:`FEATURE_DIMENSIONS` of them). The two-dimensional PCA map of a stage is then
its first two columns, and t-SNE (:func:`embed`) starts from those columns, which is the usual
practice and keeps a 12,544-value conv output as cheap to map as 784 pixels.

Only one stage's full output is in memory at a time, so a wide CNN's maps need no more memory
than its widest layer for the chosen digits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .data import MnistData
from .embedding import pca, tsne
from .errors import Cancelled, ConfigError
from .evaluation import inference_batch_size
from .predict import check_image_model, model_probabilities
from .serialization import SavedModel

__all__ = ["FEATURE_DIMENSIONS", "MAP_METHODS", "MAP_POINTS", "MapStage", "MappedDigits",
           "choose_digits", "embed", "map_features"]

#: how many test digits the map shows (the issue's 2,000)
MAP_POINTS = 2000
#: principal components kept per stage: all the t-SNE needs, and small to keep
FEATURE_DIMENSIONS = 50
#: the map methods, by key
MAP_METHODS = ("pca", "tsne")

ProgressFn = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]


@dataclass(frozen=True)
class MapStage:
    """One place in the network where the digits are looked at.

    ``layer`` is None for the input pixels, else the index of the layer whose output this is;
    ``kind`` that layer's type ("dense", "relu", "conv2d"...) or "input"; ``shape`` the shape
    of one digit's values there; ``features`` (N, <= FEATURE_DIMENSIONS) float32, the principal
    component scores, largest first.
    """

    layer: int | None
    kind: str
    shape: tuple[int, ...]
    features: np.ndarray

    @property
    def size(self) -> int:
        """How many values one digit has at this stage."""
        return int(np.prod(self.shape))


@dataclass(frozen=True)
class MappedDigits:
    """The chosen test digits, what the model says about them, and every stage's features.

    ``images`` (N, 28, 28) uint8, ``labels`` and ``predictions`` (N,) int, ``confidences`` (N,)
    the shown probability of the prediction, ``indices`` (N,) positions in the test set.
    """

    indices: np.ndarray
    images: np.ndarray
    labels: np.ndarray
    predictions: np.ndarray
    confidences: np.ndarray
    stages: tuple[MapStage, ...]

    @property
    def misclassified(self) -> np.ndarray:
        """Boolean mask (N,): the digits the model gets wrong."""
        return self.predictions != self.labels

    @property
    def accuracy(self) -> float:
        return float(np.mean(~self.misclassified)) if self.labels.size else 0.0


def choose_digits(mnist: MnistData, count: int = MAP_POINTS, seed: int = 0) -> np.ndarray:
    """Sorted indices of ``count`` test digits drawn without replacement (all if fewer)."""
    total = mnist.test_labels.shape[0]
    if count >= total:
        return np.arange(total)
    return np.sort(np.random.default_rng(seed).choice(total, size=count, replace=False))


def map_features(model: SavedModel, mnist: MnistData, indices: np.ndarray,
                 progress: ProgressFn | None = None,
                 should_cancel: ShouldCancel | None = None) -> MappedDigits:
    """Push the test digits ``indices`` through ``model`` and keep each stage's PCA features.

    Parameters
    ----------
    model : SavedModel
        Any DigitLab model that reads 28x28 digits (MLP or CNN).
    mnist : MnistData
        Where the test digits come from.
    indices : np.ndarray of int, shape (N,)
        Which test digits (see :func:`choose_digits`); N >= 3.
    progress : ``progress(fraction, text)`` after each stage.
    should_cancel : polled between stages and batches; True raises :class:`Cancelled`.

    Returns
    -------
    MappedDigits
        With ``len(model.network.layers) + 1`` stages, the input pixels first.

    Raises
    ------
    ModelFileError
        If the model does not read 28x28 digits or does not name ten of them.
    """
    check_image_model(model)  # one clear line for a model that does not read 28x28 digits
    report = progress or (lambda _fraction, _text: None)
    cancelled = should_cancel or (lambda: False)
    indices = np.asarray(indices, dtype=np.int64)
    if indices.size < 3:
        raise ConfigError(f"a points map needs at least 3 test digits, got {indices.size}")
    network = model.network
    images = np.asarray(mnist.test_images[indices])
    labels = np.asarray(mnist.test_labels[indices], dtype=np.int64)
    values = model.transform.apply(images, network.input_shape, network.dtype)
    probabilities = model_probabilities(model, values)
    total = len(network.layers) + 1
    stages = [MapStage(None, "input", tuple(network.input_shape), _reduce(values))]
    report(1 / total, "input")
    batch = inference_batch_size(network, 500)
    for i, layer in enumerate(network.layers):
        if cancelled():
            raise Cancelled()
        values = _layer_output(layer, values, batch)
        stages.append(MapStage(i, layer.type_name, tuple(values.shape[1:]), _reduce(values)))
        report((i + 2) / total, layer.type_name)
    return MappedDigits(indices, images, labels, np.argmax(probabilities, axis=1).astype(np.int64),
                        np.max(probabilities, axis=1).astype(np.float64), tuple(stages))


def _layer_output(layer, values: np.ndarray, batch: int) -> np.ndarray:
    """``layer``'s output for all of ``values``, ``batch`` rows at a time, written into one array
    (a list of batches joined afterwards would hold a wide conv output twice)."""
    out: np.ndarray | None = None
    for start in range(0, values.shape[0], batch):
        y = layer.forward(values[start:start + batch], False)
        if out is None:
            out = np.empty((values.shape[0],) + y.shape[1:], dtype=y.dtype)
        out[start:start + y.shape[0]] = y  # a copy: a layer may reuse its output buffer
    return out


def _reduce(values: np.ndarray) -> np.ndarray:
    flat = values.reshape(values.shape[0], -1)
    if not np.all(np.isfinite(flat)):
        raise ConfigError("the model's outputs contain NaN or infinite values; it cannot be mapped")
    if not np.any(flat.std(axis=0) > 0):  # every digit looks the same here (a dead layer)
        return np.zeros((flat.shape[0], 2), dtype=np.float32)
    return pca(flat, FEATURE_DIMENSIONS).astype(np.float32)


def embed(stage: MapStage, method: str, progress: ProgressFn | None = None,
          should_cancel: ShouldCancel | None = None, seed: int = 0) -> np.ndarray:
    """Two-dimensional coordinates (N, 2) of the digits at ``stage`` by ``method``.

    ``"pca"`` is immediate (the first two principal components); ``"tsne"`` takes seconds and
    reports through ``progress`` and stops through ``should_cancel`` (see :func:`tsne`).
    """
    if method not in MAP_METHODS:
        raise ConfigError(f"unknown map method {method!r}; choose one of {', '.join(MAP_METHODS)}")
    features = stage.features.astype(np.float64)
    if features.shape[1] < 2:  # a one-number stage: spread it along x
        features = np.column_stack([features[:, :1], np.zeros(features.shape[0])])
    if method == "pca":
        return features[:, :2].copy()
    if not np.any(features.std(axis=0) > 0):
        return np.zeros((features.shape[0], 2))
    return tsne(features, seed=seed, progress=progress, should_cancel=should_cancel)
