"""Digits drawn again with an even pen, as the Draw panel draws them.

MNIST's digits were written with pens on paper and scanned: their strokes swell and thin with
the pen and its pressure, and blots fill small loops. A digit drawn on the canvas is the pen's
path rendered at one width (:func:`digitlab.gui.widgets.draw_canvas.render_for_network`), so
every stroke is equally thick and every loop open. A network trained only on scans reads such
drawings noticeably worse (MNIST test drawn again through the canvas's renderer: 96.4% against
98.95% as scanned; docs/handwriting.md). This augmentation shows it drawings: a chosen share of
the batch's digits is thinned to its centre lines (:mod:`.skeleton`) and drawn again along them
with a round pen of a random width, anti-aliased over one pixel as the canvas is.
"""

from __future__ import annotations

import numpy as np

from .skeleton import skeleton_steps, thin

__all__ = ["INK", "PEN_WIDTHS", "draw_segments", "redraw_with_pen"]

#: ink at or above this (unit images) is part of the stroke that is thinned
INK = 0.5
#: the pen widths drawn from, in pixels of a 28x28 image: the canvas draws 2.5 px strokes
#: once its digit is fitted to MNIST's 20 px box
PEN_WIDTHS = (2.0, 3.0)
# How far a pixel may be from a segment's first end and still be inked: the segment's own
# length (at most one pixel along each axis) plus the widest pen's radius and the anti-aliasing.
_REACH = 3
# The window of pixels a step of the centre line can ink with the widest pen (a pixel inks when
# nearer than 3 / 2 + 1 / 2 = 2 to the segment), relative to the step's first pixel: steps go
# down by at most one row and left or right by at most one column.
_WINDOW_ROWS = np.arange(-2, 4)
_WINDOW_COLS = np.arange(-3, 4)


def _window_distances(dr: int, dc: int) -> np.ndarray:
    """Each window pixel's distance to the segment from (0, 0) to (dr, dc)."""
    rows, cols = np.meshgrid(_WINDOW_ROWS, _WINDOW_COLS, indexing="ij")
    length2 = max(dr * dr + dc * dc, 1)
    along = np.clip((rows * dr + cols * dc) / length2, 0.0, 1.0)
    return np.hypot(rows - along * dr, cols - along * dc).astype(np.float32)


def draw_segments(segments: np.ndarray, owners: np.ndarray, widths: np.ndarray,
                  shape: tuple[int, int, int]) -> np.ndarray:
    """Draw segments with round pens: the ink of a pixel is ``clip(w / 2 + 0.5 - d, 0, 1)`` for
    its distance ``d`` to the nearest segment of its image, so edges fade over one pixel.

    Parameters
    ----------
    segments : np.ndarray, shape (S, 2, 2)
        Both ends of every segment as (row, column) pixel centres, each segment at most one
        pixel long along each axis (as :func:`~.skeleton.skeleton_segments` gives them).
    owners : np.ndarray, shape (S,), int
        The image each segment is drawn into.
    widths : np.ndarray, shape (N,)
        Each image's pen width in pixels; at most ``2 * _REACH - 3``.
    shape : tuple of int
        ``(N, H, W)`` of the drawing.

    Returns
    -------
    np.ndarray, shape (N, H, W), float32
        Ink in [0, 1] on 0.
    """
    out = np.zeros(shape, np.float32)
    if len(segments) == 0:
        return out
    start, step = segments[:, 0], segments[:, 1] - segments[:, 0]  # (S, 2)
    window = np.arange(-_REACH, _REACH + 2)
    rows = np.floor(start[:, 0])[:, None, None] + window[None, :, None]  # (S, K, 1)
    cols = np.floor(start[:, 1])[:, None, None] + window[None, None, :]  # (S, 1, K)
    # The nearest point of each segment to each pixel of its window, then the distance.
    dr, dc = rows - start[:, 0, None, None], cols - start[:, 1, None, None]
    length2 = (step ** 2).sum(axis=1)[:, None, None]
    along = (dr * step[:, 0, None, None] + dc * step[:, 1, None, None]) / np.maximum(length2, 1e-12)
    along = np.clip(along, 0.0, 1.0)
    distance = np.hypot(dr - along * step[:, 0, None, None], dc - along * step[:, 1, None, None])
    radius = widths[owners][:, None, None] / 2.0
    ink = np.clip(radius + 0.5 - distance, 0.0, 1.0).astype(np.float32)
    image = np.broadcast_to(owners[:, None, None], ink.shape)
    rows, cols = np.broadcast_to(rows, ink.shape), np.broadcast_to(cols, ink.shape)
    inside = (ink > 0) & (rows >= 0) & (rows < shape[1]) & (cols >= 0) & (cols < shape[2])
    np.maximum.at(out, (image[inside], rows[inside].astype(np.intp),
                        cols[inside].astype(np.intp)), ink[inside])
    return out


def redraw_with_pen(images: np.ndarray, chosen: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Return the images with the chosen ones drawn again along their centre lines.

    Parameters
    ----------
    images : np.ndarray, shape (N, H, W), float in [0, 1]
        Ink bright; only read.
    chosen : np.ndarray of int
        Indices of the images to draw again. An image with no pixel at :data:`INK` is kept.
    widths : np.ndarray, shape (len(chosen),)
        The pen width for each chosen image, in pixels (within :data:`PEN_WIDTHS` for the
        augmentation).

    Returns
    -------
    np.ndarray, shape (N, H, W), float32
        A copy; the chosen images replaced by their drawings.
    """
    out = np.array(images, dtype=np.float32, copy=True)
    chosen = np.asarray(chosen, dtype=np.intp)
    widths = np.asarray(widths, dtype=np.float32)
    if chosen.size == 0:
        return out
    if widths.shape != chosen.shape or not np.all((widths > 0) & (widths <= PEN_WIDTHS[1])):
        raise ValueError(f"one pen width in (0, {PEN_WIDTHS[1]}] per chosen image is needed")
    ink = images[chosen] >= INK
    has_ink = ink.any(axis=(1, 2))
    chosen, ink, widths = chosen[has_ink], ink[has_ink], widths[has_ink]
    nearest = _distance_to_lines(thin(ink))
    out[chosen] = np.clip(widths[:, None, None] / 2 + 0.5 - nearest, 0.0, 1.0)
    return out


def _distance_to_lines(lines: np.ndarray) -> np.ndarray:
    """Each pixel's distance to its image's centre line, up to the window's reach (inf beyond).

    The same drawing as :func:`draw_segments` (its tests' oracle), made faster by using that a
    thinned line only steps between neighbouring pixels: each kind of step inks a fixed window
    of distances, so drawing is one scatter of precomputed windows.
    """
    n, h, w = lines.shape
    pad = 3
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
