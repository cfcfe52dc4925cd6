"""Layer types by name: the one place a layer's ``{"type": ...}`` entry is resolved."""

from __future__ import annotations

from typing import Any

from .activations import ACTIVATIONS
from .batchnorm import BatchNorm
from .conv import Conv2D
from .errors import ConfigError
from .layers import Dense, Dropout, Flatten, Layer
from .pooling import AvgPool2D, MaxPool2D

LAYER_TYPES: dict[str, type[Layer]] = {
    Dense.type_name: Dense,
    Flatten.type_name: Flatten,
    Dropout.type_name: Dropout,
    Conv2D.type_name: Conv2D,
    MaxPool2D.type_name: MaxPool2D,
    AvgPool2D.type_name: AvgPool2D,
    BatchNorm.type_name: BatchNorm,
    **ACTIVATIONS,
}


def register_layer(cls: type[Layer]) -> type[Layer]:
    """Add a layer class to the registry under its ``type_name`` (usable as a decorator)."""
    LAYER_TYPES[cls.type_name] = cls
    return cls


def build_layer(entry: dict[str, Any]) -> Layer:
    """Make a layer from its config entry, e.g. ``{"type": "dense", "units": 50}``."""
    if not isinstance(entry, dict) or "type" not in entry:
        raise ConfigError(f"a layer entry must be a dict with a 'type', got {entry!r}")
    settings = dict(entry)
    kind = settings.pop("type")
    if kind not in LAYER_TYPES:
        raise ConfigError(f"unknown layer type {kind!r}; choose one of {', '.join(LAYER_TYPES)}")
    cls = LAYER_TYPES[kind]
    try:
        return cls(**settings)
    except TypeError as exc:
        raise ConfigError(f"bad settings for a {kind} layer {settings!r}: {exc}") from None
