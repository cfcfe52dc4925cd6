"""Convolution, pooling and batch-norm layers: gradients, reference values, configs, training."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.conv import AvgPool2D, BatchNorm, Conv2D, MaxPool2D
from digitlab.core.errors import ConfigError
from digitlab.core.gradcheck import gradient_check
from digitlab.core.network import Network
from digitlab.core.optimizers import Adam
from digitlab.core.registry import LAYERS, build_layer

HEAD = [{"type": "flatten"}, {"type": "dense", "units": 3}, {"type": "softmax"}]


def conv(filters: int, kernel: int | list[int] = 3, **settings) -> dict:
    return {"type": "conv2d", "filters": filters, "kernel_size": kernel, **settings}


def float64_net(layers: list[dict], input_shape: tuple[int, ...], seed: int = 1) -> Network:
    config = {"input_shape": list(input_shape), "layers": layers + HEAD}
    return Network.from_config(config, dtype=np.float64, rng=np.random.default_rng(seed))


def max_relative_error(layers: list[dict], input_shape: tuple[int, ...], batch: int = 3) -> float:
    net = float64_net(layers, input_shape)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((batch,) + input_shape)
    t = rng.integers(0, 3, batch)
    return max(row.relative_error for row in gradient_check(net, x, t))


# Each case puts a convolution first, so the tested layer's input gradient is checked too:
# the first convolution's weight gradient is computed from it.
GRADIENT_CASES = {
    "conv valid, odd sizes, non-square kernel": ([conv(3, [3, 2]), conv(2, [2, 3])], (2, 7, 5)),
    "conv same, stride 1": ([conv(3, 3, padding="same"), conv(4, 3, padding="same")], (2, 6, 6)),
    "conv same, even kernel (asymmetric pad)": ([conv(2, 2, padding="same"), conv(3, 4, padding="same")],
                                                (1, 5, 6)),
    "conv int padding, stride 2": ([conv(3, 3, padding=1), conv(2, 3, stride=2, padding=1)], (2, 7, 7)),
    "conv same, stride 2, odd size": ([conv(3, 3), conv(2, 3, stride=2, padding="same")], (2, 9, 8)),
    "conv stride [2, 1], padding [1, 0]": ([conv(2, 3), conv(3, [3, 2], stride=[2, 1], padding=[1, 0])],
                                           (2, 8, 7)),
    "conv padding wider than kernel": ([conv(2, 3), conv(2, 2, padding=3)], (1, 5, 5)),
    "conv single input channel": ([conv(1, 3, padding=1), conv(3, 3, padding=1)], (1, 6, 6)),
    "max pool 2 (tiling)": ([conv(3, 3), MaxPool2D.type_name], (2, 10, 10)),
    "max pool 2 on odd size": ([conv(3, 3), MaxPool2D.type_name], (2, 9, 9)),
    "max pool 3 stride 2 (overlapping)": ([conv(3, 3), {"type": "max_pool2d", "pool_size": 3, "stride": 2}],
                                          (2, 9, 9)),
    "max pool [2, 3] stride [1, 2]": ([conv(2, 3), {"type": "max_pool2d", "pool_size": [2, 3],
                                                    "stride": [1, 2]}], (2, 7, 8)),
    "avg pool 2 (tiling)": ([conv(3, 3), AvgPool2D.type_name], (2, 10, 10)),
    "avg pool 3 stride 2 (overlapping)": ([conv(3, 3), {"type": "avg_pool2d", "pool_size": 3, "stride": 2}],
                                          (2, 9, 9)),
    "avg pool 2 on odd size": ([conv(2, 3), {"type": "avg_pool2d", "pool_size": 2}], (2, 8, 7)),
    "batch norm, image": ([conv(3, 3), {"type": "relu"}, {"type": "batch_norm"}, conv(2, 3)], (2, 7, 7)),
    # (a bias just before batch norm has no effect and a zero gradient, so an activation between)
    "batch norm, flat": ([{"type": "flatten"}, {"type": "dense", "units": 6}, {"type": "tanh"},
                          {"type": "batch_norm"}], (2, 4, 4)),
}


@pytest.mark.parametrize("case", GRADIENT_CASES)
def test_backprop_matches_numerical_gradient(case):
    """Backprop agrees with central differences to 1e-6 in float64 for every layer setting."""
    layers, input_shape = GRADIENT_CASES[case]
    layers = [{"type": entry} if isinstance(entry, str) else entry for entry in layers]
    batch = 5 if any(entry["type"] == "batch_norm" for entry in layers) else 3
    assert max_relative_error(layers, input_shape, batch) < 1e-6


def test_max_pool_routes_ties_to_the_first_element():
    """With equal values in a window, the whole gradient goes to the first (row-major) one."""
    pool = MaxPool2D(pool_size=2)
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 2:, 2:] = [[1, 5], [5, 5]]
    pool.forward(x, training=True)
    dx = pool.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    expected = np.zeros((4, 4))
    expected[0, 0], expected[0, 2], expected[2, 0], expected[2, 3] = 1, 2, 3, 4
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_overlapping_max_pool_counts_each_window():
    """An element that is the maximum of two overlapping windows receives both gradients."""
    pool = MaxPool2D(pool_size=3, stride=1)
    x = np.zeros((1, 1, 4, 3))
    x[0, 0, 1, 1] = 9.0
    y = pool.forward(x, training=True)
    assert y.shape == (1, 1, 2, 1)
    dx = pool.backward(np.ones_like(y))
    assert dx[0, 0, 1, 1] == 2 and dx.sum() == 2


def test_layers_keep_float32_and_do_not_touch_their_inputs():
    """A float32 batch stays float32 through every layer; inputs and gradients are not mutated."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 2, 8, 8)).astype(np.float32)
    layers = [Conv2D(3, 3, padding=1), MaxPool2D(), AvgPool2D(), BatchNorm()]
    shape = (2, 8, 8)
    for layer in layers:
        for name, s in layer.param_shapes(shape).items():
            layer.params[name], layer.grads[name] = np.zeros(s, np.float32), np.zeros(s, np.float32)
        for name, s in layer.buffer_shapes(shape).items():
            layer.buffers[name] = np.zeros(s, np.float32)
        layer.initialize(np.random.default_rng(1))
        before = x.copy()
        y = layer.forward(x, training=True)
        dout = np.ones_like(y)
        dx = layer.backward(dout)
        assert y.dtype == dx.dtype == np.float32
        assert dx.shape == x.shape and y.shape[1:] == layer.output_shape(shape)
        np.testing.assert_array_equal(x, before)
        assert np.all(dout == 1)
        x, shape = y, y.shape[1:]


