"""Split a drawing or a picture of a number ("2026") into its digits, left to right.

Digits in a written number sit side by side, so the parts of one digit overlap horizontally and
two digits mostly do not. Both inputs come down to the same grouping of boxes
(:func:`group_boxes`):

* **strokes** (the Draw panel): each pen-down stroke is a box; a 4 or a 7 drawn in two strokes
  stays one digit because its strokes overlap horizontally (:func:`group_strokes`);
* **images** (``digitlab predict --number``): each connected component of ink is a box
  (:func:`ink_components`); a digit broken into pieces (a 5 whose bar does not touch, a faint
  scan) stays one digit the same way (:func:`segment_image`).

Three rules beyond plain overlap keep one digit whole: boxes merge when their overlap is a large
part of the *narrower* box (a vertical line crossing a bar overlaps it completely); parts stacked
one above the other merge even when they overlap little across (a slanted 1 whose pen skipped in
the middle: digits of a number share their line's height, so they are never stacked); and a part
far shorter than the tallest digit (a detached bar, a dot of ink) joins its nearest neighbour
instead of counting as a digit. Digits that touch each other in a picture form one component; a part much
wider than it is tall is cut at the column with the least ink between its halves
(:func:`split_wide_part`).

NumPy only; reading each part goes through :mod:`digitlab.core.predict` (see
:mod:`digitlab.core.number`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .preprocess import LABEL_SIDE, downsampled_mask, ink_components, ink_image, without_rules

__all__ = ["Box", "ImagePart", "LABEL_SIDE", "MAX_STACKED_OVERLAP", "MIN_OVERLAP", "group_boxes",
           "group_strokes", "ink_components", "segment_image", "split_wide_part", "stroke_box"]

#: Two boxes belong to one digit when their horizontal overlap is at least this fraction of the
#: narrower box's width.
MIN_OVERLAP = 0.4
#: Two boxes that touch or overlap across belong to one digit when they share less than this
#: fraction of the shorter box's height: one sits above the other, as the pieces of a broken
#: stroke do and neighbouring digits never do.
MAX_STACKED_OVERLAP = 0.5
#: A group shorter than this fraction of the tallest group is not a digit of its own (a detached
#: bar, a dot): it joins the nearest group.
MIN_HEIGHT_FRACTION = 0.4
#: Ink fainter than this fraction of the strongest ink is not part of a component (anti-aliased
#: edges, paper texture, JPEG ringing).
INK_THRESHOLD = 0.35
#: A component with fewer pixels than this fraction of the largest one is a speck and ignored.
MIN_COMPONENT_FRACTION = 0.02
#: A part wider than this many times its height is taken as touching digits and split.
WIDE_RATIO = 1.25
#: Width of a typical digit as a fraction of its height: how many digits a wide part holds.
DIGIT_ASPECT = 0.7
#: A cut goes only through a column with at most this fraction of the part's median column ink
#: (the thin join of two touching digits), never through the body of a wide digit.
MAX_CUT_INK = 0.5
#: Margin (in pixels of the full picture) kept around each part's ink when it is cut out.
PART_MARGIN = 2


@dataclass(frozen=True)
class Box:
    """An axis-aligned box: x to the right, y downwards; ``right``/``bottom`` are the far edges."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def union(self, other: Box) -> Box:
        return Box(min(self.left, other.left), min(self.top, other.top),
                   max(self.right, other.right), max(self.bottom, other.bottom))

    @staticmethod
    def around(boxes: Sequence[Box]) -> Box:
        """The smallest box holding all of ``boxes`` (at least one)."""
        return Box(min(b.left for b in boxes), min(b.top for b in boxes),
                   max(b.right for b in boxes), max(b.bottom for b in boxes))

    def as_list(self) -> list[float]:
        """``[left, top, right, bottom]``, for JSON."""
        return [self.left, self.top, self.right, self.bottom]


def _overlap_ratio(a: Box, b: Box) -> float:
    """Horizontal overlap of two boxes as a fraction of the narrower one's width (0..1)."""
    overlap = min(a.right, b.right) - max(a.left, b.left)
    narrower = min(a.width, b.width)
    if narrower <= 0:
        return 1.0 if overlap >= 0 else 0.0
    return max(0.0, overlap) / narrower


def _gap(a: Box, b: Box) -> float:
    """Horizontal distance between two boxes (0 when they overlap)."""
    return max(0.0, max(a.left, b.left) - min(a.right, b.right))


def _stacked(a: Box, b: Box) -> bool:
    """Whether the boxes touch or overlap across and one sits mostly above the other (they share
    less than :data:`MAX_STACKED_OVERLAP` of the shorter one's height)."""
    shorter = min(a.height, b.height)
    shared = min(a.bottom, b.bottom) - max(a.top, b.top)
    return _gap(a, b) == 0 and shorter > 0 and shared < MAX_STACKED_OVERLAP * shorter


