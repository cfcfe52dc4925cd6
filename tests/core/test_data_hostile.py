"""Issue 12: hostile IDX and .npz files are refused from their headers, reading nothing extra.

The memory bounds of the same files through the command line are measured in
tests/cli/test_hostile_input.py; here the readers' decisions are checked in process.
"""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from digitlab.core.data import MAX_ARRAY_BYTES, load_mnist, load_mnist_npz, read_idx
from digitlab.core.errors import DataError


def _idx_header(*dims: int) -> bytes:
    return bytes([0, 0, 8, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)


def test_gzip_stream_longer_than_its_header_stops_at_the_first_extra_byte(tmp_path):
    """Data beyond what the header declares is an error, found without inflating the rest."""
    path = tmp_path / "labels.gz"
    # 3 labels declared; 64 MiB follow. Many members, so "the rest" is easy to measure.
    members = [gzip.compress(_idx_header(3) + b"\x01\x02\x03")] + [gzip.compress(bytes(1 << 20))] * 64
    path.write_bytes(b"".join(members))
    with pytest.raises(DataError, match="trailing bytes.*expected 3 bytes.*found more"):
        read_idx(path)


def test_header_over_the_cap_is_refused_before_reading(tmp_path):
    """A header declaring more than MAX_ARRAY_BYTES is refused by its numbers alone."""
    path = tmp_path / "images.gz"
    path.write_bytes(gzip.compress(_idx_header(2**32 - 1, 28, 28)))
    with pytest.raises(DataError, match="MiB DigitLab reads"):
        read_idx(path)
    rows = MAX_ARRAY_BYTES // (28 * 28) + 1
    path.write_bytes(gzip.compress(_idx_header(rows, 28, 28)))
    with pytest.raises(DataError, match=f"{rows}x28x28"):
        read_idx(path)


def test_raw_file_size_is_checked_against_the_header_before_reading(tmp_path):
    """A raw file declaring billions of images is 'truncated' from its size, not read."""
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(_idx_header(2**32 - 1, 28, 28) + bytes(100))
    with pytest.raises(DataError, match="truncated.*found 100"):
        read_idx(path)


# --- .npz members -----------------------------------------------------------------------------

def _npz(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _npy_header_only(shape: tuple[int, ...], descr: object = "|u1") -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def _good_members() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    return {"x_train.npy": _npy(rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)),
            "y_train.npy": _npy(rng.integers(0, 10, 6).astype(np.int64)),
            "x_test.npy": _npy(rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)),
            "y_test.npy": _npy(rng.integers(0, 10, 3, dtype=np.uint8))}


@pytest.mark.parametrize(("member", "pattern"), [
    (_npy_header_only((10**9, 28, 28)), "declares|more than"),  # a declared 784 GB array
    (_npy_header_only((6, 28, 28), "<f8") + bytes(10), "but the member holds"),
    (_npy_header_only((6,), "|O"), "pickled objects"),
    (_npy_header_only((6,), [("a", "<i4")]), "plain numbers"),
    (b"\x93NUMPY\x09\x00" + bytes(20), "not a readable .npz|format version"),
    (b"not an npy file at all", "not a readable .npz"),
], ids=["huge-shape", "size-mismatch", "object", "structured", "bad-version", "garbage"])
def test_npz_member_headers_are_checked_before_data(tmp_path, member, pattern):
    """Each member's .npy header (dtype, shape, size) is judged before its data is read."""
    members = _good_members()
    members["x_train.npy"] = member
    with pytest.raises(DataError, match=pattern):
        load_mnist_npz(_npz(tmp_path / "mnist.npz", members))


def test_npz_bomb_is_refused_from_the_zip_directory(hostile_data):
    """A member whose declared size exceeds the cap is refused before it is decompressed."""
    with pytest.raises(DataError, match="x_train declares 268,435,456 bytes"):
        load_mnist(hostile_data["npz_bomb"])


def test_npz_stored_and_fortran_order_members_still_load(tmp_path):
    """Uncompressed zips (np.savez) and Fortran-ordered arrays read back exactly."""
    rng = np.random.default_rng(1)
    x_train = np.asfortranarray(rng.integers(0, 256, (6, 28, 28), dtype=np.uint8))
    members = _good_members()
    members["x_train.npy"] = _npy(x_train)
    data = load_mnist_npz(_npz(tmp_path / "mnist.npz", members, zipfile.ZIP_STORED))
    np.testing.assert_array_equal(data.train_images, x_train)


def test_extra_members_are_never_read(tmp_path):
    """A huge extra member beside the four arrays costs nothing: only named members are read."""
    members = _good_members()
    members["junk.npy"] = _npy_header_only((10**9,))
    assert load_mnist_npz(_npz(tmp_path / "mnist.npz", members)).num_train == 6


def test_npz_listing_thousands_of_members_is_refused_before_parsing(tmp_path):
    """The member count is read from the zip's end record; a huge directory is never parsed."""
    members = _good_members()
    members.update({f"pad{i}.npy": b"" for i in range(1001)})
    with pytest.raises(DataError, match="lists 1,005 members"):
        load_mnist_npz(_npz(tmp_path / "mnist.npz", members))
