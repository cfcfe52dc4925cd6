"""Generated drawings that are not digits, for outlier exposure (Hendrycks et al. 2019).

Training adds some of these to every batch with the uniform distribution over the ten digits as
their target (``AugmentConfig.negatives_frac``), so the network learns to spread its
probability over the digits for anything unlike one, and a threshold on the calibrated top
probability can decline it (:mod:`digitlab.core.decline`).

The kinds are what people draw when they are not writing a digit: horizontal dashes, scribbles,
zig-zags, filled blobs, hash signs, asterisks, grids, and letters (X, H, W, M, K, N, A, E, F,
V, Y). Shapes that are digits in some hand (a vertical bar is a 1, a ring is a 0, an
S is a 5) are left out on purpose. Each drawing is built as strokes in a unit square, jittered,
rasterised with a round pen and prepared exactly like a drawing or an image
(:func:`~digitlab.core.preprocess.to_mnist_style`), so it reaches the network as canvas
drawings do.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .preprocess import to_mnist_style

__all__ = ["KINDS", "negative_strokes", "negative_images", "rasterise_strokes"]

Strokes = list[np.ndarray]  # each (P, 2): x, y in the unit square, y downwards

_RENDER_SIDE = 56
#: pen diameter relative to the drawing's extent, so strokes end up about 2.5 px of 20 (MNIST)
_PEN_FRACTION = 0.14


def _line(*points: tuple[float, float]) -> np.ndarray:
    return np.asarray(points, dtype=np.float64)


def _dash(rng: np.random.Generator) -> Strokes:
    y = rng.uniform(0.3, 0.7)
    return [_line((0.1, y), (0.9, y + rng.uniform(-0.08, 0.08)))]


def _dashes(rng: np.random.Generator) -> Strokes:
    count = int(rng.integers(2, 5))
    ys = np.sort(rng.uniform(0.1, 0.9, count))
    return [_line((rng.uniform(0.0, 0.3), y), (rng.uniform(0.7, 1.0), y)) for y in ys]


def _scribble(rng: np.random.Generator) -> Strokes:
    steps = int(rng.integers(25, 60))
    angles = np.cumsum(rng.uniform(-2.2, 2.2, steps))
    walk = np.cumsum(np.stack([np.cos(angles), np.sin(angles)], axis=1) * 0.12, axis=0)
    return [walk]


def _zigzag(rng: np.random.Generator) -> Strokes:
    teeth = int(rng.integers(4, 9))
    xs = np.linspace(0.0, 1.0, teeth + 1)
    ys = np.where(np.arange(teeth + 1) % 2 == 0, 0.0, rng.uniform(0.3, 0.8))
    return [np.stack([xs, ys], axis=1)]


def _blob(rng: np.random.Generator) -> Strokes:
    turns = rng.uniform(3.0, 6.0)
    t = np.linspace(0.0, 2 * np.pi * turns, int(40 * turns))
    radius = np.linspace(0.5, 0.02, t.size) * rng.uniform(0.8, 1.2)
    aspect = rng.uniform(0.6, 1.4)
    return [np.stack([radius * np.cos(t) * aspect, radius * np.sin(t)], axis=1)]


def _hash(rng: np.random.Generator) -> Strokes:
    a, b = rng.uniform(0.15, 0.4), rng.uniform(0.6, 0.85)
    lean = rng.uniform(-0.15, 0.15)
    return [_line((a + lean, 0.0), (a - lean, 1.0)), _line((b + lean, 0.0), (b - lean, 1.0)),
            _line((0.0, a), (1.0, a)), _line((0.0, b), (1.0, b))]


def _asterisk(rng: np.random.Generator) -> Strokes:
    arms = int(rng.integers(3, 5))
    start = rng.uniform(0, np.pi)
    angles = start + np.arange(arms) * np.pi / arms
    return [_line((0.5 - 0.5 * np.cos(a), 0.5 - 0.5 * np.sin(a)),
                  (0.5 + 0.5 * np.cos(a), 0.5 + 0.5 * np.sin(a))) for a in angles]


def _grid(rng: np.random.Generator) -> Strokes:
    count = int(rng.integers(3, 5))
    spots = np.linspace(0.0, 1.0, count)
    return ([_line((s, 0.0), (s, 1.0)) for s in spots] +
            [_line((0.0, s), (1.0, s)) for s in spots])


_LETTERS: dict[str, list[list[tuple[float, float]]]] = {
    "X": [[(0, 0), (1, 1)], [(1, 0), (0, 1)]],
    "H": [[(0, 0), (0, 1)], [(1, 0), (1, 1)], [(0, 0.5), (1, 0.5)]],
    "W": [[(0, 0), (0.25, 1), (0.5, 0.3), (0.75, 1), (1, 0)]],
    "M": [[(0, 1), (0.1, 0), (0.5, 0.7), (0.9, 0), (1, 1)]],
    "K": [[(0, 0), (0, 1)], [(0.9, 0), (0, 0.55), (1, 1)]],
    "N": [[(0, 1), (0, 0), (1, 1), (1, 0)]],
    "A": [[(0, 1), (0.5, 0), (1, 1)], [(0.2, 0.6), (0.8, 0.6)]],
    "E": [[(1, 0), (0, 0), (0, 1), (1, 1)], [(0, 0.5), (0.7, 0.5)]],
    "F": [[(1, 0), (0, 0), (0, 1)], [(0, 0.5), (0.7, 0.5)]],
    "V": [[(0, 0), (0.5, 1), (1, 0)]],
    "Y": [[(0, 0), (0.5, 0.5), (1, 0)], [(0.5, 0.5), (0.5, 1)]],
}


def _letter(rng: np.random.Generator) -> Strokes:
    name = list(_LETTERS)[int(rng.integers(len(_LETTERS)))]
    width = rng.uniform(0.6, 1.2)
    return [np.asarray(stroke, dtype=np.float64) * (width, 1.0) for stroke in _LETTERS[name]]


#: the kinds of non-digit drawing, each a function of a random generator to strokes
KINDS: dict[str, Callable[[np.random.Generator], Strokes]] = {
    "dash": _dash, "dashes": _dashes, "scribble": _scribble, "zigzag": _zigzag, "blob": _blob,
    "hash": _hash, "asterisk": _asterisk, "grid": _grid, "letter": _letter,
}


def _densify(stroke: np.ndarray, step: float = 0.03) -> np.ndarray:
    """Points along the polyline at most ``step`` apart (so jitter bends lines, not corners)."""
    if len(stroke) < 2:
        return stroke
    pieces = [stroke[:1]]
    for start, end in zip(stroke[:-1], stroke[1:], strict=True):
        count = max(1, int(np.ceil(np.linalg.norm(end - start) / step)))
        pieces.append(start + (end - start) * (np.arange(1, count + 1) / count)[:, None])
    return np.concatenate(pieces)


def negative_strokes(kind: str, rng: np.random.Generator) -> Strokes:
    """One random drawing of ``kind`` (see :data:`KINDS`): strokes in the unit square, y down.

    A random rotation (up to 20 degrees), a smooth wobble and point jitter make every drawing
    different, as a hand would.
    """
    strokes = [_densify(np.asarray(s, dtype=np.float64)) for s in KINDS[kind](rng)]
    angle = np.deg2rad(rng.uniform(-20, 20))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    phase = rng.uniform(0, 2 * np.pi, 2)
    wobbled = []
    for stroke in strokes:
        s = stroke @ rotation.T
        s = s + 0.03 * np.sin(3 * s[:, ::-1] + phase) + rng.normal(0, 0.004, s.shape)
        wobbled.append(s)
    points = np.concatenate(wobbled)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = max(float((high - low).max()), 1e-6)
    return [(s - low) / extent for s in wobbled]


def rasterise_strokes(strokes: Strokes, side: int = _RENDER_SIDE) -> np.ndarray:
    """Strokes in the unit square drawn with a round antialiased pen, ink bright.

    Returns
    -------
    np.ndarray, shape (side, side), float32
        In [0, 1]; the drawing spans 3/4 of the image, strokes about 1/7 of the drawing wide.
    """
    margin = side / 8
    span = side - 2 * margin
    radius = _PEN_FRACTION * span / 2
    # Stamp the round pen at points half a pixel apart along every stroke: each stamp writes
    # the antialiased disk into its window, keeping the strongest ink per pixel.
    points = np.concatenate([_densify(margin + np.asarray(st, dtype=np.float64) * span, 0.5)
                             for st in strokes])
    reach = int(np.ceil(radius + 1))
    offsets = np.arange(-reach, reach + 1)
    cells = np.floor(points).astype(np.intp)  # the pixel holding each point
    rows = cells[:, 1, None, None] + offsets[None, :, None]  # (P, K, 1)
    cols = cells[:, 0, None, None] + offsets[None, None, :]  # (P, 1, K)
    dist = np.hypot(rows + 0.5 - points[:, 1, None, None], cols + 0.5 - points[:, 0, None, None])
    ink = np.clip(radius + 0.5 - dist, 0.0, 1.0)
    inside = (rows >= 0) & (rows < side) & (cols >= 0) & (cols < side)
    rows, cols = np.broadcast_to(rows, ink.shape), np.broadcast_to(cols, ink.shape)
    image = np.zeros(side * side, dtype=np.float64)
    np.maximum.at(image, (rows * side + cols)[inside], ink[inside])
    return image.reshape(side, side).astype(np.float32)


def negative_images(count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` non-digit drawings, kinds in turn, prepared as the network sees drawings.

    Returns
    -------
    np.ndarray, shape (count, 28, 28), float32
        MNIST style: in [0, 1], ink = 1, fitted into 20x20 and centred by mass.
    """
    kinds = list(KINDS)
    out = np.empty((count, 28, 28), dtype=np.float32)
    for i in range(count):
        # Training images keep their slant and width (as MNIST's digits do), so a run gives the
        # same weights as before the pipeline limited the slant and width of what it reads.
        out[i] = to_mnist_style(rasterise_strokes(negative_strokes(kinds[i % len(kinds)], rng)),
                                invert=False, limit_writing=False)
    return out
