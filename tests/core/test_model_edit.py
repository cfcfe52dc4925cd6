"""Edits on a copy of a network: units off or scaled, pruning, noise, and the saved record."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.edit_scoring import EditScorer, fixed_test_subset
from digitlab.core.errors import ConfigError
from digitlab.core.model_edit import (
    apply_edits,
    describe_edits,
    edited_model,
    first_changed_layer,
    hidden_layers,
    most_active_units,
)
from digitlab.core.network import Network
from digitlab.core.serialization import SavedModel, load_model, save_model

MLP = {"input_shape": [784], "layers": [
    {"type": "dense", "units": 12}, {"type": "relu"}, {"type": "dense", "units": 8},
    {"type": "sigmoid"}, {"type": "dense", "units": 10}, {"type": "softmax"}]}
CNN = {"input_shape": [1, 28, 28], "layers": [
    {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": "same"}, {"type": "relu"},
    {"type": "max_pool2d", "pool_size": 2},
    {"type": "conv2d", "filters": 4, "kernel_size": 3}, {"type": "relu"},
    {"type": "max_pool2d", "pool_size": 2}, {"type": "flatten"},
    {"type": "dense", "units": 6}, {"type": "relu"}, {"type": "dense", "units": 10},
    {"type": "softmax"}]}


def _net(config, seed=1) -> Network:
    return Network.from_config(config, rng=np.random.default_rng(seed))


def _inputs(net: Network, n=5, seed=2) -> np.ndarray:
    return np.random.default_rng(seed).random((n, *net.input_shape)).astype(np.float32)


def _forward_with_scaled(net: Network, x: np.ndarray, consumer: int, units, scale) -> np.ndarray:
    """Reference: run the network, multiplying what the consumer layer reads for ``units``."""
    y = x
    for i, layer in enumerate(net.layers):
        if i == consumer:
            y = y.copy()
            if y.ndim == 2 and y.shape[1] != len(units) and net.layers[i - 1].type_name == "flatten":
                channels = net.layer_input_shapes[i - 1][0]
                y = y.reshape(y.shape[0], channels, -1)
                y[:, units] *= scale
                y = y.reshape(y.shape[0], -1)
            else:
                y[:, units] *= scale
        y = layer.forward(y, False)
    return y


def test_hidden_layers_are_those_a_later_weighted_layer_reads():
    """The MLP's two hidden dense layers and the CNN's two convs and its hidden dense: not the output."""
    mlp = hidden_layers(_net(MLP))
    assert [(h.index, h.units, h.consumer, h.rows_per_unit) for h in mlp] == [(0, 12, 2, 1), (2, 8, 4, 1)]
    cnn = hidden_layers(_net(CNN))
    assert [(h.index, h.kind, h.units, h.consumer) for h in cnn] == [
        (0, "conv2d", 3, 3), (3, "conv2d", 4, 7), (7, "dense", 6, 9)]
    assert cnn[1].rows_per_unit == 6 * 6 // 1 and cnn[0].rows_per_unit == 0


@pytest.mark.parametrize("config,layer", [(MLP, 0), (MLP, 2), (CNN, 0), (CNN, 3), (CNN, 7)])
@pytest.mark.parametrize("scale", [0.0, 0.5, 2.0])
def test_scaling_units_scales_exactly_what_the_consumer_reads(config, layer, scale):
    """Switching off/scaling units equals multiplying their activations (even after a sigmoid,
    pooling or flatten), and the original network is untouched."""
    net = _net(config)
    before = net.state_dict()
    x = _inputs(net)
    hidden = {h.index: h for h in hidden_layers(net)}[layer]
    units = [0, hidden.units - 1]
    edited = apply_edits(net, [{"op": "units", "layer": layer, "units": units, "scale": scale}])
    expected = _forward_with_scaled(net.copy(), x, hidden.consumer, units, scale)
    np.testing.assert_allclose(edited.predict_proba(x), expected, rtol=1e-5, atol=1e-6)
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


@pytest.mark.parametrize("scope", ["layer", "global"])
def test_prune_zeroes_the_smallest_fraction_of_weights(scope):
    """30% pruning sets 30% of all weights to zero (of each layer with "layer"), the smallest ones,
    and leaves biases and larger weights unchanged."""
    net = _net(MLP)
    edited = apply_edits(net, [{"op": "prune", "fraction": 0.3, "scope": scope}])
    weights = [(net.layers[i].params["W"], edited.layers[i].params["W"]) for i in (0, 2, 4)]
    total = sum(w.size for w, _ in weights)
    zeros = sum(int(np.sum(e == 0)) for _, e in weights)
    assert abs(zeros - 0.3 * total) <= 3
    if scope == "layer":
        for w, e in weights:
            assert abs(np.sum(e == 0) - round(0.3 * w.size)) <= 1
    largest_pruned = max(np.abs(w[e == 0]).max() for w, e in weights)
    smallest_kept = min(np.abs(e[e != 0]).min() for _, e in weights)
    if scope == "global":
        assert largest_pruned <= smallest_kept
    for w, e in weights:
        np.testing.assert_array_equal(e[e != 0], w[e != 0])
    np.testing.assert_array_equal(edited.layers[0].params["b"], net.layers[0].params["b"])


def test_noise_is_seeded_and_scaled_by_each_layers_spread():
    """The same seed gives the same weights; another seed others; level 0 changes nothing."""
    net = _net(CNN)
    a = apply_edits(net, [{"op": "noise", "level": 0.5, "seed": 3}]).flat_parameters()
    b = apply_edits(net, [{"op": "noise", "level": 0.5, "seed": 3}]).flat_parameters()
    c = apply_edits(net, [{"op": "noise", "level": 0.5, "seed": 4}]).flat_parameters()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    np.testing.assert_array_equal(apply_edits(net, [{"op": "noise", "level": 0.0, "seed": 3}])
                                  .flat_parameters(), net.flat_parameters())
    noisy = apply_edits(net, [{"op": "noise", "level": 0.5, "seed": 3}])
    w, e = net.layers[0].params["W"], noisy.layers[0].params["W"]
    assert np.std(e - w) == pytest.approx(0.5 * np.std(w), rel=0.5)


@pytest.mark.parametrize("edit,fragment", [
    ({"op": "units", "layer": 4, "units": [0], "scale": 0}, "no hidden units"),
    ({"op": "units", "layer": 0, "units": [12], "scale": 0}, "below 12"),
    ({"op": "units", "layer": 0, "units": [0], "scale": -1}, "scale"),
    ({"op": "prune", "fraction": 1.5, "scope": "layer"}, "fraction"),
    ({"op": "prune", "fraction": 0.5, "scope": "all"}, "scope"),
    ({"op": "noise", "level": 0.1, "seed": -1}, "seed"),
    ({"op": "melt"}, "unknown edit"),
])
def test_an_edit_that_does_not_fit_is_refused_in_one_line(edit, fragment):
    """Bad edits raise ConfigError naming the problem."""
    with pytest.raises(ConfigError, match=fragment):
        apply_edits(_net(MLP), [edit])


def test_edited_model_round_trips_with_its_provenance(tmp_path):
    """A saved edited model loads with the same weights and a provenance step listing its edits;
    the original's result and calibration (no longer true) are dropped."""
    from digitlab.core.calibration import Calibration

    net = _net(MLP)
    model = SavedModel(net, provenance=[{"kind": "trained"}], result={"test_accuracy": 0.9},
                       calibration=Calibration(1.5, 0.1, 0.05, "validation", 100))
    edits = [{"op": "units", "layer": 0, "units": [1, 2], "scale": 0.0},
             {"op": "prune", "fraction": 0.2, "scope": "global"}]
    edited = edited_model(model, edits)
    assert edited.result is None and edited.calibration is None
    loaded = load_model(save_model(tmp_path / "edited.npz", edited))
    np.testing.assert_array_equal(loaded.network.flat_parameters(), edited.network.flat_parameters())
    assert loaded.provenance[0] == {"kind": "trained"}
    assert loaded.provenance[1]["kind"] == "edited"
    assert loaded.provenance[1]["edits"] == edits
    assert loaded.describe_provenance() == ("trained, edited (2 units of layer 0 off; pruned 20% "
                                            "of weights (global))")
    assert model.provenance == [{"kind": "trained"}]  # the original record is unchanged
    np.testing.assert_array_equal(apply_edits(net, loaded.provenance[1]["edits"]).flat_parameters(),
                                  loaded.network.flat_parameters())


