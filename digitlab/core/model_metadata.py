"""Type checks for a model file's JSON metadata, each failure one clear line.

The network part (``input_shape``, ``layers``, ``loss``) is checked by
:func:`digitlab.core.network.network_plan`; this module checks everything around it, so that no
later reader (``info``, the Curves panel, ``train --init``) meets a value of the wrong type.
Numbers are already finite: the JSON was parsed by :func:`~digitlab.core.bounded_json.loads_bounded`.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from .errors import ModelFileError
from .events import EpochMetrics

#: characters of ``digitlab_version`` and of ``preprocessing.pipeline``
MAX_NAME_CHARS = 100
#: rows of ``history`` (an epoch per row)
MAX_HISTORY_ROWS = 100_000

_HISTORY_FIELDS = {f.name: f for f in dataclasses.fields(EpochMetrics)}
#: history fields every row must have (no default in EpochMetrics)
_REQUIRED = {name for name, f in _HISTORY_FIELDS.items()
             if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
#: history fields that may be null ("float | None" in EpochMetrics)
_NULLABLE = {name for name, f in _HISTORY_FIELDS.items() if "None" in str(f.type)}


def is_number(value: Any) -> bool:
    """A JSON number (``true``/``false`` are not numbers, though Python says they are ints)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(value: Any) -> str:
    """``value`` as it reads in the file (JSON), cut to 60 characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def check_format_version(config: dict[str, Any], supported: int) -> int:
    """The file's ``format_version``: a positive int not above ``supported``."""
    if "format_version" not in config:
        raise ModelFileError("not a DigitLab model file (no format_version)")
    version = config["format_version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ModelFileError(f"{_short(version)} is not a valid format_version (a whole number >= 1)")
    if version > supported:
        raise ModelFileError(f"written by a newer DigitLab (format {version}; this version reads "
                             f"format {supported} and older); please upgrade")
    return version


def check_metadata(config: dict[str, Any]) -> None:
    """Check ``digitlab_version``, ``preprocessing``, ``training`` and ``history``."""
    version = config.get("digitlab_version", "")
    if not isinstance(version, str) or len(version) > MAX_NAME_CHARS:
        raise ModelFileError(f"digitlab_version must be a text of at most {MAX_NAME_CHARS} "
                             f"characters, got {_short(version)}")
    _check_preprocessing(config.get("preprocessing", {}))
    training = config.get("training", {})
    if not isinstance(training, dict):
        raise ModelFileError(f"training must be a JSON object, got {_short(training)}")
    if not isinstance(training.get("config", {}), dict):
        raise ModelFileError(f"training.config must be a JSON object, got {_short(training['config'])}")
    _check_history(config.get("history", []))


def _check_preprocessing(pre: Any) -> None:
    if not isinstance(pre, dict):
        raise ModelFileError(f"preprocessing must be a JSON object, got {_short(pre)}")
    for key in ("scale", "mean", "std"):
        if key in pre and not is_number(pre[key]):
            raise ModelFileError(f"preprocessing {key} must be a number, got {_short(pre[key])}")
    pipeline = pre.get("pipeline", "")
    if not isinstance(pipeline, str) or len(pipeline) > MAX_NAME_CHARS:
        raise ModelFileError(f"preprocessing pipeline must be a short name, got {_short(pipeline)}")


def _check_history(history: Any) -> None:
    if not isinstance(history, list):
        raise ModelFileError(f"history must be a list of epochs, got {_short(history)}")
    if len(history) > MAX_HISTORY_ROWS:
        raise ModelFileError(f"history has {len(history):,} rows (at most {MAX_HISTORY_ROWS:,})")
    for row_number, row in enumerate(history, 1):
        if not isinstance(row, dict):
            raise ModelFileError(f"history row {row_number} must be a JSON object, got {_short(row)}")
        missing = sorted(_REQUIRED - set(row))
        if missing:
            raise ModelFileError(f"history row {row_number} lacks {', '.join(missing)}")
        for key, value in row.items():
            if key not in _HISTORY_FIELDS or (value is None and key in _NULLABLE):
                continue  # unknown keys are ignored when the history is read
            if not is_number(value) or (key == "epoch" and not isinstance(value, int)):
                kind = "a whole number" if key == "epoch" else "a number"
                kind += " or null" if key in _NULLABLE else ""
                raise ModelFileError(f"history row {row_number}: {key} must be {kind}, got "
                                     f"{_short(value)}")
