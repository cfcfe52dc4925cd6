"""The network: parameter names and views, state dicts, copies, predictions and construction errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitlab.core.activations import ReLU, Softmax, Tanh
from digitlab.core.errors import ConfigError
from digitlab.core.layers import Dense, Flatten
from digitlab.core.network import Network
from digitlab.core.registry import LAYERS, build_layer

CONFIG = {
    "input_shape": [784],
    "layers": [{"type": "dense", "units": 16, "init": "he", "init_scale": 0.01}, {"type": "relu"},
               {"type": "dense", "units": 10, "init": "xavier", "init_scale": 0.01}, {"type": "softmax"}],
    "loss": "softmax_cross_entropy",
}


def _net(dtype=np.float32, seed: int = 0) -> Network:
    return Network.from_config(CONFIG, dtype, np.random.default_rng(seed))


def test_named_parameters_names_and_shapes():
    """Parameters are named layers.<index>.<name> by position in the layer list; dense W is (in, out)."""
    shapes = {name: p.shape for name, p in _net().named_parameters().items()}
    assert shapes == {"layers.0.W": (784, 16), "layers.0.b": (16,),
                      "layers.2.W": (16, 10), "layers.2.b": (10,)}
    assert _net().parameter_count == 784 * 16 + 16 + 16 * 10 + 10


def test_named_gradients_match_parameter_names_and_shapes():
    """Every parameter has a gradient of the same name and shape."""
    net = _net()
    assert {k: v.shape for k, v in net.named_gradients().items()} == {
        k: v.shape for k, v in net.named_parameters().items()}


def test_flat_views_alias_named_parameters_and_gradients():
    """The flat parameter/gradient arrays share memory with the named ones, in name order."""
    net = _net()
    flat, named = net.flat_parameters(), net.named_parameters()
    assert all(np.shares_memory(flat, p) for p in named.values())
    flat[...] = np.arange(flat.size, dtype=flat.dtype)
    np.testing.assert_array_equal(np.concatenate([p.ravel() for p in named.values()]), flat)
    named["layers.2.b"][...] = -1
    assert (flat[-10:] == -1).all()
    grads = net.named_gradients()
    assert all(np.shares_memory(net.flat_gradients(), g) for g in grads.values())
    x = np.random.default_rng(0).random((3, 784), dtype=np.float32)
    net.gradient(x, np.array([1, 2, 3]))
    np.testing.assert_array_equal(np.concatenate([g.ravel() for g in grads.values()]), net.flat_gradients())


def test_state_dict_round_trip_and_copies():
    """state_dict returns independent copies; load_state_dict restores them exactly."""
    net = _net()
    state = net.state_dict()
    assert set(state) == set(net.named_parameters())
    original = {k: v.copy() for k, v in state.items()}
    state["layers.0.W"][...] = 123  # editing the copy leaves the network alone
    assert not (net.named_parameters()["layers.0.W"] == 123).any()
    net.initialize(np.random.default_rng(99))
    assert not np.array_equal(net.named_parameters()["layers.0.W"], original["layers.0.W"])
    net.load_state_dict(original)
    for name, value in net.named_parameters().items():
        np.testing.assert_array_equal(value, original[name])
    other = _net(seed=5)
    other.load_state_dict(net.state_dict())
    np.testing.assert_array_equal(other.flat_parameters(), net.flat_parameters())


def test_load_state_dict_strict_errors():
    """Strict loading names missing and unexpected entries; a wrong shape always fails."""
    net = _net()
    state = net.state_dict()
    missing = {k: v for k, v in state.items() if k != "layers.2.b"}
    with pytest.raises(ConfigError, match=r"missing \['layers.2.b'\]"):
        net.load_state_dict(missing)
    with pytest.raises(ConfigError, match=r"unexpected \['layers.9.W'\]"):
        net.load_state_dict({**state, "layers.9.W": np.zeros(3)})
    net.load_state_dict(missing, strict=False)  # tolerated when not strict
    with pytest.raises(ConfigError, match=r"layers.0.W has shape \(16, 784\)"):
        net.load_state_dict({**state, "layers.0.W": state["layers.0.W"].T}, strict=False)


def test_copy_with_dtype_is_independent():
    """copy(float64) has the same architecture and weights, recast, and shares no memory."""
    net = _net()
    twin = net.copy(np.float64)
    assert twin.dtype == np.float64 and twin.get_config() == net.get_config()
    np.testing.assert_array_equal(twin.flat_parameters(), net.flat_parameters().astype(np.float64))
    assert not np.shares_memory(twin.flat_parameters(), net.flat_parameters())
    twin.flat_parameters()[...] = 0
    assert net.flat_parameters().any()
    assert net.copy().dtype == np.float32


def test_predict_proba_rows_sum_to_one():
    """Probabilities are non-negative and sum to one per row, batched or not; predict is argmax."""
    net = _net()
    x = np.random.default_rng(1).random((25, 784), dtype=np.float32) * 3
    p = net.predict_proba(x, batch_size=7)
    assert p.shape == (25, 10) and (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(p, net.predict_proba(x), rtol=1e-4, atol=1e-7)  # float32 GEMM blocking
    np.testing.assert_array_equal(net.predict(x), np.argmax(p, axis=1))
    assert net.predict_proba(x[:0]).shape == (0, 10)


def test_predict_proba_with_mse_and_softmax_layer_sums_to_one():
    """With squared error the final Softmax layer runs in forward and still gives probabilities."""
    net = Network([Dense(8), Tanh(), Dense(4), Softmax()], (6,), "mean_squared_error")
    p = net.predict_proba(np.random.default_rng(2).standard_normal((5, 6)).astype(np.float32))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


def test_forward_and_backward_do_not_modify_their_inputs():
    """forward never writes into the batch it was given, nor backward into the incoming gradient."""
    net = Network([Dense(8), ReLU(), Dense(8), Tanh(), Dense(4)], (6,), dtype=np.float64)
    x = np.random.default_rng(3).standard_normal((5, 6))
    x_before = x.copy()
    net.forward(x, training=True)
    net.gradient(x, np.array([0, 1, 2, 3, 0]))
    np.testing.assert_array_equal(x, x_before)
    grad = np.random.default_rng(4).standard_normal((5, 4))
    net.forward(x, training=True)
    for layer in reversed(net.layers):
        before = grad.copy()
        result = layer.backward(grad)
        np.testing.assert_array_equal(grad, before)
        grad = result


def test_forward_casts_input_to_network_dtype():
    """A float64 batch into a float32 network gives float32 outputs without touching the batch."""
    net = _net()
    x = np.random.default_rng(5).random((2, 784))
    out = net.forward(x)
    assert out.dtype == np.float32 and x.dtype == np.float64


def test_dense_after_image_input_without_flatten_is_refused():
    """A dense layer given an image-shaped input raises ConfigError telling to add a flatten."""
    with pytest.raises(ConfigError, match="flatten"):
        Network([Dense(10)], (1, 28, 28))
    net = Network([Flatten(), Dense(10)], (1, 28, 28))
    assert net.named_parameters()["layers.1.W"].shape == (784, 10)


def test_unknown_layer_type_lists_options():
    """An unknown layer type raises ConfigError listing every registered type."""
    with pytest.raises(ConfigError) as info:
        build_layer({"type": "lstm", "units": 3})
    message = str(info.value)
    assert "'lstm'" in message and all(name in message for name in LAYERS)


@pytest.mark.parametrize("entry,fragment", [
    ({"type": "dense", "units": 10, "bogus": 1}, "bogus"),
    ({"type": "dense", "units": 0}, "got 0"),
    ({"type": "dense", "units": 2.5}, "got 2.5"),
    ({"type": "dense", "units": True}, "got True"),
    ({"type": "dense", "units": 10, "init_scale": -1.0}, "got -1.0"),
    ({"type": "dropout", "rate": 1.0}, "got 1.0"),
    ({"type": "leaky_relu", "slope": -0.2}, "got -0.2"),
    ({"type": "prelu", "init_slope": float("nan")}, "got nan"),
    ({"units": 10}, "'type'"),
    ("dense", "'type'"),
])
def test_bad_layer_settings_raise_config_error(entry, fragment):
    """Bad layer settings raise ConfigError quoting the offending value."""
    with pytest.raises(ConfigError) as info:
        build_layer(entry)
    assert fragment in str(info.value)


def test_unknown_initialiser_lists_options():
    """An unknown initialiser name lists normal, xavier and he."""
    with pytest.raises(ConfigError, match="'orthogonal'.*normal, xavier, he"):
        build_layer({"type": "dense", "units": 3, "init": "orthogonal"})


@pytest.mark.parametrize("kwargs,fragment", [
    ({"layers": []}, "at least one layer"),
    ({"loss": "hinge"}, "'hinge'"),
    ({"dtype": np.float16}, "float16"),
])
def test_bad_network_settings_raise_config_error(kwargs, fragment):
    """An empty network, an unknown loss or an unsupported dtype raise ConfigError."""
    settings = {"layers": [Dense(3)], "input_shape": (4,), **kwargs}
    with pytest.raises(ConfigError, match=fragment):
        Network(**settings)


def test_config_round_trip_is_json():
    """get_config is plain JSON and from_config rebuilds the same architecture."""
    net = _net()
    config = json.loads(json.dumps(net.get_config()))
    assert config == CONFIG
    assert Network.from_config(config).get_config() == CONFIG
    with pytest.raises(ConfigError, match="input_shape"):
        Network.from_config({"layers": CONFIG["layers"]})


def test_initialisers_use_their_documented_std():
    """normal uses init_scale, xavier sqrt(2/(in+out)), he sqrt(2/in); biases start at zero."""
    layers = [Dense(400, "normal", 0.05), Dense(300, "xavier"), Dense(200, "he")]
    net = Network(layers, (500,), rng=np.random.default_rng(0))
    params = net.named_parameters()
    assert params["layers.0.W"].std() == pytest.approx(0.05, rel=0.02)
    assert params["layers.1.W"].std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert params["layers.2.W"].std() == pytest.approx(np.sqrt(2 / 300), rel=0.02)
    assert not any(params[f"layers.{i}.b"].any() for i in range(3))


def test_same_rng_seed_gives_same_weights():
    """Initial weights depend only on the generator's seed."""
    np.testing.assert_array_equal(_net(seed=7).flat_parameters(), _net(seed=7).flat_parameters())
    assert not np.array_equal(_net(seed=7).flat_parameters(), _net(seed=8).flat_parameters())


def test_summary_mentions_every_layer():
    """summary() has one line per layer plus input and total lines."""
    lines = _net().summary().splitlines()
    assert len(lines) == 4 + 2 and "12,730 parameters" in lines[-1]
