"""The one digit the Inside views look at, shared by all of them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal


class InsideContext(QObject):
    """Holds the current digit as a 28x28 MNIST-style image (floats in [0, 1], ink bright).

    The Draw panel (what the user draws) and the Inside tab's own picker (a test digit) set it;
    every view that shows one digit follows :attr:`image_changed`.
    """

    image_changed = Signal(object)  # np.ndarray (28, 28) float32, or None when cleared

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insideContext")
        self._image: np.ndarray | None = None

    @property
    def image(self) -> np.ndarray | None:
        """The current digit, or None."""
        return self._image

    def set_image(self, image: np.ndarray | None) -> None:
        """Make ``image`` (28x28, values in [0, 1]) the current digit, or clear it with None."""
        if image is not None:
            image = np.asarray(image, dtype=np.float32).reshape(28, 28)
        self._image = image
        self.image_changed.emit(image)
