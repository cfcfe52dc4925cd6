"""Shared pieces of the command line: errors, exit codes, data and output paths."""

from __future__ import annotations

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
