"""The Inside tab's per-digit views (activations, layer math, saliency) and its digit sources:
each view shows the shipped model, an mlp and a cnn on the current digit, correctly."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.inputs import InputTransform
from digitlab.core.introspect import layer_outputs
from digitlab.core.presets import get_preset
from digitlab.core.saliency import saliency_map
from digitlab.core.serialization import SavedModel, load_model
from digitlab.gui.inside.activations_view import shown_layers, tile_units
from digitlab.gui.inside.inside_panel import InsidePanel
from digitlab.gui.inside.saliency_view import overlay
from digitlab.gui.inside.views import INSIDE_VIEWS
from digitlab.gui.panels.draw_panel import DrawPanel
from digitlab.gui.session import Session

KINDS = ["shipped", "mlp", "cnn"]


def _model(kind: str, pretrained_path) -> SavedModel:
    """The shipped model, or a preset's architecture with random weights (seeded)."""
    if kind == "shipped":
        return load_model(pretrained_path)
    network = get_preset(kind).build_network()
    network.initialize(np.random.default_rng(4))
    return SavedModel(network, InputTransform(mean=0.13, std=0.31))


def _digit() -> np.ndarray:
    image = np.zeros((28, 28), np.float32)
    image[5:23, 13:16] = 1.0  # a "1"
    image[5:8, 10:16] = 0.8
    return image


@pytest.fixture
def panel(qtbot):
    session = Session()
    panel = InsidePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _view(panel: InsidePanel, name: str):
    return next(panel.views.widget(i) for i in range(panel.views.count())
                if panel.views.widget(i).objectName() == name)


def _recomputed(qtbot, view, change=None) -> None:
    """Make ``change`` (default: ask for a redraw) and wait until the view shows the result."""
    with qtbot.waitSignal(view.shown, timeout=20000):
        (change or view.refresh_now)()


def _show(qtbot, panel: InsidePanel, name: str, kind: str, pretrained_path):
    """Put ``kind``'s model and the test digit in, bring view ``name`` up and draw it."""
    panel.session._adopt(_model(kind, pretrained_path), path=None, dirty=False)
    panel.context.set_image(_digit())
    view = _view(panel, name)
    panel.views.setCurrentWidget(view)
    _recomputed(qtbot, view)
    assert view.hint.isHidden(), view.hint.text()
    return view


def test_the_views_are_registered_with_stable_names(panel):
    names = [panel.views.widget(i).objectName() for i in range(panel.views.count())]
    for name in ("activationsView", "layerMathView", "saliencyView"):
        assert name in names
    assert [title for title, _ in INSIDE_VIEWS][:3] == ["Activations", "Layer math", "Saliency"]
    for i in range(panel.views.count()):
        assert panel.views.widget(i).explanation.text()


@pytest.mark.parametrize("kind", KINDS)
def test_activations_view_draws_every_layers_output(qtbot, panel, kind, pretrained_path):
    view = _show(qtbot, panel, "activationsView", kind, pretrained_path)
    network = panel.session.current_model().network
    x = panel.session.current_model().transform.apply_unit(_digit()[None], network.input_shape)
    expected = layer_outputs(network, x)
    shown = [i for i in shown_layers(network) if i in view._pictures]
    assert shown and len(shown) == len(shown_layers(network)) - 1  # the softmax is the bar chart
    for index in shown:
        tiled, _ = tile_units(expected[index][0])
        np.testing.assert_allclose(view._pictures[index].image_item.image, tiled, rtol=1e-5,
                                   atol=1e-6, equal_nan=True)
    heights = view._bars.bar_item.opts["height"]
    np.testing.assert_allclose(heights, expected[-1][0], atol=1e-6)
    first = shown[0]
    text = view.describe_unit(first, 3)
    assert f"{float(expected[first][0].reshape(-1)[3]) + 0.0:.4g}" in text
    assert "Fed by layer 0" in text and "bias" in text


@pytest.mark.parametrize("kind", KINDS)
def test_hovering_a_unit_names_it(qtbot, panel, kind, pretrained_path):
    view = _show(qtbot, panel, "activationsView", kind, pretrained_path)
    index = next(iter(view._pictures))
    view._on_hover(index, (0, 1))  # row 0, column 1: unit 1 (dense) or map 0's (0, 1) (conv)
    unit = int(view._index_maps[index][0, 1])
    assert unit == 1
    assert view.unit_info.text() == view.describe_unit(index, unit)


def test_tiles_put_units_in_rows_and_maps_in_a_mosaic():
    image, index = tile_units(np.arange(80, dtype=np.float32))
    assert image.shape == (2, 64) and index[1, 15] == 79 and index[1, 16] == -1
    assert np.isnan(image[1, 16])
    maps = np.arange(10 * 3 * 3, dtype=np.float32).reshape(10, 3, 3)
    image, index = tile_units(maps)
    assert image.shape == (2 * 4 - 1, 8 * 4 - 1)
    assert image[4, 0] == maps[8, 0, 0] and index[4, 0] == 8 * 9
    assert np.isnan(image[3, 0])  # the gap between two rows of maps


