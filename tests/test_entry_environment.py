"""Importing DigitLab leaves the process environment alone; the entry points set
OPENBLAS_THREAD_TIMEOUT before NumPy loads (OpenBLAS reads it only then)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

IMPORT_EVERYTHING = """
import importlib, json, os, pkgutil
before = dict(os.environ)
import digitlab, digitlab.core
for module in pkgutil.walk_packages(digitlab.core.__path__, "digitlab.core."):
    importlib.import_module(module.name)
import digitlab.cli, digitlab.__main__
print(json.dumps({"changed": sorted(k for k in set(before) | set(os.environ)
                                    if before.get(k) != os.environ.get(k))}))
"""

# Records the variable at the moment anything first imports NumPy, then runs an entry point.
WATCH_NUMPY = """
import json, os, runpy, sys
seen = {}
class WatchNumpy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" and "value" not in seen:
            seen["value"] = os.environ.get("OPENBLAS_THREAD_TIMEOUT", "unset")
        return None
sys.meta_path.insert(0, WatchNumpy())
sys.argv = ["digitlab", "--version"]
try:
    ENTRY
except SystemExit:
    pass
print(json.dumps(seen))
"""

ENTRY_POINTS = {
    "console script digitlab.cli:console_main": "from digitlab.cli import console_main; console_main()",
    "python -m digitlab": "runpy.run_module('digitlab', run_name='__main__', alter_sys=True)",
    "packaging/launcher.py": "runpy.run_path('packaging/launcher.py', run_name='__main__')",
}


def run_python(script: str, **environment: str) -> str:
    """Run ``script`` in a fresh interpreter on this checkout, without OPENBLAS_THREAD_TIMEOUT
    unless given; return its last line of output."""
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_THREAD_TIMEOUT"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")]))
    env.update(environment)
    completed = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip().splitlines()[-1]


def test_importing_digitlab_does_not_modify_the_environment():
    """digitlab, every digitlab.core module, digitlab.cli and digitlab.__main__ import without
    changing os.environ."""
    assert json.loads(run_python(IMPORT_EVERYTHING)) == {"changed": []}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_entry_point_sets_blas_timeout_before_numpy_loads(entry):
    """Each entry point puts OPENBLAS_THREAD_TIMEOUT=4 in the environment before NumPy is
    first imported."""
    seen = json.loads(run_python(WATCH_NUMPY.replace("ENTRY", ENTRY_POINTS[entry])))
    assert seen == {"value": "4"}


def test_entry_point_keeps_the_users_blas_timeout():
    """A value the user set is left as it is."""
    script = WATCH_NUMPY.replace("ENTRY", ENTRY_POINTS["console script digitlab.cli:console_main"])
    assert json.loads(run_python(script, OPENBLAS_THREAD_TIMEOUT="20")) == {"value": "20"}
