"""Shared pieces of the command line: errors, exit codes, data and output paths."""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A bad argument, found before any data is loaded: exit code 2."""


def fail(message: str) -> None:
    """Print one line on stderr (the whole error, no traceback)."""
    sys.stderr.write(f"digitlab: error: {message}\n")
    sys.stderr.flush()


def check_writable_file(path: Path) -> None:
    """Raise UsageError unless ``path`` can be (over)written, without creating it."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name such as {path / 'model.npz'}")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {path}: folder {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"cannot write {path}: the file is read-only")


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
    """DigitLab's argument parser: ``--help`` shows every default (:class:`DefaultsHelpFormatter`).

    Set ``unset_means`` on a parser to say what its flags whose default is None do when not given.
    """

    unset_means = "none"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DefaultsHelpFormatter)
        super().__init__(*args, **kwargs)

    def _get_formatter(self) -> argparse.HelpFormatter:
        formatter = super()._get_formatter()
        if isinstance(formatter, DefaultsHelpFormatter):
            formatter.unset_means = self.unset_means
        return formatter
