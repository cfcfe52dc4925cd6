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
from .bounded_json import one_line
from .calibration import Calibration
from .config import NetworkSpec, TrainConfig
from .decline import DeclineRule, describe_carried
from .errors import ConfigError, DigitLabError, ModelFileError
from .events import EpochMetrics
from .inputs import InputTransform
from .model_reader import read_model_file
from .network import Network
from .preprocess import check_pipeline
from .resume import ResumeState

#: 2 added the structured ``training`` record (config by concern, provenance, resume state) and
#: the ``optimizer.<kind>.<name>`` arrays; format-1 files are migrated on read.
FORMAT_VERSION = 2
#: prefix of the optimiser-slot arrays saved for resuming (``optimizer.velocity.all``)
OPTIMIZER_PREFIX = "optimizer."
#: the best epoch's weights of a run that keeps them (``best.all``), for resuming
BEST_PARAMETERS = "best.all"


@dataclass
class SavedModel:
    """The model record: a trained network and everything true about it.

    ``network`` and ``transform`` (the input scaling) make predictions; ``config`` is the exact
    configuration that produced the weights (``None`` for a hand-written file that does not say),
    with the ``preset`` it came from and the ``command`` that ran it; ``history`` the per-epoch
    metrics; ``provenance`` how the weights came to be, oldest first (``{"kind": "trained"}``,
    ``{"kind": "fine-tuned", "from": file}``, ``{"kind": "edited", "how": ...}``); ``data`` the
    data set by name and hash; ``result`` the summary of the last run; ``resume`` what is needed
    to continue that run exactly; ``calibration`` the temperature applied to every probability
    shown (:mod:`.calibration`); ``decline`` when a reading names no digit (:mod:`.decline`).
    Save writes this record, never what a panel shows.
    """

    network: Network
    transform: InputTransform = field(default_factory=InputTransform)
    config: TrainConfig | None = None
    history: list[EpochMetrics] = field(default_factory=list)
    preset: str | None = None
    command: str | None = None
    provenance: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    resume: ResumeState | None = None
    #: the temperature that makes the shown probabilities honest (None: not calibrated)
    calibration: Calibration | None = None
    #: the threshold below which a reading is "unlike any digit" (None: only blank images and
    #: ink statistics decline, as for files written before it existed)
    decline: DeclineRule | None = None
    digitlab_version: str = ""

    @property
    def training(self) -> dict[str, Any]:
        """The ``training`` entry of the file, as JSON (derived from the fields above)."""
        entry: dict[str, Any] = {}
        if self.config is not None:
            entry["config"] = self.config.to_dict()
        for key in ("preset", "command", "data", "result"):
            if getattr(self, key) is not None:
                entry[key] = getattr(self, key)
        if self.provenance:
            entry["provenance"] = list(self.provenance)
        if self.resume is not None:
            entry["resume"] = self.resume.to_dict()
        return entry

    @property
    def merged_members(self) -> list[str]:
        """The member files' names when the weights are networks merged into one by
        :mod:`.model_merge` (the last provenance step), else an empty list."""
        step = self.provenance[-1] if self.provenance else {}
        members = step.get("members") if step.get("kind") == "merged" else None
        if not isinstance(members, list):
            return []
        return [one_line(m.get("file", "?"), 80) if isinstance(m, dict) else "?" for m in members]

    def describe_provenance(self) -> str:
        """``trained``, ``fine-tuned from a.npz``, ``trained, edited (...)``, or ``unknown``;
        a step that carried the decline rule over says from which threshold, on what."""
        words = []
        for step in self.provenance:  # a file's words, whatever their type: one short line each
            text = one_line(step.get("kind", "?"), 40)
            if step.get("from"):
                text += f" from {one_line(step['from'])}"
            if step.get("how"):
                text += f" ({one_line(step['how'])})"
            if "decline" in step:
                text += f" ({describe_carried(step['decline'])})"
            words.append(text)
        return ", ".join(words) or "unknown"


def _version() -> str:
    from .. import __version__

    return __version__


def model_config(model: SavedModel) -> dict[str, Any]:
    net = model.network.get_config()
    return {"format_version": FORMAT_VERSION, "digitlab_version": _version(),
            "input_shape": net["input_shape"], "loss": net["loss"], "layers": net["layers"],
            "preprocessing": model.transform.to_dict(), "training": model.training,
            "history": [m.to_dict() for m in model.history],
            **({"calibration": model.calibration.to_dict()} if model.calibration else {}),
            **({"decline": model.decline.to_dict()} if model.decline else {})}