def test_describe_edits_reads_like_a_sentence():
    """Scales, noise and the empty list each get words."""
    assert describe_edits([]) == "no edits"
    assert describe_edits([{"op": "units", "layer": 2, "units": [0], "scale": 0.5},
                           {"op": "noise", "level": 0.2, "seed": 0}]) == \
        "1 unit of layer 2 scaled by 0.5; weight noise 0.2 x std (seed 0)"


def test_first_changed_layer_is_the_consumer_of_edited_units():
    """Unit edits start at their consumer; pruning and noise at the first weighted layer."""
    net = _net(CNN)
    assert first_changed_layer(net, []) == len(net.layers)
    assert first_changed_layer(net, [{"op": "units", "layer": 3, "units": [1], "scale": 0}]) == 7
    unchanged = [{"op": "units", "layer": 3, "units": [1], "scale": 1.0}]
    assert first_changed_layer(net, unchanged) == len(net.layers)
    assert first_changed_layer(net, [{"op": "prune", "fraction": 0.1, "scope": "layer"}]) == 0


@pytest.mark.parametrize("config", [MLP, CNN])
def test_scorer_matches_a_full_forward_pass_of_the_edited_network(config):
    """The scorer's accuracy (from a kept intermediate output) equals the edited network's own."""
    net = _net(config)
    x = _inputs(net, 40)
    labels = np.random.default_rng(5).integers(0, 10, 40)
    scorer = EditScorer(net, x, labels, batch_size=16)
    for edits in ([], [{"op": "units", "layer": hidden_layers(net)[-1].index, "units": [0, 1], "scale": 0}],
                  [{"op": "units", "layer": 0, "units": [0], "scale": 0}],
                  [{"op": "prune", "fraction": 0.5, "scope": "layer"}]):
        score = scorer.score(edits, x[:1])
        edited = apply_edits(net, edits)
        assert score.accuracy == np.mean(edited.predict(x) == labels)
        np.testing.assert_allclose(score.probabilities, edited.predict_proba(x[:1])[0], rtol=1e-5)


