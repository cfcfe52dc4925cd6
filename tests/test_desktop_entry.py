"""The desktop launcher: a valid entry that starts this environment's DigitLab, icons, clean removal."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from digitlab import desktop_entry
from digitlab.cli import main
from digitlab.desktop_entry import (
    ICON_SIZES,
    entry_text,
    install_desktop,
    launcher_command,
    target_paths,
    uninstall_desktop,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
VALIDATOR = shutil.which("desktop-file-validate")
needs_validator = pytest.mark.skipif(
    VALIDATOR is None, reason="desktop-file-validate not installed (apt-get install desktop-file-utils)")


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    """A private XDG_DATA_HOME, so no test touches the real ~/.local/share."""
    folder = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


def validate(path: Path) -> list[str]:
    """desktop-file-validate's errors and warnings for ``path`` (hints are only advice)."""
    result = subprocess.run([VALIDATOR, "--no-hints", str(path)], capture_output=True, text=True,
                            check=False)
    problems = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 0 or problems, "validator failed without saying why"
    return problems


def exec_arguments(entry: str) -> list[str]:
    """The Exec key of an entry split into arguments, undoing the spec's escaping and quoting."""
    (value,) = [line[5:] for line in entry.splitlines() if line.startswith("Exec=")]
    unescaped, index = "", 0
    while index < len(value):  # string-value escapes first: \\ \s \t \n
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            unescaped += {"s": " ", "t": "\t", "n": "\n", "\\": "\\"}.get(value[index + 1],
                                                                       "\\" + value[index + 1])
            index += 2
        else:
            unescaped += char
            index += 1
    arguments, current, quoted, index, started = [], "", False, 0, False
    while index < len(unescaped):  # then the quoting rule
        char = unescaped[index]
        if quoted and char == "\\" and index + 1 < len(unescaped):
            current += unescaped[index + 1]
            index += 1
        elif char == '"':
            quoted, started = not quoted, True
        elif char == " " and not quoted:
            if started:
                arguments.append(current)
            current, started = "", False
        else:
            current, started = current + char, True
        index += 1
    if started:
        arguments.append(current)
    return [argument.replace("%%", "%") for argument in arguments]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def file_tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@needs_validator
def test_installed_entry_validates(data_home):
    """The per-user entry passes desktop-file-validate without errors or warnings."""
    entry = install_desktop()[0]
    assert entry == data_home / "applications" / "digitlab.desktop"
    assert validate(entry) == []


