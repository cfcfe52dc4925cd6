"""saliencyView: which pixels pushed the answer (and why not another digit), over the digit."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core.saliency import Saliency, saliency_map
from ...core.serialization import SavedModel
from ..session import Session
from ..widgets.digit_image import DigitImage, diverging_colormap
from .context import InsideContext
from .digit_view import DigitView

#: red for pixels that raise the score, blue for those that lower it
_PUSH_UP = np.array([214, 39, 40], np.float32)
_PUSH_DOWN = np.array([31, 119, 180], np.float32)


def overlay(image: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The digit in grey with ``values`` laid over it: red positive, blue negative, the
    strength of the colour proportional to ``|value| / max |value|``.

    Parameters
    ----------
    image : np.ndarray (28, 28), floats in [0, 1]
    values : np.ndarray (28, 28)

    Returns
    -------
    np.ndarray (28, 28, 3), uint8
    """
    grey = (0.15 + 0.45 * np.asarray(image, np.float32))[..., None] * 255.0
    top = float(np.abs(values).max())
    strength = (np.abs(values) / top if top > 0 else np.zeros_like(values))[..., None]
    colour = np.where(values[..., None] >= 0, _PUSH_UP, _PUSH_DOWN)
    return np.clip((1 - strength) * grey + strength * colour, 0, 255).astype(np.uint8)


class SaliencyView(DigitView):
    """The gradient of a digit's score with respect to the 28x28 input, over the digit."""

    def __init__(self, session: Session, context: InsideContext, parent: QWidget | None = None) -> None:
        super().__init__(session, context, self.tr(
            "Which pixels pushed the answer: the gradient of the chosen digit's score with respect "
            "to each input pixel. Red pixels raise the score when brighter, blue ones lower it. "
            "Gradient × input keeps only the ink that is there. \"Why not k?\" explains the "
            "difference of the two scores: red favours the chosen digit over k."), parent)
        self.setObjectName("saliencyView")
        self.target_combo = QComboBox(self.body)
        self.target_combo.setObjectName("saliencyTargetCombo")
        self.target_combo.addItem(self.tr("the answer"), None)
        for digit in range(10):
            self.target_combo.addItem(str(digit), digit)
        self.target_combo.setToolTip(self.tr("The digit whose score is explained"))
        self.versus_combo = QComboBox(self.body)
        self.versus_combo.setObjectName("saliencyVersusCombo")
        self.versus_combo.addItem(self.tr("—"), None)
        for digit in range(10):
            self.versus_combo.addItem(str(digit), digit)
        self.versus_combo.setToolTip(self.tr(
            "Why not this digit? Explain the difference of the two scores instead"))
        self.gradient_button = QRadioButton(self.tr("Gradient"), self.body)
        self.gradient_button.setObjectName("saliencyGradientButton")
        self.gradient_button.setToolTip(self.tr("How much each pixel would raise the score if it "
                                                "were a little brighter"))
        self.times_input_button = QRadioButton(self.tr("Gradient × input"), self.body)
        self.times_input_button.setObjectName("saliencyTimesInputButton")
        self.times_input_button.setToolTip(self.tr(
            "The gradient times the pixel: the part of the score each inked pixel accounts for"))
        self.gradient_button.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.gradient_button)
        modes.addButton(self.times_input_button)

        self.digit_image = DigitImage(self.body, min_side=140)
        self.digit_image.setObjectName("saliencyDigit")
        self.digit_image.setToolTip(self.tr("The digit the network sees"))
        self.map_image = DigitImage(self.body, min_side=140)
        self.map_image.setObjectName("saliencyOverlay")
        self.map_image.setToolTip(self.tr("The saliency over the digit: red raises the score, "
                                          "blue lowers it"))
        self.signed_image = DigitImage(self.body, min_side=140, colormap=diverging_colormap())
        self.signed_image.setObjectName("saliencyMap")
        self.signed_image.setToolTip(self.tr("The saliency alone, on a symmetric scale"))
        self.summary = QLabel("", self.body)
        self.summary.setObjectName("saliencySummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Explain"), self.body))
        controls.addWidget(self.target_combo)
        controls.addWidget(QLabel(self.tr("why not"), self.body))
        controls.addWidget(self.versus_combo)
        controls.addSpacing(12)
        controls.addWidget(self.gradient_button)
        controls.addWidget(self.times_input_button)
        controls.addStretch(1)
        pictures = QGridLayout()
        for column, (caption, widget) in enumerate(
                ((self.tr("Digit"), self.digit_image), (self.tr("Saliency over the digit"), self.map_image),
                 (self.tr("Saliency alone"), self.signed_image))):
            pictures.addWidget(QLabel(caption, self.body), 0, column, Qt.AlignmentFlag.AlignHCenter)
            pictures.addWidget(widget, 1, column)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(pictures, 1)
        layout.addWidget(self.summary)

        self._image: np.ndarray | None = None
        self.result: Saliency | None = None
        for combo in (self.target_combo, self.versus_combo):
            combo.currentIndexChanged.connect(self.refresh_now)
        self.gradient_button.toggled.connect(self._show_result)

    def compute(self):
        target, versus = self.target_combo.currentData(), self.versus_combo.currentData()

        def explain(model: SavedModel, image: np.ndarray) -> tuple[np.ndarray, Saliency]:
            # the model is the worker's private copy: no second copy needed
            return image, saliency_map(model, image, target, versus, private=True)

        return explain

    def show_result(self, result: tuple[np.ndarray, Saliency]) -> None:
        self._image, self.result = result
        self._show_result()

    def _show_result(self, *_args: object) -> None:
        result, image = self.result, self._image
        if result is None or image is None:
            return
        values = result.gradient if self.gradient_button.isChecked() else result.times_input
        self.digit_image.set_image(image)
        self.map_image.set_image(overlay(image, values), levels=(0, 255))  # RGB bytes
        top = float(np.abs(values).max()) or 1.0
        self.signed_image.set_image(values, levels=(-top, top))
        z = result.scores
        if result.versus is None:
            text = self.tr("Explaining the score of {0}: z = {1:.3g} (the answer is {2}).").format(
                result.target, z[result.target], int(np.argmax(z)))
        else:
            text = self.tr("Why {0} and not {1}: z{0} − z{1} = {2:.3g}.").format(
                result.target, result.versus, z[result.target] - z[result.versus])
        self.summary.setText(text + " " + self.tr("Largest |value| on the map: {0:.3g}.").format(top))

    def clear(self) -> None:
        self.result, self._image = None, None
        self.summary.setText("")
