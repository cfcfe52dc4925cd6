"""The Inside views' arithmetic: input gradients match numerical derivatives, a unit's
breakdown adds up to the layer's output, the softmax steps keep the answer at any temperature."""

import numpy as np
import pytest

from digitlab.core.inputs import InputTransform
from digitlab.core.introspect import layer_outputs
from digitlab.core.network import Network
from digitlab.core.presets import get_preset
from digitlab.core.saliency import class_scores, input_gradient, saliency_map
from digitlab.core.serialization import SavedModel
from digitlab.core.unit_math import feeding_layer, softmax_steps, unit_breakdown

SMALL_CNN = [{"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": "same"},
             {"type": "batch_norm"}, {"type": "relu"}, {"type": "max_pool2d", "pool_size": 2},
             {"type": "conv2d", "filters": 4, "kernel_size": 3, "stride": 2},
             {"type": "tanh"}, {"type": "flatten"}, {"type": "dense", "units": 12},
             {"type": "relu"}, {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 10},
             {"type": "softmax"}]


def _network(kind: str) -> Network:
    rng = np.random.default_rng(3)
    if kind == "small-cnn":
        network = Network.from_config({"input_shape": [1, 28, 28], "layers": SMALL_CNN}, rng=rng)
        # batch norm with statistics of its own, so using the batch's instead would show
        bn = network.layers[1]
        bn.buffers["running_mean"][...] = rng.normal(size=3)
        bn.buffers["running_var"][...] = rng.uniform(0.5, 2.0, size=3)
        bn.params["gamma"][...] = rng.uniform(0.5, 1.5, size=3)
        return network
    network = get_preset(kind).build_network()
    network.initialize(rng)
    return network


def _numerical_gradient(network: Network, x: np.ndarray, weights: np.ndarray, coords,
                        eps: float = 1e-6) -> np.ndarray:
    twin = network.copy(np.float64)
    values = []
    for coord in coords:
        up, down = x.copy(), x.copy()
        up.flat[coord] += eps
        down.flat[coord] -= eps
        values.append((class_scores(twin, up)[0] @ weights - class_scores(twin, down)[0] @ weights)
                      / (2 * eps))
    return np.array(values)


@pytest.mark.parametrize("kind", ["mlp", "small-cnn", "cnn"])
def test_input_gradient_matches_the_numerical_derivative(kind):
    network = _network(kind)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1, *network.input_shape))
    weights = np.zeros(10)
    weights[3], weights[5] = 1.0, -1.0  # z_3 - z_5, the "why not 5?" gradient
    analytic = input_gradient(network, x, weights, dtype=np.float64)
    assert analytic.shape == x.shape
    coords = rng.choice(x.size, 12, replace=False)
    numeric = _numerical_gradient(network, x, weights, coords)
    np.testing.assert_allclose(analytic.flat[coords], numeric, rtol=1e-4, atol=1e-7)
    assert np.abs(analytic).max() > 0


def test_input_gradient_leaves_the_network_untouched():
    network = _network("small-cnn")
    before = network.state_dict()
    input_gradient(network, np.ones((1, 1, 28, 28)), np.eye(10)[2])
    for name, value in network.state_dict().items():
        np.testing.assert_array_equal(value, before[name], err_msg=name)


def test_saliency_is_in_pixel_units_and_times_input_vanishes_on_background():
    network = _network("mlp")
    model = SavedModel(network, InputTransform(mean=0.13, std=0.31))
    image = np.zeros((28, 28))
    image[8:20, 12:16] = 1.0
    result = saliency_map(model, image, 7, versus=1)
    x = model.transform.apply_unit(image[None], network.input_shape, np.float64)
    raw = input_gradient(network, x, np.eye(10)[7] - np.eye(10)[1], dtype=np.float64)
    np.testing.assert_allclose(result.gradient, raw.reshape(28, 28) / 0.31, rtol=1e-4, atol=1e-6)
    assert np.all(result.times_input[image == 0] == 0)
    assert result.scores.shape == (10,)
    with pytest.raises(ValueError, match="class"):
        saliency_map(model, image, 10)


@pytest.mark.parametrize("kind", ["mlp", "small-cnn"])
def test_every_units_breakdown_adds_up_to_the_layers_output(kind):
    network = _network(kind)
    x = np.random.default_rng(1).normal(size=network.input_shape).astype(np.float32)
    outputs = layer_outputs(network, x[None])
    for index, output in enumerate(outputs):
        if feeding_layer(network, index) != index:
            continue
        for unit in (0, output[0].size // 2, output[0].size - 1):
            parts = unit_breakdown(network, x, outputs, index, unit)
            assert parts.pre_activation == pytest.approx(float(output[0].reshape(-1)[unit]),
                                                         rel=1e-4, abs=1e-4)
            assert parts.products.sum() + parts.bias == pytest.approx(parts.pre_activation)
            top = parts.top(5)
            assert np.all(np.diff(np.abs(parts.products[top])) <= 0)
            assert parts.rest(5) + parts.products[top].sum() == pytest.approx(parts.products.sum())


def test_conv_unit_reads_its_window_with_padding_as_zero():
    network = Network.from_config({"input_shape": [2, 5, 5], "layers": [
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": "same"}]})
    x = np.arange(50, dtype=np.float32).reshape(2, 5, 5)
    outputs = layer_outputs(network, x[None])
    parts = unit_breakdown(network, x, outputs, 0, int(np.ravel_multi_index((1, 0, 0), (2, 5, 5))))
    assert parts.unit == (1, 0, 0)
    assert len(parts.inputs) == 2 * 3 * 3
    for value, (channel, row, col) in zip(parts.inputs, parts.input_positions, strict=True):
        inside = 0 <= row < 5 and 0 <= col < 5
        assert value == (x[channel, row, col] if inside else 0)


def test_activation_after_a_unit_and_feeding_layers():
    network = _network("mlp")  # dense relu dense relu dense softmax
    x = np.random.default_rng(2).normal(size=784).astype(np.float32)
    outputs = layer_outputs(network, x[None])
    parts = unit_breakdown(network, x, outputs, 2, 5)
    assert parts.activation_name == "relu"
    assert parts.activation == pytest.approx(max(parts.pre_activation, 0.0), abs=1e-5)
    assert [feeding_layer(network, i) for i in range(6)] == [0, 0, 2, 2, 4, 4]
    assert unit_breakdown(network, x, outputs, 4, 0).activation_name == "softmax"
    with pytest.raises(ValueError, match="no weights"):
        unit_breakdown(network, x, outputs, 1, 0)


def test_softmax_steps_keep_the_answer_while_temperature_changes_confidence():
    scores = np.array([1.0, 4.0, 2.5, -3.0])
    steps = [softmax_steps(scores, t) for t in (0.25, 1.0, 4.0)]
    assert {s.answer for s in steps} == {1}
    confidences = [s.probabilities.max() for s in steps]
    assert confidences[0] > confidences[1] > confidences[2]
    one = steps[1]
    assert one.shifted.max() == 0 and one.exps.max() == 1
    np.testing.assert_allclose(one.probabilities, np.exp(scores) / np.exp(scores).sum())
    with pytest.raises(ValueError, match="temperature"):
        softmax_steps(scores, 0.0)