def test_conv_output_does_not_depend_on_memory_layout_or_chunking():
    """Channels-first and channels-last inputs, and chunked inference, give the same answer."""
    net = Network.from_config({"input_shape": [3, 9, 9], "layers": [conv(4, 3, padding="same")]},
                              dtype=np.float64, rng=np.random.default_rng(0))
    layer = net.layers[0]
    layer.inference_chunk = 4
    x = np.random.default_rng(1).standard_normal((10, 3, 9, 9))
    channels_last = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    reference = layer.forward(x, training=True).copy()
    np.testing.assert_allclose(layer.forward(channels_last, training=True), reference, atol=1e-12)
    np.testing.assert_allclose(layer.forward(x, training=False), reference, atol=1e-12)


def test_batch_norm_running_statistics():
    """Training normalises with batch statistics and moves the running ones; inference uses them."""
    net = Network.from_config({"input_shape": [2, 3, 3], "layers": [{"type": "batch_norm",
                                                                    "momentum": 0.5}]},
                              dtype=np.float64)
    layer = net.layers[0]
    np.testing.assert_array_equal(layer.buffers["running_var"], [1, 1])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 2, 3, 3)) * np.array([2.0, 0.5])[:, None, None] + 3
    y = layer.forward(x, training=True)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, atol=1e-3)
    np.testing.assert_allclose(layer.buffers["running_mean"], 0.5 * x.mean(axis=(0, 2, 3)))
    np.testing.assert_allclose(layer.buffers["running_var"], 0.5 + 0.5 * x.var(axis=(0, 2, 3)))
    mean, var = layer.buffers["running_mean"], layer.buffers["running_var"]
    expected = (x - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5)
    np.testing.assert_allclose(layer.forward(x, training=False), expected, atol=1e-12)
    assert "layers.0.running_var" in net.state_dict()


