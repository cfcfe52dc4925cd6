"""Before Qt starts on X11: can its xcb platform plugin load? If not, say which packages to install.

PySide6's wheels bundle Qt but not the X11 client libraries Qt's xcb plugin links against. When
one is missing (``libxcb-cursor0``, ``libxcb-icccm4`` and ``libxcb-keysyms1`` are often absent on
a fresh Debian or Ubuntu), Qt prints a paragraph and aborts the process with SIGABRT. This module
finds that out first, without importing Qt: it reads the ``DT_NEEDED`` entries of
``libqxcb.so`` and of the Qt libraries it pulls in from PySide6's own folder (a small ELF
reader, no ``ldd``), then asks the dynamic loader (``dlopen`` through ctypes, with lazy binding
as for Qt's own libraries) for every library that must come from the system. The loader is the
same one Qt will use a moment later, so what fails here fails there; what loads here stays
mapped and Qt reuses it, so the check's own work is reading a few kilobytes of ELF headers
(``benchmarks/bench_xcb_check.py`` measures the whole start-up with and without it).

Nothing in this module imports PySide6, and any surprise (no PySide6 folder, an unreadable file)
means "no finding": the check may only ever stop a start-up that Qt would have aborted anyway.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
import os
import struct
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

#: The system library each shared object comes from: (Debian/Ubuntu package, Fedora package).
#: Every library Qt 6's xcb plugin and libQt6XcbQpa need outside PySide6's own folder.
SYSTEM_PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libz.so.1": ("zlib1g", "zlib"),
    "libzstd.so.1": ("libzstd1", "libzstd"),
}

#: What ``libqxcb.so`` needs from the system in PySide6 6.5-6.11, used when the plugin cannot be
#: read (a bundle that moved it): the X11 libraries only, in the order the message names them.
KNOWN_XCB_LIBRARIES: tuple[str, ...] = (
    "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
    "libxcb-render-util.so.0", "libxcb-util.so.1", "libxcb-randr.so.0", "libxcb-shape.so.0",
    "libxcb-xkb.so.1", "libxcb-shm.so.0", "libxcb-sync.so.1", "libxcb-xfixes.so.0",
    "libxcb-render.so.0", "libxcb.so.1", "libxkbcommon.so.0", "libxkbcommon-x11.so.0",
    "libX11-xcb.so.1", "libX11.so.6",
)

#: Libraries of the C and C++ runtime: present wherever Python itself runs.
_RUNTIME_PREFIXES = ("libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so",
                     "libstdc++.so", "libgcc_s.so", "ld-linux")

_DT_NEEDED, _SHT_DYNAMIC = 1, 6


def read_needed(path: str | os.PathLike[str]) -> list[str]:
    """The ``DT_NEEDED`` entries (sonames) of an ELF shared object, in file order.

    Reads the section headers, the ``.dynamic`` section and the string table it links to:
    a few kilobytes, whatever the size of the library. Raises ``ValueError`` for a file that is
    not ELF and ``OSError`` when it cannot be read.
    """
    with open(path, "rb") as stream:
        ident = stream.read(16)
        if ident[:4] != b"\x7fELF":
            raise ValueError(f"{path} is not an ELF file")
        is_64, order = ident[4] == 2, "<" if ident[5] == 1 else ">"
        header = stream.read(48 if is_64 else 36)
        if is_64:
            shoff, = struct.unpack_from(order + "Q", header, 24)
            shentsize, shnum = struct.unpack_from(order + "HH", header, 42)
        else:
            shoff, = struct.unpack_from(order + "I", header, 16)
            shentsize, shnum = struct.unpack_from(order + "HH", header, 30)
        stream.seek(shoff)
        table = stream.read(shentsize * shnum)
        sections = []
        for index in range(shnum):
            entry = table[index * shentsize:(index + 1) * shentsize]
            if is_64:
                sh_type, = struct.unpack_from(order + "I", entry, 4)
                offset, size = struct.unpack_from(order + "QQ", entry, 24)
                link, = struct.unpack_from(order + "I", entry, 40)
            else:
                sh_type, = struct.unpack_from(order + "I", entry, 4)
                offset, size, link = struct.unpack_from(order + "III", entry, 16)
            sections.append((sh_type, offset, size, link))
        for sh_type, offset, size, link in sections:
            if sh_type != _SHT_DYNAMIC:
                continue
            stream.seek(offset)
            dynamic = stream.read(size)
            _, str_offset, str_size, _ = sections[link]
            stream.seek(str_offset)
            strings = stream.read(str_size)
            pair = struct.Struct(order + ("qQ" if is_64 else "iI"))
            needed = []
            for tag, value in pair.iter_unpack(dynamic[:len(dynamic) - len(dynamic) % pair.size]):
                if tag == _DT_NEEDED:
                    needed.append(strings[value:strings.index(b"\0", value)].decode())
            return needed
    return []


def pyside_qt_folder() -> Path | None:
    """PySide6's ``Qt`` folder (``lib/``, ``plugins/``), found without importing PySide6."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        folder = Path(location) / "Qt"
        if folder.is_dir():
            return folder
    return None


