"""The Training panel runs, pauses, resumes and stops training through its buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from digitlab.gui.panels.training_panel import TrainingPanel, format_duration
from digitlab.gui.session import IDLE, PAUSED, RUNNING, Session


@pytest.fixture
def panel(qtbot, synthetic_mnist, small_config):
    session = Session()
    session.data = synthetic_mnist()
    session.set_config(small_config)
    widget = TrainingPanel(session)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    session.stop_and_wait()


def test_train_to_the_end_with_the_start_button(qtbot, panel):
    """Start trains to the end; the progress bar fills and the epoch accuracy is shown."""
    assert panel.pause_button.isEnabled() is False and panel.stop_button.isEnabled() is False
    with qtbot.waitSignal(panel.session.run_finished, timeout=20000):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.session.state == IDLE, timeout=5000)
    assert panel.progress.value() == panel.progress.maximum() > 0
    assert "Epoch 2 accuracy" in panel.epoch_label.text()
    assert "Batch loss" in panel.batch_label.text()
    assert panel.train_button.isEnabled() and not panel.stop_button.isEnabled()
    assert "Finished" in panel.message_label.text()


def test_pause_resume_and_stop_buttons(qtbot, panel, small_config, assert_run_held):
    """Pause holds the run, pressing it again resumes, Stop ends it."""
    panel.session.set_config(small_config.with_settings(epochs=500))
    with qtbot.waitSignal(panel.session.batch_finished, timeout=10000):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    assert not panel.train_button.isEnabled()

    def pause() -> None:
        qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
        assert panel.session.state == PAUSED and panel.pause_button.text() == "Resume"

    def resume() -> None:
        qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
        assert panel.session.state == RUNNING and not panel.pause_button.isChecked()

    assert_run_held(panel.session, pause, resume)
    with qtbot.waitSignal(panel.session.run_finished, timeout=10000) as finished:
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].reason == "interrupted"
    qtbot.waitUntil(lambda: panel.session.state == IDLE, timeout=5000)


def test_learning_rate_changes_while_training(qtbot, panel, small_config):
    """The learning-rate box changes the rate of the run in progress."""
    panel.session.set_config(small_config.with_settings(epochs=500))
    with qtbot.waitSignal(panel.session.batch_finished, timeout=10000):
        panel.start()
    with qtbot.waitSignal(panel.session.message, timeout=2000) as message:
        panel.lr_spin.setValue(0.002)
    assert "0.002" in message.args[0]
    batches = []
    panel.session.batch_finished.connect(batches.append)
    qtbot.waitUntil(lambda: any(abs(b.lr - 0.002) < 1e-12 for b in batches), timeout=5000)
    panel.session.stop_and_wait()


def test_missing_data_is_reported_inline(qtbot, panel):
    """Without data, Start shows why in the panel instead of raising or blocking."""
    panel.session.data = None
    assert panel.start() is False
    assert "MNIST" in panel.message_label.text()
    assert panel.session.state == IDLE


def test_shortcut_actions_follow_the_state(qtbot, panel, small_config):
    """F5/F6/Shift+F5 actions are enabled exactly when they can act."""
    assert panel.start_action.shortcut().toString() == "F5"
    assert panel.start_action.isEnabled() and not panel.stop_action.isEnabled()
    panel.session.set_config(small_config.with_settings(epochs=500))
    with qtbot.waitSignal(panel.session.batch_finished, timeout=10000):
        panel.start_action.trigger()
    assert not panel.start_action.isEnabled() and panel.stop_action.isEnabled()
    panel.pause_action.trigger()
    assert panel.session.state == PAUSED and panel.pause_button.isChecked()
    with qtbot.waitSignal(panel.session.run_finished, timeout=10000):
        panel.stop_action.trigger()


def test_format_duration():
    """ETAs read as m:ss or h:mm:ss."""
    assert format_duration(65) == "1:05"
    assert format_duration(3725) == "1:02:05"
