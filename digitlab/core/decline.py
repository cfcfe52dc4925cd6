"""When to name no digit: the one home of the "not a digit" decision.

:func:`digitlab.core.predict.predict_network_input` asks :func:`decline_reason` for every
reading, so ``digitlab predict``, ``digitlab selftest`` and the Draw panel decline the same
drawings for the same reason. Three reasons besides a blank image (``NO_INK`` in
:mod:`.predict`):

- :data:`TOO_LITTLE_INK`: the ink spans less than :data:`MIN_EXTENT` of the drawing area (a
  dot, a speck). Needs the drawing's size, which the 28x28 network input no longer has, so the
  caller measures it (:class:`InkStats`).
- :data:`TOO_MANY_STROKES`: more than :data:`MAX_STROKES` pen strokes (hatching, a grid of
  marks). Only drawings know their strokes.
- :data:`UNLIKE_ANY_DIGIT`: the model's calibrated top probability is below the threshold
  stored in the model file (:class:`DeclineRule`). The shipped model is trained with outlier
  exposure (:mod:`.outlier_exposure`) so non-digits get low top probabilities; the threshold
  is chosen so that at most about 2% of real digits are declined (docs/handwriting.md).

A model file without a rule (written before this existed) declines only blank images and the
ink statistics; it never says "unlike any digit".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ModelFileError

__all__ = ["DECLINE_METHOD", "MAX_STROKES", "MIN_EXTENT", "REASONS", "TOO_LITTLE_INK",
           "TOO_MANY_STROKES", "UNLIKE_ANY_DIGIT", "DeclineRule", "InkStats", "decline_reason",
           "ink_reason"]

#: :attr:`Prediction.reason` for a dot or a speck
TOO_LITTLE_INK = "too little ink"
#: :attr:`Prediction.reason` for a drawing of more strokes than any digit needs
TOO_MANY_STROKES = "too many strokes"
#: :attr:`Prediction.reason` when the model is unsure beyond its stored threshold
UNLIKE_ANY_DIGIT = "unlike any digit"
#: every reason this module gives
REASONS = (TOO_LITTLE_INK, TOO_MANY_STROKES, UNLIKE_ANY_DIGIT)

#: ink spanning less than this fraction of the drawing area's longer side is a dot, not a digit
MIN_EXTENT = 0.04
#: more pen strokes than this is not one digit (the most any digit form takes is about four)
MAX_STROKES = 6
#: the only method so far: decline when the calibrated top probability is below the threshold
DECLINE_METHOD = "top-probability"


@dataclass(frozen=True)
class DeclineRule:
    """How a model declines drawings unlike any digit; stored in the model file.

    Attributes
    ----------
    method : str
        :data:`DECLINE_METHOD`: compare the calibrated top probability with ``threshold``.
    threshold : float
        In [0, 1]; a reading whose top probability is below it names no digit.
    """

    method: str
    threshold: float

    def __post_init__(self) -> None:
        if self.method != DECLINE_METHOD:
            raise ModelFileError(f"unknown decline method {self.method!r} (this DigitLab knows "
                                 f"{DECLINE_METHOD!r})")
        if not (isinstance(self.threshold, (int, float)) and math.isfinite(self.threshold)
                and 0.0 <= self.threshold <= 1.0):
            raise ModelFileError(f"the decline threshold must be a number in [0, 1], "
                                 f"got {self.threshold!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "threshold": float(self.threshold)}

    @classmethod
    def from_dict(cls, data: Any) -> DeclineRule:
        """The rule in a model file's metadata; one clear :class:`ModelFileError` if malformed."""
        if not isinstance(data, dict) or set(data) != {"method", "threshold"}:
            raise ModelFileError("the model's decline record must hold exactly 'method' and "
                                 "'threshold'")
        threshold = data["threshold"]
        if isinstance(threshold, bool):
            raise ModelFileError("the decline threshold must be a number in [0, 1]")
        return cls(str(data["method"]), threshold)


@dataclass(frozen=True)
class InkStats:
    """What the drawing or image says about its ink before it is scaled to 28x28.

    Attributes
    ----------
    extent : float
        Longer side of the ink's bounding box over the longer side of the drawing area (0..1).
    strokes : int or None
        Pen strokes of a drawing; ``None`` for an image.
    """

    extent: float
    strokes: int | None = None


def ink_reason(ink: InkStats | None) -> str | None:
    """:data:`TOO_LITTLE_INK`, :data:`TOO_MANY_STROKES` or ``None``, from the ink alone."""
    if ink is None:
        return None
    if ink.extent < MIN_EXTENT:
        return TOO_LITTLE_INK
    if ink.strokes is not None and ink.strokes > MAX_STROKES:
        return TOO_MANY_STROKES
    return None


def decline_reason(probabilities: np.ndarray, rule: DeclineRule | None,
                   ink: InkStats | None) -> str | None:
    """Why no digit should be named for this reading, or ``None`` to name the top digit.

    Parameters
    ----------
    probabilities : np.ndarray, shape (10,)
        The model's calibrated probabilities.
    rule : DeclineRule or None
        The model's stored rule; ``None`` (an older file) skips the model-based check.
    ink : InkStats or None
        The drawing's ink, when the caller knows it.
    """
    reason = ink_reason(ink)
    if reason is not None:
        return reason
    if rule is not None and float(np.max(probabilities)) < rule.threshold:
        return UNLIKE_ANY_DIGIT
    return None
