"""Comparing recorded runs: their settings side by side, smoothed curves, CSV export.

Plain functions over the dicts :class:`~digitlab.core.runstore.RunStore` returns, so the Runs
panel and tests share them (the panel only shows what they compute).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

#: the columns of the runs table, in order (also the CSV header)
TABLE_COLUMNS = ("id", "name", "started_at", "preset", "optimizer", "lr", "batch_size", "epochs",
                 "best_val_accuracy", "test_accuracy", "train_seconds", "status", "tags")


def flatten_config(config: dict[str, Any] | None) -> dict[str, Any]:
    """``{"optimizer": {"name": "adam", "lr": 0.001}}`` -> ``{"optimizer.name": "adam",
    "optimizer.lr": 0.001}``; the network's layer list becomes one compact text."""
    flat: dict[str, Any] = {}
    for block, values in (config or {}).items():
        if not isinstance(values, dict):
            flat[block] = values
            continue
        for key, value in values.items():
            if block == "network" and key == "layers":
                value = " ".join(_layer_text(layer) for layer in value)
            elif isinstance(value, (list, dict)):
                value = json.dumps(value)
            flat[f"{block}.{key}"] = value
    return flat


def _layer_text(layer: dict[str, Any]) -> str:
    size = layer.get("units", layer.get("filters"))
    return f"{layer.get('type', '?')}{'(' + str(size) + ')' if size is not None else ''}"


def hyperparameter_rows(configs: Sequence[dict[str, Any] | None]) -> list[tuple[str, list[Any], bool]]:
    """One row per setting across ``configs``: its name, each run's value (None where a run
    lacks it) and whether they differ; differing rows first, each group in name order."""
    flats = [flatten_config(c) for c in configs]
    keys = sorted(set().union(*flats)) if flats else []
    rows = [(key, [f.get(key) for f in flats], len({json.dumps(f.get(key)) for f in flats}) > 1)
            for key in keys]
    return sorted(rows, key=lambda row: (not row[2], row[0]))


def table_row(run: dict[str, Any]) -> dict[str, Any]:
    """The runs table's values of one run (see :data:`TABLE_COLUMNS`)."""
    config = run.get("config") or {}
    optimizer = config.get("optimizer", {})
    return {"id": run["id"], "name": run.get("name") or "", "started_at": run["started_at"],
            "preset": run.get("preset") or "", "optimizer": optimizer.get("name", ""),
            "lr": optimizer.get("lr"), "batch_size": config.get("data", {}).get("batch_size"),
            "epochs": run.get("epochs", 0), "best_val_accuracy": run.get("best_val_accuracy"),
            "test_accuracy": run.get("test_accuracy"), "train_seconds": run.get("train_seconds"),
            "status": run["status"], "tags": ", ".join(run.get("tags") or [])}


def smooth(values: Sequence[float], weight: float) -> np.ndarray:
    """TensorBoard's smoothing: an exponential moving average with ``weight`` in [0, 1),
    debiased at the start so the first points are not pulled towards zero. (n,) -> (n,)."""
    values = np.asarray(values, dtype=np.float64)
    if not 0.0 <= weight < 1.0:
        raise ValueError(f"smoothing weight must be in [0, 1), got {weight!r}")
    out = np.empty_like(values)
    average, count = 0.0, 0
    for i, value in enumerate(values):
        if not np.isfinite(value):
            out[i] = np.nan
            continue
        count += 1
        average = weight * average + (1 - weight) * value
        out[i] = average / (1 - weight ** count)
    return out


def write_table_csv(path: str | os.PathLike[str], runs: Iterable[dict[str, Any]]) -> None:
    """The runs table as CSV, one row per run, :data:`TABLE_COLUMNS` as the header."""
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=TABLE_COLUMNS)
        writer.writeheader()
        for run in runs:
            writer.writerow(table_row(run))


def write_curves_csv(path: str | os.PathLike[str], curves: dict[int, list[dict[str, Any]]]) -> None:
    """Per-epoch metrics of several runs as one long CSV: ``run_id`` then the epoch's columns."""
    columns = ["run_id", "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy",
               "test_loss", "test_accuracy", "seconds", "lr", "wall_time"]
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for run_id, epochs in curves.items():
            for epoch in epochs:
                writer.writerow({"run_id": run_id, **epoch})