def save_model(path: str | os.PathLike, model: SavedModel) -> Path:
    """Write ``model`` to ``path`` atomically. Raises :class:`ModelFileError` on failure."""
    path = Path(path)
    arrays = {name: np.asarray(value, dtype=np.float32)
              for name, value in model.network.state_dict().items()}
    if model.resume is not None:
        # Slots keep the network's precision: resuming must continue bit for bit.
        arrays.update({OPTIMIZER_PREFIX + name: value
                       for name, value in model.resume.optimizer_slots.items()})
        if model.resume.best_parameters is not None:
            arrays[BEST_PARAMETERS] = model.resume.best_parameters
    arrays["config"] = np.array(json.dumps(model_config(model), allow_nan=False))
    try:
        with atomic_write(path) as stream:
            np.savez(stream, **arrays)
    except OSError as exc:
        raise ModelFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # NaN in the metadata: never write a file we could not read
        raise ModelFileError(f"cannot write {path}: {exc}") from None
    return path


def _training_record(training: Any, slots: dict[str, np.ndarray],
                     best_parameters: np.ndarray | None = None) -> dict[str, Any]:
    """The record's fields from a file's ``training`` entry (format 1 or 2)."""
    if not isinstance(training, dict):
        raise ConfigError(f"'training' must be a mapping, got {type(training).__name__}")
    known = {"config", "preset", "command", "data", "result", "provenance", "resume"}
    unknown = sorted(set(training) - known)
    if unknown:
        raise ConfigError(f"unknown 'training' entries: {', '.join(map(str, unknown))}")
    fields: dict[str, Any] = {}
    if "config" in training:
        fields["config"] = TrainConfig.from_dict(training["config"])
    for key in ("preset", "command"):
        value = training.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 10_000):
            raise ConfigError(f"training {key} must be a short text")
        fields[key] = value
    data = training.get("data")
    if isinstance(data, str):  # format 1 recorded where the data was read from
        data = {"name": "mnist", "source": data}
    if data is not None and not isinstance(data, dict):
        raise ConfigError("training data must be a mapping")
    fields["data"] = data
    result = training.get("result")
    if result is not None and not isinstance(result, dict):
        raise ConfigError("training result must be a mapping")
    fields["result"] = result
    provenance = training.get("provenance")
    if provenance is None:
        provenance = [{"kind": "trained"}] if "config" in training else []
    if not isinstance(provenance, list) or not all(isinstance(p, dict) for p in provenance):
        raise ConfigError("training provenance must be a list of mappings")
    fields["provenance"] = provenance
    if "resume" in training:
        fields["resume"] = ResumeState.from_dict(training["resume"], slots, best_parameters)
    return fields


def load_model(path: str | os.PathLike, dtype: Any = np.float32) -> SavedModel:
    """Read a model file. Any problem becomes a one-line :class:`ModelFileError`.

    Everything is checked before the network is built (see :mod:`digitlab.core.model_reader`)."""
    path = Path(path)
    contents = read_model_file(path, FORMAT_VERSION)
    config = contents.config
    slots = {name[len(OPTIMIZER_PREFIX):]: array for name, array in contents.arrays.items()
             if name.startswith(OPTIMIZER_PREFIX)}
    best_parameters = contents.arrays.get(BEST_PARAMETERS)
    layer_arrays = {name: array for name, array in contents.arrays.items()
                    if not name.startswith(OPTIMIZER_PREFIX) and name != BEST_PARAMETERS}
    try:
        with np.errstate(all="ignore"):  # initial values (an init_slope of 1e308...) are replaced
            network = Network.from_config(config, dtype)
        network.load_state_dict(layer_arrays, strict=True)
        transform = InputTransform.from_dict(config.get("preprocessing", {}))
        history = [EpochMetrics.from_dict(m) for m in config.get("history", [])]
        check_pipeline(transform.pipeline)
        record = _training_record(config.get("training", {}), slots, best_parameters)
        if config.get("calibration") is not None:
            record["calibration"] = Calibration.from_dict(config["calibration"])
        if config.get("decline") is not None:
            record["decline"] = DeclineRule.from_dict(config["decline"])
        if record.get("config") is not None and record["config"].network.to_dict() != \
                NetworkSpec.from_dict(network.get_config()).to_dict():
            raise ConfigError("its training configuration describes another network")
    except (DigitLabError, ConfigError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(f"{path}: the model file is inconsistent: {exc}") from None
    return SavedModel(network, transform, history=history,
                      digitlab_version=str(config.get("digitlab_version", "")), **record)
