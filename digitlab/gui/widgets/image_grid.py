"""A mosaic of many small images drawn as one pyqtgraph ImageItem, with clickable tiles.

One image item for the whole grid keeps redraws cheap (hundreds of 28x28 tiles update in a
few milliseconds); gaps between tiles are NaN, which the image item leaves transparent.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem, QWidget

from .. import theme
from ..plotting import pg
from .digit_image import Colormap, grey_colormap

#: colour of the gaps between tiles (drawn behind the mosaic only)
GAP_COLOUR = "#3c3f44"


def tile_mosaic(images: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """Arrange images (N, h, w) in a grid, ``columns`` wide, with NaN gaps; float32 result."""
    count, height, width = images.shape
    rows = max(1, math.ceil(count / columns))
    mosaic = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan, np.float32)
    for index in range(count):
        row, col = divmod(index, columns)
        top, left = row * (height + gap), col * (width + gap)
        mosaic[top:top + height, left:left + width] = images[index]
    return mosaic


class ImageGrid(pg.GraphicsLayoutWidget):
    """Many equally sized images in rows; clicking one emits its index.

    Parameters
    ----------
    colormap : Colormap, optional
        Grey by default.
    placeholder : str
        Text shown while there are no images.
    """

    tile_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, colormap: Colormap | None = None,
                 placeholder: str = "") -> None:
        super().__init__(parent)
        self.setBackground(None)
        self.ci.layout.setContentsMargins(2, 2, 2, 2)
        self.plot = self.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.hideAxis("bottom")
        self.plot.hideAxis("left")
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.plot.getViewBox().setDefaultPadding(0.0)
        self._gaps = QGraphicsPathItem()
        self._gaps.setBrush(QColor(GAP_COLOUR))
        self._gaps.setPen(QPen(Qt.PenStyle.NoPen))
        self._gaps.setZValue(-10)
        self.plot.addItem(self._gaps)
        self._row_labels: list[pg.TextItem] = []
        self._placeholder = pg.TextItem(placeholder, color=theme.muted_colour(), anchor=(0.5, 0.5))
        self.plot.addItem(self._placeholder, ignoreBounds=True)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setColorMap((colormap or grey_colormap()).to_pyqtgraph())
        self.plot.addItem(self.image_item)
        self._selection = QGraphicsRectItem()
        pen = QPen(QColor("#ffb000"), 0)  # cosmetic: one pixel whatever the zoom
        pen.setWidthF(2.0)
        pen.setCosmetic(True)
        self._selection.setPen(pen)
        self._selection.setZValue(10)
        self._selection.hide()
        self.plot.addItem(self._selection)
        self._count = 0
        self._columns = 1
        self._tile = (28, 28)
        self._gap = 1
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)

    @property
    def count(self) -> int:
        return self._count

    def set_images(self, images: np.ndarray, columns: int, levels: tuple[float, float] = (0.0, 1.0),
                   row_labels: list[str] | None = None, gap: int = 1) -> None:
        """Show ``images`` (N, h, w) in ``columns`` columns; ``row_labels`` label each row."""
        images = np.asarray(images)
        self._count = int(images.shape[0])
        self._columns = max(1, int(columns))
        self._gap = gap
        for label in self._row_labels:
            self.plot.removeItem(label)
        self._row_labels = []
        self._selection.hide()
        if self._count == 0:
            self.image_item.clear()
            self._gaps.hide()
            self._placeholder.show()
            self.plot.setRange(QRectF(0, 0, 100, 100), padding=0.0)
            self._placeholder.setPos(50, 50)
            return
        self._placeholder.hide()
        self._tile = (int(images.shape[1]), int(images.shape[2]))
        mosaic = tile_mosaic(images, self._columns, gap)
        self.image_item.setImage(mosaic, levels=levels, autoLevels=False)
        self._gaps.setPath(self._tiles_outline(mosaic.shape))
        self._gaps.show()
        margin = 0.0
        if row_labels is not None:
            # Labels sit just left of their row, in image coordinates, so they follow the tiles.
            step = self._tile[0] + gap
            margin = self._tile[1] * 0.8
            for row, text in enumerate(row_labels):
                label = pg.TextItem(text, color=theme.muted_colour(), anchor=(1.0, 0.5))
                label.setPos(-margin * 0.25, row * step + self._tile[0] / 2)
                self.plot.addItem(label)
                self._row_labels.append(label)
        self.plot.setRange(QRectF(-margin, 0, mosaic.shape[1] + margin, mosaic.shape[0]), padding=0.0)

    def _tiles_outline(self, shape: tuple[int, int]) -> QPainterPath:
        """The area under the tiles: full rows, plus the used part of a ragged last row."""
        height, width = self._tile
        rows, last = divmod(self._count, self._columns)
        path = QPainterPath()
        full_height = rows * (height + self._gap) - (self._gap if not last else 0)
        if rows:
            path.addRect(QRectF(0, 0, shape[1], full_height))
        if last:
            path.addRect(QRectF(0, rows * (height + self._gap), last * (width + self._gap) - self._gap,
                                height))
        return path

    def clear_images(self, placeholder: str | None = None) -> None:
        """Remove every tile; show ``placeholder`` (if given) instead."""
        if placeholder is not None:
            self._placeholder.setText(placeholder)
        self.set_images(np.zeros((0, 1, 1)), 1)

    def tile_rect(self, index: int) -> QRectF:
        """The tile's rectangle in image coordinates."""
        row, col = divmod(index, self._columns)
        height, width = self._tile
        return QRectF(col * (width + self._gap), row * (height + self._gap), width, height)

    def tile_center_in_widget(self, index: int) -> QPoint:
        """Where tile ``index`` is on screen, in this widget's (viewport's) coordinates."""
        scene_point = self.image_item.mapToScene(self.tile_rect(index).center())
        return self.mapFromScene(scene_point)

    def set_selected(self, index: int | None) -> None:
        """Outline tile ``index`` (None removes the outline)."""
        if index is None or not 0 <= index < self._count:
            self._selection.hide()
            return
        self._selection.setRect(self.tile_rect(index).adjusted(-0.5, -0.5, 0.5, 0.5))
        self._selection.show()

    def index_at(self, point: QPointF) -> int | None:
        """The tile under an image-coordinate point, or None (gap or outside)."""
        height, width = self._tile
        col = int(point.x() // (width + self._gap))
        row = int(point.y() // (height + self._gap))
        if point.x() < 0 or point.y() < 0 or col >= self._columns:
            return None
        inside_x = point.x() - col * (width + self._gap) < width
        inside_y = point.y() - row * (height + self._gap) < height
        index = row * self._columns + col
        if inside_x and inside_y and index < self._count:
            return index
        return None

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._count == 0:
            return
        index = self.index_at(self.image_item.mapFromScene(event.scenePos()))
        if index is not None:
            self.set_selected(index)
            self.tile_clicked.emit(index)
