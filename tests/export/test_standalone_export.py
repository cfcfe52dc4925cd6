"""The NumPy-only export: predict.py + weights.npz give DigitLab's probabilities without DigitLab."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
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

# Runs predict.py as `python predict.py ARGS` would, then reports every imported module that is
# not NumPy's or the standard library's own business: DigitLab, Qt, onnx.
RUN_AND_LIST_IMPORTS = """
import json, runpy, sys
folder, args = sys.argv[1], sys.argv[2:]
sys.path.insert(0, folder)
sys.argv = [folder + "/predict.py", *args]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
    code = 0
except SystemExit as stop:
    code = stop.code
foreign = sorted(m for m in sys.modules
                 if m.split(".")[0] in ("digitlab", "PySide6", "shiboken6", "pyqtgraph", "onnx"))
print(json.dumps({"code": code, "foreign": foreign}))
"""


def run_standalone(folder: Path, *args: str) -> tuple[list[str], dict]:
    """Run the exported predict.py in a fresh interpreter (no PYTHON* variables, no user site):
    its output lines, and the exit code with the foreign modules it imported."""
    completed = subprocess.run([sys.executable, "-E", "-s", "-c", RUN_AND_LIST_IMPORTS, str(folder),
                                *args], capture_output=True, text=True, cwd=folder.parent)
    assert completed.returncode == 0, completed.stderr
    *lines, report = completed.stdout.strip().splitlines()
    return lines, json.loads(report)


def exported_probabilities(model: SavedModel, images: np.ndarray, tmp_path: Path) -> np.ndarray:
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
                                                           reference, tmp_path):
    """predict.py in a NumPy-only interpreter on 1,000 MNIST test digits: max |difference|
    <= 1e-5 and the same digit everywhere, importing nothing of DigitLab."""
    images, transform = mnist_digits
    model = preset_model(preset_name, transform)
    got = exported_probabilities(model, images, tmp_path)
    expected = reference(model, images)
    assert np.abs(got - expected).max() <= 1e-5
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))


@pytest.mark.mnist
@pytest.mark.slow
def test_batch_norm_dropout_average_pooling_and_every_activation_match(mnist_digits, every_layer_model,
                                                                        reference, tmp_path):
    """The network with every layer type matches DigitLab on 1,000 digits."""
    images, transform = mnist_digits
    model = every_layer_model(transform)
    got = exported_probabilities(model, images, tmp_path)
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


def _png(path: Path, pixels: np.ndarray, colour: int) -> None:
    """Write an 8-bit PNG using every row filter in turn (None, Sub, Up, Average, Paeth)."""
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    data = pixels.reshape(height, width * channels).astype(np.int32)
    raw = bytearray()
    for y in range(height):
        kind, line = y % 5, data[y]
        up = data[y - 1] if y else np.zeros_like(line)
        left = np.concatenate([np.zeros(channels, np.int32), line[:-channels]])
        up_left = np.concatenate([np.zeros(channels, np.int32), up[:-channels]])
        if kind == 4:
            pa, pb, pc = np.abs(up - up_left), np.abs(left - up_left), np.abs(left + up - 2 * up_left)
            predictor = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, up_left))
        else:
            predictor = [0 * line, left, up, (left + up) // 2][kind]
        raw += bytes([kind]) + ((line - predictor) & 255).astype(np.uint8).tobytes()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b""))


@pytest.mark.parametrize("colour, channels", [(0, 1), (2, 3), (4, 2), (6, 4)])
def test_png_reader_undoes_every_row_filter(tmp_path, colour, channels):
    """The standard-library PNG reader decodes grey, RGB, grey+alpha and RGBA with all five
    filters; opaque pixels give their grey level, transparent ones white paper."""
    rng = np.random.default_rng(colour)
    grey = rng.integers(0, 256, (11, 9), dtype=np.uint8)
    planes = [grey] * (3 if channels >= 3 else 1)
    if channels in (2, 4):
        alpha = np.where(rng.random(grey.shape) < 0.3, 0, 255).astype(np.uint8)
        planes.append(alpha)
    _png(tmp_path / "x.png", np.stack(planes, axis=-1) if channels > 1 else grey, colour)
    got = standalone.read_png(tmp_path / "x.png")
    expected = np.where(alpha == 0, 255, grey) if channels in (2, 4) else grey
    np.testing.assert_array_equal(got, expected)


def test_a_png_of_any_size_reads_as_digitlab_predict_reads_it(tmp_path, every_layer_model):
    """A big dark-on-light PNG goes through the copied image pipeline: the probabilities equal
    DigitLab's predict_image on the same pixels; a blank PNG names no digit."""
    from digitlab.core.predict import predict_image

    model = every_layer_model()
    rng = np.random.default_rng(5)
    paper = np.full((90, 70), 250, dtype=np.uint8)
    paper[20:70, 30:36] = 10   # a "1"
    paper[20:26, 22:36] = 40
    paper += rng.integers(0, 5, paper.shape, dtype=np.uint8)
    _png(tmp_path / "one.png", paper, 0)
    _png(tmp_path / "blank.png", np.full((30, 30), 255, dtype=np.uint8), 0)
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
