"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def _locate_mnist_dir() -> Path | None:
    """DIGITLAB_MNIST_DIR if set, else the shared copy next to the repository, if present."""
    from_env = os.environ.get("DIGITLAB_MNIST_DIR", "").strip()
    candidate = Path(from_env).expanduser() if from_env else REPO_ROOT.parent / "shared" / "mnist"
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The real MNIST folder (IDX files or mnist.npz); skips the test when there is none."""
    folder = _locate_mnist_dir()
    if folder is None:
        pytest.skip("MNIST not available: set DIGITLAB_MNIST_DIR or provide ../shared/mnist")
    return folder


def _synthetic_split(rng, n: int):
    """``n`` images with a bright bar in a row that depends on the label (easy to learn)."""
    import numpy as np

    labels = rng.integers(0, 10, n).astype(np.uint8)
    images = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
    for i, label in enumerate(labels):
        images[i, 2 + 2 * label: 4 + 2 * label, 4:24] = 255
    return images, labels


@pytest.fixture
def synthetic_mnist_folder(tmp_path) -> Path:
    """A folder holding the four MNIST IDX files (gzipped) of a small synthetic data set."""
    import gzip
    import struct

    import numpy as np

    def idx_gz(array) -> bytes:
        header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
        return gzip.compress(header + array.tobytes())

    rng = np.random.default_rng(0)
    train_x, train_y = _synthetic_split(rng, 300)
    test_x, test_y = _synthetic_split(rng, 100)
    folder = tmp_path / "synthetic-mnist"
    folder.mkdir()
    for name, array in (("train-images-idx3-ubyte.gz", train_x), ("train-labels-idx1-ubyte.gz", train_y),
                        ("t10k-images-idx3-ubyte.gz", test_x), ("t10k-labels-idx1-ubyte.gz", test_y)):
        (folder / name).write_bytes(idx_gz(array))
    return folder


@pytest.fixture
def constant_model():
    """A factory of small models that read every inked image as one digit, with no training.

    ``make(digit=3, pipeline=None)``: a 784-10 dense network with zero weights and a bias of 5
    on ``digit`` (so it is ~94% sure of it whatever it sees), and the default input transform,
    recording ``pipeline`` instead of the standard one when given.
    """
    from digitlab.core.inputs import InputTransform
    from digitlab.core.network import Network
    from digitlab.core.serialization import SavedModel

    def make(digit: int = 3, pipeline: str | None = None) -> SavedModel:
        network = Network.from_config({"input_shape": [784],
                                       "layers": [{"type": "dense", "units": 10},
                                                  {"type": "softmax"}]})
        params = network.named_parameters()
        params["layers.0.W"][...] = 0
        params["layers.0.b"][...] = 0
        params["layers.0.b"][digit] = 5
        transform = InputTransform() if pipeline is None else InputTransform(pipeline=pipeline)
        return SavedModel(network, transform)

    return make

@pytest.fixture(autouse=True)
def log_dir(tmp_path, monkeypatch) -> Iterator[Path]:
    """Every test logs into its own folder (DIGITLAB_LOG_DIR), never the user's log file; the
    file handler an entry point installed is removed afterwards."""
    from digitlab.logfile import stop_logging_to_file

    folder = tmp_path / "logs"
    monkeypatch.setenv("DIGITLAB_LOG_DIR", str(folder))
    yield folder
    stop_logging_to_file()
