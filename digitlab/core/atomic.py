"""Atomic file writes: the target is either the complete new file or the untouched old one."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def _umask() -> int:
    # os.umask() can only be read by setting it, which races with other threads; Linux
    # publishes it in /proc instead.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def _final_mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets what open() would give it."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Write ``path`` through a temporary file in the same folder.

    Only when the ``with`` block finishes without an exception is the data flushed to disk and
    the temporary file renamed over ``path`` (``os.replace`` is atomic on one file system). On
    any failure the temporary file is removed and an existing ``path`` is left as it was.
    ``OSError`` from creating the temporary file propagates: the folder is missing or unwritable.
    """
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                         dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, _final_mode(path))
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise
