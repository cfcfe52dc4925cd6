"""Digits stretched to fill their box: the ink fills BOX x BOX in the middle after the chosen
map, a thin stroke stops at MAX_STRETCH, only labelled digits are stretched, and the setting
leaves the random stream alone when it is off."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.augment import AugmentConfig, affine_matrices, augment_batch, warp_affine_batch
from digitlab.core.box_stretch import BOX, MAX_STRETCH, stretch_to_box


def _identity(n: int) -> np.ndarray:
    return affine_matrices((28, 28), np.zeros(n), np.ones(n), np.zeros((n, 2)))


def _extent(image: np.ndarray) -> tuple[int, int, float, float]:
    """Ink height, width and the middle of its box (row, col)."""
    rows = np.flatnonzero((image > 0.3).any(axis=1))
    cols = np.flatnonzero((image > 0.3).any(axis=0))
    return (rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1,
            (rows[0] + rows[-1]) / 2, (cols[0] + cols[-1]) / 2)


def _seven() -> np.ndarray:
    """A narrow seven, 16 px tall and 6 px wide, off centre."""
    image = np.zeros((28, 28), np.float32)
    image[3, 2:8] = 1.0
    for row in range(3, 19):
        image[row, 7 - (row - 3) * 5 // 15] = 1.0
    return image


def test_the_ink_fills_the_box_in_the_middle():
    images = _seven()[None]
    out = warp_affine_batch(images, stretch_to_box(images, _identity(1), np.array([0])))[0]
    height, width, middle_row, middle_col = _extent(out)
    assert abs(height - BOX) <= 2.5 and abs(width - BOX) <= 2.5
    assert middle_row == pytest.approx(13.5, abs=1) and middle_col == pytest.approx(13.5, abs=1)


def test_a_hairline_is_stretched_at_most_max_stretch_times():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 4:24, 14] = 1.0  # one pixel wide
    out = warp_affine_batch(image, stretch_to_box(image, _identity(1), np.array([0])))[0]
    height, width, _, _ = _extent(out)
    assert abs(height - BOX) <= 2.5
    assert MAX_STRETCH - 1 <= width <= 1.5 * MAX_STRETCH < BOX


def test_the_stretch_follows_the_augmentation_map():
    """A wide bar turned upright by a 90 degree rotation is measured where it lands."""
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 12:16, 6:22] = 1.0  # 4 tall, 16 wide
    turned = affine_matrices((28, 28), np.array([90.0]), np.ones(1), np.zeros((1, 2)))
    out = warp_affine_batch(image, stretch_to_box(image, turned, np.array([0])))[0]
    height, width, _, _ = _extent(out)
    assert abs(height - BOX) <= 2.5 and abs(width - BOX) <= 2.5


def test_only_the_chosen_images_with_ink_change_and_the_input_is_kept():
    images = np.stack([_seven(), _seven(), np.zeros((28, 28), np.float32)])
    matrices = _identity(3)
    kept = matrices.copy()
    stretched = stretch_to_box(images, matrices, np.array([1, 2]))
    assert np.array_equal(matrices, kept)
    assert np.array_equal(stretched[0], kept[0]) and np.array_equal(stretched[2], kept[2])
    assert not np.array_equal(stretched[1], kept[1])


def test_augmentation_stretches_labelled_digits_only_when_switched_on():
    images, labels = np.repeat(_seven()[None], 200, axis=0), np.full(200, 7)
    plain = AugmentConfig(rotation_deg=5)
    stretching = AugmentConfig(rotation_deg=5, stretch_frac=0.4)
    base = augment_batch(images, plain, np.random.default_rng(3), labels=labels)
    # switched off, or without labels (the generated non-digits): as before the setting existed
    assert np.array_equal(base, augment_batch(images, plain, np.random.default_rng(3)))
    assert np.array_equal(base, augment_batch(images, stretching, np.random.default_rng(3)))
    first = augment_batch(images, stretching, np.random.default_rng(3), labels=labels)
    assert np.array_equal(first, augment_batch(images, stretching, np.random.default_rng(3),
                                               labels=labels))
    widths = np.array([_extent(image)[1] for image in first])
    assert 0.3 < np.mean(widths >= BOX - 1) < 0.5  # about the share asked for
    assert AugmentConfig(stretch_frac=0.1).enabled
