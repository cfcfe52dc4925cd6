"""Reading MNIST: IDX files (gzip-compressed or raw) and the Keras ``mnist.npz``.

Everything here is checked structurally (headers, shapes, sizes, label range), never by hash,
so any faithful copy of MNIST loads, including rebuilt files whose bytes differ from the
published archives. Checksums belong to the downloader, which knows what it asked for.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digitlab.core.errors import DataError

IMAGE_SIDE = 28
NUM_CLASSES = 10

# An IDX magic number is 0x00 0x00 <dtype code> <number of dimensions>; MNIST only uses the
# unsigned-byte code with 1 (labels) or 3 (images) dimensions.
_IDX_UBYTE = 0x08
_IDX_ALLOWED_NDIM = (1, 3)
_GZIP_MAGIC = b"\x1f\x8b"

# Each role lists the file names accepted for it, most preferred first. Raw files come before
# gzip ones because they load faster and are what a user who unpacked the archives expects.
MNIST_FILE_NAMES: dict[str, tuple[str, ...]] = {
    role: (f"{stem}-{kind}", f"{stem}-{kind}.gz", f"{stem}.{kind}", f"{stem}.{kind}.gz")
    for role, stem, kind in (
        ("train_images", "train-images", "idx3-ubyte"),
        ("train_labels", "train-labels", "idx1-ubyte"),
        ("test_images", "t10k-images", "idx3-ubyte"),
        ("test_labels", "t10k-labels", "idx1-ubyte"),
    )
}
NPZ_FILE_NAME = "mnist.npz"
NPZ_KEYS = {
    "train_images": "x_train",
    "train_labels": "y_train",
    "test_images": "x_test",
    "test_labels": "y_test",
}

HOW_TO_GET_MNIST = (
    "Run `digitlab download` to fetch it, or use `--data DIR` (or the DIGITLAB_MNIST_DIR "
    "environment variable) to point at a folder holding the four IDX files (.gz or raw) "
    "or mnist.npz."
)


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file of unsigned bytes, gzip-compressed or raw.

    Parameters
    ----------
    path : str or Path
        The file. It is decompressed if it starts with the gzip signature, whatever its name.

    Returns
    -------
    np.ndarray
        uint8, shape ``(n,)`` for a label file or ``(n, rows, cols)`` for an image file.
        The array is a read-only view of the file's bytes.

    Raises
    ------
    DataError
        If the file cannot be read, is corrupt gzip, is not an unsigned-byte IDX file with 1 or
        3 dimensions, or its payload is not exactly the size its header announces.
    """
    path = Path(path)
    raw = _read_maybe_gzip(path)
    if len(raw) < 4:
        raise DataError(f"{path}: only {len(raw)} bytes, too short to be an IDX file")
    zero0, zero1, dtype_code, ndim = raw[:4]
    if zero0 != 0 or zero1 != 0 or dtype_code != _IDX_UBYTE or ndim not in _IDX_ALLOWED_NDIM:
        raise DataError(
            f"{path}: not an MNIST IDX file (magic number 0x{raw[:4].hex()}, expected "
            f"0x00000801 for labels or 0x00000803 for images){_guess_format(raw)}"
        )
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise DataError(f"{path}: truncated header: expected {header_size} bytes, found {len(raw)}")
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    # Python ints, so an absurd header cannot overflow the product.
    expected = math.prod(dims)
    actual = len(raw) - header_size
    if actual != expected:
        problem = "truncated" if actual < expected else "has trailing bytes"
        raise DataError(
            f"{path}: {problem}: header says {'x'.join(map(str, dims))}, so expected "
            f"{expected} bytes of data, found {actual}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(dims)


def _read_maybe_gzip(path: Path) -> bytes:
    """Return the file's bytes, decompressed if it is gzip; every failure as a DataError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if raw[:2] != _GZIP_MAGIC:
        if path.suffix == ".gz":
            raise DataError(f"{path}: named .gz but is not gzip-compressed{_guess_format(raw)}")
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        # BadGzipFile (an OSError) for bad headers and CRCs, EOFError for a cut-off stream,
        # zlib.error for damaged compressed data.
        raise DataError(f"{path}: corrupt or truncated gzip file ({exc})") from exc


def _guess_format(raw: bytes) -> str:
    """A hint naming a few common foreign formats, so a wrong file is easy to recognise."""
    signatures = {
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"PK\x03\x04": "a zip archive (perhaps an .npz)",
        b"<": "text or HTML (perhaps an error page saved by a download)",
        b"\x93NUMPY": "a NumPy .npy file",
    }
    for signature, name in signatures.items():
        if raw.startswith(signature):
            return f"; it looks like {name}"
    return ""


@dataclass(frozen=True)
class MnistData:
    """The four MNIST arrays, validated, plus where they came from.

    Attributes
    ----------
    train_images : np.ndarray
        uint8, shape ``(n_train, 28, 28)``, pixel values 0..255 (0 = background).
    train_labels : np.ndarray
        uint8, shape ``(n_train,)``, digits 0..9.
    test_images : np.ndarray
        uint8, shape ``(n_test, 28, 28)``.
    test_labels : np.ndarray
        uint8, shape ``(n_test,)``.
    source : str
        A human description of the origin, e.g. the folder or .npz path.

    Notes
    -----
    The stored arrays are read-only views, so one ``MnistData`` can be shared between the GUI
    and a training thread without either changing the other's data. Copy before editing.
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    source: str

    def __post_init__(self) -> None:
        for split in ("train", "test"):
            images = _check_images(getattr(self, f"{split}_images"), f"{split}_images", self.source)
            labels = _check_labels(getattr(self, f"{split}_labels"), f"{split}_labels", self.source)
            if len(images) != len(labels):
                raise DataError(f"{self.source}: {split} has {len(images)} images but {len(labels)} labels")
            object.__setattr__(self, f"{split}_images", _read_only_view(images))
            object.__setattr__(self, f"{split}_labels", _read_only_view(labels))

    @property
    def num_train(self) -> int:
        """Number of training examples."""
        return len(self.train_labels)

    @property
    def num_test(self) -> int:
        """Number of test examples."""
        return len(self.test_labels)

    def describe(self) -> dict[str, Any]:
        """What a model record says about its data: a name and a hash of the contents (never a
        local path, which means nothing on another machine), with the sizes."""
        return {"name": "mnist", "sha256": self.fingerprint(), "train": self.num_train,
                "test": self.num_test}

    def fingerprint(self) -> str:
        """SHA-256 of the images and labels, in a fixed order (computed once, about 0.1 s)."""
        cached = self.__dict__.get("_fingerprint")
        if cached is None:
            digest = hashlib.sha256()
            for array in (self.train_images, self.train_labels, self.test_images, self.test_labels):
                digest.update(np.ascontiguousarray(array).data)
            cached = digest.hexdigest()
            object.__setattr__(self, "_fingerprint", cached)
        return cached

    def summary(self) -> str:
        """One line for a status bar or log, e.g. ``"MNIST: 60,000 train + 10,000 test ..."``."""
        return (
            f"MNIST: {self.num_train:,} train + {self.num_test:,} test images "
            f"({IMAGE_SIDE}x{IMAGE_SIDE} uint8, labels 0-9) from {self.source}"
        )


def _check_images(images: object, name: str, source: str) -> np.ndarray:
    """Require a non-empty uint8 array of shape (n, 28, 28)."""
    if not isinstance(images, np.ndarray):
        raise DataError(f"{source}: {name} must be a NumPy array, got {type(images).__name__}")
    if images.dtype != np.uint8:
        raise DataError(f"{source}: {name} must be uint8, got {images.dtype}")
    if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE) or len(images) == 0:
        raise DataError(
            f"{source}: {name} must have shape (n>0, {IMAGE_SIDE}, {IMAGE_SIDE}), got {images.shape}"
        )
    return images