@pytest.mark.parametrize("kind", KINDS)
def test_layer_math_view_adds_a_unit_up(qtbot, panel, kind, pretrained_path):
    view = _show(qtbot, panel, "layerMathView", kind, pretrained_path)
    network = panel.session.current_model().network
    x = panel.session.current_model().transform.apply_unit(_digit()[None], network.input_shape)
    outputs = layer_outputs(network, x)
    for row in range(view.layer_combo.count()):
        view.layer_combo.setCurrentIndex(row)
        view.select_most_active()
        index = view.layer_index
        assert view.breakdown.layer_index == index
        assert view.breakdown.pre_activation == pytest.approx(float(outputs[index][0].max()),
                                                              rel=1e-4, abs=1e-4)
        last = view.table.rowCount() - 1
        assert view.table.item(last, 0).text().startswith(("→", "= pre-activation"))
        is_conv = outputs[index].ndim == 4
        assert view.row_spin.isVisible() == view.col_spin.isVisible() == is_conv
    assert view.layer_combo.count() == (4 if kind == "cnn" else 3)


@pytest.mark.parametrize("kind", KINDS)
def test_temperature_changes_the_confidence_not_the_answer(qtbot, panel, kind, pretrained_path):
    view = _show(qtbot, panel, "layerMathView", kind, pretrained_path)
    view.layer_combo.setCurrentIndex(view.layer_combo.count() - 1)  # the scores
    assert view.softmax_box.isVisible()
    confidences, answers = [], []
    for temperature in (0.2, 1.0, 5.0):
        view.set_temperature(temperature)
        assert view.steps.temperature == pytest.approx(temperature, rel=0.07)
        confidences.append(float(view.steps.probabilities.max()))
        answers.append(view.steps.answer)
    assert len(set(answers)) == 1
    assert confidences[0] >= confidences[1] >= confidences[2] and confidences[0] > confidences[2]
    assert str(answers[0]) in view.softmax_answer.text()
    view.layer_combo.setCurrentIndex(0)
    assert not view.softmax_box.isVisible()


@pytest.mark.parametrize("kind", KINDS)
def test_saliency_view_shows_the_gradient_and_why_not(qtbot, panel, kind, pretrained_path):
    view = _show(qtbot, panel, "saliencyView", kind, pretrained_path)
    model = panel.session.current_model()
    answer = int(np.argmax(view.result.scores))
    assert view.result.target == answer and view.result.versus is None
    np.testing.assert_allclose(view.result.gradient, saliency_map(model, _digit(), None).gradient,
                               rtol=1e-5, atol=1e-7)
    other = (answer + 1) % 10
    _recomputed(qtbot, view, lambda: view.versus_combo.setCurrentIndex(view.versus_combo.findData(other)))
    assert view.result.versus == other
    expected = saliency_map(model, _digit(), answer, other).gradient
    np.testing.assert_allclose(view.result.gradient, expected, rtol=1e-5, atol=1e-7)
    assert f"not {other}" in view.summary.text()
    view.times_input_button.setChecked(True)
    shown = view.map_image.image
    background = _digit() == 0
    grey = overlay(_digit(), np.zeros((28, 28)))
    np.testing.assert_array_equal(shown[background], grey[background])  # no ink, no colour
    assert tuple(view.map_image.levels) == (0, 255)  # bytes, not saturated white


def test_a_hidden_view_waits_until_it_is_shown(panel, qtbot, pretrained_path):
    panel.session._adopt(_model("shipped", pretrained_path), path=None, dirty=False)
    panel.views.setCurrentIndex(0)
    saliency = _view(panel, "saliencyView")
    panel.context.set_image(_digit())
    qtbot.wait(120)
    assert saliency.result is None  # hidden: nothing computed for it
    panel.views.setCurrentWidget(saliency)
    qtbot.waitUntil(lambda: saliency.result is not None, timeout=3000)


ONE_DIGIT_VIEWS = ("activationsView", "layerMathView", "saliencyView")


def test_without_a_model_or_a_digit_each_view_says_what_to_do(panel):
    for name in ONE_DIGIT_VIEWS:
        view = _view(panel, name)
        panel.views.setCurrentWidget(view)
        view.refresh_now()
        assert "no model" in view.hint.text() and not view.body.isEnabled()
    panel.session.new_model(get_preset("mlp"))
    view = panel.views.currentWidget()
    view.refresh_now()
    assert "Draw tab" in view.hint.text()


