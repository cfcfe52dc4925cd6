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
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import atomic_write
from .errors import ConfigError, DigitLabError, ModelFileError
from .events import EpochMetrics
from .inputs import InputTransform
from .network import Network

FORMAT_VERSION = 1
PARAM_NAMES = ("W", "b", "alpha", "gamma", "beta", "running_mean", "running_var")


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
    """Read a model file. Any problem becomes a one-line :class:`ModelFileError`."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ModelFileError(f"{path} is not a DigitLab model file (a single .npy array, not an .npz)")
        with loaded as archive:
            contents = {name: archive[name] for name in archive.files}
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ModelFileError(f"{path} is not a DigitLab model file (not a readable .npz: {exc})") from None
    except ValueError as exc:  # pickled object arrays, bad headers
        raise ModelFileError(f"{path} is not a DigitLab model file ({exc})") from None
    except Exception as exc:  # corrupt members: zlib.error, NotImplementedError, header TokenError...
        raise ModelFileError(f"{path} is not a DigitLab model file (corrupt: {type(exc).__name__}: "
                             f"{exc})") from None
    if "config" not in contents:
        raise ModelFileError(f"{path} is an .npz file but not a DigitLab model (no 'config' entry)")
    try:
        config = json.loads(str(contents.pop("config")[()]))
    except (json.JSONDecodeError, TypeError, ValueError, IndexError) as exc:
        raise ModelFileError(f"{path}: the model's config is not valid JSON ({exc})") from None
    if not isinstance(config, dict) or "format_version" not in config:
        raise ModelFileError(f"{path} is not a DigitLab model file (no format_version)")
    version = config["format_version"]
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelFileError(f"{path} was written by a newer DigitLab (format {version}, this is "
                             f"{_version()} reading format {FORMAT_VERSION}); please upgrade")
    try:
        network = Network.from_config(config, dtype)
        network.load_state_dict(contents, strict=True)
        transform = InputTransform.from_dict(config.get("preprocessing", {}))
        history = [EpochMetrics.from_dict(m) for m in config.get("history", [])]
        training = dict(config.get("training", {}))
    except (DigitLabError, ConfigError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(f"{path}: the model file is inconsistent: {exc}") from None
    for name, value in network.named_parameters().items():
        if not np.isfinite(value).all():
            raise ModelFileError(f"{path}: {name} contains NaN or infinite values")
    return SavedModel(network, transform, training, history,
                      str(config.get("digitlab_version", "")))
