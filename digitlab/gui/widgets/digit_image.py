"""A small view of one image (a 28x28 digit, a unit's weights, a filter), pixels square.

It paints a QImage itself rather than through pyqtgraph: the Draw panel shows one at start-up,
and importing pyqtgraph (about a third of a second) can then wait until a plot is first shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from ..plotting import pg


@dataclass(frozen=True)
class Colormap:
    """Colours at positions in [0, 1], linearly blended in between."""

    positions: tuple[float, ...]
    colours: tuple[tuple[int, int, int], ...]

    def lookup_table(self, size: int = 256) -> np.ndarray:
        """``(size, 3)`` uint8 RGB: entry ``i`` is the colour at ``i / (size - 1)``."""
        where = np.linspace(0.0, 1.0, size)
        channels = np.array(self.colours, dtype=float)
        table = [np.interp(where, self.positions, channels[:, k]) for k in range(3)]
        return np.rint(np.stack(table, axis=1)).astype(np.uint8)

    def to_pyqtgraph(self) -> pg.ColorMap:
        """The same map for pyqtgraph's image items."""
        from ..plotting import pg

        return pg.ColorMap(list(self.positions), list(self.colours))


def diverging_colormap() -> Colormap:
    """Blue (negative) - white (zero) - red (positive), for weights centred at 0."""
    return Colormap((0.0, 0.5, 1.0), ((33, 102, 172), (247, 247, 247), (178, 24, 43)))


def grey_colormap() -> Colormap:
    return Colormap((0.0, 1.0), ((0, 0, 0), (255, 255, 255)))


def image_to_rgb(image: np.ndarray, levels: tuple[float, float], table: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` uint8 colours of ``image``: ``levels[0]`` maps to the table's first entry,
    ``levels[1]`` to its last, values beyond them are clipped and NaN shows as the low end;
    levels that are not finite (a diverged run's weights) become the finite values' range.
    An ``(H, W, 3)`` image is taken as RGB already and only scaled by ``levels``."""
    values = np.asarray(image, dtype=np.float32)
    low, high = float(levels[0]), float(levels[1])
    if not (math.isfinite(low) and math.isfinite(high)):  # e.g. +-max of diverged weights
        finite = values[np.isfinite(values)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    values = np.nan_to_num(values, nan=low, posinf=high, neginf=low)
    if values.ndim == 3:
        return np.clip((values[..., :3] - low) * (255 / (high - low) if high > low else 0.0),
                       0, 255).astype(np.uint8)
    scale = (len(table) - 1) / (high - low) if high > low else 0.0
    index = np.clip((values - low) * scale + 0.5, 0, len(table) - 1).astype(np.intp)
    return table[index]


class DigitImage(QWidget):
    """Shows one 2-D array with square pixels, scaled to fit and centred; row 0 at the top.

    Parameters
    ----------
    levels : (low, high)
        Values mapped to the ends of the colour map (default 0..1, ink = 1 shown white).
    colormap : Colormap, optional
        Grey by default. An ``(H, W, 3)`` array is shown as RGB (scaled by ``levels``).
    min_side : the smallest width and height, in pixels.
    """

    def __init__(self, parent: QWidget | None = None, *, levels: tuple[float, float] = (0.0, 1.0),
                 colormap: Colormap | None = None, min_side: int = 84) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(min_side, min_side)
        self._min_side = min_side
        self._table = (colormap or grey_colormap()).lookup_table()
        self.levels = levels
        #: the array shown now, as given to :meth:`set_image`
        self.image = np.zeros((28, 28), np.float32)
        self._rgb = np.zeros((1, 1, 3), np.uint8)  # kept alive: the QImage reads its memory
        self._qimage = QImage()
        self.set_image(np.zeros((28, 28), np.float32))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._min_side * 2, self._min_side * 2)

    def set_image(self, image: np.ndarray, levels: tuple[float, float] | None = None) -> None:
        """Show ``image`` (H, W) or (H, W, 3); ``levels`` overrides the range from now on."""
        if levels is not None:
            self.levels = levels
        self.image = np.asarray(image)
        self._rgb = np.ascontiguousarray(image_to_rgb(image, self.levels, self._table))
        height, width = self._rgb.shape[:2]
        self._qimage = QImage(self._rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888)
        self.update()

    def set_colormap(self, colormap: Colormap) -> None:
        """Use ``colormap`` for the next image set."""
        self._table = colormap.lookup_table()

    def rgb(self) -> np.ndarray:
        """The colours shown now, ``(H, W, 3)`` uint8."""
        return self._rgb

    def image_rect(self) -> QRectF:
        """Where the image is painted: as large as fits with square pixels, centred."""
        height, width = self._rgb.shape[:2]
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        # no smoothing: each of the 28x28 pixels stays a crisp square
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(self.image_rect(), self._qimage)
        painter.end()


def digit_icon(image: np.ndarray, scale: int = 2) -> QIcon:
    """A crisp, enlarged icon of a uint8 28x28 digit (white ink on black, like MNIST)."""
    grey = np.ascontiguousarray(image, dtype=np.uint8)
    height, width = grey.shape
    qimage = QImage(grey.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    pixmap = QPixmap.fromImage(qimage.scaled(width * scale, height * scale,
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.FastTransformation))
    return QIcon(pixmap)
