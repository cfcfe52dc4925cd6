"""Mutation fuzzing of model files: every mutated file must load or be refused in one line.

Each iteration takes a valid model (a dense one with PReLU and batch norm, a convolutional one;
stored or deflated), applies one to four random mutations -- JSON edits (hostile values, deep
nesting, NaN/Infinity/1e400), array edits (dtype, shape, NaN, negative variances), member edits
(added, removed, renamed, a 64 MiB compressed extra) and byte edits (flips, truncation,
insertion) -- and runs ``digitlab info`` on it, in-process in a worker, then (if it loads and
fits) a prediction on a drawn stroke. An outcome is

- ``ok``: exit 0, nothing on stderr;
- ``refused``: exit 1 and exactly one line on stderr;
- ``bad``: anything else -- a traceback, another exit code, several lines -- or a hang past the
  time cap (the worker is killed and restarted).

The worker reports its peak memory (``VmHWM`` of ``/proc/self/status``, the process's own
high-water mark; ``getrusage`` would also count the parent's, which Linux carries over exec).

    python benchmarks/fuzz_models.py                    # 1,000 iterations, seed 0
    python benchmarks/fuzz_models.py --iterations 200 --seed 7 --json

Exit code 1 if any outcome is ``bad`` or the peak memory exceeds ``--max-mib`` (300). The
property-based tests in ``tests/core/test_model_fuzz.py`` reuse the mutations and the worker.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import select
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

#: chooses an index in ``range(n)``: a seeded generator here, hypothesis's draws in the tests
Pick = Callable[[int], int]
Members = dict[str, bytes]  # member name (with ".npy") -> the .npy file's bytes

HOSTILE_VALUES: list[Any] = [
    0, -1, 1, 2**31, 10**6, 128_000, 10**18, 0.5, -0.0, 1e308, 1e-320, True, None, "", "1",
    "x" * 1000, [], [0], [784], [1, 28, 28], [[1]], {}, {"type": "dense"}, "same", 3000,
]
RAW_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "9" * 30, "1" * 5000]
DTYPES = ["complex64", "int32", "float16", "uint8", ">f4", "<f8", "bool", "S4", "U3"]


# -- seed models ---------------------------------------------------------------------------------
def seed_models() -> list[Members]:
    """Valid model files (as member dicts) to start from: a dense and a conv network."""
    from digitlab.core.config import NetworkSpec, TrainConfig
    from digitlab.core.events import EpochMetrics
    from digitlab.core.inputs import InputTransform
    from digitlab.core.network import Network
    from digitlab.core.resume import ResumeState, generator_state
    from digitlab.core.serialization import SavedModel, save_model

    dense = [{"type": "dense", "units": 16}, {"type": "batch_norm"}, {"type": "prelu"},
             {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 10}, {"type": "softmax"}]
    conv = [{"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": "same"},
            {"type": "batch_norm"}, {"type": "relu"}, {"type": "max_pool2d", "pool_size": 2},
            {"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": 1},
            {"type": "avg_pool2d", "pool_size": 2}, {"type": "flatten"},
            {"type": "dense", "units": 10}, {"type": "softmax"}]
    history = [EpochMetrics(1, 0.5, 0.9, None, None, 0.4, 0.91, 1.0, 0.1, 1000.0)]
    seeds = []
    with tempfile.TemporaryDirectory() as folder:
        for index, (layers, shape) in enumerate([(dense, [784]), (conv, [1, 28, 28])]):
            net = Network.from_config({"input_shape": shape, "layers": layers})
            config = TrainConfig(NetworkSpec.from_dict(net.get_config())).with_settings(
                optimizer="momentum", lr=0.1)
            rng = generator_state(np.random.default_rng(index))
            resume = ResumeState(2, 10, 0, 2, 0.1, rng, rng, {}, 2,
                                 {"velocity.all": np.zeros(net.parameter_count, np.float32)})
            model = SavedModel(net, InputTransform(1 / 255, 0.13, 0.31), config, history,
                               command="fuzz", provenance=[{"kind": "trained"}], resume=resume)
            path = save_model(Path(folder) / f"seed{index}.npz", model)
            with zipfile.ZipFile(path) as archive:
                seeds.append({info.filename: archive.read(info) for info in archive.infolist()})
    return seeds


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def load_npy(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(data), allow_pickle=False)


def to_zip(members: Members, compressed: bool) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# -- member-level mutations --------------------------------------------------------------------
def _json_paths(value: Any, path: tuple = ()) -> list[tuple]:
    paths = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _json_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _json_paths(item, path + (index,))
    return paths


def _config(members: Members) -> dict | None:
    """The config as JSON, or None when an earlier mutation already broke or removed it."""
    try:
        config = json.loads(str(load_npy(members["config.npy"])[()]))
    except (KeyError, ValueError, RecursionError):
        return None
    return config if isinstance(config, dict) and config else None


def _set_config_text(members: Members, text: str) -> None:
    members["config.npy"] = npy_bytes(np.array(text))


def mutate_json_value(members: Members, pick: Pick) -> None:
    """Replace one value anywhere in the config with a hostile one, or delete it."""
    config = _config(members)
    if config is None:
        return
    paths = _json_paths(config)[1:]
    path = paths[pick(len(paths))]
    parent = config
    for step in path[:-1]:
        parent = parent[step]
    if pick(5) == 0 and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = HOSTILE_VALUES[pick(len(HOSTILE_VALUES))]
    _set_config_text(members, json.dumps(config))


def mutate_json_text(members: Members, pick: Pick) -> None:
    """Put a number JSON cannot hold, deep nesting or a huge string into the config text."""
    config = _config(members)
    if config is None:
        return
    paths = [p for p in _json_paths(config)[1:] if isinstance(p[-1], str)]
    path = paths[pick(len(paths))]
    parent = config
    for step in path[:-1]:
        parent = parent[step]
    marker = "__FUZZ__"
    parent[path[-1]] = marker
    choice = pick(4)
    if choice == 0:
        raw = RAW_NUMBERS[pick(len(RAW_NUMBERS))]
    elif choice == 1:
        depth = [10, 65, 1000, 100_000][pick(4)]
        raw = "[" * depth + "]" * depth
    elif choice == 2:
        raw = json.dumps("v" * [100, 10_000, 5_000_000][pick(3)])
    else:
        raw = "[" * 50_000  # unbalanced
    _set_config_text(members, json.dumps(config).replace(json.dumps(marker), raw, 1))


def mutate_array(members: Members, pick: Pick) -> None:
    """Change one weight array's dtype, shape or values."""
    names = sorted(n for n in members if n.startswith("layers."))
    if not names:
        return
    name = names[pick(len(names))]
    try:
        array = load_npy(members[name])
    except ValueError:  # already mutated into something np.load refuses
        return
    if array.size == 0 or array.dtype.kind not in "fc":
        return
    choice = pick(5)
    if choice == 0:
        with warnings.catch_warnings():  # complex to real: the point of the mutation
            warnings.simplefilter("ignore")
            array = array.astype(DTYPES[pick(len(DTYPES))])
    elif choice == 1:
        array = np.zeros([(1, 3), (0,), (array.size + 1,), (2, 2, 2, 2, 2)][pick(4)], np.float32)
    elif choice == 2:
        array = array.copy()
        array.flat[pick(array.size)] = [np.nan, np.inf, -np.inf, -1.0, 3e38][pick(5)]
    elif choice == 3:
        array = array.astype(np.complex64) + 1j
    else:
        array = np.asfortranarray(array.T) if array.ndim > 1 else array[::-1].copy()
    members[name] = npy_bytes(array)


