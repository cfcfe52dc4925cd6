"""Importing a local copy of MNIST (a folder of IDX files or an ``mnist.npz``) into the cache.

Imported copies are checked structurally (see ``digitlab.core.data``), because faithful
rebuilds of MNIST have other bytes than the published archives; each file is then copied
atomically under its standard name.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from digitlab.core.atomic import atomic_write
from digitlab.core.data import MNIST_FILE_NAMES, NPZ_FILE_NAME, find_mnist_files, load_mnist
from digitlab.core.errors import DataError

_COPY_CHUNK_BYTES = 1 << 20


def import_mnist(source: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """Copy a local MNIST (folder of IDX files, gz or raw, or an mnist.npz) into ``dest``.

    The source is first loaded and validated with ``load_mnist``, so a broken copy is refused
    before anything is written. Each file is copied to a temporary file and moved into place
    atomically, under its standard name (``train-images-idx3-ubyte[.gz]``..., or
    ``mnist.npz``). Afterwards any other MNIST file names in ``dest`` (the other spelling or
    compression, or the other format) are removed, so the imported copy is what loads next.
    A source inside ``dest`` itself is left exactly as it is: nothing is copied or removed.

    Parameters
    ----------
    source : str or PathLike
        A folder holding the four IDX files or ``mnist.npz``, or the path of an .npz file.
    dest : str or PathLike
        The folder to fill, usually ``digitlab.paths.mnist_cache_dir()``; created if needed.

    Returns
    -------
    Path
        ``dest``.

    Raises
    ------
    DataError
        If the source is missing, incomplete or invalid, or a file cannot be copied.
    """
    source = Path(source).expanduser()
    dest = Path(dest).expanduser()
    load_mnist(source)  # raises a DataError that says what is wrong with the source
    copies = _files_to_import(source)
    if any(_same_folder(path.parent, dest) for path in copies):
        # Importing a folder into itself: the files are already where DigitLab looks, and
        # "removing the other spellings" would delete the user's own copies (e.g. the .gz
        # files beside raw ones). Nothing to copy, nothing to remove.
        return dest
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"cannot create the folder {dest}: {exc.strerror or exc}") from exc
    for source_file, target_name in copies.items():
        target = dest / target_name
        if not (target.exists() and source_file.resolve() == target.resolve()):
            _copy_atomic(source_file, target)
    _remove_other_mnist_files(dest, keep=set(copies.values()))
    return dest


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _files_to_import(source: Path) -> dict[Path, str]:
    """Map each source file to its standard name in the cache."""
    if source.is_file():
        return {source: NPZ_FILE_NAME}
    found = find_mnist_files(source)
    assert found is not None  # load_mnist succeeded, so the files are there
    if found["train_images"].name == NPZ_FILE_NAME:
        return {found["train_images"]: NPZ_FILE_NAME}
    # Keep each file's compression; find_mnist_files lists the raw name first, then ".gz".
    return {
        path: MNIST_FILE_NAMES[role][1 if path.name.endswith(".gz") else 0] for role, path in found.items()
    }


def _copy_atomic(source_file: Path, target: Path) -> None:
    try:
        with atomic_write(target) as temp_file, source_file.open("rb") as original:
            shutil.copyfileobj(original, temp_file, _COPY_CHUNK_BYTES)
    except OSError as exc:
        raise DataError(f"cannot copy {source_file} to {target}: {exc.strerror or exc}") from exc


def _remove_other_mnist_files(dest: Path, keep: set[str]) -> None:
    """Delete MNIST files under other names than ``keep``, so they cannot shadow the import."""
    known = {NPZ_FILE_NAME} | {name for names in MNIST_FILE_NAMES.values() for name in names}
    for name in sorted(known - keep):
        try:
            (dest / name).unlink(missing_ok=True)
        except OSError as exc:
            raise DataError(f"cannot remove the old file {dest / name}: {exc.strerror or exc}") from exc
