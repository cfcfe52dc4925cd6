"""Atomic file writes: the target is either the complete new file or the untouched old one.

The new content goes to a temporary file in the target's folder, which is renamed over the
target only once it is complete and on disk. Three details make that safe for any ``--out``:

- **Only regular files are replaced.** A device, FIFO, socket or folder at the target is
  refused (:class:`NotARegularFileError`): renaming over ``/dev/null`` would replace it.
- **A symlink is followed**: its final target is replaced atomically and the link stays a
  link, so a model linked from elsewhere is updated where it really lives.
- **Temporary names are short** (``.<first 40 bytes of the name>.<8 random>.dltmp.part``), so
  any name the file system accepts (up to 255 bytes) can be saved. A writer holds an
  exclusive ``flock`` on its temporary file; the next save in that folder deletes files of
  this pattern that nobody holds and that are over a minute old, i.e. left by a killed save.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

#: Bytes of the target's name kept in a temporary name (the rest of it is fixed length).
_NAME_PREFIX_BYTES = 40
_TEMP_SUFFIX = ".dltmp.part"
# Ours: the new pattern, and the one older versions used (``.<name>.<8 random>.part``).
_TEMP_PATTERN = re.compile(r"^\..+\.[a-z0-9_]{8}(\.dltmp)?\.part$", re.DOTALL)
#: A temporary file younger than this is never treated as stale (it may be just created).
STALE_AFTER_SECONDS = 60.0


class NotARegularFileError(OSError):
    """The target exists but is not a regular file (a folder, device, FIFO or socket)."""


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


def replace_target(path: str | os.PathLike) -> Path:
    """The file a save to ``path`` really replaces: symlinks resolved, only regular files.

    Parameters
    ----------
    path : str or PathLike
        What the user named.

    Returns
    -------
    Path
        ``path`` itself, or the final target of a symlink (a dangling link's target too).

    Raises
    ------
    NotARegularFileError
        If something other than a regular file is there.
    """
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real
    except OSError:
        return real  # e.g. a loop of links: creating the temporary file reports it
    if stat.S_ISDIR(mode):
        raise NotARegularFileError(f"{path} is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise NotARegularFileError(
            f"{path} is not a regular file (a device, FIFO or socket); DigitLab only replaces "
            f"regular files")
    return real


def _temp_prefix(name: str) -> str:
    kept = os.fsencode(name)[:_NAME_PREFIX_BYTES]
    return "." + os.fsdecode(kept) + "."


def remove_stale_temp_files(folder: str | os.PathLike, now: float | None = None) -> list[Path]:
    """Delete temporary files of our pattern in ``folder`` that a killed save left behind.

    A file counts as stale when it matches the pattern, is older than
    ``STALE_AFTER_SECONDS`` and no process holds its ``flock`` (a live save always does).

    Returns
    -------
    list of Path
        The files removed.
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_PATTERN.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER_SECONDS:
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a save in progress holds it
        try:
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Write ``path`` through a temporary file in the same folder.

    Only when the ``with`` block finishes without an exception is the data flushed to disk and
    the temporary file renamed over the target (``os.replace`` is atomic on one file system).
    On any failure the temporary file is removed and an existing file is left as it was. A
    symlink at ``path`` is followed (its target is replaced; the link stays).

    Raises
    ------
    NotARegularFileError
        If a folder, device, FIFO or socket is at ``path`` (checked before anything is written).
    OSError
        From creating the temporary file: the folder is missing or unwritable.
    """
    target = replace_target(path)
    folder = target.parent
    remove_stale_temp_files(folder)
    handle, temp_name = tempfile.mkstemp(prefix=_temp_prefix(target.name), suffix=_TEMP_SUFFIX,
                                         dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            # Held until the file is renamed or removed: tells remove_stale_temp_files "in use".
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
            os.chmod(temp_name, _final_mode(target))
            replace_target(target)  # nothing but a regular file may have appeared meanwhile
            os.replace(temp_name, target)
        _fsync_folder(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: some file systems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
