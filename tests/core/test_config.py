"""TrainConfig validation, its JSON round trip, and the presets."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitlab.core.augment import AugmentConfig
from digitlab.core.config import NetworkSpec, TrainConfig
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


def base() -> TrainConfig:
    return TrainConfig(NetworkSpec(LAYERS))


def configure(name: str, value):
    """A config with one setting changed, routed as the command line routes it."""
    if name in ("layers", "input_shape", "loss"):
        return TrainConfig(NetworkSpec(**{"layers": LAYERS, name: value}))
    if name == "augment":
        return TrainConfig(NetworkSpec(LAYERS), augment=value)
    if name in ("momentum",):
        return base().with_settings(optimizer="momentum", momentum=value)
    if name in ("rho",):
        return base().with_settings(optimizer="rmsprop", rho=value)
    if name in ("decay",):
        return base().with_settings(schedule="time", decay=value)
    if name in ("power",):
        return base().with_settings(schedule="power", power=value)
    if name in ("step_size", "gamma"):
        return base().with_settings(schedule="step", **{name: value})
    if name in ("min_lr",):
        return base().with_settings(schedule="cosine", min_lr=value)
    return base().with_settings(**{name: value})


@pytest.mark.parametrize("name,value", BAD_VALUES, ids=[f"{n}={v!r}" for n, v in BAD_VALUES])
def test_impossible_values_raise_config_error_quoting_them(name, value):
    """Each impossible setting is refused at construction with a ConfigError naming the value."""
    with pytest.raises(ConfigError) as info:
        configure(name, value)
    message = str(info.value)
    assert "\n" not in message
    if name == "layers" and value == ():
        assert "at least one layer" in message
    elif name == "augment" and isinstance(value, dict):
        assert next(iter(value)) in message
    else:
        assert repr(value) in message or str(value) in message, message


def test_defaults_are_valid_and_frozen():
    """A config with only a network is valid; records are immutable and changes re-validate."""
    config = base()
    with pytest.raises(AttributeError):
        config.run.epochs = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        config.optimizer = None  # type: ignore[misc]
    assert config.with_settings(lr=0.5).optimizer.settings["lr"] == 0.5
    with pytest.raises(ConfigError, match="-0.5"):
        config.with_settings(lr=-0.5)


def test_a_setting_the_optimizer_does_not_take_is_an_error_not_dropped():
    """sgd takes only lr: momentum for it is refused naming what it takes (get_optimizer too)."""
    with pytest.raises(ConfigError, match="sgd optimizer has no setting 'momentum'; it takes lr"):
        base().with_settings(optimizer="sgd", momentum=0.9)
    from digitlab.core.optimizers import get_optimizer

    with pytest.raises(ConfigError, match="'beta1'"):
        get_optimizer("sgd", lr=0.1, beta1=0.9)
    with pytest.raises(ConfigError, match="warp"):
        base().with_settings(warp=1)


def test_choosing_an_optimizer_starts_from_its_defaults():
    """Switching from adam to sgd keeps none of adam's settings; explicit ones apply on top."""
    adam = base().with_settings(lr=0.123)
    sgd = adam.with_settings(optimizer="sgd")
    assert sgd.optimizer.to_dict() == {"name": "sgd", "lr": 0.01}
    assert adam.with_settings(optimizer="momentum", lr=0.2).optimizer.settings == {
        "lr": 0.2, "momentum": 0.9}


def test_layer_entries_are_completed_with_their_defaults():
    """Two ways of writing the same layer compare equal: entries are canonical."""
    short = TrainConfig(NetworkSpec(({"type": "dense", "units": 10}, {"type": "softmax"})))
    assert short == base()
    assert short.network.layers[0] == {"type": "dense", "units": 10, "init": "he", "init_scale": 0.01}
    with pytest.raises(ConfigError, match="colour"):
        NetworkSpec(({"type": "dense", "units": 10, "colour": "red"},))


def test_a_stack_that_does_not_fit_is_refused_before_building():
    """A dense layer on an image without flatten is refused by shapes alone."""
    with pytest.raises(ConfigError, match="flatten"):
        NetworkSpec(({"type": "dense", "units": 10},), input_shape=(1, 28, 28))


def test_loss_aliases_are_accepted():
    """Loss aliases (mse, cross_entropy) are valid names."""
    assert TrainConfig(NetworkSpec(LAYERS, loss="mse")).build_network().loss_name == "mse"
    NetworkSpec(LAYERS, loss="cross_entropy")


