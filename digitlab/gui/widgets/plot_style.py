"""Readable plot parts shared by the panels and the Lab: a plain log axis and a legend off the data.

pyqtgraph's defaults puzzle learners in two places. On a log axis it labels ticks ``7·10²`` and,
with its SI prefixes on, adds ``(x0.001)`` to the axis title; :class:`PlainLogAxis` labels the
decades as plain numbers (0.001, 0.01, 0.1, 1); over less than two decades it labels the ticks in
between too (all of them on a narrow range, else the 2x and 5x ones), so there are always a few
labels and they never crowd. Its legend sits inside the plot over the lines;
:func:`legend_below` puts it under the plot instead.
"""

from __future__ import annotations

import math

import pyqtgraph as pg

from .. import theme

#: the axis spans fewer decades than this: ticks between the decades get labels too
LABEL_MINOR_BELOW_DECADES = 2.0
#: at most this many ticks between decades all get labels; with more, only the 2x and 5x ones
MAX_MINOR_LABELS = 6


def plain_number(value: float) -> str:
    """A tick value as people write it: 0.001, 0.5, 20, 1e-05 (exponent only when very small/large)."""
    if value == 0:
        return "0"
    if 1e-4 <= abs(value) < 1e5:
        return f"{value:.6g}"
    return f"{value:.0e}".replace("e-0", "e-").replace("e+0", "e")


class PlainLogAxis(pg.AxisItem):
    """An axis that, in log mode, labels ticks with plain numbers and never with SI prefixes."""

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        low, high = sorted(self.range)
        values = [10.0 ** float(v) * scale for v in values]
        mantissas = [_mantissa(v) for v in values]
        if spacing is not None or high - low >= LABEL_MINOR_BELOW_DECADES:
            shown = {1.0}  # whole decades (or the decade level itself)
        elif len(values) <= MAX_MINOR_LABELS:
            shown = None  # a narrow range: label every tick there is
        else:
            shown = {1.0, 2.0, 5.0}
        return [plain_number(v) if m is not None and (shown is None or any(
                    abs(m - k) < 1e-6 for k in shown)) else ""
                for v, m in zip(values, mantissas, strict=True)]


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
