"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
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


def run_measured(command: list[str], timeout: float = 120, env: dict[str, str] | None = None,
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
        return run_measured([sys.executable, "-m", "digitlab", *args], timeout, full_env)

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
    return run_measured
