"""`digitlab export MODEL --format onnx|numpy OUT`: writes the files, refuses in one line."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.cli import main
from digitlab.core.layers import Layer
from digitlab.core.network import Network
from digitlab.core.registry import LAYERS
from digitlab.core.serialization import SavedModel, save_model


@pytest.fixture
def model_file(tmp_path):
    """A small untrained convolutional model saved to disk."""
    network = Network.from_config({"input_shape": [1, 28, 28], "layers": [
        {"type": "conv2d", "filters": 2, "kernel_size": 3}, {"type": "relu"},
        {"type": "max_pool2d"}, {"type": "flatten"}, {"type": "dense", "units": 10},
        {"type": "softmax"}]})
    return save_model(tmp_path / "model.npz", SavedModel(network))


def test_exports_onnx_that_onnxruntime_runs(model_file, tmp_path, capsys):
    """The .onnx file is written, reported with its size, and runs on a uint8 batch."""
    ort = pytest.importorskip("onnxruntime")
    out = tmp_path / "model.onnx"
    assert main(["export", str(model_file), "--format", "onnx", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    probabilities = session.run(None, {"images": np.zeros((2, 28, 28), np.uint8)})[0]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-6)


def test_exports_the_numpy_folder(model_file, tmp_path):
    """--format numpy writes predict.py, mnist_style.py and weights.npz into OUT."""
    out = tmp_path / "standalone"
    assert main(["export", str(model_file), str(out), "--format", "numpy"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["mnist_style.py", "predict.py", "weights.npz"]


def test_an_existing_output_is_kept_without_force(model_file, tmp_path, capsys):
    """An existing file is not replaced (exit 1, one line) unless --force is given."""
    out = tmp_path / "model.onnx"
    out.write_bytes(b"mine")
    assert main(["export", str(model_file), "--format", "onnx", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert out.read_bytes() == b"mine"
    assert main(["export", str(model_file), "--format", "onnx", str(out), "--force"]) == 0
    assert out.read_bytes() != b"mine"


class Doubler(Layer):
    """A layer only this test knows (registered while the test runs, see the fixture)."""

    def forward(self, x, training=False):
        return 2 * x


Doubler.type_name = "test_doubler"  # set after the class: defining it registers nothing


@pytest.mark.parametrize("fmt", ["onnx", "numpy"])
def test_an_unknown_layer_type_is_one_line_and_exit_1(fmt, tmp_path, capsys, monkeypatch):
    """A model with a layer type the exporters do not know: exit 1, one line naming the layer,
    nothing written."""
    LAYERS.names()  # discover the real layers first, then add the test's own for this test only
    monkeypatch.setitem(LAYERS._entries, Doubler.type_name, Doubler)
    network = Network.from_config({"input_shape": [784], "layers": [
        {"type": "dense", "units": 10}, {"type": Doubler.type_name}, {"type": "softmax"}]})
    model_file = save_model(tmp_path / "odd.npz", SavedModel(network))
    out = tmp_path / "out.onnx"
    assert main(["export", str(model_file), "--format", fmt, str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot export layer 1 (test_doubler)" in err
    assert not out.exists()


def test_a_missing_model_is_a_bad_file(tmp_path, capsys):
    """A model file that does not exist: exit 1 (a bad file, as for info and predict), one line."""
    assert main(["export", str(tmp_path / "none.npz"), "--format", "numpy", str(tmp_path / "o")]) == 1
    assert capsys.readouterr().err.count("\n") == 1
