"""Issue 12: a corrupt or hostile settings file never stops DigitLab from starting.

Each hostile file is written as the real settings file; then the main window is built from it.
The bad value falls back to the default, a copy of the file as it was is kept, and the window
reports it once.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest
from PySide6.QtCore import QSettings

from digitlab import paths
from digitlab.core.presets import get_preset
from digitlab.gui.main_window import MainWindow
from digitlab.gui.settings import SETTINGS_VERSION, AppSettings


def _config_with(**changes) -> str:
    return json.dumps({**get_preset("mlp").to_dict(), **changes})


HOSTILE_CONFIGS = {
    "nested-100000-deep": "[" * 100_000 + "]" * 100_000,
    "lr-1e400": _config_with(lr=0.1).replace('"lr": 0.1', '"lr": 1e400'),
    "nan-literal": _config_with(lr=0.1).replace('"lr": 0.1', '"lr": NaN'),
    "100000-unit-layer": _config_with(layers=[{"type": "dense", "units": 100_000},
                                              {"type": "relu"}, {"type": "dense", "units": 10}]),
    "wrong-types": _config_with(epochs="many", batch_size=[1]),
    "not-an-object": "5",
    "huge-integer": _config_with(epochs=10**40),
}


def _write_settings(path, **values) -> None:
    store = QSettings(str(path), QSettings.Format.IniFormat)
    store.setValue("settings_version", SETTINGS_VERSION)
    for key, value in values.items():
        store.setValue(key.replace("__", "/"), value)
    store.sync()


@pytest.mark.slow
@pytest.mark.parametrize("text", HOSTILE_CONFIGS.values(), ids=HOSTILE_CONFIGS.keys())
def test_main_window_starts_with_a_hostile_saved_configuration(qtbot, text):
    """The window builds with defaults; the bad file is kept as settings.ini.bad and reported."""
    path = paths.user_config_dir() / "settings.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_settings(path, train__config=text, window__tab=[1, 2], data__folder="x" * 100_000)
    window = MainWindow(settings=AppSettings(path))
    qtbot.addWidget(window)
    assert any("train/config" in problem for problem in window.settings.problems)
    bad_copy = path.with_name("settings.ini.bad")
    assert QSettings(str(bad_copy), QSettings.Format.IniFormat).value("train/config") == text
    qtbot.waitUntil(lambda: "reset to defaults" in window.statusBar().currentMessage())
    # The bad value is gone (the window stored its defaults), so the next start is quiet.
    window.settings.sync()
    again = AppSettings(path)
    again.train_config(), again.data_dir(), again.main_tab()
    assert again.problems == []


def test_remembered_huge_network_is_not_built(qtbot):
    """A 100,000-unit layer is refused from its settings alone (no 300 MB network at start-up)."""
    settings = AppSettings()
    _write_settings(settings.path, train__config=HOSTILE_CONFIGS["100000-unit-layer"])
    assert AppSettings(settings.path).train_config() is None


def test_a_gigabyte_settings_file_is_set_aside_unread(tmp_path):
    """A settings file far larger than any real one is moved to .bad and defaults are used."""
    path = tmp_path / "settings.ini"
    with path.open("wb") as f:
        f.truncate(64 << 20)  # sparse: 64 MiB of zeros costs no disk
    settings = AppSettings(path)
    assert settings.train_config() is None
    assert path.with_name("settings.ini.bad").stat().st_size == 64 << 20
    assert settings.problems and "reset" in settings.problems[0]


_STARTUP_WITH_BOMB = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from digitlab.gui.main_window import MainWindow
    from digitlab.gui.settings import AppSettings
    settings = AppSettings()
    settings.set_data_dir(sys.argv[1])
    window = MainWindow(settings=settings)
    window.load_startup_data()
    print(window.statusBar().currentMessage())
""")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["idx_gz_bomb", "npz_bomb"])
def test_remembered_data_folder_with_a_bomb_starts_in_bounded_memory(measure, hostile_data, tmp_path,
                                                                     kind):
    """The GUI starts, says what is wrong with the data, and stays under 600 MiB."""
    env = {**os.environ, "DIGITLAB_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DIGITLAB_MNIST_DIR", None)
    run = measure([sys.executable, "-c", _STARTUP_WITH_BOMB, str(hostile_data[kind])], env=env)
    assert run.returncode == 0, run.stderr
    assert "train" in run.stdout  # the status bar names the bad file or array
    assert "Traceback" not in run.stderr
    assert run.peak_mib <= 600, run.peak_mib
