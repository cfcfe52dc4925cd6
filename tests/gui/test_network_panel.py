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
        panel.controls["epochs"].setValue(7)
    assert panel.session.config.run.epochs == 7
    assert panel.preset_combo.currentData() == "__custom__"


def test_typed_invalid_value_is_refused_with_a_reason(qtbot, panel):
    """A negative learning rate typed into the control is refused there, with the reason shown."""
    before = panel.session.config.optimizer.settings["lr"]
    panel.controls["lr"].lineEdit().selectAll()
    qtbot.keyClicks(panel.controls["lr"].lineEdit(), "-0.5")
    assert panel.controls["lr"].property("invalid_reason")
    assert panel.error_label.isVisibleTo(panel) and "refused" in panel.error_label.text()
    qtbot.keyClick(panel.controls["lr"].lineEdit(), Qt.Key.Key_Return)
    panel.commit()
    assert panel.session.config.optimizer.settings["lr"] == before
    assert panel.controls["lr"].value() == before


def _type_into(qtbot, panel, name: str, text: str) -> str:
    """Type ``text`` over a control's value; the reason shown while it is in the box."""
    line = panel.controls[name].lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, text)
    reason = panel.controls[name].property("invalid_reason")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    panel.commit()
    return reason


def test_a_fraction_takes_any_notation_and_refuses_out_of_range_with_a_reason(qtbot, panel):
    """Typing 1e-3 in a fraction box once kept "1" (the plain spin box dropped the e): every
    digit was then redrawn. A value out of [0, 1] is refused with the reason shown."""
    panel.controls["redraw_frac"].setValue(0.25)
    panel.commit()
    assert not _type_into(qtbot, panel, "redraw_frac", "1e-3")
    assert panel.session.config.augment.redraw_frac == pytest.approx(0.001)
    assert panel.controls["redraw_frac"].text() == "0.0010"
    for refused in ("2", "-0.1"):
        assert _type_into(qtbot, panel, "redraw_frac", refused)
        assert panel.session.config.augment.redraw_frac == pytest.approx(0.001)
    panel.controls["redraw_frac"].stepBy(3)
    assert panel.controls["redraw_frac"].value() == pytest.approx(0.031)


def test_invalid_layer_stack_shows_the_config_error(qtbot, panel):
    """A convolution fed into a dense layer is not sent; the ConfigError text shows in red."""
    before = panel.session.config
    panel.layer_editor.table.setCurrentCell(0, 0)
    panel.layer_editor.add_layer("dropout")
    assert panel.commit()
    assert panel.session.config.network.layers[1]["type"] == "dropout"
    panel.layer_editor.set_layer_type(1, "conv2d")
    assert not panel.commit()
    assert "flat input" in panel.parameter_label.text()
    assert panel.session.config.network.layers != before.network.layers  # the dropout edit stayed
    assert all(e["type"] != "conv2d" for e in panel.session.config.network.layers)


def test_layer_editing_add_remove_move(qtbot, panel):
    """Layers can be added, retyped, moved and removed; the parameter count follows."""
    editor = panel.layer_editor
    count = len(panel.session.config.network.layers)
    editor.table.setCurrentCell(count - 1, 0)
    editor.add_layer("dense")
    editor.move_layer(-1)
    assert editor.current_row() == count - 1
    assert panel.commit()
    assert len(panel.session.config.network.layers) == count + 1
    editor.remove_layer()
    assert panel.commit()
    assert len(panel.session.config.network.layers) == count
    assert "trainable" in panel.parameter_label.text()


def test_preset_and_external_config_are_shown_without_feedback(qtbot, panel):
    """Choosing a preset sets it; a config set elsewhere is shown and not sent back."""
    index = panel.preset_combo.findData("tutorial-sigmoid")
    panel.preset_combo.activated.emit(index)
    assert panel.session.config == PRESETS["tutorial-sigmoid"][1]
    emitted = []
    panel.session.config_changed.connect(emitted.append)
    panel.session.set_config(get_preset("mlp-momentum").with_settings(epochs=3))
    qtbot.wait(panel.DEBOUNCE_MS + 100)
    assert len(emitted) == 1
    assert panel.controls["epochs"].value() == 3 and panel.optimizer_combo.currentText() == "momentum"
    assert panel.setting_shown("momentum") and not panel.setting_shown("beta1")


