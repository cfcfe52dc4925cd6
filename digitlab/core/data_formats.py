"""Bounded readers for MNIST's two file formats: IDX (raw or gzip) and the ``.npy`` members of an ``.npz``.

A hostile data file can declare, or decompress to, far more bytes than it holds: a 1 MB gzip
expands to 1 GiB, a 4 MB zip member to 4 GiB. Both readers therefore read the header first,
refuse a declared size over :data:`MAX_ARRAY_BYTES`, and then read exactly the declared number
of bytes, stopping at the first byte too many. Peak memory is the declared size at most, and
only the bytes actually delivered are ever touched (``np.empty`` pages are committed on write).
"""

from __future__ import annotations

import gzip
import math
import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from digitlab.core.errors import DataError

#: Largest array a data file may declare: 128 MiB is about 171,000 28x28 images, nearly three
#: times MNIST's training set (45 MiB), and keeps train/evaluate far below 600 MiB peak.
MAX_ARRAY_BYTES = 128 * 2**20

# An IDX magic number is 0x00 0x00 <dtype code> <number of dimensions>; MNIST only uses the
# unsigned-byte code with 1 (labels) or 3 (images) dimensions.
_IDX_UBYTE = 0x08
_IDX_ALLOWED_NDIM = (1, 3)
_GZIP_MAGIC = b"\x1f\x8b"
_READ_CHUNK = 1 << 20
#: An .npz listing more members is refused before its directory is parsed into memory.
MAX_NPZ_MEMBERS = 1000
# Bounds an .npy header (NumPy's own reader also stops at 10,000 bytes).
_NPY_MAX_HEADER = 10_000


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file of unsigned bytes, gzip-compressed or raw, with bounded memory.

    Parameters
    ----------
    path : str or Path
        The file. It is decompressed if it starts with the gzip signature, whatever its name.

    Returns
    -------
    np.ndarray
        uint8, shape ``(n,)`` for a label file or ``(n, rows, cols)`` for an image file.

    Raises
    ------
    DataError
        If the file cannot be read, is corrupt gzip, is not an unsigned-byte IDX file with 1 or
        3 dimensions, declares more than ``MAX_ARRAY_BYTES``, or its payload is not exactly the
        size its header announces.
    """
    path = Path(path)
    try:
        with path.open("rb") as raw_stream:
            signature = raw_stream.read(2)
            raw_stream.seek(0)
            if signature == _GZIP_MAGIC:
                with gzip.GzipFile(fileobj=raw_stream) as stream:
                    return _read_idx_stream(path, stream, raw_size=None)
            if path.suffix == ".gz":
                raise DataError(
                    f"{path}: named .gz but is not gzip-compressed{_guess_format(raw_stream.read(16))}")
            return _read_idx_stream(path, raw_stream, raw_size=path.stat().st_size)
    except DataError:
        raise
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        # BadGzipFile for bad headers and CRCs, EOFError for a cut-off stream, zlib.error for
        # damaged compressed data.
        raise DataError(f"{path}: corrupt or truncated gzip file ({exc})") from exc
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _read_idx_stream(path: Path, stream: BinaryIO, raw_size: int | None) -> np.ndarray:
    """Header, size checks, then exactly the declared payload; ``raw_size`` is None for gzip."""
    magic = _read_up_to(stream, 4)
    if len(magic) < 4:
        raise DataError(f"{path}: only {len(magic)} bytes, too short to be an IDX file")
    zero0, zero1, dtype_code, ndim = magic
    if zero0 != 0 or zero1 != 0 or dtype_code != _IDX_UBYTE or ndim not in _IDX_ALLOWED_NDIM:
        raise DataError(
            f"{path}: not an MNIST IDX file (magic number 0x{magic.hex()}, expected "
            f"0x00000801 for labels or 0x00000803 for images){_guess_format(magic)}"
        )
    header_size = 4 + 4 * ndim
    dim_bytes = _read_up_to(stream, 4 * ndim)
    if len(dim_bytes) < 4 * ndim:
        raise DataError(
            f"{path}: truncated header: expected {header_size} bytes, found {4 + len(dim_bytes)}")
    dims = tuple(int(d) for d in np.frombuffer(dim_bytes, dtype=">u4"))
    # Python ints, so an absurd header cannot overflow the product.
    expected = math.prod(dims)
    shape_text = "x".join(map(str, dims))
    if raw_size is not None and raw_size - header_size != expected:
        actual = raw_size - header_size
        problem = "truncated" if actual < expected else "has trailing bytes"
        raise DataError(
            f"{path}: {problem}: header says {shape_text}, so expected {expected} bytes of data, "
            f"found {actual}")
    if expected > MAX_ARRAY_BYTES:
        raise DataError(
            f"{path}: header says {shape_text} ({expected:,} bytes), more than the "
            f"{MAX_ARRAY_BYTES // 2**20} MiB DigitLab reads from one data file")
    payload = np.empty(expected, dtype=np.uint8)
    filled = _read_into(stream, payload)
    if filled < expected:
        raise DataError(
            f"{path}: truncated: header says {shape_text}, so expected {expected} bytes of data, "
            f"found {filled}")
    if stream.read(1):
        raise DataError(
            f"{path}: has trailing bytes: header says {shape_text}, so expected {expected} bytes "
            f"of data, found more")
    return payload.reshape(dims)


def _read_up_to(stream: BinaryIO, count: int) -> bytes:
    """Up to ``count`` bytes (fewer only at the end of the stream)."""
    parts, remaining = [], count
    while remaining:
        part = stream.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _read_into(stream: BinaryIO, payload: np.ndarray) -> int:
    """Fill ``payload`` (1-D uint8) from ``stream`` in bounded chunks; return the bytes read."""
    view = memoryview(payload)
    filled = 0
    while filled < len(view):
        count = stream.readinto(view[filled:filled + _READ_CHUNK])
        if not count:
            break
        filled += count
    return filled


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


def read_npz_arrays(path: str | Path, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Read the named arrays of an ``.npz``, checking each member's header before its data.

    Each member's ``.npy`` header (dtype, shape, order) is read from the zip stream and checked
    against its declared uncompressed size and ``MAX_ARRAY_BYTES`` before any array memory is
    allocated; the data is then read in bounded chunks, so a zip bomb costs nothing. Object
    (pickled) and structured dtypes are refused; other members of the archive are never read.

    Parameters
    ----------
    path : str or Path
        The .npz file.
    names : sequence of str
        Array names without the ``.npy`` suffix, e.g. ``("x_train", "y_train")``.

    Returns
    -------
    dict of str to np.ndarray
        Each requested array, in the order asked.

    Raises
    ------
    DataError
        If the file is not a zip archive, lacks a name (the message lists what it holds), or a
        member is corrupt, pickled, too large or not the size its header says.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            if handle.read(6) == b"\x93NUMPY":
                raise DataError(f"{path}: a single .npy array, not an .npz archive")
            _check_member_count(path, handle)
            with zipfile.ZipFile(handle) as archive:
                members = {info.filename.removesuffix(".npy"): info for info in archive.infolist()}
                missing = [name for name in names if name not in members]
                if missing:
                    raise DataError(
                        f"{path}: missing arrays {', '.join(missing)} "
                        f"(found: {', '.join(members) or 'none'})")
                return {name: _read_member(path, archive, members[name]) for name in names}
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError) as exc:
        # ValueError: a malformed .npy header; NotImplementedError: an unsupported compression.
        raise DataError(f"{path}: not a readable .npz file ({exc})") from exc


def _check_member_count(path: Path, handle: BinaryIO) -> None:
    """Refuse an archive listing more than ``MAX_NPZ_MEMBERS`` members, before zipfile parses them.

    The count is read from the end-of-central-directory record (the last 22 bytes, plus a
    comment of up to 64 KiB); 0xFFFF there means a ZIP64 archive of 65,535 members or more.
    Without the record, zipfile's own error names the problem.
    """
    size = handle.seek(0, 2)
    handle.seek(max(0, size - 22 - 0xFFFF))
    tail = handle.read()
    handle.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return
    (count,) = struct.unpack("<H", tail[at + 10:at + 12])
    if count > MAX_NPZ_MEMBERS:
        shown = "65,535 or more" if count == 0xFFFF else f"{count:,}"
        raise DataError(f"{path}: lists {shown} members; an MNIST .npz has 4 "
                        f"(at most {MAX_NPZ_MEMBERS:,} are accepted)")


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    name = info.filename.removesuffix(".npy")
    where = f"{path}: {name}"
    if info.file_size > MAX_ARRAY_BYTES + _NPY_MAX_HEADER:
        raise DataError(
            f"{where} declares {info.file_size:,} bytes, more than the "
            f"{MAX_ARRAY_BYTES // 2**20} MiB DigitLab reads from one data file")
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise DataError(f"{where}: unsupported .npy format version {version}")
        if dtype.hasobject:
            raise DataError(
                f"{path}: not a readable .npz file (it holds pickled objects, which DigitLab "
                f"never loads)")
        if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
            raise DataError(f"{where} has dtype {dtype}; MNIST arrays hold plain numbers")
        count = math.prod(shape)
        data_bytes = count * dtype.itemsize
        header_bytes = member.tell()
        if data_bytes > MAX_ARRAY_BYTES:
            raise DataError(
                f"{where} has shape {shape} ({data_bytes:,} bytes), more than the "
                f"{MAX_ARRAY_BYTES // 2**20} MiB DigitLab reads from one data file")
        if header_bytes + data_bytes != info.file_size:
            raise DataError(
                f"{where}: header says shape {shape} of {dtype} ({data_bytes:,} bytes), but the "
                f"member holds {info.file_size - header_bytes:,}")
        payload = np.empty(data_bytes, dtype=np.uint8)
        if _read_into(member, payload) != data_bytes or member.read(1):
            raise DataError(f"{where}: member is shorter or longer than its header says")
    array = payload.view(dtype)
    if fortran_order:
        return array.reshape(shape[::-1]).transpose()
    return array.reshape(shape)
