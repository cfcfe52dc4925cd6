"""Atomic writes keep the old file on failure and give new files normal permissions."""

from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import time

import pytest

from digitlab.core.atomic import STALE_AFTER_SECONDS, NotARegularFileError, atomic_write, replace_target


def test_new_file_gets_umask_permissions_not_private(tmp_path):
    """A new file is readable like any other (mkstemp's 0600 is not kept)."""
    target = tmp_path / "model.npz"
    with atomic_write(target) as stream:
        stream.write(b"data")
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert target.read_bytes() == b"data"


def test_existing_file_keeps_its_permissions(tmp_path):
    """Replacing a file keeps the permissions the user gave it."""
    target = tmp_path / "model.npz"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_write(target) as stream:
        stream.write(b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_failure_keeps_old_content_and_leaves_no_temporary_file(tmp_path):
    """An exception inside the block leaves the old file as it was and nothing else behind."""
    target = tmp_path / "model.npz"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as stream:
            stream.write(b"half")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


# --- issue 12: what may be replaced, temporary names, killed saves ---------------------------

def test_fifo_and_folder_are_never_replaced(tmp_path):
    """Only a regular file is replaced: a FIFO or folder at the target raises before writing."""
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    folder = tmp_path / "dir.npz"
    folder.mkdir()
    for target in (fifo, folder):
        with pytest.raises(NotARegularFileError):
            with atomic_write(target) as stream:
                stream.write(b"new")
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.npz", "pipe.npz"]


def test_symlink_target_is_replaced_and_the_link_kept(tmp_path):
    """Saving through a symlink replaces the file it points at; the link stays a link."""
    real = tmp_path / "store" / "model.npz"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "model.npz"
    link.symlink_to(real)
    with atomic_write(link) as stream:
        stream.write(b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert replace_target(link) == real.resolve()


def test_longest_legal_name_saves(tmp_path):
    """A 255-byte name (the usual limit) saves: the temporary name does not grow with it."""
    target = tmp_path / ("é" * 125 + "x.npz")  # 250 + 5 bytes in UTF-8
    assert len(os.fsencode(target.name)) == 255
    with atomic_write(target) as stream:
        stream.write(b"data")
    assert target.read_bytes() == b"data"


def _temp_name(target_name: str) -> str:
    return f".{target_name}.abcd1234.dltmp.part"


def test_stale_temporary_files_are_cleaned_on_the_next_save(tmp_path):
    """Old unlocked files of our pattern go; young ones, locked ones and others' files stay."""
    old = time.time() - 2 * STALE_AFTER_SECONDS
    stale = tmp_path / _temp_name("model.npz")
    legacy = tmp_path / ".model.npz.x7_k2m9q.part"  # the pattern of older versions
    young = tmp_path / _temp_name("young.npz")
    locked = tmp_path / _temp_name("busy.npz")
    foreign = tmp_path / "notes.part"
    for path in (stale, legacy, young, locked, foreign):
        path.write_bytes(b"x")
    for path in (stale, legacy, locked, foreign):
        os.utime(path, (old, old))
    with open(locked, "rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)  # a save in progress elsewhere
        with atomic_write(tmp_path / "model.npz") as stream:
            stream.write(b"data")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["model.npz", young.name, locked.name, foreign.name])


_SLOW_SAVE = """
import sys, time
from digitlab.core.atomic import atomic_write
with atomic_write(sys.argv[1]) as stream:
    stream.write(b"new half")
    stream.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def test_kill_during_save_keeps_the_old_file_and_the_leftover_is_cleaned(tmp_path):
    """SIGKILL mid-save: the old file is intact; the next save removes the orphan .part file."""
    target = tmp_path / "model.npz"
    target.write_bytes(b"old")
    saver = subprocess.Popen([sys.executable, "-c", _SLOW_SAVE, str(target)], stdout=subprocess.PIPE)
    try:
        assert saver.stdout.readline() == b"writing\n"
    finally:
        saver.kill()
        saver.wait()
        saver.stdout.close()
    assert target.read_bytes() == b"old"
    (orphan,) = tmp_path.glob("*.part")
    old = time.time() - 2 * STALE_AFTER_SECONDS
    os.utime(orphan, (old, old))  # as if the kill was a while ago
    with atomic_write(target) as stream:
        stream.write(b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]
    assert target.read_bytes() == b"new"
