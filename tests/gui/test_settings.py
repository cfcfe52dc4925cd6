"""Settings persist in one INI file and survive broken or old values."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from digitlab import paths
from digitlab.core.presets import get_preset
from digitlab.gui.settings import MAX_RECENT, SETTINGS_VERSION, AppSettings


def test_values_round_trip_through_the_file(tmp_path):
    """Configuration, data folder and window layout written by one instance are read by the next."""
    config = get_preset("tutorial-relu").with_settings(epochs=3)
    first = AppSettings()
    first.set_train_config(config)
    first.set_data_dir(tmp_path)
    first.set_window_geometry(QByteArray(b"geometry"))
    first.set_main_tab(2)
    first.sync()
    second = AppSettings()
    assert second.path == paths.user_config_dir() / "settings.ini"
    assert second.train_config() == config
    assert second.data_dir() == tmp_path
    assert bytes(second.window_geometry()) == b"geometry"
    assert second.main_tab() == 2
    assert second.version() == SETTINGS_VERSION


def test_broken_values_fall_back_to_defaults(tmp_path):
    """Garbage, unknown fields or a wrong type in the file give None, never an exception."""
    path = tmp_path / "settings.ini"
    store = QSettings(str(path), QSettings.Format.IniFormat)
    store.setValue("settings_version", SETTINGS_VERSION)
    store.setValue("train/config", "{not json")
    store.setValue("window/tab", "seven")
    store.sync()
    settings = AppSettings(path)
    assert settings.train_config() is None
    assert settings.main_tab() is None
    assert settings.window_geometry() is None
    store.setValue("train/config", '{"layers": [], "colour": "red"}')
    store.sync()
    assert AppSettings(path).train_config() is None


def test_recent_models_keep_eight_existing_files(tmp_path):
    """The recent list is most-recent-first, without duplicates or vanished files, at most 8 long."""
    settings = AppSettings()
    files = []
    for i in range(MAX_RECENT + 2):
        f = tmp_path / f"m{i}.npz"
        f.write_bytes(b"x")
        files.append(f)
        settings.add_recent_model(f)
    settings.add_recent_model(files[5])
    recent = settings.recent_models()
    assert len(recent) == MAX_RECENT and recent[0] == files[5].resolve()
    files[9].unlink()
    assert files[9].resolve() not in settings.recent_models()
    settings.clear_recent_models()
    assert settings.recent_models() == []


def test_version_0_file_is_migrated(tmp_path):
    """A file from before versioning has its configuration moved to the current key."""
    path = tmp_path / "settings.ini"
    old = QSettings(str(path), QSettings.Format.IniFormat)
    old.setValue("config", '{"layers": [{"type": "dense", "units": 10}], "epochs": 4}')
    old.sync()
    settings = AppSettings(path)
    assert settings.version() == SETTINGS_VERSION
    assert settings.train_config().run.epochs == 4
