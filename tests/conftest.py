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


@pytest.fixture(autouse=True)
def run_store(tmp_path, monkeypatch) -> Path:
    """Every test records its training runs into its own history file (DIGITLAB_RUN_STORE),
    never the user's; the path is returned for tests that read it."""
    path = tmp_path / "history" / "runs.sqlite3"
    monkeypatch.setenv("DIGITLAB_RUN_STORE", str(path))
    return path


@pytest.fixture
def tiny_mnist_npz(tmp_path) -> Path:
    """A synthetic ``mnist.npz`` (600 training, 100 test images; a bright bar in a row given by
    the label), for command-line runs that must be quick and need no real MNIST."""
    import numpy as np

    rng = np.random.default_rng(0)

    def make(n: int):
        labels = (np.arange(n) % 10).astype(np.uint8)
        images = rng.integers(0, 40, (n, 28, 28), dtype=np.uint8)
        images[np.arange(n), 4 + 2 * labels.astype(np.int64), 4:24] = 255
        return images, labels

    (x_train, y_train), (x_test, y_test) = make(600), make(100)
    path = tmp_path / "tiny" / "mnist.npz"
    path.parent.mkdir()
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return path
