"""Strokes holding a number ("2026") read digit by digit: the Draw panel's path for drawings.

The strokes are grouped into digits by :func:`digitlab.core.segment.group_strokes` (horizontal
overlap of the strokes' ink), and each group is read through the one stroke path,
:func:`~digitlab.gui.stroke_prediction.predict_strokes`. A drawing of one digit is read from all
its strokes exactly as before, so the one-digit reading never changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.number import NumberReading
from ..core.segment import Box, group_strokes, stroke_box
from ..core.serialization import SavedModel
from .stroke_prediction import predict_strokes
from .widgets.draw_canvas import DEFAULT_PEN_WIDTH, Point

__all__ = ["digit_stroke_groups", "predict_number_strokes"]


def digit_stroke_groups(strokes: Sequence[Sequence[Point]]) -> list[list[Sequence[Point]]]:
    """The strokes of each digit, left to right (the canvas pen's width counts as ink)."""
    return [[strokes[i] for i in group] for group in group_strokes(strokes, DEFAULT_PEN_WIDTH)]


def predict_number_strokes(model: SavedModel, strokes: Sequence[Sequence[Point]]) -> NumberReading:
    """Each digit of the drawing with the model's reading of it, left to right.

    Parameters
    ----------
    model : SavedModel
        The model to read with.
    strokes : sequence of strokes
        Normalised canvas coordinates (0..1, y downwards).

    Returns
    -------
    NumberReading
        No digits for no strokes; one digit (all strokes read together, as
        :func:`~digitlab.gui.stroke_prediction.predict_strokes` reads them) for a single digit;
        else one reading per group of strokes, each with its box in canvas coordinates.

    Raises
    ------
    ModelFileError
        If the model cannot read 28x28 digits.
    """
    groups = digit_stroke_groups(strokes)
    if len(groups) <= 1:
        if not groups:
            return NumberReading((), ())
        return NumberReading.of([(predict_strokes(model, strokes), _box(strokes))])
    return NumberReading.of([(predict_strokes(model, group), _box(group)) for group in groups])


def _box(strokes: Sequence[Sequence[Point]]) -> Box:
    points = [p for s in strokes for p in s]
    return stroke_box(points, DEFAULT_PEN_WIDTH)
