"""Reading hostile model files: refused in one line, before anything large is allocated."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from digitlab.core.bounded_json import JSONLimitError, loads_bounded, nesting_depth
from digitlab.core.errors import ConfigError, ModelFileError
from digitlab.core.evaluation import inference_batch_size
from digitlab.core.model_archive import EXTRA_MEMBERS, MAX_EXPANSION, MAX_MEMBERS
from digitlab.core.model_fit import check_fits_mnist
from digitlab.core.network import MAX_LAYERS, Network, network_plan, plan_sizes
from digitlab.core.presets import get_preset, preset_names
from digitlab.core.serialization import FORMAT_VERSION, SavedModel, load_model, save_model

#: what a load may allocate for the hostile cases: their arrays are 0.8 MB, a refusal far less
LOAD_MEMORY_MIB = 32


def _load_traced(path: Path) -> tuple[str, float]:
    """load_model's one-line error (or "loaded") and the peak MiB NumPy and Python allocated."""
    tracemalloc.start()
    try:
        load_model(path)
        outcome = "loaded"
    except ModelFileError as exc:
        assert exc.__cause__ is None and (exc.__suppress_context__ or exc.__context__ is None)
        outcome = str(exc)
    finally:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return outcome, peak


def test_hostile_model_file_is_refused_in_one_line_with_bounded_memory(hostile_models, hostile_case):
    """Each model-file case of issue 12 loads (if valid) or is refused with one line naming the
    file and the problem, allocating at most a few MiB (the network is never built for it)."""
    case = hostile_models[hostile_case]
    outcome, peak = _load_traced(case.path)
    assert peak < LOAD_MEMORY_MIB, f"{peak:.0f} MiB allocated"
    if case.loads:
        assert outcome == "loaded"
        return
    assert "\n" not in outcome and str(case.path) in outcome and len(outcome) <= 300
    assert case.fragment in outcome.lower(), outcome
    assert "allow_pickle" not in outcome and "newer" not in outcome


@pytest.mark.parametrize("name", ["inputs-392", "outputs-5"])
def test_model_for_other_data_loads_but_does_not_fit_mnist(hostile_models, name):
    """A model with 392 inputs or 5 outputs is a valid file, but check_fits_mnist refuses it."""
    case = hostile_models[name]
    model = load_model(case.path)
    with pytest.raises(ModelFileError, match=case.fragment) as info:
        check_fits_mnist(model.network, case.path.name)
    assert case.path.name in str(info.value)


@pytest.mark.parametrize("name", sorted(preset_names()))
def test_every_preset_fits_mnist_and_plans_like_the_built_network(name):
    """network_plan gives exactly the shapes Network allocates, for every preset, and every
    preset passes check_fits_mnist and evaluates in full batches."""
    network = get_preset(name).build_network()
    plan = network_plan(network.get_config())
    planned = {k: v for step in plan for k, v in step.stored_shapes.items()}
    assert planned == {k: v.shape for k, v in network.state_dict().items()}
    assert plan[-1].output_shape == network.output_shape
    assert plan_sizes(plan)[0] == sum(v.size for v in network.state_dict().values())
    check_fits_mnist(network)
    assert inference_batch_size(network, 256) == 256


def test_plan_of_a_huge_network_allocates_nothing():
    """Planning a network of 10**12 parameters and a 2.6 GB activation costs no memory."""
    config = {"input_shape": [1, 28, 28], "layers": [
        {"type": "conv2d", "filters": 8, "kernel_size": 3, "padding": 3000}, {"type": "flatten"},
        {"type": "dense", "units": 10**6}]}
    tracemalloc.start()
    plan = network_plan(config)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    stored, work = plan_sizes(plan)
    assert stored > 10**12 and work > 6 * 10**8 and peak < 2**20


@pytest.mark.parametrize("config,fragment", [
    ({"input_shape": [True], "layers": [{"type": "relu"}]}, "input_shape"),
    ({"input_shape": [1.0], "layers": [{"type": "relu"}]}, "input_shape"),
    ({"input_shape": [1, 2, 3, 4], "layers": [{"type": "relu"}]}, "input_shape"),
    ({"input_shape": [2**40], "layers": [{"type": "relu"}]}, "too large"),
    ({"input_shape": [2**20, 2**20, 2**20], "layers": [{"type": "relu"}]}, "too large"),
    ({"input_shape": [4], "layers": {"type": "relu"}}, "list"),
    ({"input_shape": [4], "layers": [{"type": ["dense"]}]}, "unknown layer type"),
    ({"input_shape": [4], "layers": [{"type": "relu"}] * (MAX_LAYERS + 1)}, "at most"),
    ({"input_shape": [4], "layers": [{"type": "relu"}], "loss": ["mse"]}, "loss"),
    ({"input_shape": [3, 8, 8], "layers": [{"type": "conv2d", "filters": 2, "kernel_size": 3,
                                            "padding": 10**15}, {"type": "flatten"}]}, "too large"),
])
def test_network_plan_refuses_bad_configs_with_config_error(config, fragment):
    """Malformed or unrepresentable configs are a ConfigError, never a TypeError or overflow."""
    with pytest.raises(ConfigError, match=fragment):
        network_plan(config)


