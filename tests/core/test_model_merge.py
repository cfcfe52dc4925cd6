"""Several dense networks merged into one that reads as their average (core.model_merge)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from digitlab.core.calibration import Calibration
from digitlab.core.config import NetworkSpec
from digitlab.core.decline import DeclineRule
from digitlab.core.errors import ConfigError
from digitlab.core.evaluation import loss_and_accuracy
from digitlab.core.inputs import InputTransform
from digitlab.core.model_merge import check_mergeable, merge_networks, merged_model
from digitlab.core.network import Network
from digitlab.core.predict import model_probabilities
from digitlab.core.presets import get_preset
from digitlab.core.serialization import SavedModel, load_model, save_model
from digitlab.core.splits import TrainingData

DATA = {"name": "synthetic", "sha256": "0" * 64, "train": 600, "test": 200}


def dense_layers(widths, activation="relu"):
    layers = []
    for width in widths:
        layers += [{"type": "dense", "units": width}, {"type": activation}]
    return tuple(layers) + ({"type": "dense", "units": 10}, {"type": "softmax"})


def member(seed, widths=(12, 8), activation="relu", mean=0.1307, std=0.3081, temperature=None,
           threshold=None, val_split=0.2, run_seed=0, dropout=False):
    """A small dense model with random weights and the record a training run would give it."""
    layers = dense_layers(widths, activation)
    if dropout:
        layers = layers[:2] + ({"type": "dropout", "rate": 0.3},) + layers[2:]
    network = Network.from_config({"input_shape": [784], "layers": list(layers)},
                                  rng=np.random.default_rng(seed))
    rng = np.random.default_rng(seed + 100)
    for array in network.named_parameters().values():  # biases too, so the fold is tested
        array[...] = rng.normal(0, 0.3, array.shape)
    config = get_preset("mlp").with_settings(val_split=val_split, seed=run_seed)
    config = replace(config, network=NetworkSpec(layers))
    calibration = (Calibration(temperature, 0.02, 0.01, "validation split (120 images)", 120)
                   if temperature else None)
    decline = DeclineRule("top-probability", threshold) if threshold is not None else None
    return SavedModel(network, InputTransform(mean=mean, std=std), config=config, preset="mlp",
                      command=f"digitlab train --seed {seed}", provenance=[{"kind": "trained"}],
                      data=dict(DATA), calibration=calibration, decline=decline)


def scores(model, pixels):
    """A member's calibrated scores (before softmax) for raw 0..255 images."""
    x = model.transform.apply(pixels, model.network.input_shape, np.float64)
    y = x
    for layer in model.network.copy(np.float64).layers[:-1]:
        y = layer.forward(y)
    return y / (model.calibration.temperature if model.calibration else 1.0)


def test_the_merged_network_scores_the_mean_of_the_members_calibrated_scores():
    """Members of other widths, input scalings and temperatures: one pass of the merged network
    gives exactly the mean of their calibrated scores (so the geometric mean of their
    probabilities), with the first member's input scaling."""
    members = [member(1, (12, 8), temperature=0.8),
               member(2, (5, 20), mean=0.2, std=0.5),
               member(3, (7, 3), mean=0.0, std=1.0, temperature=1.7)]
    network, transform = merge_networks(members)
    assert transform == members[0].transform
    assert [layer.get_config().get("units") for layer in network.layers[::2]] == [24, 31, 10]
    pixels = np.random.default_rng(0).integers(0, 256, (50, 28, 28)).astype(np.uint8)
    merged = scores(SavedModel(network, transform), pixels)
    expected = np.mean([scores(m, pixels) for m in members], axis=0)
    np.testing.assert_allclose(merged, expected, atol=2e-4)
    # The block structure: the second hidden layer of member 0 reads none of member 1's units.
    hidden = network.layers[2].params["W"]
    assert not hidden[:12, 8:].any() and not hidden[12:, :8].any()


