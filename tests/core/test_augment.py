"""Tests for batch augmentation (digitlab.core.augment)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from digitlab.core.augment import (
    AugmentConfig,
    affine_matrices,
    augment_batch,
    sample_affine_matrices,
    warp_affine_batch,
)
from digitlab.core.errors import ConfigError

FULL = AugmentConfig(rotation_deg=15, shift_frac=0.1, zoom_frac=0.1)


def _batch(n: int = 8, shape: tuple[int, int] = (28, 28), seed: int = 0) -> np.ndarray:
    """Random float32 images with a bright blob in the middle."""
    rng = np.random.default_rng(seed)
    images = rng.random((n, *shape), dtype=np.float32) * 0.2
    rows, cols = shape
    images[:, rows // 4 : 3 * rows // 4, cols // 3 : 2 * cols // 3] += 0.8
    return images


def _blob_batch(n: int, size: int = 28) -> np.ndarray:
    """Smooth Gaussian blobs at the centre, zero near the border."""
    grid = np.arange(size) - (size - 1) / 2
    blob = np.exp(-(grid[:, None] ** 2 + grid[None, :] ** 2) / (2 * 2.5**2))
    return np.repeat(blob[None].astype(np.float32), n, axis=0)


def _centres(images: np.ndarray) -> np.ndarray:
    """Centres of mass, shape (N, 2), in pixel coordinates."""
    images = images.astype(np.float64)
    mass = images.sum(axis=(1, 2))
    rows = images.sum(axis=2) @ np.arange(images.shape[1]) / mass
    cols = images.sum(axis=1) @ np.arange(images.shape[2]) / mass
    return np.stack([rows, cols], axis=1)


def test_zero_config_is_exact_identity():
    """With augmentation off the output equals the input exactly, as a new float32 array."""
    images = _batch()
    out = augment_batch(images, AugmentConfig(), np.random.default_rng(0))
    assert out is not images and out.dtype == np.float32
    np.testing.assert_array_equal(out, images)
    assert not AugmentConfig().enabled


def test_rotation_by_90_matches_rot90():
    """A +90 degree warp of an asymmetric image equals np.rot90, and -90 its inverse."""
    images = np.random.default_rng(3).random((2, 28, 28), dtype=np.float32)
    matrices = affine_matrices((28, 28), [90.0, -90.0], [1.0, 1.0], [[0, 0], [0, 0]])
    out = warp_affine_batch(images, matrices)
    np.testing.assert_allclose(out[0], np.rot90(images[0]), atol=1e-4)
    np.testing.assert_allclose(out[1], np.rot90(images[1], -1), atol=1e-4)


def test_integer_shift_moves_pixels_and_fills_zeros():
    """Shifting by (2, -3) px moves the image and fills the uncovered border with zeros."""
    images = np.random.default_rng(4).random((1, 20, 31), dtype=np.float32) + 1.0
    out = warp_affine_batch(images, affine_matrices((20, 31), [0.0], [1.0], [[2.0, -3.0]]))
    np.testing.assert_allclose(out[0, 2:, :-3], images[0, :-2, 3:], atol=1e-6)
    assert not out[0, :2].any() and not out[0, :, -3:].any()


def test_fractional_shift_moves_centre_of_mass_exactly():
    """A sub-pixel shift moves the centre of mass by exactly that amount (bilinear)."""
    images = _blob_batch(3)
    shifts = np.array([[0.25, -1.5], [3.7, 0.0], [-2.2, 2.9]])
    out = warp_affine_batch(images, affine_matrices((28, 28), np.zeros(3), np.ones(3), shifts))
    np.testing.assert_allclose(_centres(out) - _centres(images), shifts, atol=1e-3)


def test_random_shift_moves_centre_of_mass_by_drawn_amount():
    """With shift only, each sample's centre moves by its drawn shift, within the range."""
    images = _blob_batch(64)
    config = AugmentConfig(shift_frac=0.15)
    out = augment_batch(images, config, np.random.default_rng(7))
    matrices = sample_affine_matrices(64, (28, 28), config, np.random.default_rng(7))
    # Pure translation: source = output + M[:, :, 2], so the content moves by -M[:, :, 2].
    expected = -matrices[:, :, 2]
    moved = _centres(out) - _centres(images)
    np.testing.assert_allclose(moved, expected, atol=1e-3)
    assert np.abs(moved).max() <= 0.15 * 28 + 1e-3
    assert np.abs(moved).max() > 1.0  # the shifts really vary