def _check_labels(labels: object, name: str, source: str) -> np.ndarray:
    """Require a uint8 array of shape (n,) holding digits 0..9."""
    if not isinstance(labels, np.ndarray):
        raise DataError(f"{source}: {name} must be a NumPy array, got {type(labels).__name__}")
    if labels.dtype != np.uint8:
        raise DataError(f"{source}: {name} must be uint8, got {labels.dtype}")
    if labels.ndim != 1:
        raise DataError(f"{source}: {name} must have shape (n,), got {labels.shape}")
    if labels.size and labels.max() >= NUM_CLASSES:
        bad = int(labels[labels >= NUM_CLASSES][0])
        raise DataError(f"{source}: {name} must hold digits 0-9, found {bad}")
    return labels


def _read_only_view(array: np.ndarray) -> np.ndarray:
    """A view that cannot be written through; the caller's array keeps its own flags."""
    view = array.view()
    view.flags.writeable = False
    return view


def find_mnist_files(folder: str | Path) -> dict[str, Path | None] | None:
    """Report which MNIST files a folder holds, without reading them.

    Parameters
    ----------
    folder : str or Path
        The folder to look in.

    Returns
    -------
    dict or None
        ``None`` if the folder does not exist or holds no MNIST file at all. Otherwise a dict
        with the keys ``"train_images"``, ``"train_labels"``, ``"test_images"`` and
        ``"test_labels"``, each mapped to the file that provides it, or ``None`` if missing.
        A complete IDX set wins; otherwise an ``mnist.npz`` provides all four roles.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    idx_files = {role: _first_existing(folder, names) for role, names in MNIST_FILE_NAMES.items()}
    if all(idx_files.values()):
        return idx_files
    npz = folder / NPZ_FILE_NAME
    if npz.is_file():
        return dict.fromkeys(MNIST_FILE_NAMES, npz)
    if any(idx_files.values()):
        return idx_files
    return None


def _first_existing(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    return None


def load_mnist(folder: str | Path) -> MnistData:
    """Load MNIST from a folder of IDX files or an ``mnist.npz`` (in the folder, or given).

    Parameters
    ----------
    folder : str or Path
        A folder holding the four IDX files (``train-images-idx3-ubyte[.gz]`` and friends, or
        the ``train-images.idx3-ubyte`` spelling) or ``mnist.npz``; a path to an .npz file
        also works.

    Returns
    -------
    MnistData
        Validated arrays; ``source`` is the folder (or .npz) path.

    Raises
    ------
    DataError
        If files are missing (the message lists them and says how to get MNIST) or any file
        is corrupt or inconsistent.
    """
    folder = Path(folder).expanduser()
    if folder.is_file() and folder.suffix == ".npz":
        return load_mnist_npz(folder)
    found = find_mnist_files(folder)
    if found is None or not all(found.values()):
        raise DataError(_missing_message(folder, found))
    if found["train_images"].name == NPZ_FILE_NAME:
        return load_mnist_npz(found["train_images"])
    arrays = {role: read_idx(path) for role, path in found.items()}
    for role, array in arrays.items():
        expected_ndim = 3 if role.endswith("images") else 1
        if array.ndim != expected_ndim:
            raise DataError(
                f"{found[role]}: expected a {expected_ndim}-dimensional IDX file for "
                f"{role.replace('_', ' ')}, found {array.ndim} dimensions"
            )
    return MnistData(**arrays, source=str(folder))


def _missing_message(folder: Path, found: dict[str, Path | None] | None) -> str:
    if not folder.is_dir():
        return f"MNIST folder {folder} does not exist. {HOW_TO_GET_MNIST}"
    missing = [f"{names[0]}[.gz]" for role, names in MNIST_FILE_NAMES.items() if not (found and found[role])]
    return f"MNIST not found in {folder}: missing {', '.join(missing)}. {HOW_TO_GET_MNIST}"


def load_mnist_npz(path: str | Path) -> MnistData:
    """Load MNIST from an ``.npz`` with the Keras keys ``x_train, y_train, x_test, y_test``.

    Parameters
    ----------
    path : str or Path
        The .npz file. It is opened with ``allow_pickle=False``, so it cannot run code.

    Returns
    -------
    MnistData
        Images must be uint8 ``(n, 28, 28)``; integer labels of any width are accepted if they
        lie in 0..9 and are converted to uint8.

    Raises
    ------
    DataError
        If the file cannot be read, is not an .npz, lacks a key, or holds bad arrays.
    """
    path = Path(path).expanduser()
    try:
        # Open the file ourselves: np.load leaks its own handle when the zip is broken.
        with path.open("rb") as handle:
            archive = np.load(handle, allow_pickle=False)
            if not hasattr(archive, "files"):
                raise DataError(f"{path}: a single .npy array, not an .npz archive")
            with archive:
                missing = [key for key in NPZ_KEYS.values() if key not in archive.files]
                if missing:
                    raise DataError(
                        f"{path}: missing arrays {', '.join(missing)} "
                        f"(found: {', '.join(archive.files) or 'none'})"
                    )
                arrays = {role: archive[key] for role, key in NPZ_KEYS.items()}
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        # ValueError covers non-NumPy files and object arrays refused by allow_pickle=False;
        # NumPy's own advice for the latter (load it unsafely) is not advice for our users.
        reason = "it holds pickled objects, which DigitLab never loads" if "pickle" in str(exc) else exc
        raise DataError(f"{path}: not a readable .npz file ({reason})") from exc
    for role in ("train_labels", "test_labels"):
        arrays[role] = _labels_as_uint8(arrays[role], f"{path}: {NPZ_KEYS[role]}")
    return MnistData(**arrays, source=str(path))


def _labels_as_uint8(labels: np.ndarray, name: str) -> np.ndarray:
    """Narrow integer labels to uint8, checking the range first so nothing wraps around."""
    if labels.dtype == np.uint8 or labels.dtype.kind not in "iu":
        return labels  # uint8 already, or a non-integer type MnistData will reject by name
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        bad = labels[(labels < 0) | (labels >= NUM_CLASSES)][0]
        raise DataError(f"{name} must hold digits 0-9, found {bad}")
    return labels.astype(np.uint8)
