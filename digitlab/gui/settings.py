"""Persistent settings: window layout, the last configuration, the data folder, recent models.

Stored with ``QSettings`` in INI format at ``paths.user_config_dir() / "settings.ini"``, so a
user can read (and a test can point ``DIGITLAB_HOME`` at) one plain file. Every value read back
is checked: a missing, broken or outdated entry falls back to the default instead of failing the
start-up. The file carries a ``settings_version``; :meth:`AppSettings.migrate` upgrades older
files one version at a time (Orange3's pattern).

A hostile or corrupt file (JSON nested 100,000 deep, ``lr: 1e400``, a 100,000-unit layer, a
wrong type, a file of a gigabyte) never stops the start-up either: the bad value is dropped, the
file as it was is kept beside it as ``settings.ini.bad``, and :attr:`AppSettings.problems`
says what happened so the window can tell the user.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from .. import paths
from ..core.bounded_json import loads_bounded
from ..core.config import TrainConfig
from ..core.network import walk_shapes

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
MAX_RECENT = 8
#: A settings file is a few kilobytes; a larger one is set aside unread.
MAX_SETTINGS_BYTES = 1 << 20
#: A remembered configuration may not build a network larger than this (parameters, and values
#: per example in any layer's output): the window builds it at start-up, before anyone asks.
MAX_REMEMBERED_PARAMETERS = 20_000_000
MAX_REMEMBERED_ACTIVATIONS = 2_000_000
# Spin boxes hold 32-bit ints; a larger saved number would overflow them at start-up.
_MAX_WIDGET_INT = 2**31 - 1
#: Longest path accepted from the file (Linux's PATH_MAX).
_MAX_PATH_CHARS = 4096


def _migrate_0_to_1(store: QSettings) -> None:
    """Version 0 (before versioning) kept the configuration under ``config``; now ``train/config``."""
    if store.contains("config") and not store.contains("train/config"):
        store.setValue("train/config", store.value("config"))
    store.remove("config")


class AppSettings:
    """Typed access to DigitLab's settings file.

    Parameters
    ----------
    path : the INI file; default ``paths.user_config_dir() / "settings.ini"``.
    """

    #: version n -> function upgrading a version-n file to n + 1
    migrations: dict[int, Callable[[QSettings], None]] = {0: _migrate_0_to_1}

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.user_config_dir() / "settings.ini"
        #: One line per value that was refused and dropped (shown once by the main window).
        self.problems: list[str] = []
        self._bad_copy_kept = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # QSettings then keeps the values in memory for this session
            log.warning("settings folder %s unavailable; settings will not be saved: %s",
                        self.path.parent, exc)
        self._set_aside_if_unreadable()
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)
        if self._store.status() != QSettings.Status.NoError and _is_file(self.path):
            self._set_aside("the file could not be parsed")
            self._store = QSettings(str(self.path), QSettings.Format.IniFormat)
        self.migrate()

    # -- damaged files ---------------------------------------------------------------------
    @property
    def bad_copy_path(self) -> Path:
        """Where the file as it was is kept when a value in it had to be dropped."""
        return self.path.with_name(self.path.name + ".bad")

    def _set_aside_if_unreadable(self) -> None:
        try:
            size = self.path.stat().st_size
            regular = self.path.is_file()
        except (OSError, ValueError):
            return
        if not regular:
            self.problems.append(f"{self.path} is not a regular file; settings are not kept")
        elif size > MAX_SETTINGS_BYTES:
            self._set_aside(f"the file is {size:,} bytes, far larger than any settings file")

    def _set_aside(self, reason: str) -> None:
        """Move the whole file to ``.bad`` and start from defaults."""
        try:
            self.path.replace(self.bad_copy_path)
            self.problems.append(f"Settings were reset ({reason}); the old file is kept as "
                                 f"{self.bad_copy_path}")
        except OSError as exc:
            self.problems.append(f"Settings file {self.path} is unusable ({reason}) and could not "
                                 f"be moved aside: {exc.strerror or exc}")
        self._bad_copy_kept = True

    def _drop(self, key: str, reason: str) -> None:
        """Forget one bad value, after keeping a copy of the file as it was."""
        if not self._bad_copy_kept:
            self._bad_copy_kept = True
            try:
                self._store.sync()
                shutil.copyfile(self.path, self.bad_copy_path)
                kept = f"; the file as it was is kept as {self.bad_copy_path}"
            except OSError:
                kept = ""
        else:
            kept = ""
        self.problems.append(f"Ignored the saved {key} ({reason}); using the default{kept}")
        log.warning("settings %s: ignored %s (%s)%s", self.path, key, reason, kept)
        self._store.remove(key)

    # -- versioning ------------------------------------------------------------------------
    def version(self) -> int:
        value = self._store.value("settings_version", 0)
        try:
            return int(value)
        except (TypeError, ValueError):
            log.warning("settings_version %r in %s is not a number; read as 0", value, self.path)
            return 0

    def migrate(self) -> None:
        """Upgrade an older settings file step by step; a newer one is read as it is."""
        version = self.version()
        if not self._store.allKeys():
            version = SETTINGS_VERSION  # a fresh file needs no migration
        while version < SETTINGS_VERSION:
            step = self.migrations.get(version)
            if step is not None:
                step(self._store)
            version += 1
        if self.version() < SETTINGS_VERSION:
            self._store.setValue("settings_version", SETTINGS_VERSION)

    def sync(self) -> None:
        self._store.sync()

    # -- window ----------------------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_window_geometry(self, data: QByteArray) -> None:
        self._store.setValue("window/geometry", data)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, data: QByteArray) -> None:
        self._store.setValue("window/state", data)

    def main_tab(self) -> int | None:
        value = self._store.value("window/tab")
        if value is None:
            return None
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            self._drop("window/tab", f"not a tab number: {str(value)[:40]!r}")
            return None

    def set_main_tab(self, index: int) -> None:
        self._store.setValue("window/tab", int(index))

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, (bytes, bytearray)) and value:
            return QByteArray(bytes(value))
        return None

    # -- interface language ------------------------------------------------------------------
    def language(self) -> str:
        """The language chosen in the menu (``"en"``, ``"zh_CN"``...), or "" for the system's."""
        value = self._store.value("ui/language")
        if value is None or (isinstance(value, str) and len(value) <= 32):
            return (value or "").strip()
        self._drop("ui/language", "not a language code")
        return ""

    def set_language(self, code: str) -> None:
        self._store.setValue("ui/language", code or "")

    # -- views -----------------------------------------------------------------------------
    def confusion_normalised(self) -> bool:
        """Whether the Evaluate panel shows its confusion matrix as row percentages."""
        value = self._store.value("evaluate/normalised")
        return value in (True, "true", "1", 1)

    def set_confusion_normalised(self, on: bool) -> None:
        self._store.setValue("evaluate/normalised", bool(on))

    # -- training configuration ------------------------------------------------------------
    def train_config(self) -> TrainConfig | None:
        """The last configuration, or None if there is none or it is unusable.

        An unusable one (malformed or hostile JSON, invalid settings, a network too large to
        build at start-up) is dropped and reported in :attr:`problems`.
        """
        text = self._store.value("train/config")
        if text is None or text == "":
            return None
        try:
            if not isinstance(text, str):
                raise ValueError("not JSON text")
            config = TrainConfig.from_dict(loads_bounded(text, max_chars=MAX_SETTINGS_BYTES))
            _check_whole_numbers(config.to_dict())
            _check_network_size(config)
            return config
        except (ValueError, TypeError, AttributeError, KeyError, ArithmeticError, RecursionError,
                MemoryError) as exc:
            # Written by another version, edited by hand or hostile: start from defaults.
            # (ConfigError is a ValueError.)
            self._drop("train/config", f"{type(exc).__name__}: {str(exc)[:200]}")
            return None

    def set_train_config(self, config: TrainConfig) -> None:
        self._store.setValue("train/config", json.dumps(config.to_dict()))

    # -- data ------------------------------------------------------------------------------
    def data_dir(self) -> Path | None:
        value = self._store.value("data/folder")
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) > _MAX_PATH_CHARS or "\0" in value:
            self._drop("data/folder", "not a folder path")
            return None
        return Path(value) if value.strip() else None

    def set_data_dir(self, folder: str | Path | None) -> None:
        self._store.setValue("data/folder", str(folder) if folder else "")

    # -- recent models ---------------------------------------------------------------------
    def recent_models(self) -> list[Path]:
        """Up to MAX_RECENT model files, most recent first; files that vanished are left out."""
        value = self._store.value("models/recent")
        if isinstance(value, str):
            value = [value]
        if value is None:
            return []
        if not isinstance(value, list):
            self._drop("models/recent", "not a list of files")
            return []
        found: list[Path] = []
        for entry in value[:4 * MAX_RECENT]:
            if isinstance(entry, str) and 0 < len(entry) <= _MAX_PATH_CHARS and "\0" not in entry:
                path = Path(entry)
                if _is_file(path) and path not in found:
                    found.append(path)
        return found[:MAX_RECENT]

    def add_recent_model(self, path: str | Path) -> None:
        path = Path(path).resolve()
        recent = [path] + [p for p in self.recent_models() if p.resolve() != path]
        self._store.setValue("models/recent", [str(p) for p in recent[:MAX_RECENT]])

    def clear_recent_models(self) -> None:
        self._store.setValue("models/recent", [])


