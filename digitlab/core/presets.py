"""Named starting points: the tutorials' networks and DigitLab's own.

Each preset is a complete :class:`TrainConfig`; the command line and the GUI override single
settings on top of it (:meth:`TrainConfig.with_settings`).
"""

from __future__ import annotations

from typing import Any

from .augment import AugmentConfig
from .config import DataSpec, NetworkSpec, OptimizerSpec, RunSpec, ScheduleSpec, TrainConfig
from .errors import ConfigError


def _dense(units: int, init: str = "he", init_scale: float = 0.01) -> dict[str, Any]:
    return {"type": "dense", "units": units, "init": init, "init_scale": init_scale}


def _conv(filters: int, kernel: int, padding: Any = "valid", init: str = "he") -> dict[str, Any]:
    return {"type": "conv2d", "filters": filters, "kernel_size": kernel, "padding": padding,
            "init": init}


def _pool(size: int = 2) -> dict[str, Any]:
    return {"type": "max_pool2d", "pool_size": size}


def _cnn_layers() -> tuple[dict[str, Any], ...]:
    return (_conv(32, 3, padding="same"), {"type": "relu"}, _pool(),
            _conv(64, 3, padding="same"), {"type": "relu"}, _pool(),
            {"type": "flatten"}, _dense(128), {"type": "relu"}, {"type": "dropout", "rate": 0.5},
            _dense(10, "xavier"), {"type": "softmax"})


def _tutorial_two_layer(activation: str) -> tuple[dict[str, Any], ...]:
    return (_dense(50, "normal", 0.01), {"type": activation}, _dense(10, "normal", 0.01),
            {"type": "softmax"})


def _config(layers: tuple[dict[str, Any], ...], optimizer: dict[str, Any],
            input_shape: tuple[int, ...] = (784,), schedule: dict[str, Any] | None = None,
            augment: AugmentConfig | None = None, **data_and_run: Any) -> TrainConfig:
    """A preset's configuration; ``data_and_run`` are settings of the data and run records."""
    data = {k: v for k, v in data_and_run.items() if k in DataSpec.names()}
    run = {k: v for k, v in data_and_run.items() if k not in data}
    return TrainConfig(NetworkSpec(layers, input_shape), OptimizerSpec.from_dict(optimizer),
                       ScheduleSpec.from_dict(schedule or {"name": "constant"}), DataSpec(**data),
                       augment or AugmentConfig(), RunSpec(**run))


_IMAGE = (1, 28, 28)

PRESETS: dict[str, tuple[str, TrainConfig]] = {
    "tutorial-relu": (
        "784-50-10 with ReLU, 0.01*randn init, plain SGD lr 0.1, batch 100 (the first tutorial)",
        _config(_tutorial_two_layer("relu"), {"name": "sgd", "lr": 0.1}, batch_size=100,
                epochs=10)),
    "tutorial-sigmoid": (
        "784-50-10 with sigmoid, 0.01*randn init, plain SGD lr 0.1, batch 100 (the backprop tutorial)",
        _config(_tutorial_two_layer("sigmoid"), {"name": "sgd", "lr": 0.1}, batch_size=100,
                epochs=10)),
    "tutorial-numerical": (
        "784-50-10 ReLU trained with numerical gradients, batches drawn with replacement: about "
        "25 s per iteration, so 20 small iterations by default",
        _config(_tutorial_two_layer("relu"), {"name": "sgd", "lr": 0.1}, batch_size=10, epochs=1,
                sampling="replacement", max_iterations=20, gradients="numerical", report_every=1,
                evaluate_test=False)),
    "mlp": (
        "784-256-128-10 ReLU, He init, Adam 1e-3 with cosine decay, batch 128, standardised input",
        _config((_dense(256), {"type": "relu"}, _dense(128), {"type": "relu"}, _dense(10),
                 {"type": "softmax"}),
                {"name": "adam", "lr": 1e-3}, schedule={"name": "cosine", "min_lr": 1e-5},
                batch_size=128, epochs=20, normalize=True)),
    "mlp-momentum": (
        "784-256-128-10 ReLU, He init, SGD momentum 0.9 lr 0.05, batch 128 (the benchmark net)",
        _config((_dense(256), {"type": "relu"}, _dense(128), {"type": "relu"}, _dense(10),
                 {"type": "softmax"}),
                {"name": "momentum", "lr": 0.05, "momentum": 0.9}, batch_size=128, epochs=20,
                normalize=True)),
    "tutorial-cnn": (
        "the Keras tutorial's CNN: conv 4@5x5 tanh; conv 8@3x3 tanh, max-pool 2; conv 16@3x3 tanh, "
        "max-pool 2; dense 128 tanh; softmax. SGD lr 0.05, Nesterov momentum 0.9, decay 1e-6, "
        "batch 100, validation split 0.2",
        _config((_conv(4, 5, init="xavier"), {"type": "tanh"},
                 _conv(8, 3, init="xavier"), {"type": "tanh"}, _pool(),
                 _conv(16, 3, init="xavier"), {"type": "tanh"}, _pool(),
                 {"type": "flatten"}, _dense(128, "normal", 0.05), {"type": "tanh"},
                 _dense(10, "normal", 0.05), {"type": "softmax"}),
                {"name": "nesterov", "lr": 0.05, "momentum": 0.9}, input_shape=_IMAGE,
                schedule={"name": "time", "decay": 1e-6}, batch_size=100, epochs=10,
                val_split=0.2, normalize=True)),
    "lenet": (
        "LeNet-style CNN: conv 8@5x5 ReLU, max-pool 2; conv 16@5x5 ReLU, max-pool 2; dense 10. "
        "Adam 1e-3, batch 128 (a benchmark net)",
        _config((_conv(8, 5), {"type": "relu"}, _pool(), _conv(16, 5), {"type": "relu"},
                 _pool(), {"type": "flatten"}, _dense(10, "xavier"), {"type": "softmax"}),
                {"name": "adam", "lr": 1e-3}, input_shape=_IMAGE, batch_size=128, epochs=10,
                normalize=True)),
    "cnn": (
        "conv 32@3x3 pad 1 ReLU, max-pool 2; conv 64@3x3 pad 1 ReLU, max-pool 2; dense 128 ReLU, "
        "dropout 0.5; dense 10. Adam 1e-3, batch 128 (a benchmark net)",
        _config(_cnn_layers(), {"name": "adam", "lr": 1e-3}, input_shape=_IMAGE, batch_size=128,
                epochs=10, normalize=True)),
    "cnn-best": (
        "the cnn net trained longer with augmentation (rotation 10 degrees, shift 0.1, zoom 0.1) "
        "and a cosine learning-rate decay: DigitLab's most accurate preset",
        _config(_cnn_layers(), {"name": "adam", "lr": 2e-3}, input_shape=_IMAGE,
                schedule={"name": "cosine", "min_lr": 1e-5}, batch_size=128, epochs=15,
                normalize=True, augment=AugmentConfig(rotation_deg=10, shift_frac=0.1,
                                                      zoom_frac=0.1))),
}


def preset_names() -> list[str]:
    return list(PRESETS)


def describe_presets() -> str:
    width = max(len(n) for n in PRESETS)
    return "\n".join(f"{name:<{width}}  {text}" for name, (text, _) in PRESETS.items())


def get_preset(name: str) -> TrainConfig:
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)} "
                          "(or 'list' to describe them)")
    return PRESETS[name][1]


def matching_preset(config: TrainConfig) -> str | None:
    """The name of the preset ``config`` equals exactly, if any."""
    return next((name for name, (_, preset) in PRESETS.items() if preset == config), None)
