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
    height, width = images.shape[1:]
    centre = np.array([(height - 1) / 2.0, (width - 1) / 2.0])
    rows, cols = np.mgrid[0:height, 0:width]
    for index in np.asarray(chosen, dtype=np.intp):
        ink = images[index] > INK
        if not ink.any():
            continue
        source = np.stack([rows[ink], cols[ink]]).astype(np.float64)  # (2, K) row, col
        linear, offset = out[index, :, :2], out[index, :, 2]
        # Where the ink lands under the affine map: the map's inverse applied to its pixels.
        landed = np.linalg.solve(linear, source - offset[:, None])
        low, high = landed.min(axis=1), landed.max(axis=1)
        extent = high - low + 1.0  # a pixel's ink reaches half a pixel past its centre
        scale = np.minimum(BOX / extent, MAX_STRETCH)
        middle = (low + high) / 2.0
        # output p -> middle + (p - centre) / scale -> source through the original map
        shrink = np.diag(1.0 / scale)
        out[index, :, 2] = linear @ (middle - shrink @ centre) + offset
        out[index, :, :2] = linear @ shrink
    return out