def test_dropout_and_other_activations_merge_too():
    members = [member(1, (6,), "tanh", dropout=True), member(2, (9,), "tanh", dropout=True)]
    network, transform = merge_networks(members)
    pixels = np.random.default_rng(1).integers(0, 256, (20, 28, 28)).astype(np.uint8)
    np.testing.assert_allclose(scores(SavedModel(network, transform), pixels),
                               np.mean([scores(m, pixels) for m in members], axis=0), atol=2e-4)


@pytest.fixture
def split(synthetic_mnist) -> TrainingData:
    return TrainingData.from_mnist(synthetic_mnist(600, 200), val_split=0.2, seed=0)


def test_the_merged_model_is_an_ordinary_model_file_that_says_how_it_was_made(split, tmp_path,
                                                                            synthetic_mnist):
    """It saves and loads like any model and reads the same after; its provenance keeps every
    member's record; its decline rule is carried over from the first member's; its result is
    its own accuracy; its settings are the first member's with the merged layers."""
    members = [member(1, threshold=0.5), member(2, temperature=1.3)]
    test = synthetic_mnist(600, 200)
    model = merged_model(members, ["dir/a.npz", "b.npz"], split, test.test_images,
                         test.test_labels, command="digitlab merge a.npz b.npz --out m.npz")
    step = model.provenance[-1]
    assert step["kind"] == "merged" and "a.npz, b.npz" in step["how"]
    assert [m["file"] for m in step["members"]] == ["a.npz", "b.npz"]
    assert step["members"][0]["command"] == "digitlab train --seed 1"
    assert step["members"][1]["temperature"] == 1.3 and step["members"][0]["decline_threshold"] == 0.5
    assert model.decline is not None and step["decline"]["carried_from"] == 0.5
    assert step["decline"]["split"] == "validation"
    assert model.config.network.layers == tuple(l.get_config() for l in model.network.layers)
    assert model.config.augment == members[0].config.augment and model.resume is None
    assert model.preset is None and model.history == [] and model.data == DATA
    _, accuracy = loss_and_accuracy(model.network, model.transform, test.test_images,
                                    test.test_labels)
    assert model.result["stopped"] == "merged" and model.result["test_accuracy"] == accuracy
    path = save_model(tmp_path / "m.npz", model)
    loaded = load_model(path)
    x = loaded.transform.apply(test.test_images[:30], (784,))
    np.testing.assert_array_equal(model_probabilities(loaded, x), model_probabilities(model, x))
    assert loaded.provenance == model.provenance and loaded.decline == model.decline
    assert "merged (mean of the calibrated scores of 2 networks" in loaded.describe_provenance()


def test_a_member_without_a_rule_gives_a_merged_model_without_one(split, synthetic_mnist):
    test = synthetic_mnist(600, 200)
    model = merged_model([member(1), member(2, threshold=0.5)], ["a", "b"], split,
                         test.test_images, test.test_labels)
    assert model.decline is None and "decline" not in model.provenance[-1]


@pytest.mark.parametrize("change, words", [
    (lambda m: replace(m, network=Network.from_config(
        {"input_shape": [1, 28, 28], "layers": [{"type": "conv2d", "filters": 2, "kernel_size": 3},
                                                {"type": "flatten"}, {"type": "dense", "units": 10},
                                                {"type": "softmax"}]})), "only dense networks"),
    (lambda m: member(5, activation="sigmoid"), "differ from"),
    (lambda m: member(5, (4,)), "differ from"),
    (lambda m: replace(m, config=None), "does not record how it was trained"),
    (lambda m: member(5, run_seed=1), "another split"),
    (lambda m: member(5, val_split=0.0), "without a validation split"),
    (lambda m: member(5, val_split=0.1), "another split"),
    (lambda m: replace(m, data={**DATA, "sha256": "1" * 64}), "another split or data set"),
    (lambda m: replace(m, transform=InputTransform(pipeline="other")), "image pipeline"),
])
def test_members_that_cannot_be_merged_exactly_are_refused_in_one_line(change, words):
    first = member(1)
    with pytest.raises(ConfigError, match=words) as refused:
        check_mergeable([first, change(member(2))], ["a.npz", "b.npz"])
    assert "\n" not in str(refused.value) and "b.npz" in str(refused.value)