def mutate_members(members: Members, pick: Pick) -> None:
    """Add, remove or rename a member."""
    names = sorted(members)
    choice = pick(4)
    if not names:
        return
    if choice == 0:
        del members[names[pick(len(names))]]
    elif choice == 1:
        old = names[pick(len(names))]
        new = ["layers.99.W.npy", "config", "layers.0.W.npy", "evil.npy", "layers.-1.b.npy",
               "../x.npy", "layers.00.W.npy"][pick(7)]
        members[new] = members.pop(old)
    elif choice == 2:
        extra = ["extra.npy", "layers.1.W.npy", "layers.0.gamma.npy", "config.npy"][pick(4)]
        members[extra] = npy_bytes(np.zeros([3, 100, 1000][pick(3)], np.float32))
    else:
        members["layers.0.W.npy"] = npy_bytes(np.zeros(16 * 1024**2, np.float32))  # 64 MiB


# -- byte-level mutations ----------------------------------------------------------------------
def flip_bytes(data: bytes, pick: Pick) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(1 + pick(8)):
        out[pick(len(out))] ^= 1 << pick(8)
    return bytes(out)


def truncate(data: bytes, pick: Pick) -> bytes:
    return data[:pick(len(data))] if data else data


def insert_bytes(data: bytes, pick: Pick) -> bytes:
    at = pick(len(data) + 1)
    return data[:at] + bytes(pick(256) for _ in range(1 + pick(64))) + data[at:]


MEMBER_MUTATIONS = [mutate_json_value, mutate_json_text, mutate_array, mutate_members]
BYTE_MUTATIONS = [flip_bytes, truncate, insert_bytes]


