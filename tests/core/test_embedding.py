"""PCA and t-SNE (core.embedding) and the points map's stages (core.points_map)."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.embedding import EXACT_SVD_MAX_FEATURES, pca, perplexity_affinities, tsne
from digitlab.core.errors import Cancelled, ConfigError
from digitlab.core.inputs import InputTransform
from digitlab.core.network import Network
from digitlab.core.points_map import choose_digits, embed, map_features
from digitlab.core.serialization import SavedModel


def blobs(n_per: int = 40, dims: int = 20, centres: int = 3, spread: float = 10.0, seed: int = 0):
    """``centres`` tight Gaussian clusters far apart in ``dims`` dimensions, and their labels."""
    rng = np.random.default_rng(seed)
    means = rng.normal(0, spread, (centres, dims))
    labels = np.repeat(np.arange(centres), n_per)
    return means[labels] + rng.normal(0, 1, (labels.size, dims)), labels


def nearest_neighbour_agreement(xy: np.ndarray, labels: np.ndarray) -> float:
    d = ((xy[:, None] - xy[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    return float(np.mean(labels[np.argmin(d, axis=1)] == labels))


def test_pca_matches_the_svd_projection():
    """The coordinates are the centred data on the top right-singular vectors, up to each sign."""
    x = np.random.default_rng(1).normal(size=(60, 8)) @ np.diag([5, 4, 3, 2, 1, 1, 1, 1])
    centred = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    expected = centred @ vt[:3].T
    got = pca(x, 3)
    assert got.shape == (60, 3)
    for c in range(3):
        assert np.allclose(np.abs(got[:, c]), np.abs(expected[:, c]))
    assert np.all(np.diff(got.var(axis=0)) <= 0)  # largest spread first


def test_wide_pca_uses_a_randomized_svd_that_agrees_with_the_exact_one():
    """Above the exact-SVD width (conv outputs), the top components are still the exact ones."""
    rng = np.random.default_rng(2)
    scales = np.exp(-np.arange(EXACT_SVD_MAX_FEATURES + 100) / 20)  # a decaying spectrum
    x = rng.normal(size=(150, 30)) @ rng.normal(size=(30, scales.size)) * scales
    centred = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    expected = np.abs(centred @ vt[:2].T)
    assert np.allclose(np.abs(pca(x, 2)), expected, rtol=0, atol=1e-3 * expected.max())
    # float32 layer outputs stay float32 (half the memory) and give the same map
    assert np.allclose(np.abs(pca(x.astype(np.float32), 2)), expected, rtol=0, atol=1e-3 * expected.max())


def test_pca_signs_are_fixed_so_the_same_data_gives_the_same_map():
    x, _ = blobs()
    assert np.array_equal(pca(x), pca(x.copy()))
    assert np.allclose(pca(-x), -pca(x))  # the same axes: a mirrored input maps mirrored


def test_perplexity_affinities_are_a_symmetric_distribution_with_the_asked_perplexity():
    x, _ = blobs()
    rows, cols, p = perplexity_affinities(x, perplexity=10)
    dense = np.zeros((x.shape[0],) * 2)
    dense[rows, cols] = p
    assert np.allclose(dense, dense.T) and np.isclose(dense.sum(), 1.0)
    assert np.all(np.diag(dense) == 0) and np.all(p > 0)


def test_tsne_keeps_separated_clusters_separated():
    """Three far-apart clusters: every point's nearest map neighbour is of its own cluster, and
    the clusters lie farther apart than their own width."""
    x, labels = blobs()
    xy = tsne(x, perplexity=10, iterations=300)
    assert xy.shape == (labels.size, 2) and np.all(np.isfinite(xy))
    assert nearest_neighbour_agreement(xy, labels) == 1.0
    centres = np.array([xy[labels == c].mean(axis=0) for c in range(3)])
    width = max(np.linalg.norm(xy[labels == c] - centres[c], axis=1).max() for c in range(3))
    gaps = [np.linalg.norm(centres[a] - centres[b]) for a in range(3) for b in range(a + 1, 3)]
    assert min(gaps) > width


def test_tsne_is_reproducible_reports_progress_and_can_be_cancelled():
    x, _ = blobs(n_per=20)
    reports: list[float] = []
    short = {"perplexity": 5, "iterations": 60, "exaggeration_iterations": 20}
    first = tsne(x, **short, progress=lambda f, _t: reports.append(f))
    assert np.array_equal(first, tsne(x, **short))
    assert reports[0] == 0.0 and reports[-1] == 1.0 and reports == sorted(reports)
    asked = iter(range(10**6))
    with pytest.raises(Cancelled):
        tsne(x, **short, should_cancel=lambda: next(asked) >= 5)


@pytest.mark.parametrize("bad", [np.zeros((2, 3)), np.full((10, 3), np.nan), np.zeros(5)])
def test_bad_features_are_refused_with_one_line(bad):
    with pytest.raises(ConfigError):
        tsne(bad)


def test_map_features_keeps_every_stage_and_the_model_s_answers(synthetic_mnist):
    """Input pixels plus one stage per layer; predictions equal the network's own."""
    data = synthetic_mnist(50, 60)
    network = Network.from_config({"input_shape": [784], "layers": [
        {"type": "dense", "units": 6}, {"type": "relu"}, {"type": "dense", "units": 10},
        {"type": "softmax"}]}, np.float32, np.random.default_rng(0))
    model = SavedModel(network, InputTransform())
    indices = choose_digits(data, 40)
    mapped = map_features(model, data, indices)
    x = model.transform.apply(data.test_images[indices], network.input_shape, network.dtype)
    assert np.array_equal(mapped.predictions, network.predict(x))
    assert [s.kind for s in mapped.stages] == ["input", "dense", "relu", "dense", "softmax"]
    assert [s.shape for s in mapped.stages] == [(784,), (6,), (6,), (10,), (10,)]
    flat = x.reshape(40, -1).astype(np.float64)
    assert np.allclose(np.abs(embed(mapped.stages[0], "pca")), np.abs(pca(flat, 2)), atol=1e-3)
    assert embed(mapped.stages[2], "tsne").shape == (40, 2)
    with pytest.raises(ConfigError):
        embed(mapped.stages[0], "umap")


def test_a_model_that_does_not_read_digits_is_refused_in_one_line(synthetic_mnist):
    from digitlab.core.errors import ModelFileError

    network = Network.from_config({"input_shape": [196], "layers": [
        {"type": "dense", "units": 10}, {"type": "softmax"}]}, np.float32, np.random.default_rng(0))
    with pytest.raises(ModelFileError):
        map_features(SavedModel(network, InputTransform()), synthetic_mnist(10, 20), np.arange(10))


def test_choose_digits_is_a_reproducible_subset(synthetic_mnist):
    data = synthetic_mnist(10, 200)
    chosen = choose_digits(data, 50, seed=3)
    assert np.array_equal(chosen, choose_digits(data, 50, seed=3))
    assert chosen.size == 50 == np.unique(chosen).size and chosen.max() < 200
    assert np.array_equal(choose_digits(data, 500), np.arange(200))
