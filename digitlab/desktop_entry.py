"""Install DigitLab's launcher and icon for the current user, the freedesktop way (Linux, BSD).

``install_desktop()`` writes

- ``$XDG_DATA_HOME/applications/digitlab.desktop``, whose ``Exec`` starts the GUI from *this*
  Python environment (the ``digitlab`` launcher beside ``sys.executable``, else
  ``"<sys.executable>" -m digitlab``; the executable itself in a PyInstaller bundle), and
- the icon in the hicolor theme: ``icons/hicolor/<n>x<n>/apps/digitlab.png`` for every shipped
  size and ``icons/hicolor/scalable/apps/digitlab.svg``,

each atomically (a temporary file in the same folder, then a rename), so a menu that rescans
mid-install never sees half a file. ``uninstall_desktop()`` removes exactly those files.
``$XDG_DATA_HOME`` defaults to ``~/.local/share``.

Desktop caches: a desktop keeps working without ``mimeinfo.cache`` or ``icon-theme.cache`` (it
scans the folders), but trusts a cache that exists. So a cache that is already there is refreshed
with ``update-desktop-database`` / ``gtk-update-icon-cache`` when those tools are installed, and
none is created: creating one would leave a file behind that uninstalling does not own.

The entry below is kept identical to ``packaging/digitlab.desktop`` (a test checks it), which
distribution packagers can use with ``Exec=digitlab``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from .assets import resource_path

log = logging.getLogger(__name__)

APP_ID = "digitlab"
#: The PNG sizes shipped in ``resources/icons`` (all are standard hicolor sizes).
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

TEMPLATE = """\
[Desktop Entry]
Type=Application
Version=1.4
Name=DigitLab
GenericName=Neural Network Workbench
GenericName[zh_CN]=神经网络工作台
Comment=Build and train neural networks on handwritten digits, and watch them learn
Comment[zh_CN]=在手写数字上搭建和训练神经网络，观察它们如何学习
Icon=digitlab
TryExec=@TRYEXEC@
Exec=@EXEC@
Terminal=false
StartupNotify=true
StartupWMClass=digitlab
Categories=Education;Science;ArtificialIntelligence;Qt;
Keywords=neural network;machine learning;deep learning;MNIST;handwriting;digit;backpropagation;
Keywords[zh_CN]=神经网络;机器学习;深度学习;手写数字;反向传播;
"""

# Characters that force an Exec argument into double quotes (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def data_home() -> Path:
    """``$XDG_DATA_HOME`` if it is set to an absolute path (the spec ignores others), else ~/.local/share."""
    value = os.environ.get("XDG_DATA_HOME", "").strip()
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command that starts DigitLab's GUI from the running environment, as an argument list.

    A PyInstaller bundle is its own launcher. Otherwise the ``digitlab`` script pip put beside the
    interpreter (a venv's ``bin/``) or in the environment's scripts folder, and failing both the
    interpreter itself with ``-m digitlab``. Paths are absolute but symlinks are kept: a venv's
    ``python`` is a link to the base interpreter, and resolving it would leave the venv.
    """
    executable = os.path.abspath(sys.executable)
    if getattr(sys, "frozen", False):
        return [executable]
    name = "digitlab.exe" if os.name == "nt" else "digitlab"
    for folder in (os.path.dirname(executable), sysconfig.get_path("scripts")):
        candidate = os.path.join(folder, name) if folder else ""
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return [candidate]
    return [executable, "-m", "digitlab"]


def quote_exec_argument(argument: str) -> str:
    """One ``Exec`` argument, quoted and escaped as the Desktop Entry spec asks.

    Reserved characters put the argument in double quotes, inside which ``"`` `` ` `` ``$`` and
    ``\\`` take a backslash; then the string-value escaping doubles every backslash, and ``%``
    (a field code) is written ``%%``.
    """
    text = argument.replace("%", "%%")
    if any(char in _RESERVED for char in text):
        for char in ("\\", '"', "`", "$"):
            text = text.replace(char, "\\" + char)
        text = f'"{text}"'
    return text.replace("\\", "\\\\")


def entry_text(command: list[str]) -> str:
    """The desktop entry that runs ``command``; ``TryExec`` hides it once that program is gone."""
    exec_line = " ".join(quote_exec_argument(arg) for arg in command)
    return TEMPLATE.replace("@TRYEXEC@", quote_exec_argument(command[0])).replace("@EXEC@", exec_line)


def target_paths(prefix: str | os.PathLike[str] | None = None) -> list[Path]:
    """Every file the launcher consists of: the entry, the PNG icons by size, the SVG icon.

    Parameters
    ----------
    prefix : path, optional
        The data folder to install into (``applications/`` and ``icons/`` go below it);
        default :func:`data_home`. ``/usr/local/share`` would install for all users.
    """
    root = Path(prefix) if prefix is not None else data_home()
    hicolor = root / "icons" / "hicolor"
    return [root / "applications" / f"{APP_ID}.desktop",
            *(hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES),
            hicolor / "scalable" / "apps" / f"{APP_ID}.svg"]


def install_desktop(prefix: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write the desktop entry and the icons; returns the files written, as :func:`target_paths`.

    Raises ``FileNotFoundError`` if an icon is missing from the installed resources (checked
    before anything is written) and ``OSError`` if a folder cannot be written. Files of ours
    that are already there are replaced.
    """
    targets = target_paths(prefix)
    icons = [_resource(f"icons/digitlab-{size}.png") for size in ICON_SIZES] + [_resource("icon.svg")]
    _write_atomically(targets[0], entry_text(launcher_command()).encode("utf-8"))
    for target, source in zip(targets[1:], icons, strict=True):
        _write_atomically(target, source.read_bytes())
    _refresh_caches(targets)
    return targets


def uninstall_desktop(prefix: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove the files :func:`install_desktop` writes; returns those that were there.

    Nothing else is touched: folders stay (other applications share them) and so do caches,
    which are refreshed where they exist.
    """
    targets = target_paths(prefix)
    removed = []
    for target in targets:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
            removed.append(target)
    if removed:
        _refresh_caches(targets)
    return removed


def _resource(name: str) -> Path:
    path = resource_path(name)
    if path is None:
        raise FileNotFoundError(f"DigitLab's resource {name} is missing; reinstall DigitLab")
    return path


def _write_atomically(target: Path, data: bytes) -> None:
    """Write through a temporary file in the target's folder and rename it over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _refresh_caches(targets: list[Path]) -> None:
    """Refresh the desktop-entry and icon caches that exist; never create one; tools optional."""
    applications, hicolor = targets[0].parent, targets[-1].parents[2]
    jobs = []
    if (applications / "mimeinfo.cache").exists():
        jobs.append(["update-desktop-database", "--quiet", str(applications)])
    if (hicolor / "icon-theme.cache").exists():
        jobs.append(["gtk-update-icon-cache", "--force", "--ignore-theme-index", "--quiet",
                     str(hicolor)])
    for command in jobs:
        tool = shutil.which(command[0])
        if tool is None:
            continue
        try:
            subprocess.run([tool, *command[1:]], check=False, timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as exc:
            # a cache that could not be refreshed is rebuilt by the desktop later
            log.info("%s did not run: %s", command[0], exc)
