"""A confusion-matrix heatmap with the count in each cell; clicking a cell reports it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QWidget

from ..plotting import pg

_LOW = (247, 251, 255)
_HIGH = (8, 48, 107)


class ConfusionMatrixView(pg.PlotWidget):
    """Rows are true classes, columns predicted classes; colour on a log scale of the count.

    A log scale keeps a handful of mistakes visible next to a diagonal of a thousand. With
    ``normalised`` each cell shows the percentage of its row (of the images of that true digit),
    which compares digits that have different numbers of test images.
    """

    #: (true class, predicted class) of the clicked cell
    cell_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None, classes: int = 10) -> None:
        super().__init__(parent, background=None)
        self.classes = classes
        self.counts = np.zeros((classes, classes), dtype=np.int64)
        self.normalised = False
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.setMouseEnabled(False, False)
        item.hideButtons()
        item.invertY(True)
        ticks = [[(i + 0.5, str(i)) for i in range(classes)], []]
        item.getAxis("bottom").setTicks(ticks)
        item.getAxis("left").setTicks(ticks)
        item.showAxis("top")
        item.getAxis("top").setTicks(ticks)
        item.getAxis("top").setStyle(showValues=False)
        item.setLabel("left", self.tr("true digit"))
        item.setLabel("bottom", self.tr("predicted digit"))
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setColorMap(pg.ColorMap([0.0, 1.0], [_LOW, _HIGH]))
        item.addItem(self.image_item)
        item.setRange(QRectF(0, 0, classes, classes), padding=0.0)
        #: one label per cell, made with the first counts (100 text items cost start-up time)
        self._texts: list[pg.TextItem] = []
        self._selection = QGraphicsRectItem()
        pen = QPen(QColor("#ffb000"))
        pen.setWidthF(3.0)
        pen.setCosmetic(True)
        self._selection.setPen(pen)
        self._selection.setZValue(20)
        self._selection.hide()
        item.addItem(self._selection)
        self.set_counts(self.counts)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)

    def set_counts(self, counts: np.ndarray) -> None:
        """Show a (classes, classes) matrix of counts, rows = true class."""
        self.counts = np.asarray(counts, dtype=np.int64)
        self._redraw()

    def set_normalised(self, on: bool) -> None:
        """Show each cell as a percentage of its row (True) or as a count (False)."""
        self.normalised = bool(on)
        self._redraw()

    def row_percentages(self) -> np.ndarray:
        """(classes, classes) float: each cell as a percentage of its row's total (0 for empty rows)."""
        totals = self.counts.sum(axis=1, keepdims=True)
        return 100.0 * self.counts / np.where(totals > 0, totals, 1)

    def cell_text(self, row: int, col: int) -> str:
        """What cell (row, col) shows: the count, or its row percentage; empty for zero."""
        count = int(self.counts[row, col])
        if not count:
            return ""
        if not self.normalised:
            return str(count)
        percent = float(self.row_percentages()[row, col])
        return f"{percent:.0f}" if percent >= 10 else f"{percent:.1f}"

    def _redraw(self) -> None:
        values = self.row_percentages() if self.normalised else self.counts.astype(np.float64)
        peak = max(1.0, float(values.max()))
        shade = np.log1p(values) / np.log1p(peak)
        self.image_item.setImage(shade.astype(np.float32), levels=(0.0, 1.0), autoLevels=False)
        self.image_item.setRect(QRectF(0, 0, self.classes, self.classes))
        if not self._texts and self.counts.any():
            self._make_texts()
        for (row, col), text in zip(np.ndindex(self.counts.shape), self._texts, strict=False):
            text.setText(self.cell_text(row, col))
            # Cell colours are fixed (pale to dark blue), so their text colours are too.
            text.setColor("#ffffff" if shade[row, col] > 0.55 else "#1a1a1a")

    def _make_texts(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        for row in range(self.classes):
            for col in range(self.classes):
                text = pg.TextItem("", anchor=(0.5, 0.5))
                text.setFont(font)
                text.setPos(col + 0.5, row + 0.5)
                self.getPlotItem().addItem(text)
                self._texts.append(text)

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        if cell is None:
            self._selection.hide()
            return
        row, col = cell
        self._selection.setRect(QRectF(col, row, 1, 1))
        self._selection.show()

    def cell_center_in_widget(self, true_class: int, predicted: int) -> QPoint:
        """Where a cell is on screen, in this widget's (viewport's) coordinates."""
        scene_point = self.getPlotItem().vb.mapViewToScene(QPointF(predicted + 0.5, true_class + 0.5))
        return self.mapFromScene(scene_point)

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        col, row = int(np.floor(point.x())), int(np.floor(point.y()))
        if 0 <= row < self.classes and 0 <= col < self.classes:
            self.set_selected((row, col))
            self.cell_clicked.emit(row, col)
