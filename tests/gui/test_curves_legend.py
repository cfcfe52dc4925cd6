"""Curves legends list only curves with data, and train accuracy's lag is explained."""

from __future__ import annotations

import pytest

from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.events import EpochMetrics
from digitlab.core.serialization import SavedModel
from digitlab.gui.panels.curves_panel import CurvesPanel
from digitlab.gui.session import Session

CONFIG = TrainConfig(NetworkSpec(({"type": "dense", "units": 8}, {"type": "relu"},
                                  {"type": "dense", "units": 10}, {"type": "softmax"})))


@pytest.fixture
def panel(qtbot):
    session = Session()
    widget = CurvesPanel(session)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    return widget


def _adopt(panel, history):
    panel.session._adopt(SavedModel(CONFIG.build_network(), history=history), path=None, dirty=False)


def test_empty_plots_have_empty_legends(panel):
    """Before any data, no legend lists a curve."""
    assert panel.legend_labels(panel.loss_plot) == []
    assert panel.legend_labels(panel.accuracy_plot) == []


def test_legend_lists_only_series_with_data(panel):
    """A history without a validation split and without batches lists train and test only."""
    _adopt(panel, [EpochMetrics(e, 1.0 / e, 0.9, test_accuracy=0.92) for e in (1, 2)])
    assert panel.legend_labels(panel.loss_plot) == ["train (epoch)"]
    assert panel.legend_labels(panel.accuracy_plot) == ["train (running average)", "test"]
    _adopt(panel, [EpochMetrics(1, 0.5, 0.9, val_loss=0.4, val_accuracy=0.91, test_accuracy=0.92)])
    assert panel.legend_labels(panel.accuracy_plot) == ["train (running average)", "validation", "test"]
    assert "validation" in panel.legend_labels(panel.loss_plot)


def test_train_below_validation_is_explained(panel):
    """When train accuracy sits below validation or test, a note says why; otherwise it is hidden."""
    _adopt(panel, [EpochMetrics(1, 0.5, 0.95, val_accuracy=0.93, test_accuracy=0.94)])
    assert not panel.train_note.isVisible()
    _adopt(panel, [EpochMetrics(1, 0.5, 0.90, val_accuracy=0.95, test_accuracy=0.96)])
    assert panel.train_note.isVisible()
    assert "running average" in panel.train_note.text()
    assert "running average" in panel.toggles["train"].toolTip()