def _is_file(path: Path) -> bool:
    """``Path.is_file`` that is also False for names the system refuses (too long...)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _check_whole_numbers(value: object) -> None:
    """Raise ValueError for an integer a Qt widget cannot show (beyond 32 bits), at any depth."""
    if isinstance(value, dict):
        for item in value.values():
            _check_whole_numbers(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_whole_numbers(item)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_WIDGET_INT:
        raise ValueError(f"the number {str(value)[:30]} is out of range")


def _check_network_size(config: TrainConfig) -> None:
    """Raise ValueError if ``config``'s network is too large to build at start-up.

    Computed from the layers' shapes alone (:func:`~digitlab.core.network.plan_layers`;
    nothing is allocated): parameters, and the values one example produces in each layer.
    """
    plans = walk_shapes(config.network.layers, config.network.input_shape)
    parameters = sum(math.prod(s) for p in plans for s in p.param_shapes.values())
    widest = max([math.prod(config.network.input_shape)] + [math.prod(p.output_shape) for p in plans])
    if parameters > MAX_REMEMBERED_PARAMETERS:
        raise ValueError(f"the network has {parameters:,} parameters, more than the "
                         f"{MAX_REMEMBERED_PARAMETERS:,} a remembered configuration may have")
    if widest > MAX_REMEMBERED_ACTIVATIONS:
        raise ValueError(f"a layer produces {widest:,} values per example, more than the "
                         f"{MAX_REMEMBERED_ACTIVATIONS:,} a remembered configuration may have")