def mutated_file(seeds: list[Members], pick: Pick) -> bytes:
    """One mutated model file: a seed, 0-2 member mutations, a zip, 0-2 byte mutations, at
    least one mutation in all."""
    members = dict(seeds[pick(len(seeds))])
    member_steps, byte_steps = pick(3), pick(3)
    if member_steps + byte_steps == 0:
        member_steps = 1
    for _ in range(member_steps):
        MEMBER_MUTATIONS[pick(len(MEMBER_MUTATIONS))](members, pick)
    data = to_zip(members, compressed=bool(pick(2)))
    for _ in range(byte_steps):
        data = BYTE_MUTATIONS[pick(len(BYTE_MUTATIONS))](data, pick)
    return data


# -- the worker: one file at a time, in a process of its own -----------------------------------
def peak_mib() -> float:
    """This process's own peak resident memory in MiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def check_file(path: str) -> dict[str, Any]:
    """Run ``digitlab info`` on ``path`` in-process, then a prediction if the model fits."""
    from digitlab.cli import main
    from digitlab.cli.model_commands import predict_image
    from digitlab.core.errors import ModelFileError
    from digitlab.core.model_fit import check_fits_mnist
    from digitlab.core.serialization import load_model

    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["info", path])
        lines = err.getvalue().splitlines()
        if code == 0 and not lines:
            outcome, message = "ok", ""
        elif code == 1 and len(lines) == 1:
            outcome, message = "refused", lines[0]
        else:
            outcome, message = "bad", f"exit {code}, stderr {err.getvalue()[:500]!r}"
        if outcome == "ok":
            try:
                model = load_model(path)
                check_fits_mnist(model.network, path)
                stroke = np.zeros((40, 40), np.float32)
                stroke[8:32, 18:22] = 1.0
                with np.errstate(all="ignore"):  # mutated weights may overflow: not our question
                    predict_image(model, stroke)
            except ModelFileError:
                pass
    except BaseException:  # anything escaping main() is a traceback a user would see
        outcome, message = "bad", traceback.format_exc(limit=-3)
    return {"outcome": outcome, "message": message, "peak_mib": round(peak_mib(), 1)}


def worker() -> None:
    """Read file paths from stdin, one per line; write one JSON result per line."""
    for line in sys.stdin:
        sys.stdout.write(json.dumps(check_file(line.rstrip("\n"))) + "\n")
        sys.stdout.flush()


class WorkerProcess:
    """A running worker with a time cap per file (restarted after a hang)."""

    def __init__(self, time_cap: float = 30.0) -> None:
        self.time_cap = time_cap
        self._proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
        return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def check(self, path: Path) -> dict[str, Any]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        self._proc.stdin.write(f"{path}\n")
        self._proc.stdin.flush()
        ready, _, _ = select.select([self._proc.stdout], [], [], self.time_cap)
        line = self._proc.stdout.readline() if ready else ""
        if not line:
            self.close()
            return {"outcome": "bad", "message": f"no answer within {self.time_cap:.0f} s (hang or "
                                                 "crash)", "peak_mib": 0.0}
        return json.loads(line)

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None


# -- the command -------------------------------------------------------------------------------
def run(iterations: int, seed: int, folder: Path, time_cap: float) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    pick: Pick = lambda n: int(rng.integers(n))  # noqa: E731
    seeds = seed_models()
    counts: Counter[str] = Counter()
    bad: list[dict[str, Any]] = []
    worst = 0.0
    started = time.perf_counter()
    worker_process = WorkerProcess(time_cap)
    try:
        for iteration in range(iterations):
            path = folder / f"mutant{iteration % 2}.npz"
            path.write_bytes(mutated_file(seeds, pick))
            result = worker_process.check(path)
            counts[result["outcome"]] += 1
            worst = max(worst, result["peak_mib"])
            if result["outcome"] == "bad":
                kept = folder / f"bad{len(bad)}.npz"
                path.replace(kept)
                bad.append({"iteration": iteration, "file": str(kept), "message": result["message"]})
    finally:
        worker_process.close()
    return {"iterations": iterations, "seed": seed, "outcomes": dict(counts), "bad": bad,
            "worst_peak_mib": worst, "seconds": round(time.perf_counter() - started, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-mib", type=float, default=300.0, help="peak memory allowed")
    parser.add_argument("--time-cap", type=float, default=30.0, help="seconds per file")
    parser.add_argument("--keep", metavar="DIR", help="folder for the files (kept; bad ones too)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        summary = run(args.iterations, args.seed, folder, args.time_cap)
    for item in summary["bad"]:
        print(f"BAD iteration {item['iteration']}: {item['message']}")
    print(f"{summary['iterations']} mutated model files in {summary['seconds']} s: "
          + ", ".join(f"{k} {v}" for k, v in sorted(summary["outcomes"].items()))
          + f"; worst peak memory {summary['worst_peak_mib']:.0f} MiB")
    if args.json:
        print(json.dumps(summary))
    return 1 if summary["bad"] or summary["worst_peak_mib"] > args.max_mib else 0


if __name__ == "__main__":
    sys.exit(main())
