"""The Neuron lab view: units off, pruning, noise, live re-scoring, Reset and Save as."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from digitlab.core.model_edit import apply_edits
from digitlab.core.serialization import load_model
from digitlab.gui.inside.context import InsideContext
from digitlab.gui.inside.views import INSIDE_VIEWS
from digitlab.gui.session import Session

KINDS = ["shipped", "mlp", "cnn"]


def _factory(title: str):
    return dict(INSIDE_VIEWS)[title]


@pytest.fixture
def make_lab(qtbot, show_inside_view):
    """``make_lab(kind, data=True)``: a shown Neuron lab on one model kind, scored once."""
    def make(kind: str, data: bool = True):
        session, context, lab = show_inside_view("Neuron lab", kind, data)
        qtbot.waitUntil(lambda: lab.score is not None and not lab.runner.busy, timeout=20000)
        return session, context, lab
    return make


def _settle(qtbot, lab) -> None:
    qtbot.waitUntil(lambda: not lab.runner.busy, timeout=20000)


def test_the_view_is_registered_with_its_object_name(qtbot, make_lab):
    """The Inside tab lists "Neuron lab" and the widget is named neuronLab for scripts."""
    _, _, lab = make_lab("mlp")
    assert lab.objectName() == "neuronLab"


@pytest.mark.parametrize("kind", KINDS)
def test_clicking_a_unit_switches_it_off_and_rescores(qtbot, make_lab, kind):
    """A click on a unit of the first hidden layer adds it to the edits; the shown accuracy is the
    edited copy's own on the subset, and the current digit's reading is the edited copy's."""
    session, _, lab = make_lab(kind)
    assert lab.score.accuracy == lab.baseline.accuracy
    QTest.mouseClick(lab.grid, Qt.MouseButton.LeftButton, pos=QPointF(3, 3).toPoint())
    assert lab.edits() == [{"op": "units", "layer": lab.hidden[0].index, "units": [0], "scale": 0.0}]
    lab.switch_off_most_active()
    _settle(qtbot, lab)
    edited = apply_edits(session.model.network, lab.edits())
    x = lab.scorer.x
    assert lab.score.accuracy == pytest.approx(np.mean(edited.predict(x) == lab.scorer.labels))
    digit = lab._digit_input()
    np.testing.assert_allclose(lab.score.probabilities, edited.predict_proba(digit)[0], rtol=1e-5)
    assert "before" in lab.accuracy_label.text() and "after" in lab.accuracy_label.text()
    assert lab.grid.scales[0] == 0.0


@pytest.mark.parametrize("kind", KINDS)
def test_prune_and_noise_sliders_edit_the_copy_and_reset_undoes_everything(qtbot, make_lab, kind):
    """99% global pruning plus noise changes the accuracy shown; Reset brings back the original."""
    session, _, lab = make_lab(kind)
    original = session.model.network.flat_parameters().copy()
    lab.prune_scope.setCurrentIndex(lab.prune_scope.findData("global"))
    lab.prune_slider.setValue(99)
    lab.noise_slider.setValue(50)
    _settle(qtbot, lab)
    assert {e["op"] for e in lab.edits()} == {"prune", "noise"}
    assert np.sum(lab.score.network.flat_parameters() == 0) > 0.9 * original.size * 0.9
    assert lab.score.accuracy != lab.baseline.accuracy
    np.testing.assert_array_equal(session.model.network.flat_parameters(), original)
    lab.toggle_unit(1)
    lab.reset()
    _settle(qtbot, lab)
    assert lab.edits() == [] and lab.prune_slider.value() == 0
    assert lab.score.accuracy == lab.baseline.accuracy


