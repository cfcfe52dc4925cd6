"""The points map (Inside tab): maps for the shipped model, a small MLP and a small CNN, on the
worker thread, with a clear hint when no digits are loaded."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from digitlab.core.network import Network
from digitlab.core.serialization import SavedModel, load_model, save_model
from digitlab.gui.inside.context import InsideContext
from digitlab.gui.inside.points_map import PointsMapView
from digitlab.gui.inside.views import INSIDE_VIEWS
from digitlab.gui.session import Session

SMALL_MLP = {"input_shape": [784], "layers": [
    {"type": "dense", "units": 12}, {"type": "relu"}, {"type": "dense", "units": 10}, {"type": "softmax"}]}
SMALL_CNN = {"input_shape": [1, 28, 28], "layers": [
    {"type": "conv2d", "filters": 3, "kernel_size": 3}, {"type": "relu"},
    {"type": "max_pool2d", "pool_size": 2}, {"type": "flatten"},
    {"type": "dense", "units": 10}, {"type": "softmax"}]}


def trained(config: dict, data, steps: int = 30) -> SavedModel:
    """``config`` trained by plain SGD on the synthetic digits: enough to be mostly right."""
    from digitlab.core.inputs import InputTransform

    network = Network.from_config(config, np.float32, np.random.default_rng(0))
    transform = InputTransform()
    params = network.flat_parameters()
    for step in range(steps):
        rows = slice(50 * (step % 6), 50 * (step % 6) + 50)
        x = transform.apply(data.train_images[rows], network.input_shape, network.dtype)
        network.gradient(x, data.train_labels[rows].astype(np.int64))
        params -= 0.1 * network.flat_gradients()
    return SavedModel(network, transform)


@pytest.fixture
def session_with(tmp_path, synthetic_mnist_folder):
    """``session_with(model)``: a Session holding ``model`` (through a file, as a user opens one)
    and the synthetic test digits (100 of them)."""
    def make(model: SavedModel | None) -> Session:
        session = Session()
        if model is not None:
            path = save_model(tmp_path / "model.npz", model)
            session.load_model(path)
        session.load_data(synthetic_mnist_folder)
        return session
    return make


def make_view(qtbot, session: Session) -> PointsMapView:
    view = PointsMapView(session, InsideContext())
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def compute_and_wait(qtbot, view: PointsMapView) -> None:
    view.compute()
    qtbot.waitUntil(lambda: view.mapped is not None and not view.is_busy, timeout=60000)


def shown_points(view: PointsMapView) -> int:
    return sum(len(item.getData()[0]) for item in view.scatters)


def check_every_stage(qtbot, view: PointsMapView, layers: int) -> None:
    """Every stage maps all digits by PCA and t-SNE; the misclassified ones get a cross."""
    mapped = view.mapped
    assert len(mapped.stages) == layers + 1
    assert view.layer_slider.maximum() == layers
    for stage in range(layers + 1):
        view.layer_slider.setValue(stage)
        view.method_box.setCurrentIndex(view.method_box.findData("pca"))
        assert shown_points(view) == mapped.labels.size
    view.method_box.setCurrentIndex(view.method_box.findData("tsne"))
    qtbot.waitUntil(lambda: (layers, "tsne") in view.maps and not view.is_busy, timeout=60000)
    assert shown_points(view) == mapped.labels.size
    assert len(view.wrong.getData()[0]) == int(mapped.misclassified.sum())
    assert np.all(np.isfinite(view.maps[(layers, "tsne")]))


def test_points_map_is_an_inside_view_named_points_map(qtbot, session_with):
    """The Inside tab builds the view from INSIDE_VIEWS, with its stable objectName."""
    factories = dict(INSIDE_VIEWS)
    view = factories["Points map"](session_with(None), InsideContext())
    qtbot.addWidget(view)
    assert view.objectName() == "pointsMap"


def test_without_digits_a_hint_says_to_load_them(qtbot, tmp_path, constant_model):
    """No MNIST loaded: the hint names the Data tab and Compute is disabled; loading enables it."""
    session = Session()
    session.load_model(save_model(tmp_path / "m.npz", constant_model()))
    view = make_view(qtbot, session)
    assert view.notice.isVisible() and "Data tab" in view.notice.text()
    assert not view.compute_button.isEnabled()
    view.compute()  # refused quietly
    assert view.job is None


def test_map_of_a_small_mlp_separates_and_marks_mistakes(qtbot, session_with, synthetic_mnist):
    """A trained 784-12-10: every layer mapped by PCA and t-SNE, crosses on the wrong digits."""
    model = trained(SMALL_MLP, synthetic_mnist(300, 100))
    view = make_view(qtbot, session_with(model))
    assert not view.notice.isVisible()
    compute_and_wait(qtbot, view)
    check_every_stage(qtbot, view, len(SMALL_MLP["layers"]))
    assert "layer 4: softmax (10)" in view.layer_label.text()


def test_map_of_a_small_cnn(qtbot, session_with, synthetic_mnist):
    """A trained CNN: its conv feature maps (3x26x26 values each) map like any other layer."""
    model = trained(SMALL_CNN, synthetic_mnist(300, 100), steps=12)
    view = make_view(qtbot, session_with(model))
    compute_and_wait(qtbot, view)
    check_every_stage(qtbot, view, len(SMALL_CNN["layers"]))
    assert view.mapped.stages[1].shape == (3, 26, 26)


def test_map_of_the_shipped_model(qtbot, session_with, pretrained_path):
    """The shipped model's map: its predictions on the map are its real ones."""
    model = load_model(pretrained_path)
    view = make_view(qtbot, session_with(model))
    compute_and_wait(qtbot, view)
    mapped = view.mapped
    x = model.transform.apply(mapped.images, model.network.input_shape, model.network.dtype)
    assert np.array_equal(mapped.predictions, model.network.predict(x))
    check_every_stage(qtbot, view, len(model.network.layers))


