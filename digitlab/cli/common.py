"""Shared pieces of the command line: errors, exit codes, data and output paths."""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from ..core.atomic import NotARegularFileError, replace_target

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A bad argument, found before any data is loaded: exit code 2."""


def fail(message: str) -> None:
    """Print one line on stderr (the whole error, no traceback).

    A message of several lines (e.g. every mirror's failure) is joined into one, so a script
    reading stderr always gets exactly one line per error.
    """
    one_line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    sys.stderr.write(f"digitlab: error: {one_line}\n")
    sys.stderr.flush()


def check_writable_file(path: Path) -> None:
    """Raise UsageError unless a save to ``path`` can succeed, without creating anything.

    Refused: a folder, device, FIFO or socket at ``path`` (only regular files are replaced), a
    missing or unwritable folder, a read-only file, and a name longer than the file system
    allows. A symlink is judged by its final target, which is what a save replaces.
    """
    name_max, path_max = _name_limits(path.parent if str(path.parent) else Path("."))
    if len(os.fsencode(path.name)) > name_max:
        raise UsageError(f"cannot write {path}: the file name is longer than the {name_max} bytes "
                         f"this file system allows")
    try:
        target = replace_target(path)
    except NotARegularFileError as exc:
        hint = f"; give a file name such as {path / 'model.npz'}" if path.is_dir() else ""
        raise UsageError(f"cannot write {path}: {exc}{hint}") from None
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {path}: folder {folder} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise UsageError(f"cannot write {path}: the file is read-only")
    name_max, path_max = _name_limits(folder)
    if len(os.fsencode(target.name)) > name_max:  # a symlink may point at a longer name
        raise UsageError(f"cannot write {path}: the file name is longer than the {name_max} bytes "
                         f"this file system allows")
    if len(os.fsencode(str(target))) >= path_max:
        raise UsageError(f"cannot write {path}: the path is longer than {path_max} bytes")


def _name_limits(folder: Path) -> tuple[int, int]:
    """(longest file name, longest path) in bytes for ``folder``'s file system."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX"), os.pathconf(folder, "PC_PATH_MAX")
    except (OSError, ValueError):
        return 255, 4096


def print_json(obj: Any) -> None:
    """The last line on stdout: one compact JSON object."""
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


class DefaultsHelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """``--help`` that gives every flag's default, also for flags without a help text.

    A default of None is described by ``unset_means`` (set by :class:`Parser` from its own
    attribute: "from the preset" for ``train``, "none" elsewhere); a switch is "off". A help
    text that already says its default is left alone.
    """

    unset_means = "none"

    def _format_action(self, action: argparse.Action) -> str:
        if action.help is None and self._shows_default(action):
            action = copy.copy(action)
            action.help = self._default_text(action)
        return super()._format_action(action)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if self._shows_default(action) and "default" not in text.lower():
            text = f"{text} {self._default_text(action)}"
        return text

    @staticmethod
    def _shows_default(action: argparse.Action) -> bool:
        if action.default is argparse.SUPPRESS or isinstance(action, (argparse._HelpAction,
                                                                      argparse._VersionAction)):
            return False
        return bool(action.option_strings) or action.nargs in ("?", "*")

    def _default_text(self, action: argparse.Action) -> str:
        if action.default is None:
            return f"(default: {self.unset_means.replace('%', '%%')})"
        if action.default is False and action.nargs == 0:
            return "(default: off)"
        return "(default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """DigitLab's argument parser: ``--help`` shows every default (:class:`DefaultsHelpFormatter`)
    and an error is one line on stderr (exit 2), not usage + error. Subcommand parsers are made
    of the same class (``add_subparsers`` uses the parent's type).

    Set ``unset_means`` on a parser to say what its flags whose default is None do when not given.
    """

    unset_means = "none"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DefaultsHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # type: ignore[override]
        fail(f"{message} (see `{self.prog} --help`)")
        sys.exit(EXIT_USAGE)

    def _get_formatter(self) -> argparse.HelpFormatter:
        formatter = super()._get_formatter()
        if isinstance(formatter, DefaultsHelpFormatter):
            formatter.unset_means = self.unset_means
        return formatter
