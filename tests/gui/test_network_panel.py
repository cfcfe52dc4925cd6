"""The Network panel edits a valid configuration and refuses invalid values in the control."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QPushButton

from digitlab.core.presets import PRESETS, get_preset
from digitlab.gui.panels.network_panel import NetworkPanel
from digitlab.gui.session import Session


@pytest.fixture
def panel(qtbot):
    session = Session()
    widget = NetworkPanel(session)
    qtbot.addWidget(widget)
    widget.resize(420, 760)
    widget.show()
    return widget


def test_edits_reach_the_session_after_a_debounce(qtbot, panel):
    """Changing a control updates session.config once the debounce timer fires."""
    with qtbot.waitSignal(panel.session.config_changed, timeout=2000):
        panel.epochs_spin.setValue(7)
    assert panel.session.config.epochs == 7
    assert panel.preset_combo.currentData() == "__custom__"


def test_typed_invalid_value_is_refused_with_a_reason(qtbot, panel):
    """A negative learning rate typed into the control is refused there, with the reason shown."""
    before = panel.session.config.lr
    panel.lr_spin.lineEdit().selectAll()
    qtbot.keyClicks(panel.lr_spin.lineEdit(), "-0.5")
    assert panel.lr_spin.property("invalid_reason")
    assert panel.error_label.isVisibleTo(panel) and "refused" in panel.error_label.text()
    qtbot.keyClick(panel.lr_spin.lineEdit(), Qt.Key.Key_Return)
    panel.commit()
    assert panel.session.config.lr == before
    assert panel.lr_spin.value() == before


def test_invalid_layer_stack_shows_the_config_error(qtbot, panel):
    """A convolution fed into a dense layer is not sent; the ConfigError text shows in red."""
    before = panel.session.config
    panel.layer_editor.table.setCurrentCell(0, 0)
    panel.layer_editor.add_layer("dropout")
    assert panel.commit()
    assert panel.session.config.layers[1]["type"] == "dropout"
    panel.layer_editor.set_layer_type(1, "conv2d")
    assert not panel.commit()
    assert "flat input" in panel.parameter_label.text()
    assert panel.session.config.layers != before.layers  # the dropout edit stayed
    assert all(e["type"] != "conv2d" for e in panel.session.config.layers)


def test_layer_editing_add_remove_move(qtbot, panel):
    """Layers can be added, retyped, moved and removed; the parameter count follows."""
    editor = panel.layer_editor
    count = len(panel.session.config.layers)
    editor.table.setCurrentCell(count - 1, 0)
    editor.add_layer("dense")
    editor.move_layer(-1)
    assert editor.current_row() == count - 1
    assert panel.commit()
    assert len(panel.session.config.layers) == count + 1
    editor.remove_layer()
    assert panel.commit()
    assert len(panel.session.config.layers) == count
    assert "trainable" in panel.parameter_label.text()


def test_preset_and_external_config_are_shown_without_feedback(qtbot, panel):
    """Choosing a preset sets it; a config set elsewhere is shown and not sent back."""
    index = panel.preset_combo.findData("tutorial-sigmoid")
    panel.preset_combo.activated.emit(index)
    assert panel.session.config == PRESETS["tutorial-sigmoid"][1]
    emitted = []
    panel.session.config_changed.connect(emitted.append)
    panel.session.set_config(get_preset("mlp-momentum").replace(epochs=3))
    qtbot.wait(panel.DEBOUNCE_MS + 100)
    assert len(emitted) == 1
    assert panel.epochs_spin.value() == 3 and panel.optimizer_combo.currentText() == "momentum"
    assert panel.setting_shown("momentum") and not panel.setting_shown("beta1")


def test_numerical_mode_warns_and_estimates(qtbot, panel):
    """Numerical gradients show the cost warning and a measured time per iteration."""
    panel.tabs.setCurrentIndex(2)
    panel.gradients_combo.setCurrentText("numerical")
    assert panel.setting_shown("numerical")
    seconds = panel.estimate_numerical_time()
    assert seconds is not None and seconds > 0
    assert "per iteration" in panel.estimate_label.text()
    assert "two forward passes per parameter" in panel.numerical_warning.text()


def test_locked_while_training(qtbot, panel):
    """While a run is in progress the settings cannot be edited."""
    panel.session.state_changed.emit("running")
    assert not panel.tabs.isEnabled() and panel.lock_label.isVisibleTo(panel)
    panel.session.state_changed.emit("idle")
    assert panel.tabs.isEnabled()


def test_every_control_has_a_tooltip(qtbot, panel):
    """Each input control says what it does."""
    kinds = (QAbstractSpinBox, QComboBox, QCheckBox, QPushButton)
    controls = [w for w in panel.findChildren(kinds[0]) + panel.findChildren(QComboBox)
                + panel.findChildren(QCheckBox) + panel.findChildren(QPushButton)]
    missing = [w.objectName() or type(w).__name__ for w in controls if not w.toolTip()]
    assert controls and not missing
