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

import gzip
import io
import json
import os
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


# -- pen strokes replayed into the canvas -----------------------------------------------------------
@pytest.fixture
def pendigits_file() -> Path:
    """The pendigits pen trajectories ($DIGITLAB_HOLDOUT_DIR, else ../shared/holdout); the test
    is skipped when they are not there."""
    folder = os.environ.get("DIGITLAB_HOLDOUT_DIR")
    base = Path(folder) if folder else REPO_ROOT.parent / "shared" / "holdout"
    path = base / "pendigits_strokes.npz"
    if not path.is_file():
        pytest.skip(f"no pendigits holdout at {path} (set DIGITLAB_HOLDOUT_DIR)")
    return path


class PenReplay:
    """Draws polylines given in a 0-100 box (y down) into ``drawCanvas`` with real mouse events:
    press at a stroke's first point, moves with the left button held, release at its last."""

    #: the drawing's 0-100 box spans this fraction of the drawing square, centred
    DIGIT_FRACTION = 0.7
    #: distance between successive mouse-move events, in widget pixels (a real mouse: a few px)
    MOVE_STEP_PX = 4.0

    def pen_path(self, polyline: np.ndarray, left: float, top: float, side: float) -> list:
        """Widget points (QPointF) along the polyline, MOVE_STEP_PX apart."""
        from PySide6.QtCore import QPointF

        scale = side * self.DIGIT_FRACTION / 100.0
        origin = np.array([left, top]) + side * (1 - self.DIGIT_FRACTION) / 2
        corners = origin + np.asarray(polyline, dtype=np.float64) * scale  # aspect kept
        path = [corners[0]]
        for start, end in zip(corners[:-1], corners[1:], strict=True):
            steps = max(1, int(np.ceil(np.linalg.norm(end - start) / self.MOVE_STEP_PX)))
            path += [start + (end - start) * k / steps for k in range(1, steps + 1)]
        return [QPointF(x, y) for x, y in path]

    def stroke(self, canvas, points: list) -> None:
        """One pen-down stroke through widget points."""
        from PySide6.QtCore import QEvent, QPoint, Qt
        from PySide6.QtGui import QMouseEvent
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         points[0].toPoint())
        for point in points[1:]:
            # QTest.mouseMove sets no buttons; a real drag reports the held button.
            QApplication.sendEvent(canvas, QMouseEvent(
                QEvent.Type.MouseMove, point, canvas.mapToGlobal(point), Qt.MouseButton.NoButton,
                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(points[-1].toPoint()))

    def draw(self, canvas, strokes) -> None:
        """Every stroke (each a (P, 2) polyline in the 0-100 box), in order."""
        square = canvas.square()
        for polyline in strokes:
            self.stroke(canvas, self.pen_path(polyline, square.left(), square.top(), square.width()))


@pytest.fixture
def pen_replay() -> PenReplay:
    """Replays pen strokes into a canvas with mouse events (see :class:`PenReplay`)."""
    return PenReplay()


@pytest.fixture
def pretrained_draw_panel(qtbot, pretrained_path):
    """A shown Draw panel reading with the shipped model."""
    from digitlab.gui.panels.draw_panel import DrawPanel
    from digitlab.gui.session import Session

    session = Session()
    session.load_model(pretrained_path)
    panel = DrawPanel(session)
    qtbot.addWidget(panel)
    panel.resize(900, 560)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


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


def make_column_digits(n: int, seed: int = 3):
    """Someone's "handwriting" unlike the synthetic MNIST's horizontal bars: a vertical bar at
    column ``2 + 2 * label`` (a ``MyDigits`` of ``n`` digits)."""
    from digitlab.core.my_digits import MyDigits

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    images = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
    for i, label in enumerate(labels):
        images[i, 4:24, 2 + 2 * label: 4 + 2 * label] = 255
    return MyDigits(images, labels)


@pytest.fixture(scope="session")
def column_digits() -> Callable[..., object]:
    """``column_digits(n, seed=3)``: "my digits" the synthetic MNIST cannot read (vertical bars)."""
    return make_column_digits

# --- hostile inputs: runs measured in a subprocess ----------------------------------------

#: Peak memory allowed for any command on a hostile file (issue 12's contract).
PEAK_LIMIT_MIB = 600

# Runs COMMAND (JSON list) with a time cap and reports, as JSON on stdout, its exit code,
# output and peak resident memory. Only this wrapper's one child counts in RUSAGE_CHILDREN, so
# the figure is that command's own peak (address-space limits misfire with OpenBLAS and Qt).
_MEASURE = """
import json, resource, subprocess, sys
command, timeout = json.loads(sys.argv[1]), float(sys.argv[2])
try:
    done = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    code, out, err, timed_out = done.returncode, done.stdout, done.stderr, False
except subprocess.TimeoutExpired as exc:
    code, out, err, timed_out = None, exc.stdout or b"", exc.stderr or b"", True
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
json.dump({"returncode": code, "stdout": out.decode("utf-8", "replace"),
           "stderr": err.decode("utf-8", "replace"), "peak_mib": peak, "timed_out": timed_out},
          sys.stdout)
"""

@dataclass(frozen=True)
class MeasuredRun:
    """What a command did: exit code (None if killed at the time cap), output, peak memory."""

    returncode: int | None
    stdout: str
    stderr: str
    peak_mib: float
    timed_out: bool

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def assert_clean_error(self, code: int, limit_mib: float = PEAK_LIMIT_MIB) -> str:
        """The CLI contract for bad input: one stderr line, this exit code, bounded memory."""
        assert not self.timed_out, "the command hit its time cap"
        assert "Traceback" not in self.stderr, self.stderr
        assert self.returncode == code, (self.returncode, self.stderr)
        assert len(self.stderr_lines) == 1, self.stderr
        assert self.stderr_lines[0].startswith("digitlab: error: "), self.stderr
        assert self.peak_mib <= limit_mib, f"peak {self.peak_mib:.0f} MiB"
        return self.stderr_lines[0]


def measure_command(command: list[str], timeout: float = 120, env: dict[str, str] | None = None,
                    cwd: str | Path | None = None) -> MeasuredRun:
    """Run ``command`` in a subprocess with a time cap, measuring its peak memory.

    With ``DIGITLAB_PEAK_LOG=FILE`` set, each run also appends a JSON line to FILE (exit code,
    stderr lines, peak): the numbers reported in issue 12's note.
    """
    wrapper = [sys.executable, "-c", _MEASURE, json.dumps(command), str(timeout)]
    done = subprocess.run(wrapper, capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=timeout + 30, check=True)
    run = MeasuredRun(**json.loads(done.stdout))
    log = os.environ.get("DIGITLAB_PEAK_LOG")  # for the issue note: every case's numbers
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps({"command": command[1:], "returncode": run.returncode,
                                  "stderr_lines": len(run.stderr_lines), "peak_mib": run.peak_mib,
                                  "traceback": "Traceback" in run.stderr}) + "\n")
    return run


