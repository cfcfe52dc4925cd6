"""From strokes drawn on the canvas to the model's reading: the one path the Draw panel uses.

The strokes are rasterised by the network renderer
(:func:`~digitlab.gui.widgets.draw_canvas.render_for_network`: the digit fills the image with
MNIST-thick strokes, whatever size it was drawn and whatever the on-screen pen), prepared by the
core's image pipeline and read by the core's prediction
(:func:`~digitlab.core.predict.predict_network_input`, the second half of
:func:`~digitlab.core.predict.predict_image`). ``digitlab selftest`` and the tests call the same
function, so they report the probabilities the Draw panel shows; and :func:`stroke_image` saved
as a PNG is read by ``digitlab predict`` to the same probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.predict import InkStats, Prediction, predict_network_input
from ..core.preprocess import to_mnist_style
from ..core.serialization import SavedModel
from .widgets.draw_canvas import Point, render_for_network

__all__ = ["ink_stats", "network_input_for_strokes", "predict_strokes", "stroke_image"]


def stroke_image(strokes: Sequence[Sequence[Point]]) -> np.ndarray:
    """The strokes as the grey image the network's pipeline starts from.

    Returns
    -------
    np.ndarray, shape (224, 224), uint8
        Light ink on black (0 = background); all zeros for no strokes.
    """
    return render_for_network(strokes)


def network_input_for_strokes(strokes: Sequence[Sequence[Point]]) -> np.ndarray:
    """The 28x28 float32 image (ink = 1) the network sees for these strokes."""
    # The renderer draws light ink on black: say so rather than let the border decide.
    return to_mnist_style(stroke_image(strokes), invert=False)


def ink_stats(strokes: Sequence[Sequence[Point]]) -> InkStats | None:
    """The drawing's extent (its pen path's longer side, as a fraction of the canvas side) and
    its number of strokes, for the decline rule (:mod:`digitlab.core.decline`)."""
    drawn = [s for s in strokes if len(s)]
    if not drawn:
        return None
    xy = np.asarray([p for s in drawn for p in s], dtype=np.float64)
    return InkStats(float((xy.max(axis=0) - xy.min(axis=0)).max()), len(drawn))


def predict_strokes(model: SavedModel, strokes: Sequence[Sequence[Point]]) -> Prediction:
    """The model's reading of strokes in normalised canvas coordinates (0..1, y downwards),
    declined (:attr:`Prediction.reason`) when the drawing is not a digit.

    Raises
    ------
    ModelFileError
        If the model cannot read 28x28 digits (see :func:`~digitlab.core.predict.check_image_model`).
    """
    return predict_network_input(model, network_input_for_strokes(strokes), ink_stats(strokes))
