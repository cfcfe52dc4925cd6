"""A grid of a layer's hidden units: each cell coloured by the unit's value, click to edit it."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from .. import theme

#: grid cell side range (pixels): small enough for 256 units, big enough to click
MIN_CELL, MAX_CELL = 12, 40


class UnitGrid(QWidget):
    """Cells for ``units`` units, brightness = the unit's value for the current digit.

    Switched-off units are drawn dark with a cross, scaled ones with a thick outline; clicking
    a cell emits :attr:`unit_clicked`; hovering shows the unit's number, value and scale.
    """

    unit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unitGrid")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 80)
        self.values = np.zeros(0)
        self.scales: dict[int, float] = {}

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, 240)

    def set_units(self, values: np.ndarray, scales: dict[int, float]) -> None:
        """Show one value per unit and the units' current scales (absent = 1)."""
        self.values = np.asarray(values, dtype=np.float64).reshape(-1)
        self.scales = dict(scales)
        self.update()

    def _layout(self) -> tuple[int, int, float]:
        """(columns, rows, cell side) that fit every unit into the widget."""
        count = max(1, self.values.size)
        width, height = max(1, self.width()), max(1, self.height())
        columns = max(1, math.ceil(math.sqrt(count * width / height)))
        rows = math.ceil(count / columns)
        side = min(width / columns, height / rows, MAX_CELL)
        return columns, rows, max(1.0, side)

    def unit_at(self, point: QPointF) -> int | None:
        """The unit under ``point`` (widget coordinates), or None."""
        columns, _, side = self._layout()
        column, row = int(point.x() // side), int(point.y() // side)
        unit = row * columns + column
        if column < columns and 0 <= unit < self.values.size:
            return unit
        return None

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        columns, _, side = self._layout()
        top = float(self.values.max()) if self.values.size and self.values.max() > 0 else 1.0
        off_colour = theme.muted_colour(self.palette())
        edge = theme.text_colour(self.palette())
        for unit, value in enumerate(self.values):
            rect = QRectF((unit % columns) * side, (unit // columns) * side, side - 1, side - 1)
            level = int(255 * min(1.0, max(0.0, value / top)))
            scale = self.scales.get(unit, 1.0)
            painter.fillRect(rect, QColor(level, level, level) if scale != 0 else QColor(40, 0, 0))
            if scale == 0:
                painter.setPen(QPen(off_colour, 1.5))
                painter.drawLine(rect.topLeft(), rect.bottomRight())
                painter.drawLine(rect.topRight(), rect.bottomLeft())
            elif scale != 1.0:
                painter.setPen(QPen(QColor(230, 120, 0), 2.5))
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
            else:
                painter.setPen(QPen(edge, 0.3))
                painter.drawRect(rect)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        unit = self.unit_at(event.position())
        if unit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.unit_clicked.emit(unit)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        unit = self.unit_at(event.position())
        if unit is None:
            QToolTip.hideText()
            return
        scale = self.scales.get(unit, 1.0)
        state = self.tr("off") if scale == 0 else self.tr("x {0:g}").format(scale)
        QToolTip.showText(event.globalPosition().toPoint(), self.tr(
            "unit {0}: value {1:.3g} for this digit, {2}").format(unit, self.values[unit], state), self)
