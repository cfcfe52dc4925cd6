"""The Curves panel draws live training data, restores history and exports PNG and CSV."""

from __future__ import annotations

import csv

import pytest

from digitlab.core.events import EpochMetrics
from digitlab.core.serialization import SavedModel
from digitlab.gui.app import configure_pyqtgraph
from digitlab.gui.panels.curves_panel import CurvesPanel
from digitlab.gui.session import IDLE, Session


@pytest.fixture
def panel(qtbot, synthetic_mnist):
    configure_pyqtgraph()
    session = Session()
    session.data = synthetic_mnist()
    widget = CurvesPanel(session)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    yield widget
    session.stop_and_wait()


def _train(qtbot, session, config):
    with qtbot.waitSignal(session.run_finished, timeout=20000):
        session.start_training(config.with_settings(val_split=0.2))
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)


def test_empty_plots_show_a_hint(qtbot, panel):
    """Before any training the plots carry titles, axis labels and a hint, not blank boxes."""
    assert panel.loss_hint.isVisible() and panel.accuracy_hint.isVisible()
    assert panel.loss_plot.titleLabel.text and panel.loss_plot.getAxis("bottom").labelText == "epoch"


def test_curves_receive_live_data(qtbot, panel, small_config):
    """A run fills the batch, smoothed and per-epoch curves and hides the hints."""
    _train(qtbot, panel.session, small_config)
    qtbot.waitUntil(lambda: panel.acc_test.getData()[0] is not None
                    and len(panel.acc_test.getData()[0]) == 2, timeout=3000)
    x = panel.items["smoothed"][0].xData  # all points (getData() is clipped to the view)
    assert len(x) >= 2 and x[-1] == pytest.approx(2.0)
    assert len(panel.acc_val.getData()[1]) == 2
    assert not panel.loss_hint.isVisible()


def test_history_is_redrawn_when_a_model_is_adopted(qtbot, panel, small_config):
    """history_changed clears batch curves and redraws the epochs from session.history."""
    history = [EpochMetrics(e, 1.0 / e, 0.8 + e / 100, test_accuracy=0.85) for e in (1, 2, 3)]
    model = SavedModel(small_config.build_network(), history=history)
    panel.session._adopt(model, path=None, dirty=False)
    x, y = panel.acc_test.getData()
    assert list(x) == [1, 2, 3] and y[0] == pytest.approx(85.0)
    assert panel.items["batch"][0].getData()[0] is None or len(panel.items["batch"][0].getData()[0]) == 0


def test_toggles_and_log_scale(qtbot, panel):
    """Check boxes hide and show curve families; the loss axis can go logarithmic."""
    panel.toggles["train"].setChecked(False)
    assert not panel.loss_train.isVisible() and not panel.acc_train.isVisible()
    panel.acc_train.setVisible(True)  # as a legend click does
    assert panel.toggles["train"].isChecked() and panel.loss_train.isVisible()
    panel.log_check.setChecked(True)
    assert panel.loss_plot.getAxis("left").logMode


def test_export_png_and_csv(qtbot, panel, small_config, tmp_path, monkeypatch):
    """Export writes a PNG image and the history and batch CSV files."""
    _train(qtbot, panel.session, small_config)
    png = panel.export_png(tmp_path / "curves.png", width=800)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    written = panel.export_csv(tmp_path / "history.csv")
    rows = list(csv.DictReader(open(written[0], encoding="utf-8")))
    assert len(rows) == 2 and float(rows[1]["test_accuracy"]) > 0.5
    batches = list(csv.reader(open(written[1], encoding="utf-8")))
    assert batches[0] == ["epoch_position", "loss", "smoothed_loss"] and len(batches) > 2
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "dialog.png"), ""))
    panel.png_action.trigger()
    assert (tmp_path / "dialog.png").is_file()


def test_a_curves_panel_built_after_a_run_draws_its_batch_losses(qtbot, synthetic_mnist, small_config):
    """The batch losses live with the session: a Curves tab first shown after the run (it is
    built then) draws every batch, and the same numbers as a panel that watched the run."""
    configure_pyqtgraph()
    session = Session()
    session.data = synthetic_mnist()
    watching = CurvesPanel(session)
    qtbot.addWidget(watching)
    _train(qtbot, session, small_config)
    late = CurvesPanel(session)
    qtbot.addWidget(late)
    watching.flush()
    reported = len(session.batch_losses)
    assert reported >= 2
    for panel in (watching, late):
        item = panel.items["batch"][0]
        assert len(item.xData) == reported
        assert list(item.yData) == list(session.batch_losses.losses())
    assert not late.loss_hint.isVisible()
    session.stop_and_wait()
