"""Model files: round trip, layout, a plain-NumPy rebuild, every kind of bad file, atomic saves."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from digitlab.core.config import NetworkSpec, TrainConfig
from digitlab.core.errors import ModelFileError
from digitlab.core.events import EpochMetrics
from digitlab.core.inputs import InputTransform
from digitlab.core.network import Network
from digitlab.core.serialization import FORMAT_VERSION, SavedModel, load_model, save_model

LAYERS = [
    {"type": "dense", "units": 12, "init": "he", "init_scale": 0.01}, {"type": "relu"},
    {"type": "dense", "units": 8, "init": "xavier", "init_scale": 0.01}, {"type": "tanh"},
    {"type": "dense", "units": 8, "init": "xavier", "init_scale": 0.01}, {"type": "sigmoid"},
    {"type": "dense", "units": 8, "init": "xavier", "init_scale": 0.01},
    {"type": "leaky_relu", "slope": 0.05},
    {"type": "dense", "units": 8, "init": "normal", "init_scale": 0.3}, {"type": "prelu", "init_slope": 0.2},
    {"type": "dense", "units": 10, "init": "normal", "init_scale": 0.3}, {"type": "softmax"},
]


def _model(seed: int = 0) -> SavedModel:
    net = Network.from_config({"input_shape": [784], "layers": LAYERS}, rng=np.random.default_rng(seed))
    net.named_parameters()["layers.9.alpha"][...] = np.linspace(0.1, 0.4, 8)  # not all equal
    history = [EpochMetrics(1, 0.9, 0.7, 0.8, 0.72, 0.85, 0.71, 1.5, 0.1, 4000.0),
               EpochMetrics(2, 0.5, 0.85, None, None, 0.55, 0.84, 1.4, 0.05, 4100.0)]
    config = TrainConfig(NetworkSpec(LAYERS)).with_settings(optimizer="sgd", lr=0.1, seed=3)
    return SavedModel(net, InputTransform(1 / 255, 0.13, 0.31), config, history, preset=None,
                      command="digitlab train --optimizer sgd --lr 0.1 --seed 3",
                      provenance=[{"kind": "trained"}], data={"name": "synthetic", "train": 100})


@pytest.fixture
def saved(tmp_path) -> Path:
    return save_model(tmp_path / "model.npz", _model())


def _arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {k: archive[k] for k in archive.files}


def _config(path: Path) -> dict:
    return json.loads(str(_arrays(path)["config"][()]))


def _rewrite(path: Path, arrays: dict[str, np.ndarray], config: dict | None = None) -> Path:
    if config is not None:
        arrays = {**arrays, "config": np.array(json.dumps(config))}
    with open(path, "wb") as stream:
        np.savez(stream, **arrays)
    return path


def test_round_trip_keeps_weights_transform_history_and_training(saved):
    """Loading gives back the same architecture, float32 weights, transform, history and settings."""
    original = _model()
    loaded = load_model(saved)
    assert loaded.network.get_config() == original.network.get_config()
    for name, value in original.network.state_dict().items():
        np.testing.assert_array_equal(loaded.network.state_dict()[name], value)
    assert loaded.transform == original.transform
    assert loaded.history == original.history
    assert loaded.training == original.training
    assert loaded.digitlab_version
    assert load_model(saved, np.float64).network.dtype == np.float64


def test_file_layout(saved):
    """config is a 0-d string of JSON with the documented keys; params are float32 layers.<i>.<name>."""
    arrays = _arrays(saved)
    config_entry = arrays.pop("config")
    assert config_entry.shape == () and config_entry.dtype.kind == "U"
    config = json.loads(str(config_entry[()]))
    assert {"format_version", "digitlab_version", "input_shape", "layers", "preprocessing", "training",
            "history"} <= set(config)
    assert config["format_version"] == FORMAT_VERSION and isinstance(config["format_version"], int)
    assert config["layers"] == LAYERS and config["input_shape"] == [784]
    assert config["preprocessing"]["scale"] == pytest.approx(1 / 255)
    assert (config["preprocessing"]["mean"], config["preprocessing"]["std"]) == (0.13, 0.31)
    assert [row["epoch"] for row in config["history"]] == [1, 2]
    assert config["training"]["data"] == {"name": "synthetic", "train": 100}
    assert all(a.dtype == np.float32 for a in arrays.values())
    expected = {f"layers.{i}.{n}" for i in (0, 2, 4, 6, 8, 10) for n in "Wb"} | {"layers.9.alpha"}
    assert set(arrays) == expected
    assert arrays["layers.0.W"].shape == (784, 12) and arrays["layers.10.W"].shape == (8, 10)


def _plain_numpy_predict(path: Path, images: np.ndarray) -> np.ndarray:
    """Rebuild the network from the file with nothing but NumPy, as docs/model-format.md describes."""
    with np.load(path, allow_pickle=False) as archive:
        config = json.loads(str(archive["config"][()]))
        weights = {k: archive[k] for k in archive.files if k != "config"}
    pre = config["preprocessing"]
    x = ((images.reshape(len(images), -1) * pre["scale"] - pre["mean"]) / pre["std"]).astype(np.float32)
    for i, layer in enumerate(config["layers"]):
        kind = layer["type"]
        if kind == "dense":
            x = x @ weights[f"layers.{i}.W"] + weights[f"layers.{i}.b"]
        elif kind == "relu":
            x = np.maximum(x, 0)
        elif kind == "leaky_relu":
            x = np.where(x > 0, x, layer["slope"] * x)
        elif kind == "prelu":
            x = np.where(x > 0, x, weights[f"layers.{i}.alpha"] * x)
        elif kind == "sigmoid":
            x = 1 / (1 + np.exp(-x))
        elif kind == "tanh":
            x = np.tanh(x)
        elif kind == "softmax":
            e = np.exp(x - x.max(axis=1, keepdims=True))
            x = e / e.sum(axis=1, keepdims=True)
        else:
            raise AssertionError(kind)
    return x


def test_plain_numpy_rebuild_gives_identical_predictions(saved):
    """x @ W + b and the activations, read straight from the file, reproduce DigitLab's outputs."""
    images = np.random.default_rng(4).integers(0, 256, (40, 28, 28), dtype=np.uint8)
    loaded = load_model(saved)
    x = loaded.transform.apply(images, loaded.network.input_shape)
    ours = loaded.network.predict_proba(x)
    theirs = _plain_numpy_predict(saved, images)
    np.testing.assert_array_equal(np.argmax(theirs, axis=1), np.argmax(ours, axis=1))
    np.testing.assert_allclose(theirs, ours, rtol=1e-5, atol=1e-6)
    assert len(set(np.argmax(ours, axis=1))) > 1  # a meaningful comparison, not one constant class


