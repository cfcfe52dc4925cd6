"""``digitlab --install-desktop`` / ``--uninstall-desktop``: the launcher in the desktop's menu."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_FAILURE, EXIT_OK, fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The two top-level options (they run instead of the app, before Qt is imported)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--install-desktop", action="store_true",
                       help="add DigitLab to this user's application menu (a .desktop entry "
                            "and icons in $XDG_DATA_HOME, default ~/.local/share) and exit")
    group.add_argument("--uninstall-desktop", action="store_true",
                       help="remove what --install-desktop wrote and exit")


def requested(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "install_desktop", False) or getattr(args, "uninstall_desktop", False))


def run(args: argparse.Namespace) -> int:
    """Install or uninstall, printing every file written or removed on stdout."""
    from ..desktop_entry import install_desktop, launcher_command, uninstall_desktop

    try:
        if args.install_desktop:
            for path in install_desktop():
                print(f"wrote {path}")
            print(f"the launcher runs: {' '.join(launcher_command())}")
        else:
            removed = uninstall_desktop()
            for path in removed:
                print(f"removed {path}")
            if not removed:
                print("nothing to remove: the DigitLab launcher was not installed")
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        return EXIT_FAILURE
    sys.stdout.flush()
    return EXIT_OK
