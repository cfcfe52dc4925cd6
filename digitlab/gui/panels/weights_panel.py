"""What the network has learnt: first-layer weights as images, histograms and gradient norms.

Snapshots arrive on ``Session.weights_updated`` (copies made by the trainer, a few a second
during an epoch as well as at its end). Each snapshot adds one point per layer to the gradient-norm
curves, plotted against the iteration, so the curve grows during the first epoch already. The
panel keeps only the latest weights and redraws at most twice a second, and only while it is
visible: the mosaic and the histograms are the costly part, and a faster redraw would take time
from training without showing anything new.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.events import WeightsSnapshot
from .. import theme
from ..plotting import pg
from ..session import Session
from ..widgets.digit_image import DigitImage, diverging_colormap
from ..widgets.image_grid import ImageGrid
from ..widgets.plot_style import PlainLogAxis, legend_below
from ..widgets.side_by_side import SideBySideOrTabs

#: the redraw timer (ms): at most ~2 redraws a second (see the module docstring)
REFRESH_MS = 500
#: The smallest area (pixels) where the mosaic, the histograms and the norms share the page.
VIEWS_SIDE_BY_SIDE = QSize(760, 600)
#: curves with fewer points than this also mark each point, so a short run is not a bare line
MARK_POINTS_BELOW = 40
#: legend columns under the gradient-norm plot: two entries (~130 px each) fit its minimum width
LEGEND_COLUMNS = 2
HISTOGRAM_BINS = 60
_WEIGHT_COLOUR = (86, 119, 160)
_GRADIENT_COLOUR = (230, 126, 34)
_CURVE_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                  "#7f7f7f", "#bcbd22", "#17becf"]


def first_layer_tiles(name: str, weights: np.ndarray) -> np.ndarray | None:
    """The first layer's weights as images, one per unit or filter, each scaled to [-1, 1].

    A dense layer on 784 inputs gives one 28x28 image per unit (a column of W); a convolution
    ``(out, in, kh, kw)`` gives one ``kh x kw`` image per filter (input channels averaged).
    Returns None for anything else.
    """
    if weights.ndim == 2 and weights.shape[0] == 28 * 28:
        tiles = weights.T.reshape(-1, 28, 28)
    elif weights.ndim == 4:
        tiles = weights.mean(axis=1)
    else:
        return None
    # Each tile on its own scale: a unit's pattern matters, not its overall size.
    peak = np.abs(tiles).reshape(tiles.shape[0], -1).max(axis=1)
    return (tiles / np.where(peak > 0, peak, 1.0)[:, None, None]).astype(np.float32)


class _LayerHistograms:
    """A weights histogram and a gradients histogram for one parameter tensor."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, title: str, tr) -> None:
        self.weights_plot = layout.addPlot(row=row, col=0)
        self.gradients_plot = layout.addPlot(row=row, col=1)
        for plot, what in ((self.weights_plot, tr("weights")), (self.gradients_plot, tr("gradients"))):
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setTitle(f"{title}: {what}", size="9pt")
            plot.getAxis("left").setStyle(showValues=False)
            plot.getAxis("left").setWidth(8)
            plot.setMinimumHeight(100)
        self.weights_curve = self.weights_plot.plot(
            stepMode="center", fillLevel=0, brush=_WEIGHT_COLOUR + (150,), pen=pg.mkPen(_WEIGHT_COLOUR))
        self.gradients_curve = self.gradients_plot.plot(
            stepMode="center", fillLevel=0, brush=_GRADIENT_COLOUR + (150,),
            pen=pg.mkPen(_GRADIENT_COLOUR))
        self.no_gradients = pg.TextItem(tr("gradients appear\nonce training runs"),
                                        color=theme.muted_colour(), anchor=(0.5, 0.5))
        self.gradients_plot.addItem(self.no_gradients, ignoreBounds=True)
        self.no_gradients.setPos(0, 0.5)

    def update(self, weights: np.ndarray, gradients: np.ndarray | None) -> None:
        counts, edges = _histogram(weights)
        self.weights_curve.setData(edges, counts)
        if gradients is None:
            self.gradients_curve.setData([], [])
            self.gradients_plot.setXRange(-1, 1, padding=0)
            self.gradients_plot.setYRange(0, 1, padding=0)
            self.no_gradients.show()
        else:
            counts, edges = _histogram(gradients)
            self.gradients_curve.setData(edges, counts)
            self.no_gradients.hide()
            self.gradients_plot.enableAutoRange()


