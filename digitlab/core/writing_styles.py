"""Ones as many people write them: with a flag at the top, and sometimes a base.

MNIST's ones are nearly all a single upright stroke (the American form), so a network trained on
it reads a one with a flag as a seven: the shipped model read every flagged one of the stroke set
in ``tests/data`` as a 7, and 60% of the pendigits writers' ones as 7s. This augmentation draws
the flag (a short stroke from the top of the one down to the left) and, on some of them, a base
(a short horizontal stroke across its foot) on training images labelled 1, before the other
transforms bend and slant them like any stroke.

Everything is drawn in the unit images' own terms: the stroke is as thick as the digit's own
(its ink per row), anti-aliased, and merged with ``max`` so ink stays in [0, 1].
"""

from __future__ import annotations

import numpy as np

__all__ = ["ONE", "add_flags_to_ones", "draw_segment"]

#: the label this augmentation changes
ONE = 1
#: ink above this (unit images) counts as the digit's stroke
INK = 0.3
#: a flag is this many pixels long, drawn uniformly (28x28 image)
FLAG_LENGTH = (3.5, 7.0)
#: and points this many degrees below horizontal, to the left
FLAG_ANGLE_DEG = (15.0, 55.0)
#: share of flagged ones that also get a base, and its half-width in pixels
BASE_SHARE = 0.35
BASE_HALF_WIDTH = (2.0, 4.0)


def draw_segment(image: np.ndarray, start: tuple[float, float], end: tuple[float, float],
                 radius: float) -> None:
    """Draw a stroke of ``radius`` pixels from ``start`` to ``end`` (``(x, y)``, pixel centres)
    into ``image`` (H, W) in place, anti-aliased by one pixel and merged with ``max``."""
    height, width = image.shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = np.zeros_like(xs) if length2 == 0 else np.clip(((xs - x0) * dx + (ys - y0) * dy) / length2,
                                                       0.0, 1.0)
    distance = np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))
    np.maximum(image, np.clip(radius + 0.5 - distance, 0.0, 1.0), out=image)


def add_flags_to_ones(images: np.ndarray, labels: np.ndarray, share: float,
                      rng: np.random.Generator) -> np.ndarray:
    """Give ``share`` of the ones in a batch a flag (and some a base).

    Parameters
    ----------
    images : np.ndarray, shape (N, H, W), float32 in [0, 1]
        Unit images, ink bright; not modified.
    labels : np.ndarray, shape (N,)
        Their digits.
    share : float
        Fraction of the ones that get a flag, in [0, 1].
    rng : np.random.Generator
        Draws which ones, and each flag's length, angle and base; the same seed gives the same
        batch.

    Returns
    -------
    np.ndarray
        ``images`` itself when no one was chosen, else a copy with the flags drawn.
    """
    ones = np.flatnonzero(np.asarray(labels) == ONE)
    chosen = ones[rng.random(ones.size) < share]
    if chosen.size == 0:
        return images
    out = images.copy()
    lengths = rng.uniform(*FLAG_LENGTH, chosen.size)
    angles = np.radians(rng.uniform(*FLAG_ANGLE_DEG, chosen.size))
    bases = rng.random(chosen.size) < BASE_SHARE
    half_widths = rng.uniform(*BASE_HALF_WIDTH, chosen.size)
    for k, index in enumerate(chosen):
        image = out[index]
        rows = np.flatnonzero((image > INK).any(axis=1))
        if rows.size < 4:  # too little ink to find a top and a foot
            continue
        top, foot = rows[0], rows[-1]
        # the stroke's thickness: its ink per row, along the middle of the digit
        middle = image[rows[rows.size // 4]:rows[3 * rows.size // 4] + 1]
        radius = float(np.clip(np.median((middle > INK).sum(axis=1)) / 2, 0.8, 2.0))
        top_x = float(np.flatnonzero(image[top] > INK).mean())
        tip = (top_x - lengths[k] * np.cos(angles[k]), top + lengths[k] * np.sin(angles[k]))
        draw_segment(image, (top_x, float(top)), tip, radius)
        if bases[k]:
            foot_x = float(np.flatnonzero(image[foot] > INK).mean())
            draw_segment(image, (foot_x - half_widths[k], float(foot)),
                         (foot_x + half_widths[k], float(foot)), radius)
    return out
