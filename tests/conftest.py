"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
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


# -- measuring a command in a child process ------------------------------------------------------
# The wrapper is a small process of its own so that RUSAGE_CHILDREN counts exactly one child, the
# command, and not the test process (Linux carries a process's peak RSS into what it execs).
_MEASURE = (
    "import json, resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[2:], capture_output=True, text=True, timeout=float(sys.argv[1]))\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(json.dumps([done.returncode, done.stdout, done.stderr, peak]))\n"
)


@dataclass(frozen=True)
class MeasuredRun:
    returncode: int
    stdout: str
    stderr: str
    peak_mib: float  # the command's peak resident memory


def _run_measured(argv: list[str], timeout: float = 120.0, env: dict[str, str] | None = None
                  ) -> MeasuredRun:
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(timeout), *argv], capture_output=True,
                          text=True, timeout=timeout + 30, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    return MeasuredRun(*json.loads(done.stdout))


@pytest.fixture(scope="session")
def run_measured() -> Callable[..., MeasuredRun]:
    """``run_measured(argv, timeout=120, env=None)``: run a command, return its exit code,
    output and peak memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper process)."""
    return _run_measured


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
    from digitlab.core.network import Network
    from digitlab.core.serialization import SavedModel, model_config

    net = Network.from_config({"input_shape": list(input_shape), "layers": layers or _BASE_LAYERS})
    config = model_config(SavedModel(net, training={"config": {"lr": 0.1}}))
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