def _assert_model_file_error(path: Path, fragment: str = "") -> str:
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    # no chained "During handling of the above exception..." traceback behind the one line
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__ or info.value.__context__ is None
    assert fragment.lower() in message.lower(), message
    return message


def test_missing_file(tmp_path):
    """A missing file is a one-line ModelFileError."""
    _assert_model_file_error(tmp_path / "nope.npz", "no such model file")


@pytest.mark.parametrize("fraction", [0.0, 0.001, 0.1, 0.5, 0.9, 0.999])
def test_truncated_file(saved, fraction):
    """A file cut short anywhere is refused with a ModelFileError."""
    data = saved.read_bytes()
    saved.write_bytes(data[:int(len(data) * fraction)])
    _assert_model_file_error(saved)


def test_random_bytes(tmp_path):
    """Random bytes (with and without a zip signature) give ModelFileError."""
    rng = np.random.default_rng(0)
    for index in range(10):
        path = tmp_path / f"random{index}.npz"
        path.write_bytes((b"PK\x03\x04" if index % 2 else b"") + rng.bytes(3000))
        _assert_model_file_error(path)


@pytest.mark.parametrize("compressed", [False, True], ids=["stored", "deflated"])
def test_corrupted_bytes_never_escape_as_other_errors(tmp_path, compressed):
    """Flipping any byte of a (stored or compressed) model file gives ModelFileError or loads fine,
    never another exception (zlib errors, header parse errors, zip feature errors)."""
    tiny = Network.from_config({"input_shape": [3], "layers": [{"type": "dense", "units": 2}]})
    saved = save_model(tmp_path / "tiny.npz", SavedModel(tiny))
    if compressed:
        arrays = _arrays(saved)
        with open(saved, "wb") as stream:
            np.savez_compressed(stream, **arrays)
    data = saved.read_bytes()
    for position in range(0, len(data), 5):  # every 5th byte: headers, data and central directory
        corrupt = bytearray(data)
        corrupt[position] ^= 0xFF
        path = tmp_path / f"flip{position}.npz"  # a new file is much faster than truncating one
        path.write_bytes(bytes(corrupt))
        try:
            load_model(path)
        except ModelFileError as exc:
            assert "\n" not in str(exc)


def test_foreign_npz_without_config(tmp_path):
    """An .npz that is not a model (no config entry) is refused."""
    path = tmp_path / "foreign.npz"
    np.savez(path, x_train=np.zeros((2, 28, 28), np.uint8))
    _assert_model_file_error(path, "no 'config' entry")


def test_single_npy_array_named_npz(tmp_path):
    """A plain .npy array saved under a model's name is refused, not a TypeError."""
    path = tmp_path / "array.npz"
    with open(path, "wb") as stream:
        np.save(stream, np.zeros(3))
    _assert_model_file_error(path, "not an .npz")


