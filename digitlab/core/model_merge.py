"""Several trained networks merged into one that reads as their average: an ensemble in one file.

Averaging the *scores* of K networks (what a network gives before its softmax) is the same as
taking the geometric mean of their probabilities, renormalised. A stack of dense layers with
element-wise activations can hold K such networks side by side exactly:

- the first dense layer is the members' first layers placed side by side, all reading the same
  pixels (each member's own input scaling folded into its weights, so one scaling serves all);
- every later hidden dense layer is block-diagonal: member k's units read only member k's units;
- the last dense layer stacks the members' output weights, each divided by K (and by the
  member's own calibration temperature), so its scores are the mean of the members' calibrated
  scores.

So the ensemble is one ordinary network: one pass per reading, and everything that shows a
reading (the Draw panel, Evaluate, the views inside the network, the exports) shows exactly
what the ensemble decides. The merged model gets its own calibration and decline threshold,
fitted on the validation split the members' runs held out (their runs must share it; a member
fine-tuned from a model of another split may have seen some of it, which the split settings
alone cannot tell), and its provenance keeps how each member was trained.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .bounded_json import MAX_JSON_DEPTH, nesting_depth, one_line
from .calibration import calibrate_if_it_helps
from .config import NetworkSpec
from .decline import DeclineCarry
from .errors import ConfigError
from .evaluation import loss_and_accuracy
from .inputs import InputTransform
from .layers import Dense, Dropout
from .model_reader import MAX_CONFIG_CHARS
from .network import Network
from .serialization import SavedModel, model_config
from .splits import TrainingData

__all__ = ["MAX_MEMBERS", "MAX_MERGED_PARAMETERS", "check_mergeable", "merge_networks", "merged_model"]

#: more members add width, not much accuracy (docs/handwriting.md measured two and three)
MAX_MEMBERS = 8
#: the most weights a merged network may have (about 200 MB as float32): hidden layers after the
#: first are block-diagonal, so K members of width W need (K * W)**2 weights there, zeros included
MAX_MERGED_PARAMETERS = 50_000_000
#: layers a member may have between its dense layers: element-wise and without weights, so a
#: wide layer of them acts on each member's units as the member's own layer did
_BETWEEN = (ReLU, LeakyReLU, Sigmoid, Tanh, Identity, Dropout)


def _kind(layer: Any) -> dict[str, Any]:
    """A layer's settings that change how it reads, for comparing members' stacks: not a dense
    layer's width or initialisation, nor a dropout's rate (dropout passes everything on when
    reading)."""
    config = dict(layer.get_config())
    if isinstance(layer, Dense):
        for key in ("units", "init", "init_scale"):
            config.pop(key, None)
    if isinstance(layer, Dropout):
        config.pop("rate", None)
    return config


def check_mergeable(members: Sequence[SavedModel], names: Sequence[str]) -> None:
    """Refuse, in one line naming the file, members that cannot be merged exactly.

    Each must be a stack of dense layers with weight-free element-wise activations (or dropout)
    between them, ending in a dense layer and a softmax; all must have the same kinds of layer
    in the same order, read the same input with the same image pipeline, give the same number
    of classes, and have been trained on the same split of the same data (their validation
    digits calibrate the merged model).

    Raises
    ------
    ConfigError
    """
    if not 2 <= len(members) <= MAX_MEMBERS:
        raise ConfigError(f"merging needs 2 to {MAX_MEMBERS} models, got {len(members)}")
    first, first_name = members[0], names[0]
    for model, name in zip(members, names, strict=True):
        layers = model.network.layers
        if (len(layers) < 2 or not isinstance(layers[-1], Softmax)
                or not isinstance(layers[-2], Dense) or not isinstance(layers[0], Dense)
                or not all(isinstance(layer, (Dense, *_BETWEEN)) for layer in layers[:-1])
                or len(model.network.input_shape) != 1):
            raise ConfigError(f"{name}: only dense networks (a dense layer first, then dense "
                              f"layers, element-wise activations or dropout, a softmax at the "
                              f"end) can be merged")
        if [_kind(a) for a in layers] != [_kind(b) for b in first.network.layers]:
            raise ConfigError(f"{name}: its layers differ from {first_name}'s in kind or order; "
                              f"members may differ only in width")
        if (model.network.input_shape != first.network.input_shape
                or model.network.output_shape != first.network.output_shape
                or model.network.loss_name != first.network.loss_name):
            raise ConfigError(f"{name}: its input, classes or loss differ from {first_name}'s")
        if model.transform.pipeline != first.transform.pipeline:
            raise ConfigError(f"{name}: its image pipeline ({model.transform.pipeline}) differs "
                              f"from {first_name}'s ({first.transform.pipeline})")
        if model.config is None or model.data is None:
            raise ConfigError(f"{name} does not record how it was trained and on what data; "
                              f"the merged model needs the members' validation digits")
        if model.config.data.val_split <= 0:
            raise ConfigError(f"{name} was trained without a validation split (--val-split): the "
                              f"merged model is calibrated on the members' held-out digits")
        split = TrainingData.split_settings
        if split(model.config) != split(first.config) or model.data != first.data:
            raise ConfigError(f"{name} was trained on another split or data set than "
                              f"{first_name} (validation share, seed, train limit and data must "
                              f"be the same, so that no member trained on the digits that "
                              f"calibrate the merged model)")
    for later in range(1, len(members)):
        for earlier in range(later):
            a, b = members[earlier].network, members[later].network
            if a.parameter_count == b.parameter_count and np.array_equal(
                    a.flat_parameters(), b.flat_parameters()):
                raise ConfigError(f"{names[later]} has the same weights as {names[earlier]}: "
                                  f"a network merged with itself reads as it did alone")
    count = merged_parameter_count(members)
    if count > MAX_MERGED_PARAMETERS:
        raise ConfigError(f"the merged network would have {count:,} weights, more than the "
                          f"{MAX_MERGED_PARAMETERS:,} DigitLab merges (its hidden layers hold "
                          f"every member's units side by side); merge fewer or narrower networks")


def _dense_positions(network: Network) -> list[int]:
    """Where the dense layers are (the same in every member, :func:`check_mergeable`)."""
    return [i for i, layer in enumerate(network.layers) if isinstance(layer, Dense)]


def merged_parameter_count(members: Sequence[SavedModel]) -> int:
    """How many weights and biases the merged network of ``members`` has, zeros included."""
    inputs = members[0].network.input_shape[0]
    count = 0
    dense_at = _dense_positions(members[0].network)
    for index in dense_at:
        width = sum(m.network.layers[index].params["W"].shape[1] for m in members)
        if index == dense_at[-1]:
            width = members[0].network.layers[index].params["W"].shape[1]
        count += inputs * width + width
        inputs = width
    return count


def merge_networks(members: Sequence[SavedModel]) -> tuple[Network, InputTransform]:
    """One network whose scores are the mean of the members' calibrated scores, and the input
    scaling it reads with (the first member's). Members must pass :func:`check_mergeable`.

    Member k reads ``x_k = a_k * pixels - c_k``; the merged network reads
    ``x = a * pixels - c`` (the first member's), so member k's first layer gets
    ``W_k * a_k / a`` and a bias shifted by ``(a_k * c / a - c_k) * sum of W_k's rows``.
    """
    transform = members[0].transform
    count = len(members)
    a0, c0 = transform.scale / transform.std, transform.mean / transform.std
    dense_at = _dense_positions(members[0].network)
    weights: dict[str, np.ndarray] = {}
    widths: dict[int, int] = {}
    for position, index in enumerate(dense_at):
        parts = [(np.asarray(m.network.layers[index].params["W"], np.float64),
                  np.asarray(m.network.layers[index].params["b"], np.float64)) for m in members]
        if position == 0:
            folded = []
            with np.errstate(over="ignore", invalid="ignore"):  # checked once cast, below
                for (w, b), model in zip(parts, members, strict=True):
                    t = model.transform
                    ratio = (t.scale / t.std) / a0
                    shift = ratio * c0 - t.mean / t.std
                    folded.append((w * ratio, b + shift * w.sum(axis=0)))
            parts = folded
        if index == dense_at[-1]:
            temperatures = [m.calibration.temperature if m.calibration else 1.0 for m in members]
            scaled = [w / (count * t) for (w, _), t in zip(parts, temperatures, strict=True)]
            # Each member's last layer reads its own units (stacked), or, when it is also the
            # first, the same pixels as the others' (summed).
            w = np.sum(scaled, axis=0) if position == 0 else np.vstack(scaled)
            b = np.sum([b / (count * t) for (_, b), t in zip(parts, temperatures, strict=True)],
                       axis=0)
        elif position == 0:
            w, b = np.hstack([w for w, _ in parts]), np.concatenate([b for _, b in parts])
        else:
            w = _block_diagonal([w for w, _ in parts], np.float32)
            b = np.concatenate([b for _, b in parts])
        weights[f"layers.{index}.W"], weights[f"layers.{index}.b"] = w, b
        widths[index] = w.shape[1]
    layers = []
    for index, layer in enumerate(members[0].network.layers):
        config = dict(layer.get_config())
        if index in widths:
            config["units"] = widths[index]
        layers.append(config)
    first = members[0].network
    network = Network.from_config({"input_shape": list(first.input_shape), "layers": layers,
                                   "loss": first.loss_name}, dtype=first.dtype)
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below
        cast = {k: v.astype(network.dtype) for k, v in weights.items()}
    if not all(np.isfinite(v).all() for v in cast.values()):
        raise ConfigError("the members' input scalings (preprocessing scale, mean and std) or "
                          "temperatures are too far apart to fold into one network: its weights "
                          "would not be finite numbers")
    network.load_state_dict(cast)
    return network, transform


def _block_diagonal(blocks: Sequence[np.ndarray], dtype: type = np.float64) -> np.ndarray:
    rows, cols = sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)
    out = np.zeros((rows, cols), dtype)
    r = c = 0
    for block in blocks:
        out[r:r + block.shape[0], c:c + block.shape[1]] = block
        r, c = r + block.shape[0], c + block.shape[1]
    return out


def merged_model(members: Sequence[SavedModel], names: Sequence[str], data: TrainingData,
                 test_images: np.ndarray, test_labels: np.ndarray,
                 command: str | None = None) -> SavedModel:
    """The merged model record (:func:`merge_networks`), calibrated and given a decline rule.

    ``data`` is the members' shared split (:meth:`TrainingData.from_config` of the first
    member's configuration): the temperature is fitted on its validation digits and kept only
    if it lowers the calibration error there, as a training run does; the decline threshold is
    carried over from the first member's (:class:`~.decline.DeclineCarry`: the same share of
    those digits declined). ``config`` is the first member's with the merged layers, so
    Continue training and fine-tuning train the merged network with the first member's
    settings; the provenance step ``{"kind": "merged", ...}`` records every member's file name,
    preset, command, configuration, provenance, temperature and threshold. ``result`` holds the
    merged network's accuracy and loss on the validation and test digits.
    """
    check_mergeable(members, names)
    network, transform = merge_networks(members)
    first = members[0]
    assert first.config is not None
    config = replace(first.config, network=NetworkSpec(
        tuple(layer.get_config() for layer in network.layers), network.input_shape,
        network.loss_name))
    step: dict[str, Any] = {
        "kind": "merged",
        "how": f"mean of the calibrated scores of {len(members)} networks: "
               + ", ".join(Path(n).name for n in names),
        "members": [_member_record(m, n) for m, n in zip(members, names, strict=True)]}
    model = SavedModel(network, transform, config=config, history=[], preset=None,
                       command=command, provenance=[step], data=first.data)
    validation = data.validation
    if validation is not None:
        x = transform.apply(validation.images, network.input_shape, network.dtype)
        model.calibration = calibrate_if_it_helps(network, x, validation.labels,
                                                  f"validation split ({len(validation):,} images)")
    carry = DeclineCarry.measure(first, data)
    if carry is not None:
        carry.apply(model)
    test_loss, test_accuracy = loss_and_accuracy(network, transform, test_images, test_labels)
    model.result = {"stopped": "merged", "message": step["how"],
                    "test_accuracy": test_accuracy, "test_loss": test_loss}
    if validation is not None and len(validation):
        val_loss, val_accuracy = loss_and_accuracy(network, transform, validation.images,
                                                   validation.labels)
        model.result.update(val_accuracy=val_accuracy, val_loss=val_loss)
    _check_readable_record(model)
    return model


def _check_readable_record(model: SavedModel) -> None:
    """Refuse a record the model reader would refuse: never write a file DigitLab cannot open.

    The members' records are kept whole, so merging merged models nests them; the reader bounds
    the record's length and depth (:mod:`.model_reader`)."""
    text = json.dumps(model_config(model), allow_nan=False)
    depth = nesting_depth(text)
    if len(text) > MAX_CONFIG_CHARS or depth > MAX_JSON_DEPTH:
        raise ConfigError(f"the merged model's record would be {len(text):,} characters nested "
                          f"{depth} levels deep, more than a model file may hold "
                          f"({MAX_CONFIG_CHARS:,} characters, {MAX_JSON_DEPTH} levels): the "
                          f"members' own records (merged models merged again) are too large")


def _member_record(model: SavedModel, name: str) -> dict[str, Any]:
    assert model.config is not None
    # A member that is itself merged keeps its own members' file names only: whole records
    # nested merge after merge would soon outgrow what a model file may hold.
    provenance = [{**step, "members": [one_line(m.get("file", "?"), 80) if isinstance(m, dict)
                                       else "?" for m in step["members"]]}
                  if isinstance(step.get("members"), list) else step for step in model.provenance]
    return {"file": Path(name).name, "preset": model.preset, "command": model.command,
            "config": model.config.to_dict(), "provenance": provenance,
            "temperature": model.calibration.temperature if model.calibration else None,
            "decline_threshold": model.decline.threshold if model.decline else None}
