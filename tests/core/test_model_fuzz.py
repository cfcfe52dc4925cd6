"""Property-based fuzzing of the model loader: random and mutated files, one line, bounded memory.

Files are generated here with hypothesis and checked in a worker process
(``benchmarks/fuzz_models.py --worker``), which runs ``digitlab info`` on each in-process, then a
prediction if the model loads and fits, and reports its own peak memory; a file that takes more
than the time cap kills the worker and fails. The mutations are the fuzz script's, driven by
hypothesis's choices so failures shrink.

Profiles: a fast one (a few seconds) by default; ``DIGITLAB_FUZZ=long`` for thousands of files.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
#: peak memory any file may cost the worker (python, NumPy and DigitLab take about 45 MiB)
PEAK_MIB = 300

_spec = importlib.util.spec_from_file_location("fuzz_models", REPO / "benchmarks" / "fuzz_models.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

settings.register_profile("fast", max_examples=30, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=2000, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
PROFILE = "long" if os.environ.get("DIGITLAB_FUZZ") == "long" else "fast"


@pytest.fixture(scope="module")
def worker():
    process = fuzz.WorkerProcess(time_cap=30.0)
    yield process
    process.close()


@pytest.fixture(scope="module")
def seeds():
    return fuzz.seed_models()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "model.npz"


def _check(worker, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    result = worker.check(path)
    assert result["outcome"] in ("ok", "refused"), result["message"]
    assert result["peak_mib"] <= PEAK_MIB, result


@settings.get_profile(PROFILE)
@given(prefix=st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06", b"\x93NUMPY\x01\x00"]),
       body=st.binary(max_size=4096))
def test_random_bytes_are_refused_in_one_line(worker, scratch, prefix, body):
    """Random bytes, with or without a zip or .npy signature, are refused in one line."""
    _check(worker, scratch, prefix + body)


@settings.get_profile(PROFILE)
@given(data=st.data())
def test_mutated_model_files_load_or_are_refused_in_one_line(worker, seeds, scratch, data):
    """Valid files with flipped, cut or inserted bytes, members added, removed or renamed, arrays
    retyped or reshaped and JSON mutated, load or are refused in one line, within PEAK_MIB."""
    pick = lambda n: data.draw(st.integers(0, n - 1))  # noqa: E731
    _check(worker, scratch, fuzz.mutated_file(seeds, pick))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


@settings.get_profile(PROFILE)
@given(seed_index=st.integers(0, 1), data=st.data(), value=JSON_VALUES)
def test_any_json_value_in_any_config_field(worker, seeds, scratch, seed_index, data, value):
    """Any JSON value put anywhere in a valid config loads or is refused in one line."""
    members = dict(seeds[seed_index])
    config = json.loads(str(fuzz.load_npy(members["config.npy"])[()]))
    paths = fuzz._json_paths(config)[1:]
    path = paths[data.draw(st.integers(0, len(paths) - 1))]
    parent = config
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    members["config.npy"] = fuzz.npy_bytes(fuzz.np.array(json.dumps(config)))
    _check(worker, scratch, fuzz.to_zip(members, compressed=False))
