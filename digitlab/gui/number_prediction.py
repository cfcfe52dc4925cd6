"""Strokes holding a number ("2026") read digit by digit: the Draw panel's path for drawings.

The strokes are grouped into digits by :func:`digitlab.core.segment.group_boxes` on their ink
boxes (the canvas pen's width included), and each group is read through the one stroke path,
:func:`~digitlab.gui.stroke_prediction.predict_strokes`. A drawing of one digit is read from all
its strokes exactly as before, so the one-digit reading never changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.number import NumberReading
from ..core.segment import Box, group_boxes, stroke_box
from ..core.serialization import SavedModel
from .stroke_prediction import predict_strokes
from .widgets.draw_canvas import DEFAULT_PEN_WIDTH, Point

__all__ = ["predict_number_strokes"]


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
        else one reading per group of strokes. Boxes are in canvas coordinates, the pen's ink
        included.

    Raises
    ------
    ModelFileError
        If the model cannot read 28x28 digits.
    """
    drawn = [s for s in strokes if len(s)]
    boxes = [stroke_box(s, DEFAULT_PEN_WIDTH) for s in drawn]  # once: grouping and the result
    groups = group_boxes(boxes)
    if len(groups) <= 1:
        if not groups:
            return NumberReading((), ())
        return NumberReading.of([(predict_strokes(model, strokes), Box.around(boxes))])
    return NumberReading.of([(predict_strokes(model, [drawn[i] for i in group]),
                              Box.around([boxes[i] for i in group])) for group in groups])
