"""Damaged test digits and what they do to accuracy; confidence thresholds and the reject curve.

Five kinds of damage, each with one strength (its *level*): pixel noise, rotation, shift,
thicker or thinner strokes, and a square occluding part of the digit. Where a damage has a
direction or a place (rotate left or right, shift which way, occlude where), each image draws
its own from a seeded generator, so a curve is the same every time.

The reject curve answers "if the model may decline the digits it is least sure of, how accurate
is it on the rest?": keep the most confident fraction (the *coverage*) and measure accuracy there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .augment import affine_matrices, warp_affine_batch
from .edit_scoring import scoring_batch_size
from .errors import Cancelled, ConfigError
from .morphology import change_stroke_width
from .predict import model_probabilities
from .serialization import SavedModel

__all__ = ["DAMAGES", "Damage", "RejectCurve", "accuracy_curve", "damage_images",
           "model_predictor", "reject_curve"]


@dataclass(frozen=True)
class Damage:
    """One kind of damage: its name, the unit of its level, and the levels a curve visits."""

    name: str
    unit: str
    minimum: float
    maximum: float
    step: float

    @property
    def levels(self) -> np.ndarray:
        """The levels an accuracy curve is measured at, from ``minimum`` to ``maximum``."""
        count = int(round((self.maximum - self.minimum) / self.step)) + 1
        return np.linspace(self.minimum, self.maximum, count)


#: every damage by name; level 0 leaves an image unchanged
DAMAGES: dict[str, Damage] = {
    "noise": Damage("noise", "std", 0.0, 1.0, 0.1),  # Gaussian pixel noise, clipped to [0, 1]
    "rotation": Damage("rotation", "degrees", 0.0, 90.0, 10.0),  # left or right at random
    "shift": Damage("shift", "pixels", 0.0, 8.0, 1.0),  # in a random direction
    "stroke": Damage("stroke", "pixels", -2.0, 3.0, 0.5),  # < 0 thinner, > 0 thicker
    "occlusion": Damage("occlusion", "pixels", 0.0, 16.0, 2.0),  # side of a black square
}


def damage_images(images: np.ndarray, kind: str, level: float, seed: int = 0) -> np.ndarray:
    """``images`` damaged by ``kind`` at strength ``level``; the input is never changed.

    Parameters
    ----------
    images : np.ndarray, shape (N, 28, 28)
        Digits as floats in [0, 1], ink bright (MNIST style).
    kind : str
        A key of :data:`DAMAGES`.
    level : float
        Noise standard deviation; rotation in degrees; shift, stroke change or occluding square
        side in pixels.
    seed : int
        Seeds each image's direction or place (and the noise).

    Returns
    -------
    np.ndarray, shape (N, 28, 28), float32, values in [0, 1]
    """
    if kind not in DAMAGES:
        raise ConfigError(f"unknown damage {kind!r}: use {', '.join(DAMAGES)}"[:200])
    images = np.asarray(images, dtype=np.float32)
    n, height, width = images.shape
    rng = np.random.default_rng(seed)
    if level == 0:
        return images.copy()
    if kind == "noise":
        noisy = images + rng.standard_normal(images.shape).astype(np.float32) * np.float32(level)
        return np.clip(noisy, 0.0, 1.0)
    if kind == "stroke":
        return np.clip(change_stroke_width(images, level), 0.0, 1.0)
    if kind == "occlusion":
        return _occlude(images, int(round(level)), rng)
    if kind == "rotation":
        angles = level * rng.choice([-1.0, 1.0], size=n)
        matrices = affine_matrices((height, width), angles, np.ones(n), np.zeros((n, 2)))
    else:  # shift
        theta = rng.uniform(0.0, 2 * np.pi, size=n)
        shifts = level * np.stack([np.sin(theta), np.cos(theta)], axis=1)
        matrices = affine_matrices((height, width), np.zeros(n), np.ones(n), shifts)
    return np.clip(warp_affine_batch(images, matrices), 0.0, 1.0)


def _occlude(images: np.ndarray, side: int, rng: np.random.Generator) -> np.ndarray:
    """A black ``side`` x ``side`` square on each image, its centre drawn from the middle
    20x20 (where MNIST puts the digit)."""
    out = images.copy()
    n, height, width = images.shape
    side = min(side, height, width)
    centres = rng.integers(4, 24, size=(n, 2))
    tops = np.clip(centres[:, 0] - side // 2, 0, height - side)
    lefts = np.clip(centres[:, 1] - side // 2, 0, width - side)
    rows = tops[:, None] + np.arange(side)[None, :]  # (N, side)
    cols = lefts[:, None] + np.arange(side)[None, :]
    out[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]] = 0.0
    return out


Predictor = Callable[[np.ndarray], np.ndarray]


def model_predictor(model: SavedModel, batch_size: int = 2000) -> Predictor:
    """``predict(images) -> probabilities``: (N, 28, 28) floats in [0, 1] to (N, 10), the way
    the app shows them (calibrated when the model has a temperature). Works on a private copy
    of the network, so it may run on a worker thread while the app predicts with the original."""
    private = SavedModel(model.network.copy(), model.transform, calibration=model.calibration)
    shape, dtype = private.network.input_shape, private.network.dtype
    # big batches pay on a busy machine (see edit_scoring); memory still bounds them
    batch_size = scoring_batch_size(private.network, batch_size)

    def predict(images: np.ndarray) -> np.ndarray:
        parts = [model_probabilities(private, private.transform.apply_unit(
            images[start:start + batch_size], shape, dtype))
            for start in range(0, images.shape[0], batch_size)]
        return np.concatenate(parts) if parts else np.zeros((0, 10))

    return predict


def accuracy_curve(predict: Predictor, images: np.ndarray, labels: np.ndarray, kind: str,
                   levels: Sequence[float] | None = None, seed: int = 0,
                   progress: Callable[[float], None] | None = None,
                   should_cancel: Callable[[], bool] = lambda: False) -> np.ndarray:
    """Accuracy on ``images`` damaged by ``kind`` at each level.

    Parameters
    ----------
    predict : ``predict(images) -> probabilities`` (see :func:`model_predictor`).
    images : np.ndarray, shape (N, 28, 28), floats in [0, 1]
    labels : np.ndarray, shape (N,)
    levels : the damage levels (default: ``DAMAGES[kind].levels``).
    progress : called with the fraction of levels done after each one.
    should_cancel : polled before each level; True raises :class:`Cancelled`.

    Returns
    -------
    np.ndarray, shape (len(levels),), float64
    """
    levels = DAMAGES[kind].levels if levels is None else np.asarray(levels, dtype=np.float64)
    accuracies = np.zeros(len(levels))
    for i, level in enumerate(levels):
        if should_cancel():
            raise Cancelled("robustness curves cancelled")
        damaged = damage_images(images, kind, float(level), seed)
        accuracies[i] = float(np.mean(np.argmax(predict(damaged), axis=1) == labels)) if len(labels) else 0.0
        if progress is not None:
            progress((i + 1) / len(levels))
    return accuracies


@dataclass(frozen=True)
class RejectCurve:
    """Accuracy on the digits a model keeps when it declines the least confident ones.

    Attributes (all shape (N,), most confident first)
    ----------
    thresholds : the confidence of the k-th most confident digit: keeping digits with
        confidence >= ``thresholds[k-1]`` keeps (at least) the first k.
    coverage : k / N, the fraction kept.
    accuracy : accuracy on the k kept digits.
    """

    thresholds: np.ndarray
    coverage: np.ndarray
    accuracy: np.ndarray

    def at_threshold(self, threshold: float) -> tuple[float, float]:
        """``(coverage, accuracy)`` when digits below ``threshold`` confidence are declined
        (accuracy is NaN when none is kept)."""
        kept = int(np.sum(self.thresholds >= threshold))
        if kept == 0:
            return 0.0, float("nan")
        return float(self.coverage[kept - 1]), float(self.accuracy[kept - 1])

    def accuracy_at_coverage(self, coverage: float) -> float:
        """Accuracy on the most confident ``coverage`` fraction of the digits."""
        if self.coverage.size == 0:
            return float("nan")
        kept = min(self.coverage.size, max(1, int(np.ceil(coverage * self.coverage.size - 1e-9))))
        return float(self.accuracy[kept - 1])

    def threshold_for_coverage(self, coverage: float) -> float:
        """The confidence threshold that keeps the ``coverage`` fraction."""
        kept = min(self.coverage.size, max(1, int(np.ceil(coverage * self.coverage.size - 1e-9))))
        return float(self.thresholds[kept - 1])


def reject_curve(confidences: np.ndarray, correct: np.ndarray) -> RejectCurve:
    """The reject curve of predictions with ``confidences`` (N,) and ``correct`` (N,) bool."""
    confidences = np.asarray(confidences, dtype=np.float64)
    order = np.argsort(-confidences, kind="stable")
    hits = np.cumsum(np.asarray(correct, dtype=np.float64)[order])
    kept = np.arange(1, confidences.size + 1)
    return RejectCurve(confidences[order], kept / max(1, confidences.size), hits / kept)
