"""The centre lines of digit images: thinning (Zhang and Suen 1984, with Lü and Wang's 1986
correction) and the pen path it leaves.

A scanned digit's strokes vary in width with the pen and its pressure; a digit drawn on the
canvas has strokes of one width, because the Draw panel renders the pen's path itself. Thinning
an image down to lines about a pixel wide recovers something like that path, so a scanned digit can
be drawn again the way the canvas draws (:mod:`.redraw`; ``tools/handwriting_eval.py`` reads MNIST
test that way, a stand-in for real writers' pen strokes).

The thinning peels boundary pixels in two alternating sub-passes until none can go. A pixel
goes when removing it keeps the shape connected and does not shorten a line: it has 3 to 6 ink
neighbours, exactly one change from background to ink going round them, and the sub-pass's pair
of neighbour conditions holds (see :func:`thin`). Zhang and Suen allowed 2 neighbours; Lü and
Wang showed that this wears a slanted stroke two pixels thick away from its ends (a 20-pixel
diagonal of a one or a seven shrank to 2 pixels), and 3 keeps it.
"""

from __future__ import annotations

import numpy as np

from .errors import DataError

__all__ = ["STROKE_INK", "skeleton_segments", "skeleton_steps", "thin"]

#: ink at or above this (images in [0, 1]) is part of the strokes that are thinned
STROKE_INK = 0.5

# The eight neighbours P2..P9 of a pixel, clockwise from the one above (row, column offsets),
# as Zhang and Suen number them.
_NEIGHBOURS = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))


def _peel_tables() -> tuple[np.ndarray, np.ndarray]:
    """For each of the 256 ways the neighbours P2..P9 (bit k = P(k + 2)) can be ink: whether an
    ink pixel with those neighbours is peeled in the first and in the second sub-pass."""
    codes = np.arange(256)
    p = [(codes >> k) & 1 == 1 for k in range(8)]  # P2..P9
    p2, p3, p4, p5, p6, p7, p8, p9 = p
    count = sum(x.astype(int) for x in p)
    ring = p + [p2]
    changes = sum((~a & b).astype(int) for a, b in zip(ring[:8], ring[1:], strict=True))
    # 3, not Zhang and Suen's 2: a pixel with two ink neighbours may be the end of a slanted
    # stroke two pixels thick, which would otherwise be peeled from its ends (Lü and Wang 1986).
    keeps_shape = (count >= 3) & (count <= 6) & (changes == 1)
    first = keeps_shape & ~(p2 & p4 & p6) & ~(p4 & p6 & p8)   # south-east boundary, north-west corner
    second = keeps_shape & ~(p2 & p4 & p8) & ~(p2 & p6 & p8)  # north-west boundary, south-east corner
    return first, second


_PEEL_FIRST, _PEEL_SECOND = _peel_tables()


def _neighbour_views(lines: np.ndarray):
    """A function giving, for an offset (dr, dc), every pixel's neighbour at that offset, as a
    view of ``lines`` padded with paper (the (N, H, W) shape of ``lines``)."""
    padded = np.pad(lines, ((0, 0), (1, 1), (1, 1)))
    h, w = lines.shape[1:]
    return lambda dr, dc: padded[:, 1 + dr:1 + dr + h, 1 + dc:1 + dc + w]


def _neighbour_codes(lines: np.ndarray) -> np.ndarray:
    """Each pixel's neighbours P2..P9 as one byte (bit k = P(k + 2); outside counts as paper)."""
    at = _neighbour_views(lines.view(np.uint8))
    code = np.zeros(lines.shape, np.uint8)
    for bit, (dr, dc) in enumerate(_NEIGHBOURS):
        code |= at(dr, dc) << np.uint8(bit)
    return code


def thin(ink: np.ndarray) -> np.ndarray:
    """Thin boolean images to lines one pixel wide, except slanted runs two pixels thick, which
    stay (Zhang and Suen, CACM 27(3), 1984, with the correction of Lü and Wang, CACM 29(3), 1986;
    the pen path then draws such a run as one stroke, a little wider).

    Parameters
    ----------
    ink : np.ndarray, shape (H, W) or (N, H, W), bool
        True where there is ink. A stack is thinned all at once.

    Returns
    -------
    np.ndarray
        The same shape, bool: the lines that are left. Single pixels stay; a slanted stroke two
        pixels thick stays as it is (each of its pixels joins two runs of ink); a lone 2x2
        block vanishes, as under Zhang and Suen's rule. Every pass that changes anything
        removes a pixel, so the loop ends.
    """
    ink = np.asarray(ink)
    if ink.ndim not in (2, 3):
        raise DataError(f"thinning needs an image or a stack of images, not shape {ink.shape}")
    single = ink.ndim == 2
    lines = ink.astype(bool, copy=True)[None] if single else ink.astype(bool, copy=True)
    changed = True
    while changed:
        changed = False
        for table in (_PEEL_FIRST, _PEEL_SECOND):
            # A pixel's fate depends only on its eight neighbours: 256 cases, tabulated once.
            peel = lines & table[_neighbour_codes(lines)]
            if peel.any():
                lines &= ~peel
                changed = True
    return lines[0] if single else lines


# Directions to the neighbours a segment goes to: right, down-right, down, down-left. Each pair
# of touching line pixels is then joined once.
_FORWARD = ((0, 1), (1, 1), (1, 0), (1, -1))


def skeleton_steps(lines: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """Where the lines of thinned images go from pixel to pixel.

    Parameters
    ----------
    lines : np.ndarray, shape (N, H, W), bool
        Thinned images (:func:`thin`).

    Returns
    -------
    list of (dr, dc, starts)
        For each step (0, 0) (a dot: a line pixel touching no other), right (0, 1), down-right
        (1, 1), down (1, 0) and down-left (1, -1): a boolean (N, H, W) mask of the pixels from
        which the line goes one such step to another line pixel. Each pair of touching pixels
        is joined once, and a diagonal step that also has a route along the axes (an L of three
        pixels) is left to the axes, so corners are not drawn twice.
    """
    at = _neighbour_views(lines)
    touching = np.zeros_like(lines)
    for dr, dc in _NEIGHBOURS:
        touching |= at(dr, dc)
    steps = [(0, 0, lines & ~touching)]
    for dr, dc in _FORWARD:
        joined = lines & at(dr, dc)
        if dr and dc:
            joined &= ~(at(dr, 0) | at(0, dc))
        steps.append((dr, dc, joined))
    return steps


def skeleton_segments(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pen path of thinned images: a segment between every two touching line pixels
    (:func:`skeleton_steps`); a dot is a segment of length zero.

    Parameters
    ----------
    lines : np.ndarray, shape (H, W) or (N, H, W), bool
        Thinned images (:func:`thin`).

    Returns
    -------
    segments : np.ndarray, shape (S, 2, 2), float64
        Each segment's two ends as (row, column) of pixel centres.
    owners : np.ndarray, shape (S,), int
        The image each segment belongs to (all 0 for one image).
    """
    lines = np.asarray(lines, dtype=bool)
    if lines.ndim not in (2, 3):
        raise DataError(f"a skeleton is an image or a stack of images, not shape {lines.shape}")
    segments, owners = [], []
    for dr, dc, starts in skeleton_steps(lines[None] if lines.ndim == 2 else lines):
        image, rows, cols = np.nonzero(starts)
        first = np.stack([rows, cols], axis=1)
        segments.append(np.stack([first, first + (dr, dc)], axis=1))
        owners.append(image)
    return np.concatenate(segments).astype(np.float64), np.concatenate(owners)
