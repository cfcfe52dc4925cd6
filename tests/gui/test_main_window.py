"""The main window: training through its buttons, model files, errors, settings and closing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMessageBox, QSpinBox

from digitlab.gui.app import NO_DISPLAY_MESSAGE, create_main_window, run_gui
from digitlab.gui.session import IDLE

Button = QMessageBox.StandardButton


@pytest.fixture
def answers(monkeypatch):
    """Answers the modal questions will get, in order; Discard once they run out."""
    class Answers(list):
        asked: list[str] = []

    queue = Answers()
    asked = queue.asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(title)
        return queue.pop(0) if queue else Button.Discard

    monkeypatch.setattr(QMessageBox, "question", question)
    return queue


@pytest.fixture
def window(qtbot, monkeypatch, answers, synthetic_mnist, small_config):
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)  # no real MNIST at start-up
    w = create_main_window()
    qtbot.addWidget(w)
    w.session.data = synthetic_mnist()
    w.session.set_config(small_config)
    w.show()
    yield w
    w.session.stop_and_wait()


def _train(qtbot, w, config=None):
    if config is not None:
        w.session.set_config(config)
    with qtbot.waitSignal(w.session.run_finished, timeout=20000):
        qtbot.mouseClick(w.training_panel.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.session.state == IDLE, timeout=5000)


def _error_box(w) -> QMessageBox | None:
    box = w.findChild(QMessageBox, "errorMessage")
    return box if box is not None and box.isVisible() else None


def test_opens_without_a_modal_dialog(qtbot, window, pretrained_path):
    """Start-up shows the window with its panels and no modal dialog; a model is ready."""
    assert window.objectName() == "mainWindow"
    assert QApplication.activeModalWidget() is None
    assert window.tabs.count() == 7  # Curves, Weights, Draw, Inside, Evaluate, Data, Runs
    assert {d.objectName() for d in window.findChildren(QDockWidget)} >= {"networkDock", "trainingDock"}
    assert window.session.current_model() is not None
    assert window.session.path == pretrained_path and "pretrained" in window.windowTitle()
    assert window.session.checkpoint_path.name == "checkpoint.npz"


def test_train_a_small_network_through_the_buttons(qtbot, window):
    """Start in the window trains to the end; the curves fill and the title marks unsaved weights."""
    _train(qtbot, window)
    assert len(window.session.history) == 2 and window.session.history[-1].test_accuracy > 0.9
    assert "* \u2014 DigitLab" in window.windowTitle()
    qtbot.waitUntil(lambda: window.curves_panel.acc_test.getData()[0] is not None, timeout=2000)


def test_configure_in_the_network_panel_then_train(qtbot, window):
    """Settings made in the Network panel's controls are the ones the Start button trains with."""
    panel = window.network_panel
    panel.preset_combo.activated.emit(panel.preset_combo.findData("tutorial-relu"))
    panel.layer_editor.table.setCurrentCell(0, 0)
    units = panel.layer_editor.findChild(QSpinBox, "layer_units")
    units.setValue(24)
    panel.optimizer_combo.setCurrentText("adam")
    panel.controls["lr"].setValue(0.01)
    panel.controls["epochs"].setValue(2)
    panel.controls["batch_size"].setValue(50)
    _train(qtbot, window)  # Start commits the panel at once, without waiting for the debounce
    config = window.session.config
    assert (config.network.layers[0]["units"], config.optimizer.name, config.optimizer.settings["lr"],
            config.run.epochs, config.data.batch_size) == (24, "adam", 0.01, 2, 50)
    assert [m.epoch for m in window.session.history] == [1, 2]
    assert window.session.current_model().network.parameter_count == 784 * 24 + 24 + 24 * 10 + 10


def test_save_and_reopen_through_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    """Save As writes the model; Open brings back its weights, configuration and curves."""
    _train(qtbot, window)
    target = tmp_path / "mine"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.save_as_action.trigger()
    saved = target.with_suffix(".npz")
    assert saved.is_file() and not window.session.dirty and "*" not in window.windowTitle()
    config, history = window.session.config, list(window.session.history)
    window.new_action.trigger()
    assert window.session.path is None and window.session.history == []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    window.open_action.trigger()
    assert window.session.path == saved and window.session.history == history
    assert window.session.config.network.layers == config.network.layers
    assert window.settings.recent_models()[0] == saved.resolve()
    assert "mine.npz" in window.windowTitle()


def test_bad_model_file_shows_a_message(qtbot, window, tmp_path, monkeypatch):
    """Opening a corrupt file shows a non-blocking message and keeps the current model."""
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"this is not a model")
    before = window.session.current_model()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    window.open_action.trigger()
    box = _error_box(window)
    assert box is not None and "broken.npz" in box.text()
    assert window.session.current_model() is before
    box.close()


def test_unwritable_folder_shows_a_message(qtbot, window, tmp_path, monkeypatch):
    """Saving where no file can be written shows a non-blocking message; nothing is marked saved."""
    _train(qtbot, window)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(blocker / "model.npz"), ""))
    assert window.save_model() is False
    box = _error_box(window)
    assert box is not None and window.session.dirty
    box.close()


