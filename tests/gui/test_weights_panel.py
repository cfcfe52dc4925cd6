"""The Weights panel: first-layer mosaic, unit selection, live histograms and gradient norms."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.gui.panels.weights_panel import WeightsPanel, first_layer_tiles
from digitlab.gui.session import IDLE, Session


@pytest.fixture
def session(qtbot, synthetic_mnist, small_config):
    s = Session()
    s.data = synthetic_mnist()
    s.new_model(small_config)
    yield s
    s.stop_and_wait()


@pytest.fixture
def panel(qtbot, session):
    panel = WeightsPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_mosaic_shows_one_tile_per_unit_before_training(panel):
    """An untrained model's first dense layer appears as one 28x28 tile per hidden unit."""
    assert panel.mosaic.count == 16
    assert "16" in panel.title_label.text()
    assert panel.selected_unit == 0
    assert panel.norms_stack.currentWidget() is panel.no_norms  # a sentence, not an empty plot


def test_clicking_a_unit_shows_it_large_with_its_index(qtbot, panel, session):
    """A mouse click on a tile selects that unit and shows its weights with its index."""
    position = panel.mosaic.tile_center_in_widget(5)
    QTest.mouseClick(panel.mosaic.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, position)
    qtbot.waitUntil(lambda: panel.selected_unit == 5, timeout=1000)
    assert "5" in panel.unit_label.text()
    expected = session.current_model().network.named_parameters()["layers.0.W"][:, 5].reshape(28, 28)
    np.testing.assert_allclose(panel.unit_view.image, expected)


def test_training_updates_histograms_and_gradient_norms(qtbot, panel, session, small_config):
    """Weight snapshots during a run fill the gradient histograms and the norm curves (log y)."""
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        session.start_training(small_config.with_settings(epochs=3))
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    panel.refresh()
    plotted = {name for name in panel.trace.norms if panel._is_plotted(name)}
    assert plotted == {"layers.0.W", "layers.2.W"}
    assert len(panel.trace.norms["layers.0.W"]) >= 3
    curve = panel._norm_curves["layers.0.W"]
    assert len(curve.xData) >= 3 and np.all(curve.yData > 0)
    assert panel.norms_plot.getPlotItem().ctrl.logYCheck.isChecked()
    histograms = panel._histograms["layers.0.W"]
    assert histograms.gradients_curve.getData()[0] is not None
    assert not histograms.no_gradients.isVisible()
    assert panel.norms_stack.currentWidget() is panel.norms_plot


def test_convolution_filters_are_shown_as_small_images(qtbot):
    """A convolutional first layer shows its filters as kernel-sized tiles."""
    config = TrainConfig(NetworkSpec(({"type": "conv2d", "filters": 6, "kernel_size": 5},
                                      {"type": "relu"}, {"type": "flatten"},
                                      {"type": "dense", "units": 10}, {"type": "softmax"}),
                                     input_shape=(1, 28, 28)))
    session = Session()
    session.new_model(config)
    panel = WeightsPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.mosaic.count == 6
    assert panel._tiles.shape == (6, 5, 5)
    panel.select_unit(2)
    assert "Filter 2" in panel.unit_label.text()


def test_tiles_are_scaled_per_unit_into_minus_one_to_one():
    """Each tile is divided by its own largest magnitude, so every pattern is visible."""
    weights = np.random.default_rng(0).normal(size=(784, 3)) * np.array([1e-3, 1.0, 50.0])
    tiles = first_layer_tiles("layers.0.W", weights)
    assert tiles.shape == (3, 28, 28)
    np.testing.assert_allclose(np.abs(tiles).reshape(3, -1).max(axis=1), 1.0, rtol=1e-6)


def test_no_model_says_so(qtbot):
    """Without a model the panel says there is nothing to show instead of empty plots."""
    panel = WeightsPanel(Session())
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert "no model" in panel.title_label.text().lower()


def test_a_weights_tab_built_after_a_run_shows_its_gradients(qtbot, session, small_config):
    """The run's gradients and norms live with the session: a Weights tab first shown after the
    run (it is built then) draws the same norm curves and gradient histograms as one that watched."""
    watching = WeightsPanel(session)
    qtbot.addWidget(watching)
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        session.start_training(small_config.with_settings(epochs=3))
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    late = WeightsPanel(session)
    qtbot.addWidget(late)
    for panel in (watching, late):
        panel.refresh()
        curve = panel._norm_curves["layers.0.W"]
        assert len(curve.xData) >= 3
        assert panel.norms_stack.currentWidget() is panel.norms_plot
        assert not panel._histograms["layers.0.W"].no_gradients.isVisible()
    np.testing.assert_array_equal(late._norm_curves["layers.0.W"].yData,
                                  watching._norm_curves["layers.0.W"].yData)
