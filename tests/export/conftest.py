"""Fixtures for the export tests: 1,000 MNIST test digits, models to export, the exported
predict.py run in a NumPy-only interpreter, and PNG files written without DigitLab."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from digitlab.core.inputs import InputTransform
from digitlab.core.network import Network
from digitlab.core.presets import get_preset
from digitlab.core.serialization import SavedModel

#: every preset architecture (mlp-momentum, cnn-best and the tutorials' MLPs share these layers)
PRESET_ARCHITECTURES = ("mlp", "lenet", "cnn", "tutorial-cnn")

#: one network with every layer type, batch norm and PReLU on images and on flat features,
#: asymmetric "same" padding with stride 2, overlapping pools
EVERY_LAYER = {"input_shape": [1, 28, 28], "loss": "softmax_cross_entropy", "layers": [
    {"type": "conv2d", "filters": 6, "kernel_size": 3, "padding": "same"},
    {"type": "batch_norm"}, {"type": "leaky_relu", "slope": 0.1},
    {"type": "avg_pool2d", "pool_size": 2},                              # 28 -> 14
    {"type": "conv2d", "filters": 8, "kernel_size": 3, "stride": 2, "padding": "same"},  # -> 7
    {"type": "prelu"},
    {"type": "max_pool2d", "pool_size": 3, "stride": 2},                 # 7 -> 3, overlapping
    {"type": "conv2d", "filters": 8, "kernel_size": 2, "padding": 1},    # 3 -> 4
    {"type": "flatten"}, {"type": "dense", "units": 32}, {"type": "batch_norm"}, {"type": "relu"},
    {"type": "dense", "units": 16}, {"type": "tanh"}, {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 12}, {"type": "prelu"}, {"type": "sigmoid"}, {"type": "identity"},
    {"type": "dense", "units": 10, "init": "xavier"}, {"type": "softmax"}]}


@pytest.fixture(scope="session")
def mnist_digits(mnist_session_dir) -> tuple[np.ndarray, InputTransform]:
    """The first 1,000 MNIST test digits (uint8, (1000, 28, 28)) and a transform fitted on
    10,000 training images (so the mean and std are not 0 and 1)."""
    from digitlab.core.data import load_mnist

    mnist = load_mnist(mnist_session_dir)
    return np.array(mnist.test_images[:1000]), InputTransform.fitted(mnist.train_images[:10000])


@pytest.fixture(params=PRESET_ARCHITECTURES)
def preset_name(request) -> str:
    """Each preset architecture in turn."""
    return request.param


@pytest.fixture
def preset_model():
    """``make(name, transform)``: a freshly initialised network of a preset, as a model."""
    def make(name: str, transform: InputTransform) -> SavedModel:
        return SavedModel(get_preset(name).build_network(np.random.default_rng(7)), transform)
    return make


@pytest.fixture
def every_layer_model():
    """``make(transform)``: the EVERY_LAYER network with non-trivial batch-norm statistics and
    PReLU slopes (so a wrong axis or a skipped layer changes the output)."""
    def make(transform: InputTransform | None = None) -> SavedModel:
        rng = np.random.default_rng(11)
        network = Network.from_config(EVERY_LAYER, rng=np.random.default_rng(3))
        for name, value in {**network.named_parameters(), **network.named_buffers()}.items():
            kind = name.rsplit(".", 1)[1]
            if kind in ("gamma", "running_var"):
                value[...] = rng.uniform(0.5, 2.0, value.shape)
            elif kind in ("beta", "running_mean"):
                value[...] = rng.normal(0, 0.5, value.shape)
            elif kind == "b":
                value[...] = rng.normal(0, 0.1, value.shape)  # larger ones make every answer a 6
            elif kind == "alpha":
                value[...] = rng.uniform(-0.5, 0.5, value.shape)
        return SavedModel(network, transform or InputTransform())
    return make


def digitlab_probabilities(model: SavedModel, images: np.ndarray) -> np.ndarray:
    """DigitLab's own probabilities for uint8 MNIST-style digits: the reference."""
    network = model.network
    return network.predict_proba(model.transform.apply(images, network.input_shape))


@pytest.fixture
def reference():
    """``reference(model, images)``: DigitLab's probabilities, the oracle of every export test."""
    return digitlab_probabilities


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


def _run_standalone(folder: Path, *args: str) -> tuple[list[str], dict]:
    """Run the exported predict.py in a fresh interpreter (no PYTHON* variables, no user site):
    its output lines, and the exit code with the foreign modules it imported."""
    completed = subprocess.run([sys.executable, "-E", "-s", "-c", RUN_AND_LIST_IMPORTS, str(folder),
                                *args], capture_output=True, text=True, cwd=folder.parent)
    assert completed.returncode == 0, completed.stderr
    *lines, report = completed.stdout.strip().splitlines()
    return lines, json.loads(report)


@pytest.fixture
def run_standalone():
    """``run(folder, *args)``: run the exported ``folder/predict.py ARGS`` in a fresh interpreter;
    its output lines, and ``{"code", "foreign"}``: its exit code and the DigitLab, Qt or onnx
    modules it imported (there must be none)."""
    return _run_standalone


def _write_png(path: Path, pixels: np.ndarray, colour: int) -> None:
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


@pytest.fixture
def write_png():
    """``write(path, pixels, colour)``: an 8-bit PNG (colour type 0 grey, 2 RGB, 4 grey+alpha,
    6 RGBA) using every row filter in turn, written with the standard library."""
    return _write_png
