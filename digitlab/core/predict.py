"""Read the digit in a grey image with a saved model: the one path from pixels to probabilities.

Every place that shows a prediction for a picture or a drawing goes through here: the Draw panel
(via :func:`digitlab.gui.stroke_prediction.predict_strokes` for strokes), ``digitlab predict``,
``digitlab selftest`` and the tests. So a drawing saved as a PNG and read by ``predict`` gets
exactly the probabilities the Draw panel showed for it.

The path is: :func:`~digitlab.core.preprocess.to_mnist_style` (crop, fit into 20x20, centre by
mass in 28x28), then the model's :class:`~digitlab.core.inputs.InputTransform`, then the network.
An image with no ink (blank, uniform, all black, 1x1, fully transparent) names no digit: the
network would answer something confident about an empty frame, which means nothing. Every other
reading is checked by :func:`~digitlab.core.decline.decline_reason` (a dot, too many strokes, or
a top probability below the model's stored threshold), the one home of that decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .calibration import network_scores, tempered_probabilities
from .decline import InkStats, decline_reason, ink_reason
from .model_fit import check_fits_mnist
from .preprocess import FRAME_SIZE, check_pipeline, prepare_picture

if TYPE_CHECKING:  # only the type: serialization stays free to import this module, no cycle
    from .serialization import SavedModel

__all__ = ["NO_INK", "NUM_DIGITS", "InkStats", "Prediction", "check_image_model",
           "predict_image", "predict_network_input"]

#: :attr:`Prediction.reason` when the image holds no ink at all.
NO_INK = "no ink"
#: Classes a model must output to read digits.
NUM_DIGITS = 10


@dataclass(frozen=True, eq=False)  # arrays have no single truth value to compare
class Prediction:
    """What a model reads in one image.

    Attributes
    ----------
    probabilities : np.ndarray, shape (10,)
        The network's (calibrated) probability for each digit; all zeros for a blank image.
    network_input : np.ndarray, shape (28, 28), float32
        The MNIST-style image the network saw (ink = 1, background = 0).
    reason : str or None
        Why no digit is named (:data:`NO_INK` or one of :data:`digitlab.core.decline.REASONS`),
        or ``None`` when :attr:`digit` is the reading.
    """

    probabilities: np.ndarray
    network_input: np.ndarray
    reason: str | None = None

    @property
    def digit(self) -> int | None:
        """The most probable digit, or ``None`` when :attr:`reason` says why there is none."""
        return None if self.reason is not None else int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        """The top probability: that of :attr:`digit`, or of the digit a declined reading
        would have named (0.0 for a blank image)."""
        return float(np.max(self.probabilities))


def check_image_model(model: SavedModel) -> None:
    """Refuse a model that cannot read a 28x28 image prepared by this DigitLab's pipeline.

    Raises
    ------
    ModelFileError
        One line: an unknown recorded pipeline, an input that is not 28x28 = 784 values, or an
        output that is not one probability per digit.
    """
    check_pipeline(model.transform.pipeline)
    check_fits_mnist(model.network)


def predict_network_input(model: SavedModel, network_input: np.ndarray,
                          ink: InkStats | None = None) -> Prediction:
    """Probabilities for an image already in MNIST style (the second half of :func:`predict_image`).

    Parameters
    ----------
    model : SavedModel
        The network and the input transform it was trained with.
    network_input : np.ndarray, shape (28, 28)
        Output of :func:`~digitlab.core.preprocess.to_mnist_style`: floats in [0, 1], ink = 1.
    ink : InkStats, optional
        The drawing's ink before scaling, when known (see :mod:`digitlab.core.decline`).

    Returns
    -------
    Prediction
        With ``reason`` :data:`NO_INK` and zero probabilities if the image is all background;
        another reason (and the probabilities) when the reading is declined.

    Raises
    ------
    ModelFileError
        If the model cannot read such images (see :func:`check_image_model`).
    """
    check_image_model(model)
    digit28 = np.asarray(network_input, dtype=np.float32)
    if digit28.shape != (FRAME_SIZE, FRAME_SIZE):
        raise ValueError(f"expected a {FRAME_SIZE}x{FRAME_SIZE} image, got shape {digit28.shape}")
    if not digit28.any():  # a pen dot may leave no ink at all: then the ink statistics say why
        return Prediction(np.zeros(NUM_DIGITS, dtype=model.network.dtype), digit28,
                          ink_reason(ink) or NO_INK)
    network = model.network
    x = model.transform.apply_unit(digit28[None], network.input_shape, network.dtype)
    probabilities = model_probabilities(model, x)[0]
    return Prediction(probabilities, digit28, decline_reason(probabilities, model.decline, ink))


def model_probabilities(model: SavedModel, x: np.ndarray) -> np.ndarray:
    """The probabilities a model shows for network inputs ``x``: calibrated by its temperature
    when it has one (the answer is the same; the confidence is honest)."""
    if model.calibration is None:
        return model.network.predict_proba(x)
    return tempered_probabilities(network_scores(model.network, x), model.calibration.temperature)


def predict_image(model: SavedModel, grey: np.ndarray, *, invert: bool | None = None) -> Prediction:
    """Read the digit in a grey image of any size and either polarity.

    Parameters
    ----------
    model : SavedModel
        The network and the input transform it was trained with.
    grey : np.ndarray, shape (H, W)
        Grey levels (uint8 0..255, or floats in [0, 1]); see
        :func:`~digitlab.core.preprocess.to_mnist_style` for the accepted types.
    invert : bool or None
        ``True`` for dark ink on light paper, ``False`` for light ink on dark, ``None`` to detect.

    Returns
    -------
    Prediction
        Probabilities (10,), the digit and its confidence, and the 28x28 the network saw; for a
        blank or uniform image ``reason`` is :data:`NO_INK` and no digit is named.

    Raises
    ------
    DataError
        If ``grey`` is not a non-empty 2-D array of finite numbers.
    ModelFileError
        If the model cannot read such images (see :func:`check_image_model`).
    """
    check_image_model(model)  # before the preprocessing, which can take a while on a big photo
    digit, extent = prepare_picture(grey, invert=invert)
    ink = InkStats(extent) if extent is not None else None
    return predict_network_input(model, digit, ink)
