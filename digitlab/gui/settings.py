"""Persistent settings: window layout, the last configuration, the data folder, recent models.

Stored with ``QSettings`` in INI format at ``paths.user_config_dir() / "settings.ini"``, so a
user can read (and a test can point ``DIGITLAB_HOME`` at) one plain file. Every value read back
is checked: a missing, broken or outdated entry falls back to the default instead of failing the
start-up. The file carries a ``settings_version``; :meth:`AppSettings.migrate` upgrades older
files one version at a time (Orange3's pattern).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from .. import paths
from ..core.config import TrainConfig
from ..core.errors import ConfigError

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
MAX_RECENT = 8


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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # QSettings then keeps the values in memory for this session
            log.warning("settings folder %s unavailable; settings will not be saved: %s",
                        self.path.parent, exc)
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)
        self.migrate()

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
        try:
            return int(value)
        except (TypeError, ValueError):
            if value is not None:
                log.warning("window/tab %r in %s is not a number; ignored", value, self.path)
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
        return value.strip() if isinstance(value, str) else ""

    def set_language(self, code: str) -> None:
        self._store.setValue("ui/language", code or "")

    # -- training configuration ------------------------------------------------------------
    def train_config(self) -> TrainConfig | None:
        """The last configuration, or None if there is none or it no longer validates."""
        text = self._store.value("train/config")
        if not isinstance(text, str) or not text:
            return None
        try:
            return TrainConfig.from_dict(json.loads(text))
        except (ValueError, TypeError, ConfigError, AttributeError) as exc:
            # written by another version, or edited by hand: start from defaults
            log.warning("ignoring the saved training configuration in %s: %s", self.path, exc)
            return None

    def set_train_config(self, config: TrainConfig) -> None:
        self._store.setValue("train/config", json.dumps(config.to_dict()))

    # -- data ------------------------------------------------------------------------------
    def data_dir(self) -> Path | None:
        value = self._store.value("data/folder")
        return Path(value) if isinstance(value, str) and value.strip() else None

    def set_data_dir(self, folder: str | Path | None) -> None:
        self._store.setValue("data/folder", str(folder) if folder else "")

    # -- recent models ---------------------------------------------------------------------
    def recent_models(self) -> list[Path]:
        """Up to MAX_RECENT model files, most recent first; files that vanished are left out."""
        value = self._store.value("models/recent")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        found = []
        for entry in value:
            if isinstance(entry, str) and entry and Path(entry).is_file() and Path(entry) not in found:
                found.append(Path(entry))
        return found[:MAX_RECENT]

    def add_recent_model(self, path: str | Path) -> None:
        path = Path(path).resolve()
        recent = [path] + [p for p in self.recent_models() if p.resolve() != path]
        self._store.setValue("models/recent", [str(p) for p in recent[:MAX_RECENT]])

    def clear_recent_models(self) -> None:
        self._store.setValue("models/recent", [])

    # -- views -----------------------------------------------------------------------------
    def confusion_normalised(self) -> bool:
        """Whether the Evaluate panel shows its confusion matrix as row percentages."""
        value = self._store.value("evaluate/normalised")
        return value in (True, "true", "1", 1)

    def set_confusion_normalised(self, on: bool) -> None:
        self._store.setValue("evaluate/normalised", bool(on))
