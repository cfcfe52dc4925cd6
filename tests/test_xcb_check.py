"""Start-up on X11: a missing xcb library is one line naming the packages and exit 1, never Qt's abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digitlab.gui import xcb_check
from digitlab.gui.xcb_check import (
    KNOWN_XCB_LIBRARIES,
    install_hint,
    missing_xcb_libraries,
    pyside_qt_folder,
    read_needed,
    xcb_will_be_used,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
QT = pyside_qt_folder()
PLUGIN = QT / "plugins" / "platforms" / "libqxcb.so" if QT is not None else None
needs_plugin = pytest.mark.skipif(PLUGIN is None or not PLUGIN.is_file(),
                                  reason="PySide6 has no libqxcb.so here")


def launchers() -> list[list[str]]:
    """``python -m digitlab`` and, when pip installed it, the ``digitlab`` script beside python."""
    commands = [[sys.executable, "-m", "digitlab"]]
    script = Path(sys.executable).with_name("digitlab")
    if script.is_file():
        commands.append([str(script)])
    return commands


@linux_only
@needs_plugin
@pytest.mark.parametrize("command", launchers(), ids=lambda c: Path(c[-1]).name)
def test_unloadable_xcb_library_is_one_line_and_exit_1(command, tmp_path):
    """A garbage libxcb-cursor.so.0 first on LD_LIBRARY_PATH: one line with the apt/dnf names, exit 1."""
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libxcb-cursor.so.0").write_bytes(b"not a shared library\n")
    env = {name: value for name, value in os.environ.items()
           if name not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "LD_LIBRARY_PATH")}
    env.update(DISPLAY=":97", LD_LIBRARY_PATH=str(broken), DIGITLAB_HOME=str(tmp_path / "home"))
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, check=False)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("digitlab: ") and "libxcb-cursor.so.0" in line
    assert "sudo apt install" in line and "libxcb-cursor0" in line.split("sudo apt install")[1]
    assert "sudo dnf install" in line and "xcb-util-cursor" in line.split("sudo dnf install")[1]
    assert result.stdout == ""


@linux_only
@needs_plugin
def test_reads_the_plugins_needed_libraries():
    """The ELF reader lists exactly what readelf lists for libqxcb.so (xcb-cursor among them)."""
    needed = read_needed(PLUGIN)
    assert "libxcb-cursor.so.0" in needed and "libQt6XcbQpa.so.6" in needed
    readelf = shutil.which("readelf")
    if readelf is not None:
        output = subprocess.run([readelf, "-d", str(PLUGIN)], capture_output=True, text=True,
                                check=True).stdout
        expected = [line.split("[", 1)[1].rstrip("]") for line in output.splitlines()
                    if "(NEEDED)" in line]
        assert needed == expected


@linux_only
@needs_plugin
def test_follows_qts_own_libraries_to_the_system_ones():
    """Libraries reached only through libQt6XcbQpa (glib's gthread) are checked; Qt's own are not."""
    reported = []
    missing_xcb_libraries(QT, loadable=lambda soname: reported.append(soname) or True)
    assert "libgthread-2.0.so.0" in reported and "libxcb-icccm.so.4" in reported
    assert not any(name.startswith("libQt6") for name in reported)
    assert not any(name.startswith(("libc.so", "libstdc++")) for name in reported)


def test_unreadable_plugin_falls_back_on_the_known_list(tmp_path):
    """A plugin that is not ELF (or not there) still gets the X11 libraries checked."""
    platforms = tmp_path / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (platforms / "libqxcb.so").write_bytes(b"garbage")
    missing = missing_xcb_libraries(tmp_path / "Qt", loadable=lambda soname: soname != "libxcb.so.1")
    assert missing == ["libxcb.so.1"]
    assert set(KNOWN_XCB_LIBRARIES) <= set(xcb_check.SYSTEM_PACKAGES)


def test_hint_names_the_exact_debian_and_fedora_packages():
    """The three libraries a fresh Debian lacks map to their packages, each named once."""
    hint = install_hint(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                         "libxcb-randr.so.0", "libxcb-shape.so.0"])
    assert "\n" not in hint
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-randr0 libxcb-shape0;" \
        in hint
    assert "sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms libxcb." in hint
    assert "libfoo.so.3" in install_hint(["libfoo.so.3"])


@pytest.mark.parametrize(("environ", "platform", "expected"), [
    ({"DISPLAY": ":0"}, "linux", True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({}, "linux", False),
    ({"DISPLAY": ":0"}, "win32", False),
    ({"DISPLAY": ":0"}, "darwin", False),
])
def test_checked_only_where_qt_will_use_xcb(environ, platform, expected):
    """The check runs on X11 only: never for offscreen, Wayland sessions, Windows or macOS."""
    assert xcb_will_be_used(environ, platform) is expected


@linux_only
@needs_plugin
def test_selftest_on_xcb_reports_the_missing_library_too(tmp_path):
    """`digitlab selftest --platform xcb` fails with the same one line instead of aborting."""
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libxcb-cursor.so.0").write_bytes(b"")
    env = {name: value for name, value in os.environ.items() if name != "LD_LIBRARY_PATH"}
    env.update(DISPLAY=":97", LD_LIBRARY_PATH=str(broken), DIGITLAB_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, "-m", "digitlab", "selftest", "--platform", "xcb"],
                            capture_output=True, text=True, timeout=60, env=env, check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "libxcb-cursor0" in result.stderr
    env.pop("DISPLAY")
    result = subprocess.run([sys.executable, "-m", "digitlab", "selftest", "--platform", "xcb"],
                            capture_output=True, text=True, timeout=60, env=env, check=False)
    assert result.returncode == 1 and "DISPLAY" in result.stderr
