"""Non-affine training distortions: elastic displacement fields and stroke-width variation.

Both are drawn per sample and computed for the whole batch at once, because they run on every
training batch. :func:`digitlab.core.augment.augment_batch` combines them with its affine
transforms: the stroke width changes first (on the original image), then one resampling applies
the affine map plus the elastic displacement, so the image is interpolated only once.

Elastic distortion follows Simard, Steinkraus and Platt (2003), "Best practices for
convolutional neural networks applied to visual document analysis": every pixel gets a random
displacement drawn uniformly from [-1, 1] in each direction, the field is smoothed with a
Gaussian of standard deviation ``sigma`` pixels (normalised kernel, zero outside the image) and
scaled by ``alpha``. Small ``sigma`` gives random jitter, large ``sigma`` an almost affine bend;
Simard's ``sigma = 4``, ``alpha = 34`` bends strokes the way hands wobble.
"""

from __future__ import annotations

import numpy as np

from .morphology import dilate, erode

__all__ = ["elastic_displacements", "gaussian_matrix", "vary_stroke_width"]


def gaussian_matrix(size: int, sigma: float) -> np.ndarray:
    """The matrix ``G`` with ``G @ v`` = ``v`` smoothed by a normalised Gaussian, zero outside.

    Parameters
    ----------
    size : int
        Length of the vectors to smooth.
    sigma : float
        Standard deviation of the Gaussian in samples (> 0).

    Returns
    -------
    np.ndarray, shape (size, size), float32
    """
    radius = max(1, int(np.ceil(4.0 * sigma)))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()  # normalised over the whole kernel, as a convolution would be
    offsets = np.arange(size)[None, :] - np.arange(size)[:, None]
    inside = np.abs(offsets) <= radius
    matrix = np.where(inside, taps[np.clip(offsets + radius, 0, 2 * radius)], 0.0)
    return matrix.astype(np.float32)


def elastic_displacements(n: int, shape: tuple[int, int], alpha: float, sigma: float,
                          rng: np.random.Generator) -> np.ndarray:
    """Random smooth displacement fields, one per sample (Simard et al. 2003).

    Parameters
    ----------
    n : int
        Number of samples.
    shape : tuple of int
        ``(H, W)`` of the images.
    alpha : float
        Scale of the displacement in pixels (>= 0).
    sigma : float
        Smoothness: standard deviation of the Gaussian in pixels (> 0).
    rng : np.random.Generator
        Source of randomness (one draw of ``n * 2 * H * W`` uniforms).

    Returns
    -------
    np.ndarray, shape (n, 2, H, W), float32
        Row and column displacements in pixels: the output pixel ``(r, c)`` reads the source at
        ``(r + d[:, 0, r, c], c + d[:, 1, r, c])`` (before any affine map).
    """
    height, width = shape
    noise = rng.uniform(-1.0, 1.0, size=(n, 2, height, width)).astype(np.float32)
    rows, cols = gaussian_matrix(height, sigma), gaussian_matrix(width, sigma)
    # Separable smoothing as two batched matrix products: rows then columns.
    smoothed = np.matmul(np.matmul(rows, noise), cols.T)
    smoothed *= np.float32(alpha)
    return smoothed


def vary_stroke_width(images: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    """Thicken (``amount > 0``) or thin (``< 0``) each image's strokes by its own amount.

    The whole batch is dilated and eroded by whole pixels once (with
    :mod:`digitlab.core.morphology`); each sample then blends the two levels around its amount,
    as :func:`~digitlab.core.morphology.change_stroke_width` does for one amount.

    Parameters
    ----------
    images : np.ndarray, shape (N, H, W)
        Grey images, ink bright.
    amounts : np.ndarray, shape (N,)
        Pixels of width to add (negative: remove), each in [-2, 2].

    Returns
    -------
    np.ndarray, shape (N, H, W), float32
    """
    images = np.asarray(images, dtype=np.float32)
    amounts = np.asarray(amounts, dtype=np.float64)
    if amounts.shape != images.shape[:1]:
        raise ValueError(f"expected {images.shape[0]} amounts, got shape {amounts.shape}")
    reach = int(np.ceil(np.abs(amounts).max(initial=0.0)))
    if reach > 2:
        raise ValueError("stroke width amounts must lie in [-2, 2]")
    # levels[k] is the image grown by (k - reach) pixels.
    levels = [images]
    for _ in range(reach):
        levels.insert(0, erode(levels[0], 1))
        levels.append(dilate(levels[-1], 1))
    stack = np.stack(levels)  # (2 * reach + 1, N, H, W)
    position = amounts + reach
    low = np.clip(np.floor(position).astype(np.intp), 0, 2 * reach)
    high = np.clip(low + 1, 0, 2 * reach)
    frac = (position - low).astype(np.float32)[:, None, None]
    samples = np.arange(images.shape[0])
    return (1.0 - frac) * stack[low, samples] + frac * stack[high, samples]
