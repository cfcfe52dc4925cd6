"""Accuracy per digit class as bars from 0 to 100 %, with labels that never collide."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from .. import theme
from ..plotting import pg


class PerClassBars(pg.PlotWidget):
    """Accuracy of each digit class as bars from 0 to 100 %, each value written inside its bar.

    The axis always starts at 0, so a bar twice as tall is twice the accuracy. The values are
    written vertically inside the bars (above a bar too short to hold it), so neighbouring labels
    never collide however narrow the plot gets.
    """

    #: a bar lower than this (fraction) gets its label above it instead of inside it
    INSIDE_MIN = 0.45

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=None)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.setMouseEnabled(False, False)
        item.hideButtons()
        item.setTitle(self.tr("Accuracy per digit"), size="10pt")
        item.getAxis("bottom").setTicks([[(d, str(d)) for d in range(10)], []])
        item.getAxis("left").setTicks([[(v, f"{v:.0%}") for v in (0.0, 0.5, 1.0)],
                                       [(v, "") for v in (0.25, 0.75)]])
        item.getAxis("left").setWidth(40)
        item.setXRange(-0.6, 9.6, padding=0)
        item.setYRange(-0.12, 1.08, padding=0)  # room for the 0% and 100% tick labels
        item.showGrid(y=True, alpha=0.2)
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7,
                                    brush=pg.mkBrush(86, 119, 160), pen=pg.mkPen(None))
        item.addItem(self.bars)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        self._texts: list[pg.TextItem] = []
        for _ in range(10):
            text = pg.TextItem("", angle=90)
            text.setFont(font)
            item.addItem(text)
            self._texts.append(text)
        self.set_accuracies(None)

    def set_accuracies(self, accuracies: np.ndarray | None) -> None:
        if accuracies is None:
            self.bars.setOpts(height=np.zeros(10))
            for text in self._texts:
                text.setText("")
            return
        values = np.nan_to_num(np.asarray(accuracies, dtype=float))
        self.bars.setOpts(height=values)
        foreground = theme.plot_foreground()
        for digit, (text, value) in enumerate(zip(self._texts, values, strict=True)):
            text.setText(f"{value:.1%}")
            if value >= self.INSIDE_MIN:
                # Rotated 90 degrees: anchor (1, 0.5) puts the text's end just below the bar's top.
                text.setAnchor((1.0, 0.5))
                text.setColor("#ffffff")
                text.setPos(digit, value - 0.02)
            else:
                text.setAnchor((0.0, 0.5))
                text.setColor(foreground)
                text.setPos(digit, value + 0.02)
