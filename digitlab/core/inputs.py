"""How raw 28x28 uint8 images become network inputs, as recorded in a model file.

``x = (pixels * scale - mean) / std`` with ink = 1 after scaling, then reshaped to the network's
input shape: ``(784,)`` for a dense network, ``(1, 28, 28)`` for a convolutional one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ConfigError
from .preprocess import PIPELINE_NAME


@dataclass(frozen=True)
class InputTransform:
    """Pixel scaling and standardisation (scalars), plus the name of the image pipeline."""

    scale: float = 1 / 255
    mean: float = 0.0
    std: float = 1.0
    pipeline: str = PIPELINE_NAME

    def __post_init__(self) -> None:
        for name in ("scale", "std"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value > 0):
                raise ConfigError(f"preprocessing {name} must be a positive number, got {value!r}")
        if not np.isfinite(self.mean):
            raise ConfigError(f"preprocessing mean must be a number, got {self.mean!r}")

    @classmethod
    def fitted(cls, images: np.ndarray, scale: float = 1 / 255) -> InputTransform:
        """Mean and std of the scaled training pixels (featurewise centring, one channel)."""
        # Summing in chunks keeps memory flat: 60000x784 float64 would be 376 MB.
        total = 0.0
        total_sq = 0.0
        flat = images.reshape(images.shape[0], -1)
        for start in range(0, flat.shape[0], 5000):
            chunk = flat[start:start + 5000].astype(np.float64) * scale
            total += float(chunk.sum())
            total_sq += float(np.square(chunk).sum())
        count = flat.size
        mean = total / count
        std = float(np.sqrt(max(total_sq / count - mean * mean, 1e-12)))
        return cls(scale=scale, mean=mean, std=std)

    def apply(self, images: np.ndarray, input_shape: tuple[int, ...],
              dtype: Any = np.float32) -> np.ndarray:
        """Images (N, 28, 28) uint8 or float in [0, 255] scale -> inputs (N, *input_shape)."""
        x = np.multiply(images, self.scale / self.std, dtype=dtype)
        if self.mean:
            x -= self.mean / self.std
        return x.reshape((images.shape[0],) + tuple(input_shape))

    def apply_unit(self, images01: np.ndarray, input_shape: tuple[int, ...],
                   dtype: Any = np.float32) -> np.ndarray:
        """Like :meth:`apply` for images already scaled to [0, 1] (the canvas, augmentation)."""
        return self.apply(np.asarray(images01) / self.scale, input_shape, dtype)

    def to_dict(self) -> dict[str, Any]:
        return {"scale": self.scale, "mean": self.mean, "std": self.std, "pipeline": self.pipeline}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> InputTransform:
        return cls(scale=float(d.get("scale", 1 / 255)), mean=float(d.get("mean", 0.0)),
                   std=float(d.get("std", 1.0)), pipeline=str(d.get("pipeline", PIPELINE_NAME)))