def test_evaluation_batches_shrink_for_memory_hungry_networks():
    """A network needing megabytes per image is evaluated in batches that fit BATCH_MEMORY."""
    config = {"input_shape": [1, 28, 28], "layers": [
        {"type": "conv2d", "filters": 8, "kernel_size": 3, "padding": 300}]}
    network = Network.from_config(config)
    assert 1 <= inference_batch_size(network, 256) < 16


# -- bounded JSON ------------------------------------------------------------------------------
@pytest.mark.parametrize("text,fragment", [
    ("[" * 100_000 + "]" * 100_000, "nested"),
    ('{"a": ' * 65 + "1" + "}" * 65, "nested"),
    ("[NaN]", "NaN"), ('{"x": Infinity}', "Infinity"), ("[-Infinity]", "Infinity"),
    ("[1e400]", "out of range"), ("[-1e400]", "out of range"), ("[" + "9" * 5000 + "]", "too large"),
    ('["\\ud800"]', "Unicode"), ("[1, 2", "not valid JSON"), ("", "not valid JSON"),
])
def test_bounded_json_refuses_with_a_one_line_error(text, fragment):
    """Deep nesting, non-finite or huge numbers, lone surrogates and bad JSON are one-line errors."""
    with pytest.raises(JSONLimitError, match=fragment) as info:
        loads_bounded(text)
    assert "\n" not in str(info.value)


def test_bounded_json_counts_brackets_outside_strings_only():
    """Brackets inside strings (escaped quotes too) do not count as nesting; a long text is refused."""
    text = json.dumps({"a": "[[[[" * 100, "b": 'x\\"[[[[' * 50, "c": [[1.5, -2, None, True]]})
    assert nesting_depth(text) == 3
    assert loads_bounded(text)["c"] == [[1.5, -2, None, True]]
    with pytest.raises(JSONLimitError, match="characters long"):
        loads_bounded("[" + "1," * 100 + "1]", max_chars=50)


# -- metadata --------------------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path) -> Path:
    net = Network.from_config({"input_shape": [4], "layers": [{"type": "dense", "units": 3},
                                                             {"type": "batch_norm"}]})
    return save_model(tmp_path / "small.npz", SavedModel(net))


