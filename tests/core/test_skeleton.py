"""Thinning (Zhang and Suen with Lü and Wang's correction): the table-driven version matches the
papers' pixel-by-pixel rule; lines end one pixel wide (slanted runs two pixels thick stay),
connected, with their loops and their full length; and the pen path joins touching line pixels
once."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.errors import DataError
from digitlab.core.skeleton import skeleton_segments, thin


def _thin_by_the_paper(image: np.ndarray) -> np.ndarray:
    """Zhang and Suen's algorithm written out pixel by pixel, as the paper states it, with Lü
    and Wang's lower bound of 3 ink neighbours (the paper's 2 shortens slanted strokes)."""
    lines = np.pad(image.astype(bool), 1)
    while True:
        changed = False
        for first_pass in (True, False):
            peel = []
            for r in range(1, lines.shape[0] - 1):
                for c in range(1, lines.shape[1] - 1):
                    if not lines[r, c]:
                        continue
                    p = [lines[r - 1, c], lines[r - 1, c + 1], lines[r, c + 1], lines[r + 1, c + 1],
                         lines[r + 1, c], lines[r + 1, c - 1], lines[r, c - 1], lines[r - 1, c - 1]]
                    p2, _, p4, _, p6, _, p8, _ = p
                    count = sum(p)
                    changes = sum(not p[k] and p[(k + 1) % 8] for k in range(8))
                    if first_pass:
                        sides = not (p2 and p4 and p6) and not (p4 and p6 and p8)
                    else:
                        sides = not (p2 and p4 and p8) and not (p2 and p6 and p8)
                    if 3 <= count <= 6 and changes == 1 and sides:
                        peel.append((r, c))
            for r, c in peel:
                lines[r, c] = False
            changed |= bool(peel)
        if not changed:
            return lines[1:-1, 1:-1]


def _blobs(seed: int) -> np.ndarray:
    """Random thick strokes and blobs in a 28x28 image."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:28, 0:28]
    image = np.zeros((28, 28), bool)
    for _ in range(rng.integers(1, 4)):
        (r0, c0), (r1, c1) = rng.uniform(3, 25, (2, 2))
        width = rng.uniform(1.0, 3.5)
        t = np.clip(((rows - r0) * (r1 - r0) + (cols - c0) * (c1 - c0))
                    / max((r1 - r0) ** 2 + (c1 - c0) ** 2, 1e-9), 0, 1)
        image |= np.hypot(rows - r0 - t * (r1 - r0), cols - c0 - t * (c1 - c0)) < width
    return image


def test_the_table_driven_thinning_matches_the_paper():
    images = np.stack([_blobs(seed) for seed in range(25)])
    thinned = thin(images)
    for image, lines in zip(images, thinned, strict=True):
        assert np.array_equal(lines, _thin_by_the_paper(image))
    # one image at a time gives the same as the stack
    assert np.array_equal(thin(images[3]), thinned[3])


def test_a_thick_bar_becomes_a_line_one_pixel_wide():
    image = np.zeros((28, 28), bool)
    image[10:16, 4:24] = True
    lines = thin(image)
    assert lines[:, 8:20].sum(axis=0).tolist() == [1] * 12
    assert 10 <= np.flatnonzero(lines[:, 14])[0] <= 15


def test_a_ring_keeps_its_loop():
    rows, cols = np.mgrid[0:28, 0:28]
    radius = np.hypot(rows - 13.5, cols - 13.5)
    lines = thin((radius > 6) & (radius < 10))
    assert not lines[radius < 5.5].any() and not lines[radius > 10.5].any()
    # every angle still crosses the ring: the loop was not cut
    angles = np.degrees(np.arctan2(rows - 13.5, cols - 13.5))[lines]
    assert np.histogram(angles, bins=36, range=(-180, 180))[0].min() >= 1


def _slanted_stroke() -> np.ndarray:
    """A slanted stroke two pixels thick, 20 rows long, as MNIST's thin ones and sevens are."""
    image = np.zeros((28, 28), bool)
    for i in range(4, 24):
        image[i, i] = image[i, i + 1] = True
    return image


def test_a_slanted_stroke_two_pixels_thick_keeps_its_length():
    """Zhang and Suen's own rule wore this stroke down to 2 pixels (found in review)."""
    lines = thin(_slanted_stroke())
    rows = np.flatnonzero(lines.any(axis=1))
    assert rows.min() == 4 and rows.max() == 23


def test_a_big_blob_is_thinned_to_the_end():
    """A cap of 100 passes once left most of a 250x250 blob (2,499 pixels)."""
    lines = thin(np.ones((256, 256), bool))
    assert 1 <= lines.sum() <= 8


def test_the_pen_path_joins_touching_pixels_once():
    lines = np.zeros((5, 5), bool)
    lines[1, 1] = lines[1, 2] = lines[2, 2] = True  # an L: joined along the axes, not across
    lines[4, 4] = True                               # a dot
    segments, owners = skeleton_segments(lines)
    as_pairs = sorted(tuple(map(tuple, s.astype(int).tolist())) for s in segments)
    assert as_pairs == [((1, 1), (1, 2)), ((1, 2), (2, 2)), ((4, 4), (4, 4))]
    assert owners.tolist() == [0, 0, 0]
    stack_segments, stack_owners = skeleton_segments(np.stack([lines, lines]))
    assert len(stack_segments) == 6 and sorted(stack_owners.tolist()) == [0, 0, 0, 1, 1, 1]


def test_wrong_shapes_are_refused():
    with pytest.raises(DataError):
        thin(np.zeros(5, bool))
    with pytest.raises(DataError):
        skeleton_segments(np.zeros((1, 2, 3, 4), bool))
