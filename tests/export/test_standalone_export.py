"""The NumPy-only export: predict.py + weights.npz give DigitLab's probabilities without DigitLab."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digitlab.core.calibration import Calibration
from digitlab.core.inputs import InputTransform
from digitlab.core.network import Network
from digitlab.core.registry import LAYERS
from digitlab.core.serialization import SavedModel
from digitlab.export import ExportError, export_model
from digitlab.export import standalone_predict as standalone


def exported_probabilities(model: SavedModel, images: np.ndarray, tmp_path: Path,
                           run_standalone) -> np.ndarray:
    folder = export_model(model, "numpy", tmp_path / "standalone")
    np.save(tmp_path / "digits.npy", images)
    lines, report = run_standalone(folder, str(tmp_path / "digits.npy"), "--save",
                                   str(tmp_path / "probabilities.npy"))
    assert report == {"code": 0, "foreign": []}
    assert len(lines) == len(images)
    return np.load(tmp_path / "probabilities.npy")


def test_every_registered_layer_type_has_a_numpy_forward():
    """A layer type added to DigitLab without a standalone form fails here."""
    assert set(LAYERS) <= set(standalone.LAYERS), sorted(set(LAYERS) - set(standalone.LAYERS))


@pytest.mark.mnist
@pytest.mark.slow
def test_preset_architectures_match_digitlab_on_1000_digits(preset_name, mnist_digits, preset_model,
                                                           reference, tmp_path, run_standalone):
    """predict.py in a NumPy-only interpreter on 1,000 MNIST test digits: max |difference|
    <= 1e-5 and the same digit everywhere, importing nothing of DigitLab."""
    images, transform = mnist_digits
    model = preset_model(preset_name, transform)
    got = exported_probabilities(model, images, tmp_path, run_standalone)
    expected = reference(model, images)
    assert np.abs(got - expected).max() <= 1e-5
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))


@pytest.mark.mnist
@pytest.mark.slow
def test_batch_norm_dropout_average_pooling_and_every_activation_match(mnist_digits, every_layer_model,
                                                                        reference, tmp_path,
                                                                        run_standalone):
    """The network with every layer type matches DigitLab on 1,000 digits."""
    images, transform = mnist_digits
    model = every_layer_model(transform)
    got = exported_probabilities(model, images, tmp_path, run_standalone)
    expected = reference(model, images)
    assert np.abs(got - expected).max() <= 1e-5
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))


def test_a_temperature_on_the_record_is_written_and_applied(tmp_path):
    """The hook: a record's temperature T makes predict.py give softmax(scores / T)."""
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10},
                                                                     {"type": "softmax"}]},
                                  rng=np.random.default_rng(1))
    model = SavedModel(network)
    model.calibration = Calibration(2.5, 0.05, 0.01, "test", 100)
    images = np.random.default_rng(2).integers(0, 256, (20, 28, 28), dtype=np.uint8)
    scores = network.forward(model.transform.apply(images, network.input_shape)) / 2.5
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    folder = export_model(model, "numpy", tmp_path / "out")
    got = standalone.predict_proba(standalone.load(folder / "weights.npz"), images)
    assert np.abs(got - expected).max() <= 1e-6


@pytest.mark.parametrize("colour, channels", [(0, 1), (2, 3), (4, 2), (6, 4)])
def test_png_reader_undoes_every_row_filter(tmp_path, colour, channels, write_png):
    """The standard-library PNG reader decodes grey, RGB, grey+alpha and RGBA with all five
    filters; opaque pixels give their grey level, transparent ones white paper."""
    rng = np.random.default_rng(colour)
    grey = rng.integers(0, 256, (11, 9), dtype=np.uint8)
    planes = [grey] * (3 if channels >= 3 else 1)
    if channels in (2, 4):
        alpha = np.where(rng.random(grey.shape) < 0.3, 0, 255).astype(np.uint8)
        planes.append(alpha)
    write_png(tmp_path / "x.png", np.stack(planes, axis=-1) if channels > 1 else grey, colour)
    got = standalone.read_png(tmp_path / "x.png")
    expected = np.where(alpha == 0, 255, grey) if channels in (2, 4) else grey
    np.testing.assert_array_equal(got, expected)


def test_a_png_of_any_size_reads_as_digitlab_predict_reads_it(tmp_path, every_layer_model,
                                                              write_png, run_standalone):
    """A big dark-on-light PNG goes through the copied image pipeline: the probabilities equal
    DigitLab's predict_image on the same pixels; a blank PNG names no digit."""
    from digitlab.core.predict import predict_image

    model = every_layer_model()
    rng = np.random.default_rng(5)
    paper = np.full((90, 70), 250, dtype=np.uint8)
    paper[20:70, 30:36] = 10   # a "1"
    paper[20:26, 22:36] = 40
    paper += rng.integers(0, 5, paper.shape, dtype=np.uint8)
    write_png(tmp_path / "one.png", paper, 0)
    write_png(tmp_path / "blank.png", np.full((30, 30), 255, dtype=np.uint8), 0)
    folder = export_model(model, "numpy", tmp_path / "out")
    lines, report = run_standalone(folder, str(tmp_path / "one.png"), str(tmp_path / "blank.png"),
                                   "--save", str(tmp_path / "p.npy"))
    assert report == {"code": 0, "foreign": []}
    got = np.load(tmp_path / "p.npy")
    expected = predict_image(model, paper)
    assert np.abs(got[0] - expected.probabilities).max() <= 1e-5
    assert lines[0].split()[1] == str(expected.digit)
    assert lines[1].endswith("? 0.00") and not got[1].any()


def test_a_folder_with_other_files_is_never_written_into(tmp_path):
    """An existing folder is used only if empty, or (when asked) if it holds an earlier export."""
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10}]})
    model = SavedModel(network)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    for overwrite in (False, True):
        with pytest.raises(ExportError):
            export_model(model, "numpy", mine, overwrite=overwrite)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    first = export_model(model, "numpy", tmp_path / "out")
    with pytest.raises(ExportError, match="not empty"):
        export_model(model, "numpy", first)
    export_model(model, "numpy", first, overwrite=True)
    assert sorted(p.name for p in first.iterdir()) == ["mnist_style.py", "predict.py", "weights.npz"]


def test_an_unknown_layer_type_is_a_one_line_error(monkeypatch, tmp_path):
    """A layer the standalone forward pass lacks is refused by name; no folder is made."""
    network = Network.from_config({"input_shape": [784], "layers": [
        {"type": "dense", "units": 10}, {"type": "sigmoid"}]})
    monkeypatch.delitem(standalone.LAYERS, "sigmoid")
    with pytest.raises(ExportError, match=r"cannot export layer 1 \(sigmoid\)"):
        export_model(SavedModel(network, InputTransform()), "numpy", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bad_input_is_one_line_and_exit_1(tmp_path):
    """A wrongly shaped .npy or a file that is not a PNG: one line on stderr, exit 1."""
    network = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10}]})
    folder = export_model(SavedModel(network), "numpy", tmp_path / "out")
    np.save(tmp_path / "wrong.npy", np.zeros((3, 20, 20), np.uint8))
    (tmp_path / "fake.png").write_text("not a picture")
    for bad in ("wrong.npy", "fake.png"):
        done = subprocess.run([sys.executable, str(folder / "predict.py"), str(tmp_path / bad)],
                              capture_output=True, text=True)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("predict.py: error:")
