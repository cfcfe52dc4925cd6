"""Tests for digitlab.core.data: IDX parsing, MnistData validation, folder and .npz loading."""

from __future__ import annotations

import gzip
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitlab.core.data import (
    MnistData,
    find_mnist_files,
    load_mnist,
    load_mnist_npz,
    read_idx,
)
from digitlab.core.errors import DataError


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array as IDX: magic 0x0000 08 <ndim>, big-endian uint32 dims, the data."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_idx(path: Path, array: np.ndarray) -> Path:
    """Write ``array`` as IDX, gzip-compressed when the name ends in .gz."""
    payload = idx_bytes(array)
    path.write_bytes(gzip.compress(payload) if path.suffix == ".gz" else payload)
    return path


def synthetic_arrays(n_train: int = 12, n_test: int = 5, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, n_train, dtype=np.uint8),
        "test_images": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


STANDARD_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def write_idx_folder(folder: Path, arrays: dict[str, np.ndarray], suffix: str = ".gz") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for role, name in STANDARD_NAMES.items():
        write_idx(folder / (name + suffix), arrays[role])
    return folder


# --- read_idx -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("shape", [(7,), (3, 28, 28), (2, 5, 4)])
def test_read_idx_round_trips(tmp_path: Path, suffix: str, shape: tuple[int, ...]) -> None:
    """read_idx returns exactly the uint8 array that was written, raw or gzip."""
    array = np.arange(np.prod(shape), dtype=np.uint64).reshape(shape).astype(np.uint8)
    loaded = read_idx(write_idx(tmp_path / f"data-idx{suffix}", array))
    assert loaded.dtype == np.uint8
    np.testing.assert_array_equal(loaded, array)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(0, 255), min_size=0, max_size=60).map(
        lambda values: np.array(values, dtype=np.uint8)
    )
)
def test_read_idx_round_trips_any_label_vector(labels: np.ndarray) -> None:
    """Any 1-d uint8 vector, empty included, survives an IDX round trip."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        loaded = read_idx(write_idx(Path(folder) / "labels.gz", labels))
    np.testing.assert_array_equal(loaded, labels)


def test_read_idx_detects_gzip_by_content(tmp_path: Path) -> None:
    """A gzip-compressed IDX file loads even when its name lacks .gz."""
    path = tmp_path / "labels-idx1-ubyte"
    path.write_bytes(gzip.compress(idx_bytes(np.array([1, 2, 3], dtype=np.uint8))))
    np.testing.assert_array_equal(read_idx(path), [1, 2, 3])


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_truncated_file_names_file_and_byte_counts(tmp_path: Path, suffix: str) -> None:
    """A payload shorter than the header announces is a DataError quoting expected vs found."""
    payload = idx_bytes(np.zeros((2, 28, 28), dtype=np.uint8))[:-100]
    path = tmp_path / f"images{suffix}"
    path.write_bytes(gzip.compress(payload) if suffix else payload)
    with pytest.raises(DataError, match="truncated") as info:
        read_idx(path)
    message = str(info.value)
    assert str(path) in message and "1568" in message and "1468" in message


def test_trailing_bytes_are_rejected(tmp_path: Path) -> None:
    """Extra bytes after the announced payload are a DataError, not silently ignored."""
    path = tmp_path / "labels"
    path.write_bytes(idx_bytes(np.array([1, 2, 3], dtype=np.uint8)) + b"\x00\x00")
    with pytest.raises(DataError, match=r"trailing bytes.*expected 3 bytes.*found 5"):
        read_idx(path)


def test_truncated_header_is_rejected(tmp_path: Path) -> None:
    """A file that stops inside the dimension list is a DataError."""
    path = tmp_path / "images"
    path.write_bytes(bytes([0, 0, 8, 3, 0, 0, 0, 1]))
    with pytest.raises(DataError, match="truncated header"):
        read_idx(path)


@pytest.mark.parametrize(
    "magic",
    [
        bytes([0, 0, 0x0D, 3]),  # float32 IDX
        bytes([0, 0, 0x08, 2]),  # two dimensions
        bytes([1, 0, 0x08, 1]),  # non-zero leading bytes
        bytes([0x03, 0x08, 0, 0]),  # little-endian magic
    ],
)
def test_wrong_magic_is_rejected(tmp_path: Path, magic: bytes) -> None:
    """Only unsigned-byte IDX files with 1 or 3 dimensions are accepted."""
    path = tmp_path / "weird"
    path.write_bytes(magic + b"\x00" * 64)
    with pytest.raises(DataError, match="magic number"):
        read_idx(path)


def test_foreign_file_is_recognised(tmp_path: Path) -> None:
    """A PNG saved under an IDX name is a DataError that says it looks like a PNG."""
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(DataError, match="PNG"):
        read_idx(path)


def test_gz_name_without_gzip_content_is_rejected(tmp_path: Path) -> None:
    """A .gz file that is not gzip (e.g. an HTML error page) is a DataError naming the cause."""
    path = tmp_path / "labels.gz"
    path.write_bytes(b"<html>Not Found</html>")
    with pytest.raises(DataError, match="not gzip.*HTML"):
        read_idx(path)


@pytest.mark.parametrize("damage", ["cut", "flip", "crc"])
def test_corrupt_gzip_is_a_data_error(tmp_path: Path, damage: str) -> None:
    """Truncated, bit-flipped or bad-CRC gzip data raises DataError, never a raw traceback."""
    rng = np.random.default_rng(1)
    compressed = bytearray(gzip.compress(idx_bytes(rng.integers(0, 256, (4, 28, 28), np.uint8))))
    if damage == "cut":
        compressed = compressed[: len(compressed) // 2]
    elif damage == "flip":
        for offset in range(20, len(compressed) - 8, 7):
            compressed[offset] ^= 0xFF
    else:
        compressed[-8] ^= 0xFF  # the CRC-32 in the trailer
    path = tmp_path / "images.gz"
    path.write_bytes(bytes(compressed))
    with pytest.raises(DataError, match="corrupt or truncated gzip"):
        read_idx(path)


@pytest.mark.parametrize("content", [None, b"", b"\x00\x00"])
def test_missing_or_tiny_file_is_a_data_error(tmp_path: Path, content: bytes | None) -> None:
    """A missing, empty or 2-byte file is a DataError naming the path."""
    path = tmp_path / "labels"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError, match="labels"):
        read_idx(path)


# --- MnistData ------------------------------------------------------------------------------


def test_mnist_data_accepts_valid_arrays_and_protects_them() -> None:
    """Valid arrays are stored as read-only views; the caller's arrays stay writable."""
    arrays = synthetic_arrays()
    data = MnistData(**arrays, source="memory")
    assert (data.num_train, data.num_test) == (12, 5)
    assert not data.train_images.flags.writeable
    assert arrays["train_images"].flags.writeable
    with pytest.raises(ValueError):
        data.train_labels[0] = 3


