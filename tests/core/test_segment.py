"""Splitting a written number into digits: strokes and pictures (core.segment)."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.errors import DataError
from digitlab.core.segment import (
    Box,
    group_boxes,
    group_strokes,
    ink_components,
    segment_image,
    split_wide_part,
)

#: The canvas pen's diameter in canvas coordinates (draw_canvas.DEFAULT_PEN_WIDTH).
PEN = 0.08


def digit_count(strokes) -> int:
    return len(group_strokes(strokes, PEN))


@pytest.mark.parametrize("text", ["2026", "17", "11", "4", "5", "7", "01234", "56789", "747", "45"])
def test_a_written_number_splits_into_its_digits(number_strokes, text):
    """Each digit of a number written side by side is one group, even when drawn in two strokes."""
    height = min(0.3, 0.85 / (len(text) * 0.85))
    strokes = number_strokes(text, left=0.05, height=height)
    groups = group_strokes(strokes, PEN)
    assert len(groups) == len(text)
    # The strokes of each group are those of one digit, in writing order.
    per_digit = [len(number_strokes(c)) for c in text]
    expected, start = [], 0
    for n in per_digit:
        expected.append(list(range(start, start + n)))
        start += n
    assert groups == expected


@pytest.mark.parametrize("digit", list("0123456789"))
def test_every_digit_alone_is_one_group(number_strokes, digit):
    """A single digit, large or small, is never split (the 4, 5 and 7 have two strokes)."""
    for height in (0.15, 0.6):
        assert digit_count(number_strokes(digit, left=0.2, top=0.2, height=height)) == 1


def test_strokes_written_out_of_order_are_grouped_left_to_right(number_strokes):
    """A 7's crossbar added after the next digit still joins its 7; digits come out left to right."""
    strokes = number_strokes("71")
    reordered = [strokes[2], strokes[0], strokes[1]]  # the 1 first, then the 7's two strokes
    assert group_strokes(reordered, PEN) == [[1, 2], [0]]


def test_a_detached_short_stroke_joins_its_neighbour_rather_than_count_as_a_digit():
    """A 5's flag drawn a little to the right of the body (little overlap) is not a digit of its own."""
    body = [(0.30, 0.40), (0.28, 0.55), (0.40, 0.55), (0.45, 0.65), (0.40, 0.70), (0.28, 0.68)]
    flag = [(0.44, 0.40), (0.62, 0.38)]
    assert group_strokes([body, flag], PEN) == [[0, 1]]


def test_empty_strokes_are_left_out():
    """Empty strokes (a click with no movement is not recorded as such) never make a digit."""
    assert group_strokes([], PEN) == []
    assert group_strokes([[], [(0.5, 0.2), (0.5, 0.8)], []], PEN) == [[1]]


def test_group_boxes_merges_by_overlap_of_the_narrower_box():
    """Boxes merge when they overlap by MIN_OVERLAP of the narrower; a slight overlap does not."""
    wide, slim_inside = Box(0, 0, 10, 10), Box(6, 0, 7, 10)
    touching_edge = Box(9.5, 0, 19.5, 10)  # overlaps 0.5 of 10: separate digits
    assert group_boxes([wide, slim_inside]) == [[0, 1]]
    assert group_boxes([touching_edge, wide]) == [[1], [0]]


def test_a_slanted_one_broken_in_the_middle_stays_one_digit():
    """A pen that skipped halfway down a slanted 1 leaves two pieces that barely overlap across
    (under MIN_OVERLAP of the narrower) but sit one above the other: one digit, not "11"."""
    top = [(0.64, 0.20), (0.57, 0.48)]
    bottom = [(0.54, 0.55), (0.46, 0.82)]
    top_box, bottom_box = Box(0.58, 0.16, 0.66, 0.52), Box(0.50, 0.51, 0.59, 0.86)
    assert group_boxes([top_box, bottom_box], min_overlap=1.0) == [[0, 1]]  # the stacking rule alone
    # the strokes' boxes overlap across by a third of their width: only the stacking joins them
    assert group_strokes([top, bottom], PEN) == [[0, 1]]


def test_stacked_parts_must_touch_across_and_share_little_height():
    """Parts side by side (a number) or stacked with space between them across stay apart; parts
    stacked and touching across merge."""
    left = Box(0.10, 0.20, 0.30, 0.80)
    assert group_boxes([left, Box(0.35, 0.25, 0.55, 0.85)]) == [[0], [1]]  # side by side
    assert group_boxes([left, Box(0.31, 0.00, 0.50, 0.30)]) == [[0], [1]]  # above, but apart across
    assert group_boxes([left, Box(0.29, 0.00, 0.50, 0.30)]) == [[0, 1]]  # above, touching
    # sharing half the shorter's height or more is side by side, not stacked
    assert group_boxes([left, Box(0.29, 0.40, 0.50, 0.80)]) == [[0], [1]]


def _reference_components(mask: np.ndarray) -> int:
    """Count 8-connected components by flood fill (a slow, obvious oracle)."""
    seen = np.zeros_like(mask)
    count = 0
    for start in zip(*np.nonzero(mask), strict=True):
        if seen[start]:
            continue
        count += 1
        stack = [start]
        seen[start] = True
        while stack:
            r, c = stack.pop()
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if (0 <= rr < mask.shape[0] and 0 <= cc < mask.shape[1] and mask[rr, cc]
                            and not seen[rr, cc]):
                        seen[rr, cc] = True
                        stack.append((rr, cc))
    return count


