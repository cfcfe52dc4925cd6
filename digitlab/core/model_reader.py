"""Reading a model file safely: every check that can be made before allocating is made first.

The order is the point (each step bounds the memory of the next):

1. the zip's members: names, dtypes, shapes and sizes from the ``.npy`` headers
   (:mod:`~digitlab.core.model_archive`), nothing decompressed but the headers;
2. the JSON config, parsed with bounded size and depth, every number finite
   (:mod:`~digitlab.core.bounded_json`), and every metadata field type-checked
   (:mod:`~digitlab.core.model_metadata`);
3. the network's shapes, computed from the config without building it
   (:func:`~digitlab.core.network.network_plan`), compared with the stored headers, and one
   sample's inference memory compared with :data:`MAX_SAMPLE_BYTES`;
4. only then the arrays, each checked for NaN/inf (and batch-norm variances for sign).

:func:`digitlab.core.serialization.load_model` builds the network from what this returns.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .bounded_json import MAX_JSON_DEPTH, JSONLimitError, loads_bounded
from .errors import ConfigError, ModelFileError
from .model_archive import MAX_CONFIG_CHARS, OPTIMIZER_SLOT, ModelArchive, open_model_archive
from .model_metadata import check_format_version, check_metadata
from .network import LayerPlan, network_plan, plan_sizes

#: one sample's inference memory (inputs, outputs and scratch of the largest layer, float32):
#: the cnn-best preset needs 0.3 MiB, so this only refuses configs that could never be meant; with
#: it, predicting one image stays under about 350 MiB
MAX_SAMPLE_BYTES = 64 * 1024**2
#: longest error message (a hostile value quoted in full could be megabytes)
MAX_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class ModelFileContents:
    """A model file's parsed config, its checked arrays by name, and the network's plan."""

    config: dict[str, Any]
    arrays: dict[str, np.ndarray]
    plan: list[LayerPlan]


def read_model_file(path: str | os.PathLike, supported_version: int) -> ModelFileContents:
    """Read and check ``path`` (see the module docstring for the order).

    Raises
    ------
    ModelFileError
        One line naming the file and the problem.
    """
    path = Path(path)
    try:
        with open_model_archive(path) as archive:
            config = _read_config(archive)
            check_format_version(config, supported_version)
            check_metadata(config)
            plan = _check_network(path, config, archive)
            arrays = {name: _checked_values(name, archive.read_array(name))
                      for name in archive.array_names}
    except ModelFileError as exc:
        raise ModelFileError(_clipped(str(exc), path)) from None
    return ModelFileContents(config, arrays, plan)


def _clipped(message: str, path: Path) -> str:
    """One line, at most MAX_MESSAGE_CHARS, naming the file."""
    if str(path) not in message:
        message = f"{path}: {message}"
    message = " ".join(message.split())
    return message if len(message) <= MAX_MESSAGE_CHARS else message[:MAX_MESSAGE_CHARS - 3] + "..."


def _read_config(archive: ModelArchive) -> dict[str, Any]:
    text = archive.read_text("config")
    try:
        config = loads_bounded(text, max_chars=MAX_CONFIG_CHARS, max_depth=MAX_JSON_DEPTH)
    except JSONLimitError as exc:
        raise ModelFileError(f"the model's config is not valid JSON: {exc}") from None
    if not isinstance(config, dict):
        raise ModelFileError("not a DigitLab model file (the config is not a JSON object)")
    return config


def _check_network(path: Path, config: dict[str, Any], archive: ModelArchive) -> list[LayerPlan]:
    """The plan of ``config``'s network, after checking it against the stored arrays."""
    try:
        plan = network_plan(config)
    except ConfigError as exc:
        raise ModelFileError(f"the model file is inconsistent: {exc}") from None
    _, work = plan_sizes(plan)  # stored sizes were bounded from the zip's directory
    if work * 4 > MAX_SAMPLE_BYTES:
        raise ModelFileError(f"the network would need {work * 4 / 1024**2:,.0f} MiB for one image "
                             f"(at most {MAX_SAMPLE_BYTES // 1024**2} MiB)")
    expected = {name: shape for step in plan for name, shape in step.stored_shapes.items()}
    # Optimiser slots (for resuming) are one vector over every parameter, in layer order.
    parameters = sum(math.prod(s) for step in plan for s in step.param_shapes.values())
    slots = [name for name in archive.array_names if OPTIMIZER_SLOT.fullmatch(name)]
    for name in slots:
        if archive.members[name].shape != (parameters,):
            raise ModelFileError(f"the model file is inconsistent: {name} has shape "
                                 f"{archive.members[name].shape}, the network has {parameters:,} "
                                 "parameters")
    present = set(archive.array_names) - set(slots)
    missing, unexpected = sorted(set(expected) - present), sorted(present - set(expected))
    if missing or unexpected:
        raise ModelFileError(f"the model file is inconsistent: weights do not fit this network: "
                             f"missing {missing[:5]}, unexpected {unexpected[:5]}")
    for name, shape in expected.items():
        declared = archive.members[name].shape
        if declared != shape:
            raise ModelFileError(f"the model file is inconsistent: {name} has shape {declared}, "
                                 f"the network needs {shape}")
    return plan


def _checked_values(name: str, array: np.ndarray) -> np.ndarray:
    if not np.isfinite(array).all():
        raise ModelFileError(f"{name} contains NaN or infinite values")
    if name.endswith(".running_var") and (array < 0).any():
        raise ModelFileError(f"{name} has negative variances")
    return array
