"""Importing the user's own labelled digits as a named data set.

Three sources, recognised by what they are:

- **a folder of images in digit subfolders** (``0/``, ``1/``, ... ``9/``; PNG, JPEG, BMP, GIF,
  TIFF, WebP, any size or polarity): every image goes through :func:`digitlab.core.preprocess.
  to_mnist_style`, the same preparation as ``digitlab predict`` and the Draw panel;
- **a folder of IDX files** in MNIST layout (``*train-images*``, ``*train-labels*`` and, if
  present, ``*test-images*``/``*t10k-images*`` with their labels: MNIST, EMNIST digits, ...);
- **an .npz** with ``x_train``, ``y_train`` (and ``x_test``, ``y_test`` if it has a split).

Everything is read and checked before anything is written; the store never overwrites an
existing set unless asked. This lives outside ``digitlab.core`` because images are decoded with
Qt's image plugins (:mod:`digitlab.imageio`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .core.data import find_mnist_files
from .core.data_formats import read_idx
from .core.datasets import MAX_IMAGES, NamedData, dataset_path, read_labelled_npz, save_dataset
from .core.errors import Cancelled, DataError
from .core.preprocess import to_mnist_style

#: File name endings read as images in a digit subfolder; anything else there is skipped.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp",
                            ".pgm", ".ppm", ".pbm"})
_DIGIT_FOLDERS = tuple(str(d) for d in range(10))
# Glob patterns for IDX files in MNIST layout under other names (EMNIST: emnist-digits-...).
_IDX_PATTERNS = {
    "train_images": ("*train-images*", "*train_images*"),
    "train_labels": ("*train-labels*", "*train_labels*"),
    "test_images": ("*test-images*", "*t10k-images*", "*test_images*"),
    "test_labels": ("*test-labels*", "*t10k-labels*", "*test_labels*"),
}

Progress = Callable[[float | None, str], None]


def _no_progress(_fraction: float | None, _text: str = "") -> None:
    pass


def _never() -> bool:
    return False


def import_dataset(source: str | os.PathLike[str], name: str, store: str | os.PathLike[str], *,
                   replace: bool = False, progress: Progress = _no_progress,
                   should_cancel: Callable[[], bool] = _never) -> tuple[NamedData, int]:
    """Read ``source`` and store it as the data set ``name`` in the folder ``store``.

    Returns
    -------
    tuple
        The stored :class:`NamedData` and the number of files skipped (not images).

    Raises
    ------
    DataError
        One line naming the problem (a missing or empty source, a subfolder that is not a digit,
        an unreadable image, an existing name...). Nothing has been written then.
    Cancelled
        When ``should_cancel()`` turned True; nothing has been written.
    """
    target = dataset_path(store, name)
    if target.exists() and not replace:  # said before reading thousands of images
        raise DataError(f"a data set named {name!r} already exists ({target}); remove it first or "
                        f"choose another name")
    source = Path(source).expanduser()
    skipped = 0
    if source.is_file():
        x_train, y_train, x_test, y_test = read_labelled_npz(source)
    elif source.is_dir():
        if _digit_subfolders(source):
            (x_train, y_train), skipped = read_image_folders(source, progress, should_cancel)
            x_test = y_test = None
        else:
            x_train, y_train, x_test, y_test = read_idx_folder(source)
    else:
        raise DataError(f"{source}: no such file or folder")
    if should_cancel():
        raise Cancelled("import cancelled")
    progress(None, "writing")
    return save_dataset(store, name, x_train, y_train, x_test, y_test, replace=replace), skipped


def _digit_subfolders(folder: Path) -> list[Path]:
    return [child for child in sorted(folder.iterdir()) if child.is_dir()]


def read_image_folders(folder: Path, progress: Progress = _no_progress,
                       should_cancel: Callable[[], bool] = _never
                       ) -> tuple[tuple[np.ndarray, np.ndarray], int]:
    """Images from ``folder/0`` ... ``folder/9``, prepared as MNIST digits.

    Returns ``((images (N, 28, 28) uint8, labels (N,) uint8), files skipped)``.
    """
    from .imageio import load_grey_image  # Qt's image plugins: loaded only for images

    subfolders = _digit_subfolders(folder)
    wrong = [child.name for child in subfolders if child.name not in _DIGIT_FOLDERS]
    if wrong:
        raise DataError(f"{folder}: subfolder {wrong[0][:60]!r} is not a digit: images go in "
                        f"subfolders named 0 to 9, one per digit")
    files: list[tuple[Path, int]] = []
    skipped = 0
    for child in subfolders:
        for entry in sorted(child.iterdir()):
            if entry.is_file() and entry.suffix.lower() in IMAGE_SUFFIXES:
                files.append((entry, int(child.name)))
                if len(files) > MAX_IMAGES:
                    raise DataError(f"{folder}: more than {MAX_IMAGES:,} images, the most one "
                                    f"data set holds")
            else:
                skipped += 1
    if not files:
        raise DataError(f"{folder}: the digit subfolders hold no images (PNG, JPEG, BMP, ...)")
    images = np.empty((len(files), 28, 28), np.uint8)
    labels = np.empty(len(files), np.uint8)
    for index, (path, digit) in enumerate(files):
        if should_cancel():
            raise Cancelled("import cancelled")
        prepared = to_mnist_style(load_grey_image(path))
        if not prepared.any():
            raise DataError(f"{path}: no ink found (a blank or uniform image cannot be a digit)")
        images[index] = np.round(prepared * 255).astype(np.uint8)
        labels[index] = digit
        progress((index + 1) / len(files), f"{index + 1:,}/{len(files):,} {path.name}")
    return (images, labels), skipped


def read_idx_folder(folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray | None,
                                           np.ndarray | None]:
    """IDX files in MNIST layout, under MNIST's names or others (EMNIST); test split optional."""
    standard = find_mnist_files(folder) or {}
    found: dict[str, Path | None] = {}
    for role, patterns in _IDX_PATTERNS.items():
        path = standard.get(role)
        if path is None or path.suffix == ".npz":
            matches = sorted({match for pattern in patterns for match in folder.glob(pattern)
                              if match.is_file()})
            if len(matches) > 1:
                raise DataError(f"{folder}: several files could be the {role.replace('_', ' ')} "
                                f"({', '.join(m.name for m in matches[:3])}); keep one")
            path = matches[0] if matches else None
        found[role] = path
    if found["train_images"] is None or found["train_labels"] is None:
        npz = sorted(folder.glob("*.npz"))
        if len(npz) == 1:
            return read_labelled_npz(npz[0])
        raise DataError(f"{folder}: found no digit subfolders (0-9), no IDX files "
                        f"(*train-images*, *train-labels*) and no single .npz to import")
    if (found["test_images"] is None) != (found["test_labels"] is None):
        raise DataError(f"{folder}: has test images or test labels but not both")
    arrays = {role: (read_idx(path) if path is not None else None) for role, path in found.items()}
    for role, array in arrays.items():
        if array is not None and array.ndim != (3 if role.endswith("images") else 1):
            raise DataError(f"{found[role]}: not an IDX file of {role.replace('_', ' ')}")
    return arrays["train_images"], arrays["train_labels"], arrays["test_images"], arrays["test_labels"]
