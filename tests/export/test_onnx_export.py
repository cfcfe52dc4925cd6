"""The ONNX export gives DigitLab's probabilities in onnxruntime, for every layer type."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from digitlab.core.calibration import Calibration
from digitlab.core.inputs import InputTransform
from digitlab.core.network import Network
from digitlab.core.registry import LAYERS
from digitlab.core.serialization import SavedModel
from digitlab.export import ExportError, export_model
from digitlab.export.onnx_export import CONVERTERS, OPSET, build_onnx

onnxruntime = pytest.importorskip("onnxruntime")


def run_onnx(proto, images: np.ndarray) -> np.ndarray:
    session = onnxruntime.InferenceSession(proto.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    return session.run(None, {"images": images})[0]


def test_every_registered_layer_type_has_a_converter():
    """A layer type added to DigitLab without an ONNX form fails here, not in a user's export."""
    assert set(LAYERS) <= set(CONVERTERS), sorted(set(LAYERS) - set(CONVERTERS))


@pytest.mark.mnist
@pytest.mark.slow
def test_preset_architectures_match_digitlab_on_1000_digits(preset_name, mnist_digits, preset_model,
                                                           reference):
    """onnxruntime on 1,000 MNIST test digits: max |difference| <= 1e-5, the same digit always."""
    images, transform = mnist_digits
    model = preset_model(preset_name, transform)
    got = run_onnx(build_onnx(model), images)
    expected = reference(model, images)
    assert got.shape == expected.shape == (1000, 10)
    assert np.abs(got - expected).max() <= 1e-5
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))


@pytest.mark.mnist
def test_batch_norm_dropout_average_pooling_and_every_activation_match(mnist_digits, every_layer_model,
                                                                        reference):
    """The network with every layer type (inference batch norm with non-trivial running
    statistics, dropout, average and overlapping max pooling, strided asymmetric 'same'
    padding, PReLU per channel) matches DigitLab on 1,000 digits."""
    images, transform = mnist_digits
    model = every_layer_model(transform)
    got = run_onnx(build_onnx(model), images)
    expected = reference(model, images)
    assert np.abs(got - expected).max() <= 1e-5
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    assert len(set(expected.argmax(axis=1))) > 1  # the comparison is not of a constant answer


def test_graph_takes_uint8_digits_and_declares_opset_17():
    """The input is uint8 (N, 28, 28) with the batch size free; opset >= 17."""
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10}]})
    proto = build_onnx(SavedModel(network, InputTransform(mean=0.13, std=0.3)))
    assert OPSET >= 17 and proto.opset_import[0].version == OPSET
    (images,) = proto.graph.input
    dims = images.type.tensor_type.shape.dim
    assert images.type.tensor_type.elem_type == 2  # TensorProto.UINT8
    assert [d.dim_param or d.dim_value for d in dims] == ["N", 28, 28]
    batch = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    assert run_onnx(proto, batch).shape == (3, 10)


def test_without_a_temperature_the_graph_has_none():
    """A model record without a temperature gives a graph without a temperature node."""
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10},
                                                                     {"type": "softmax"}]})
    proto = build_onnx(SavedModel(network))
    assert "temperature" not in {t.name for t in proto.graph.initializer}
    assert [n.op_type for n in proto.graph.node][-1] == "Softmax"
    assert "Div" not in {n.op_type for n in proto.graph.node}


def test_a_temperature_on_the_record_divides_the_scores_before_the_softmax():
    """The hook: a record with ``temperature`` T gives softmax(scores / T), as calibration means."""
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10},
                                                                     {"type": "softmax"}]},
                                  rng=np.random.default_rng(1))
    model = SavedModel(network)
    model.calibration = Calibration(2.5, 0.05, 0.01, "test", 100)
    images = np.random.default_rng(2).integers(0, 256, (20, 28, 28), dtype=np.uint8)
    scores = network.forward(model.transform.apply(images, network.input_shape))
    shifted = scores / 2.5 - (scores / 2.5).max(axis=1, keepdims=True)
    expected = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    got = run_onnx(build_onnx(model), images)
    assert np.abs(got - expected).max() <= 1e-6
    assert np.abs(got - network.predict_proba(model.transform.apply(images, (784,)))).max() > 1e-3


def test_mse_network_without_softmax_exports_its_raw_outputs():
    """A squared-error network that ends without softmax gives DigitLab's raw outputs."""
    network = Network.from_config({"input_shape": [784], "loss": "mean_squared_error",
                                   "layers": [{"type": "dense", "units": 10}, {"type": "sigmoid"}]},
                                  rng=np.random.default_rng(1))
    model = SavedModel(network)
    images = np.random.default_rng(2).integers(0, 256, (20, 28, 28), dtype=np.uint8)
    got = run_onnx(build_onnx(model), images)
    np.testing.assert_allclose(got, network.predict_proba(model.transform.apply(images, (784,))),
                               atol=1e-6)
    assert "Softmax" not in {n.op_type for n in build_onnx(model).graph.node}


def test_an_unknown_layer_type_is_a_one_line_error(monkeypatch):
    """A layer the exporter does not know is refused by name and position."""
    network = Network.from_config({"input_shape": [784], "layers": [
        {"type": "dense", "units": 10}, {"type": "tanh"}, {"type": "softmax"}]})
    monkeypatch.delitem(CONVERTERS, "tanh")
    with pytest.raises(ExportError, match=r"cannot export layer 1 \(tanh\)") as caught:
        build_onnx(SavedModel(network))
    assert "\n" not in str(caught.value)


def test_without_the_onnx_package_the_error_says_what_to_install(monkeypatch, tmp_path):
    """No onnx installed: one line naming `pip install digitlab[onnx]`, nothing written."""
    monkeypatch.setitem(sys.modules, "onnx", None)  # makes `import onnx` raise ImportError
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10}]})
    with pytest.raises(ExportError, match=r"pip install digitlab\[onnx\]"):
        export_model(SavedModel(network), "onnx", tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


def test_an_existing_file_is_replaced_only_when_asked(tmp_path):
    """Without overwrite an existing file is kept as it was; with it, replaced by a valid graph."""
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10}]})
    target = tmp_path / "m.onnx"
    target.write_bytes(b"mine")
    with pytest.raises(ExportError, match="exists"):
        export_model(SavedModel(network), "onnx", target)
    assert target.read_bytes() == b"mine"
    export_model(SavedModel(network), "onnx", target, overwrite=True)
    import onnx

    onnx.checker.check_model(onnx.load(str(target)))


def test_the_core_and_the_export_package_do_not_import_onnx():
    """`import onnx` happens only when an ONNX export runs (the core stays NumPy-only)."""
    code = ("import sys, digitlab.core.serialization, digitlab.export, digitlab.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('onnx', 'onnxruntime')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