def _one_digit(a: Box, b: Box, min_overlap: float) -> bool:
    """Whether two boxes (or groups) hold parts of one digit: they overlap across by
    ``min_overlap`` of the narrower one, or they are stacked (:func:`_stacked`)."""
    return _overlap_ratio(a, b) >= min_overlap or _stacked(a, b)


def group_boxes(boxes: Sequence[Box], *, min_overlap: float = MIN_OVERLAP,
                min_height_fraction: float = MIN_HEIGHT_FRACTION) -> list[list[int]]:
    """Group boxes into digits: indices per digit, digits ordered left to right.

    Parameters
    ----------
    boxes : sequence of Box
        One per stroke or ink component.
    min_overlap : float
        Boxes (and groups) merge when their horizontal overlap is at least this fraction of the
        narrower one's width, or when they touch across and one sits above the other (see
        :data:`MAX_STACKED_OVERLAP`); merging repeats until no pair qualifies.
    min_height_fraction : float
        Then a group shorter than this fraction of the tallest joins the horizontally nearest
        other group (nearest by gap, then by centre).

    Returns
    -------
    list of list of int
        Each inner list holds the indices (ascending) of the boxes of one digit; empty input
        gives ``[]``.
    """
    groups = [[i] for i in range(len(boxes))]
    extents = list(boxes)
    merged = True
    while merged and len(groups) > 1:
        merged = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if _one_digit(extents[a], extents[b], min_overlap):
                    groups[a] += groups.pop(b)
                    extents[a] = extents[a].union(extents.pop(b))
                    merged = True
                    break
            if merged:
                break
    while len(groups) > 1:
        tallest = max(e.height for e in extents)
        short = [i for i, e in enumerate(extents) if e.height < min_height_fraction * tallest]
        if not short:
            break
        # The smallest stray part first: it is the least likely to be a digit of its own.
        s = min(short, key=lambda i: extents[i].height * max(extents[i].width, 1e-9))
        centre = (extents[s].left + extents[s].right) / 2
        target = min((i for i in range(len(groups)) if i != s),
                     key=lambda i: (_gap(extents[s], extents[i]),
                                    abs((extents[i].left + extents[i].right) / 2 - centre)))
        groups[target] += groups[s]
        extents[target] = extents[target].union(extents[s])
        del groups[s], extents[s]
    order = sorted(range(len(groups)), key=lambda i: (extents[i].left + extents[i].right) / 2)
    return [sorted(groups[i]) for i in order]


def stroke_box(stroke: Sequence[tuple[float, float]] | np.ndarray, pen_width: float = 0.0) -> Box:
    """The box of a stroke's points, grown by half the pen's width on every side.

    Parameters
    ----------
    stroke : sequence of (x, y), or np.ndarray, shape (n, 2)
        At least one point.
    pen_width : float
        Diameter of the pen in the points' units: the ink reaches half of it beyond the points.
    """
    xy = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
    low, high = xy.min(axis=0), xy.max(axis=0)
    half = pen_width / 2
    return Box(float(low[0] - half), float(low[1] - half), float(high[0] + half),
               float(high[1] + half))


def group_strokes(strokes: Sequence[Sequence[tuple[float, float]]],
                  pen_width: float = 0.0) -> list[list[int]]:
    """Group pen strokes into digits: stroke indices per digit, left to right.

    Parameters
    ----------
    strokes : sequence of strokes
        Each a sequence of ``(x, y)`` points (y downwards); empty strokes are left out.
    pen_width : float
        The pen's diameter in the points' units (the canvas draws 0.08 of its side), so a
        vertical line has the width of its ink.

    Returns
    -------
    list of list of int
        Indices into ``strokes``; one inner list per digit.
    """
    kept = [i for i, s in enumerate(strokes) if len(s)]
    groups = group_boxes([stroke_box(strokes[i], pen_width) for i in kept])
    return [[kept[j] for j in group] for group in groups]


@dataclass(frozen=True, eq=False)
class ImagePart:
    """One digit cut out of a picture.

    Attributes
    ----------
    box : Box
        Where it is in the picture, in pixels (``right``/``bottom`` exclusive).
    ink : np.ndarray, shape (h, w), float32
        Its ink (bright, background 0) with the ink of other parts removed, ``PART_MARGIN``
        pixels of margin around it: ready for ``predict_image(..., invert=False)``.
    """

    box: Box
    ink: np.ndarray


