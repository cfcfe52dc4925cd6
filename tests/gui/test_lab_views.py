"""Lab views: the boundary canvas accepts what it shows, the fitting text and target follow the
function, gradient norms read plainly, and accuracy is in percent."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from digitlab.core.lab.function_fitting import EXTENT
from digitlab.gui.lab.activations_tab import ActivationsTab
from digitlab.gui.lab.boundary_tab import BoundaryTab
from digitlab.gui.lab.fitting_tab import FittingTab
from digitlab.gui.lab.heatmap import VIEW_MARGIN
from digitlab.gui.widgets.plot_style import PlainLogAxis


@pytest.fixture
def make_tab(make_lab_tab):
    return lambda tab_class, size=(1240, 700): make_lab_tab(tab_class, size=size)


@pytest.mark.parametrize("size", [(1240, 700), (900, 900)])
def test_boundary_canvas_shows_exactly_the_clickable_square(qtbot, make_tab, size):
    """On a wide or a tall window the canvas shows the square the points live in, no wider."""
    tab = make_tab(BoundaryTab, size)
    qtbot.wait(50)
    (x0, x1), (y0, y1) = tab.canvas.shown_range()
    shown = EXTENT * (1 + VIEW_MARGIN)
    assert (x0, x1) == pytest.approx((-shown, shown), abs=1e-6)
    assert (y0, y1) == pytest.approx((-shown, shown), abs=1e-6)
    assert abs(tab.canvas.width() - tab.canvas.height()) <= 1  # kept square, not stretched


def test_clicks_anywhere_shown_add_points(qtbot, make_tab):
    """A click near each corner of what is shown adds a point, on the square's edge at most."""
    tab = make_tab(BoundaryTab)
    tab.clear_points()
    qtbot.wait(50)
    view = tab.canvas.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = tab.canvas.shown_range()
    inset = 0.01 * (x1 - x0)
    for x, y in ((x0 + inset, y0 + inset), (x1 - inset, y1 - inset), (0.0, y1 - inset)):
        pos = tab.canvas.mapFromScene(view.mapViewToScene(QPointF(x, y)))
        qtbot.mouseClick(tab.canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert len(tab.points) == 3
    assert np.all(np.abs(tab.points) <= EXTENT)
    assert np.abs(tab.points).max() > 0.95 * EXTENT


def test_fitting_text_and_target_follow_the_function(qtbot, make_tab):
    """The explanation speaks of the selected function and its target is drawn before Start."""
    tab = make_tab(FittingTab)
    assert tab.function_box.currentData() == "bowl"
    text = tab.explanation.text()
    assert "x\u00b2 + y\u00b2" in text and "ripple" not in text
    bowl = np.array(tab.target_plot.image.image)
    assert bowl.shape == (41, 41)
    assert bowl[20, 20] == pytest.approx(0.0, abs=0.05) and bowl[0, 0] > 7  # 0 mid, 8 corners
    tab.function_box.setCurrentIndex(tab.function_box.findData("ripple"))
    assert "ripple" in tab.explanation.text()
    ripple = np.array(tab.target_plot.image.image)
    assert ripple[20, 20] == pytest.approx(1.0, abs=0.05)
    assert "cos" in tab.target_plot.getPlotItem().titleLabel.text


def test_gradient_norm_axis_reads_plainly(make_tab):
    """The activations tab's norm axis is a plain log axis titled in words, not heavy bars."""
    tab = make_tab(ActivationsTab)
    axis = tab.norm_plot.getPlotItem().getAxis("left")
    assert isinstance(axis, PlainLogAxis)
    assert "\u2016" not in axis.labelText and "norm" in axis.labelText


def test_boundary_accuracy_is_in_percent(qtbot, make_tab):
    """The decision-boundary run plots accuracy from 0 to 100 %, like every other panel."""
    tab = make_tab(BoundaryTab)
    tab.epochs_box.setValue(40)
    tab.slow_box.setChecked(False)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running and tab.last_result is not None, timeout=20000)
    _x, y = tab.accuracy_curve.getData()
    assert y is not None and 1.0 < max(y) <= 100.0
    ticks = tab.accuracy_plot.getPlotItem().getAxis("left")._tickLevels[0]
    assert ticks[-1] == (100, "100%")


def test_changing_the_function_clears_the_last_fit(qtbot, make_tab):
    """After a run, choosing another function drops the old surface, curve and summary."""
    tab = make_tab(FittingTab)
    tab.epochs_box.setValue(3)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running and tab.last_result is not None, timeout=20000)
    assert "Training error" in tab.status.text()
    assert tab.network_plot.image.image is not None
    tab.function_box.setCurrentIndex(tab.function_box.findData("saddle"))
    assert tab.status.text() == ""
    assert tab.network_plot.image.image is None
    assert tab.error_curve.getData()[0] is None or len(tab.error_curve.getData()[0]) == 0
