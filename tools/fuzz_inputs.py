"""Fuzz DigitLab's readers of untrusted files: IDX, .npz, the settings file and images.

Each target feeds random and mutated inputs to one reader and demands one of two outcomes:
the input is accepted (a well-formed result) or refused with DigitLab's own one-line error
(``DataError``; for settings, the default). Anything else (a traceback) is a failure.

Usage::

    python tools/fuzz_inputs.py TARGET [TARGET ...]      # idx npz settings images, or all
    python tools/fuzz_inputs.py idx-mutations --iterations 1000 --seed 0

The hypothesis targets use the profile named by ``DIGITLAB_FUZZ`` (``fast``: 25 examples each,
derandomised, what the test suite runs; ``long``: 2,000 each). ``idx-mutations`` mutates a
valid MNIST folder (raw or gzip) N times with a seeded generator and loads it each time. Every
run prints its counts and its own peak memory; the exit code is 1 if any traceback occurred.
tests/test_fuzz.py runs the fast profile in a subprocess with a memory and time cap.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import io
import json
import logging
import os
import resource
import struct
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digitlab.core.data import load_mnist, load_mnist_npz, read_idx
from digitlab.core.errors import DataError

settings.register_profile("fast", max_examples=25, deadline=None, database=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=2000, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("DIGITLAB_FUZZ", "fast"))

WORK = Path(tempfile.mkdtemp(prefix="digitlab-fuzz-"))
counts: collections.Counter[str] = collections.Counter()


# --- mutations ----------------------------------------------------------------------------------

def _idx(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


mutation = st.tuples(st.sampled_from(["flip", "set", "cut", "insert", "big"]),
                     st.integers(0, 1 << 16), st.integers(0, 255))


def mutate(data: bytes, ops: list[tuple[str, int, int]]) -> bytes:
    """Apply byte-level mutations: flip/set a byte, cut the tail, insert, or a huge u32."""
    buffer = bytearray(data)
    for kind, position, value in ops:
        at = position % (len(buffer) + 1)
        if kind == "flip" and buffer:
            buffer[at % len(buffer)] ^= 1 << (value % 8)
        elif kind == "set" and buffer:
            buffer[at % len(buffer)] = value
        elif kind == "cut":
            del buffer[at:]
        elif kind == "insert":
            buffer[at:at] = bytes([value]) * (1 + value % 64)
        elif kind == "big":
            buffer[at:at + 4] = struct.pack(">I", 0xFFFFFFFF - value)
    return bytes(buffer)


def _expect(outcome: str) -> None:
    counts[outcome] += 1


# --- IDX --------------------------------------------------------------------------------------

@st.composite
def idx_files(draw) -> bytes:
    if draw(st.booleans()):
        raw = draw(st.binary(max_size=4096))
    else:
        n = draw(st.integers(0, 4))
        shape = draw(st.sampled_from([(n,), (n, 28, 28), (n, 3, 5)]))
        array = np.frombuffer(draw(st.binary(min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))),
                              np.uint8).reshape(shape)
        raw = mutate(_idx(array), draw(st.lists(mutation, max_size=4)))
    if draw(st.booleans()):
        raw = mutate(gzip.compress(raw, 1), draw(st.lists(mutation, max_size=2)))
    return raw


@given(idx_files())
def fuzz_idx(raw: bytes) -> None:
    path = WORK / "fuzz-idx"
    path.write_bytes(raw)
    try:
        array = read_idx(path)
    except DataError:
        _expect("refused")
        return
    assert array.dtype == np.uint8 and array.ndim in (1, 3)
    _expect("accepted")


# --- .npz -------------------------------------------------------------------------------------

def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _npy_header(shape: tuple[int, ...], descr: str) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def _good_npz_members() -> dict[str, bytes]:
    rng = np.random.default_rng(0)
    return {"x_train.npy": _npy(rng.integers(0, 256, (4, 28, 28), dtype=np.uint8)),
            "y_train.npy": _npy(rng.integers(0, 10, 4)),
            "x_test.npy": _npy(rng.integers(0, 256, (2, 28, 28), dtype=np.uint8)),
            "y_test.npy": _npy(rng.integers(0, 10, 2, dtype=np.uint8))}


@st.composite
def npz_files(draw) -> bytes:
    members = _good_npz_members()
    if draw(st.booleans()):  # a member with an arbitrary header
        name = draw(st.sampled_from(sorted(members)))
        shape = tuple(draw(st.lists(st.integers(0, 2**40), max_size=3)))
        descr = draw(st.sampled_from(["|u1", "<i8", ">i4", "<f8", "|O", "|S5", "<U3", "|V8", "|b1"]))
        members[name] = _npy_header(shape, descr) + draw(st.binary(max_size=2048))
    buffer = io.BytesIO()
    compression = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return mutate(buffer.getvalue(), draw(st.lists(mutation, max_size=4)))


@given(npz_files())
def fuzz_npz(raw: bytes) -> None:
    path = WORK / "mnist.npz"
    path.write_bytes(raw)
    try:
        data = load_mnist_npz(path)
    except DataError:
        _expect("refused")
        return
    assert data.train_images.shape[1:] == (28, 28)
    _expect("accepted")


# --- settings ---------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children,
                                                                        max_size=4),
    max_leaves=20)


@st.composite
def settings_texts(draw) -> str:
    from digitlab.core.presets import get_preset

    kind = draw(st.sampled_from(["json", "preset", "deep", "text"]))
    if kind == "json":
        return json.dumps(draw(json_values))
    if kind == "preset":
        base = json.dumps(get_preset("mlp").to_dict())
        return mutate(base.encode(), draw(st.lists(mutation, max_size=4))).decode("utf-8", "replace")
    if kind == "deep":
        depth = draw(st.integers(1, 200_000))
        return draw(st.sampled_from(["[", '{"a":'])) * depth
    return draw(st.text(max_size=200))


@given(settings_texts(), json_values, st.binary(max_size=256), st.booleans())
def fuzz_settings(config_text: str, other: object, raw_ini: bytes, raw_file: bool) -> None:
    from PySide6.QtCore import QSettings

    from digitlab.gui.settings import AppSettings

    path = WORK / "settings.ini"
    for leftover in (path, path.with_name("settings.ini.bad")):
        leftover.unlink(missing_ok=True)
    if raw_file:
        path.write_bytes(raw_ini)
    else:
        store = QSettings(str(path), QSettings.Format.IniFormat)
        store.setValue("train/config", config_text)
        for key in ("window/tab", "data/folder", "models/recent", "ui/language"):
            store.setValue(key, json.dumps(other) if isinstance(other, (dict, list)) else other)
        store.sync()
        del store
    app_settings = AppSettings(path)
    config = app_settings.train_config()
    app_settings.main_tab(), app_settings.data_dir(), app_settings.recent_models()
    app_settings.language(), app_settings.window_geometry()
    _expect("accepted" if config is not None else "default")


# --- images -----------------------------------------------------------------------------------

@functools.cache
def _image_seeds() -> dict[str, bytes]:
    from digitlab.imageio import save_grey_image

    image = (np.arange(24 * 20).reshape(24, 20) % 256).astype(np.uint8)
    seeds = {}
    for suffix in ("png", "jpg", "bmp", "gif"):
        path = WORK / f"seed.{suffix}"
        try:
            save_grey_image(path, image)
        except DataError:
            continue  # a plugin this Qt build lacks
        seeds[suffix] = path.read_bytes()
    return seeds


@st.composite
def image_files(draw) -> tuple[str, bytes]:
    seeds = _image_seeds()
    if draw(st.integers(0, 4)) == 0:
        return "png", draw(st.binary(max_size=2048))
    suffix = draw(st.sampled_from(sorted(seeds)))
    return suffix, mutate(seeds[suffix], draw(st.lists(mutation, min_size=1, max_size=6)))


@given(image_files())
def fuzz_images(case: tuple[str, bytes]) -> None:
    from digitlab.imageio import load_grey_image

    suffix, raw = case
    path = WORK / f"fuzz.{suffix}"
    path.write_bytes(raw)
    try:
        grey = load_grey_image(path)
    except DataError:
        _expect("refused")
        return
    assert grey.dtype == np.uint8 and grey.ndim == 2
    _expect("accepted")


# --- the mutation run over whole MNIST folders --------------------------------------------------

def idx_mutations(iterations: int, seed: int) -> int:
    """Mutate one file of a valid MNIST folder ``iterations`` times; count the outcomes."""
    rng = np.random.default_rng(seed)
    roles = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
             "t10k-labels-idx1-ubyte")
    arrays = {roles[0]: rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
              roles[1]: rng.integers(0, 10, 20, dtype=np.uint8),
              roles[2]: rng.integers(0, 256, (8, 28, 28), dtype=np.uint8),
              roles[3]: rng.integers(0, 10, 8, dtype=np.uint8)}
    kinds = ["flip", "set", "cut", "insert", "big"]
    for iteration in range(iterations):
        folder = WORK / f"mnist-{iteration % 2}"
        folder.mkdir(exist_ok=True)
        for leftover in folder.iterdir():
            leftover.unlink()
        compressed = bool(rng.integers(2))
        victim = roles[rng.integers(len(roles))]
        for name, array in arrays.items():
            data = _idx(array)
            if compressed:
                data = gzip.compress(data, 1)
            if name == victim:
                ops = [(kinds[rng.integers(len(kinds))], int(rng.integers(1 << 16)), int(rng.integers(256)))
                       for _ in range(rng.integers(1, 5))]
                data = mutate(data, ops)
            (folder / (name + (".gz" if compressed else ""))).write_bytes(data)
        try:
            load_mnist(folder)
            counts["loaded"] += 1
        except DataError as exc:
            counts["refused with one line" if "\n" not in str(exc) else "refused (several lines)"] += 1
        except Exception:  # noqa: BLE001 - counting tracebacks is the point
            counts["tracebacks"] += 1
            traceback.print_exc(limit=3, file=sys.stdout)
    return counts["tracebacks"]


TARGETS = {"idx": fuzz_idx, "npz": fuzz_npz, "settings": fuzz_settings, "images": fuzz_images}


class _CountingHandler(logging.Handler):
    """Expected warnings (a dropped setting) are counted, not printed; a logged traceback is a
    failure like a raised one."""

    def emit(self, record: logging.LogRecord) -> None:
        counts["logged warnings"] += record.levelno >= logging.WARNING
        if record.exc_info:
            counts["tracebacks"] += 1
            print(self.format(record), file=sys.stdout)


def main(argv: list[str] | None = None) -> int:
    logging.getLogger().addHandler(_CountingHandler())
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="+", choices=[*TARGETS, "all", "idx-mutations"])
    parser.add_argument("--iterations", type=int, default=1000, help="for idx-mutations")
    parser.add_argument("--seed", type=int, default=0, help="for idx-mutations")
    args = parser.parse_args(argv)
    names = list(TARGETS) if "all" in args.targets else args.targets
    failed = False
    for name in names:
        counts.clear()
        try:
            if name == "idx-mutations":
                failed |= idx_mutations(args.iterations, args.seed) > 0
            else:
                TARGETS[name]()
        except Exception:  # noqa: BLE001 - hypothesis re-raises the falsifying example
            failed = True
            counts["tracebacks"] += 1
            traceback.print_exc(file=sys.stdout)
        counts.setdefault("tracebacks", 0)
        failed |= counts["tracebacks"] > 0
        summary = ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))
        inputs = sum(v for k, v in counts.items() if k not in ("tracebacks", "logged warnings"))
        print(f"{name}: {inputs} inputs: {summary}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
