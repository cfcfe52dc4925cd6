"""Named data sets: the user's own labelled digits, stored beside MNIST and trained on like it.

A data set is one ``.npz`` in the user's data folder (``<data>/datasets/<NAME>.npz``) in
exactly the layout of Keras' ``mnist.npz`` (documented in docs/datasets.md):

- ``x_train`` uint8 ``(N, 28, 28)`` and ``y_train`` uint8 ``(N,)`` (digits 0-9),
- ``x_test`` uint8 ``(M, 28, 28)`` and ``y_test`` uint8 ``(M,)``.

So a stored set also loads anywhere an ``mnist.npz`` does, and every read goes through the
bounded, hostile-input-safe reader of :mod:`.data_formats`. A loaded set is a
:class:`NamedData`: an :class:`~.data.MnistData` that carries its name, so the trainer, the
evaluator and the model record take it as they take MNIST (the record keeps name + SHA-256).

Training on "MNIST + NAME" concatenates the sets (:func:`combine`); a few extra images
(``--extra-data``, "my digits") are oversampled into a training set by :func:`with_extra`.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import atomic_write
from .data import IMAGE_SIDE, MnistData, _labels_as_uint8, load_mnist
from .data_formats import MAX_ARRAY_BYTES, read_npz_arrays
from .errors import DataError

#: The name MNIST itself goes by in a data choice ("mnist", "mnist+NAME").
MNIST_NAME = "mnist"
#: Joins the parts of a data choice: ``mnist+my_set``.
JOIN = "+"
#: Names are short words, so they are safe as file names and readable in a model record.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
#: The most images one data set may hold: what fits in one file DigitLab reads (about 171,000).
MAX_IMAGES = MAX_ARRAY_BYTES // (IMAGE_SIDE * IMAGE_SIDE)
#: Share of the test split made for a data set that comes without one.
TEST_FRACTION = 0.2
#: Extra images are repeated until they are about this share of the training set.
EXTRA_SHARE = 0.2
#: ... but never repeated more often than this (a handful of digits must not be all there is).
MAX_REPEATS = 1000
_FILE_SUFFIX = ".npz"
_MIX_SEED = 20_140_101


@dataclass(frozen=True)
class NamedData(MnistData):
    """MNIST-shaped data with a name (``"mnist"``, a stored set, ``"mnist+NAME"``).

    ``parts`` describes what it was made of (each part's name, SHA-256 and, for oversampled
    extra images, how often they were repeated); the model record and the run history keep it.
    """

    name: str = MNIST_NAME
    parts: tuple[dict[str, Any], ...] = ()

    def describe(self) -> dict[str, Any]:
        described = {**super().describe(), "name": self.name}
        if self.parts:
            described["parts"] = [dict(part) for part in self.parts]
        return described

    def summary(self) -> str:
        return (f"{self.name}: {self.num_train:,} train + {self.num_test:,} test images "
                f"({IMAGE_SIDE}x{IMAGE_SIDE} uint8, labels 0-9)")


def check_name(name: str) -> str:
    """``name`` if it can name a data set, else a :class:`DataError` that says why."""
    if not NAME_PATTERN.match(name or ""):
        raise DataError(f"data set name {name[:60]!r} is not allowed: use 1-40 letters, digits, "
                        f"'_' or '-', starting with a letter or digit")
    if name.lower() == MNIST_NAME:
        raise DataError(f"{name!r} is MNIST itself; choose another name for your data set")
    return name


def dataset_path(folder: str | os.PathLike[str], name: str) -> Path:
    """Where the data set ``name`` lives in ``folder``."""
    return Path(folder) / f"{check_name(name)}{_FILE_SUFFIX}"


def split_choice(choice: str) -> list[str]:
    """The parts of a data choice: ``"mnist+digits"`` -> ``["mnist", "digits"]`` (checked)."""
    parts = [part.strip() for part in (choice or "").split(JOIN)]
    if not all(parts):
        raise DataError(f"data choice {choice[:60]!r} is empty or has an empty part")
    lowered = [part.lower() for part in parts]
    if len(set(lowered)) != len(parts):
        raise DataError(f"data choice {choice[:60]!r} names a data set twice")
    for part in parts:
        if part.lower() != MNIST_NAME:
            check_name(part)
    return [MNIST_NAME if part.lower() == MNIST_NAME else part for part in parts]


# -- the file format ---------------------------------------------------------------------------
def read_labelled_npz(path: str | os.PathLike[str], *, allow_empty: bool = False
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Read ``x_train, y_train`` and, if present, ``x_test, y_test`` from an ``.npz``.

    Parameters
    ----------
    path : str or PathLike
        The file; read with the bounded reader (no pickles, sizes checked before reading).
    allow_empty : bool
        Accept zero images (the "my digits" file starts empty).

    Returns
    -------
    tuple
        ``(x_train (N, 28, 28) uint8, y_train (N,) uint8, x_test, y_test)``; the test arrays
        are None when the file has none.

    Raises
    ------
    DataError
        The file is unreadable, lacks ``x_train``/``y_train``, or its arrays are not MNIST-shaped.
    """
    path = Path(path)
    train = read_npz_arrays(path, ("x_train", "y_train"))
    try:
        test: dict[str, np.ndarray] | None = read_npz_arrays(path, ("x_test", "y_test"))
    except DataError as exc:
        if "missing arrays" not in str(exc):
            raise
        test = None
    arrays = [train["x_train"], train["y_train"]]
    arrays += [test["x_test"], test["y_test"]] if test is not None else [None, None]
    for index in (1, 3):
        if arrays[index] is not None:
            arrays[index] = _labels_as_uint8(arrays[index], f"{path}: labels")
    for images, labels, split in ((arrays[0], arrays[1], "train"), (arrays[2], arrays[3], "test")):
        if images is not None:
            _check_arrays(images, labels, f"{path}: {split}", allow_empty or split == "test")
    return arrays[0], arrays[1], arrays[2], arrays[3]