def _members(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {k: archive[k] for k in archive.files}


def _with_config(path: Path, **changes) -> Path:
    members = _members(path)
    config = {**json.loads(str(members["config"][()])), **changes}
    with open(path, "wb") as stream:
        np.savez(stream, **{**members, "config": np.array(json.dumps(config))})
    return path


@pytest.mark.parametrize("version", ["1", 1.0, True, 0, -3, None, [1]])
def test_format_version_of_the_wrong_type_is_not_called_newer(saved, version):
    """A format_version that is not a whole number >= 1 is "not a valid format_version"."""
    outcome, _ = _load_traced(_with_config(saved, format_version=version))
    assert "not a valid format_version" in outcome and "newer" not in outcome


def test_newer_format_version_asks_for_an_upgrade(saved):
    """A larger whole number means a newer DigitLab wrote the file."""
    outcome, _ = _load_traced(_with_config(saved, format_version=FORMAT_VERSION + 1))
    assert "newer" in outcome and "upgrade" in outcome


@pytest.mark.parametrize("changes,fragment", [
    ({"digitlab_version": "v" * 101}, "digitlab_version"),
    ({"digitlab_version": 3}, "digitlab_version"),
    ({"preprocessing": {"std": "1"}}, "preprocessing std"),
    ({"preprocessing": {"pipeline": ["x"]}}, "pipeline"),
    ({"training": [1]}, "training must be"),
    ({"history": {"epoch": 1}}, "history must be"),
    ({"history": [{"train_loss": 1.0, "train_accuracy": None}]}, "lacks epoch"),
    ({"history": [{"epoch": 1.5, "train_loss": 1.0, "train_accuracy": None}]}, "whole number"),
    ({"history": [{"epoch": 1, "train_loss": True, "train_accuracy": None}]}, "train_loss"),
])
def test_metadata_of_the_wrong_type_is_refused(saved, changes, fragment):
    """Each metadata field of the wrong type is named in a one-line refusal."""
    outcome, _ = _load_traced(_with_config(saved, **changes))
    assert fragment in outcome, outcome


def test_history_with_nulls_and_unknown_keys_loads(saved):
    """Absent values (null) where the format allows them, and unknown keys, are fine."""
    row = {"epoch": 1, "train_loss": 0.5, "train_accuracy": None, "val_loss": None,
           "test_accuracy": 0.9, "future_metric": "anything"}
    model = load_model(_with_config(saved, history=[row]))
    assert model.history[0].train_accuracy is None and model.history[0].test_accuracy == 0.9


# -- the zip and the .npy headers ------------------------------------------------------------------
def _replace_member(path: Path, name: str, data: bytes, compress_type: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content, compress_type=compress_type if member == name else 0)
    return path


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


@pytest.mark.parametrize("array,fragment", [
    (np.zeros(3, np.int32), "int32"), (np.zeros(3, np.float16), "float16"),
    (np.zeros(3, np.complex128), "complex"), (np.zeros((1, 1, 1, 1, 3), np.float32), "dimensions"),
    (np.zeros(3, [("a", np.float32)]), "float32 or float64"),
])
def test_weights_of_the_wrong_type_are_refused_from_the_header(saved, array, fragment):
    """Integer, half, complex, structured or 5-d arrays are refused from their .npy header."""
    outcome, _ = _load_traced(_replace_member(saved, "layers.0.b.npy", _npy(array)))
    assert fragment in outcome and "layers.0.b" in outcome


def test_big_endian_and_float64_weights_load(saved):
    """Other float layouts NumPy writes (big-endian, float64, Fortran order) are fine."""
    members = _members(saved)
    _replace_member(saved, "layers.0.b.npy", _npy(members["layers.0.b"].astype(">f4")))
    _replace_member(saved, "layers.0.W.npy", _npy(np.asfortranarray(members["layers.0.W"], np.float64)))
    loaded = load_model(saved).network.state_dict()
    np.testing.assert_array_equal(loaded["layers.0.W"], members["layers.0.W"])
    np.testing.assert_array_equal(loaded["layers.0.b"], members["layers.0.b"])


def test_declared_size_must_match_the_member(saved):
    """A header declaring more (or fewer) numbers than the member holds is refused unread."""
    data = _npy(np.zeros(3, np.float32))
    outcome, _ = _load_traced(_replace_member(saved, "layers.0.b.npy", data[:-4]))
    assert "declares 12 bytes" in outcome
    outcome, _ = _load_traced(_replace_member(saved, "layers.0.b.npy", data + b"\0" * 4))
    assert "declares 12 bytes" in outcome


def test_a_config_that_is_not_text_is_refused(saved):
    """config stored as bytes or as an array of strings is not a model's config."""
    for value in (np.array(b"{}"), np.array(["{}", "{}"])):
        outcome, _ = _load_traced(_replace_member(saved, "config.npy", _npy(value)))
        assert "not a text entry" in outcome


def test_unsupported_compression_is_refused(saved):
    """Only stored and deflated members are read (no bzip2/lzma decompressor is ever run)."""
    members = _members(saved)
    outcome, _ = _load_traced(_replace_member(saved, "layers.0.b.npy", _npy(members["layers.0.b"]),
                                              zipfile.ZIP_BZIP2))
    assert "unsupported compression" in outcome


def test_duplicate_member_is_refused(saved):
    """A zip listing the same member twice (the second silently wins in NumPy) is refused."""
    with pytest.warns(UserWarning), zipfile.ZipFile(saved, "a") as archive:
        archive.writestr("layers.0.b.npy", _npy(np.ones(3, np.float32)))
    outcome, _ = _load_traced(saved)
    assert "twice" in outcome


def test_compressed_bomb_of_a_valid_name_is_refused_before_reading(tmp_path):
    """25 MB of zeros deflated into a small file, under a legal name, is refused unread."""
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        config = {"format_version": 1, "input_shape": [784], "layers": [{"type": "dense", "units": 8192}]}
        archive.writestr("config.npy", _npy(np.array(json.dumps(config))))
        archive.writestr("layers.0.W.npy", _npy(np.zeros((784, 8192), np.float32)))
        archive.writestr("layers.0.b.npy", _npy(np.zeros(8192, np.float32)))
    assert path.stat().st_size * MAX_EXPANSION < 784 * 8192 * 4
    outcome, peak = _load_traced(path)
    assert "expand" in outcome and peak < 8


def test_extra_members_can_be_allowed(saved, monkeypatch):
    """A name added to EXTRA_MEMBERS is accepted (and ignored by the network)."""
    _replace_member(saved, "record.npy", _npy(np.zeros(2, np.float32)))
    assert "unexpected member 'record.npy'" in _load_traced(saved)[0]
    monkeypatch.setattr("digitlab.core.model_archive.EXTRA_MEMBERS", EXTRA_MEMBERS | {"record"})
    assert _load_traced(saved)[0] == "loaded"


def test_a_zip_of_very_many_members_is_refused_before_they_are_listed(tmp_path):
    """A zip declaring more than MAX_MEMBERS entries is refused from its end record, before
    zipfile makes an object per entry (millions of tiny entries would take gigabytes)."""
    path = tmp_path / "many.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.npy", b"")
        for index in range(MAX_MEMBERS + 1):
            archive.writestr(f"layers.{index}.W.npy", b"")
    outcome, peak = _load_traced(path)
    assert f"{MAX_MEMBERS + 2:,} members" in outcome and peak < 1
