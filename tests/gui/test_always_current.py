"""Status texts describe the current model and data, or are cleared (issue 11, "always current")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.gui.app import create_main_window
from digitlab.gui.panels.data_panel import DataPanel
from digitlab.gui.panels.draw_panel import DrawPanel
from digitlab.gui.panels.evaluate_panel import EvaluatePanel
from digitlab.gui.panels.training_panel import TrainingPanel
from digitlab.gui.session import IDLE, Session
from digitlab.gui.status_text import DATA, ERROR, StatusText

TINY = TrainConfig(NetworkSpec(({"type": "dense", "units": 8}, {"type": "relu"},
                                {"type": "dense", "units": 10}, {"type": "softmax"}))).with_settings(
    optimizer="adam", lr=0.01, batch_size=50, epochs=2, report_every=1)


@pytest.fixture
def session(qtbot, synthetic_mnist_folder):
    s = Session()
    s.set_config(TINY)
    s.load_data(synthetic_mnist_folder)
    yield s
    s.stop_and_wait()


@pytest.fixture
def training(qtbot, session):
    panel = TrainingPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def _train(qtbot, panel: TrainingPanel) -> None:
    with qtbot.waitSignal(panel.session.run_finished, timeout=20000):
        panel.start()
    qtbot.waitUntil(lambda: panel.session.state == IDLE, timeout=5000)


# -- the helper ------------------------------------------------------------------------------
def test_a_message_lasts_until_one_of_its_changes(qtbot, session):
    """A message survives changes it does not name and goes with the first one it names."""
    label = QLabel()
    qtbot.addWidget(label)
    status = StatusText(label, session, lambda: "idle description")
    status.show("about the data", ERROR, until=(DATA,))
    session.set_config(TINY.with_settings(lr=0.02))  # a CONFIG change: not named
    assert label.text() == "about the data"
    session.new_model()  # a MODEL change: not named
    assert label.text() == "about the data"
    session.data_changed.emit()
    assert label.text() == "idle description" and status.message is None


# -- training panel ---------------------------------------------------------------------------
def test_no_data_error_goes_when_data_is_loaded(qtbot, training, session, synthetic_mnist_folder):
    """The red "no MNIST data is loaded" disappears as soon as MNIST is loaded."""
    session.data = None
    assert training.start() is False
    assert "MNIST" in training.message_label.text()
    session.load_data(synthetic_mnist_folder)
    assert training.message_label.text() == ""


def test_opening_a_model_clears_the_last_runs_texts(qtbot, training, session, tmp_path):
    """Progress, batch loss, rate and "Finished after ..." of a run go when another model opens."""
    _train(qtbot, training)
    assert "Finished" in training.message_label.text()
    assert "\u2014" not in training.batch_label.text()  # a real batch loss is shown
    saved = session.save_model(tmp_path / "m.npz")
    session.new_model()
    assert training.message_label.text() == ""
    assert training.batch_label.text() == "Batch loss \u2014"
    assert training.current_lr_label.text() == ""
    assert training.progress.value() == 0 and "Epoch" not in training.progress.text()
    _train(qtbot, training)
    session.load_model(saved)
    assert "Finished" not in training.message_label.text()
    assert "ETA" not in training.progress.text() and "Epoch" not in training.progress.text()


def test_finished_message_stays_beside_the_model_it_trained(qtbot, training):
    """The run's own model update at the end does not wipe the run's summary."""
    _train(qtbot, training)
    assert "Finished after 2 epoch(s)" in training.message_label.text()
    assert "Ended in epoch 2/2" in training.progress.text()


def test_no_eta_after_stop(qtbot, training, session):
    """After Stop the progress bar keeps where the run ended but no longer shows an ETA."""
    session.set_config(TINY.with_settings(epochs=500))
    with qtbot.waitSignal(session.batch_finished, timeout=10000):
        training.start()
    qtbot.waitUntil(lambda: "ETA" in training.progress.text(), timeout=5000)
    with qtbot.waitSignal(session.run_finished, timeout=10000):
        training.stop_button.click()
    qtbot.waitUntil(lambda: session.state == IDLE, timeout=5000)
    assert "ETA" not in training.progress.text()
    assert "Ended in epoch" in training.progress.text()


# -- evaluate panel ---------------------------------------------------------------------------
def test_evaluation_failure_is_not_replaced_by_ready(qtbot, session, monkeypatch):
    """ "Evaluation failed" stays after the worker ends, and goes when the model changes."""
    def broken(*_args, **_kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr("digitlab.gui.panels.evaluate_panel.evaluate", broken)
    session.new_model()
    panel = EvaluatePanel(session)
    qtbot.addWidget(panel)
    assert panel.start_evaluation()
    qtbot.waitUntil(lambda: not panel.is_running, timeout=10000)
    qtbot.wait(50)  # let any late queued signal land
    assert "Evaluation failed" in panel.status_label.text() and "out of memory" in panel.status_label.text()
    session.new_model()
    assert panel.status_label.text().startswith("Ready")


# -- data and draw panels, main window --------------------------------------------------------
def test_data_error_goes_when_data_loads(qtbot, session, synthetic_mnist_folder, tmp_path):
    """An error about getting MNIST is hidden once MNIST is loaded (by any route)."""
    panel = DataPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert panel.load_folder(empty) is False
    assert panel.error_label.isVisible()
    session.load_data(synthetic_mnist_folder)  # e.g. the main window at start-up
    assert not panel.error_label.isVisible()


def test_draw_error_goes_with_the_model_it_was_about(qtbot, session):
    """"This model cannot read..." is hidden when another model comes, even on an empty canvas."""
    session.new_model()
    panel = DrawPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel._show_error("This model cannot read a 28x28 digit: test")
    assert panel.error_label.isVisible()
    session.new_model()
    assert not panel.error_label.isVisible()
    panel._show_error("No digit found in x.png: the picture is blank.")
    panel.canvas.clear()
    assert not panel.error_label.isVisible()


def test_main_window_forgets_missing_data_after_an_import(qtbot, monkeypatch, synthetic_mnist_folder):
    """The panel's red error and the status bar's message go once MNIST is imported."""
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    window.session.data = None
    qtbot.mouseClick(window.training_panel.train_button, Qt.MouseButton.LeftButton)
    assert "no MNIST data" in window.statusBar().currentMessage()
    assert "no MNIST data" in window.training_panel.message_label.text()
    with qtbot.waitSignal(window.session.data_changed, timeout=10000):
        window.data_panel.import_from(synthetic_mnist_folder)
    qtbot.waitUntil(lambda: not window.data_panel.is_busy, timeout=5000)
    assert "no MNIST data" not in window.statusBar().currentMessage()
    assert window.training_panel.message_label.text() == ""
    assert "MNIST" in window.data_status.text() and "No MNIST" not in window.data_status.text()