def _check_arrays(images: np.ndarray, labels: np.ndarray, where: str, allow_empty: bool) -> None:
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
        raise DataError(f"{where}: images must be uint8 of shape (n, {IMAGE_SIDE}, {IMAGE_SIDE}), "
                        f"got {images.dtype} {images.shape}")
    if labels.dtype != np.uint8 or labels.shape != (len(images),):
        raise DataError(f"{where}: {len(images)} images need {len(images)} labels 0-9, got "
                        f"{labels.dtype} {labels.shape}")
    if labels.size and labels.max() > 9:
        raise DataError(f"{where}: labels must be digits 0-9, found {int(labels.max())}")
    if not allow_empty and len(images) == 0:
        raise DataError(f"{where}: holds no images")


def write_labelled_npz(path: str | os.PathLike[str], train_images: np.ndarray,
                       train_labels: np.ndarray, test_images: np.ndarray,
                       test_labels: np.ndarray) -> Path:
    """Write the four arrays atomically: the old file survives any failure. Returns the path."""
    path = Path(path)
    for images, labels, split in ((train_images, train_labels, "train"),
                                  (test_images, test_labels, "test")):
        _check_arrays(images, labels, f"{path}: {split}", allow_empty=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as stream:
            np.savez_compressed(stream, x_train=train_images, y_train=train_labels,
                                x_test=test_images, y_test=test_labels)
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def make_test_split(images: np.ndarray, labels: np.ndarray, fraction: float = TEST_FRACTION,
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Hold out a random ``fraction`` (at least one image, at least one left to train on).

    Returns ``(train_images, train_labels, test_images, test_labels)``, each split keeping the
    original order; the same images and seed always give the same split.
    """
    if len(labels) < 2:
        raise DataError(f"a data set needs at least 2 images (one to train on, one to test), "
                        f"got {len(labels)}")
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = min(max(1, round(len(labels) * fraction)), len(labels) - 1)
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    return images[train], labels[train], images[test], labels[test]


# -- the store ---------------------------------------------------------------------------------
def save_dataset(folder: str | os.PathLike[str], name: str, train_images: np.ndarray,
                 train_labels: np.ndarray, test_images: np.ndarray | None = None,
                 test_labels: np.ndarray | None = None, *, replace: bool = False) -> NamedData:
    """Store a data set under ``name``; a test split is made when none is given (or it is empty).

    An existing set of that name is kept unless ``replace``: nothing the user owns is clobbered.
    """
    path = dataset_path(folder, name)
    if path.exists() and not replace:
        raise DataError(f"a data set named {name!r} already exists ({path}); remove it first or "
                        f"choose another name")
    if len(train_labels) + (0 if test_labels is None else len(test_labels)) > MAX_IMAGES:
        raise DataError(f"{name}: more than {MAX_IMAGES:,} images, the most one data set holds")
    if test_images is None or test_labels is None or len(test_labels) == 0:
        train_images, train_labels, test_images, test_labels = make_test_split(
            train_images, train_labels)
    write_labelled_npz(path, train_images, train_labels, test_images, test_labels)
    return load_dataset(folder, name)


def load_dataset(folder: str | os.PathLike[str], name: str) -> NamedData:
    """The stored data set ``name``; a :class:`DataError` names the ones there are if missing."""
    path = dataset_path(folder, name)
    if not path.is_file():
        known = ", ".join(list_dataset_names(folder)) or "none yet"
        raise DataError(f"no data set named {name!r} (stored data sets: {known}); import one "
                        f"with `digitlab data import --name {name} PATH`")
    x_train, y_train, x_test, y_test = read_labelled_npz(path)
    if x_test is None or len(x_test) == 0:
        raise DataError(f"{path}: has no test images (x_test, y_test); import it again")
    return NamedData(x_train, y_train, x_test, y_test, source=str(path), name=name)


def list_dataset_names(folder: str | os.PathLike[str]) -> list[str]:
    """Names of the data sets stored in ``folder``, sorted (files with other names are ignored)."""
    try:
        entries = sorted(Path(folder).glob(f"*{_FILE_SUFFIX}"))
    except OSError:
        return []
    return [entry.stem for entry in entries
            if NAME_PATTERN.match(entry.stem) and entry.stem.lower() != MNIST_NAME and entry.is_file()]


@dataclass(frozen=True)
class DataSetInfo:
    """One line of ``digitlab data list``: a stored set's sizes and hash, or why it is unreadable."""

    name: str
    path: Path
    train: int = 0
    test: int = 0
    sha256: str = ""
    problem: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "path": str(self.path), "train": self.train, "test": self.test,
                "sha256": self.sha256, "problem": self.problem}


def list_datasets(folder: str | os.PathLike[str]) -> list[DataSetInfo]:
    """Every stored data set with its sizes; a damaged file is listed with its problem."""
    infos = []
    for name in list_dataset_names(folder):
        path = dataset_path(folder, name)
        try:
            data = load_dataset(folder, name)
        except DataError as exc:
            infos.append(DataSetInfo(name, path, problem=str(exc)))
        else:
            infos.append(DataSetInfo(name, path, data.num_train, data.num_test, data.fingerprint()))
    return infos


def remove_dataset(folder: str | os.PathLike[str], name: str) -> Path:
    """Delete the stored data set ``name``; returns the path that was removed."""
    path = dataset_path(folder, name)
    if not path.is_file():
        raise DataError(f"no data set named {name!r} to remove")
    try:
        path.unlink()
    except OSError as exc:
        raise DataError(f"cannot remove {path}: {exc.strerror or exc}") from exc
    return path


# -- mixing data sets --------------------------------------------------------------------------
def as_named(data: MnistData) -> NamedData:
    """``data`` as a :class:`NamedData` (MNIST keeps its name ``"mnist"``)."""
    if isinstance(data, NamedData):
        return data
    return NamedData(data.train_images, data.train_labels, data.test_images, data.test_labels,
                     source=data.source, name=MNIST_NAME)


def _part(data: MnistData, **extra: Any) -> dict[str, Any]:
    return {"name": as_named(data).name, "sha256": data.fingerprint(), **extra}


def combine(sets: list[MnistData]) -> NamedData:
    """The sets' train splits joined, and their test splits joined, named ``"a+b"``."""
    if len(sets) == 1:
        return as_named(sets[0])
    named = [as_named(data) for data in sets]
    train_images, train_labels = _mixed(np.concatenate([d.train_images for d in named]),
                                        np.concatenate([d.train_labels for d in named]))
    return NamedData(
        train_images, train_labels, np.concatenate([d.test_images for d in named]),
        np.concatenate([d.test_labels for d in named]),
        source=" + ".join(d.source for d in named), name=JOIN.join(d.name for d in named),
        parts=tuple(_part(d) for d in named))


def _mixed(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The training images of several sources in one fixed random order, so a training-set
    limit (``--train-limit``) samples every source rather than keeping only the first."""
    order = np.random.default_rng(_MIX_SEED).permutation(len(labels))
    return images[order], labels[order]


def oversample_repeats(n_base: int, n_extra: int, share: float = EXTRA_SHARE) -> int:
    """How often to repeat ``n_extra`` images so they are about ``share`` of the training set."""
    if n_extra <= 0:
        return 0
    wanted = share * n_base / ((1.0 - share) * n_extra)
    return int(min(MAX_REPEATS, max(1, math.ceil(wanted))))


def with_extra(data: MnistData, images: np.ndarray, labels: np.ndarray, name: str,
               share: float = EXTRA_SHARE) -> NamedData:
    """``data`` with extra labelled images added to its training split, oversampled.

    Parameters
    ----------
    data : MnistData
        The base (MNIST, a stored set, a combination); its test split is unchanged.
    images : np.ndarray, shape (K, 28, 28), uint8
    labels : np.ndarray, shape (K,), uint8
    name : str
        What the extra images are called in the record (``"my_digits"``, a file name).
    share : float
        The extra images are repeated until they are about this share of the training split.
    """
    _check_arrays(images, labels, name, allow_empty=False)
    base = as_named(data)
    repeats = oversample_repeats(base.num_train, len(labels), share)
    digest = hashlib.sha256(np.ascontiguousarray(images).data)
    digest.update(np.ascontiguousarray(labels).data)
    extra_part = {"name": name, "sha256": digest.hexdigest(), "images": int(len(labels)),
                  "repeats": repeats}
    parts = base.parts or (_part(base),)
    train_images, train_labels = _mixed(
        np.concatenate([base.train_images, np.tile(images, (repeats, 1, 1))]),
        np.concatenate([base.train_labels, np.tile(labels, repeats)]))
    return NamedData(
        train_images, train_labels, base.test_images, base.test_labels, source=f"{base.source} + {name}",
        name=f"{base.name}{JOIN}{name}", parts=(*parts, extra_part))


def load_choice(choice: str, mnist: MnistData | str | os.PathLike[str],
                store: str | os.PathLike[str]) -> MnistData:
    """The data a choice names: ``"mnist"``, a stored set ``"NAME"``, or ``"mnist+NAME"``.

    ``mnist`` is MNIST already loaded, or the folder to read it from (only if the choice names
    it); named sets come from the folder ``store``. A single part is returned as it is (MNIST
    stays an :class:`~.data.MnistData`), several are combined.
    """
    def part_data(part: str) -> MnistData:
        if part != MNIST_NAME:
            return load_dataset(store, part)
        return mnist if isinstance(mnist, MnistData) else load_mnist(mnist)

    sets = [part_data(part) for part in split_choice(choice)]
    return sets[0] if len(sets) == 1 else combine(sets)
