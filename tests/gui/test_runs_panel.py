"""The Runs panel: two GUI runs and a CLI run listed, overlaid, compared, edited, exported."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from digitlab.cli import main
from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.run_compare import hyperparameter_rows, smooth
from digitlab.core.runstore import RunStore
from digitlab.gui.panels.runs_panel import RunsPanel
from digitlab.gui.session import IDLE, Session

CONFIG = TrainConfig(NetworkSpec(({"type": "dense", "units": 16}, {"type": "relu"},
                                  {"type": "dense", "units": 10}, {"type": "softmax"}))).with_settings(
    optimizer="adam", lr=0.01, batch_size=50, epochs=2, report_every=1, val_split=0.2)


@pytest.fixture
def three_runs(qtbot, tiny_mnist_npz, synthetic_mnist):
    """Two runs from the session (Adam lr 0.01 and SGD lr 0.1) and one from `digitlab train`."""
    session = Session()
    session.data = synthetic_mnist(400, 100)
    for config in (CONFIG, CONFIG.with_settings(optimizer="sgd", lr=0.1, epochs=3)):
        with qtbot.waitSignal(session.run_finished, timeout=30000):
            session.start_training(config)
        qtbot.waitUntil(lambda: session.state == IDLE, timeout=10000)
    assert main(["train", "--data", str(tiny_mnist_npz), "--epochs", "1"]) == 0
    return session


def test_the_panel_lists_overlays_and_compares_runs(qtbot, three_runs):
    """All three runs are rows; selecting the two GUI runs draws one curve each (3 and 2
    epochs of validation accuracy) and highlights exactly the settings that differ."""
    panel = RunsPanel(three_runs)
    qtbot.addWidget(panel)
    assert panel.proxy.rowCount() == 3
    assert sorted(r["source"] for r in panel.runs.values()) == ["cli", "gui", "gui"]
    gui_ids = sorted(i for i, r in panel.runs.items() if r["source"] == "gui")
    panel.select_ids(gui_ids)
    assert panel.selected_ids() == gui_ids
    assert set(panel.curves) == set(gui_ids)
    lengths = sorted(len(panel.curves[i].getData()[0]) for i in gui_ids)
    assert lengths == [2, 3]
    assert set(panel.differing_settings()) == {"optimizer.name", "optimizer.lr", "run.epochs",
                                               "optimizer.beta1", "optimizer.beta2", "optimizer.eps"}
    panel.metric_combo.setCurrentIndex(panel.metric_combo.findData("batch_loss"))
    panel.x_combo.setCurrentIndex(panel.x_combo.findData("step"))
    x, _ = panel.curve_data(gui_ids[1])
    assert list(x) == list(range(1, 22))  # every update: 320 images / 50 = 7 a epoch, 3 epochs


def test_filter_rename_tag_delete_and_export(qtbot, three_runs, tmp_path, run_store):
    """The filter hides rows without the text; rename and tags are stored and filterable;
    delete removes the run from the history file; the CSV exports hold the table and the
    selected runs' epochs."""
    panel = RunsPanel(three_runs)
    qtbot.addWidget(panel)
    panel.filter_edit.setText("sgd")
    assert panel.proxy.rowCount() == 1
    panel.filter_edit.setText("")
    first = min(panel.runs)
    panel.select_ids([first])
    panel.rename_selected("baseline")
    panel.tag_selected(["keep", "adam"])
    assert RunStore(run_store).run(first)["name"] == "baseline"
    panel.filter_edit.setText("baseline")
    assert panel.proxy.rowCount() == 1
    panel.filter_edit.setText("")
    panel.export_table(tmp_path / "runs.csv")
    with open(tmp_path / "runs.csv", newline="") as stream:
        table = list(csv.DictReader(stream))
    assert len(table) == 3 and {r["name"] for r in table} >= {"baseline"}
    panel.select_ids([first])
    panel.export_curves(tmp_path / "curves.csv")
    with open(tmp_path / "curves.csv", newline="") as stream:
        curves = list(csv.DictReader(stream))
    assert [r["epoch"] for r in curves] == ["1", "2"] and curves[0]["run_id"] == str(first)
    panel.select_ids([first])
    panel.delete_selected(confirm=False)
    assert first not in panel.runs and RunStore(run_store).run(first) is None


def test_hyperparameter_rows_put_differences_first():
    rows = hyperparameter_rows([{"optimizer": {"name": "adam", "lr": 0.1}, "run": {"seed": 0}},
                                {"optimizer": {"name": "adam", "lr": 0.2}, "run": {"seed": 0}}])
    assert rows[0] == ("optimizer.lr", [0.1, 0.2], True)
    assert ("run.seed", [0, 0], False) in rows


def test_smoothing_is_debiased_and_zero_is_identity():
    values = [1.0, 1.0, 1.0, 3.0]
    np.testing.assert_allclose(smooth(values, 0.0), values)
    smoothed = smooth(values, 0.5)
    assert smoothed[0] == pytest.approx(1.0) and 1.0 < smoothed[-1] < 3.0


def test_a_corrupt_history_is_a_status_line_not_an_error(qtbot, run_store):
    """The panel over a history file that is not a database opens empty and says why."""
    run_store.parent.mkdir(parents=True)
    run_store.write_bytes(b"garbage" * 100)
    panel = RunsPanel(Session())
    qtbot.addWidget(panel)
    assert panel.proxy.rowCount() == 0
    assert "cannot be read" in panel.status_label.text()