def test_numerical_mode_warns_and_estimates(qtbot, panel):
    """Numerical gradients show the cost warning and a measured time per iteration."""
    panel.tabs.setCurrentIndex(2)
    panel.controls["gradients"].setCurrentText("numerical")
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


@pytest.mark.parametrize("name", list(PRESETS))
def test_choosing_a_preset_gives_exactly_that_preset(qtbot, name):
    """A preset chosen as a user does (the combo's activated signal) is what the panel would send
    to training: candidate_config() equals get_preset(name) exactly, layer initialisers included;
    the combo shows its name."""
    from digitlab.gui.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    panel = window.findChild(NetworkPanel, "networkPanel")
    combo = panel.preset_combo
    other = next(n for n in PRESETS if n != name)
    combo.activated.emit(combo.findData(other))  # start from another preset, so the choice counts
    combo.setCurrentIndex(combo.findData(name))
    combo.activated.emit(combo.findData(name))
    assert panel.candidate_config().to_dict() == get_preset(name).to_dict()
    assert panel.candidate_config() == get_preset(name)
    assert combo.currentData() == name
    window.close()


def test_an_edit_names_the_preset_it_started_from(qtbot, panel):
    """After an edit the combo says '<preset> (modified)'; undoing it shows the name again."""
    combo = panel.preset_combo
    combo.activated.emit(combo.findData("lenet"))
    panel.controls["epochs"].setValue(3)
    assert panel.commit()
    assert combo.currentData() == "__custom__" and combo.currentText() == "lenet (modified)"
    panel.controls["epochs"].setValue(get_preset("lenet").run.epochs)
    assert panel.commit()
    assert combo.currentData() == "lenet" and combo.currentText() == "lenet"


def test_each_layer_keeps_its_own_initialiser(qtbot, panel):
    """The cnn preset's xavier output layer stays xavier; 'Apply to all layers' sets every one."""
    combo = panel.preset_combo
    combo.activated.emit(combo.findData("cnn"))
    inits = [e["init"] for e in panel.candidate_config().network.layers if "init" in e]
    assert inits == ["he", "he", "he", "xavier"]
    panel.init_combo.setCurrentText("normal")
    panel.apply_init_button.click()
    assert panel.commit()
    assert {e["init"] for e in panel.session.config.network.layers if "init" in e} == {"normal"}


def test_switching_optimizer_shows_its_own_settings_from_its_defaults(qtbot, panel):
    """Rows follow the chosen optimiser (momentum only for momentum-based ones) and a new choice
    starts from its defaults, as --optimizer does."""
    panel.optimizer_combo.setCurrentText("sgd")
    assert not panel.setting_shown("momentum") and not panel.setting_shown("beta1")
    assert panel.commit()
    assert panel.session.config.optimizer.to_dict() == {"name": "sgd", "lr": 0.01}
    panel.optimizer_combo.setCurrentText("adam")
    assert panel.setting_shown("beta1") and not panel.setting_shown("momentum")
    assert panel.commit()
    assert panel.session.config.optimizer.to_dict()["beta2"] == 0.999


def test_new_augmentations_have_controls_that_reach_the_config(qtbot, panel):
    """Elastic distortion, stroke width and non-digit images get a row each, derived from
    AugmentConfig, and an edit lands in the session's augmentation settings."""
    for name in ("elastic_alpha", "elastic_sigma", "stroke_width", "negatives_frac"):
        assert name in panel.controls
    with qtbot.waitSignal(panel.session.config_changed, timeout=2000):
        panel.controls["elastic_alpha"].setValue(12.0)
    assert panel.session.config.augment.elastic_alpha == 12.0


def test_an_opened_models_own_settings_are_labelled_from_file(qtbot, panel, pretrained_path):
    """The shipped model's settings match no preset (its augmentations differ): once it is open
    the combo says they are the opened model's ("from file"), not "custom"."""
    panel.session.load_model(pretrained_path)
    assert panel.preset_combo.currentText() == "from file"
    assert "pretrained.npz" in panel.preset_description.text()
    # The shipped model is three networks merged into one: the words say whose settings these
    # are and that Continue training starts a new run, not "the same batch order".
    assert "3 networks merged into one" in panel.preset_description.text()
    assert "first of them" in panel.preset_description.text()
    assert "3 networks merged into one" in panel.next_run_label.text()
    assert "batch order" not in panel.next_run_label.text()