def test_picker_needs_data_and_picks_test_digits(panel, synthetic_mnist):
    picker = panel.picker
    assert not picker.random_button.isEnabled() and "Data tab" in picker.data_hint.text()
    data = synthetic_mnist(50, 30)
    panel.session.data = data
    panel.session.data_changed.emit()
    assert picker.random_button.isEnabled() and picker.index_spin.maximum() == 29
    np.testing.assert_allclose(panel.context.image, data.test_images[0] / 255.0)  # no digit yet
    picker.index_spin.setValue(7)
    np.testing.assert_allclose(panel.context.image, data.test_images[7] / 255.0)
    assert f"#7, labelled {int(data.test_labels[7])}" in picker.source_label.text()
    picker.pick_random()
    assert picker.test_index is not None
    np.testing.assert_allclose(panel.context.image, data.test_images[picker.test_index] / 255.0)
    panel.context.set_image(_digit())  # a drawing arrives
    assert picker.test_index is None and "Draw tab" in picker.source_label.text()


def test_a_tab_built_after_the_data_names_the_test_digit_it_shows(qtbot, synthetic_mnist):
    """The main window builds the Inside tab when first shown, usually after MNIST is loaded:
    the digit it starts on is test digit 0 and the picker says so (not "your drawing")."""
    session = Session()
    data = synthetic_mnist(50, 30)
    session.data = data
    panel = InsidePanel(session)
    qtbot.addWidget(panel)
    np.testing.assert_allclose(panel.context.image, data.test_images[0] / 255.0)
    assert panel.picker.test_index == 0
    assert f"#0, labelled {int(data.test_labels[0])}" in panel.picker.source_label.text()


def test_the_inside_tab_follows_the_drawing_but_keeps_a_picked_digit(qtbot, synthetic_mnist):
    """Wired as the main window wires it: drawing updates the context; re-predicting the same
    drawing for new weights does not take a picked test digit away."""
    session = Session()
    session.new_model(get_preset("mlp"))
    draw, inside = DrawPanel(session), InsidePanel(session)
    qtbot.addWidget(draw)
    qtbot.addWidget(inside)
    draw.network_input_changed.connect(inside.context.set_image)
    draw.canvas.set_strokes([[(0.5, 0.2), (0.5, 0.5), (0.5, 0.8)]])
    draw.predict_now()
    assert inside.context.image is not None
    np.testing.assert_array_equal(inside.context.image, draw.network_input)
    session.data = synthetic_mnist(50, 30)
    session.data_changed.emit()
    inside.picker.pick_test_digit(3)
    session.model_changed.emit()
    draw.predict_now()  # the same drawing, read again
    assert inside.picker.test_index == 3
    draw.canvas.clear()
    assert inside.context.image is None


def test_main_window_connects_the_draw_tab_to_the_inside_tab(qtbot):
    from digitlab.gui.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    window.draw_panel.canvas.set_strokes([[(0.3, 0.3), (0.7, 0.7)]])
    window.draw_panel.predict_now()
    assert window.inside_panel.context.image is not None


def test_views_compute_on_a_private_copy_and_show_only_the_newest_digit(qtbot, panel, pretrained_path):
    """The session's network is never run by the views (the Draw panel runs it on the GUI
    thread meanwhile); of requests made while one computes, only the newest is shown."""
    view = _show(qtbot, panel, "activationsView", "mlp", pretrained_path)
    network = panel.session.current_model().network
    assert getattr(network.layers[0], "_x", None) is None  # no forward pass on it
    digits = [np.roll(_digit(), shift, axis=1) for shift in (-6, 0, 6)]
    shown = []
    view.work.result_ready.connect(shown.append)
    for digit in digits:
        panel.context.set_image(digit)
        view.refresh_now()
    qtbot.waitUntil(lambda: not view.work.is_busy, timeout=20000)
    x = panel.session.current_model().transform.apply_unit(digits[-1][None], network.input_shape)
    np.testing.assert_allclose(shown[-1].network_input, x[0])
    assert 1 <= len(shown) <= 2  # the first (already running) and the newest, never the middle
    if len(shown) == 2:
        x0 = panel.session.current_model().transform.apply_unit(digits[0][None], network.input_shape)
        np.testing.assert_allclose(shown[0].network_input, x0[0])


def test_a_model_that_cannot_read_digits_is_named_in_one_line(qtbot, panel, constant_model):
    panel.session._adopt(constant_model(pipeline="some-other-pipeline"), path=None, dirty=False)
    panel.context.set_image(_digit())
    for name in ONE_DIGIT_VIEWS:
        view = _view(panel, name)
        panel.views.setCurrentWidget(view)
        view.refresh_now()
        assert view.hint.text().startswith("This model cannot be shown here:")
        assert "\n" not in view.hint.text() and not view.body.isEnabled()