def test_to_dict_from_dict_json_round_trip():
    """to_dict is plain JSON (json.dumps works) and from_dict rebuilds an equal config."""
    config = base().with_settings(
        optimizer="rmsprop", lr=0.01, rho=0.8, eps=1e-7, schedule="cosine", min_lr=1e-5,
        l2=1e-4, batch_size=32, epochs=3, sampling="replacement", max_iterations=50,
        val_split=0.1, train_limit=500, normalize=True, rotation_deg=10, shift_frac=0.1,
        zoom_frac=0.05, seed=7, loss_threshold=0.05, report_every=5, snapshot_every=20,
        evaluate_test=False)
    text = json.dumps(config.to_dict())
    restored = TrainConfig.from_dict(json.loads(text))
    assert restored == config
    assert restored.to_dict() == config.to_dict()
    assert isinstance(restored.augment, AugmentConfig) and isinstance(restored.network.layers, tuple)
    assert restored.optimizer.to_dict() == {"name": "rmsprop", "lr": 0.01, "rho": 0.8, "eps": 1e-7}


def test_from_dict_refuses_unknown_settings():
    """Unknown keys in a saved training dict raise ConfigError naming them."""
    with pytest.raises(ConfigError, match="warp_speed"):
        TrainConfig.from_dict({"network": {"layers": list(LAYERS)}, "warp_speed": 9})
    with pytest.raises(ConfigError, match="warp_speed"):
        TrainConfig.from_dict({"network": {"layers": list(LAYERS)}, "run": {"warp_speed": 9}})


def test_the_flat_layout_of_format_1_files_is_migrated():
    """A 0.x training.config (every optimiser setting side by side) reads as records, keeping
    only what the chosen optimiser and schedule take."""
    flat = {"layers": list(LAYERS), "input_shape": [784], "loss": "softmax_cross_entropy",
            "optimizer": "momentum", "lr": 0.05, "momentum": 0.8, "beta1": 0.9, "beta2": 0.999,
            "rho": None, "eps": None, "schedule": "step", "decay": 0.0, "power": 0.5,
            "step_size": 3, "gamma": 0.1, "min_lr": 0.0, "l2": 0.0, "batch_size": 64,
            "epochs": 2, "sampling": "shuffle", "iterations_per_epoch": None,
            "max_iterations": None, "val_split": 0.0, "train_limit": None, "normalize": True,
            "augment": {"rotation_deg": 5.0}, "seed": 3, "gradients": "backprop",
            "dtype": "float32", "loss_threshold": None, "report_every": 10, "snapshot_every": 0,
            "evaluate_test": True}
    config = TrainConfig.from_dict(flat)
    assert config.optimizer.to_dict() == {"name": "momentum", "lr": 0.05, "momentum": 0.8}
    assert config.schedule.to_dict() == {"name": "step", "step_size": 3, "gamma": 0.1}
    assert (config.data.batch_size, config.run.epochs, config.run.seed) == (64, 2, 3)
    assert config.augment.rotation_deg == 5.0


def test_factories_build_what_the_settings_say():
    """build_network/make_optimizer/make_schedule follow the settings; numerical mode is float64."""
    config = base().with_settings(optimizer="momentum", lr=0.05, momentum=0.8, schedule="step",
                                  step_size=3, gamma=0.1)
    net = config.build_network(np.random.default_rng(0))
    assert isinstance(net, Network) and net.dtype == np.float32 and net.output_shape == (10,)
    optimizer = config.make_optimizer()
    assert isinstance(optimizer, Momentum) and (optimizer.lr, optimizer.momentum) == (0.05, 0.8)
    assert config.make_schedule(100).rate(0.05, 1, epoch=3) == pytest.approx(0.005)
    assert config.with_settings(gradients="numerical").build_network().dtype == np.float64
    assert config.with_settings(dtype="float64").np_dtype == np.float64
    adam = base().make_optimizer()
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
        assert [e["type"] for e in config.network.layers] == ["dense", activation, "dense", "softmax"]
        assert [e.get("units") for e in config.network.layers if e["type"] == "dense"] == [50, 10]
        assert all(e["init"] == "normal" and e["init_scale"] == 0.01
                   for e in config.network.layers if e["type"] == "dense")
        assert config.optimizer.to_dict() == {"name": "sgd", "lr": 0.1}
        assert config.data.batch_size == 100
    mlp = get_preset("mlp")
    assert [e.get("units") for e in mlp.network.layers if e["type"] == "dense"] == [256, 128, 10]
    assert all(e["init"] == "he" for e in mlp.network.layers if e["type"] == "dense")


def test_unknown_preset_lists_options():
    """An unknown preset name raises ConfigError listing every preset; descriptions name them all."""
    with pytest.raises(ConfigError) as info:
        get_preset("resnet")
    assert all(name in str(info.value) for name in preset_names())
    assert all(name in describe_presets() for name in preset_names())