def test_summary_mentions_counts_and_source() -> None:
    """summary() gives both split sizes and the source in one line."""
    summary = MnistData(**synthetic_arrays(), source="/data/mnist").summary()
    assert "12 train" in summary and "5 test" in summary and "/data/mnist" in summary
    assert "\n" not in summary


@pytest.mark.parametrize(
    ("role", "bad", "pattern"),
    [
        ("train_labels", np.full(12, 10, dtype=np.uint8), "digits 0-9, found 10"),
        ("test_labels", np.zeros(4, dtype=np.uint8), "5 images but 4 labels"),
        ("train_images", np.zeros((12, 28, 27), dtype=np.uint8), r"shape \(n>0, 28, 28\)"),
        ("train_images", np.zeros((0, 28, 28), dtype=np.uint8), r"shape \(n>0, 28, 28\)"),
        ("test_images", np.zeros((5, 28, 28), dtype=np.float32), "must be uint8"),
        ("test_labels", np.zeros((5, 1), dtype=np.uint8), r"shape \(n,\)"),
        ("train_labels", [0] * 12, "NumPy array"),
    ],
)
def test_mnist_data_rejects_bad_arrays(role: str, bad: object, pattern: str) -> None:
    """Wrong shapes, dtypes, counts or labels outside 0..9 raise a DataError naming the array."""
    arrays = synthetic_arrays()
    arrays[role] = bad
    with pytest.raises(DataError, match=pattern) as info:
        MnistData(**arrays, source="memory")
    assert "memory" in str(info.value)