def _histogram(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(values, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.zeros(1), np.array([-1.0, 1.0])
    low, high = float(values.min()), float(values.max())
    if high <= low:
        low, high = low - 0.5, high + 0.5
    return np.histogram(values, bins=HISTOGRAM_BINS, range=(low, high))


class WeightsPanel(QWidget):
    """First-layer weights as a mosaic, the selected unit large, histograms and gradient norms."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightsPanel")
        self.session = session
        self.weights: dict[str, np.ndarray] = {}
        self.trace = session.gradient_trace  # the run's gradients and norms: their one home
        self.selected_unit: int | None = None
        self._first_name: str | None = None
        self._tiles: np.ndarray | None = None
        self._layer_titles: dict[str, str] = {}
        self._histograms: dict[str, _LayerHistograms] = {}
        self._norm_curves: dict[str, pg.PlotDataItem] = {}
        self._dirty = False
        #: the per-layer plots wait for the architecture's first showing (start-up time)
        self._plots_stale = False

        self.title_label = QLabel(self)
        self.title_label.setObjectName("firstLayerLabel")
        self.title_label.setWordWrap(True)
        self.mosaic = ImageGrid(self, colormap=diverging_colormap())
        self.mosaic.setObjectName("weightsMosaic")
        self.mosaic.setMinimumSize(260, 200)
        self.mosaic.setToolTip(self.tr("Click a unit to see its weights large"))
        self.unit_view = DigitImage(self, levels=(-1.0, 1.0), colormap=diverging_colormap(),
                                    min_side=150)
        self.unit_view.setObjectName("unitWeightsImage")
        self.unit_label = QLabel(self.tr("Click a unit in the mosaic"), self)
        self.unit_label.setObjectName("unitLabel")
        self.unit_label.setWordWrap(True)
        self.unit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        legend = QLabel(self.tr("<span style='color:#2166ac'>■</span> negative &nbsp; "
                                "<span style='color:#999'>□</span> zero &nbsp; "
                                "<span style='color:#b2182b'>■</span> positive"), self)
        legend.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.histogram_view = pg.GraphicsLayoutWidget()
        self.histogram_view.setObjectName("histograms")
        self.histogram_view.setBackground(None)
        histogram_scroll = QScrollArea(self)
        histogram_scroll.setWidgetResizable(True)
        histogram_scroll.setWidget(self.histogram_view)
        histogram_scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.norms_plot = pg.PlotWidget(self, background=None, axisItems={
            "left": PlainLogAxis("left"), "bottom": PlainLogAxis("bottom")})
        self.norms_plot.setObjectName("gradientNorms")
        norms = self.norms_plot.getPlotItem()
        norms.setTitle(self.tr("Gradient norm per layer"), size="10pt")
        norms.setLabel("bottom", self.tr("iteration"))
        norms.setLabel("left", self.tr("gradient norm (log scale)"))
        norms.setLogMode(x=False, y=True)
        norms.showGrid(x=True, y=True, alpha=0.2)
        norms.setMenuEnabled(False)
        self.norms_plot.setToolTip(self.tr(
            "One point per snapshot of the weights, a few each second while training runs"))
        self.norms_legend = legend_below(norms, columns=LEGEND_COLUMNS)
        self.no_norms = QLabel(self.tr("Gradient norms per layer are plotted here while training "
                                       "runs: a healthy run keeps them within a few decades; "
                                       "vanishing or exploding gradients show at once."), self)
        self.no_norms.setObjectName("noGradientNorms")
        self.no_norms.setWordWrap(True)
        self.no_norms.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_norms.setStyleSheet(theme.colour_style(theme.muted_colour()))
        self.norms_stack = QStackedWidget(self)
        self.norms_stack.addWidget(self.no_norms)
        self.norms_stack.addWidget(self.norms_plot)
        self.norms_stack.setMinimumWidth(260)

        self._build_layout(legend, histogram_scroll)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._refresh_if_dirty)
        self._timer.start()

        self.mosaic.tile_clicked.connect(self.select_unit)
        session.model_changed.connect(self._on_model_changed)
        session.run_started.connect(self._on_run_started)
        session.weights_updated.connect(self._on_weights_updated)
        self._on_model_changed()

    def _build_layout(self, legend: QLabel, histogram_scroll: QScrollArea) -> None:
        unit_box = QVBoxLayout()
        unit_box.addWidget(self.unit_view, 1)
        unit_box.addWidget(self.unit_label)
        unit_box.addWidget(legend)
        top = QWidget(self)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.mosaic, 3)
        top_layout.addLayout(unit_box, 1)

        # Side by side from 1366x768 up; on a 1024x600 netbook each view gets the page as a tab.
        self.views = SideBySideOrTabs(VIEWS_SIDE_BY_SIDE.width(), VIEWS_SIDE_BY_SIDE.height(),
                                      Qt.Orientation.Vertical, self)
        self.views.setObjectName("weightsViews")
        self.views.add_view(top, self.tr("First layer"), group=0)
        self.views.add_view(histogram_scroll, self.tr("Histograms"), group=1, stretch=3)
        self.views.add_view(self.norms_stack, self.tr("Gradient norms"), group=1, stretch=2)
        self.views.set_group_stretch(0, 3)
        self.views.set_group_stretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.views, 1)

    # -- session events ----------------------------------------------------------------------
    def _on_model_changed(self) -> None:
        model = self.session.current_model()
        if model is None:
            self.weights = {}
            self._layer_titles = {}
        else:
            network = model.network
            self.weights = {name: np.array(value) for name, value in network.named_parameters().items()}
            self._layer_titles = {}
            for index, layer in enumerate(network.layers):
                for name in layer.params:
                    shape = "x".join(str(d) for d in layer.params[name].shape)
                    self._layer_titles[f"layers.{index}.{name}"] = \
                        f"{index} {layer.type_name} {name} ({shape})"
        self._plots_stale = True
        self._dirty = True
        self._refresh_if_dirty()

    def _on_run_started(self, _event=None) -> None:
        self._dirty = True  # the session's trace was cleared

    def _on_weights_updated(self, snapshot: WeightsSnapshot) -> None:
        self.weights = dict(snapshot.weights)
        self._dirty = True

    # -- drawing -----------------------------------------------------------------------------
    def _plotted_names(self) -> list[str]:
        return [name for name in self._layer_titles if self._is_plotted(name)]

    def _is_plotted(self, name: str) -> bool:
        # Weight tensors (dense W, conv W): biases and batch-norm scales add clutter, not insight.
        return name.endswith(".W")

    def _rebuild_plots(self) -> None:
        """Recreate the per-layer plots for the current architecture (persistent until then)."""
        names = self._plotted_names()
        if list(self._histograms) != names:
            self.histogram_view.clear()
            self._histograms = {}
            for row, name in enumerate(names):
                self._histograms[name] = _LayerHistograms(
                    self.histogram_view.ci, row, self._layer_titles[name], self.tr)
            self.histogram_view.setMinimumHeight(115 * max(1, len(names)))
        if list(self._norm_curves) != names:
            plot = self.norms_plot.getPlotItem()
            for curve in self._norm_curves.values():
                plot.removeItem(curve)
            self.norms_legend.clear()
            self._norm_curves = {}
            for index, name in enumerate(names):
                colour = _CURVE_COLOURS[index % len(_CURVE_COLOURS)]
                label = self._layer_titles[name].split(" (")[0]
                curve = plot.plot([], [], pen=pg.mkPen(colour, width=2), symbolBrush=colour,
                                  symbolPen=None, symbolSize=5)
                self.norms_legend.addItem(curve, label)
                self._norm_curves[name] = curve
        self._first_name = names[0] if names else None
        self._plots_stale = False

    def _refresh_if_dirty(self) -> None:
        if self._dirty and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Redraw everything from the latest weights (normally done by the timer)."""
        self._dirty = False
        if self._plots_stale:
            self._rebuild_plots()
        self._refresh_mosaic()
        for name, histograms in self._histograms.items():
            if name in self.weights:
                histograms.update(self.weights[name], self.trace.gradients.get(name))
        has_norms = False
        for name, curve in self._norm_curves.items():
            points = self.trace.norms.get(name, [])
            if points:
                has_norms = True
                x, y = np.array(points, dtype=np.float64).T
                curve.setData(x, np.maximum(y, 1e-12),
                              symbol="o" if len(points) < MARK_POINTS_BELOW else None)
            else:
                curve.setData([], [])
        self.norms_stack.setCurrentWidget(self.norms_plot if has_norms else self.no_norms)

    def _refresh_mosaic(self) -> None:
        name = self._first_name
        tiles = first_layer_tiles(name, self.weights[name]) if name in self.weights else None
        self._tiles = tiles
        if tiles is None:
            self.mosaic.clear_images(self.tr("No weights to show"))
            self.title_label.setText(
                self.tr("No model yet: create or open one to see its weights.")
                if self.session.current_model() is None
                else self.tr("The first layer's weights cannot be shown as images."))
            self.unit_view.set_image(np.zeros((28, 28)))
            return
        count = tiles.shape[0]
        if tiles.shape[1:] == (28, 28):
            self.title_label.setText(self.tr(
                "First layer: each tile is one of the {0} hidden units, its 784 input weights "
                "drawn as a 28x28 image (red: this pixel excites the unit, blue: inhibits it).")
                .format(count))
        else:
            self.title_label.setText(self.tr(
                "First layer: the {0} convolution filters ({1}x{2}), red positive, blue negative.")
                .format(count, tiles.shape[1], tiles.shape[2]))
        # As many columns as make the mosaic's shape match the widget's, so tiles are largest.
        aspect = max(0.3, self.mosaic.width() / max(1, self.mosaic.height()))
        columns = max(1, min(count, round(math.sqrt(count * aspect))))
        columns = math.ceil(count / math.ceil(count / columns))  # no needlessly ragged last row
        self.mosaic.set_images(tiles, columns, levels=(-1.0, 1.0))
        if self.selected_unit is None or self.selected_unit >= count:
            self.selected_unit = 0
        self._show_unit(self.selected_unit)

    def select_unit(self, index: int) -> None:
        """Show unit (or filter) ``index`` of the first layer large."""
        if self._tiles is None or not 0 <= index < self._tiles.shape[0]:
            return
        self.selected_unit = index
        self._show_unit(index)

    def _show_unit(self, index: int) -> None:
        assert self._tiles is not None and self._first_name is not None
        self.mosaic.set_selected(index)
        raw = self.weights[self._first_name]
        if raw.ndim == 2:
            image = raw[:, index].reshape(28, 28)
            kind = self.tr("Unit {0}").format(index)
        else:
            image = raw[index].mean(axis=0)
            kind = self.tr("Filter {0}").format(index)
        peak = float(np.abs(image).max()) or 1.0
        self.unit_view.set_image(image, levels=(-peak, peak))
        self.unit_label.setText(self.tr("{0}: weights from {1:.3g} to {2:.3g}")
                                .format(kind, float(image.min()), float(image.max())))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._dirty = True  # the mosaic's best column count depends on its shape

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._dirty = True
        self._refresh_if_dirty()
