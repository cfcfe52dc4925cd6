"""Maps of many points in two dimensions: PCA (NumPy SVD) and t-SNE (NumPy, exact gradient).

Both take features ``x`` of shape (N, D) and return coordinates of shape (N, k).

PCA projects on the directions of largest variance: fast, faithful to large distances, but
classes that are separated only along many small directions overlap on the map.

t-SNE (van der Maaten and Hinton, 2008) keeps *neighbours* together: each point's neighbours in
the original space are described by probabilities p_ij (a Gaussian whose width is set so that
every point has about ``perplexity`` effective neighbours), the map's by q_ij (a Student-t with
one degree of freedom), and the map is moved by gradient descent on KL(P || Q):

    dC/dy_i = 4 sum_j (p_ij - q_ij) (1 + |y_i - y_j|^2)^-1 (y_i - y_j).

P is kept sparse (each point's ``3 * perplexity`` nearest neighbours, as Barnes-Hut t-SNE does);
the repulsive part is computed exactly with dense N x N arrays in float32, which for the 2,000
digits of the points map is faster in NumPy than a Barnes-Hut tree walked in Python (see
``docs/lab.md`` for the measured times). It is therefore limited to :data:`TSNE_MAX_POINTS`.

Neither imports anything beyond NumPy; both are deterministic for a given ``seed``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .errors import Cancelled, ConfigError

__all__ = ["TSNE_MAX_POINTS", "pca", "perplexity_affinities", "tsne"]

#: the dense repulsion needs N x N float32 arrays (2 x 64 MB at this size)
TSNE_MAX_POINTS = 4000
#: above this many features, PCA uses a randomized SVD (within 1e-3 of the exact top components,
#: which no map can show, and far cheaper than a full SVD of a 2,000 x 12,544 conv output)
EXACT_SVD_MAX_FEATURES = 2000

ProgressFn = Callable[[float, str], None]
ShouldCancel = Callable[[], bool]


def _checked_features(x: np.ndarray, minimum: int) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim < 2:
        raise ConfigError(f"expected features of shape (points, features), got shape {x.shape}")
    # float32 stays float32: a CNN stage of 2,000 x 25,088 values would be 400 MB in float64
    x = x.reshape(x.shape[0], -1).astype(np.result_type(x.dtype, np.float32), copy=False)
    if x.shape[0] < minimum:
        raise ConfigError(f"a map needs at least {minimum} points, got {x.shape[0]}")
    if not np.all(np.isfinite(x)):
        raise ConfigError("the features contain NaN or infinite values")
    return x


def pca(x: np.ndarray, n_components: int = 2, seed: int = 0) -> np.ndarray:
    """Coordinates of ``x`` on its ``n_components`` principal axes.

    Parameters
    ----------
    x : np.ndarray, shape (N, ...)
        One row of features per point (trailing axes are flattened).
    n_components : int
        How many axes; fewer come back when the data has fewer (N or D).
    seed : int
        Seeds the randomized SVD used above :data:`EXACT_SVD_MAX_FEATURES` features.

    Returns
    -------
    np.ndarray, shape (N, min(n_components, N, D)), float64
        ``(x - mean) @ V[:, :k]``, with each axis' sign fixed so that its largest loading is
        positive (the same data always gives the same map, never a mirrored one).
    """
    x = _checked_features(x, 2)
    mean = x.mean(axis=0, dtype=np.float64)
    k = max(1, min(int(n_components), *x.shape))
    if x.shape[1] <= EXACT_SVD_MAX_FEATURES:
        centred = x.astype(np.float64) - mean
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        axes = vt[:k].T
    else:
        axes = _randomized_axes(x, mean, k, np.random.default_rng(seed))
    rows = np.argmax(np.abs(axes), axis=0)
    axes = axes * np.sign(axes[rows, np.arange(k)])
    return np.asarray(x @ axes.astype(x.dtype), dtype=np.float64) - mean @ axes


def _randomized_axes(x: np.ndarray, mean: np.ndarray, k: int, rng: np.random.Generator,
                     oversample: int = 10, power_iterations: int = 4) -> np.ndarray:
    """The top ``k`` right singular vectors (D, k) of ``x - mean``, by Halko-Martinsson-Tropp
    range finding; the centred matrix is never formed (it would double a wide layer's memory):
    ``(x - 1 mean) b = x b - 1 (mean b)``."""
    n, d = x.shape
    width = min(k + oversample, n, d)

    def times(b: np.ndarray) -> np.ndarray:  # (x - mean) @ b, b (D, w) -> (N, w)
        return np.asarray(x @ b.astype(x.dtype), dtype=np.float64) - mean @ b

    def transposed_times(a: np.ndarray) -> np.ndarray:  # (x - mean).T @ a, a (N, w) -> (D, w)
        return np.asarray(x.T @ a.astype(x.dtype), dtype=np.float64) - np.outer(mean, a.sum(axis=0))

    basis = transposed_times(rng.standard_normal((n, width)))
    for _ in range(power_iterations):  # sharpen towards the top directions
        basis, _ = np.linalg.qr(basis)
        basis, _ = np.linalg.qr(transposed_times(times(basis)))
    _, _, vt = np.linalg.svd(times(basis), full_matrices=False)
    return basis @ vt[:k].T


def perplexity_affinities(x: np.ndarray,
                          perplexity: float = 30.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The symmetric t-SNE input probabilities p_ij, sparse: each point's nearest neighbours.

    Parameters
    ----------
    x : np.ndarray, shape (N, D)
    perplexity : float
        The effective number of neighbours each point's Gaussian covers (2^entropy).

    Returns
    -------
    rows, cols : np.ndarray of int64, shape (M,)
    values : np.ndarray of float64, shape (M,)
        ``P[rows[m], cols[m]] = values[m]``; P is symmetric, has no diagonal and sums to 1.
    """
    n = x.shape[0]
    k = int(min(n - 1, max(1, round(3 * perplexity))))
    sq = np.einsum("ij,ij->i", x, x)
    distances = sq[:, None] + sq[None, :] - 2 * (x @ x.T)
    np.fill_diagonal(distances, np.inf)  # a point is not its own neighbour
    neighbours = np.argpartition(distances, k - 1, axis=1)[:, :k]
    d = np.maximum(np.take_along_axis(distances, neighbours, axis=1), 0.0)  # (N, k)
    d -= d.min(axis=1, keepdims=True)  # shift: the same conditional p, no underflow in exp
    conditional = _conditional_probabilities(d, perplexity)
    rows = np.repeat(np.arange(n), k)
    cols = neighbours.ravel()
    # p_ij = (p_j|i + p_i|j) / 2N: add each pair in both directions, then merge duplicates
    keys = np.concatenate([rows * n + cols, cols * n + rows])
    unique, inverse = np.unique(keys, return_inverse=True)
    values = np.bincount(inverse, weights=np.tile(conditional.ravel(), 2)) / (2 * n)
    return unique // n, unique % n, values


def _conditional_probabilities(d: np.ndarray, perplexity: float, steps: int = 64) -> np.ndarray:
    """Rows of p_j|i = exp(-beta_i d_ij) / sum, each beta_i bisected to the target entropy.

    All rows are searched at once (vectorised bisection on log beta), which is what makes the
    perplexity search cheap in NumPy.
    """
    target = np.log(perplexity)
    log_lo = np.full(d.shape[0], -30.0)
    log_hi = np.full(d.shape[0], 30.0)
    for _ in range(steps):
        log_beta = (log_lo + log_hi) / 2
        p = np.exp(-d * np.exp(log_beta)[:, None])
        total = p.sum(axis=1)
        entropy = np.log(total) + np.exp(log_beta) * (d * p).sum(axis=1) / total
        too_flat = entropy > target  # too many neighbours: narrow the Gaussian (larger beta)
        log_lo = np.where(too_flat, log_beta, log_lo)
        log_hi = np.where(too_flat, log_hi, log_beta)
    p = np.exp(-d * np.exp((log_lo + log_hi) / 2)[:, None])
    return p / p.sum(axis=1, keepdims=True)


def tsne(x: np.ndarray, *, perplexity: float = 30.0, iterations: int = 500,
         exaggeration_iterations: int = 125, exaggeration: float = 12.0, seed: int = 0,
         pca_dimensions: int = 50, progress: ProgressFn | None = None,
         should_cancel: ShouldCancel | None = None) -> np.ndarray:
    """A two-dimensional t-SNE map of ``x``.

    Parameters
    ----------
    x : np.ndarray, shape (N, ...)
        Features per point, 2 <= N <= :data:`TSNE_MAX_POINTS`; first reduced to
        ``pca_dimensions`` by :func:`pca` (the usual practice; it removes noise and time).
    perplexity : float
        Effective neighbours per point, lowered to (N - 1) / 3 for very few points.
    iterations : int
        Gradient steps in all; the first ``exaggeration_iterations`` multiply P by
        ``exaggeration`` so that clusters form before they settle.
    seed : int
        For the randomized PCA only: the map starts from the PCA layout (no random start), so
        the same input gives the same map.
    progress : ``progress(fraction, text)``, called every few steps.
    should_cancel : polled every step; once True, :class:`~digitlab.core.errors.Cancelled` is raised.

    Returns
    -------
    np.ndarray, shape (N, 2), float64
    """
    x = _checked_features(x, 3)
    n = x.shape[0]
    if n > TSNE_MAX_POINTS:
        raise ConfigError(f"t-SNE here maps at most {TSNE_MAX_POINTS:,} points, got {n:,}")
    if not (np.isfinite(perplexity) and perplexity > 0):
        raise ConfigError(f"perplexity must be a positive number, got {perplexity!r}")
    if iterations < 1 or not 0 <= exaggeration_iterations <= iterations:
        raise ConfigError(f"t-SNE needs iterations >= 1 and 0 <= exaggeration iterations <= "
                          f"iterations, got {iterations!r} and {exaggeration_iterations!r}")
    report = progress or (lambda _fraction, _text: None)
    cancelled = should_cancel or (lambda: False)
    report(0.0, "neighbours")
    features = (pca(x, pca_dimensions, seed) if x.shape[1] > pca_dimensions
                else x.astype(np.float64) - x.mean(axis=0, dtype=np.float64))
    rows, cols, p = perplexity_affinities(features, min(perplexity, (n - 1) / 3))
    if cancelled():
        raise Cancelled()
    start = pca(features, 2, seed)
    if start.shape[1] < 2:  # one-dimensional data: lay it on a line
        start = np.column_stack([start[:, 0], np.zeros(n)])
    spread = start[:, 0].std()
    y = start / (spread if spread > 0 else 1.0) * 1e-4  # small start, as openTSNE's PCA init
    return _descend(y, rows, cols, p, iterations, exaggeration_iterations, exaggeration,
                    report, cancelled)


def _descend(y: np.ndarray, rows: np.ndarray, cols: np.ndarray, p: np.ndarray, iterations: int,
             exaggeration_iterations: int, exaggeration: float, report: ProgressFn,
             cancelled: ShouldCancel) -> np.ndarray:
    """Gradient descent with momentum and per-coordinate gains (Jacobs' delta-bar-delta)."""
    n = y.shape[0]
    learning_rate = max(n / exaggeration, 50.0)  # Belkina et al. (2019): N / exaggeration
    update = np.zeros_like(y)
    gains = np.ones_like(y)
    dense = np.empty((n, n), dtype=np.float32)
    for step in range(iterations):
        if cancelled():
            raise Cancelled()
        exaggerating = step < exaggeration_iterations
        gradient = _gradient(y, rows, cols, p * (exaggeration if exaggerating else 1.0), dense)
        momentum = 0.5 if exaggerating else 0.8
        same_sign = np.sign(gradient) == np.sign(update)
        gains = np.maximum(np.where(same_sign, gains * 0.8, gains + 0.2), 0.01)
        update = momentum * update - learning_rate * gains * gradient
        y = y + update
        y -= y.mean(axis=0)
        if step % 10 == 9 or step == iterations - 1:
            report((step + 1) / iterations, "exaggerating" if exaggerating else "settling")
    return y


def _gradient(y: np.ndarray, rows: np.ndarray, cols: np.ndarray, p: np.ndarray,
              dense: np.ndarray) -> np.ndarray:
    """dKL/dy (N, 2): sparse attraction from P, exact dense repulsion from Q.

    ``dense`` is an (N, N) float32 work array, overwritten.
    """
    n = y.shape[0]
    # attraction: 4 sum_j p_ij w_ij (y_i - y_j), over the stored pairs only
    diff = y[rows] - y[cols]
    pw = p / (1.0 + np.einsum("ij,ij->i", diff, diff))
    attract = np.column_stack([np.bincount(rows, weights=pw * diff[:, c], minlength=n)
                               for c in range(2)])
    # repulsion: 4 / Z sum_j w_ij^2 (y_i - y_j), with w_ij = 1 / (1 + |y_i - y_j|^2), Z = sum w.
    # Seven passes over the N x N array (this loop's whole cost): |y_i - y_j|^2 + 1 as one
    # product plus two broadcast additions, then 1/., its sum, its square, and one product with
    # [y, 1] that gives both sum_j w_ij^2 y_j and sum_j w_ij^2.
    y32 = y.astype(np.float32)
    sq = np.einsum("ij,ij->i", y32, y32)
    np.matmul(y32 * np.float32(-2.0), y32.T, out=dense)
    dense += (sq + np.float32(1.0))[:, None]
    dense += sq[None, :]
    np.reciprocal(dense, out=dense)  # >= 1 - rounding: no clamp needed
    np.fill_diagonal(dense, 0.0)
    z = float(dense.sum())
    np.square(dense, out=dense)
    weighted = dense @ np.column_stack([y32, np.ones(n, dtype=np.float32)])  # (N, 3)
    repel = (y32 * weighted[:, 2:] - weighted[:, :2]).astype(np.float64) / z
    return 4.0 * (attract - repel)