@pytest.fixture
def run_cli(tmp_path):
    """``run_cli(*args)``: the ``digitlab`` command in a measured subprocess, isolated home."""

    def run(*args: str, timeout: float = 120, env: dict[str, str] | None = None) -> MeasuredRun:
        full_env = {**os.environ, "DIGITLAB_HOME": str(tmp_path / "cli-home"),
                    "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        full_env.pop("DIGITLAB_MNIST_DIR", None)  # each case names its data explicitly
        return measure_command([sys.executable, "-m", "digitlab", *args], timeout, full_env)

    return run


def idx_bytes(array: np.ndarray) -> bytes:
    """An unsigned-byte IDX file holding ``array``."""
    header = bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_synthetic_mnist(folder: Path, n_train: int = 200, n_test: int = 50, gz: bool = False,
                          seed: int = 0) -> Path:
    """A valid MNIST-shaped IDX folder of random images (for runs that need no real digits)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for stem, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        for kind, array in (("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)):
            data = idx_bytes(array)
            name = f"{stem}-{kind}" + (".gz" if gz else "")
            (folder / name).write_bytes(gzip.compress(data, 1) if gz else data)
    return folder


def gzip_of_zeros(path: Path, header: bytes, zero_mib: int) -> Path:
    """A gzip file: ``header`` then ``zero_mib`` MiB of zeros, 1,000 times smaller (a bomb).

    Built as concatenated gzip members (which gzip readers join), so the 1 MiB member of
    zeros is compressed once and repeated: a 1 GiB bomb takes milliseconds to make.
    """
    zeros = gzip.compress(bytes(1 << 20), 9)
    with path.open("wb") as out:
        out.write(gzip.compress(header))
        for _ in range(zero_mib):
            out.write(zeros)
    return path


@pytest.fixture(scope="session")
def hostile_data(tmp_path_factory) -> dict[str, Path]:
    """Data folders holding one hostile file each (built once; each is a few MB at most).

    - ``idx_gz_bomb``: train images declare 60,000 28x28 images (47 MB) but the gzip stream
      expands to 1 GiB.
    - ``idx_huge_header``: a gzip whose header declares 4 billion images.
    - ``npz_bomb``: an ``mnist.npz`` whose ``x_train`` holds 256 MiB of zeros (1 MB zipped).
    """
    root = tmp_path_factory.mktemp("hostile")
    bomb = write_synthetic_mnist(root / "idx_gz_bomb", gz=True)
    gzip_of_zeros(bomb / "train-images-idx3-ubyte.gz",
                  bytes([0, 0, 8, 3]) + struct.pack(">3I", 60_000, 28, 28), 1024)
    huge = write_synthetic_mnist(root / "idx_huge_header", gz=True)
    (huge / "train-images-idx3-ubyte.gz").write_bytes(
        gzip.compress(bytes([0, 0, 8, 3]) + struct.pack(">3I", 2**32 - 1, 28, 28) + bytes(4096)))
    npz_dir = root / "npz_bomb"
    npz_dir.mkdir()
    _write_npz_bomb(npz_dir / "mnist.npz", (256 << 20) // 784)
    return {"idx_gz_bomb": bomb, "idx_huge_header": huge, "npz_bomb": npz_dir}


def _write_npz_bomb(path: Path, n_images: int) -> None:
    """An npz with valid labels and test arrays but ``x_train`` of ``n_images`` zero images."""
    header = io.BytesIO()
    np.lib.format.write_array_header_2_0(
        header, {"descr": "|u1", "fortran_order": False, "shape": (n_images, 28, 28)})
    small = {"y_train": np.zeros(n_images % 1000, np.uint8), "x_test": np.zeros((5, 28, 28), np.uint8),
             "y_test": np.zeros(5, np.uint8)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("x_train.npy", "w", force_zip64=True) as member:
            member.write(header.getvalue())
            chunk, left = bytes(1 << 24), n_images * 784
            while left:
                member.write(chunk[:min(left, len(chunk))])
                left -= min(left, len(chunk))
        for name, array in small.items():
            buffer = io.BytesIO()
            np.save(buffer, array)
            archive.writestr(f"{name}.npy", buffer.getvalue())


@pytest.fixture
def make_mnist():
    """``make_mnist(folder, n_train=200, n_test=50, gz=False)``: a random MNIST-shaped folder."""
    return write_synthetic_mnist


@pytest.fixture
def measure():
    """``measure(command, timeout=120, env=None)``: run a command, measuring its peak memory."""
    return measure_command


@pytest.fixture(scope="session")
def run_measured() -> Callable[..., MeasuredRun]:
    """``run_measured(argv, timeout=120, env=None)``: :func:`measure_command` with ``env``
    added to this process's environment."""
    def run(argv: list[str], timeout: float = 120.0, env: dict[str, str] | None = None) -> MeasuredRun:
        return measure_command(argv, timeout, {**os.environ, **(env or {})})

    return run


# -- hostile model files (issue 12) ----------------------------------------------------------------
@dataclass(frozen=True)
class HostileModel:
    path: Path
    fragment: str  # expected in the one-line refusal (lower case)
    loads: bool = False  # a valid file that only evaluate/predict must refuse


_BASE_LAYERS = [{"type": "dense", "units": 256, "init": "he", "init_scale": 0.01},
                {"type": "batch_norm", "momentum": 0.9, "eps": 1e-5}, {"type": "relu"},
                {"type": "dense", "units": 10, "init": "he", "init_scale": 0.01}, {"type": "softmax"}]


def _base_model(input_shape=(784,), layers=None) -> tuple[dict, dict]:
    """A valid model's config and arrays (784-256-10 with batch norm: 0.8 MB)."""
    from digitlab.core.config import NetworkSpec, TrainConfig
    from digitlab.core.network import Network
    from digitlab.core.serialization import SavedModel, model_config

    net = Network.from_config({"input_shape": list(input_shape), "layers": layers or _BASE_LAYERS})
    trained = TrainConfig(NetworkSpec.from_dict(net.get_config())).with_settings(lr=0.1)
    config = model_config(SavedModel(net, config=trained))
    config["history"] = [{"epoch": 1, "train_loss": 0.5, "train_accuracy": 0.9, "val_loss": None,
                          "val_accuracy": None, "test_loss": 0.4, "test_accuracy": 0.91,
                          "seconds": 1.0, "lr": 0.1, "samples_per_second": 1000.0}]
    return config, net.state_dict()


def _write_npz(path: Path, config: dict | str, arrays: dict) -> Path:
    text = config if isinstance(config, str) else json.dumps(config)
    with open(path, "wb") as stream:
        np.savez(stream, config=np.array(text), **arrays)
    return path


def _with_raw(config: dict, marker_path: tuple, raw: str) -> str:
    """``config`` as JSON text with the value at ``marker_path`` replaced by raw text."""
    config = json.loads(json.dumps(config))
    target = config
    for step in marker_path[:-1]:
        target = target[step]
    target[marker_path[-1]] = "__RAW__"
    return json.dumps(config).replace('"__RAW__"', raw)


def _write_huge_member(path: Path, config: dict, arrays: dict, name: str, header: dict,
                       chunk: bytes, size: int) -> Path:
    """A model with one more member of ``size`` bytes (``chunk`` repeated), deflated as it is
    streamed, so a 1 GiB member never exists in memory here."""
    _write_npz(path, config, arrays)
    header_text = repr(header)
    header_bytes = b"\x93NUMPY\x01\x00" + len(header_text + "\n").to_bytes(2, "little") \
        + (header_text + "\n").encode("latin1")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open(name, "w", force_zip64=True) as member:
        member.write(header_bytes)
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return path


def _huge_version_model(path: Path, config: dict, arrays: dict, chars: int) -> Path:
    """digitlab_version of ``chars`` characters, stored as the real UTF-32 config member."""
    prefix, suffix = json.dumps({**config, "digitlab_version": "__V__"}).split('"__V__"')
    text_length = len(prefix) + chars + 2 + len(suffix)
    header = {"descr": f"<U{text_length}", "fortran_order": False, "shape": ()}
    header_text = repr(header)
    padding = " " * (63 - (10 + len(header_text)) % 64)
    header_bytes = b"\x93NUMPY\x01\x00" + len(header_text + padding + "\n").to_bytes(2, "little") \
        + (header_text + padding + "\n").encode("latin1")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("config.npy", "w", force_zip64=True) as member:
            member.write(header_bytes + (prefix + '"').encode("utf-32-le"))
            block = "x".encode("utf-32-le") * 2**20
            for _ in range(chars // 2**20):
                member.write(block)
            member.write(("x" * (chars % 2**20) + '"' + suffix).encode("utf-32-le"))
        for name, value in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, value)
            archive.writestr(f"{name}.npy", buffer.getvalue())
    return path


#: hostile cases that take seconds to write (a 1 GiB member, a 240 MB config)
_HEAVY_CASES = {"extra-member-1gib", "version-60m-chars"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test with a ``hostile_case`` argument runs once per hostile model file."""
    if "hostile_case" in metafunc.fixturenames:
        metafunc.parametrize("hostile_case", [
            pytest.param(name, marks=pytest.mark.slow) if name in _HEAVY_CASES else name
            for name in HOSTILE_MODEL_CASES])


class HostileModels:
    """Hostile model files by case name, each written on first use (two take seconds)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._builders: dict[str, tuple[Callable[[Path], Path], str, bool]] = {}
        self._built: dict[str, HostileModel] = {}

    def add(self, name: str, fragment: str, build: Callable[[Path], Path], loads: bool = False) -> None:
        self._builders[name] = (build, fragment, loads)

    @property
    def names(self) -> list[str]:
        return list(self._builders)

    def __getitem__(self, name: str) -> HostileModel:
        if name not in self._built:
            build, fragment, loads = self._builders[name]
            self._built[name] = HostileModel(build(self.folder / f"{name}.npz"), fragment, loads)
        return self._built[name]


#: the model-file cases of issue 12, by name (the hostile_models fixture writes them)
HOSTILE_MODEL_CASES = [
    "json-nested-100000", "std-1e400", "lr-1e400", "input-shape-infinity", "input-shape-zero",
    "training-config-5", "history-train_loss-null", "history-test_accuracy-abc", "history-lr-list",
    "format-version-string", "dense-units-128000", "dense-units-1000000", "conv-padding-3000",
    "running-var-nan", "running-var-negative", "complex-weights", "inputs-392", "outputs-5",
    "random-bytes", "extra-member-1gib", "version-60m-chars",
]


def _hostile_model_cases(folder: Path) -> HostileModels:
    config, arrays = _base_model()
    cases = HostileModels(folder)

    def add(name: str, fragment: str, config=config, arrays=arrays, loads=False) -> None:
        cases.add(name, fragment, lambda path: _write_npz(path, config, arrays), loads)

    def edited(**changes) -> dict:
        return {**json.loads(json.dumps(config)), **changes}

    add("json-nested-100000", "nested", _with_raw(config, ("training", "note"),
                                                  "[" * 100_000 + "]" * 100_000))
    add("std-1e400", "out of range", _with_raw(config, ("preprocessing", "std"), "1e400"))
    add("lr-1e400", "out of range", _with_raw(config, ("training", "config", "lr"), "1e400"))
    add("input-shape-infinity", "infinity", _with_raw(config, ("input_shape", 0), "Infinity"))
    add("input-shape-zero", "input_shape", edited(input_shape=[0]))
    add("training-config-5", "training.config", edited(training={"config": 5}))
    for field, value, label in (("train_loss", None, "null"), ("test_accuracy", "abc", "abc"),
                                ("lr", [1], "list")):
        history = [{**config["history"][0], field: value}]
        add(f"history-{field}-{label}", field, edited(history=history))
    add("format-version-string", "not a valid format_version", edited(format_version="1"))
    for units in (128_000, 10**6):
        layers = [dict(_BASE_LAYERS[0], units=units), *_BASE_LAYERS[1:]]
        add(f"dense-units-{units}", "inconsistent", edited(layers=layers))
    conv_layers = [{"type": "conv2d", "filters": 8, "kernel_size": 3, "padding": 3000},
                   {"type": "flatten"}, {"type": "dense", "units": 10}, {"type": "softmax"}]
    conv_config, conv_arrays = _base_model((1, 28, 28), [dict(conv_layers[0], padding=0),
                                                         *conv_layers[1:]])
    add("conv-padding-3000", "for one image", {**conv_config, "layers": conv_layers}, conv_arrays)
    for name, value in (("running-var-nan", np.nan), ("running-var-negative", -1.0)):
        changed = dict(arrays, **{"layers.1.running_var": arrays["layers.1.running_var"].copy()})
        changed["layers.1.running_var"][3] = value
        add(name, "running_var", arrays=changed)
    add("complex-weights", "complex",
        arrays=dict(arrays, **{"layers.0.b": arrays["layers.0.b"].astype(np.complex64)}))
    add("inputs-392", "inputs of shape", *_base_model((392,)), loads=True)
    layers5 = [*_BASE_LAYERS[:3], dict(_BASE_LAYERS[3], units=5), _BASE_LAYERS[4]]
    add("outputs-5", "outputs of shape", *_base_model((784,), layers5), loads=True)

    def random_bytes(path: Path) -> Path:
        path.write_bytes(np.random.default_rng(0).bytes(100_000))
        return path

    cases.add("random-bytes", "not a digitlab model file", random_bytes)
    cases.add("extra-member-1gib", "unexpected member", lambda path: _write_huge_member(
        path, config, arrays, "extra.npy", {"descr": "<f4", "fortran_order": False, "shape": (2**28,)},
        bytes(2**20), 2**30))
    cases.add("version-60m-chars", "characters",
              lambda path: _huge_version_model(path, config, arrays, 60_000_000))
    assert cases.names == HOSTILE_MODEL_CASES
    return cases


@pytest.fixture(scope="session")
def hostile_models(tmp_path_factory) -> HostileModels:
    """Every hostile model file of issue 12 (see HOSTILE_MODEL_CASES), with the words its
    one-line refusal must contain."""
    return _hostile_model_cases(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def synthetic_mnist_folder(tmp_path) -> Path:
    """A folder holding the four MNIST IDX files (gzipped) of ``make_synthetic_mnist(300, 100)``:
    for tests that load or import data the way a user does."""
    import gzip

    data = make_synthetic_mnist(300, 100)
    folder = tmp_path / "synthetic-mnist"
    folder.mkdir()
    for name, array in (("train-images-idx3-ubyte.gz", data.train_images),
                        ("train-labels-idx1-ubyte.gz", data.train_labels),
                        ("t10k-images-idx3-ubyte.gz", data.test_images),
                        ("t10k-labels-idx1-ubyte.gz", data.test_labels)):
        (folder / name).write_bytes(gzip.compress(idx_bytes(array)))
    return folder

@pytest.fixture(autouse=True)
def run_store(tmp_path, monkeypatch) -> Path:
    """Every test records its training runs into its own history file (DIGITLAB_RUN_STORE),
    never the user's; the path is returned for tests that read it."""
    path = tmp_path / "history" / "runs.sqlite3"
    monkeypatch.setenv("DIGITLAB_RUN_STORE", str(path))
    return path


@pytest.fixture
def tiny_mnist_npz(tmp_path) -> Path:
    """A synthetic ``mnist.npz`` (:func:`make_synthetic_mnist`, 600 training and 100 test
    images), for command-line runs that must be quick and need no real MNIST."""
    data = make_synthetic_mnist(600, 100)
    path = tmp_path / "tiny" / "mnist.npz"
    path.parent.mkdir()
    np.savez(path, x_train=data.train_images, y_train=data.train_labels, x_test=data.test_images,
             y_test=data.test_labels)
    return path


# -- written numbers -------------------------------------------------------------------------------
#: Pen strokes of each digit in a box 0.6 wide and 1 high (x right, y down). Several digits are
#: written in two strokes, as people do: the 4 (an open 4: its L, then the down stroke), the 5
#: (its flag drawn last) and the 7 (crossed).
DIGIT_STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "0": [[(0.3, 0.0), (0.1, 0.1), (0.02, 0.5), (0.1, 0.9), (0.3, 1.0), (0.5, 0.9), (0.58, 0.5),
           (0.5, 0.1), (0.3, 0.0)]],
    "1": [[(0.15, 0.15), (0.35, 0.0), (0.35, 1.0)]],
    "2": [[(0.05, 0.25), (0.15, 0.05), (0.3, 0.0), (0.5, 0.1), (0.55, 0.3), (0.45, 0.5),
           (0.05, 1.0), (0.6, 1.0)]],
    "3": [[(0.05, 0.1), (0.3, 0.0), (0.55, 0.15), (0.5, 0.35), (0.25, 0.5), (0.55, 0.65),
           (0.55, 0.85), (0.3, 1.0), (0.05, 0.9)]],
    "4": [[(0.4, 0.0), (0.0, 0.65), (0.6, 0.65)], [(0.45, 0.3), (0.45, 1.0)]],
    "5": [[(0.1, 0.0), (0.05, 0.45), (0.35, 0.4), (0.55, 0.6), (0.5, 0.9), (0.25, 1.0),
           (0.0, 0.9)], [(0.1, 0.0), (0.55, 0.0)]],
    "6": [[(0.5, 0.0), (0.2, 0.3), (0.05, 0.65), (0.15, 0.95), (0.4, 1.0), (0.55, 0.8),
           (0.45, 0.6), (0.2, 0.6), (0.07, 0.7)]],
    "7": [[(0.0, 0.0), (0.6, 0.0), (0.25, 1.0)], [(0.2, 0.5), (0.55, 0.5)]],
    "8": [[(0.5, 0.1), (0.3, 0.0), (0.1, 0.1), (0.1, 0.35), (0.5, 0.65), (0.5, 0.9), (0.3, 1.0),
           (0.1, 0.9), (0.1, 0.65), (0.5, 0.35), (0.5, 0.1)]],
    "9": [[(0.55, 0.2), (0.35, 0.0), (0.1, 0.1), (0.05, 0.3), (0.25, 0.45), (0.55, 0.3),
           (0.55, 0.0), (0.5, 1.0)]],
}


def write_number(text: str, left: float = 0.1, top: float = 0.35, height: float = 0.3,
                 gap: float = 0.25, steps: int = 12) -> list[list[tuple[float, float]]]:
    """Pen strokes of the digits in ``text`` side by side, in canvas coordinates (0..1).

    Each digit is ``height`` high and ``0.6 * height`` wide, ``gap * height`` apart; every
    segment of a template is cut into ``steps`` points, as a moving pen reports them.
    """
    strokes = []
    for k, char in enumerate(text):
        x0 = left + k * (0.6 + gap) * height
        for template in DIGIT_STROKES[char]:
            points = [(x0 + x * height, top + y * height) for x, y in template]
            dense = [points[0]]
            for (ax, ay), (bx, by) in zip(points[:-1], points[1:], strict=True):
                dense += [(ax + (bx - ax) * t / steps, ay + (by - ay) * t / steps)
                          for t in range(1, steps + 1)]
            strokes.append(dense)
    return strokes


@pytest.fixture(scope="session")
def number_strokes() -> Callable[..., list[list[tuple[float, float]]]]:
    """``number_strokes("2026", left=0.1, top=0.35, height=0.3, gap=0.25)``: a written number
    as pen strokes in canvas coordinates (see :func:`write_number`)."""
    return write_number
# -- one model of each kind the Inside views must handle --------------------------------------------
def train_small_model(kind: str, data: MnistData):
    """A quickly trained ``mlp`` (784-16-10) or ``cnn`` (conv 4@3x3, pool, dense 16, dense 10)
    on ``data``, as a SavedModel (a few seconds at most)."""
    from digitlab.core.config import NetworkSpec, TrainConfig
    from digitlab.core.serialization import SavedModel
    from digitlab.core.splits import TrainingData
    from digitlab.core.training import Trainer

    hidden = ({"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 10},
              {"type": "softmax"})
    if kind == "mlp":
        spec = NetworkSpec(hidden)
    else:
        spec = NetworkSpec(({"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": "same"},
                            {"type": "relu"}, {"type": "max_pool2d", "pool_size": 2},
                            {"type": "flatten"}, *hidden), (1, 28, 28))
    config = TrainConfig(spec).with_settings(optimizer="adam", lr=0.01, batch_size=50, epochs=2,
                                             evaluate_test=False, normalize=True)
    result = Trainer(config, TrainingData.for_config(data, config)).run()
    return SavedModel(result.network, result.transform, config=config, provenance=[{"kind": "trained"}])


@pytest.fixture(scope="session")
def inside_models(pretrained_path) -> dict:
    """The three model kinds every Inside view is tested with, by name: ``shipped`` (the
    pretrained 784-256-128-10 MLP), ``mlp`` and ``cnn`` (small, trained on the synthetic digits
    of ``make_synthetic_mnist(600, 200)``, which ``inside_data`` returns)."""
    from digitlab.core.serialization import load_model

    data = make_synthetic_mnist(600, 200)
    return {"shipped": load_model(pretrained_path), "mlp": train_small_model("mlp", data),
            "cnn": train_small_model("cnn", data)}


@pytest.fixture(scope="session")
def inside_data() -> MnistData:
    """The synthetic digits the ``inside_models`` mlp and cnn were trained on."""
    return make_synthetic_mnist(600, 200)


@pytest.fixture
def peak_memory() -> Callable[[Callable[[], object]], tuple[object, int]]:
    """Run a function under tracemalloc: its result and the peak bytes Python and NumPy
    allocated meanwhile (for tests that memory stays bounded on big inputs)."""
    def measure(function: Callable[[], object]) -> tuple[object, int]:
        tracemalloc.start()
        try:
            result = function()
            return result, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return measure
