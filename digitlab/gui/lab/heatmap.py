"""A square plot of a function on ``[-2, 2]^2`` as a heatmap, with points drawn over it.

The clickable :class:`PointCanvas` shows exactly the square the network works on: its view is
``[-extent, extent]^2`` (plus a sliver of margin so edge points are whole) and never wider, and a
click anywhere in that view adds a point, so what you see is what you can click. It is kept
square by :class:`SquareBox` rather than by locking the aspect ratio, which would widen the view
beyond the square on a wide window.
"""


from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import QWidget

from ...core.lab.function_fitting import EXTENT
from .. import theme
from ..plotting import pg

#: margin around the square, as a fraction of ``extent`` (clicks there land on the edge)
VIEW_MARGIN = 0.03


def class_colormap(colour0: str, colour1: str) -> pg.ColorMap:
    """Pale ``colour0`` at 0, white at 0.5, pale ``colour1`` at 1: a probability of class 1."""
    def pale(name: str) -> tuple[int, int, int]:
        c = QColor(name)
        return tuple(int(v + (255 - v) * 0.55) for v in (c.red(), c.green(), c.blue()))
    return pg.ColorMap([0.0, 0.5, 1.0], [pale(colour0), (255, 255, 255), pale(colour1)])


class HeatmapPlot(pg.PlotWidget):
    """A fixed, square view of ``[-extent, extent]^2`` showing a (G, G) grid (first index y)."""

    def __init__(self, title: str, colormap: pg.ColorMap | None = None, colorbar: bool = False,
                 extent: float = EXTENT, parent=None) -> None:
        super().__init__(parent=parent, background=theme.plot_background())
        self.extent = extent
        item = self.getPlotItem()
        item.setTitle(f"<span style='font-size:11pt'>{title}</span>")
        item.setLabel("bottom", "x")
        item.setLabel("left", "y")
        item.setMenuEnabled(False)
        item.hideButtons()
        view = item.getViewBox()
        view.setMouseEnabled(False, False)
        view.setAspectLocked(True)
        view.setRange(xRange=(-extent, extent), yRange=(-extent, extent), padding=0.02)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.colormap = colormap or pg.colormap.get("viridis")
        self.image.setColorMap(self.colormap)
        item.addItem(self.image)
        self.colorbar: pg.ColorBarItem | None = None
        if colorbar:
            self.colorbar = pg.ColorBarItem(colorMap=self.colormap, interactive=False, width=14)
            self.colorbar.setImageItem(self.image, insert_in=item)
        self.scatter = pg.ScatterPlotItem(size=8, pen=pg.mkPen("k", width=1), brush=pg.mkBrush("w"))
        self.scatter.setZValue(10)
        item.addItem(self.scatter)
        self.setMinimumSize(240, 240)

    def set_grid(self, grid: np.ndarray, levels: tuple[float, float]) -> None:
        self.image.setImage(np.asarray(grid, dtype=np.float32), levels=levels, autoLevels=False)
        # The rect maps pixels to plot coordinates through the image's size: set it after the data.
        self.image.setRect(QRectF(-self.extent, -self.extent, 2 * self.extent, 2 * self.extent))
        if self.colorbar is not None:
            self.colorbar.setLevels(levels)

    def clear_grid(self) -> None:
        self.image.clear()

    def set_points(self, points: np.ndarray, brushes: list | None = None) -> None:
        if len(points) == 0:
            self.scatter.setData([], [])
            return
        if brushes is None:
            self.scatter.setData(points[:, 0], points[:, 1])
        else:
            self.scatter.setData(points[:, 0], points[:, 1], brush=brushes)


class PointCanvas(HeatmapPlot):
    """A heatmap on which clicking adds a point: ``point_clicked(x, y, right_button)``."""

    point_clicked = Signal(float, float, bool)

    def __init__(self, title: str, colormap: pg.ColorMap | None = None, parent=None) -> None:
        super().__init__(title, colormap, parent=parent)
        self.setObjectName("pointCanvas")
        self.scene().sigMouseClicked.connect(self._on_clicked)
        view = self.getPlotItem().getViewBox()
        view.setAspectLocked(False)  # SquareBox keeps it square; a locked aspect would widen the view
        shown = self.extent * (1 + VIEW_MARGIN)
        view.setRange(xRange=(-shown, shown), yRange=(-shown, shown), padding=0)
        view.setLimits(xMin=-shown, xMax=shown, yMin=-shown, yMax=shown)
        self.isocurve = pg.IsocurveItem(level=0.5, pen=pg.mkPen("#424242", width=2))
        self.isocurve.setParentItem(self.image)
        self.image.setFlag(self.image.GraphicsItemFlag.ItemClipsChildrenToShape)
        self.isocurve.setZValue(5)
        self.isocurve.setPos(0.5, 0.5)  # values belong to pixel centres

    def set_grid(self, grid: np.ndarray, levels: tuple[float, float]) -> None:
        super().set_grid(grid, levels)
        # The isocurve lives in the image's pixel coordinates, like the image itself.
        self.isocurve.setData(np.asarray(grid, dtype=np.float64).T)

    def clear_grid(self) -> None:
        super().clear_grid()
        self.isocurve.setData(None)

    def _on_clicked(self, event) -> None:
        view = self.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(event.scenePos()):
            return
        point = view.mapSceneToView(event.scenePos())
        # Everything shown is clickable; the sliver of margin maps onto the square's edge.
        x = float(np.clip(point.x(), -self.extent, self.extent))
        y = float(np.clip(point.y(), -self.extent, self.extent))
        right = event.button() == pg.QtCore.Qt.MouseButton.RightButton
        self.point_clicked.emit(x, y, bool(right))
        event.accept()

    def shown_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The x and y ranges the view shows now."""
        (x0, x1), (y0, y1) = self.getPlotItem().getViewBox().viewRange()
        return (x0, x1), (y0, y1)


class SquareBox(QWidget):
    """Holds one widget and keeps it square, centred in whatever space the layout gives."""

    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        child.setParent(self)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.child.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.child.minimumSize()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        side = min(self.width(), self.height())
        self.child.setGeometry(QRect((self.width() - side) // 2, (self.height() - side) // 2,
                                     side, side))
