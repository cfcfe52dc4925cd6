"""A real (non-editable) install holds all of DigitLab: every module, the model and the icons.

An editable install reads the source tree and hides a package missing from pyproject's list;
the wheel built here does not.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from digitlab.desktop_entry import ICON_SIZES

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Every test here shares a wheel built once per module, which takes several seconds.
pytestmark = pytest.mark.slow


def _can_build_wheels_here() -> bool:
    if importlib.util.find_spec("setuptools") is None:
        return False
    if importlib.util.find_spec("wheel") is not None:
        return True
    import setuptools

    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Iterator[zipfile.ZipFile]:
    """A wheel built from a clean copy of the tree (no stale build/ folder)."""
    # Build with this environment's setuptools when it can make wheels by itself (>= 70.1, or
    # with the wheel package); otherwise let pip fetch a build environment, as an install does.
    own_setuptools = ["--no-build-isolation"] if _can_build_wheels_here() else []
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO_ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("digitlab", "resources"):
        shutil.copytree(REPO_ROOT / folder, source / folder, ignore=ignore)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *own_setuptools, "--no-deps", "--quiet",
         "--wheel-dir", str(out), str(source)], capture_output=True, text=True, timeout=300,
        check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    (path,) = out.glob("digitlab-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


@pytest.fixture(scope="module")
def wheel_names(wheel) -> set[str]:
    return set(wheel.namelist())


def test_wheel_has_every_module(wheel_names):
    """Each .py file of the package (cli, gui panels, ...) is in the wheel."""
    modules = {str(p.relative_to(REPO_ROOT)).replace("\\", "/")
               for p in (REPO_ROOT / "digitlab").rglob("*.py") if "__pycache__" not in p.parts}
    missing = sorted(modules - wheel_names)
    assert not missing, (f"not in a real install: {missing}; add their packages to "
                         "[tool.setuptools] packages in pyproject.toml")


def test_wheel_has_the_resources(wheel_names):
    """The icon in every size, the SVG, the translations and the pretrained model."""
    expected = {f"digitlab/resources/icons/digitlab-{size}.png" for size in ICON_SIZES}
    expected |= {"digitlab/resources/icon.svg", "digitlab/resources/__init__.py"}
    expected.add("digitlab/resources/pretrained.npz")
    expected |= {f"digitlab/resources/{p.name}" for p in (REPO_ROOT / "resources").glob("*.qm")}
    assert expected - wheel_names == set()


def test_wheel_declares_the_launcher(wheel):
    """The console script `digitlab` runs digitlab.cli:console_main."""
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    lines = wheel.read(name).decode("utf-8").splitlines()
    assert "[console_scripts]" in lines
    assert "digitlab = digitlab.cli:console_main" in lines
