"""The Weights panel is live during an epoch and its gradient-norm plot is readable."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter

from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.events import WeightsSnapshot
from digitlab.gui.panels.weights_panel import WeightsPanel
from digitlab.gui.session import Session
from digitlab.gui.widgets.plot_style import PlainLogAxis, plain_number

CONFIG = TrainConfig(NetworkSpec(({"type": "dense", "units": 16}, {"type": "relu"},
                                  {"type": "dense", "units": 10}, {"type": "softmax"})))


@pytest.fixture
def panel(qtbot):
    session = Session()
    session.new_model(CONFIG)
    panel = WeightsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _snapshot(panel: WeightsPanel, iteration: int, norm: float) -> WeightsSnapshot:
    """A snapshot whose every gradient tensor has the Euclidean norm ``norm``."""
    weights = {k: np.array(v) for k, v in
               panel.session.current_model().network.named_parameters().items()}
    gradients = {k: np.full_like(v, norm / np.sqrt(v.size)) for k, v in weights.items()}
    return WeightsSnapshot(epoch=1, iteration=iteration, weights=weights, gradients=gradients)


def test_mid_epoch_snapshots_add_points_to_the_norm_plot(qtbot, panel):
    """Snapshots inside epoch 1 each add a point at their iteration: a curve before any epoch ends."""
    iterations = [7, 19, 33, 48, 60]
    for i, iteration in enumerate(iterations):
        panel.session.weights_updated.emit(_snapshot(panel, iteration, 10.0 ** -i))
    panel.refresh()
    curve = panel._norm_curves["layers.0.W"]
    x, y = curve.getData()
    np.testing.assert_array_equal(x, iterations)
    assert len(y) == 5 and np.all(np.diff(y) < 0)  # one decade down per snapshot
    assert panel.norms_stack.currentWidget() is panel.norms_plot


def test_snapshots_are_drawn_on_the_timer_not_one_by_one(qtbot, panel):
    """A burst of snapshots is drawn once, by the next timer tick, not once per snapshot."""
    drawn = []
    original = panel._refresh_mosaic
    panel._refresh_mosaic = lambda: (drawn.append(1), original())[1]
    for i in range(5):
        panel.session.weights_updated.emit(_snapshot(panel, i + 1, 1.0))
    assert drawn == []
    qtbot.waitUntil(lambda: len(drawn) >= 1, timeout=3000)
    assert len(drawn) == 1


def test_norm_axis_uses_plain_numbers_without_si_prefix(qtbot, panel):
    """The log axis reads 0.001, 0.01... and its title carries no "(x0.001)"."""
    for i in range(4):
        panel.session.weights_updated.emit(_snapshot(panel, 10 * (i + 1), 10.0 ** (-3 - i)))
    panel.refresh()
    axis = panel.norms_plot.getPlotItem().getAxis("left")
    assert isinstance(axis, PlainLogAxis)
    assert "x0" not in axis.labelString() and "\u00d7" not in axis.labelString()
    strings = [s for s in axis.logTickStrings([-6, -5, -4, -3, -2], 1.0, 1.0) if s]
    assert strings == ["1e-6", "1e-5", "0.0001", "0.001", "0.01"]
    assert "\u00b7" not in "".join(axis.logTickStrings(np.log10([2e-4, 7e-4]), 1.0, 1.0))


@pytest.mark.parametrize("low, high", [(0.21, 0.48), (0.05, 0.3), (1e-6, 1e-1), (0.55, 0.68)])
def test_any_range_gets_a_few_readable_labels(qtbot, panel, low, high):
    """Over a narrow or a wide range the log axis shows at least two plain-number labels."""
    panel.session.weights_updated.emit(_snapshot(panel, 10, low))
    panel.session.weights_updated.emit(_snapshot(panel, 20, high))
    panel.refresh()
    panel.norms_plot.resize(300, 240)
    qtbot.wait(20)
    image = QImage(400, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = panel.norms_plot.getPlotItem().getAxis("left").generateDrawSpecs(painter)
    finally:
        painter.end()
    labels = [text for _rect, _flags, text in specs[2] if text]
    assert len(labels) >= 2, labels
    assert all(float(text) > 0 for text in labels)


def test_norm_tick_labels_do_not_overlap(qtbot, panel):
    """Drawn at a small size, no two tick labels of the norm plot overlap."""
    for i in range(30):
        panel.session.weights_updated.emit(_snapshot(panel, 100 * (i + 1), 0.5 + 0.01 * i))
    panel.refresh()
    panel.norms_plot.resize(280, 220)
    qtbot.wait(20)
    image = QImage(400, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        for side in ("left", "bottom"):
            specs = panel.norms_plot.getPlotItem().getAxis(side).generateDrawSpecs(painter)
            rects = [rect for rect, _flags, text in specs[2] if text]
            for i, a in enumerate(rects):
                assert not any(a.intersects(b) for b in rects[i + 1:]), side
    finally:
        painter.end()


def test_legend_sits_outside_the_plotting_area(qtbot, panel):
    """The legend is below the axes: it never covers a line."""
    panel.session.weights_updated.emit(_snapshot(panel, 5, 1.0))
    panel.refresh()
    plot = panel.norms_plot.getPlotItem()
    legend = panel.norms_legend
    assert len(legend.items) == 2
    assert not legend.sceneBoundingRect().intersects(plot.getViewBox().sceneBoundingRect())


def test_plain_numbers():
    """Tick labels as people write them."""
    assert [plain_number(v) for v in (0.001, 0.5, 20, 1e-5, 3e6, 0.5623413)] == [
        "0.001", "0.5", "20", "1e-5", "3,000,000", "0.562"]


def test_legend_fits_a_narrow_plot(qtbot, panel):
    """At the plot's minimum width the legend (two entries a row) is not cut off."""
    panel.session.weights_updated.emit(_snapshot(panel, 5, 1.0))
    panel.refresh()
    panel.norms_plot.resize(panel.norms_stack.minimumWidth(), 240)
    qtbot.wait(20)
    legend = panel.norms_legend
    assert legend.sceneBoundingRect().width() <= panel.norms_plot.width()