def test_exec_starts_this_environments_digitlab(data_home):
    """Exec names an existing executable, and running it reaches this DigitLab."""
    entry = install_desktop()[0].read_text(encoding="utf-8")
    arguments = exec_arguments(entry)
    assert arguments == launcher_command()
    program = Path(arguments[0])
    assert program.is_absolute() and program.is_file() and os.access(program, os.X_OK)
    result = subprocess.run([*arguments, "--version"], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0 and "DigitLab" in result.stdout
    assert f"TryExec={arguments[0]}" in entry.splitlines()
    assert "Icon=digitlab" in entry.splitlines()


def test_icons_installed_in_every_size(data_home):
    """hicolor gets a PNG of the right size for every shipped size, and the scalable SVG."""
    install_desktop()
    hicolor = data_home / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert png_size(hicolor / f"{size}x{size}" / "apps" / "digitlab.png") == (size, size)
    svg = hicolor / "scalable" / "apps" / "digitlab.svg"
    assert b"<svg" in svg.read_bytes()


def test_uninstall_removes_exactly_what_install_wrote(data_home):
    """Other applications' entries and icons survive; ours are gone; a second uninstall is a no-op."""
    neighbours = {
        data_home / "applications" / "other.desktop": b"[Desktop Entry]\nName=Other\n",
        data_home / "icons" / "hicolor" / "48x48" / "apps" / "other.png": b"not ours",
    }
    for path, data in neighbours.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    before = file_tree(data_home)
    written = install_desktop()
    assert written == target_paths() and all(path.is_file() for path in written)
    assert set(file_tree(data_home)) == set(before) | {str(p.relative_to(data_home)) for p in written}
    assert uninstall_desktop() == written
    assert file_tree(data_home) == before
    assert uninstall_desktop() == []


def test_reinstall_replaces_in_place(data_home):
    """Installing twice leaves one copy of each file and no temporary files behind."""
    install_desktop()
    first = file_tree(data_home)
    install_desktop()
    assert file_tree(data_home) == first


def test_prefix_installs_elsewhere(tmp_path, data_home):
    """An explicit prefix is used instead of XDG_DATA_HOME."""
    prefix = tmp_path / "usr-local-share"
    written = install_desktop(prefix)
    assert all(prefix in path.parents for path in written)
    assert not data_home.exists()
    assert uninstall_desktop(prefix) == written


def test_relative_xdg_data_home_is_ignored(monkeypatch, tmp_path):
    """The spec says a relative XDG_DATA_HOME is invalid; ~/.local/share is used instead."""
    monkeypatch.setenv("XDG_DATA_HOME", "relative/folder")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop_entry.data_home() == tmp_path / ".local" / "share"


def test_launcher_falls_back_to_python_m(monkeypatch, tmp_path):
    """Without a digitlab script the entry runs "<python> -m digitlab"; a frozen app runs itself."""
    python = tmp_path / "bin" / "python3"
    python.parent.mkdir()
    python.write_text("")
    monkeypatch.setattr(sys, "executable", str(python))
    monkeypatch.setattr(desktop_entry.sysconfig, "get_path", lambda name, *a, **k: str(tmp_path))
    assert launcher_command() == [str(python), "-m", "digitlab"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert launcher_command() == [str(python)]


@pytest.mark.parametrize("command", [
    ["/opt/My Apps/bin/python3", "-m", "digitlab"],
    ['/home/a "b"/$HOME/`x`/back\\slash/100%/digitlab'],
])
def test_exec_quoting_round_trips(command, tmp_path):
    """Awkward paths (spaces, quotes, $, backticks, backslashes, %) are quoted as the spec says."""
    text = entry_text(command)
    assert exec_arguments(text) == command
    if VALIDATOR is not None:
        path = tmp_path / "digitlab.desktop"
        path.write_text(text, encoding="utf-8")
        assert validate(path) == []


def test_packaging_template_matches_the_module():
    """packaging/digitlab.desktop (for packagers) is the very template install_desktop fills in."""
    template = (REPO_ROOT / "packaging" / "digitlab.desktop").read_text(encoding="utf-8")
    assert template == desktop_entry.TEMPLATE


@needs_validator
def test_system_wide_variant_validates(tmp_path):
    """With Exec=digitlab (a distribution package) the entry validates too."""
    path = tmp_path / "digitlab.desktop"
    path.write_text(entry_text(["digitlab"]), encoding="utf-8")
    assert validate(path) == []


def test_caches_refreshed_only_where_they_exist(data_home, tmp_path, monkeypatch):
    """No cache is created; an existing one is refreshed by its tool (found on PATH)."""
    tools = tmp_path / "tools"
    tools.mkdir()
    log = tmp_path / "calls.log"
    for name in ("update-desktop-database", "gtk-update-icon-cache"):
        script = tools / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n')
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
    install_desktop()
    assert not log.exists()
    (data_home / "applications" / "mimeinfo.cache").write_text("")
    (data_home / "icons" / "hicolor" / "icon-theme.cache").write_text("")
    uninstall_desktop()
    calls = log.read_text().splitlines()
    assert [call.split()[0] for call in calls] == ["update-desktop-database", "gtk-update-icon-cache"]
    assert calls[1].endswith(str(data_home / "icons" / "hicolor"))


def test_cli_flags(data_home, capsys):
    """--install-desktop and --uninstall-desktop print each file and exit 0 without starting the app."""
    assert main(["--install-desktop"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {data_home / 'applications' / 'digitlab.desktop'}" in out
    assert main(["--uninstall-desktop"]) == 0
    out = capsys.readouterr().out
    assert out.count("removed ") == len(ICON_SIZES) + 2
    assert main(["--uninstall-desktop"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_cli_flags_are_exclusive(data_home, capsys):
    """Asking for both is a usage error (exit 2), before anything is written."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--install-desktop", "--uninstall-desktop"])
    assert exit_info.value.code == 2
    assert not data_home.exists()
