"""The boundary: digitlab.core is NumPy and the standard library only, checked two ways."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_TOP_LEVEL = ("PySide6", "pyqtgraph", "shiboken6", "appdirs")

# Run in a fresh interpreter; the forbidden top-level names come in as arguments.
IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import digitlab.core
names = sorted(m.name for m in pkgutil.walk_packages(digitlab.core.__path__, "digitlab.core."))
for name in names:
    importlib.import_module(name)
forbidden = sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[1:]
                   or m == "digitlab.gui" or m.startswith("digitlab.gui."))
print(json.dumps({"modules": names, "forbidden": forbidden}))
"""


def _env() -> dict[str, str]:
    """Environment that makes the checkout's digitlab win over any installed copy."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")]))
    return env


def test_core_imports_no_qt_pyqtgraph_or_appdirs():
    """Importing every module of digitlab.core (subpackages included) in a fresh interpreter loads
    no PySide6, shiboken6, pyqtgraph, appdirs or digitlab.gui module."""
    completed = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING, *FORBIDDEN_TOP_LEVEL],
                               cwd=REPO_ROOT, env=_env(), capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    expected = {"activations", "config", "data", "errors", "evaluation", "events", "gradcheck",
                "initializers", "inputs", "layers", "losses", "metrics", "network", "optimizers",
                "presets", "registry", "schedules", "serialization", "training"}
    assert {f"digitlab.core.{name}" for name in expected} <= set(report["modules"])
    assert report["forbidden"] == []


def _lint_imports() -> str | None:
    beside_python = Path(sys.executable).with_name("lint-imports")
    return str(beside_python) if beside_python.exists() else shutil.which("lint-imports")


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)  # a JSON string or number is valid TOML


def test_import_linter_contract_holds(tmp_path):
    """pyproject's import-linter contracts pass under lint-imports (the core never imports Qt)."""
    executable = _lint_imports()
    assert executable is not None, "lint-imports is missing: pip install -e '.[test]'"
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    settings = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = settings.pop("contracts")
    assert any(set(FORBIDDEN_TOP_LEVEL) <= set(c.get("forbidden_modules", ())) and
               "digitlab.core" in c.get("source_modules", ()) for c in contracts)
    # import-linter refuses forbidden *external* packages unless the graph includes them; set it
    # here so the contract is checked even while pyproject lacks the flag.
    settings["include_external_packages"] = True
    lines = ["[tool.importlinter]"] + [f"{k} = {_toml_value(v)}" for k, v in settings.items()]
    for contract in contracts:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in contract.items()]
    config = tmp_path / "importlinter.toml"
    config.write_text("\n".join(lines) + "\n")
    completed = subprocess.run([executable, "--config", str(config), "--no-cache"], cwd=REPO_ROOT,
                               env=_env(), capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert f"{len(contracts)} kept, 0 broken" in completed.stdout