@pytest.mark.parametrize("entry", [
    conv(8, [3, 5], stride=2, padding="same", init="xavier"),
    conv(4, 3, padding=[1, 2]),
    {"type": "max_pool2d", "pool_size": 3, "stride": 2},
    {"type": "avg_pool2d", "pool_size": [2, 1], "stride": [2, 1]},
    {"type": "batch_norm", "momentum": 0.8, "eps": 1e-3},
])
def test_config_round_trip(entry):
    """Every layer rebuilds from its get_config() through the registry."""
    layer = build_layer(entry)
    assert build_layer(layer.get_config()).get_config() == layer.get_config()
    assert type(layer) is LAYERS[entry["type"]]


@pytest.mark.parametrize("entry, message", [
    (conv(0, 3), "0"),
    (conv(4, 3, padding="full"), "'full'"),
    (conv(4, 3, padding=-1), "-1"),
    (conv(4, [3, 3, 3]), "[3, 3, 3]"),
    ({"type": "max_pool2d", "pool_size": 2.5}, "2.5"),
    ({"type": "batch_norm", "momentum": 1.0}, "1.0"),
])
def test_bad_settings_are_rejected_with_the_value(entry, message):
    """Impossible settings raise ConfigError quoting the bad value."""
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        build_layer(entry)


def test_shape_errors_explain_the_problem():
    """A kernel larger than its input, or a flat input, is reported when the network is built."""
    with pytest.raises(ConfigError, match="does not fit"):
        Network.from_config({"input_shape": [1, 4, 4], "layers": [conv(2, 5)]})
    with pytest.raises(ConfigError, match="image input"):
        Network.from_config({"input_shape": [16], "layers": [conv(2, 3)]})


def test_conv_weight_fans_follow_the_initialiser():
    """He initialisation draws conv weights with std sqrt(2 / (C*kh*kw))."""
    net = Network.from_config({"input_shape": [16, 12, 12], "layers": [conv(64, 3)]},
                              rng=np.random.default_rng(0))
    weights = net.layers[0].params["W"]
    assert weights.shape == (64, 16, 3, 3)
    assert abs(weights.std() - np.sqrt(2 / 144)) < 0.01
    assert not net.layers[0].params["b"].any()


def test_tiny_cnn_learns_bars():
    """A small CNN trained with Adam tells horizontal from vertical bars: the loss falls."""
    rng = np.random.default_rng(0)
    n = 64
    x = rng.normal(0, 0.3, (n, 1, 8, 8)).astype(np.float32)
    t = rng.integers(0, 2, n)
    rows = rng.integers(1, 7, n)
    for i in range(n):
        if t[i]:
            x[i, 0, :, rows[i]] += 1
        else:
            x[i, 0, rows[i], :] += 1
    config = {"input_shape": [1, 8, 8], "layers": [
        conv(4, 3, padding="same"), {"type": "relu"}, {"type": "max_pool2d"},
        {"type": "batch_norm"}, {"type": "flatten"}, {"type": "dense", "units": 2}, {"type": "softmax"}]}
    net = Network.from_config(config, rng=np.random.default_rng(1))
    opt = Adam(1e-2)
    first = net.gradient(x, t)
    for _ in range(40):
        loss = net.gradient(x, t)
        opt.update({"all": net.flat_parameters()}, {"all": net.flat_gradients()})
    assert loss < 0.25 * first
    assert np.mean(net.predict(x) == t) > 0.9


# -- against PyTorch (skipped when it is not installed) -----------------------------------------
@pytest.mark.parametrize("kernel, stride, padding, torch_pad", [
    (3, 1, 1, (1, 1, 1, 1)),
    (3, 1, "same", (1, 1, 1, 1)),
    ([5, 3], 1, "valid", (0, 0, 0, 0)),
    (3, 2, 1, (1, 1, 1, 1)),
    (4, 2, "same", (1, 2, 1, 2)),  # Keras "same", 9 -> 5: 3 padding columns, the odd one after
    (2, [2, 3], [0, 1], (1, 1, 0, 0)),
])
def test_conv_matches_pytorch(kernel, stride, padding, torch_pad):
    """Forward output and all three gradients equal torch.nn.functional.conv2d's.

    ``torch_pad`` is (left, right, top, bottom) for ``F.pad``, which allows asymmetric padding.
    """
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3, 9, 9))
    layer = Conv2D(5, kernel, stride=stride, padding=padding)
    for name, s in layer.param_shapes((3, 9, 9)).items():
        layer.params[name] = rng.standard_normal(s)
        layer.grads[name] = np.zeros(s)
    y = layer.forward(x, training=True)
    dout = rng.standard_normal(y.shape)
    dx = layer.backward(dout)

    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(layer.params["W"], requires_grad=True)
    bt = torch.tensor(layer.params["b"], requires_grad=True)
    yt = functional.conv2d(functional.pad(xt, torch_pad), wt, bt,
                           stride=tuple(stride) if isinstance(stride, list) else stride)
    yt.backward(torch.tensor(dout))
    np.testing.assert_allclose(y, yt.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.grads["W"], wt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.grads["b"], bt.grad.numpy(), atol=1e-10)


