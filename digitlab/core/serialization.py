"""Model files: one ``.npz`` holding the architecture as JSON and the weights as named arrays.

Layout (see docs/model-format.md):

- ``config``: a 0-d string array with JSON ``{"format_version", "digitlab_version",
  "input_shape", "loss", "layers", "preprocessing", "training", "history"}``;
- ``layers.<index>.<name>``: float32 arrays, ``<index>`` the position in ``layers``.

Files are loaded with ``allow_pickle=False`` (a model file can never run code) and written to a
temporary file that replaces the target only once it is complete, so a failed save leaves the
old file untouched.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import atomic_write
from .errors import ConfigError, DigitLabError, ModelFileError
from .events import EpochMetrics
from .inputs import InputTransform
from .model_reader import read_model_file
from .network import Network

FORMAT_VERSION = 1


@dataclass
class SavedModel:
    """Everything a model file holds."""

    network: Network
    transform: InputTransform = field(default_factory=InputTransform)
    training: dict[str, Any] = field(default_factory=dict)
    history: list[EpochMetrics] = field(default_factory=list)
    digitlab_version: str = ""


def _version() -> str:
    from .. import __version__

    return __version__


def model_config(model: SavedModel) -> dict[str, Any]:
    net = model.network.get_config()
    return {"format_version": FORMAT_VERSION, "digitlab_version": _version(),
            "input_shape": net["input_shape"], "loss": net["loss"], "layers": net["layers"],
            "preprocessing": model.transform.to_dict(), "training": model.training,
            "history": [m.to_dict() for m in model.history]}


def save_model(path: str | os.PathLike, model: SavedModel) -> Path:
    """Write ``model`` to ``path`` atomically. Raises :class:`ModelFileError` on failure."""
    path = Path(path)
    arrays = {name: np.asarray(value, dtype=np.float32)
              for name, value in model.network.state_dict().items()}
    arrays["config"] = np.array(json.dumps(model_config(model)))
    try:
        with atomic_write(path) as stream:
            np.savez(stream, **arrays)
    except OSError as exc:
        raise ModelFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def load_model(path: str | os.PathLike, dtype: Any = np.float32) -> SavedModel:
    """Read a model file. Any problem becomes a one-line :class:`ModelFileError`.

    Everything is checked before the network is built (see :mod:`digitlab.core.model_reader`)."""
    path = Path(path)
    contents = read_model_file(path, FORMAT_VERSION)
    config = contents.config
    try:
        with np.errstate(all="ignore"):  # initial values (an init_slope of 1e308...) are replaced
            network = Network.from_config(config, dtype)
        network.load_state_dict(contents.arrays, strict=True)
        transform = InputTransform.from_dict(config.get("preprocessing", {}))
        history = [EpochMetrics.from_dict(m) for m in config.get("history", [])]
        training = dict(config.get("training", {}))
    except (DigitLabError, ConfigError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(f"{path}: the model file is inconsistent: {exc}") from None
    return SavedModel(network, transform, training, history,
                      str(config.get("digitlab_version", "")))