def test_missing_data_shows_a_message(qtbot, window):
    """Start without MNIST explains how to get it, in the panel and the status bar."""
    window.session.data = None
    qtbot.mouseClick(window.training_panel.train_button, Qt.MouseButton.LeftButton)
    assert "MNIST" in window.training_panel.message_label.text()
    assert "MNIST" in window.statusBar().currentMessage()
    assert window.session.state == IDLE


def test_settings_persist_across_two_windows(qtbot, window, small_config):
    """Configuration, window size and the current tab come back in the next window."""
    window.session.set_config(small_config.with_settings(epochs=7))
    window.resize(760, 560)  # within the offscreen screen; Qt keeps it above the panels' minimum
    size = window.size()
    window.tabs.setCurrentIndex(2)
    window.training_dock.hide()
    window.close()
    second = create_main_window()
    qtbot.addWidget(second)
    second.show()
    assert second.session.config.run.epochs == 7
    assert second.tabs.currentIndex() == 2
    assert second.size() == size
    assert second.training_dock.isHidden() and not second.network_dock.isHidden()
    assert second.network_panel.controls["epochs"].value() == 7


def test_unsaved_weights_prompt_on_new(qtbot, window, answers):
    """New asks about unsaved weights: Cancel keeps them, Discard replaces them."""
    _train(qtbot, window)
    model = window.session.current_model()
    answers.append(Button.Cancel)
    window.new_action.trigger()
    assert window.session.current_model() is model and window.session.dirty
    answers.append(Button.Discard)
    window.new_action.trigger()
    assert window.session.current_model() is not model and not window.session.dirty
    assert answers.asked == ["Unsaved model", "Unsaved model"]


def test_closing_during_training_stops_the_worker(qtbot, window, answers, small_config):
    """Close during a run asks first, then stops the worker and closes once it has ended."""
    window.session.set_config(small_config.with_settings(epochs=500))
    with qtbot.waitSignal(window.session.batch_finished, timeout=10000):
        window.training_panel.start()
    answers.append(Button.No)
    window.close()
    assert window.isVisible() and window.session.is_running
    answers.extend([Button.Yes, Button.Discard])
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert window.session.state == IDLE and window.session._job is None
    assert answers.asked == ["Training in progress", "Training in progress", "Unsaved model"]


def test_about_box_does_not_block(qtbot, window):
    """About names the version, licence and MNIST's authors, in a box opened without exec()."""
    box = window.show_about()
    assert box.isVisible() and "MIT" in box.text() and "LeCun" in box.text()
    box.close()


def test_no_display_is_one_line_not_an_abort(monkeypatch, capsys):
    """Without any display, run_gui says so in one line and returns 1."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert run_gui(["digitlab"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == NO_DISPLAY_MESSAGE and err.count("\n") == 1


def test_save_writes_what_trained_the_weights_not_the_panel(qtbot, window, tmp_path, monkeypatch):
    """Train, then change the learning rate and add a layer in the panel, then save and reopen:
    the file holds the trained configuration and weights, and the panel says the next run
    differs from the model's training."""
    import numpy as np

    from digitlab.core.serialization import load_model

    _train(qtbot, window)
    trained_config = window.session.current_model().config
    weights = window.session.current_model().network.flat_parameters().copy()
    panel = window.network_panel
    panel.controls["lr"].setValue(0.5)
    panel.layer_editor.table.setCurrentCell(0, 0)
    panel.layer_editor.add_layer("dense")
    assert panel.commit()
    assert window.session.config != trained_config
    assert "differ" in panel.next_run_label.text()
    target = tmp_path / "trained.npz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.save_as_action.trigger()
    saved = load_model(target)
    assert saved.config == trained_config and saved.config.optimizer.settings["lr"] == 0.01
    np.testing.assert_array_equal(saved.network.flat_parameters(), weights)
    assert saved.provenance == [{"kind": "trained"}] and saved.resume is not None
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    window.open_action.trigger()
    assert window.session.config == trained_config
    assert len(window.session.config.network.layers) == len(trained_config.network.layers)
    assert "Continue" in panel.next_run_label.text() and "differ" not in panel.next_run_label.text()


def test_start_asks_before_a_fresh_run_replaces_unsaved_weights(qtbot, window, answers):
    """Start (not Continue) after training asks about the unsaved weights: Cancel keeps the model
    and starts nothing; Save is disabled while a run goes on."""
    _train(qtbot, window)
    model = window.session.current_model()
    answers.append(Button.Cancel)
    qtbot.mouseClick(window.training_panel.train_button, Qt.MouseButton.LeftButton)
    assert answers.asked == ["Unsaved model"]
    assert window.session.current_model() is model and window.session.dirty
    assert window.session.state == IDLE
    window.session.set_config(window.session.config.with_settings(epochs=500))
    answers.append(Button.Discard)
    with qtbot.waitSignal(window.session.batch_finished, timeout=10000):
        qtbot.mouseClick(window.training_panel.train_button, Qt.MouseButton.LeftButton)
    assert not window.save_action.isEnabled() and not window.save_as_action.isEnabled()
    window.session.stop_and_wait()
