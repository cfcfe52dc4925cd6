"""Tests for digitlab.paths: per-user folders, DIGITLAB_HOME, and choosing the MNIST folder."""

from __future__ import annotations

from pathlib import Path

import appdirs
import pytest

from digitlab import paths


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DIGITLAB_HOME pointed at a temporary folder, DIGITLAB_MNIST_DIR unset."""
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path))
    monkeypatch.delenv("DIGITLAB_MNIST_DIR", raising=False)
    return tmp_path


def test_digitlab_home_replaces_data_and_config_bases(isolated_home: Path) -> None:
    """With DIGITLAB_HOME set, every folder lives under it, data and config apart."""
    assert paths.user_data_dir() == isolated_home / "data"
    assert paths.user_config_dir() == isolated_home / "config"
    assert paths.user_cache_dir() == isolated_home / "cache"
    assert paths.models_dir() == isolated_home / "data" / "models"
    assert paths.mnist_cache_dir() == isolated_home / "data" / "mnist"


def test_asking_for_paths_creates_nothing(isolated_home: Path) -> None:
    """Computing the folders never creates them."""
    for folder_function in (paths.models_dir, paths.mnist_cache_dir, paths.user_config_dir,
                            paths.user_cache_dir):
        folder_function()
    paths.resolve_data_dir(None)
    assert list(isolated_home.iterdir()) == []


def test_without_digitlab_home_appdirs_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset or empty DIGITLAB_HOME falls back to appdirs with the app name DigitLab."""
    monkeypatch.setenv("DIGITLAB_HOME", "")
    expected_data = Path(appdirs.user_data_dir("DigitLab", appauthor=False))
    assert paths.user_data_dir() == expected_data
    assert paths.user_config_dir() == Path(appdirs.user_config_dir("DigitLab", appauthor=False))
    assert paths.user_cache_dir() == Path(appdirs.user_cache_dir("DigitLab", appauthor=False))
    assert paths.mnist_cache_dir() == expected_data / "mnist"
    assert "DigitLab" in str(expected_data)


def test_resolve_data_dir_prefers_flag_then_env_then_cache(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An explicit --data wins over DIGITLAB_MNIST_DIR, which wins over the cache folder."""
    assert paths.resolve_data_dir(None) == paths.mnist_cache_dir()
    assert paths.resolve_data_dir("") == paths.mnist_cache_dir()
    monkeypatch.setenv("DIGITLAB_MNIST_DIR", str(tmp_path / "from-env"))
    assert paths.resolve_data_dir(None) == tmp_path / "from-env"
    assert paths.resolve_data_dir(str(tmp_path / "flag")) == tmp_path / "flag"


def test_resolve_data_dir_expands_user(isolated_home: Path) -> None:
    """A ~ in the flag is expanded to the home folder."""
    assert paths.resolve_data_dir("~/mnist") == Path.home() / "mnist"
