"""The convolution layer against the reference convolution; gradients, configs and training of
the image layers (convolution, pooling, batch norm) together."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core import conv_choice
from digitlab.core.batchnorm import BatchNorm
from digitlab.core.conv import Conv2D
from digitlab.core.conv_reference import conv2d_backward, conv2d_forward
from digitlab.core.errors import ConfigError
from digitlab.core.gradcheck import gradient_check
from digitlab.core.image_geometry import same_padding
from digitlab.core.network import Network
from digitlab.core.optimizers import Adam
from digitlab.core.pooling import AvgPool2D, MaxPool2D
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


@pytest.mark.parametrize("padding, hw", [(1, (6, 6)), ("valid", (7, 6))], ids=["even tiles", "odd output"])
def test_winograd_backprop_matches_numerical_gradient(padding, hw, monkeypatch):
    """With Winograd forced for every 3x3 convolution, backprop still agrees with central
    differences to 1e-6 in float64 (two stacked convolutions: the first one's weight gradient
    depends on the second's input gradient)."""
    monkeypatch.setattr(Conv2D, "algorithm", "winograd")
    layers = [conv(3, 3, padding=padding), {"type": "relu"}, conv(4, 3, padding=padding)]
    assert max_relative_error(layers, (2, *hw)) < 1e-6


def test_algorithm_choice_is_measured_once_per_shape_and_remembered(monkeypatch):
    """A large 3x3 stride-1 convolution times both algorithms once per shape and mode and then
    keeps its choice; a small one takes im2col without measuring."""
    conv_choice.forget()
    trials = []
    real_block = Conv2D._forward_block

    def counting_block(self, x, tag, algorithm="im2col"):
        trials.append(algorithm)
        return real_block(self, x, tag, algorithm)

    monkeypatch.setattr(Conv2D, "_forward_block", counting_block)
    monkeypatch.setattr(conv_choice, "MIN_MEASURED_WORK", 10_000)
    monkeypatch.setattr(Conv2D, "algorithm", "auto")
    layer = build_layer(conv(8, 3, padding=1))
    net = Network([layer], (4, 8, 8), dtype=np.float32)  # 2*64*9*4*8 = 36,864 multiply-adds
    x = np.random.default_rng(0).standard_normal((2, 4, 8, 8)).astype(np.float32)
    net.layers[0].forward(x, training=True)
    assert sorted(set(trials)) == ["im2col", "winograd"] and len(trials) == 2 * (1 + conv_choice.ROUNDS) + 1
    (key, choice), = conv_choice.chosen().items()
    assert trials[-1] == choice and key[-1] is True
    trials.clear()
    net.layers[0].forward(x, training=True)
    assert trials == [choice]
    monkeypatch.setattr(conv_choice, "MIN_MEASURED_WORK", 10**9)
    trials.clear()
    net.layers[0].forward(x[:1], training=True)
    assert trials == ["im2col"]
    conv_choice.forget()


# -- the fast convolution against the reference -------------------------------------------------
ConvCase = tuple[int, int, int, tuple[int, int], tuple[int, int], "str | int | list[int]", tuple[int, int]]


def random_conv_cases(count: int, seed: int) -> list[ConvCase]:
    """``(batch, channels, filters, kernel, stride, padding, (H, W))`` drawn over the ranges the
    layer must handle: batch 1..4, channels and filters 1..8, kernel 1..5, stride 1..3, padding
    "valid", "same", a number or a pair. Every fourth case has one input channel (the
    kernel-major path)."""
    rng = np.random.default_rng(seed)
    cases = []
    for index in range(count):
        kernel = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        padding = ["valid", "same", int(rng.integers(0, 4)),
                   [int(rng.integers(0, 4)), int(rng.integers(0, 4))]][index % 4]
        channels = 1 if index % 4 == 3 else int(rng.integers(1, 9))
        cases.append((int(rng.integers(1, 5)), channels, int(rng.integers(1, 9)), kernel,
                      (int(rng.integers(1, 4)), int(rng.integers(1, 4))), padding,
                      (int(rng.integers(kernel[0], 13)), int(rng.integers(kernel[1], 13)))))
    return cases


CONV_CASES = random_conv_cases(48, seed=20261202) + [
    (2, 3, 4, (1, 1), (1, 1), "valid", (5, 6)),      # 1x1 kernel: a per-pixel matrix product
    (1, 8, 8, (5, 5), (3, 3), "same", (12, 11)),     # largest kernel, channels and stride
    (4, 1, 2, (5, 5), (1, 1), 2, (6, 6)),            # one input channel, stride 1: both gradients
    (3, 4, 6, (4, 2), (1, 1), "same", (7, 6)),       # even kernel, asymmetric "same": both gradients
    (2, 5, 3, (3, 3), (1, 1), [1, 2], (6, 7)),       # padding pair, stride 1: both gradients
    (1, 8, 2, (3, 3), (1, 1), "valid", (3, 75)),     # N*Ho*Wo == kh*kw*C + 1 (73): once misread
                                                     # as kernel-major columns in backward
    (3, 6, 5, (3, 3), (1, 1), 1, (14, 14)),          # Winograd: even output, whole 2x2 tiles
    (2, 4, 3, (3, 3), (1, 1), "valid", (9, 8)),      # Winograd: odd output rows, tiles cropped
    (2, 1, 4, (3, 3), (1, 1), [2, 0], (5, 7)),       # Winograd: one channel, padding 2 (< kernel)
]


def case_id(case: ConvCase) -> str:
    n, c, f, (kh, kw), (sh, sw), padding, (h, w) = case
    return f"n{n}-c{c}-f{f}-k{kh}x{kw}-s{sh}x{sw}-pad{padding}-{h}x{w}".replace(" ", "")


def explicit_pads(padding: str | int | list[int], kernel: tuple[int, int], stride: tuple[int, int],
                  hw: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """The documented meaning of Conv2D's ``padding`` as ((top, bottom), (left, right))."""
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        return same_padding(hw[0], kernel[0], stride[0]), same_padding(hw[1], kernel[1], stride[1])
    ph, pw = padding if isinstance(padding, list) else (padding, padding)
    return (ph, ph), (pw, pw)


def assert_close_at_scale(actual: np.ndarray, expected: np.ndarray, tolerance: float) -> None:
    """Every element within ``tolerance`` times the expected array's largest magnitude (at
    least 1): rounding in sums of many terms grows with the size of the sum."""
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(actual, expected, rtol=0, atol=tolerance * scale)


@pytest.mark.parametrize("dtype, tolerance", [(np.float32, 1e-5), (np.float64, 1e-10)],
                         ids=["float32", "float64"])
@pytest.mark.parametrize("case", CONV_CASES, ids=[case_id(case) for case in CONV_CASES])
def test_fast_conv_matches_reference(case, dtype, tolerance):
    """Output, input gradient (both input-gradient methods) and weight/bias gradients of every
    algorithm that applies (im2col; Winograd for 3x3 stride 1) equal the reference convolution's,
    to 1e-5 in float32 and 1e-10 in float64, relative to each array's scale."""
    n, c, f, kernel, stride, padding, hw = case
    rng = np.random.default_rng(sum(kernel) + 10 * c + 100 * f)
    layer = Conv2D(f, list(kernel), stride=list(stride), padding=padding)
    shapes = layer.param_shapes((c, *hw))
    layer.params["W"] = (rng.standard_normal(shapes["W"]) / np.sqrt(c * kernel[0] * kernel[1])).astype(dtype)
    layer.params["b"] = rng.standard_normal(shapes["b"]).astype(dtype)
    x = rng.standard_normal((n, c, *hw)).astype(dtype)
    pads = explicit_pads(padding, kernel, stride, hw)
    y_ref = conv2d_forward(x, layer.params["W"], layer.params["b"], stride, pads)
    dy = rng.standard_normal(y_ref.shape).astype(dtype)
    dx_ref, dw_ref, db_ref = conv2d_backward(x, layer.params["W"], dy, stride, pads)
    for algorithm in ("im2col", "winograd"):
        layer.algorithm = algorithm
        if layer._algorithms(x.shape) != [algorithm]:
            continue
        for ratio in (np.inf, 0.0):  # row by row whenever it applies; col2im always
            layer.rows_ratio = ratio
            layer.grads = {name: np.full(shape, np.nan, dtype) for name, shape in shapes.items()}
            assert_close_at_scale(layer.forward(x, training=True), y_ref, tolerance)
            assert_close_at_scale(layer.backward(dy), dx_ref, tolerance)
            assert_close_at_scale(layer.grads["W"], dw_ref, tolerance)
            assert_close_at_scale(layer.grads["b"], db_ref, tolerance)
        assert_close_at_scale(layer.forward(x, training=False), y_ref, tolerance)


@pytest.mark.parametrize("size, kernel, stride, expected", [
    (9, 3, 1, (1, 1)), (9, 4, 2, (1, 2)), (8, 3, 2, (0, 1)), (5, 1, 3, (0, 0)), (4, 2, 1, (0, 1)),
])
def test_same_padding_keeps_ceil_size_with_the_odd_row_after(size, kernel, stride, expected):
    """"same" padding gives ceil(size / stride) outputs; an odd total goes bottom/right (Keras)."""
    before, after = same_padding(size, kernel, stride)
    assert (before, after) == expected
    assert (size + before + after - kernel) // stride + 1 == -(-size // stride)


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




def test_the_default_algorithm_is_fixed_so_runs_repeat_bit_for_bit(monkeypatch):
    """Unless asked for, no timing decides the algorithm (a measured choice could differ between
    two runs of one command); an unknown value falls back to the fixed rule by shape."""
    monkeypatch.delenv("DIGITLAB_CONV_ALGORITHM", raising=False)
    assert conv_choice.algorithm_from_environment() == "by-shape"
    monkeypatch.setenv("DIGITLAB_CONV_ALGORITHM", "Winograd")
    assert conv_choice.algorithm_from_environment() == "winograd"
    monkeypatch.setenv("DIGITLAB_CONV_ALGORITHM", "fastest-please")
    assert conv_choice.algorithm_from_environment() == "by-shape"
    monkeypatch.setattr(Conv2D, "algorithm", "by-shape")
    few, many = build_layer(conv(8, 3, padding=1)), build_layer(conv(8, 3, padding=1))
    Network([few], (1, 8, 8)), Network([many], (16, 8, 8))
    assert few._algorithms((2, 1, 8, 8)) == ["im2col"]
    assert many._algorithms((2, 16, 8, 8)) == ["winograd"]
