"""Elastic distortion, stroke-width variation and the generated non-digits of outlier exposure."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.augment import AugmentConfig, augment_batch, warp_affine_batch
from digitlab.core.distort import elastic_displacements, gaussian_matrix, vary_stroke_width
from digitlab.core.negatives import KINDS, negative_images
from digitlab.core.outlier_exposure import NegativeBank


def _digits(n: int = 8) -> np.ndarray:
    """Bars and crosses in 28x28, ink 1."""
    images = np.zeros((n, 28, 28), np.float32)
    images[:, 6:22, 12:15] = 1.0
    images[::2, 12:15, 6:22] = 1.0
    return images


def test_gaussian_matrix_smooths_with_unit_weight_inside():
    """Each interior row of the smoothing matrix sums to 1 and peaks on the diagonal."""
    g = gaussian_matrix(60, 4.0)  # the kernel reaches 16 samples: row 30 is interior
    assert g[30].sum() == pytest.approx(1.0, abs=1e-5)
    assert int(np.argmax(g[30])) == 30
    assert g[0].sum() < 0.6  # zero outside the image: the edge rows lose weight


def test_elastic_fields_are_smooth_scaled_by_alpha_and_reproducible():
    """Fields scale linearly with alpha, neighbours move alike, and a seed gives the same field."""
    a = elastic_displacements(4, (28, 28), 10.0, 4.0, np.random.default_rng(3))
    b = elastic_displacements(4, (28, 28), 20.0, 4.0, np.random.default_rng(3))
    np.testing.assert_allclose(b, 2 * a, rtol=1e-5)
    assert a.shape == (4, 2, 28, 28)
    # Smooth: neighbouring pixels differ far less than the field varies overall.
    assert np.abs(np.diff(a, axis=-1)).mean() < 0.3 * a.std()


def test_elastic_distortion_moves_ink_and_zero_displacement_changes_nothing():
    """A zero field with the identity map is a copy; a real field moves the ink around."""
    images = _digits(4)
    identity = np.tile(np.array([[1.0, 0, 0], [0, 1.0, 0]]), (4, 1, 1))
    still = warp_affine_batch(images, identity, displacement=np.zeros((4, 2, 28, 28), np.float32))
    np.testing.assert_allclose(still, images, atol=1e-6)
    bent = augment_batch(images, AugmentConfig(elastic_alpha=34, elastic_sigma=4),
                         np.random.default_rng(0))
    assert np.abs(bent - images).mean() > 0.01
    assert bent.sum() == pytest.approx(images.sum(), rel=0.25)  # bent, not erased


def test_new_augmentations_are_reproducible_from_the_seed():
    """The same seed gives bit-identical batches with elastic and stroke width on."""
    config = AugmentConfig(rotation_deg=10, elastic_alpha=30, elastic_sigma=5, stroke_width=1)
    first = augment_batch(_digits(), config, np.random.default_rng(42))
    again = augment_batch(_digits(), config, np.random.default_rng(42))
    other = augment_batch(_digits(), config, np.random.default_rng(43))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_stroke_width_varies_per_sample():
    """Positive amounts add ink, negative remove it, zero keeps the image, each per sample."""
    images = _digits(3)
    out = vary_stroke_width(images, np.array([1.0, 0.0, -1.0]))
    assert out[0].sum() > images[0].sum()
    np.testing.assert_array_equal(out[1], images[1])
    assert out[2].sum() < images[2].sum()
    half = vary_stroke_width(images[:1], np.array([0.5]))
    assert images[0].sum() < half.sum() < out[0].sum()


def test_stroke_width_refuses_more_than_two_pixels():
    with pytest.raises(ValueError, match="stroke width"):
        vary_stroke_width(_digits(1), np.array([2.5]))


def test_negative_images_cover_every_kind_in_mnist_style():
    """One image per kind, 28x28 in [0, 1] with ink, the same for the same seed."""
    images = negative_images(len(KINDS), np.random.default_rng(1))
    assert images.shape == (len(KINDS), 28, 28)
    assert images.min() >= 0 and images.max() <= 1
    assert (images.reshape(len(KINDS), -1).max(axis=1) > 0.5).all()
    np.testing.assert_array_equal(images, negative_images(len(KINDS), np.random.default_rng(1)))


def test_outlier_exposure_appends_non_digits_with_uniform_targets():
    """A batch of 10 with fraction 0.3 gets 3 non-digits whose targets are all 1/10."""
    bank = NegativeBank(np.random.SeedSequence(0), 0.3, size=9)
    x = np.zeros((10, 784), np.float32)
    labels = np.arange(10)
    extended, targets = bank.extend(x, labels, 10, np.random.default_rng(0),
                                    lambda unit: unit.reshape(len(unit), -1))
    assert extended.shape == (13, 784) and targets.shape == (13, 10)
    np.testing.assert_array_equal(targets[:10], np.eye(10))
    np.testing.assert_allclose(targets[10:], 0.1)
    assert extended[10:].any()


def test_new_augmentations_are_flags_and_survive_the_model_file(tmp_path, constant_model):
    """`digitlab train` has a flag per new setting, and a saved configuration keeps them."""
    import argparse

    from digitlab.cli import train as train_command
    from digitlab.core.presets import get_preset
    from digitlab.core.serialization import load_model, save_model

    parser = argparse.ArgumentParser()
    train_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["train", "--elastic-alpha", "30", "--elastic-sigma", "5",
                              "--stroke-width", "1", "--negatives-frac", "0.2"])
    config = train_command.build_config(args, get_preset("mlp"))
    assert (config.augment.elastic_alpha, config.augment.elastic_sigma,
            config.augment.stroke_width, config.augment.negatives_frac) == (30, 5, 1, 0.2)
    model = constant_model()
    model.config = config.replace(network=config.network.from_dict(model.network.get_config()))
    loaded = load_model(save_model(tmp_path / "m.npz", model))
    assert loaded.config.augment == config.augment


def test_a_short_run_draws_a_small_bank_and_a_real_run_the_full_one():
    """A 60-step fine-tune does not wait for 1,500 non-digits it would never use."""
    from digitlab.core.outlier_exposure import BANK_SIZE, bank_size

    assert bank_size(16_880 * 26) == BANK_SIZE
    assert 64 <= bank_size(60 * 26) < BANK_SIZE // 4
    assert bank_size(0) == 64