def system_libraries(plugin: Path, private_folders: Iterable[Path]) -> list[str]:
    """Sonames the plugin needs, directly or through the Qt libraries beside it, from the system.

    Libraries found in ``private_folders`` (PySide6's ``Qt/lib``, a bundle's folder) are followed
    instead of reported; the C/C++ runtime is skipped.
    """
    private: dict[str, Path] = {}
    for folder in private_folders:  # one listing per folder: a stat per name is slower
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            private.setdefault(name, folder / name)
    seen: set[str] = set()
    system: list[str] = []
    queue = [plugin]
    while queue:
        for soname in read_needed(queue.pop(0)):
            if soname in seen or soname.startswith(_RUNTIME_PREFIXES):
                continue
            seen.add(soname)
            if soname in private:
                queue.append(private[soname])
            else:
                system.append(soname)
    return system


@functools.cache
def _lazy_dlopen() -> Callable[[bytes, int], int] | None:
    """libc's ``dlopen``, to load with lazy binding as the loader does for Qt (ctypes forces now)."""
    try:
        dlopen = ctypes.CDLL(None).dlopen
    except (OSError, AttributeError):
        return None
    dlopen.restype, dlopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]
    return dlopen


def can_load(soname: str) -> bool:
    """Whether the dynamic loader can map ``soname`` (and everything it needs) right now.

    The library stays loaded: Qt loads the same ones a moment later and finds them mapped.
    """
    dlopen = _lazy_dlopen()
    if dlopen is not None:
        return bool(dlopen(soname.encode(), os.RTLD_LAZY))  # local scope, as Qt's plugins get
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_xcb_libraries(qt_folder: Path | None = None,
                          loadable: Callable[[str], bool] = can_load) -> list[str]:
    """System libraries Qt's xcb plugin needs that the loader cannot load; empty if all load.

    Parameters
    ----------
    qt_folder : PySide6's ``Qt`` folder; found with :func:`pyside_qt_folder` by default.
    loadable : the test for one soname (tests pass a fake one).
    """
    qt_folder = qt_folder or pyside_qt_folder()
    needed: list[str] = list(KNOWN_XCB_LIBRARIES)
    if qt_folder is not None:
        plugin = qt_folder / "plugins" / "platforms" / "libqxcb.so"
        private = [qt_folder / "lib", plugin.parent]
        bundle = getattr(sys, "_MEIPASS", None)
        if bundle:
            private.append(Path(bundle))
        try:
            needed = system_libraries(plugin, private)
        except (OSError, ValueError, struct.error, IndexError):
            needed = list(KNOWN_XCB_LIBRARIES)  # unreadable: fall back on the known list
    return [soname for soname in needed if not loadable(soname)]


def install_hint(missing: Iterable[str]) -> str:
    """One line: what is missing and the apt and dnf commands that install it (no program prefix)."""
    missing = list(missing)
    debian = _unique(SYSTEM_PACKAGES.get(soname, (None, None))[0] for soname in missing)
    fedora = _unique(SYSTEM_PACKAGES.get(soname, (None, None))[1] for soname in missing)
    unknown = [soname for soname in missing if soname not in SYSTEM_PACKAGES]
    parts = [f"Qt's X11 (xcb) platform plugin cannot load: missing {', '.join(missing)}."]
    if debian:
        parts.append(f"Debian/Ubuntu: sudo apt install {' '.join(debian)};")
    if fedora:
        parts.append(f"Fedora: sudo dnf install {' '.join(fedora)}.")
    if unknown:
        parts.append(f"Install the package that provides {', '.join(unknown)}.")
    parts.append("(README: System requirements)")
    return " ".join(parts)


def _unique(names: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))


def xcb_will_be_used(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """True where Qt is about to pick its xcb plugin: Linux/BSD, an X display, no other choice.

    ``QT_QPA_PLATFORM`` naming another plugin (offscreen, wayland, ...) skips the check; so does
    a Wayland session with no explicit platform, where Qt 6 starts on Wayland.
    """
    if platform in ("win32", "darwin", "cygwin"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    if environ.get("WAYLAND_DISPLAY", "").strip():
        return False
    return bool(environ.get("DISPLAY", "").strip())


def xcb_problem(environ: Mapping[str, str] = os.environ) -> str | None:
    """The one-line explanation if Qt is about to use xcb and cannot load it, else None."""
    if not xcb_will_be_used(environ):
        return None
    missing = missing_xcb_libraries()
    return install_hint(missing) if missing else None