# --- folders --------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_load_mnist_from_idx_folder(tmp_path: Path, suffix: str) -> None:
    """A folder of the four standard IDX files (raw or gz) loads into matching arrays."""
    arrays = synthetic_arrays()
    data = load_mnist(write_idx_folder(tmp_path, arrays, suffix))
    for role, expected in arrays.items():
        np.testing.assert_array_equal(getattr(data, role), expected)
    assert data.source == str(tmp_path)


def test_load_mnist_accepts_dotted_names(tmp_path: Path) -> None:
    """The ``train-images.idx3-ubyte`` spelling some mirrors use is accepted too."""
    arrays = synthetic_arrays()
    for role, name in STANDARD_NAMES.items():
        write_idx(tmp_path / name.replace("-idx", ".idx"), arrays[role])
    assert load_mnist(tmp_path).num_train == 12


def test_missing_files_are_listed_with_a_remedy(tmp_path: Path) -> None:
    """The error names each missing file and says how to download or point at MNIST."""
    arrays = synthetic_arrays()
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", arrays["train_images"])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", arrays["test_labels"])
    with pytest.raises(DataError) as info:
        load_mnist(tmp_path)
    message = str(info.value)
    assert "train-labels-idx1-ubyte" in message and "t10k-images-idx3-ubyte" in message
    missing_list = message.split(": missing ")[1].split(". ")[0]
    assert "train-images" not in missing_list and "t10k-labels" not in missing_list
    for remedy in ("digitlab download", "--data DIR", "DIGITLAB_MNIST_DIR", "mnist.npz"):
        assert remedy in message


def test_missing_folder_is_a_data_error(tmp_path: Path) -> None:
    """A folder that does not exist is a DataError with the same remedy."""
    with pytest.raises(DataError, match="does not exist.*digitlab download"):
        load_mnist(tmp_path / "nowhere")


def test_label_file_in_image_slot_is_rejected(tmp_path: Path) -> None:
    """An IDX file with the wrong number of dimensions for its role is named in the error."""
    arrays = synthetic_arrays()
    write_idx_folder(tmp_path, arrays)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", arrays["train_labels"])
    with pytest.raises(DataError, match="train-images-idx3-ubyte.gz.*3-dimensional"):
        load_mnist(tmp_path)


def test_find_mnist_files_reports_presence(tmp_path: Path) -> None:
    """find_mnist_files gives None for nothing, None per missing role, paths for present ones."""
    assert find_mnist_files(tmp_path / "nowhere") is None
    assert find_mnist_files(tmp_path) is None
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(3, dtype=np.uint8))
    found = find_mnist_files(tmp_path)
    assert found == {
        "train_images": None,
        "train_labels": tmp_path / "train-labels-idx1-ubyte.gz",
        "test_images": None,
        "test_labels": None,
    }


def test_find_mnist_files_prefers_a_complete_idx_set_then_npz(tmp_path: Path) -> None:
    """An npz fills every role unless a complete IDX set is present."""
    arrays = synthetic_arrays()
    np.savez(
        tmp_path / "mnist.npz",
        x_train=arrays["train_images"],
        y_train=arrays["train_labels"],
        x_test=arrays["test_images"],
        y_test=arrays["test_labels"],
    )
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", arrays["train_labels"])
    assert set(find_mnist_files(tmp_path).values()) == {tmp_path / "mnist.npz"}
    write_idx_folder(tmp_path, arrays)
    assert tmp_path / "mnist.npz" not in find_mnist_files(tmp_path).values()


# --- npz ------------------------------------------------------------------------------------


