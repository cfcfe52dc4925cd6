"""The images a run learns from, checks itself on, and is tested on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .data import MnistData
from .errors import ConfigError

if TYPE_CHECKING:
    from .config import TrainConfig


@dataclass(frozen=True)
class Split:
    """Images (N, 28, 28) uint8 with their labels (N,) uint8."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return int(self.labels.shape[0])


@dataclass(frozen=True)
class TrainingData:
    train: Split
    validation: Split | None = None
    test: Split | None = None

    @staticmethod
    def split_settings(config: TrainConfig) -> tuple[float, int, int | None]:
        """The settings that decide which images a run holds out and trains on: the validation
        share, the seed that draws it and the training-set limit (two runs with equal ones on
        the same data hold out the same digits)."""
        return config.data.val_split, config.run.seed, config.data.train_limit

    @classmethod
    def for_config(cls, mnist: MnistData, config: TrainConfig) -> TrainingData:
        """The splits ``config`` asks for: its validation split and training-set limit."""
        return cls.from_mnist(mnist, *cls.split_settings(config))

    @classmethod
    def from_mnist(cls, mnist: MnistData, val_split: float = 0.0, seed: int = 0,
                   train_limit: int | None = None) -> TrainingData:
        """Hold out a random ``val_split`` of the training images (drawn from ``seed``)."""
        images, labels = mnist.train_images, mnist.train_labels
        if train_limit is not None:
            images, labels = images[:train_limit], labels[:train_limit]
        validation = None
        if val_split > 0:
            order = np.random.default_rng(np.random.SeedSequence([seed, 1])).permutation(len(labels))
            n_val = int(round(len(labels) * val_split))
            if n_val < 1 or n_val >= len(labels):
                raise ConfigError(f"a validation split of {val_split} leaves no training or "
                                  f"validation data from {len(labels)} samples")
            val_idx, train_idx = np.sort(order[:n_val]), np.sort(order[n_val:])
            validation = Split(images[val_idx], labels[val_idx])
            images, labels = images[train_idx], labels[train_idx]
        return cls(Split(images, labels), validation, Split(mnist.test_images, mnist.test_labels))
