"""One bar per digit with its probability, the most likely one highlighted (the Draw panel's).

Painted with QPainter: a bar chart this small needs no plotting library, and the Draw panel is
on screen at start-up, before pyqtgraph is imported.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from .. import theme

BAR = QColor(86, 119, 160)
BAR_TOP = QColor(255, 176, 0)
#: fraction of each digit's slot the bar fills
BAR_WIDTH = 0.7


class ProbabilityBars(QWidget):
    """Bars for the digits 0-9 on a 0-100% scale, with lines at 50% and 100%."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("probabilityBars")
        self.setMinimumHeight(90)  # the Draw tab fits a 1024x600 screen
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.probabilities = np.zeros(10)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(300, 160)

    def set_probabilities(self, probs: np.ndarray | None) -> None:
        """Show ``probs`` (10 values in 0..1), or empty bars for None."""
        values = np.zeros(10) if probs is None or len(probs) == 0 else np.asarray(probs, float)
        self.probabilities = np.clip(np.nan_to_num(values), 0.0, 1.0)
        self.update()

    def top_digit(self) -> int | None:
        """The highlighted digit (None while every bar is empty)."""
        return int(np.argmax(self.probabilities)) if self.probabilities.any() else None

    def plot_rect(self) -> QRectF:
        """The bars' area: room on the left for the percentages, below for the digits."""
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("100%") + 8
        top = metrics.height() // 2 + 2
        bottom = metrics.height() + 4
        return QRectF(left, top, max(1, self.width() - left - 6), max(1, self.height() - top - bottom))

    def bar_rect(self, digit: int) -> QRectF:
        """Where the bar of ``digit`` is painted."""
        area = self.plot_rect()
        slot = area.width() / len(self.probabilities)
        height = area.height() * float(self.probabilities[digit])
        return QRectF(area.left() + slot * (digit + (1 - BAR_WIDTH) / 2), area.bottom() - height,
                      slot * BAR_WIDTH, height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        area = self.plot_rect()
        pal = self.palette()
        text, background = theme.text_colour(pal), theme.plot_background(pal)
        painter.fillRect(area, background)
        grid = QPen(theme.blend(theme.muted_colour(pal), background, 0.5))
        metrics = self.fontMetrics()
        for share in (0.5, 1.0):
            y = area.bottom() - area.height() * share
            painter.setPen(grid)
            painter.drawLine(int(area.left()), int(y), int(area.right()), int(y))
            painter.setPen(text)
            label = f"{share:.0%}"
            painter.drawText(QRectF(0, y - metrics.height() / 2, area.left() - 4, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        top = self.top_digit()
        slot = area.width() / len(self.probabilities)
        for digit in range(len(self.probabilities)):
            bar = self.bar_rect(digit)
            if bar.height() > 0:
                painter.fillRect(bar, BAR_TOP if digit == top else BAR)
            painter.setPen(text)
            painter.drawText(QRectF(area.left() + slot * digit, area.bottom() + 2, slot, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, str(digit))
        painter.setPen(QPen(text))
        painter.drawLine(int(area.left()), int(area.bottom()), int(area.right()), int(area.bottom()))
        painter.end()
