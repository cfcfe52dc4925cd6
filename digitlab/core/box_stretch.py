"""Digits stretched to fill their box, as some tablets and scanned collections store them.

MNIST keeps a digit's aspect: its longer side fills a 20x20 box and the other side is as long as
the writing made it. Several sources of real handwriting do not: the pendigits tablet data is
scaled to fill its 0-100 box in both directions, and some scanned sets stretch every digit to
fill a 16x16 grid. A one then becomes a wide slanted bar and a seven a triangle, and a network
that only ever saw MNIST's proportions reads them as sevens and twos. This augmentation shows
the network such digits: for a chosen share of a batch's digits, the affine map that is about to
warp each one is followed by a stretch that makes the digit's ink fill a ``BOX`` x ``BOX``
square in the middle of the image, so the image is still resampled only once.

Only digits are stretched (the caller passes the labelled images): a stretched dash is a filled
bar, which the network must go on declining as "not a digit".
"""

from __future__ import annotations

import numpy as np

__all__ = ["BOX", "INK", "MAX_STRETCH", "stretch_to_box"]

#: the side of the square the stretched ink fills, in pixels (MNIST's digit box in 28x28)
BOX = 20.0
#: ink above this (unit images) counts when measuring a digit's extent
INK = 0.3
#: no side is stretched more than this many times (a one a pixel wide would become a block)
MAX_STRETCH = 8.0


def stretch_to_box(images: np.ndarray, matrices: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Return ``matrices`` with the chosen images' maps followed by a stretch to fill the box.

    Parameters
    ----------
    images : np.ndarray, shape (N, H, W), float in [0, 1]
        The images the matrices will warp (ink bright); only read.
    matrices : np.ndarray, shape (N, 2, 3)
        Output-to-source maps, as from :func:`.augment.affine_matrices`; not modified.
    chosen : np.ndarray of int
        Indices of the images to stretch. An image without ink keeps its map.

    Returns
    -------
    np.ndarray, shape (N, 2, 3), float64
        A copy of ``matrices``; for a chosen image, the output pixel ``p`` reads the source at
        ``M @ (c + (p - centre) / s)``, where ``c`` is the middle of the ink's extent after ``M``'s
        own transform and ``s`` the per-axis scale that makes that extent ``BOX`` pixels.
    """
    out = np.array(matrices, dtype=np.float64, copy=True)
    chosen = np.asarray(chosen, dtype=np.intp)
    ink = images[chosen] > INK  # (K, H, W)
    chosen, ink = chosen[ink.any(axis=(1, 2))], ink[ink.any(axis=(1, 2))]
    if chosen.size == 0:
        return out
    height, width = images.shape[1:]
    centre = np.array([(height - 1) / 2.0, (width - 1) / 2.0])
    linear, offset = out[chosen, :, :2], out[chosen, :, 2]  # (K, 2, 2), (K, 2)
    # Where each pixel lands under its image's affine map (the map's inverse applied to the
    # pixel), for every pixel at once; the ink's extent is then a masked min and max.
    forward = np.linalg.inv(linear)
    rows = np.arange(height, dtype=np.float64)[None, :, None] - offset[:, 0, None, None]
    cols = np.arange(width, dtype=np.float64)[None, None, :] - offset[:, 1, None, None]
    low, high = np.empty((chosen.size, 2)), np.empty((chosen.size, 2))
    for axis in range(2):
        landed = forward[:, axis, 0, None, None] * rows + forward[:, axis, 1, None, None] * cols
        low[:, axis] = np.where(ink, landed, np.inf).min(axis=(1, 2))
        high[:, axis] = np.where(ink, landed, -np.inf).max(axis=(1, 2))
    extent = high - low + 1.0  # a pixel's ink reaches half a pixel past its centre
    scale = np.minimum(BOX / extent, MAX_STRETCH)  # (K, 2)
    middle = (low + high) / 2.0
    # output p -> middle + (p - centre) / scale -> source through the original map
    shrunk_centre = middle - centre / scale
    out[chosen, :, 2] = np.einsum("kij,kj->ki", linear, shrunk_centre) + offset
    out[chosen, :, :2] = linear / scale[:, None, :]
    return out