def test_hover_shows_the_digit_and_the_prediction(qtbot, session_with, synthetic_mnist):
    """Pointing at a dot shows that digit's image, label and the model's answer."""
    view = make_view(qtbot, session_with(trained(SMALL_MLP, synthetic_mnist(300, 100))))
    compute_and_wait(qtbot, view)
    view.layer_slider.setValue(0)
    qtbot.wait(50)
    mapped, xy = view.mapped, view.maps[(0, "pca")]
    i = 7
    box = view.plot.getPlotItem().getViewBox()
    scene = box.mapViewToScene(pg_point(xy[i]))
    found = view.nearest_point(scene)
    assert found is not None and np.allclose(xy[found], xy[i], atol=1e-3 * np.ptp(xy))
    view._on_mouse_moved(scene)
    text = view.hover_text.text()
    assert f"label {mapped.labels[found]}" in text and f"model says {mapped.predictions[found]}" in text
    assert not view.hover_image.pixmap().isNull()
    assert np.allclose(np.column_stack(view.hovered.getData()), xy[found:found + 1])  # ringed
    view.pick(found)  # a click: the other Inside views now look at this digit
    assert np.array_equal(view.context.image, mapped.images[found] / np.float32(255))


def pg_point(xy):
    from PySide6.QtCore import QPointF
    return QPointF(float(xy[0]), float(xy[1]))


def test_a_new_model_clears_the_map(qtbot, session_with, synthetic_mnist, tmp_path):
    """Maps describe one model: loading another clears them rather than showing stale dots."""
    session = session_with(trained(SMALL_MLP, synthetic_mnist(300, 100)))
    view = make_view(qtbot, session)
    compute_and_wait(qtbot, view)
    assert shown_points(view) > 0
    session.load_model(save_model(tmp_path / "other.npz", trained(SMALL_MLP, synthetic_mnist(300, 100), 5)))
    assert view.mapped is None and shown_points(view) == 0 and view.compute_button.isEnabled()


@pytest.mark.mnist
@pytest.mark.slow
def test_event_loop_answers_while_the_map_computes(qtbot, tmp_path, mnist_dir, pretrained_path):
    """2,000 real digits through t-SNE on the worker: a 10 ms QTimer probe keeps ticking, nine
    gaps in ten under 50 ms (the GUI thread is never blocked by the computation)."""
    session = Session()
    session.load_model(pretrained_path)
    session.load_data(mnist_dir)
    view = make_view(qtbot, session)
    compute_and_wait(qtbot, view)
    assert view.mapped.labels.size == 2000
    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    probe.start()
    view.method_box.setCurrentIndex(view.method_box.findData("tsne"))
    qtbot.waitUntil(lambda: (0, "tsne") in view.maps, timeout=300000)
    probe.stop()
    gaps = np.diff(ticks)
    assert gaps.size > 20, "the probe hardly ran while t-SNE computed"
    assert np.percentile(gaps, 90) < 0.05, f"gaps: median {np.median(gaps):.3f} s, max {gaps.max():.3f} s"
    assert shown_points(view) == 2000


def test_explanation_and_tooltips_in_english_and_chinese(qtbot, session_with, chinese):
    """Built under the Chinese translator, the explanation, hint and tooltips are Chinese."""
    view = make_view(qtbot, session_with(None))
    assert "点图" in view.explanation.text() and "2,000" in view.explanation.text()
    assert "模型" in view.notice.text()
    for widget in (view.method_box, view.layer_slider, view.compute_button, view.plot):
        assert widget.toolTip() and not widget.toolTip().isascii(), widget.objectName()


def test_explanation_and_tooltips_in_english(qtbot, session_with):
    view = make_view(qtbot, session_with(None))
    assert view.explanation.text().startswith("<b>Points map.</b>")
    for widget in (view.method_box, view.layer_slider, view.compute_button, view.plot):
        assert widget.toolTip().isascii() and len(widget.toolTip()) > 20
