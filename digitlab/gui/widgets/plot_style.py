"""Readable plot parts shared by the panels and the Lab: a plain log axis and a legend off the data.

pyqtgraph's defaults puzzle learners in two places. On a log axis it labels ticks ``7·10²`` and,
with its SI prefixes on, adds ``(x0.001)`` to the axis title; :class:`PlainLogAxis` labels the
decades as plain numbers (0.001, 0.01, 0.1, 1) and, where there is room, the ticks in between
(all of them, or the 2x and 5x ones), so there are always a few labels and they never crowd.
pyqtgraph's legend sits inside the plot over the lines; :func:`legend_below` puts it under the
plot instead.
"""

from __future__ import annotations

import math

from .. import theme
from ..plotting import pg

#: labels closer than this (pixels, centre to centre) would crowd: fewer ticks get labels
MIN_LABEL_GAP_PX = 22


def plain_number(value: float) -> str:
    """A tick value as people write it: 0.001, 0.56, 20, 1,000, 1e-5 (exponent only when tiny)."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}" if abs(value) < 1e9 else f"{value:.0e}".replace("e+0", "e")
    if abs(value) >= 1e-4:
        return f"{value:.3g}"
    return f"{value:.0e}".replace("e-0", "e-")


class PlainLogAxis(pg.AxisItem):
    """An axis that, in log mode, labels ticks with plain numbers and never with SI prefixes."""

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802 - pyqtgraph's names
        ticks = super().logTickValues(minVal, maxVal, size, stdTicks)
        if sum(len(values) for _spacing, values in ticks) >= 2:
            return ticks
        # Narrower than the gap between two 1..9 multiples: evenly spaced ticks in log space.
        return [(None, list(values)) for _spacing, values in stdTicks]

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        positions = [float(v) for v in values]
        values = [10.0 ** v * scale for v in positions]
        mantissas = [_mantissa(v) for v in values]
        # A label at the very end of the axis is dropped by pyqtgraph: count only those inside.
        low, high = sorted(self.range)
        margin = 0.5 * MIN_LABEL_GAP_PX / self._pixels_per_decade()
        inside = [low + margin <= x <= high - margin for x in positions]
        if spacing is not None:
            shown = [{1.0}]  # the decade level
        elif all(m is not None and abs(m - round(m)) < 1e-6 for m in mantissas):
            shown = self._minor_label_sets()
        else:
            shown = [None]  # evenly spaced ticks of a narrow range: label them all
        for labelled in shown:
            strings = [plain_number(v) if m is not None and (labelled is None or any(
                           abs(m - k) < 1e-6 for k in labelled)) else ""
                       for v, m in zip(values, mantissas, strict=True)]
            if sum(1 for text, ok in zip(strings, inside, strict=True) if text and ok) >= 2:
                break
        return strings

    def _pixels_per_decade(self) -> float:
        low, high = sorted(self.range)
        length = self.size().height() if self.orientation in ("left", "right") else self.size().width()
        return max(length, 1.0) / max(high - low, 1e-9)

    def _minor_label_sets(self) -> list[set[float] | None]:
        """Which 1..9 multiples get labels, densest first that leaves room between labels."""
        pixels_per_decade = self._pixels_per_decade()
        sets: list[set[float] | None] = []
        # The closest labels are 9 and 10 apart (0.046 decade), or 1 and 2 (0.301 decade).
        if pixels_per_decade * math.log10(10 / 9) >= MIN_LABEL_GAP_PX:
            sets.append(None)
        if pixels_per_decade * math.log10(2) >= MIN_LABEL_GAP_PX:
            sets.append({1.0, 2.0, 5.0})
        sets.append({1.0})
        # Fewer than two labels in view: take the next denser set (pyqtgraph drops any overlap).
        return sets + [{1.0, 2.0, 5.0}, None]


def _mantissa(value: float) -> float | None:
    """``value`` as ``m * 10^k`` with ``1 <= m < 10``: ``m`` rounded to a tick's 1..9, or None."""
    if not math.isfinite(value) or value <= 0:
        return None
    return round(value / 10.0 ** math.floor(math.log10(value) + 1e-9), 6)


def legend_below(plot: pg.PlotItem, columns: int = 3) -> pg.LegendItem:
    """A legend in its own row under ``plot``'s bottom axis, so it never hides a line.

    Add entries with ``legend.addItem(curve, name)``; clicking one hides or shows its curve.
    """
    legend = pg.LegendItem(offset=None, colCount=columns, labelTextSize="8pt",
                           labelTextColor=theme.plot_foreground())
    plot.layout.addItem(legend, 4, 1)
    return legend
