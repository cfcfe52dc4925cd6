"""The command-line contract for hostile model files (issue 12), measured in child processes.

For every model-file case: ``info``, ``evaluate`` and ``predict`` print exactly one line on
stderr, exit 1, show no traceback, and stay within their memory bounds (``info`` 300 MiB,
``predict``/``evaluate`` 600 MiB, the peak RSS of the command's own process). A valid model for
other data (392 inputs, 5 outputs) is described by ``info`` and refused by the other two.
"""

from __future__ import annotations

import struct
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

PEAK_MIB = {"info": 300, "evaluate": 600, "predict": 600}


def _png(path: Path) -> Path:
    """A 28x28 greyscale PNG with a vertical stroke (written without any image library)."""
    rows = b"".join(b"\0" + bytes(255 if 12 <= x < 16 and 4 <= y < 24 else 0 for x in range(28))
                    for y in range(28))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 28, 28, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


@pytest.fixture(scope="module")
def cli_runs(hostile_models, run_measured, tmp_path_factory) -> dict[tuple[str, str], object]:
    """Every command on every hostile model, four processes at a time: (case, command) -> run."""
    folder = tmp_path_factory.mktemp("cli-runs")
    image = _png(folder / "digit.png")
    env = {"DIGITLAB_HOME": str(folder / "home"), "QT_QPA_PLATFORM": "offscreen"}

    def argv(case: str, command: str) -> list[str]:
        path = str(hostile_models[case].path)
        extra = {"info": [], "evaluate": ["--data", str(folder)], "predict": [str(image)]}[command]
        return [sys.executable, "-m", "digitlab", command, path, *extra]

    jobs = [(case, command) for case in hostile_models.names for command in PEAK_MIB]
    commands = [argv(case, command) for case, command in jobs]  # writes every file first
    with ThreadPoolExecutor(4) as pool:
        return dict(zip(jobs, pool.map(lambda a: run_measured(a, env=env), commands), strict=True))


@pytest.mark.slow
def test_hostile_model_cli_contract(hostile_models, hostile_case, cli_runs):
    """info, evaluate and predict on the file: one stderr line, exit 1, no traceback, bounded
    peak memory (info of a model for other data succeeds)."""
    case = hostile_models[hostile_case]
    for command in PEAK_MIB:
        run = cli_runs[hostile_case, command]
        assert run.peak_mib <= PEAK_MIB[command], f"{command}: {run.peak_mib:.0f} MiB"
        if case.loads and command == "info":
            assert run.returncode == 0 and run.stderr == "", run.stderr
            continue
        lines = run.stderr.splitlines()
        assert run.returncode == 1, f"{command}: exit {run.returncode}, {run.stderr}"
        assert len(lines) == 1 and lines[0].startswith("digitlab: error: "), f"{command}: {lines}"
        assert "Traceback" not in run.stderr and "allow_pickle" not in run.stderr
        assert case.fragment in lines[0].lower(), f"{command}: {lines[0]}"
        assert run.stdout == "", f"{command} printed {run.stdout!r}"
