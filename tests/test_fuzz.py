"""Property-based fuzzing of every reader of untrusted files (issue 12), in measured subprocesses.

tools/fuzz_inputs.py holds the hypothesis strategies (random and mutated IDX, .npz, settings
and image files); here each target runs with the fast profile (``DIGITLAB_FUZZ=fast``: 25
derandomised examples) in a subprocess with a time cap, and its peak memory is measured. The
long profile is a documented command (README, developer notes).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

FUZZ_SCRIPT = str(Path(__file__).resolve().parents[1] / "tools" / "fuzz_inputs.py")


@pytest.mark.parametrize("target", [["idx"], ["npz"], ["settings"], ["images"],
                                    ["idx-mutations", "--iterations", "100"]],
                         ids=["idx", "npz", "settings", "images", "idx-mutations"])
def test_fuzz_target_has_no_traceback_and_bounded_memory(measure, tmp_path, target):
    """Every input is accepted or refused with DigitLab's error: 0 tracebacks, <= 600 MiB, < 2 min."""
    env = {**os.environ, "DIGITLAB_FUZZ": "fast", "QT_QPA_PLATFORM": "offscreen",
           "DIGITLAB_HOME": str(tmp_path / "home")}
    run = measure([sys.executable, FUZZ_SCRIPT, *target], timeout=120, env=env)
    assert not run.timed_out
    assert run.returncode == 0, run.stdout + run.stderr
    assert "tracebacks 0" in run.stdout and "Traceback" not in run.stdout + run.stderr
    assert run.stderr == ""  # nothing from libpng, Qt or a warning
    assert run.peak_mib <= 600, run.peak_mib
