"""A square drawing pad with a smooth round pen, keeping what is drawn as vector strokes.

Strokes are lists of ``(x, y)`` points in canvas-normalised coordinates (0..1 across the
drawing square, y downwards), so resizing the widget never loses or blurs a drawing, and the
network's input can be rendered from the same strokes at any resolution
(:func:`render_strokes`).

(About 440 lines: the pen, the stroke model and the two renderers, on screen and for the
network, are kept together because the network renderer must match what the pen shows.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core.preprocess import BOX_SIZE
from .. import theme

Point = tuple[float, float]
Stroke = list[Point]

#: Pen diameter as a fraction of the drawing square's side. A digit drawn across about two
#: thirds of the pad then has strokes about 1/8 of its height thick, as in MNIST (2-3 px strokes
#: on a 20 px digit).
DEFAULT_PEN_WIDTH = 0.08
#: Smallest side of the drawing square, in pixels: enough room to write a digit with a mouse
#: (a contract: scripts and tests that draw into drawCanvas rely on at least 280 px).
MIN_SIDE = 280

#: Stroke width, in pixels of the 28x28 frame, of drawn digits as the network sees them.
#: MNIST's pen strokes are 2-3 px wide on its 20 px digits.
NETWORK_STROKE_PX = 2.5
#: Resolution at which strokes are rasterised for the network before the 20 px fit.
NETWORK_RENDER_SIDE = 224

# Points closer than this to the previous one (in widget pixels) are dropped.
_MIN_STEP_PX = 1.5



def stroke_path(stroke: Sequence[Point], side: float, origin: QPointF | None = None) -> QPainterPath:
    """A smooth path through a stroke: quadratic curves from midpoint to midpoint.

    Parameters
    ----------
    stroke : sequence of (x, y)
        Normalised points (0..1), at least one.
    side : float
        Side of the drawing square in the target's coordinates.
    origin : QPointF, optional
        Top-left corner of the drawing square (default 0, 0).
    """
    ox, oy = (origin.x(), origin.y()) if origin is not None else (0.0, 0.0)
    points = [QPointF(ox + x * side, oy + y * side) for x, y in stroke]
    path = QPainterPath(points[0])
    if len(points) <= 2:
        path.lineTo(points[-1])  # a zero-length line with a round cap is a dot
        return path
    # Each input point becomes the control point of a curve between its neighbours' midpoints:
    # the path passes smoothly near every sample instead of zig-zagging through them.
    for current, following in zip(points[1:-1], points[2:], strict=True):
        path.quadTo(current, (current + following) / 2)
    path.lineTo(points[-1])
    return path


def render_strokes(strokes: Sequence[Sequence[Point]], side: int, pen_width: float) -> np.ndarray:
    """Rasterise normalised strokes as bright ink on black, antialiased, with a round pen.

    Parameters
    ----------
    strokes : sequence of strokes
        Each a sequence of normalised ``(x, y)`` points.
    side : int
        Size of the square output image, in pixels.
    pen_width : float
        Pen diameter as a fraction of ``side``.

    Returns
    -------
    np.ndarray, shape (side, side), uint8
        0 = background, 255 = full ink.
    """
    image = QImage(side, side, QImage.Format.Format_Grayscale8)
    image.fill(0)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(_pen(QColor(255, 255, 255), pen_width * side))
        for stroke in strokes:
            if stroke:
                painter.drawPath(stroke_path(stroke, side))
    finally:
        painter.end()
    stride = image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * side)
    return buffer.reshape(side, stride)[:, :side].copy()


def render_for_network(strokes: Sequence[Sequence[Point]], stroke_px: float | None = None,
                       side: int = NETWORK_RENDER_SIDE) -> np.ndarray:
    """Rasterise strokes for the network: the digit fills the image, strokes MNIST-thick.

    The strokes' skeleton is scaled (aspect kept) so its longer side spans 3/4 of the image, and
    the pen is chosen so that once :func:`~digitlab.core.preprocess.to_mnist_style` has fitted the
    ink into its 20 px box, strokes are ``stroke_px`` wide, as in MNIST. So a digit scribbled
    small in a corner and one drawn across the whole pad reach the network alike. A stroke with
    no extent (a dot) keeps the canvas pen's proportions.

    Returns
    -------
    np.ndarray, shape (side, side), uint8
        Ink bright; all zeros for no strokes.
    """
    stroke_px = NETWORK_STROKE_PX if stroke_px is None else stroke_px
    points = [p for s in strokes for p in s]
    if not points:
        return np.zeros((side, side), np.uint8)
    xy = np.asarray(points, dtype=np.float64)
    low, high = xy.min(axis=0), xy.max(axis=0)
    extent = float((high - low).max())
    if extent < 1e-6:  # a dot
        return render_strokes([[(0.5, 0.5)]], side, DEFAULT_PEN_WIDTH)
    span = 0.75
    scale = span / extent
    offset = 0.5 - (low + high) / 2 * scale
    placed = [[(x * scale + offset[0], y * scale + offset[1]) for x, y in s] for s in strokes if s]
    # Ink extent = span + width; after the fit it is 20 px, so width = stroke_px / 20 of it.
    width = stroke_px * span / (BOX_SIZE - stroke_px)
    return render_strokes(placed, side, width)


def _pen(colour: QColor, width: float) -> QPen:
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin)


class DrawCanvas(QWidget):
    """A square pad to draw a digit on with the mouse, a pen tablet or a touch screen.

    Left button (or pen) draws, right click or Esc clears, Ctrl+Z undoes the last stroke.
    """

    #: the drawing changed: a point was added, a stroke ended, undo, clear or a new picture
    strokes_changed = Signal()
    #: the pen was lifted at the end of a stroke
    stroke_finished = Signal()
    #: the canvas was emptied
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawCanvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MIN_SIDE, MIN_SIDE)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("Draw one digit with the left mouse button or a pen.\n"
                                "Right-click or Esc clears, Ctrl+Z undoes the last stroke."))
        self.setAccessibleName(self.tr("Drawing canvas"))
        self.pen_width = DEFAULT_PEN_WIDTH
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._picture: QImage | None = None
        self._ink = QImage()  # finished strokes, rendered at the widget's resolution

    # -- public API ------------------------------------------------------------------------
    def strokes(self) -> list[Stroke]:
        """Copies of all strokes, the one being drawn included (normalised coordinates)."""
        strokes = [list(s) for s in self._strokes]
        if self._current:
            strokes.append(list(self._current))
        return strokes

    def set_strokes(self, strokes: Sequence[Sequence[Point]]) -> None:
        """Replace the drawing (normalised coordinates)."""
        self._strokes = [[(float(x), float(y)) for x, y in s] for s in strokes if len(s)]
        self._current = None
        self._picture = None
        self._rerender()
        self.strokes_changed.emit()

    def is_empty(self) -> bool:
        return not self._strokes and not self._current and self._picture is None

    def is_drawing(self) -> bool:
        return self._current is not None

    def picture(self) -> QImage | None:
        """The image file shown instead of strokes, if one was loaded."""
        return self._picture

    def set_picture(self, image: QImage | None) -> None:
        """Show a loaded image (letterboxed in the square); drawing a stroke replaces it."""
        self._strokes, self._current = [], None
        self._picture = None if image is None or image.isNull() else image
        self._rerender()
        self.strokes_changed.emit()

    def clear(self) -> None:
        """Remove every stroke and any loaded picture."""
        had_content = not self.is_empty()
        self._strokes, self._current, self._picture = [], None, None
        self._rerender()
        if had_content:
            self.strokes_changed.emit()
        self.cleared.emit()

    def undo(self) -> None:
        """Remove the last finished stroke."""
        if self._current is not None or not self._strokes:
            return
        self._strokes.pop()
        self._rerender()
        self.strokes_changed.emit()
        if self.is_empty():
            self.cleared.emit()

    def render_strokes(self, side: int, pen_width: float | None = None) -> np.ndarray:
        """The drawing as an ink image (see :func:`render_strokes`), by default with our pen."""
        width = self.pen_width if pen_width is None else pen_width
        return render_strokes(self.strokes(), side, width)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(360, 360)

    # -- geometry --------------------------------------------------------------------------
    def square(self) -> QRectF:
        """The drawing square: the largest centred square inside the widget, less a margin."""
        margin = 4.0
        side = max(1.0, min(self.width(), self.height()) - 2 * margin)
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _normalise(self, pos: QPointF) -> Point:
        square = self.square()
        x = (pos.x() - square.left()) / square.width()
        y = (pos.y() - square.top()) / square.height()
        return (min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0))

    # -- drawing ---------------------------------------------------------------------------
    def _begin(self, pos: QPointF) -> None:
        if self._picture is not None:  # drawing starts a new digit instead of a loaded image
            self._picture = None
            self._rerender()
        self._current = [self._normalise(pos)]
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.update()
        self.strokes_changed.emit()

    def _is_new_point(self, point: Point) -> bool:
        """True if ``point`` is at least a pixel from the stroke's last point.

        Sub-pixel jitter adds nothing to the shape, and tiny segments make the path stroker
        draw slivers at round joins.
        """
        assert self._current is not None
        last = self._current[-1]
        side = self.square().width()
        return math.hypot(point[0] - last[0], point[1] - last[1]) * side >= _MIN_STEP_PX

    def _extend(self, pos: QPointF) -> None:
        point = self._normalise(pos)
        if self._is_new_point(point):
            assert self._current is not None
            self._current.append(point)
            self.update()
            self.strokes_changed.emit()

    def _end(self, pos: QPointF | None) -> None:
        if self._current is None:
            return
        if pos is not None:
            point = self._normalise(pos)
            if self._is_new_point(point):
                self._current.append(point)
        self._strokes.append(self._current)
        self._current = None
        self._paint_stroke_into_ink(self._strokes[-1])
        self.update()
        self.strokes_changed.emit()
        self.stroke_finished.emit()

    # -- events ----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        elif event.button() == Qt.MouseButton.RightButton:
            self._current = None
            self.clear()
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.buttons() & Qt.MouseButton.LeftButton:
            if self._current is None:
                self._begin(event.position())  # the press happened elsewhere
            else:
                self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt's name
        # Accepting a tablet event stops Qt from synthesising the matching mouse event, so a
        # pen draws through here with its full (sub-pixel) precision.
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            if self._current is not None:
                self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end(event.position())
        else:
            event.ignore()
            return
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self._current = None
            self.clear()
            event.accept()
        elif event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            event.accept()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        self.update()  # the frame shows whether Esc and Ctrl+Z reach the canvas

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._rerender()

    # -- painting --------------------------------------------------------------------------
    # Paper and ink follow the palette (dark paper, light ink on a dark theme). Only the screen
    # changes: what the network reads is rendered from the strokes by render_for_network.
    def paper_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Base)

    def ink_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_strokes"):
            self._rerender()

    def _rerender(self) -> None:
        """Render the finished strokes (or the picture) at the current size, from the vectors."""
        square = self.square()
        ratio = self.devicePixelRatioF()
        side = max(1, round(square.width() * ratio))
        self._ink = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        self._ink.setDevicePixelRatio(ratio)
        self._ink.fill(self.paper_colour())
        painter = QPainter(self._ink)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            if self._picture is not None:
                logical = square.width()
                fitted = self._picture.size().scaled(round(logical), round(logical),
                                                     Qt.AspectRatioMode.KeepAspectRatio)
                target = QRectF((logical - fitted.width()) / 2, (logical - fitted.height()) / 2,
                                fitted.width(), fitted.height())
                painter.drawImage(target, self._picture)
            painter.setPen(_pen(self.ink_colour(), self.pen_width * square.width()))
            for stroke in self._strokes:
                painter.drawPath(stroke_path(stroke, square.width()))
        finally:
            painter.end()
        self.update()

    def _paint_stroke_into_ink(self, stroke: Stroke) -> None:
        painter = QPainter(self._ink)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(_pen(self.ink_colour(), self.pen_width * self.square().width()))
            painter.drawPath(stroke_path(stroke, self.square().width()))
        finally:
            painter.end()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            square = self.square()
            painter.drawImage(square.topLeft(), self._ink)
            if self._current:
                painter.setPen(_pen(self.ink_colour(), self.pen_width * square.width()))
                painter.drawPath(stroke_path(self._current, square.width(), square.topLeft()))
            if self.is_empty():
                painter.setPen(theme.muted_colour(self.palette()))
                painter.drawText(square, Qt.AlignmentFlag.AlignCenter,
                                 self.tr("Draw a digit here"))
            frame = QPen(self.palette().color(QPalette.ColorRole.Mid) if not self.hasFocus()
                         else self.palette().highlight().color(), 1.5)
            painter.setPen(frame)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(square.adjusted(-1, -1, 1, 1), 6, 6)
        finally:
            painter.end()
