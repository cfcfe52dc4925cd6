"""The zip side of a model file: members listed and checked before any array is read.

A model file is an ``.npz``: a zip whose members are ``.npy`` files. :func:`open_model_archive`
reads only the zip's directory and each member's ``.npy`` header (a few hundred bytes), and
refuses, with one line and before reading any array,

- anything that is not a zip of ``.npy`` members, encrypted or oddly compressed members, and
  duplicate names;
- member names outside :data:`ALLOWED_MEMBER` / :data:`EXTRA_MEMBERS` (so a 1 GiB extra member
  is never decompressed);
- arrays that are not real float32/float64 (complex, object, i.e. pickled, integer...), a
  ``config`` that is not a short string, and headers whose declared size differs from the
  member's size in the zip;
- a total larger than :data:`MEMORY_BUDGET`, or expanding from a small file by more than
  :data:`MAX_EXPANSION` (a compressed bomb).

Arrays are read afterwards by :meth:`ModelArchive.read_array`, exactly the declared number of
bytes, so memory is bounded by what the headers promised.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from .errors import ModelFileError

#: names of parameter and buffer arrays a layer may own (``layers.<i>.<name>``)
PARAM_NAMES = ("W", "b", "alpha", "gamma", "beta", "running_mean", "running_var")
#: ``layers.<index>.<name>``; the index is checked against the config later
#: optimiser slots saved for resuming: one vector over all parameters, e.g. optimizer.velocity.all
#: and the best epoch's parameters kept for keep-best (best.all); both as long as all parameters
OPTIMIZER_SLOT = re.compile(r"optimizer\.[a-z][a-z0-9_]{0,40}\.all|best\.all")
ALLOWED_MEMBER = re.compile(r"layers\.(0|[1-9][0-9]{0,5})\.(" + "|".join(PARAM_NAMES) + r")|"
                            + OPTIMIZER_SLOT.pattern)
#: further members a model file may hold besides ``config`` (add new record members here)
EXTRA_MEMBERS: set[str] = set()
#: members holding JSON text (a 0-d Unicode string of at most MAX_CONFIG_CHARS) rather than
#: float arrays; a text member added to EXTRA_MEMBERS goes here too
TEXT_MEMBERS: set[str] = {"config"}

#: most bytes of arrays a model file may hold (parameters are float32: 268 million numbers)
MEMORY_BUDGET = 1024**3
#: a file may decompress to at most this many times its size on disk ...
MAX_EXPANSION = 20
#: ... once it holds more than this (small files of zero-initialised biases compress well)
FREE_EXPANSION = 16 * 1024**2
#: characters of the JSON config (stored as UTF-32: four bytes each)
MAX_CONFIG_CHARS = 4 * 1024**2
#: members a model file may have (a network has at most a few thousand arrays)
MAX_MEMBERS = 10_000
#: dimensions of a stored array (a convolution's W has four)
MAX_NDIM = 4

_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_NPY_VERSIONS = {(1, 0): np.lib.format.read_array_header_1_0,
                 (2, 0): np.lib.format.read_array_header_2_0}


@dataclass(frozen=True)
class Member:
    """One ``.npy`` member as its header declares it."""

    name: str  # without the ".npy" suffix, e.g. "layers.0.W"
    info: zipfile.ZipInfo
    shape: tuple[int, ...]
    fortran_order: bool
    dtype: np.dtype
    data_offset: int  # bytes of magic + header before the data

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


class ModelArchive:
    """An open model file whose members have passed :func:`open_model_archive`'s checks."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, members: dict[str, Member]) -> None:
        self.path = path
        self._archive = archive
        self.members = members

    def __enter__(self) -> ModelArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self._archive.close()

    @property
    def array_names(self) -> list[str]:
        """Names of the weight arrays (every member but ``config`` and the extras)."""
        return [n for n in self.members if ALLOWED_MEMBER.fullmatch(n)]

    def read_array(self, name: str) -> np.ndarray:
        """The array ``name``: exactly the bytes its header declared, CRC-checked."""
        member = self.members[name]
        array = np.empty(math.prod(member.shape), dtype=member.dtype)
        try:
            with self._archive.open(member.info) as stream:
                _read_exactly(stream, member.data_offset)
                _read_into(stream, memoryview(array).cast("B"))
                if stream.read(1):  # also makes zipfile check the CRC of the whole member
                    raise ValueError("data beyond the declared shape")
        except ModelFileError:
            raise
        except Exception as exc:  # zlib.error, BadZipFile (bad CRC), EOFError, OSError...
            raise _corrupt(self.path, name, exc) from None
        order = "F" if member.fortran_order else "C"
        return array.reshape(member.shape, order=order)

    def read_text(self, name: str = "config") -> str:
        """A text member's JSON text (``config`` by default)."""
        array = self.read_array(name)
        try:
            return str(array.reshape(())[()])
        except Exception as exc:  # code points beyond Unicode in the UTF-32 data
            raise _corrupt(self.path, name, exc) from None


