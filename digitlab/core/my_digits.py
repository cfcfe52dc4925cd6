"""The user's own handwriting ("my digits"): drawn digits kept with their true labels, and the
plan for fine-tuning a model on MNIST plus them.

The digits live in one ``.npz`` in the user data folder (``digitlab.paths.my_digits_path()``),
in the same layout as every named data set (:mod:`.datasets`): all of them in ``x_train``
(uint8 ``(N, 28, 28)``, the network's 28x28 input as drawn) and ``y_train``; ``x_test`` and
``y_test`` are empty. Every change is written atomically.

Fine-tuning is honest: a fixed part of the digits is held out and never trained on, and the
accuracy on it is what the Draw panel shows before and after. Which digits are held out depends
only on each image's pixels (a hash), so adding, relabelling or deleting others never moves a
digit from the held-out part into the training part.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .config import TrainConfig
from .data import IMAGE_SIDE, MnistData
from .datasets import NamedData, read_labelled_npz, with_extra, write_labelled_npz
from .errors import DataError
from .evaluation import loss_and_accuracy
from .inputs import InputTransform
from .network import Network
from .splits import Split

#: The name "my digits" goes by in a model record and a data choice.
MY_DIGITS_NAME = "my_digits"
#: More than anyone draws by hand; keeps the file and the browser small.
MAX_MY_DIGITS = 10_000
#: About one digit in this many is held out for measuring (by its pixels' hash).
HELD_OUT_ONE_IN = 4
#: Updates of a fine-tuning run: a few seconds for the shipped model on a 2-core machine.
FINE_TUNE_ITERATIONS = 60
#: Fine-tuning steps are this fraction of the model's own learning rate, and the user's digits
#: are repeated until they are about this share of the fine-tuning set. Chosen with
#: benchmarks/bench_fine_tune.py (pendigits train strokes as someone's handwriting, 3 sets of
#: 80): the full rate with a quarter share lifted the held-out digits most (69% -> 88%) but cost
#: the shipped model 2 points of MNIST test accuracy; a tenth of the rate with a tenth share
#: lifts them to 81% for 0.4 points.
FINE_TUNE_LR_SCALE = 0.1
FINE_TUNE_SHARE = 0.1


def _empty() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros((0, IMAGE_SIDE, IMAGE_SIDE), np.uint8), np.zeros(0, np.uint8)


@dataclass
class MyDigits:
    """The digits and their labels: ``images`` uint8 ``(N, 28, 28)``, ``labels`` uint8 ``(N,)``."""

    images: np.ndarray = field(default_factory=lambda: _empty()[0])
    labels: np.ndarray = field(default_factory=lambda: _empty()[1])

    def __len__(self) -> int:
        return int(len(self.labels))

    def add(self, image: np.ndarray, label: int) -> None:
        """Append one 28x28 network input (floats in [0, 1] or uint8) with its true digit."""
        if len(self) >= MAX_MY_DIGITS:
            raise DataError(f"you already have {MAX_MY_DIGITS:,} digits; delete some first")
        pixels = np.asarray(image)
        if pixels.shape != (IMAGE_SIDE, IMAGE_SIDE):
            raise DataError(f"a digit must be {IMAGE_SIDE}x{IMAGE_SIDE}, got {pixels.shape}")
        if pixels.dtype != np.uint8:
            pixels = np.round(np.clip(np.nan_to_num(pixels.astype(np.float64)), 0, 1) * 255)
        if not pixels.any():
            raise DataError("the drawing is empty: draw a digit first")
        self.images = np.concatenate([self.images, pixels.astype(np.uint8)[None]])
        self.labels = np.append(self.labels, np.uint8(_digit(label)))

    def relabel(self, index: int, label: int) -> None:
        self._check_index(index)
        self.labels = self.labels.copy()
        self.labels[index] = _digit(label)

    def delete(self, indices: list[int]) -> None:
        for index in indices:
            self._check_index(index)
        keep = np.setdiff1d(np.arange(len(self)), np.asarray(indices, dtype=int))
        self.images, self.labels = self.images[keep], self.labels[keep]

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self):
            raise DataError(f"there is no digit number {index} (you have {len(self)})")

    def held_out_mask(self) -> np.ndarray:
        """bool ``(N,)``: which digits are kept out of fine-tuning to measure it honestly.

        About one in :data:`HELD_OUT_ONE_IN`, chosen by each image's hash; with two digits or
        more, at least one is held out and at least one is trained on.
        """
        keys = np.array([int(hashlib.sha256(image.tobytes()).hexdigest()[:12], 16)
                         for image in self.images], dtype=np.int64)
        mask = keys % HELD_OUT_ONE_IN == 0
        if len(self) >= 2:
            if not mask.any():
                mask[int(np.argmin(keys))] = True
            if mask.all():
                mask[int(np.argmax(keys))] = False
        return mask


def _digit(label: int) -> int:
    try:
        value = int(label)
    except (TypeError, ValueError):
        raise DataError(f"a label must be a digit 0-9, got {label!r}") from None
    if not 0 <= value <= 9:
        raise DataError(f"a label must be a digit 0-9, got {value}")
    return value


def load_my_digits(path: str | os.PathLike[str]) -> MyDigits:
    """The digits saved at ``path``; none yet if the file does not exist."""
    path = Path(path)
    if not path.exists():
        return MyDigits()
    images, labels, test_images, test_labels = read_labelled_npz(path, allow_empty=True)
    if test_images is not None and len(test_images):  # a data set file: take all its digits
        images, labels = np.concatenate([images, test_images]), np.concatenate([labels, test_labels])
    if len(labels) > MAX_MY_DIGITS:
        raise DataError(f"{path}: holds {len(labels):,} digits, more than {MAX_MY_DIGITS:,}")
    return MyDigits(images, labels)


def save_my_digits(path: str | os.PathLike[str], digits: MyDigits) -> Path:
    """Write the digits atomically (the old file survives a failure)."""
    empty_images, empty_labels = _empty()
    return write_labelled_npz(path, digits.images, digits.labels, empty_images, empty_labels)


def _check_enough(digits: MyDigits) -> None:
    if len(digits) < 2:
        raise DataError("add at least two of your digits first (one is kept aside to measure "
                        "the fine-tuning honestly)")


def held_out(digits: MyDigits) -> Split:
    """The digits fine-tuning never trains on: what its before/after accuracy is measured on."""
    _check_enough(digits)
    mask = digits.held_out_mask()
    return Split(digits.images[mask], digits.labels[mask])


def fine_tune_data(base: MnistData, digits: MyDigits) -> NamedData:
    """``base`` (MNIST) with the user's other digits oversampled into its training split.

    Takes a moment for MNIST (the sets are joined and mixed): call it off the GUI thread.
    """
    _check_enough(digits)
    mask = digits.held_out_mask()
    return with_extra(base, digits.images[~mask], digits.labels[~mask], MY_DIGITS_NAME,
                      share=FINE_TUNE_SHARE)


def fine_tune_config(config: TrainConfig, iterations: int = FINE_TUNE_ITERATIONS) -> TrainConfig:
    """The model's own settings for a short run of ``iterations`` updates (however small the
    data) at a tenth of its learning rate, without early stopping or a test pass: the held-out
    digits, not a validation curve, judge it.

    Start it from the model's weights with a fresh optimiser (no resume state): it is a new
    short run, not the rest of the model's own.
    """
    lr = config.optimizer.settings["lr"] * FINE_TUNE_LR_SCALE
    return config.with_settings(epochs=iterations, max_iterations=iterations, patience=0,
                                keep_best=False, evaluate_test=False, lr=lr)


def accuracy_on(network: Network, transform: InputTransform, split: Split) -> float | None:
    """The fraction of ``split`` the network reads right (None for an empty split)."""
    if len(split) == 0:
        return None
    return loss_and_accuracy(network, transform, split.images, split.labels)[1]
