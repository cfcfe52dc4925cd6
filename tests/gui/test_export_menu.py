"""File ▸ Export…: the current model as an ONNX file or a NumPy-only folder, errors in a box."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from digitlab.core.predict import model_probabilities
from digitlab.gui.app import create_main_window
from digitlab.gui.export_dialog import export_filters


@pytest.fixture
def window(qtbot, monkeypatch):
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)  # no data needed: the model is enough
    w = create_main_window()
    qtbot.addWidget(w)
    w.show()
    return w


def choose(monkeypatch, path, fmt: str) -> None:
    """The save dialog answers ``path`` with the filter of format ``fmt``."""
    chosen = next(text for text, value in export_filters().items() if value == fmt)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), chosen))


def test_export_action_writes_onnx_with_the_models_probabilities(window, tmp_path, monkeypatch, qtbot):
    """The File menu's Export… writes NAME.onnx, which gives the window's model's probabilities."""
    ort = pytest.importorskip("onnxruntime")
    assert window.export_action in window.menuBar().actions()[0].menu().actions()
    choose(monkeypatch, tmp_path / "digits", "onnx")
    window.export_action.trigger()
    written = tmp_path / "digits.onnx"
    qtbot.waitUntil(lambda: f"Exported to {written}" in window.statusBar().currentMessage(), timeout=20000)
    images = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    got = ort.InferenceSession(str(written), providers=["CPUExecutionProvider"]).run(
        None, {"images": images})[0]
    model = window.session.model
    # the probabilities the app shows: calibrated with the model's temperature, if it has one
    expected = model_probabilities(model, model.transform.apply(images, model.network.input_shape))
    assert np.abs(got - expected).max() <= 1e-5


def test_export_action_writes_the_numpy_folder(window, tmp_path, monkeypatch, qtbot):
    """Choosing the NumPy filter makes the chosen name a folder with predict.py and weights."""
    choose(monkeypatch, tmp_path / "standalone", "numpy")
    window.export_action.trigger()
    qtbot.waitUntil(lambda: "Exported to" in window.statusBar().currentMessage(), timeout=20000)
    assert sorted(p.name for p in (tmp_path / "standalone").iterdir()) == [
        "mnist_style.py", "predict.py", "weights.npz"]


def test_a_folder_with_other_files_shows_an_error_and_is_left_alone(window, tmp_path, monkeypatch, qtbot):
    """Exporting into a folder of the user's own files opens the error box; nothing is written."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    choose(monkeypatch, mine, "numpy")
    window.export_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorMessage") is not None, timeout=20000)
    box = window.findChild(QMessageBox, "errorMessage")
    assert "holds other files" in box.text()
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    box.close()  # window-modal: left open it would be the next test's active modal widget
