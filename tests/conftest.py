"""Fixtures and checks shared by the whole test suite.

Markers (registered in pyproject.toml and enforced with ``--strict-markers``):

``mnist``
    The test reads the real MNIST files. The only way to them is the ``mnist_dir`` fixture (or
    ``mnist_session_dir`` for a session-scoped fixture): ``DIGITLAB_MNIST_DIR`` is removed from
    every test's environment, ``DIGITLAB_HOME`` (with the MNIST cache) is a fresh folder, and a
    test that uses either fixture without the marker fails at set-up. So the marker cannot be
    forgotten, and ``-m "not mnist"`` never needs the data.
``slow``
    The test takes more than about 1.5 s on a quiet machine (``pytest --durations=0``). A test
    without the marker whose set-up and call take over ``SLOW_WARNING_SECONDS`` gets a warning, not
    a failure: the machine is shared and timings are noisy.

The fast subset is ``pytest -m "not slow and not mnist"``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from digitlab.assets import pretrained_model_path
from digitlab.core.data import MnistData

REPO_ROOT = Path(__file__).resolve().parents[1]
MNIST_ENV_VAR = "DIGITLAB_MNIST_DIR"
#: Read once, before any test can change the environment: tests reach MNIST through mnist_dir only.
MNIST_FROM_ENV = os.environ.get(MNIST_ENV_VAR, "").strip()
#: The fixtures that hand out the real MNIST folder; a test using one must carry @pytest.mark.mnist.
MNIST_FIXTURES = frozenset({"mnist_dir", "mnist_session_dir"})
#: An unmarked test slower than this (set-up plus call) gets a warning asking for @pytest.mark.slow.
SLOW_WARNING_SECONDS = 5.0
#: When the current test's set-up began (set in pytest_runtest_setup, read after its call).
_STARTED = pytest.StashKey[float]()


# -- MNIST -----------------------------------------------------------------------------------------
def _missing_mnist_marker(item: pytest.Item) -> str:
    return (f"{item.nodeid} uses the real MNIST files but is not marked @pytest.mark.mnist: "
            "add the marker so `pytest -m \"not mnist\"` leaves it out")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a test that asks for MNIST (directly or through another fixture) without the marker."""
    item.stash[_STARTED] = time.perf_counter()
    if MNIST_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("mnist") is None:
        pytest.fail(_missing_mnist_marker(item), pytrace=False)


@pytest.fixture(autouse=True)
def _no_mnist_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Code under test never finds MNIST by itself; tests that need it pass ``mnist_dir`` on.

    Neither ``DIGITLAB_MNIST_DIR`` nor the user's own MNIST cache is visible: ``DIGITLAB_HOME``
    points at a folder of the test's own (not created; nothing else in ``tmp_path`` changes).
    """
    monkeypatch.delenv(MNIST_ENV_VAR, raising=False)
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path / "digitlab-home"))


@pytest.fixture(scope="session")
def mnist_session_dir() -> Path:
    """The real MNIST folder, for session-scoped fixtures (tests use ``mnist_dir``).

    ``DIGITLAB_MNIST_DIR`` if set (a missing folder there is an error, not a skip: the run was
    told where the data is), else ``../shared/mnist`` next to the repository; the test is skipped
    when neither is given.
    """
    if MNIST_FROM_ENV:
        folder = Path(MNIST_FROM_ENV).expanduser()
        if not folder.is_dir():
            pytest.fail(f"{MNIST_ENV_VAR}={MNIST_FROM_ENV} is not a folder", pytrace=False)
        return folder
    folder = REPO_ROOT.parent / "shared" / "mnist"
    if not folder.is_dir():
        pytest.skip(f"MNIST not available: set {MNIST_ENV_VAR} or provide ../shared/mnist")
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


@pytest.fixture
def mnist_dir(request: pytest.FixtureRequest, mnist_session_dir: Path) -> Path:
    """The real MNIST folder (IDX files or mnist.npz); the test must be marked ``mnist``."""
    if request.node.get_closest_marker("mnist") is None:  # e.g. request.getfixturevalue("mnist_dir")
        pytest.fail(_missing_mnist_marker(request.node), pytrace=False)
    return mnist_session_dir


# -- slow tests ------------------------------------------------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Warn when a test without @pytest.mark.slow takes longer than SLOW_WARNING_SECONDS."""
    yield
    started = item.stash.get(_STARTED, None)
    if started is None or item.get_closest_marker("slow") is not None:
        return
    seconds = time.perf_counter() - started
    if seconds > SLOW_WARNING_SECONDS:
        item.warn(pytest.PytestWarning(
            f"{item.nodeid} took {seconds:.1f} s (set-up and call) but is not marked "
            "@pytest.mark.slow; mark it if it is slow on a quiet machine too"))


# -- shipped files ---------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pretrained_path() -> Path:
    """resources/pretrained.npz: shipped, so a missing file fails the tests that read it."""
    path = pretrained_model_path()
    assert path is not None, "resources/pretrained.npz must be shipped (the Draw panel and selftest need it)"
    return path


# -- synthetic data --------------------------------------------------------------------------------
def make_synthetic_mnist(n_train: int = 600, n_test: int = 200, seed: int = 0) -> MnistData:
    """Ten separable classes: faint noise and a bright bar at row 2 + 2 * label (28x28 uint8)."""
    rng = np.random.default_rng(seed)

    def make(n: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
        for i, label in enumerate(labels):
            images[i, 2 + 2 * label: 4 + 2 * label, 4:24] = 255
        return images, labels

    train_x, train_y = make(n_train)
    test_x, test_y = make(n_test)
    return MnistData(train_x, train_y, test_x, test_y, "synthetic")


@pytest.fixture(scope="session")
def synthetic_mnist() -> Callable[..., MnistData]:
    """``synthetic_mnist(n_train=600, n_test=200, seed=0)``: learnable fake digits, no files needed."""
    return make_synthetic_mnist


@pytest.fixture
def synthetic_mnist_folder(tmp_path) -> Path:
    """A folder holding the four MNIST IDX files (gzipped) of ``make_synthetic_mnist(300, 100)``:
    for tests that load or import data the way a user does."""
    import gzip
    import struct

    def idx_gz(array: np.ndarray) -> bytes:
        header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
        return gzip.compress(header + array.tobytes())

    data = make_synthetic_mnist(300, 100)
    folder = tmp_path / "synthetic-mnist"
    folder.mkdir()
    for name, array in (("train-images-idx3-ubyte.gz", data.train_images),
                        ("train-labels-idx1-ubyte.gz", data.train_labels),
                        ("t10k-images-idx3-ubyte.gz", data.test_images),
                        ("t10k-labels-idx1-ubyte.gz", data.test_labels)):
        (folder / name).write_bytes(idx_gz(array))
    return folder