@pytest.mark.parametrize("seed", range(5))
def test_ink_components_match_a_flood_fill(seed):
    """Run-based labelling finds the same 8-connected components as a flood fill, each one label."""
    mask = np.random.default_rng(seed).random((30, 40)) < 0.35
    labels, n = ink_components(mask)
    assert n == _reference_components(mask)
    assert ((labels > 0) == mask).all()
    # Pixels that touch (8-neighbours) always carry the same label.
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        a = labels[max(0, -dr):labels.shape[0] - max(0, dr), max(0, -dc):labels.shape[1] - max(0, dc)]
        b = labels[max(0, dr):, max(0, dc):][:a.shape[0], :a.shape[1]]
        both = (a > 0) & (b > 0)
        assert (a[both] == b[both]).all()


def paint(strokes, shape=(80, 240), width=4.0) -> np.ndarray:
    """Dark strokes (pixel coordinates x, y) on white paper, as a uint8 photo of a note."""
    rows, cols = np.mgrid[0:shape[0], 0:shape[1]]
    ink = np.zeros(shape, dtype=bool)
    for stroke in strokes:
        for (ax, ay), (bx, by) in zip(stroke[:-1], stroke[1:], strict=True):
            d = np.array([bx - ax, by - ay], float)
            t = np.clip(((cols - ax) * d[0] + (rows - ay) * d[1]) / max(d @ d, 1e-9), 0, 1)
            ink |= np.hypot(cols - ax - t * d[0], rows - ay - t * d[1]) <= width / 2
    return np.where(ink, 20, 235).astype(np.uint8)


def picture_of(number_strokes, text: str, gap: float = 0.25) -> np.ndarray:
    """A photo-like picture of ``text`` written with the canvas templates, 60 px high digits."""
    strokes = number_strokes(text, left=0.0, top=0.0, height=1.0, gap=gap)
    placed = [[(12 + 60 * x, 10 + 60 * y) for x, y in s] for s in strokes]
    return paint(placed, shape=(80, 24 + int(60 * len(text) * (0.6 + gap))))


@pytest.mark.parametrize("text", ["2026", "17", "4", "7", "5", "905"])
def test_a_picture_of_a_number_splits_into_its_digits(number_strokes, text):
    """Connected ink grouped by horizontal overlap: one part per digit, left to right, boxes
    inside the picture; a crossed 7 or a 5 whose flag is cut off stays one digit."""
    picture = picture_of(number_strokes, text)
    parts = segment_image(picture)
    assert len(parts) == len(text)
    lefts = [p.box.left for p in parts]
    assert lefts == sorted(lefts)
    for part in parts:
        assert 0 <= part.box.left < part.box.right <= picture.shape[1]
        assert part.ink.dtype == np.float32 and part.ink.max() > 0.5
        assert part.ink[0].max() == 0 and part.ink[:, -1].max() == 0  # a clean margin


def test_a_number_on_a_ruled_page_splits_into_its_digits(number_strokes):
    """The page's lines would join every digit into one part; they are taken out first
    (core.preprocess.without_rules), the digits' own ink where it crosses a line kept."""
    written = picture_of(number_strokes, "2026")
    page = np.full((written.shape[0] + 80, written.shape[1] + 80), 235, np.uint8)
    page[40:-40, 40:-40] = written
    for row in (20, 70, 128):  # one line under the number, one through it
        page[row:row + 2][page[row:row + 2] > 200] = 140
    parts = segment_image(page)
    assert len(parts) == 4
    assert [p.box.left for p in parts] == sorted(p.box.left for p in parts)
    plain = segment_image(written)
    assert [round(p.box.height) for p in parts] == [round(p.box.height) for p in plain]


def test_a_part_holds_only_its_own_ink(number_strokes):
    """A digit's cut-out never carries ink of its neighbour, even where their boxes come close."""
    picture = picture_of(number_strokes, "11", gap=0.05)
    left, right = segment_image(picture)
    assert left.box.right <= right.box.left + 1
    # The left 1 is one vertical bar with a flag: its cut-out has one connected component.
    assert ink_components(left.ink > 0.3)[1] == 1


def test_a_blank_picture_has_no_parts():
    """No ink, no digits; an unreadable array is one DataError."""
    assert segment_image(np.full((40, 60), 200, np.uint8)) == []
    with pytest.raises(DataError):
        segment_image(np.zeros((3, 3, 3)))


def test_touching_digits_are_cut_at_their_thin_join(number_strokes):
    """Two zeros joined by a thin line are one component, cut where the ink is thinnest."""
    picture = picture_of(number_strokes, "00", gap=0.15)
    joined = picture.copy()
    joined[38:41, 40:60] = 20  # a 3 px bridge between the two rings
    parts = segment_image(joined)
    assert len(parts) == 2
    assert 40 <= parts[0].box.right <= 60


def test_split_wide_part_leaves_a_digit_alone_and_cuts_a_valley():
    """A part no wider than a digit is never cut; a wide one is cut at its inkless middle."""
    assert split_wide_part(np.ones(30), height=40.0) == []
    ink = np.r_[np.full(25, 10.0), [1.0], np.full(25, 10.0)]
    assert split_wide_part(ink, height=30.0) == [25]
    assert split_wide_part(np.full(51, 10.0), height=30.0) == []  # a wide blob with no valley


def test_a_big_photo_is_segmented_at_reduced_resolution(number_strokes):
    """A picture larger than LABEL_SIDE is labelled on a reduced copy; boxes are in full pixels."""
    picture = np.kron(picture_of(number_strokes, "27"), np.ones((6, 6), np.uint8))
    parts = segment_image(picture)
    assert len(parts) == 2
    assert parts[1].box.right > 400 and parts[1].box.right <= picture.shape[1]