def save_npz(path: Path, arrays: dict[str, np.ndarray], **overrides: object) -> Path:
    keyed = {
        "x_train": arrays["train_images"],
        "y_train": arrays["train_labels"],
        "x_test": arrays["test_images"],
        "y_test": arrays["test_labels"],
    }
    keyed.update(overrides)
    np.savez(path, **{key: value for key, value in keyed.items() if value is not None})
    return path


def test_load_npz_round_trips_and_widens_nothing(tmp_path: Path) -> None:
    """An mnist.npz loads via load_mnist_npz, load_mnist(folder) and load_mnist(file)."""
    arrays = synthetic_arrays()
    path = save_npz(tmp_path / "mnist.npz", arrays)
    for data in (load_mnist_npz(path), load_mnist(tmp_path), load_mnist(path)):
        np.testing.assert_array_equal(data.test_images, arrays["test_images"])
        assert data.train_images.dtype == data.test_labels.dtype == np.uint8
        assert data.source == str(path)


def test_npz_integer_labels_are_narrowed_to_uint8(tmp_path: Path) -> None:
    """int64 labels in range are accepted and converted to uint8."""
    arrays = synthetic_arrays()
    path = save_npz(tmp_path / "m.npz", arrays, y_train=arrays["train_labels"].astype(np.int64))
    assert load_mnist_npz(path).train_labels.dtype == np.uint8


def test_npz_missing_keys_are_listed(tmp_path: Path) -> None:
    """An npz without the Keras keys is a DataError listing the missing and the found keys."""
    path = save_npz(tmp_path / "m.npz", synthetic_arrays(), y_test=None, x_train=None)
    with pytest.raises(DataError, match=r"missing arrays x_train, y_test \(found: y_train, x_test\)"):
        load_mnist_npz(path)


@pytest.mark.parametrize("bad_label", [10, -1, 256])
def test_npz_labels_out_of_range_are_rejected(tmp_path: Path, bad_label: int) -> None:
    """Labels outside 0..9 are refused before any narrowing could wrap them into range."""
    arrays = synthetic_arrays()
    labels = arrays["test_labels"].astype(np.int64)
    labels[2] = bad_label
    path = save_npz(tmp_path / "m.npz", arrays, y_test=labels)
    with pytest.raises(DataError, match=f"digits 0-9, found {bad_label}"):
        load_mnist_npz(path)


def test_npz_object_arrays_are_refused(tmp_path: Path) -> None:
    """Pickled object arrays are never loaded (allow_pickle=False) and give a DataError."""
    arrays = synthetic_arrays()
    path = save_npz(tmp_path / "m.npz", arrays, y_test=np.array([object()] * 5))
    with pytest.raises(DataError, match="not a readable .npz"):
        load_mnist_npz(path)


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_npz_foreign_or_broken_file_is_a_data_error(tmp_path: Path, content: bytes) -> None:
    """A file that is not a valid npz is a DataError naming it."""
    path = tmp_path / "mnist.npz"
    path.write_bytes(content)
    with pytest.raises(DataError, match="mnist.npz"):
        load_mnist_npz(path)


# --- the real data and the import boundary --------------------------------------------------


@pytest.mark.mnist
def test_real_mnist_loads_with_known_statistics(mnist_dir: Path) -> None:
    """The real MNIST folder loads 60000/10000 examples with the quoted pixel mean 0.1307."""
    data = load_mnist(mnist_dir)
    assert data.train_images.shape == (60000, 28, 28)
    assert data.test_images.shape == (10000, 28, 28)
    assert (data.num_train, data.num_test) == (60000, 10000)
    assert set(np.unique(data.train_labels)) == set(range(10))
    assert data.train_images.mean() / 255 == pytest.approx(0.1307, abs=5e-4)


def test_data_module_imports_only_numpy_and_stdlib() -> None:
    """Importing digitlab.core.data loads neither Qt nor appdirs."""
    probe = (
        "import sys, digitlab.core.data\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'pyqtgraph', 'shiboken6', 'appdirs'} or m.startswith('digitlab.gui')]\n"
        "print(','.join(bad))"
    )
    repo_root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=repo_root
    )
    assert result.stdout.strip() == ""
