"""Read a number ("2026") digit by digit: each part found by :mod:`digitlab.core.segment` goes
through the one prediction path (:func:`~digitlab.core.predict.predict_image`) with its own
confidence.

A picture holding one digit is read exactly as ``predict_image`` reads it (the whole picture, not
the cut-out part), so ``digitlab predict --number`` and ``digitlab predict`` agree on single
digits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .predict import NO_INK, Prediction, check_image_model, predict_image
from .segment import Box, ImagePart, segment_image

if TYPE_CHECKING:  # only the type: no import cycle with serialization
    from .serialization import SavedModel

__all__ = ["UNREAD", "NumberReading", "read_image_parts", "read_number_image"]

#: Shown in place of a digit the model does not name (no ink, or declined).
UNREAD = "?"


@dataclass(frozen=True, eq=False)
class NumberReading:
    """The digits of a number, left to right, each with the model's reading of it.

    Attributes
    ----------
    predictions : tuple of Prediction
        One per digit; empty when there is no ink at all.
    boxes : tuple of Box
        Where each digit is (stroke coordinates or picture pixels), in the same order.
    """

    predictions: tuple[Prediction, ...]
    boxes: tuple[Box, ...]

    def __len__(self) -> int:
        return len(self.predictions)

    @property
    def text(self) -> str:
        """The number as read, e.g. ``"2026"``; :data:`UNREAD` for a digit not named; ``""``
        when there is no digit."""
        return "".join(UNREAD if p.digit is None else str(p.digit) for p in self.predictions)

    @property
    def digits(self) -> list[int | None]:
        """Each digit (``None`` where the model names none)."""
        return [p.digit for p in self.predictions]

    @property
    def confidences(self) -> list[float]:
        """Each digit's confidence (0.0 where none is named)."""
        return [p.confidence for p in self.predictions]

    @classmethod
    def of(cls, pairs: Sequence[tuple[Prediction, Box]]) -> NumberReading:
        """A reading from ``(prediction, box)`` pairs in left-to-right order."""
        return cls(tuple(p for p, _ in pairs), tuple(b for _, b in pairs))


def read_number_image(model: SavedModel, grey: np.ndarray, *,
                      invert: bool | None = None) -> NumberReading:
    """Read every digit of the number in a grey image, left to right.

    Parameters
    ----------
    model : SavedModel
        The network and the input transform it was trained with.
    grey : np.ndarray, shape (H, W)
        As :func:`~digitlab.core.predict.predict_image` accepts it.
    invert : bool or None
        ``True`` for dark ink on light paper, ``False`` for light on dark, ``None`` to detect.

    Returns
    -------
    NumberReading
        No digits for a picture with no ink; one digit read from the whole picture when the
        segmentation finds one; else one per part, each through ``predict_image``.

    Raises
    ------
    DataError
        If ``grey`` is not a non-empty 2-D array of finite numbers.
    ModelFileError
        If the model cannot read 28x28 digits.
    """
    check_image_model(model)
    parts = segment_image(grey, invert=invert)
    if len(parts) <= 1:
        whole = predict_image(model, grey, invert=invert)
        if whole.reason == NO_INK:
            return NumberReading((), ())
        height, width = np.shape(grey)
        box = parts[0].box if parts else Box(0.0, 0.0, float(width), float(height))
        return NumberReading((whole,), (box,))
    return read_image_parts(model, parts)


def read_image_parts(model: SavedModel, parts: Sequence[ImagePart]) -> NumberReading:
    """Each part cut out by :func:`~digitlab.core.segment.segment_image` read through
    :func:`~digitlab.core.predict.predict_image` (so a picture segmented once can be read again
    cheaply, e.g. by the Draw panel while a model trains)."""
    check_image_model(model)
    return NumberReading.of([(predict_image(model, part.ink, invert=False), part.box)
                             for part in parts])
