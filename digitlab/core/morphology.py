"""Thicker and thinner strokes on grey digit images (grey-level dilation and erosion).

Used to vary stroke width when augmenting training images and to damage test images in the
robustness view: one home for both.
"""

from __future__ import annotations

import numpy as np

__all__ = ["dilate", "erode", "change_stroke_width"]


def _shifted_stack(images: np.ndarray, fill: float) -> np.ndarray:
    """The image and its four neighbours' values at each pixel (a 3x3 cross), shape (5, N, H, W)."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)), constant_values=fill)
    h, w = images.shape[1:]
    return np.stack([padded[:, 1:h + 1, 1:w + 1], padded[:, :h, 1:w + 1], padded[:, 2:, 1:w + 1],
                     padded[:, 1:h + 1, :w], padded[:, 1:h + 1, 2:]])


def dilate(images: np.ndarray, steps: int = 1) -> np.ndarray:
    """Thicken bright ink by ``steps`` pixels: each pixel takes the maximum of its 3x3 cross.

    Parameters
    ----------
    images : np.ndarray, shape (N, H, W)
        Grey images, ink bright (MNIST style).
    steps : int
        How many times to grow the ink by one pixel.
    """
    out = np.asarray(images)
    for _ in range(steps):
        out = _shifted_stack(out, 0.0).max(axis=0)
    return out


def erode(images: np.ndarray, steps: int = 1) -> np.ndarray:
    """Thin bright ink by ``steps`` pixels: each pixel takes the minimum of its 3x3 cross."""
    out = np.asarray(images)
    for _ in range(steps):
        out = _shifted_stack(out, 0.0).min(axis=0)
    return out


def change_stroke_width(images: np.ndarray, amount: float) -> np.ndarray:
    """Thicken (``amount`` > 0) or thin (< 0) strokes by ``|amount|`` pixels; fractions blend.

    ``amount = 0.5`` is halfway between the image and its one-step dilation, so stroke width can
    vary continuously.
    """
    images = np.asarray(images, dtype=np.float32)
    whole = int(np.floor(abs(amount)))
    frac = abs(amount) - whole
    grow = dilate if amount > 0 else erode
    base = grow(images, whole)
    if frac == 0.0:
        return base
    return (1.0 - frac) * base + frac * grow(base, 1)