def test_rapid_slider_moves_are_coalesced_into_the_last_one(qtbot, make_lab):
    """Dragging the prune slider through 40 values starts a few jobs at most, and the result shown
    is for the last value."""
    _, _, lab = make_lab("cnn")
    results = []
    lab.runner.result_ready.connect(results.append)
    for value in range(1, 41):
        lab.prune_slider.setValue(value)
    _settle(qtbot, lab)
    assert len(results) == 1
    pruned = lab.score.network.layers[0].params["W"]
    assert np.mean(pruned == 0) == pytest.approx(0.40, abs=0.03)


def test_save_as_writes_a_model_whose_record_says_it_was_edited(qtbot, make_lab, tmp_path):
    """The saved file loads with the edited weights and a provenance step listing the edits."""
    session, _, lab = make_lab("mlp")
    lab.toggle_unit(2)
    lab.prune_slider.setValue(30)
    _settle(qtbot, lab)
    path = lab.save_as(tmp_path / "edited.npz")
    loaded = load_model(path)
    assert loaded.provenance[-1]["kind"] == "edited"
    assert loaded.provenance[-1]["edits"] == lab.edits()
    assert "1 unit of layer 0 off" in loaded.describe_provenance()
    np.testing.assert_array_equal(loaded.network.flat_parameters(),
                                  apply_edits(session.model.network, lab.edits()).flat_parameters())
    assert "Saved" in lab.status_label.text()


def test_the_current_digit_follows_the_shared_context(qtbot, make_lab, inside_data):
    """Setting the context's digit re-reads it: the reading shown is for that digit."""
    _, context, lab = make_lab("mlp")
    image = inside_data.test_images[5].astype(np.float32) / 255
    context.set_image(image)
    _settle(qtbot, lab)
    assert f"reads {inside_data.test_labels[5]} " in lab.prediction_label.text()


def test_without_test_data_the_digit_is_still_read_and_the_reason_is_shown(qtbot, make_lab, inside_data):
    """No MNIST loaded: a note asks for it, and the current digit's reading still updates."""
    _, context, lab = make_lab("mlp", data=False)
    assert "Load MNIST" in lab.accuracy_label.text()
    context.set_image(inside_data.test_images[7].astype(np.float32) / 255)
    _settle(qtbot, lab)
    assert f"reads {inside_data.test_labels[7]} " in lab.prediction_label.text()
    assert "Load MNIST" in lab.accuracy_label.text()


def test_a_model_without_hidden_units_says_so(qtbot, constant_model, inside_data):
    """A 784-10 model has nothing to switch off: the controls are disabled and a line says why."""
    session = Session()
    session.model = constant_model(3)
    session.data = inside_data
    lab = _factory("Neuron lab")(session, InsideContext())
    qtbot.addWidget(lab)
    assert "no hidden units" in lab.status_label.text()
    assert not lab.grid.isEnabled() and not lab.prune_slider.isEnabled()


def test_a_new_model_clears_the_edits(qtbot, make_lab, inside_models):
    """Loading another model drops the edits made to the previous one and re-scores."""
    session, _, lab = make_lab("mlp")
    lab.toggle_unit(0)
    session.model = inside_models["cnn"]
    session.model_changed.emit()
    assert lab.edits() == []
    _settle(qtbot, lab)
    assert lab.layer_box.count() == 2 and "conv2d" in lab.layer_box.itemText(0)


def test_a_hidden_view_scores_only_once_it_is_shown(qtbot, inside_models, inside_data):
    """Built but not shown (another tab is open), the lab starts no job; shown, it scores."""
    session = Session()
    session.model = inside_models["mlp"]
    session.data = inside_data
    lab = _factory("Neuron lab")(session, InsideContext())
    qtbot.addWidget(lab)
    lab.prune_slider.setValue(20)
    qtbot.wait(300)
    assert lab.score is None and not lab.runner.busy
    lab.show()
    qtbot.waitUntil(lambda: lab.score is not None and not lab.runner.busy, timeout=20000)
    assert lab.score.accuracy <= 1.0 and lab.edits()[0]["fraction"] == 0.2