def test_one_member_or_too_many_are_refused():
    with pytest.raises(ConfigError, match="2 to 8"):
        check_mergeable([member(1)], ["a"])
    with pytest.raises(ConfigError, match="2 to 8"):
        check_mergeable([member(i) for i in range(9)], [str(i) for i in range(9)])


def test_a_merge_too_big_to_allocate_is_refused_before_any_weight_is_made(monkeypatch):
    """Hidden layers after the first are block-diagonal: the weights grow with the square of the
    members' total width, so the count is checked before anything is allocated."""
    import digitlab.core.model_merge as model_merge

    members = [member(1, (12, 8)), member(2, (12, 8))]
    assert model_merge.merged_parameter_count(members) == sum(
        l.params["W"].size + l.params["b"].size for l in merge_networks(members)[0].layers
        if "W" in l.params)
    monkeypatch.setattr(model_merge, "MAX_MERGED_PARAMETERS", 1000)
    with pytest.raises(ConfigError, match="more than the 1,000"):
        check_mergeable(members, ["a.npz", "b.npz"])


def _member_with_layers(seed, layers, mean=0.1307, std=0.3081):
    """``member`` with its own layer stack (random weights, its config's network to match)."""
    model = member(seed, mean=mean, std=std)
    network = Network.from_config({"input_shape": [784], "layers": list(layers)},
                                  rng=np.random.default_rng(seed))
    rng = np.random.default_rng(seed + 100)
    for array in network.named_parameters().values():
        array[...] = rng.normal(0, 0.3, array.shape)
    return replace(model, network=network,
                   config=replace(model.config, network=NetworkSpec(tuple(layers))))


def test_members_with_one_dense_layer_merge_exactly():
    layers = ({"type": "dense", "units": 10}, {"type": "softmax"})
    members = [_member_with_layers(1, layers), _member_with_layers(2, layers, 0.2, 0.5)]
    check_mergeable(members, ["a.npz", "b.npz"])
    network, transform = merge_networks(members)
    pixels = np.random.default_rng(2).integers(0, 256, (20, 28, 28)).astype(np.uint8)
    np.testing.assert_allclose(scores(SavedModel(network, transform), pixels),
                               np.mean([scores(m, pixels) for m in members], axis=0), atol=2e-4)


def test_an_activation_before_the_first_dense_layer_is_merged_exactly_or_refused():
    layers = ({"type": "sigmoid"}, {"type": "dense", "units": 6}, {"type": "relu"},
              {"type": "dense", "units": 10}, {"type": "softmax"})
    members = [_member_with_layers(1, layers), _member_with_layers(2, layers, 0.3, 0.6)]
    members[1] = replace(members[1], transform=InputTransform(mean=0.3, std=0.6))
    try:
        check_mergeable(members, ["a.npz", "b.npz"])
    except ConfigError:
        return  # refused: fine
    network, transform = merge_networks(members)
    pixels = np.random.default_rng(3).integers(0, 256, (20, 28, 28)).astype(np.uint8)
    np.testing.assert_allclose(scores(SavedModel(network, transform), pixels),
                               np.mean([scores(m, pixels) for m in members], axis=0), atol=2e-4)


def test_members_may_differ_in_what_does_not_change_a_reading():
    """A dense layer's initialisation and a dropout's rate do not change how a trained network
    reads, so they do not stop a merge."""
    first = member(1, dropout=True)
    other = member(2, dropout=True)
    layers = [dict(entry) for entry in other.network.get_config()["layers"]]
    layers[0]["init"], layers[2]["rate"] = "xavier", 0.1
    network = Network.from_config({"input_shape": [784], "layers": layers})
    network.load_state_dict(other.network.state_dict())
    other = replace(other, network=network,
                    config=replace(other.config, network=NetworkSpec(tuple(layers))))
    check_mergeable([first, other], ["a.npz", "b.npz"])
