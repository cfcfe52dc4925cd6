"""Flags on ones: drawn only on images labelled 1, as a stroke down-left from the top, the same
for the same seed, and switched off without a trace in the random stream."""

from __future__ import annotations

import numpy as np

from digitlab.core.augment import AugmentConfig, augment_batch
from digitlab.core.writing_styles import add_flags_to_ones, draw_segment


def _upright_ones(n: int) -> np.ndarray:
    images = np.zeros((n, 28, 28), np.float32)
    images[:, 5:23, 13:15] = 1.0  # a plain one, two pixels wide
    return images


def test_a_segment_is_drawn_anti_aliased_and_merged_with_max():
    image = np.zeros((28, 28), np.float32)
    image[0, 0] = 0.7
    draw_segment(image, (5.0, 5.0), (15.0, 5.0), 1.0)
    assert image[5, 5:16].min() == 1.0 and image[9, 10] == 0.0
    assert 0.0 < image[6, 10] <= 1.0 and image[0, 0] == np.float32(0.7)
    assert image.max() <= 1.0


def test_only_ones_get_a_flag_to_the_left_of_their_top():
    images = np.concatenate([_upright_ones(4), _upright_ones(4)])
    labels = np.array([1, 1, 1, 1, 7, 7, 7, 7])
    out = add_flags_to_ones(images, labels, 1.0, np.random.default_rng(0))
    assert np.array_equal(out[4:], images[4:])  # not ones: untouched
    assert np.array_equal(images, np.concatenate([_upright_ones(4)] * 2))  # input not modified
    for image in out[:4]:
        added = (image > 0.3) & ~(_upright_ones(1)[0] > 0.3)
        rows, cols = np.nonzero(added)
        assert (cols[rows <= 12] < 13).any()  # a flag left of the stroke's top half
        assert ((rows <= 12) | (rows >= 20)).all()  # and at most a base at its foot
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_the_share_and_the_seed_decide_which_ones():
    images, labels = _upright_ones(200), np.ones(200, int)
    first = add_flags_to_ones(images, labels, 0.3, np.random.default_rng(5))
    again = add_flags_to_ones(images, labels, 0.3, np.random.default_rng(5))
    assert np.array_equal(first, again)
    flagged = np.mean([not np.array_equal(a, b) for a, b in zip(first, images, strict=True)])
    assert 0.2 < flagged < 0.4
    assert add_flags_to_ones(images, labels, 0.0, np.random.default_rng(5)) is images


def test_augmentation_flags_ones_only_when_switched_on_and_given_labels():
    images, labels = _upright_ones(8), np.ones(8, int)
    plain = AugmentConfig(shear_deg=10)
    flagged = AugmentConfig(shear_deg=10, one_flag_frac=1.0)
    base = augment_batch(images, plain, np.random.default_rng(1), labels=labels)
    # switched off, the random stream and the result are as before the setting existed
    assert np.array_equal(base, augment_batch(images, plain, np.random.default_rng(1)))
    with_flags = augment_batch(images, flagged, np.random.default_rng(1), labels=labels)
    assert with_flags.sum() > base.sum()
    without_labels = augment_batch(images, flagged, np.random.default_rng(1))
    assert np.array_equal(without_labels, base)
