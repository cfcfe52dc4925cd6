"""The Robustness view: damage sliders with previews, curves on the job helper, the reject curve."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from digitlab.core.robustness import DAMAGES, damage_images

KINDS = ["shipped", "mlp", "cnn"]
#: the event loop must answer within this while curves compute (the issue's figure)
RESPONSE_MS = 50


@pytest.fixture
def make_panel(show_inside_view):
    """``make_panel(kind, data=True)``: a shown Robustness view on one model kind."""
    return lambda kind, data=True: show_inside_view("Robustness", kind, data, size=(1100, 700))


def _compute(qtbot, panel) -> None:
    panel.compute_button.click()
    qtbot.waitUntil(lambda: panel.reject is not None and not panel.runner.busy, timeout=120000)


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_curves_are_computed_for_every_damage_and_the_reject_curve(qtbot, make_panel, inside_data, kind):
    """After Compute: one accuracy per level for each damage (level 0 = undamaged accuracy),
    a reject curve over the subset, and the threshold label quoting it."""
    session, _, panel = make_panel(kind)
    _compute(qtbot, panel)
    assert panel.objectName() == "robustnessPanel"
    assert set(panel.curves) == set(DAMAGES)
    model = session.model
    x = model.transform.apply(inside_data.test_images, model.network.input_shape)
    undamaged = np.mean(model.network.predict(x) == inside_data.test_labels)
    for name, damage in DAMAGES.items():
        assert panel.curves[name].shape == damage.levels.shape
        zero = int(np.flatnonzero(damage.levels == 0)[0])
        assert panel.curves[name][zero] == pytest.approx(undamaged)
    assert panel.reject.accuracy[-1] == pytest.approx(undamaged)
    assert panel.progress.value() == 1000
    panel.threshold_slider.setValue(0)
    assert "keeps 100.0% of the digits" in panel.reject_label.text()


def test_a_slider_damages_the_preview_and_moves_its_marker(qtbot, make_panel, inside_data):
    """Moving the rotation slider shows the current digit rotated by that level and puts the
    curve's marker there."""
    _, context, panel = make_panel("mlp")
    image = inside_data.test_images[3].astype(np.float32) / 255
    context.set_image(image)
    slider = panel.sliders["rotation"]
    slider.setValue(slider.maximum())
    assert panel.level("rotation") == DAMAGES["rotation"].maximum
    shown = panel.previews["rotation"].image
    np.testing.assert_allclose(shown, damage_images(image[None], "rotation", 90.0)[0])
    assert panel.markers["rotation"].value() == 90.0
    stroke = panel.sliders["stroke"]
    assert panel.level("stroke") == 0.0  # the stroke slider starts at "unchanged"
    stroke.setValue(0)
    assert panel.level("stroke") == DAMAGES["stroke"].minimum


@pytest.mark.slow
def test_the_gui_thread_answers_within_50_ms_while_curves_compute(qtbot, make_panel):
    """A 10 ms QTimer probe keeps ticking while the CNN's curves compute: 95% of the gaps
    between ticks are under 50 ms (the computation runs on the job helper, not the GUI thread)."""
    _, _, panel = make_panel("cnn")
    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(lambda: ticks.append(time.monotonic()))
    probe.start()
    for _ in range(20):  # on a quiet machine one computation is over in ~0.15 s: probe several
        _compute(qtbot, panel)
        if len(ticks) > 40:
            break
    probe.stop()
    gaps = np.diff(ticks) * 1000
    assert len(gaps) > 20, "the computation was too short to probe"
    assert np.percentile(gaps, 95) < RESPONSE_MS, \
        f"gaps (ms): median {np.median(gaps):.0f}, max {gaps.max():.0f}"


def test_stop_cancels_the_computation(qtbot, make_panel):
    """Stop ends a running computation without results; Compute is offered again."""
    _, _, panel = make_panel("cnn")
    panel.compute_button.click()
    assert panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: not panel.runner.busy, timeout=30000)
    assert panel.reject is None and panel.curves == {}
    assert panel.compute_button.isEnabled()


def test_without_data_compute_says_what_is_missing(qtbot, make_panel):
    """No test data: one line names what is needed, nothing starts."""
    _, _, panel = make_panel("mlp", data=False)
    panel.compute_button.click()
    assert "MNIST" in panel.status_label.text()
    assert not panel.runner.busy


@pytest.mark.slow
def test_a_new_model_clears_old_curves(qtbot, make_panel, inside_models):
    """Curves of the previous model are not shown for a new one."""
    session, _, panel = make_panel("mlp")
    _compute(qtbot, panel)
    session.model = inside_models["cnn"]
    session.model_changed.emit()
    assert panel.curves == {} and panel.reject is None
    assert "compute the curves" in panel.reject_label.text()