def open_model_archive(path: str | os.PathLike) -> ModelArchive:
    """Open ``path`` and check every member's name, type and size without reading arrays.

    Raises
    ------
    ModelFileError
        One line: what is wrong and where.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    try:
        with open(path, "rb") as stream:
            start = stream.read(6)
    except OSError as exc:
        raise ModelFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if start == b"\x93NUMPY":
        raise ModelFileError(f"{path} is not a DigitLab model file (a single .npy array, not an .npz)")
    if not start.startswith(b"PK"):
        raise ModelFileError(f"{path} is not a DigitLab model file (not a zip archive)")
    try:
        entries = _declared_entries(path)
        if entries is not None and entries > MAX_MEMBERS:
            raise ModelFileError(f"{path} is not a DigitLab model file ({entries:,} members)")
        archive = zipfile.ZipFile(path)
    except ModelFileError:
        raise
    except Exception as exc:  # BadZipFile, OSError, ValueError, struct.error on a mangled directory
        raise ModelFileError(f"{path} is not a DigitLab model file (not a readable .npz: "
                             f"{_one_line(exc)})") from None
    try:
        members = _check_members(path, archive)
    except BaseException:
        archive.close()
        raise
    return ModelArchive(path, archive, members)


def _declared_entries(path: Path) -> int | None:
    """The member count the zip's end record declares, read before ``ZipFile`` builds an object
    per member (millions of tiny entries would take gigabytes). None if there is no end record."""
    with open(path, "rb") as stream:
        # zipfile's own end-record reader: private, but unchanged since Python 2
        end_record = zipfile._EndRecData(stream)  # type: ignore[attr-defined]
    return None if end_record is None else int(end_record[zipfile._ECD_ENTRIES_TOTAL])  # type: ignore[attr-defined]


def _check_members(path: Path, archive: zipfile.ZipFile) -> dict[str, Member]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ModelFileError(f"{path} is not a DigitLab model file ({len(infos):,} members)")
    names = [info.filename for info in infos]
    if "config.npy" not in names:
        raise ModelFileError(f"{path} is an .npz file but not a DigitLab model (no 'config' entry)")
    if len(set(names)) != len(names):
        raise ModelFileError(f"{path}: the model file lists a member twice")
    for info in infos:
        name = info.filename.removesuffix(".npy")
        if not info.filename.endswith(".npy") or not (
                name == "config" or name in EXTRA_MEMBERS or ALLOWED_MEMBER.fullmatch(name)):
            raise ModelFileError(f"{path}: unexpected member {info.filename[:80]!r} in the model file")
        if info.flag_bits & 0x1:
            raise ModelFileError(f"{path}: member {name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(f"{path}: member {name} uses an unsupported compression")
    members = {}
    for info in infos:  # a header is at most a few kilobytes into its member
        member = _read_header(path, archive, info)
        members[member.name] = member
    _check_budget(path, sum(info.file_size for info in infos))
    return members


def _check_budget(path: Path, declared: int) -> None:
    """Refuse a total beyond the budget, or a small file that inflates too much."""
    if declared > MEMORY_BUDGET:
        raise ModelFileError(f"{path}: the model's arrays would take {declared / 1024**2:,.0f} MiB "
                             f"(at most {MEMORY_BUDGET // 1024**2:,} MiB)")
    on_disk = path.stat().st_size
    if declared > max(FREE_EXPANSION, MAX_EXPANSION * on_disk):
        raise ModelFileError(f"{path}: the model file would expand from {on_disk:,} bytes to "
                             f"{declared:,} (a compressed bomb?)")


def _read_header(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Member:
    name = info.filename.removesuffix(".npy")
    try:
        with archive.open(info) as stream:
            version = np.lib.format.read_magic(stream)
            if version not in _NPY_VERSIONS:
                raise ValueError(f"unsupported .npy version {version}")
            # dtype descriptions that need pickle (object fields) are refused by the header
            # reader's safe literal parser; object dtypes parse but are refused just below
            shape, fortran_order, dtype = _NPY_VERSIONS[version](stream)
            data_offset = stream.tell()
    except Exception as exc:  # a bad magic, a mangled header, zlib or CRC errors
        raise _corrupt(path, name, exc) from None
    _check_array_type(path, name, shape, dtype)
    member = Member(name, info, tuple(shape), bool(fortran_order), dtype, data_offset)
    if data_offset + member.nbytes != info.file_size:
        raise ModelFileError(f"{path}: member {name} declares {member.nbytes:,} bytes of data but "
                             f"holds {info.file_size - data_offset:,}")
    return member


def _check_array_type(path: Path, name: str, shape: Any, dtype: np.dtype) -> None:
    if dtype.hasobject:
        raise ModelFileError(f"{path}: {name} holds Python objects (pickled data), which DigitLab "
                             "never loads")
    if any(d < 0 for d in shape):
        raise ModelFileError(f"{path}: {name} has a negative dimension {tuple(shape)}")
    if len(shape) > MAX_NDIM:
        raise ModelFileError(f"{path}: {name} has {len(shape)} dimensions (at most {MAX_NDIM})")
    if name in TEXT_MEMBERS:
        if dtype.kind != "U" or shape != ():
            raise ModelFileError(f"{path}: the model's {name} is not a text entry ({dtype}, {shape})")
        if dtype.itemsize // 4 > MAX_CONFIG_CHARS:
            raise ModelFileError(f"{path}: the model's {name} has {dtype.itemsize // 4:,} characters "
                                 f"(at most {MAX_CONFIG_CHARS:,})")
    elif dtype.kind == "c":
        raise ModelFileError(f"{path}: {name} holds complex numbers; weights must be real float32 "
                             "or float64")
    elif dtype.newbyteorder("=") not in _FLOAT_DTYPES or dtype.fields is not None:
        raise ModelFileError(f"{path}: {name} has type {dtype}; weights must be float32 or float64")


def _read_exactly(stream: IO[bytes], count: int) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise EOFError(f"member ends after {len(data)} of {count} bytes")
    return data


def _read_into(stream: IO[bytes], target: memoryview) -> None:
    """Fill ``target`` from ``stream`` in 1 MiB steps (no second copy of the array)."""
    done = 0
    while done < len(target):
        count = stream.readinto(target[done:done + 2**20])
        if not count:
            raise EOFError(f"member ends after {done:,} of {len(target):,} bytes of data")
        done += count


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def _corrupt(path: Path, name: str, exc: BaseException) -> ModelFileError:
    return ModelFileError(f"{path}: member {name} of the model file is corrupt ({_one_line(exc)})")
