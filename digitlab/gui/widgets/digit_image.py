"""A small pyqtgraph view of one image (a 28x28 digit, a unit's weights, a filter), pixels square."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget


def diverging_colormap() -> pg.ColorMap:
    """Blue (negative) - white (zero) - red (positive), for weights centred at 0."""
    return pg.ColorMap([0.0, 0.5, 1.0], [(33, 102, 172), (247, 247, 247), (178, 24, 43)])


def grey_colormap() -> pg.ColorMap:
    return pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])


class DigitImage(pg.GraphicsView):
    """Shows one 2-D array with square pixels, scaled to fit; row 0 at the top.

    Parameters
    ----------
    levels : (low, high)
        Values mapped to the ends of the colour map (default 0..1, ink = 1 shown white).
    colormap : pg.ColorMap, optional
        Grey by default.
    """

    def __init__(self, parent: QWidget | None = None, *, levels: tuple[float, float] = (0.0, 1.0),
                 colormap: pg.ColorMap | None = None, min_side: int = 84) -> None:
        super().__init__(parent, background=None)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(min_side, min_side)
        self._min_side = min_side
        self.view = pg.ViewBox(lockAspect=True, invertY=True, enableMouse=False,
                               defaultPadding=0.0, enableMenu=False)
        self.setCentralItem(self.view)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setColorMap(colormap or grey_colormap())
        self.view.addItem(self.image_item)
        self.levels = levels
        self.set_image(np.zeros((28, 28), np.float32))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._min_side * 2, self._min_side * 2)

    def set_image(self, image: np.ndarray, levels: tuple[float, float] | None = None) -> None:
        """Show ``image`` (H, W); ``levels`` overrides the default range for this image."""
        image = np.asarray(image)
        if levels is not None:
            self.levels = levels
        self.image_item.setImage(image, levels=self.levels, autoLevels=False)
        height, width = image.shape[:2]
        self.view.setRange(QRectF(0, 0, width, height), padding=0.0)

    def set_colormap(self, colormap: pg.ColorMap) -> None:
        self.image_item.setColorMap(colormap)


def digit_icon(image: np.ndarray, scale: int = 2) -> QIcon:
    """A crisp, enlarged icon of a uint8 28x28 digit (white ink on black, like MNIST)."""
    grey = np.ascontiguousarray(image, dtype=np.uint8)
    height, width = grey.shape
    qimage = QImage(grey.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    pixmap = QPixmap.fromImage(qimage.scaled(width * scale, height * scale,
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.FastTransformation))
    return QIcon(pixmap)