@pytest.mark.parametrize("kind, pool, stride", [
    ("max", 2, None), ("max", 3, 2), ("max", [2, 3], [1, 2]), ("avg", 2, None), ("avg", 3, 2),
])
def test_pooling_matches_pytorch(kind, pool, stride):
    """Pooled values and input gradients equal torch's max_pool2d / avg_pool2d."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4, 11, 10))
    layer = (MaxPool2D if kind == "max" else AvgPool2D)(pool_size=pool, stride=stride)
    y = layer.forward(x, training=True)
    dout = rng.standard_normal(y.shape)
    dx = layer.backward(dout)
    xt = torch.tensor(x, requires_grad=True)
    function = torch.nn.functional.max_pool2d if kind == "max" else torch.nn.functional.avg_pool2d
    yt = function(xt, tuple(pool) if isinstance(pool, list) else pool,
                  tuple(stride) if isinstance(stride, list) else stride)
    yt.backward(torch.tensor(dout))
    np.testing.assert_allclose(y, yt.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("kernel, padding, input_shape", [
    (3, "same", (4, 8, 8)), (3, 1, (3, 7, 9)), ([5, 3], "valid", (2, 9, 8)), (2, "same", (3, 6, 5)),
])
def test_both_input_gradient_methods_agree(kernel, padding, input_shape):
    """The transposed-convolution and the scatter-add input gradients give the same result."""
    rng = np.random.default_rng(0)
    layer = Conv2D(6, kernel, padding=padding)
    for name, s in layer.param_shapes(input_shape).items():
        layer.params[name], layer.grads[name] = rng.standard_normal(s), np.zeros(s)
    x = rng.standard_normal((5,) + input_shape)
    dout = rng.standard_normal((5,) + layer.output_shape(input_shape))
    results = []
    for ratio in (np.inf, 0.0):  # always transposed, never transposed
        layer.transposed_ratio = ratio
        layer.forward(x, training=True)
        results.append(layer.backward(dout))
    np.testing.assert_allclose(results[0], results[1], atol=1e-12)


def test_results_do_not_depend_on_threads(monkeypatch):
    """Splitting the batch between threads gives bit-identical outputs and gradients."""
    from digitlab.core import conv as conv_module

    config = {"input_shape": [3, 9, 9], "layers": [
        conv(4, 3, padding="same"), {"type": "max_pool2d", "pool_size": 3, "stride": 2},
        conv(5, 2, stride=2), {"type": "avg_pool2d", "pool_size": 1}, conv(6, 1), {"type": "max_pool2d"},
    ] + HEAD}
    rng = np.random.default_rng(0)
    x = rng.standard_normal((7, 3, 9, 9)).astype(np.float32)
    t = rng.integers(0, 3, 7)
    results = []
    for min_size, threads in ((1 << 62, 1), (0, 3)):
        monkeypatch.setattr(conv_module._split, "min_size", min_size)
        monkeypatch.setattr(conv_module._split, "threads", threads)
        monkeypatch.setattr(conv_module._split, "_pool", None)
        net = Network.from_config(config, rng=np.random.default_rng(1))
        net.layers[4].transposed_ratio = np.inf  # one input gradient of each kind
        loss = net.gradient(x, t)
        results.append((loss, net.flat_gradients().copy(), net.predict_proba(x)))
    assert results[0][0] == results[1][0]
    np.testing.assert_array_equal(results[0][1], results[1][1])
    np.testing.assert_array_equal(results[0][2], results[1][2])
