"""The 4-3-2 network of the backprop stepper, drawn with every number computed so far.

Nodes show their values (x; z1, h; z2, y; E) and, once the backward pass reaches them, their
gradients; the edges of the current step are drawn thick and labelled with their weight (and its
gradient once known). Forward steps are highlighted in the lab's "numerical" orange, backward
steps in its "backprop" blue, the colours of the rest of the Lab.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core.lab.backprop_steps import SIZES, Step, TinyNet
from .. import theme
from .base import COLOURS

NODE_W, NODE_H = 118, 74

#: what a node lists, in order: (quantity, symbol); which nodes have which values
NODE_LINES = {
    "input": (("x", "x"),),
    "hidden": (("z1", "z1"), ("h", "h"), ("h'", "\u2202E/\u2202h"), ("z1'", "\u03b41")),
    "output": (("z2", "z2"), ("y", "y"), ("y'", "\u2202E/\u2202y"), ("z2'", "\u03b42")),
}


class BackpropDiagram(QWidget):
    """Paints the network for one :class:`TinyNet` and the steps taken so far."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backpropDiagram")
        self.setMinimumSize(560, 330)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.net: TinyNet | None = None
        self.done: list[Step] = []

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(720, 380)

    def show_steps(self, net: TinyNet, done: list[Step]) -> None:
        """Draw ``net`` with the values and gradients of ``done`` (the last one is current)."""
        self.net, self.done = net, list(done)
        self.update()

    # -- layout ------------------------------------------------------------------------------
    def node_centre(self, column: int, row: int) -> QPointF:
        """Centre of node ``row`` of ``column`` (0 input, 1 hidden, 2 output, 3 loss)."""
        count = (*SIZES, 1)[column]
        left, right = NODE_W / 2 + 8, self.width() - NODE_W / 2 - 8
        x = left + (right - left) * column / 3
        top, bottom = NODE_H / 2 + 24, self.height() - NODE_H / 2 - 8
        y = (top + bottom) / 2 if count == 1 else top + (bottom - top) * row / (count - 1)
        return QPointF(x, y)

    def _values(self) -> dict[tuple[str, tuple[int, ...]], float]:
        return {(s.quantity, s.index): s.value for s in self.done}

    def _current(self) -> Step | None:
        return self.done[-1] if self.done else None

    def _highlight(self) -> tuple[set[tuple[int, int]], set[tuple[str, int, int]]]:
        """(nodes as (column, row), edges as ("W1"|"W2"|"E", to, from)) of the current step."""
        step = self._current()
        if step is None:
            return set(), set()
        q, idx = step.quantity, step.index
        n_in, n_hidden, n_out = SIZES
        nodes: set[tuple[int, int]] = set()
        edges: set[tuple[str, int, int]] = set()
        if q in ("z1", "h", "z1'", "b1'", "h'"):
            nodes.add((1, idx[0]))
            if q == "z1":
                edges |= {("W1", idx[0], i) for i in range(n_in)}
            if q == "h'":
                edges |= {("W2", k, idx[0]) for k in range(n_out)}
        elif q in ("z2", "y", "y'", "z2'", "b2'"):
            nodes.add((2, idx[0]))
            if q == "z2":
                edges |= {("W2", idx[0], j) for j in range(n_hidden)}
        elif q == "E":
            nodes.add((3, 0))
            edges |= {("E", 0, k) for k in range(n_out)}
        elif q in ("W1'", "W2'"):
            edges.add((q[:2], idx[0], idx[1]))
        return nodes, edges

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.net is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        step = self._current()
        accent = QColor(COLOURS["backprop"] if step is not None and step.phase == "backward"
                        else COLOURS["numerical"])
        nodes, edges = self._highlight()
        self._paint_edges(painter, edges, accent)
        self._paint_nodes(painter, nodes, accent)
        self._paint_titles(painter)
        painter.end()

    def _paint_titles(self, painter: QPainter) -> None:
        painter.setPen(theme.muted_colour())
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        titles = (self.tr("input x"), self.tr("hidden (sigmoid)"),
                  self.tr("output (sigmoid)") if self.net.loss == "mse" else self.tr("output (softmax)"),
                  self.tr("loss E"))
        for column, title in enumerate(titles):
            x = self.node_centre(column, 0).x()
            painter.drawText(QRectF(x - 80, 2, 160, 18), Qt.AlignmentFlag.AlignCenter, title)

    def _paint_edges(self, painter: QPainter, edges: set[tuple[str, int, int]], accent: QColor) -> None:
        values = self._values()
        quiet = QPen(theme.blend(theme.muted_colour(), theme.palette().window().color(), 0.45), 1)
        n_in, n_hidden, n_out = SIZES
        lines = [("W1", j, i, 0, 1) for j in range(n_hidden) for i in range(n_in)]
        lines += [("W2", k, j, 1, 2) for k in range(n_out) for j in range(n_hidden)]
        lines += [("E", 0, k, 2, 3) for k in range(n_out)]
        labelled = []
        for name, to, frm, c_from, c_to in lines:
            a = self.node_centre(c_from, frm) + QPointF(NODE_W / 2, 0)
            b = self.node_centre(c_to, to) - QPointF(NODE_W / 2, 0)
            hot = (name, to, frm) in edges
            painter.setPen(QPen(accent, 3) if hot else quiet)
            painter.drawLine(a, b)
            if hot and name != "E":
                weight = getattr(self.net, name)[to, frm]
                text = f"{name}[{to},{frm}] = {weight:.2f}"
                gradient = values.get((f"{name}'", (to, frm)))
                if gradient is not None:
                    text += f"\n\u2202E/\u2202{name} = {gradient:.4f}"
                labelled.append((a + (b - a) * 0.35, text))
        painter.setFont(self.font())
        for point, text in labelled:  # on top of every line
            box = QRectF(point.x() - 70, point.y() - 17, 140, 34)
            painter.fillRect(box, theme.palette().base())
            painter.setPen(accent)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_nodes(self, painter: QPainter, hot: set[tuple[int, int]], accent: QColor) -> None:
        values = self._values()
        net = self.net
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        painter.setFont(small)
        kinds = ("input", "hidden", "output")
        for column, count in enumerate((*SIZES, 1)):
            for row in range(count):
                centre = self.node_centre(column, row)
                box = QRectF(centre.x() - NODE_W / 2, centre.y() - NODE_H / 2, NODE_W, NODE_H)
                painter.setBrush(theme.palette().base())
                painter.setPen(QPen(accent, 3) if (column, row) in hot else QPen(theme.text_colour(), 1))
                painter.drawRoundedRect(box, 8, 8)
                if column == 3:
                    lines = [f"E = {values[('E', ())]:.4f}" if ("E", ()) in values else "E"]
                else:
                    lines = []
                    for quantity, symbol in NODE_LINES[kinds[column]]:
                        if quantity == "x":
                            lines.append(f"x[{row}] = {net.x[row]:.2f}")
                        elif (quantity, (row,)) in values:
                            lines.append(f"{symbol} = {values[(quantity, (row,))]:.4f}")
                    if column == 2:
                        lines.append(f"t = {net.t[row]:g}")
                painter.setPen(theme.text_colour())
                painter.drawText(box.adjusted(4, 2, -4, -2), Qt.AlignmentFlag.AlignCenter, "\n".join(lines))

