"""Atomic writes keep the old file on failure and give new files normal permissions."""

from __future__ import annotations

import os
import stat

import pytest

from digitlab.core.atomic import atomic_write


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