def test_zoom_scales_area():
    """Zooming a centred blob by 1.5 multiplies its mass by about 1.5 squared."""
    images = _blob_batch(1)
    out = warp_affine_batch(images, affine_matrices((28, 28), [0.0], [1.5], [[0.0, 0.0]]))
    assert out.sum() / images.sum() == pytest.approx(2.25, rel=0.01)


def test_rotation_and_zoom_keep_the_centre_fixed():
    """Random rotation and zoom of a centred blob leave its centre of mass in place."""
    images = _blob_batch(16)
    out = augment_batch(images, AugmentConfig(rotation_deg=180, zoom_frac=0.3),
                        np.random.default_rng(1))
    np.testing.assert_allclose(_centres(out), 13.5, atol=1e-3)


def test_augment_is_warp_of_sampled_matrices():
    """augment_batch equals warping with sample_affine_matrices drawn from the same seed."""
    images = _batch(5)
    out = augment_batch(images, FULL, np.random.default_rng(11))
    matrices = sample_affine_matrices(5, (28, 28), FULL, np.random.default_rng(11))
    np.testing.assert_array_equal(out, warp_affine_batch(images, matrices))


def test_same_seed_reproduces_and_different_seeds_differ():
    """The same seed gives bit-identical output; another seed gives different output."""
    images = _batch(16)
    first = augment_batch(images, FULL, np.random.default_rng(5))
    again = augment_batch(images, FULL, np.random.default_rng(5))
    other = augment_batch(images, FULL, np.random.default_rng(6))
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    # Each sample gets its own transform, not one for the whole batch.
    same = np.repeat(images[:1], 16, axis=0)
    varied = augment_batch(same, FULL, np.random.default_rng(5))
    assert not np.allclose(varied[0], varied[1])


def test_input_is_never_modified():
    """augment_batch leaves its input untouched and accepts read-only arrays."""
    images = _batch(6)
    before = images.copy()
    images.flags.writeable = False
    augment_batch(images, FULL, np.random.default_rng(0))
    augment_batch(images, AugmentConfig(), np.random.default_rng(0))
    np.testing.assert_array_equal(images, before)


def test_output_dtype_and_shape_for_any_input():
    """float64, integer and non-square batches of any size give float32 of the same shape."""
    for images in [_batch(3).astype(np.float64), (_batch(2) * 100).astype(np.int16),
                   _batch(4, (20, 31)), _batch(1), _batch(0)]:
        out = augment_batch(images, FULL, np.random.default_rng(0))
        assert out.dtype == np.float32 and out.shape == images.shape
        assert np.isfinite(out).all()


def test_out_argument():
    """Passing out= writes the same result there and returns it; bad out arrays are refused."""
    images = _batch(4)
    expected = augment_batch(images, FULL, np.random.default_rng(2))
    out = np.full(images.shape, np.nan, np.float32)
    result = augment_batch(images, FULL, np.random.default_rng(2), out=out)
    assert result is out
    np.testing.assert_array_equal(out, expected)
    with pytest.raises(ValueError):
        augment_batch(images, FULL, np.random.default_rng(2), out=images)
    with pytest.raises(ValueError):
        augment_batch(images, FULL, np.random.default_rng(2), out=np.empty((4, 28, 28)))


def test_shape_changes_between_calls():
    """Alternating batch shapes (e.g. the short last batch) give consistent results."""
    big, small = _batch(8), _batch(3, seed=1)
    ref = augment_batch(small, FULL, np.random.default_rng(9))
    augment_batch(big, FULL, np.random.default_rng(9))
    np.testing.assert_array_equal(augment_batch(small, FULL, np.random.default_rng(9)), ref)