def test_most_active_units_are_ranked_by_mean_activity():
    """With one unit's bias made huge, it is the most active; the count follows the fraction."""
    net = _net(MLP)
    net.layers[0].params["b"][7] = 100.0
    x = _inputs(net, 20)
    hidden = hidden_layers(net)[0]
    units = most_active_units(net, x, hidden, 0.25)
    assert units[0] == 7 and len(units) == 3


def test_fixed_subset_is_the_same_every_time_and_capped():
    """2,000 sorted distinct indices, always the same ones; all of a smaller set."""
    a, b = fixed_test_subset(10_000), fixed_test_subset(10_000)
    np.testing.assert_array_equal(a, b)
    assert a.size == 2000 and np.all(np.diff(a) > 0)
    np.testing.assert_array_equal(fixed_test_subset(300), np.arange(300))


def test_scoring_batches_are_few_equal_and_within_the_memory_budget():
    """The whole subset in one batch when it fits; else as few equal batches as the budget allows."""
    from digitlab.core.edit_scoring import scoring_batch_size
    from digitlab.core.network import network_plan, plan_sizes

    net = _net(CNN)
    assert scoring_batch_size(net, 2000) == 2000
    _, work = plan_sizes(network_plan(net.get_config()))
    budget = work * 4 * 300  # room for 300 rows
    assert scoring_batch_size(net, 2000, budget) == 286  # 7 batches of 286 (the last 284)
