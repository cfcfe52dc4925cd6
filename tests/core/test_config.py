"""TrainConfig validation, its JSON round trip, and the presets."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitlab.core.augment import AugmentConfig
from digitlab.core.config import TrainConfig
from digitlab.core.errors import ConfigError
from digitlab.core.network import Network
from digitlab.core.optimizers import Adam, Momentum
from digitlab.core.presets import PRESETS, describe_presets, get_preset, preset_names

LAYERS = ({"type": "dense", "units": 10, "init": "he", "init_scale": 0.01}, {"type": "softmax"})
NAN, INF = float("nan"), float("inf")

BAD_VALUES = [
    ("lr", 0), ("lr", -0.1), ("lr", NAN), ("lr", INF), ("lr", "0.1"), ("lr", True),
    ("momentum", -0.1), ("momentum", 1.0), ("momentum", NAN),
    ("beta1", 1.0), ("beta1", -0.5), ("beta2", 1.0), ("beta2", NAN),
    ("rho", 0.0), ("rho", 1.0), ("eps", 0.0), ("eps", -1e-8), ("eps", INF),
    ("l2", -0.01), ("l2", NAN),
    ("val_split", 1.0), ("val_split", 1.5), ("val_split", -0.1), ("val_split", NAN),
    ("batch_size", 0), ("batch_size", -5), ("batch_size", 2.5), ("batch_size", True),
    ("epochs", 0), ("epochs", 1.0),
    ("iterations_per_epoch", 0), ("max_iterations", 0), ("max_iterations", -1), ("train_limit", 0),
    ("report_every", 0), ("snapshot_every", -1),
    ("loss_threshold", 0), ("loss_threshold", -1.0), ("loss_threshold", NAN),
    ("optimizer", "lbfgs"), ("schedule", "warmup"), ("sampling", "bootstrap"),
    ("gradients", "symbolic"), ("dtype", "float16"), ("loss", "hinge"),
    ("decay", -1.0), ("decay", "fast"), ("power", -0.5), ("power", INF), ("step_size", 0),
    ("step_size", 1.5), ("gamma", 0.0), ("gamma", 2.0), ("min_lr", -1e-3), ("min_lr", INF),
    ("seed", -1), ("seed", 1.5), ("seed", "abc"),
    ("normalize", "yes"), ("evaluate_test", None),
    ("input_shape", (0,)), ("input_shape", ()), ("input_shape", ("a",)), ("input_shape", 784),
    ("layers", ()), ("layers", ("dense",)), ("layers", ({"units": 3},)),
    ("augment", 5), ("augment", {"rotation_deg": 400}), ("augment", {"flip": 1}),
]


@pytest.mark.parametrize("name,value", BAD_VALUES, ids=[f"{n}={v!r}" for n, v in BAD_VALUES])
def test_impossible_values_raise_config_error_quoting_them(name, value):
    """Each impossible setting is refused at construction with a ConfigError naming the value."""
    settings = {"layers": LAYERS, name: value}
    with pytest.raises(ConfigError) as info:
        TrainConfig(**settings)
    message = str(info.value)
    assert "\n" not in message
    if name == "layers" and value == ():
        assert "at least one layer" in message
    elif name == "augment" and isinstance(value, dict):
        assert next(iter(value)) in message
    else:
        assert repr(value) in message or str(value) in message, message


def test_defaults_are_valid_and_frozen():
    """A config with only layers is valid; configs are immutable and replace() re-validates."""
    config = TrainConfig(layers=LAYERS)
    with pytest.raises(AttributeError):
        config.lr = 0.5  # type: ignore[misc]
    assert config.replace(lr=0.5).lr == 0.5
    with pytest.raises(ConfigError, match="-0.5"):
        config.replace(lr=-0.5)


def test_loss_aliases_are_accepted():
    """Loss aliases (mse, cross_entropy) are valid names."""
    assert TrainConfig(layers=LAYERS, loss="mse").build_network().loss_name == "mse"
    TrainConfig(layers=LAYERS, loss="cross_entropy")


def test_to_dict_from_dict_json_round_trip():
    """to_dict is plain JSON (json.dumps works) and from_dict rebuilds an equal config."""
    config = TrainConfig(layers=LAYERS, optimizer="rmsprop", lr=0.01, rho=0.8, eps=1e-7,
                         schedule="cosine", min_lr=1e-5, l2=1e-4, batch_size=32, epochs=3,
                         sampling="replacement", max_iterations=50, val_split=0.1, train_limit=500,
                         normalize=True, augment=AugmentConfig(10, 0.1, 0.05), seed=7,
                         loss_threshold=0.05, report_every=5, snapshot_every=20, evaluate_test=False)
    text = json.dumps(config.to_dict())
    restored = TrainConfig.from_dict(json.loads(text))
    assert restored == config
    assert restored.to_dict() == config.to_dict()
    assert isinstance(restored.augment, AugmentConfig) and isinstance(restored.layers, tuple)


def test_from_dict_refuses_unknown_settings():
    """Unknown keys in a saved training dict raise ConfigError naming them."""
    with pytest.raises(ConfigError, match="warp_speed"):
        TrainConfig.from_dict({"layers": list(LAYERS), "warp_speed": 9})


def test_factories_build_what_the_settings_say():
    """build_network/make_optimizer/make_schedule follow the settings; numerical mode is float64."""
    config = TrainConfig(layers=LAYERS, optimizer="momentum", lr=0.05, momentum=0.8,
                         schedule="step", step_size=3, gamma=0.1)
    net = config.build_network(np.random.default_rng(0))
    assert isinstance(net, Network) and net.dtype == np.float32 and net.output_shape == (10,)
    optimizer = config.make_optimizer()
    assert isinstance(optimizer, Momentum) and (optimizer.lr, optimizer.momentum) == (0.05, 0.8)
    assert config.make_schedule(100).rate(0.05, 1, epoch=3) == pytest.approx(0.005)
    assert config.replace(gradients="numerical").build_network().dtype == np.float64
    assert config.replace(dtype="float64").np_dtype == np.float64
    adam = TrainConfig(layers=LAYERS, eps=None).make_optimizer()
    assert isinstance(adam, Adam) and adam.eps == 1e-8


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_validates_and_builds(name):
    """Every preset is a valid config that builds its network and optimiser and survives JSON."""
    config = get_preset(name)
    assert isinstance(config, TrainConfig)
    net = config.build_network(np.random.default_rng(0))
    assert net.output_shape == (10,) and net.parameter_count > 0
    config.make_optimizer()
    assert TrainConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_tutorial_and_mlp_presets_match_the_issue():
    """The tutorials' 784-50-10 nets (0.01*randn, SGD 0.1, batch 100) and the 784-256-128-10 mlp."""
    for name, activation in (("tutorial-relu", "relu"), ("tutorial-sigmoid", "sigmoid")):
        config = get_preset(name)
        assert [e["type"] for e in config.layers] == ["dense", activation, "dense", "softmax"]
        assert [e.get("units") for e in config.layers if e["type"] == "dense"] == [50, 10]
        assert all(e["init"] == "normal" and e["init_scale"] == 0.01
                   for e in config.layers if e["type"] == "dense")
        assert (config.optimizer, config.lr, config.batch_size) == ("sgd", 0.1, 100)
    mlp = get_preset("mlp")
    assert [e.get("units") for e in mlp.layers if e["type"] == "dense"] == [256, 128, 10]
    assert all(e["init"] == "he" for e in mlp.layers if e["type"] == "dense")


def test_unknown_preset_lists_options():
    """An unknown preset name raises ConfigError listing every preset; descriptions name them all."""
    with pytest.raises(ConfigError) as info:
        get_preset("resnet")
    assert all(name in str(info.value) for name in preset_names())
    assert all(name in describe_presets() for name in preset_names())