def test_non_batch_input_is_rejected():
    """A single 2-D image is refused with a ValueError naming the expected shape."""
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        augment_batch(np.zeros((28, 28), np.float32), FULL, np.random.default_rng(0))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rotation_deg", -1.0),
        ("rotation_deg", 181.0),
        ("rotation_deg", math.nan),
        ("rotation_deg", "10"),
        ("shift_frac", 0.5),
        ("shift_frac", -0.1),
        ("zoom_frac", 0.9),
        ("zoom_frac", -0.01),
        ("zoom_frac", True),
    ],
)
def test_invalid_config_raises_config_error(field, value):
    """Out-of-range or non-numeric settings raise ConfigError quoting the bad value."""
    with pytest.raises(ConfigError, match=field) as info:
        AugmentConfig(**{field: value})
    assert repr(value) in str(info.value)


def test_config_round_trip_and_enabled():
    """to_dict/from_dict round-trip; unknown keys fail; enabled reflects any non-zero range."""
    config = AugmentConfig(rotation_deg=10, shift_frac=0.1, zoom_frac=0.05)
    assert AugmentConfig.from_dict(config.to_dict()) == config
    assert config.to_dict() == {"rotation_deg": 10.0, "shift_frac": 0.1, "zoom_frac": 0.05,
                                "shear_deg": 0.0, "aspect_frac": 0.0, "elastic_alpha": 0.0,
                                "elastic_sigma": 4.0, "stroke_width": 0.0, "one_flag_frac": 0.0,
                                "stretch_frac": 0.0, "redraw_frac": 0.0,
                                "negatives_frac": 0.0}
    assert AugmentConfig.from_dict({}) == AugmentConfig()
    assert AugmentConfig(elastic_alpha=8).enabled and AugmentConfig(stroke_width=0.5).enabled
    # The smoothness alone transforms nothing, nor do the added non-digit images.
    assert not AugmentConfig(elastic_sigma=6).enabled
    assert not AugmentConfig(negatives_frac=0.2).enabled
    assert config.enabled and AugmentConfig(zoom_frac=0.1).enabled
    assert AugmentConfig(shear_deg=5).enabled and AugmentConfig(aspect_frac=0.1).enabled
    assert AugmentConfig(one_flag_frac=0.3).enabled
    assert not AugmentConfig().enabled
    with pytest.raises(ConfigError, match="rotation"):
        AugmentConfig.from_dict({"rotation": 10})


def _vertical_bar() -> np.ndarray:
    image = np.zeros((1, 29, 29), np.float32)
    image[0, 4:25, 13:16] = 1.0
    return image


def _ink_columns(row: np.ndarray) -> float:
    cols = np.arange(row.shape[0])
    return float((row * cols).sum() / row.sum())


def test_positive_shear_leans_the_top_to_the_right():
    """A slant of +20 degrees moves the top of a vertical bar right and its bottom left."""
    matrices = affine_matrices((29, 29), np.zeros(1), np.ones(1), np.zeros((1, 2)), shear_deg=20.0)
    out = warp_affine_batch(_vertical_bar(), matrices)[0]
    top, bottom = _ink_columns(out[6]), _ink_columns(out[22])
    expected = math.tan(math.radians(20)) * 16  # rows 6 and 22 are 16 apart
    assert top > 14 > bottom
    assert top - bottom == pytest.approx(expected, abs=0.3)


def test_aspect_scales_width_only():
    """An aspect of 2 doubles a bar's width and keeps its height."""
    matrices = affine_matrices((29, 29), np.zeros(1), np.ones(1), np.zeros((1, 2)), aspect=2.0)
    out = warp_affine_batch(_vertical_bar(), matrices)[0]
    before = _vertical_bar()[0]
    assert out.sum(axis=0).astype(bool).sum() >= 2 * before.sum(axis=0).astype(bool).sum() - 1
    assert out.sum(axis=1).astype(bool).sum() == before.sum(axis=1).astype(bool).sum()
    assert out.sum() == pytest.approx(2 * before.sum(), rel=0.02)