def split_wide_part(column_ink: np.ndarray, height: float) -> list[int]:
    """Columns at which to cut a part that is too wide for one digit (touching digits).

    Parameters
    ----------
    column_ink : np.ndarray, shape (w,)
        The part's ink summed down each column (its vertical projection).
    height : float
        The part's height in the same pixels.

    Returns
    -------
    list of int
        Cut columns, ascending (empty when the part is not wider than :data:`WIDE_RATIO` times
        its height). The part is cut into ``round(width / (DIGIT_ASPECT * height))`` pieces (at
        least 2), each cut at the least-inked column within a third of a digit of where an even
        split would put it, and only where that column is a valley (:data:`MAX_CUT_INK`).
    """
    column_ink = np.asarray(column_ink, dtype=np.float64)
    width = len(column_ink)
    if height <= 0 or width <= WIDE_RATIO * height:
        return []
    pieces = max(2, int(round(width / (DIGIT_ASPECT * height))))
    step = width / pieces
    inked = column_ink[column_ink > 0]
    ceiling = MAX_CUT_INK * float(np.median(inked)) if inked.size else 0.0
    cuts = []
    for k in range(1, pieces):
        low = int(max(1, k * step - step / 3))
        high = int(min(width - 1, k * step + step / 3))
        if high <= low:
            continue
        best = low + int(np.argmin(column_ink[low:high]))
        if column_ink[best] <= ceiling:
            cuts.append(best)
    return sorted(set(cuts))


def segment_image(grey: np.ndarray, *, invert: bool | None = None) -> list[ImagePart]:
    """Cut a picture of a number into its digits, left to right.

    Parameters
    ----------
    grey : np.ndarray, shape (H, W)
        A grey image as :func:`~digitlab.core.preprocess.to_mnist_style` accepts it (either
        polarity, any size).
    invert : bool or None
        As for :func:`~digitlab.core.preprocess.to_mnist_style`: ``None`` detects the polarity.

    Returns
    -------
    list of ImagePart
        One per digit; ``[]`` when the picture holds no ink.

    Raises
    ------
    DataError
        If ``grey`` is not a non-empty 2-D array of finite numbers.
    """
    ink = ink_image(grey, invert=invert)
    peak = float(ink.max())
    if peak <= 0:
        return []
    without_rules(ink, in_place=True)  # a ruled page's lines would join every digit into one
    mask = ink > INK_THRESHOLD * peak
    small, factor = downsampled_mask(mask)
    labels, count = ink_components(small)
    if count == 0:
        return []
    sizes = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    keep = np.flatnonzero(sizes >= MIN_COMPONENT_FRACTION * sizes.max()) + 1
    boxes = []
    for label in keep:
        rows, cols = np.nonzero(labels == label)
        boxes.append(Box(float(cols.min() * factor), float(rows.min() * factor),
                         float(min((cols.max() + 1) * factor, grey.shape[1])),
                         float(min((rows.max() + 1) * factor, grey.shape[0]))))
    parts: list[tuple[Box, np.ndarray]] = []
    for group in group_boxes(boxes):
        parts.append((Box.around([boxes[i] for i in group]), np.isin(labels, keep[group])))
    return [part for box, members in parts
            for part in _cut_parts(ink, box, _members_in_box(members, factor, box))]


def _members_in_box(small: np.ndarray, factor: int, box: Box) -> np.ndarray:
    """A part's reduced mask back at full resolution over its box only, grown by one block so
    anti-aliased edges stay in.

    Returns
    -------
    np.ndarray, shape (box height, box width), bool
    """
    grown = small.copy()
    grown[1:] |= small[:-1]
    grown[:-1] |= small[1:]
    grown[:, 1:] |= grown[:, :-1].copy()
    grown[:, :-1] |= grown[:, 1:].copy()
    top, left, bottom, right = int(box.top), int(box.left), int(box.bottom), int(box.right)
    r0, c0 = top // factor, left // factor
    block = grown[r0:-(-bottom // factor), c0:-(-right // factor)]
    full = np.repeat(np.repeat(block, factor, axis=0), factor, axis=1)
    return full[top - r0 * factor:bottom - r0 * factor, left - c0 * factor:right - c0 * factor]


def _cut_parts(ink: np.ndarray, box: Box, members: np.ndarray) -> list[ImagePart]:
    """The digit(s) in ``box``: its ink where ``members`` (the box's shape) is set, so other
    parts' ink is removed; split if too wide."""
    top, left = int(box.top), int(box.left)
    bottom, right = int(box.bottom), int(box.right)
    own = np.where(members, ink[top:bottom, left:right], 0.0)
    rows = np.flatnonzero(own.any(axis=1))
    if rows.size:  # the ink's real height, not the grown mask's
        top, bottom = top + int(rows[0]), top + int(rows[-1]) + 1
        own = own[rows[0]:rows[-1] + 1]
    cuts = split_wide_part(own.sum(axis=0), float(own.shape[0]))
    pieces = []
    for start, stop in zip([0, *cuts], [*cuts, own.shape[1]], strict=True):
        piece = own[:, start:stop]
        if not piece.any():
            continue
        pad = np.pad(piece, PART_MARGIN).astype(np.float32)
        pieces.append(ImagePart(Box(float(left + start), float(top), float(left + stop),
                                    float(bottom)), pad))
    return pieces
