"""Digits drawn again with an even pen, as the Draw panel draws them.

MNIST's digits were written with pens on paper and scanned: their strokes swell and thin with
the pen and its pressure, and blots fill small loops. A digit drawn on the canvas is the pen's
path rendered at one width (:func:`digitlab.gui.widgets.draw_canvas.render_for_network`), so
every stroke is equally thick. A network trained only on scans reads such drawings worse
(docs/handwriting.md measures how much). This augmentation shows it drawings: a chosen share of
the batch's digits is thinned to its centre lines (:mod:`.skeleton`) and drawn again along them
with a round pen of a random width, anti-aliased over one pixel as the canvas is.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import DataError
from .skeleton import STROKE_INK, skeleton_steps, thin

__all__ = ["PEN_WIDTHS", "draw_segments", "redraw_with_pen"]

#: the pen widths drawn from, in pixels of a 28x28 image: the canvas draws 2.5 px strokes
#: once its digit is fitted to MNIST's 20 px box
PEN_WIDTHS = (2.0, 3.0)
# A pixel gets ink when nearer than this to the centre line: the widest pen's radius plus the
# half pixel over which the edge fades.
_INK_REACH = PEN_WIDTHS[1] / 2 + 0.5
# The window of pixels one step of a centre line can ink, relative to the step's first pixel:
# a step goes down by at most one row and left or right by at most one column, and a pixel
# inks within _INK_REACH of it.
_K = math.ceil(_INK_REACH) - 1
_WINDOW_ROWS = np.arange(-_K, _K + 2)
_WINDOW_COLS = np.arange(-_K - 1, _K + 2)


def _ink(widths: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """Ink of a round pen ``widths`` wide at ``distance`` from its path: full inside, fading to
    none over the pixel at its edge."""
    return np.clip(widths / 2 + 0.5 - distance, 0.0, 1.0).astype(np.float32)


def draw_segments(segments: np.ndarray, owners: np.ndarray, widths: np.ndarray,
                  shape: tuple[int, int, int]) -> np.ndarray:
    """Draw segments with round pens, every pixel against every segment of its image: the
    readable reference (and the tests' oracle) for the fast drawing in :func:`redraw_with_pen`.

    Parameters
    ----------
    segments : np.ndarray, shape (S, 2, 2)
        Both ends of every segment as (row, column) pixel centres.
    owners : np.ndarray, shape (S,), int
        The image each segment is drawn into.
    widths : np.ndarray, shape (N,)
        Each image's pen width in pixels.
    shape : tuple of int
        ``(N, H, W)`` of the drawing.

    Returns
    -------
    np.ndarray, shape (N, H, W), float32
        Ink in [0, 1] on 0: ``clip(w / 2 + 0.5 - d, 0, 1)`` for a pixel's distance ``d`` to the
        nearest segment of its image.
    """
    n, h, w = shape
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float64)
    out = np.zeros(shape, np.float32)
    for image in range(n):
        nearest = np.full((h, w), np.inf)
        for start, end in segments[owners == image]:
            step = end - start
            length2 = max(float(step @ step), 1e-12)
            along = np.clip(((rows - start[0]) * step[0] + (cols - start[1]) * step[1]) / length2,
                            0.0, 1.0)
            nearest = np.minimum(nearest, np.hypot(rows - start[0] - along * step[0],
                                                   cols - start[1] - along * step[1]))
        out[image] = _ink(widths[image], nearest)
    return out


def redraw_with_pen(images: np.ndarray, chosen: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Return the images with the chosen ones drawn again along their centre lines.

    Parameters
    ----------
    images : np.ndarray, shape (N, H, W), values in [0, 1]
        Ink bright; only read.
    chosen : np.ndarray of int
        Indices of the images to draw again. An image with no pixel at
        :data:`~.skeleton.STROKE_INK` is kept.
    widths : np.ndarray, shape (len(chosen),)
        The pen width for each chosen image, in pixels, in (0, ``PEN_WIDTHS[1]``].

    Returns
    -------
    np.ndarray, shape (N, H, W), float32
        A copy; the chosen images replaced by their drawings (ink in [0, 1]).

    Raises
    ------
    DataError
        If ``images`` is not a stack of 2-D images.
    ValueError
        If ``chosen`` is not integer indices into the stack, a width is not in range, or a
        chosen image has values outside [0, 1] (0..255 images would mix scales).
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise DataError(f"redrawing needs a stack of images (N, H, W), not shape {images.shape}")
    out = images.astype(np.float32, copy=True)
    chosen, widths = np.asarray(chosen), np.asarray(widths, dtype=np.float32)
    if chosen.size and (not np.issubdtype(chosen.dtype, np.integer) or chosen.ndim != 1
                        or chosen.min() < 0 or chosen.max() >= len(images)):
        raise ValueError(f"chosen must be indices of the {len(images)} images")
    if widths.shape != chosen.shape or not np.all((widths > 0) & (widths <= PEN_WIDTHS[1])):
        raise ValueError(f"one pen width in (0, {PEN_WIDTHS[1]}] per chosen image is needed")
    if chosen.size == 0:
        return out
    picked = images[chosen]
    if not (0.0 <= picked.min() and picked.max() <= 1.0):  # NaN fails both
        raise ValueError(f"the images to redraw must have values in [0, 1], got values from "
                         f"{picked.min()} to {picked.max()}")
    ink = picked >= STROKE_INK
    has_ink = ink.any(axis=(1, 2))
    chosen, ink, widths = chosen[has_ink], ink[has_ink], widths[has_ink]
    out[chosen] = _ink(widths[:, None, None], _distance_to_lines(thin(ink)))
    return out


def _window_distances(dr: int, dc: int) -> np.ndarray:
    """Each window pixel's distance to the segment from (0, 0) to (dr, dc);
    shape (len(_WINDOW_ROWS), len(_WINDOW_COLS)), float32."""
    rows, cols = np.meshgrid(_WINDOW_ROWS, _WINDOW_COLS, indexing="ij")
    length2 = max(dr * dr + dc * dc, 1)
    along = np.clip((rows * dr + cols * dc) / length2, 0.0, 1.0)
    return np.hypot(rows - along * dr, cols - along * dc).astype(np.float32)


def _distance_to_lines(lines: np.ndarray) -> np.ndarray:
    """Each pixel's distance to its image's centre line, up to the window's reach (inf beyond).

    Parameters
    ----------
    lines : np.ndarray, shape (N, H, W), bool
        Thinned images.

    Returns
    -------
    np.ndarray, shape (N, H, W), float32

    The same drawing as :func:`draw_segments`, made fast by using that a thinned line only steps
    between neighbouring pixels: each of the five kinds of step (:func:`~.skeleton.skeleton_steps`)
    inks a fixed window of distances, so drawing is one scatter of precomputed windows.
    """
    n, h, w = lines.shape
    pad = _K + 1
    padded_h, padded_w = h + 2 * pad, w + 2 * pad
    nearest = np.full(n * padded_h * padded_w, np.inf, np.float32)
    window = (_WINDOW_ROWS[:, None] * padded_w + _WINDOW_COLS[None, :]).ravel()
    for dr, dc, starts in skeleton_steps(lines):
        image, rows, cols = np.nonzero(starts)
        if image.size == 0:
            continue
        first = (image * padded_h + rows + pad) * padded_w + cols + pad
        np.minimum.at(nearest, (first[:, None] + window).ravel(),
                      np.tile(_window_distances(dr, dc).ravel(), first.size))
    return nearest.reshape(n, padded_h, padded_w)[:, pad:pad + h, pad:pad + w]
