"""Digits drawn again with an even pen: the fast drawing matches the segment-by-segment
reference, strokes come out as wide as the pen whatever the scan's width, only the chosen
images change, and the augmentation draws labelled digits only, reproducibly."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.augment import AugmentConfig, augment_batch
from digitlab.core.errors import DataError
from digitlab.core.redraw import PEN_WIDTHS, draw_segments, redraw_with_pen
from digitlab.core.skeleton import STROKE_INK, skeleton_segments, thin


def _scanned_seven(width: float) -> np.ndarray:
    """A seven whose strokes are ``width`` pixels thick, grey-edged like a scan."""
    rows, cols = np.mgrid[0:28, 0:28].astype(float)
    distance = np.minimum(np.hypot(np.clip(cols, 7, 20) - cols, rows - 6),            # the bar
                          np.abs((cols - 20) + (rows - 6) * 8 / 16) / np.hypot(1, 0.5)
                          + np.maximum(rows - 22, 0) + np.maximum(6 - rows, 0))       # the stem
    return np.clip(width / 2 + 0.5 - distance, 0, 1).astype(np.float32)


def test_the_fast_drawing_matches_the_reference():
    rng = np.random.default_rng(0)
    images = np.stack([_scanned_seven(w) for w in rng.uniform(1.5, 5.0, 12)])
    images[:3] = np.roll(images[:3], (-6, 7), axis=(1, 2))  # ink on the top and right edges
    images[3, 27, :] = 1.0                                     # a line along the bottom edge
    widths = rng.uniform(*PEN_WIDTHS, 12)
    widths[:4] = PEN_WIDTHS[1]                                 # the widest pen reaches furthest
    fast = redraw_with_pen(images, np.arange(12), widths)
    segments, owners = skeleton_segments(thin(images >= STROKE_INK))
    assert np.allclose(fast, draw_segments(segments, owners, widths, images.shape), atol=1e-6)


@pytest.mark.parametrize("scan_width", [1.5, 3.0, 5.0])
def test_strokes_come_out_as_wide_as_the_pen(scan_width):
    """Ink per unit of centre line is the pen's width, however thick the scan was."""
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 14 - int(scan_width) // 2:14 + (int(scan_width) + 1) // 2, 4:24] = 1.0
    for pen in (2.0, 3.0):
        drawn = redraw_with_pen(image, np.array([0]), np.array([pen]))[0]
        # the middle columns of the bar, away from its rounded ends
        assert drawn[:, 8:20].sum(axis=0) == pytest.approx(np.full(12, pen), abs=0.05)


def test_only_chosen_images_with_ink_change_and_the_input_is_kept():
    images = np.stack([_scanned_seven(4.0), _scanned_seven(4.0), np.zeros((28, 28), np.float32)])
    kept = images.copy()
    out = redraw_with_pen(images, np.array([1, 2]), np.array([2.5, 2.5]))
    assert np.array_equal(images, kept)
    assert np.array_equal(out[0], images[0]) and np.array_equal(out[2], images[2])
    assert not np.array_equal(out[1], images[1]) and out[1].max() == 1.0
    assert out.dtype == np.float32 and 0.0 <= out.min() and out.max() <= 1.0
    assert np.array_equal(redraw_with_pen(images, np.array([], int), np.array([])), images)


@pytest.mark.parametrize("widths", [np.array([0.0]), np.array([3.5]), np.array([np.nan]),
                                    np.array([2.0, 2.0])])
def test_impossible_pens_are_refused(widths):
    with pytest.raises(ValueError, match="pen width"):
        redraw_with_pen(_scanned_seven(3.0)[None], np.array([0]), widths)


@pytest.mark.parametrize("chosen", [np.array([False, True, True]), np.array([0.7]),
                                    np.array([3]), np.array([-1]), np.array([[0]])])
def test_chosen_must_be_indices_into_the_stack(chosen):
    """A boolean mask or a fraction was once read as indices 0 and 1 (found by a hostile test)."""
    images = np.stack([_scanned_seven(3.0)] * 3)
    with pytest.raises(ValueError, match="indices"):
        redraw_with_pen(images, chosen, np.full(chosen.shape, 2.5))


@pytest.mark.parametrize("shape", [(28, 28), (28,), (1, 1, 28, 28)])
def test_a_stack_of_images_is_needed(shape):
    with pytest.raises(DataError, match="stack of images"):
        redraw_with_pen(np.ones(shape, np.float32), np.array([0]), np.array([2.5]))


def test_augmentation_draws_labelled_digits_only_when_switched_on():
    images, labels = np.repeat(_scanned_seven(5.0)[None], 200, axis=0), np.full(200, 7)
    plain = AugmentConfig(rotation_deg=5)
    drawing = AugmentConfig(rotation_deg=5, redraw_frac=0.3)
    base = augment_batch(images, plain, np.random.default_rng(3), labels=labels)
    # switched off, or without labels (the generated non-digits): as before the setting existed
    assert np.array_equal(base, augment_batch(images, drawing, np.random.default_rng(3)))
    first = augment_batch(images, drawing, np.random.default_rng(3), labels=labels)
    assert np.array_equal(first, augment_batch(images, drawing, np.random.default_rng(3),
                                               labels=labels))
    thinner = first.sum(axis=(1, 2)) < 0.8 * base.sum(axis=(1, 2))  # 5 px scans, <= 3 px pens
    assert 0.2 < np.mean(thinner) < 0.4  # about the share asked for
    assert AugmentConfig(redraw_frac=0.1).enabled


def test_a_redrawn_slanted_stroke_is_still_a_stroke():
    """A slanted stroke two pixels thick keeps its ink when drawn again (found in review: the
    thinning wore it down to a stub)."""
    image = np.zeros((1, 28, 28), np.float32)
    for i in range(4, 24):
        image[0, i, i] = image[0, i, i + 1] = 1.0
    drawn = redraw_with_pen(image, np.array([0]), np.array([2.5]))[0]
    assert drawn.sum() >= 0.8 * image.sum()
    rows = np.flatnonzero(drawn.max(axis=1) > 0.5)
    assert rows.min() <= 4 and rows.max() >= 23


@pytest.mark.parametrize("scale", [255.0, -1.0, np.nan])
def test_redrawing_refuses_images_outside_0_1(scale):
    images = np.stack([_scanned_seven(3.0)] * 2) * scale
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        redraw_with_pen(images, np.array([1]), np.array([2.5]))


@pytest.mark.parametrize("scale", [255.0, -1.0, np.nan])
def test_the_digit_transforms_refuse_images_outside_0_1(scale):
    """0..255 images once came back with redrawn digits 255 times fainter (hostile test)."""
    images = np.stack([_scanned_seven(3.0)] * 4) * scale
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        augment_batch(images, AugmentConfig(redraw_frac=0.5), np.random.default_rng(1),
                      labels=np.full(4, 7))
    # without labels (the generated non-digits) or digit transforms, any values are warped
    augment_batch(images, AugmentConfig(redraw_frac=0.5), np.random.default_rng(1))
    augment_batch(images, AugmentConfig(rotation_deg=5), np.random.default_rng(1),
                  labels=np.full(4, 7))