def test_config_not_json(saved):
    """A config entry that is not JSON is refused."""
    _assert_model_file_error(_rewrite(saved, {**_arrays(saved), "config": np.array("{not json")}),
                             "not valid JSON")


@pytest.mark.parametrize("config", [[1, 2], {"layers": []}, {"format_version": "1"}])
def test_config_json_of_the_wrong_shape(saved, config):
    """JSON that is not a dict with an integer format_version is refused."""
    _assert_model_file_error(_rewrite(saved, _arrays(saved), config))


def test_newer_format_version(saved):
    """A file from a newer DigitLab says so and asks for an upgrade."""
    config = {**_config(saved), "format_version": FORMAT_VERSION + 1}
    _assert_model_file_error(_rewrite(saved, _arrays(saved), config), "newer")


@pytest.mark.parametrize("change,fragment", [
    (lambda a: a.pop("layers.2.W"), "missing ['layers.2.W']"),
    (lambda a: a.update({"layers.0.W": np.zeros((12, 784), np.float32)}), "shape"),
    (lambda a: a.update({"layers.5.W": np.zeros(3, np.float32)}), "unexpected"),
    (lambda a: a["layers.2.b"].__setitem__(3, np.nan), "NaN"),
    (lambda a: a["layers.9.alpha"].__setitem__(0, np.inf), "infinite"),
])
def test_inconsistent_weights(saved, change, fragment):
    """Missing, extra, misshapen or non-finite weights are each a clear ModelFileError."""
    arrays = _arrays(saved)
    change(arrays)
    _assert_model_file_error(_rewrite(saved, arrays), fragment)


@pytest.mark.parametrize("edit", [
    lambda c: c.update(layers=[{"type": "lstm"}]),
    lambda c: c.update(layers=[{"type": "dense", "units": -3}]),
    lambda c: c.pop("input_shape"),
    lambda c: c.update(history=[[1, 2]]),
    lambda c: c.update(training=[1, 2]),
    lambda c: c.update(preprocessing={"std": 0}),
])
def test_inconsistent_config(saved, edit):
    """Unknown layers, bad settings, a missing input shape or malformed sections are refused."""
    config = _config(saved)
    edit(config)
    _assert_model_file_error(_rewrite(saved, _arrays(saved), config))


def test_pickled_object_array_is_never_unpickled(saved, tmp_path):
    """An object array in the file is refused without running its pickle (allow_pickle=False)."""
    marker = tmp_path / "pickle-ran"

    class Payload:
        def __reduce__(self):
            return (Path.mkdir, (marker,))

    arrays = _arrays(saved)
    arrays["layers.0.b"] = np.array([Payload()], dtype=object)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    saved.write_bytes(buffer.getvalue())
    with zipfile.ZipFile(saved) as archive:  # the payload really is in the file
        assert b"mkdir" in archive.read("layers.0.b.npy")
    _assert_model_file_error(saved, "pickle")
    assert not marker.exists()


def test_save_into_missing_or_non_folder_raises_model_file_error(tmp_path):
    """Saving into a folder that does not exist, or under a file, is a ModelFileError."""
    with pytest.raises(ModelFileError, match="cannot write"):
        save_model(tmp_path / "missing" / "model.npz", _model())
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ModelFileError):
        save_model(blocker / "model.npz", _model())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_failed_save_keeps_old_file(saved):
    """A save that cannot create its temporary file leaves an existing model untouched."""
    before = saved.read_bytes()
    saved.parent.joinpath("sub").mkdir()
    with pytest.raises(ModelFileError):
        save_model(saved.parent / "sub" / "gone" / saved.name, _model(1))
    assert saved.read_bytes() == before


@pytest.mark.parametrize("error,expected", [(OSError(28, "No space left on device"), ModelFileError),
                                            (RuntimeError("boom"), RuntimeError),
                                            (KeyboardInterrupt(), KeyboardInterrupt)])
def test_failure_while_writing_keeps_old_file_and_leaves_no_temp(saved, monkeypatch, error, expected):
    """If writing dies midway (disk full, a bug, Ctrl+C) the old file is intact and no temp remains."""
    before = saved.read_bytes()
    real_savez = np.savez

    def failing_savez(stream, **arrays):
        stream.write(b"PK\x03\x04 half a file")
        raise error

    monkeypatch.setattr(np, "savez", failing_savez)
    with pytest.raises(expected):
        save_model(saved, _model(1))
    monkeypatch.setattr(np, "savez", real_savez)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]
    load_model(saved)


def test_save_replaces_existing_file_and_leaves_no_temp(saved):
    """A successful save replaces the old content and leaves only the model in the folder."""
    save_model(saved, _model(1))
    loaded = load_model(saved)
    np.testing.assert_array_equal(loaded.network.flat_parameters(), _model(1).network.flat_parameters())
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]
