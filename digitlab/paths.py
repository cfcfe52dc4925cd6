"""Where DigitLab keeps its files: per-user data and config folders, models, the MNIST cache.

Every function only computes a path; none creates a folder, so importing or asking is free of
side effects. Whoever writes a file creates its parent first.

Set ``DIGITLAB_HOME`` to move everything under one folder (``$DIGITLAB_HOME/data`` and
``$DIGITLAB_HOME/config``, logs in ``$DIGITLAB_HOME/logs``, caches in ``$DIGITLAB_HOME/cache``);
tests point it at a temporary folder so they never touch the real home. ``DIGITLAB_MNIST_DIR``
points only the MNIST lookup somewhere else, ``DIGITLAB_LOG_DIR`` only the log folder, and
``DIGITLAB_RUN_STORE`` only the run history.
"""

from __future__ import annotations

import os
from pathlib import Path

import appdirs

APP_NAME = "DigitLab"
HOME_ENV_VAR = "DIGITLAB_HOME"
MNIST_DIR_ENV_VAR = "DIGITLAB_MNIST_DIR"
LOG_DIR_ENV_VAR = "DIGITLAB_LOG_DIR"
RUN_STORE_ENV_VAR = "DIGITLAB_RUN_STORE"


def _env_path(name: str) -> Path | None:
    """The path in an environment variable, or None if it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def user_data_dir() -> Path:
    """Per-user data folder (models, the MNIST cache): appdirs' choice, or ``$DIGITLAB_HOME/data``."""
    home = _env_path(HOME_ENV_VAR)
    if home is not None:
        return home / "data"
    # appauthor=False: no "<author>\<app>" nesting on Windows, just "DigitLab".
    return Path(appdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    """Per-user settings folder: appdirs' choice, or ``$DIGITLAB_HOME/config``."""
    home = _env_path(HOME_ENV_VAR)
    if home is not None:
        return home / "config"
    return Path(appdirs.user_config_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """Per-user cache folder (files that can be made again): appdirs' choice, or
    ``$DIGITLAB_HOME/cache``."""
    home = _env_path(HOME_ENV_VAR)
    if home is not None:
        return home / "cache"
    return Path(appdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    """Per-user log folder: ``$DIGITLAB_LOG_DIR``, else ``$DIGITLAB_HOME/logs``, else appdirs' choice."""
    explicit = _env_path(LOG_DIR_ENV_VAR)
    if explicit is not None:
        return explicit
    home = _env_path(HOME_ENV_VAR)
    if home is not None:
        return home / "logs"
    return Path(appdirs.user_log_dir(APP_NAME, appauthor=False))


def models_dir() -> Path:
    """Folder for saved models: ``user_data_dir() / "models"``."""
    return user_data_dir() / "models"


def datasets_dir() -> Path:
    """Folder of the user's named data sets (``NAME.npz``): ``user_data_dir() / "datasets"``."""
    return user_data_dir() / "datasets"


def my_digits_path() -> Path:
    """The user's own drawn digits ("Add to my digits"): ``user_data_dir() / "my_digits.npz"``."""
    return user_data_dir() / "my_digits.npz"


def run_store_path() -> Path:
    """The run history (SQLite): ``$DIGITLAB_RUN_STORE``, else ``user_data_dir() / "runs.sqlite3"``."""
    explicit = _env_path(RUN_STORE_ENV_VAR)
    return explicit if explicit is not None else user_data_dir() / "runs.sqlite3"


def mnist_cache_dir() -> Path:
    """Folder the downloader and importer fill with MNIST: ``user_data_dir() / "mnist"``."""
    return user_data_dir() / "mnist"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Choose the MNIST folder: an explicit ``--data``, else ``$DIGITLAB_MNIST_DIR``, else the cache.

    Parameters
    ----------
    explicit : str, PathLike or None
        A folder (or .npz) the user named; empty or None means "not given".

    Returns
    -------
    Path
        The folder to load from. It may not exist yet; loading reports that helpfully.
    """
    if explicit is not None and str(explicit).strip():
        return Path(explicit).expanduser()
    from_env = _env_path(MNIST_DIR_ENV_VAR)
    if from_env is not None:
        return from_env
    return mnist_cache_dir()
