"""activationsView: every layer's output for the current digit, live while the user draws."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.activations import Softmax
from ...core.layers import Dropout, Flatten
from ...core.network import Network
from ...core.unit_math import feeding_layer, unit_breakdown
from ..plotting import pg
from ..session import Session
from ..widgets.digit_image import diverging_colormap
from .context import InsideContext
from .digit_view import DigitOutputs, DigitView, digit_outputs
from .unit_text import breakdown_line, layer_title, unit_name

#: dense units per row of a strip
STRIP_WIDTH = 64
#: feature maps per row of a conv layer's mosaic
MAPS_PER_ROW = 8
#: a layer's picture is at most this wide and tall on screen, and a unit at most MAX_CELL pixels
ROW_WIDTH, MAX_ROW_HEIGHT, MAX_CELL = 640, 180, 18


def tile_units(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lay one layer's output out as a picture.

    Parameters
    ----------
    values : np.ndarray, shape (K,) or (F, H, W)
        Dense units become rows of :data:`STRIP_WIDTH`; feature maps a mosaic of
        :data:`MAPS_PER_ROW` per row with a one-pixel gap.

    Returns
    -------
    image : np.ndarray (rows, cols), float, NaN where no unit is (drawn transparent)
    unit_index : np.ndarray (rows, cols), int, the flat unit shown at each pixel or -1
    """
    values = np.asarray(values, dtype=np.float32)
    flat_index = np.arange(values.size).reshape(values.shape)
    if values.ndim == 3:
        f, h, w = values.shape
        cols = min(f, MAPS_PER_ROW)
        rows = math.ceil(f / cols)
        image = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan, np.float32)
        index = np.full(image.shape, -1, np.int64)
        for m in range(f):
            top, left = (m // cols) * (h + 1), (m % cols) * (w + 1)
            image[top:top + h, left:left + w] = values[m]
            index[top:top + h, left:left + w] = flat_index[m]
        return image, index
    flat = values.reshape(-1)
    cols = min(flat.size, STRIP_WIDTH)
    rows = math.ceil(flat.size / cols)
    image = np.full(rows * cols, np.nan, np.float32)
    index = np.full(rows * cols, -1, np.int64)
    image[:flat.size], index[:flat.size] = flat, np.arange(flat.size)
    return image.reshape(rows, cols), index.reshape(rows, cols)


def shown_layers(network: Network) -> list[int]:
    """Layers whose output is worth a row: flatten and dropout change nothing in inference."""
    return [i for i, layer in enumerate(network.layers) if not isinstance(layer, (Flatten, Dropout))]


class _HoverImage(pg.ImageItem):
    """An image that reports the pixel under the mouse (None when the mouse leaves)."""

    def __init__(self, on_hover) -> None:
        super().__init__(axisOrder="row-major")
        self._on_hover = on_hover

    def hoverEvent(self, event) -> None:  # noqa: N802 - pyqtgraph's name
        if event.isExit():
            self._on_hover(None)
            return
        pos = event.pos()
        self._on_hover((int(pos.y()), int(pos.x())))


class _LayerPicture(pg.GraphicsView):
    """One layer's output, coloured by value (blue negative, white zero, red positive)."""

    def __init__(self, parent: QWidget, on_hover) -> None:
        super().__init__(parent, background=None)
        self.view = pg.ViewBox(lockAspect=True, invertY=True, enableMouse=False,
                               defaultPadding=0.0, enableMenu=False)
        self.setCentralItem(self.view)
        self.image_item = _HoverImage(on_hover)
        self.image_item.setColorMap(diverging_colormap().to_pyqtgraph())
        self.view.addItem(self.image_item)

    def set_image(self, image: np.ndarray) -> None:
        finite = image[np.isfinite(image)]
        top = float(np.abs(finite).max()) if finite.size else 0.0
        top = top if top > 0 else 1.0
        self.image_item.setImage(image, levels=(-top, top), autoLevels=False)
        height, width = image.shape
        self.view.setRange(QRectF(0, 0, width, height), padding=0.0)
        scale = min(ROW_WIDTH / width, MAX_ROW_HEIGHT / height, MAX_CELL)
        self.setFixedSize(max(8, round(width * scale)), max(8, round(height * scale)))


class ActivationsView(DigitView):
    """Every layer's output for the current digit; hover a unit for its value and its inputs."""

    def __init__(self, session: Session, context: InsideContext, parent: QWidget | None = None) -> None:
        super().__init__(session, context, self.tr(
            "Every layer's output for this digit, one row per layer: dense units as strips, "
            "convolution feature maps as small images, coloured by value (red positive, blue "
            "negative, white zero), and the probabilities last. It follows your pen in the Draw "
            "tab. Hover a unit to see its value and the inputs that feed it most."), parent)
        self.setObjectName("activationsView")
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        rows = QWidget(self)
        rows.setLayout(self._grid)
        scroll = QScrollArea(self.body)
        scroll.setWidgetResizable(True)
        scroll.setWidget(rows)
        self.unit_info = QLabel("", self.body)
        self.unit_info.setObjectName("activationsUnitInfo")
        self.unit_info.setWordWrap(True)
        self.unit_info.setTextFormat(Qt.TextFormat.PlainText)
        self.unit_info.setMinimumHeight(self.fontMetrics().height() * 3)
        self.unit_info.setToolTip(self.tr("The unit under the mouse: its value and its largest "
                                          "contributions (input × weight)"))
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.unit_info)
        self._pictures: dict[int, _LayerPicture] = {}
        self._index_maps: dict[int, np.ndarray] = {}
        self._bars: pg.PlotWidget | None = None
        self._architecture: object = None
        self._network: Network | None = None
        self._input: np.ndarray | None = None
        self.outputs: list[np.ndarray] = []

    # -- building the rows ---------------------------------------------------------------------
    def _rebuild(self, network: Network) -> None:
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self._pictures, self._index_maps, self._bars = {}, {}, None
        parent = self._grid.parentWidget()
        for row, index in enumerate(shown_layers(network)):
            title = QLabel(layer_title(network, index), parent)
            self._grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            if index == len(network.layers) - 1 and isinstance(network.layers[index], Softmax):
                self._bars = self._make_bars(parent)
                self._grid.addWidget(self._bars, row, 1, Qt.AlignmentFlag.AlignLeft)
                continue
            picture = _LayerPicture(parent, lambda pixel, i=index: self._on_hover(i, pixel))
            picture.setObjectName(f"activationsLayer{index}")
            picture.setToolTip(self.tr("Layer {0}'s output; hover a unit").format(index))
            self._pictures[index] = picture
            self._grid.addWidget(picture, row, 1, Qt.AlignmentFlag.AlignLeft)
        self._grid.setRowStretch(len(shown_layers(network)), 1)

    def _make_bars(self, parent: QWidget) -> pg.PlotWidget:
        plot = pg.PlotWidget(parent, background=None)
        plot.setObjectName("activationsProbabilities")
        plot.setFixedSize(ROW_WIDTH // 2, 110)
        item = plot.getPlotItem()
        item.setMenuEnabled(False)
        item.setMouseEnabled(False, False)
        item.hideButtons()
        item.setYRange(0, 1.05, padding=0)
        item.getAxis("bottom").setTicks([[(d, str(d)) for d in range(10)], []])
        plot.bar_item = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7,
                                        brush=pg.mkBrush(86, 119, 160))
        item.addItem(plot.bar_item)
        plot.setToolTip(self.tr("The softmax output: the probability of each digit"))
        return plot

    # -- showing a digit -----------------------------------------------------------------------
    def compute(self):
        return digit_outputs

    def show_result(self, result: DigitOutputs) -> None:
        network = self.session.current_model().network
        if result.architecture != network.get_config():
            return  # computed for the model before; the new one's redraw is on its way
        if result.architecture != self._architecture:
            self._rebuild(network)
            self._architecture = result.architecture
        self.outputs = result.outputs
        self._network, self._input = network, result.network_input
        for index, picture in self._pictures.items():
            tiled, unit_index = tile_units(self.outputs[index][0])
            picture.set_image(tiled)
            self._index_maps[index] = unit_index
        if self._bars is not None:
            probabilities = self.outputs[-1][0]
            self._bars.bar_item.setOpts(x=np.arange(len(probabilities)), height=probabilities)

    def clear(self) -> None:
        self.outputs, self._network, self._input = [], None, None
        self.unit_info.setText("")

    # -- hover ---------------------------------------------------------------------------------
    def _on_hover(self, layer_index: int, pixel: tuple[int, int] | None) -> None:
        index_map = self._index_maps.get(layer_index)
        if pixel is None or index_map is None:
            return
        row, col = pixel
        if not (0 <= row < index_map.shape[0] and 0 <= col < index_map.shape[1]):
            return
        unit = int(index_map[row, col])
        if unit >= 0:
            self.unit_info.setText(self.describe_unit(layer_index, unit))

    def describe_unit(self, layer_index: int, unit: int) -> str:
        """The value of ``unit`` (flat index) of layer ``layer_index`` and what feeds it."""
        if self._network is None or not self.outputs:
            return ""
        network, output = self._network, self.outputs[layer_index][0]
        position = tuple(int(i) for i in np.unravel_index(unit, output.shape))
        text = self.tr("Layer {0}, {1}: {2:.4g}").format(
            layer_index, unit_name(position), float(output.reshape(-1)[unit]) + 0.0)  # no -0
        source = feeding_layer(network, layer_index)
        if source is None:
            return text
        parts = unit_breakdown(network, self._input, self.outputs, source, unit)
        return text + "\n" + self.tr("Fed by layer {0} ({1}): {2}").format(
            source, network.layers[source].type_name, breakdown_line(network, parts))
