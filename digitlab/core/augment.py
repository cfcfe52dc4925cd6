"""On-the-fly augmentation of training batches: random rotations, zooms, shifts, slants and
widths, elastic distortion and stroke-width variation (the last two in :mod:`.distort`), flags on
ones (:mod:`.writing_styles`), digits drawn again with an even pen (:mod:`.redraw`) and digits
stretched to fill their box (:mod:`.box_stretch`).

Every sample gets its own random affine transform (plus, if asked, its own elastic displacement
field), applied with bilinear interpolation and zero fill outside the image. The whole batch is
warped at once (no Python loop over samples) because this runs on every training batch.

Conventions: images are ``(N, H, W)``, row-major; pixel ``(i, j)`` has its centre at the
coordinates ``(i, j)``; rotations are about the image centre ``((H - 1) / 2, (W - 1) / 2)`` and a
positive angle turns the image counter-clockwise as displayed (rows downwards), so a +90 degree
rotation equals ``np.rot90(image)``.
"""

from __future__ import annotations

import numpy as np

from digitlab.core.box_stretch import stretch_to_box
from digitlab.core.distort import elastic_displacements, vary_stroke_width
from digitlab.core.redraw import PEN_WIDTHS, redraw_with_pen
from digitlab.core.spec import Setting, SettingsRecord
from digitlab.core.warp_workspace import workspace
from digitlab.core.writing_styles import add_flags_to_ones

__all__ = [
    "AugmentConfig",
    "augment_batch",
    "affine_matrices",
    "sample_affine_matrices",
    "warp_affine_batch",
]


class AugmentConfig(SettingsRecord):
    """Ranges of the random transforms; all zero means no augmentation.

    Attributes
    ----------
    rotation_deg : float
        Each sample is rotated by an angle drawn uniformly from ``[-rotation_deg, rotation_deg]``
        degrees; in [0, 180].
    shift_frac : float
        Each sample is shifted by up to this fraction of its height (vertically) and width
        (horizontally), drawn uniformly; in [0, 0.5).
    zoom_frac : float
        Each sample is scaled by a factor drawn uniformly from ``[1 - zoom_frac, 1 + zoom_frac]``
        (> 1 enlarges the digit); in [0, 0.9).
    shear_deg : float
        Each sample is slanted (rows shifted sideways in proportion to their height) by an
        angle drawn uniformly from ``[-shear_deg, shear_deg]``; in [0, 45]. Writers differ in
        slant more than in rotation.
    aspect_frac : float
        Each sample's width is scaled by a factor drawn uniformly from
        ``[1 - aspect_frac, 1 + aspect_frac]`` (narrow or wide handwriting); in [0, 0.9).
    elastic_alpha : float
        Scale in pixels of a random smooth displacement field (Simard et al. 2003; 0 = off);
        in [0, 60].
    elastic_sigma : float
        Smoothness of that field: the Gaussian's standard deviation in pixels; in [1, 10].
    stroke_width : float
        Each sample's strokes are thickened or thinned by a number of pixels drawn uniformly
        from ``[-stroke_width, stroke_width]``; in [0, 2].
    one_flag_frac : float
        This fraction of the images labelled 1 get a flag at the top (and some a base), as many
        people write a one (:mod:`.writing_styles`); in [0, 1].
    stretch_frac : float
        This fraction of the digits (images with labels) are stretched so that their ink fills
        a square box, as some tablets and scanned collections store digits
        (:mod:`.box_stretch`); in [0, 1].
    redraw_frac : float
        This fraction of the digits are thinned to their centre lines and drawn again with an
        even round pen, as the Draw panel draws a pen's path (:mod:`.redraw`); in [0, 1].
    negatives_frac : float
        Outlier exposure: this many generated non-digit images per real image are added to
        every batch with the uniform distribution as their target, so the network learns to be
        unsure about things that are not digits; in [0, 1]. Not an image transform.
    """

    OWNER = "augmentation"
    SETTINGS = (
        Setting("rotation_deg", 0.0, title="rotation", special="off", low=0.0, high=180.0,
                help="Rotate each training image by up to this many degrees"),
        Setting("shift_frac", 0.0, title="shift", special="off", low=0.0, high=0.5,
                high_open=True,
                help="Shift each training image by up to this fraction of its size"),
        Setting("zoom_frac", 0.0, title="zoom", special="off", low=0.0, high=0.9,
                high_open=True,
                help="Scale each training image by a factor in [1 - zoom, 1 + zoom]"),
        Setting("shear_deg", 0.0, title="slant", special="off", low=0.0, high=45.0,
                help="Slant each training image by up to this many degrees, as writers do"),
        Setting("aspect_frac", 0.0, title="width", special="off", low=0.0, high=0.9,
                high_open=True,
                help="Make each training image narrower or wider by up to this fraction"),
        Setting("elastic_alpha", 0.0, title="elastic", special="off", low=0.0, high=60.0,
                help="Bend each training image by a random smooth displacement of this scale "
                     "in pixels (elastic distortion)"),
        Setting("elastic_sigma", 4.0, title="elastic smoothness", low=1.0, high=10.0,
                help="Smoothness of the elastic distortion in pixels: larger bends more gently"),
        Setting("stroke_width", 0.0, title="stroke width", special="off", low=0.0, high=2.0,
                help="Thicken or thin each training image's strokes by up to this many pixels"),
        Setting("one_flag_frac", 0.0, title="flagged ones", special="off", low=0.0, high=1.0,
                help="Give this fraction of the training ones a flag at the top (and some a "
                     "base), as many people write a one"),
        Setting("stretch_frac", 0.0, title="stretched digits", special="off", low=0.0,
                high=1.0,
                help="Stretch this fraction of the training digits to fill a square box, as "
                     "some tablets and scanned forms store digits"),
        Setting("redraw_frac", 0.0, title="pen-drawn digits", special="off", low=0.0, high=1.0,
                help="Draw this fraction of the training digits again along their centre "
                     "lines with an even pen, as digits drawn on the canvas look"),
        Setting("negatives_frac", 0.0, title="not-a-digit images", special="off", low=0.0,
                high=1.0,
                help="Add this many generated non-digit images per training image, trained "
                     "towards no answer, so the network can decline what is not a digit"),
    )
    rotation_deg: float
    shift_frac: float
    zoom_frac: float
    shear_deg: float
    aspect_frac: float
    elastic_alpha: float
    elastic_sigma: float
    stroke_width: float
    one_flag_frac: float
    stretch_frac: float
    redraw_frac: float
    negatives_frac: float

    #: settings that switch an image transform on when above 0
    _AMOUNTS = ("rotation_deg", "shift_frac", "zoom_frac", "shear_deg", "aspect_frac",
                "elastic_alpha", "stroke_width", "one_flag_frac", "stretch_frac",
                "redraw_frac")

    @property
    def enabled(self) -> bool:
        """True if any image transform is switched on."""
        return any(getattr(self, name) > 0 for name in self._AMOUNTS)


def augment_batch(
    images: np.ndarray,
    config: AugmentConfig,
    rng: np.random.Generator,
    *,
    out: np.ndarray | None = None,
    labels: np.ndarray | None = None,
) -> np.ndarray:
    """Apply an independent random affine transform to every image of a batch.

    Parameters
    ----------
    images : np.ndarray, shape (N, H, W)
        Batch of images, never modified: any float values for the geometric transforms, values
        in [0, 1] (ink bright) when a transform for digits is on and ``labels`` are given.
    config : AugmentConfig
        Ranges of the random transforms.
    rng : np.random.Generator
        Source of randomness; the same seed gives bit-identical output.
    out : np.ndarray, shape (N, H, W), float32, optional
        Where to write the result (must not overlap ``images``); saves one allocation per batch.
    labels : np.ndarray, shape (N,), optional
        The images' digits, for the transforms that apply to digits only (``one_flag_frac``,
        ``redraw_frac``, ``stretch_frac``); without them those are skipped.

    Returns
    -------
    np.ndarray, shape (N, H, W), float32
        The augmented batch (``out`` if given). With augmentation disabled this is an exact
        copy of ``images`` and ``rng`` is not used.
    """
    images = _check_batch(images)
    if not config.enabled:
        if out is None:
            return images.astype(np.float32, copy=True)
        _check_out(out, images)
        out[...] = images
        return out
    n, shape = images.shape[0], images.shape[1:]
    if labels is not None and n and (config.one_flag_frac > 0 or config.redraw_frac > 0
                                     or config.stretch_frac > 0):
        # They draw ink of 1 and find strokes by thresholds on that scale.
        low, high = images.min(), images.max()
        if not (0.0 <= low and high <= 1.0):
            raise ValueError(f"the transforms for digits need images in [0, 1], got values "
                             f"from {low} to {high}")
    matrices = sample_affine_matrices(n, shape, config, rng)
    # Extra draws only when switched on: runs without them keep their old random stream.
    if config.one_flag_frac > 0 and labels is not None:
        images = add_flags_to_ones(images, labels, config.one_flag_frac, rng)
    if config.redraw_frac > 0 and labels is not None:
        # Before the other transforms, so a drawn digit is still bent, slanted and thickened.
        chosen = np.flatnonzero(rng.random(n) < config.redraw_frac)
        pens = rng.uniform(PEN_WIDTHS[0], PEN_WIDTHS[1], n)
        images = redraw_with_pen(images, chosen, pens[chosen])
    if config.stroke_width > 0:
        images = vary_stroke_width(images, rng.uniform(-1.0, 1.0, n) * config.stroke_width)
    displacement = None
    if config.elastic_alpha > 0:
        displacement = elastic_displacements(n, shape, config.elastic_alpha,
                                             config.elastic_sigma, rng)
    if config.stretch_frac > 0 and labels is not None:
        chosen = np.flatnonzero(rng.random(n) < config.stretch_frac)
        matrices = stretch_to_box(images, matrices, chosen)
    return warp_affine_batch(images, matrices, out=out, displacement=displacement)


def sample_affine_matrices(
    n: int,
    shape: tuple[int, int],
    config: AugmentConfig,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw ``n`` random transforms and return their matrices (see :func:`affine_matrices`).

    Parameters
    ----------
    n : int
        Number of samples.
    shape : tuple of int
        ``(H, W)`` of the images.
    config : AugmentConfig
        Ranges of the random transforms.
    rng : np.random.Generator
        Source of randomness.

    Returns
    -------
    np.ndarray, shape (n, 2, 3), float64
    """
    # One draw for all parameters keeps the random stream (and so reproducibility) independent
    # of which transforms are switched on.
    u = rng.uniform(-1.0, 1.0, size=(n, 6))
    height, width = shape
    angles = u[:, 0] * config.rotation_deg
    zooms = 1.0 + u[:, 1] * config.zoom_frac
    shifts = u[:, 2:4] * (config.shift_frac * np.array([height, width], dtype=np.float64))
    shears = u[:, 4] * config.shear_deg
    aspects = 1.0 + u[:, 5] * config.aspect_frac
    return affine_matrices(shape, angles, zooms, shifts, shears, aspects)


def affine_matrices(
    shape: tuple[int, int],
    rotation_deg: np.ndarray,
    zoom: np.ndarray,
    shift: np.ndarray,
    shear_deg: np.ndarray | float = 0.0,
    aspect: np.ndarray | float = 1.0,
) -> np.ndarray:
    """Matrices mapping output pixel coordinates to source coordinates, one per sample.

    The forward transform, about the image centre, first scales the width by ``aspect``, then
    slants by ``shear_deg`` (positive leans the top to the right), rotates by ``rotation_deg``
    (counter-clockwise as displayed), scales by ``zoom`` and finally shifts by ``shift``.
    Warping needs the inverse: for an output pixel ``(r, c)`` the value is read at
    ``M @ (r, c, 1)``.

    Parameters
    ----------
    shape : tuple of int
        ``(H, W)`` of the images.
    rotation_deg : array_like, shape (N,)
        Rotation angles in degrees.
    zoom : array_like, shape (N,)
        Scale factors (> 0; > 1 enlarges).
    shift : array_like, shape (N, 2)
        ``(rows, cols)`` translations in pixels (positive = down, right).
    shear_deg : array_like, shape (N,) or scalar
        Slant angles in degrees.
    aspect : array_like, shape (N,) or scalar
        Width scale factors (> 0).

    Returns
    -------
    np.ndarray, shape (N, 2, 3), float64
        ``M[:, 0]`` gives the source row, ``M[:, 1]`` the source column.
    """
    theta = np.deg2rad(np.asarray(rotation_deg, dtype=np.float64))
    n = theta.shape[0]
    zoom = np.broadcast_to(np.asarray(zoom, dtype=np.float64), (n,))
    shift = np.asarray(shift, dtype=np.float64).reshape(-1, 2)
    slant = np.broadcast_to(np.tan(np.deg2rad(np.asarray(shear_deg, dtype=np.float64))), (n,))
    aspect = np.broadcast_to(np.asarray(aspect, dtype=np.float64), (n,))
    cos, sin = np.cos(theta), np.sin(theta)
    # Forward 2x2 matrix A acting on (row, col) offsets from the centre:
    #   zoom * rotation @ shear @ width-scale, with
    #   rotation = [[cos, -sin], [sin, cos]], shear = [[1, 0], [-slant, 1]], width = diag(1, aspect)
    forward = np.empty((n, 2, 2), dtype=np.float64)
    forward[:, 0, 0] = cos + sin * slant
    forward[:, 0, 1] = -sin * aspect
    forward[:, 1, 0] = sin - cos * slant
    forward[:, 1, 1] = cos * aspect
    forward *= zoom[:, None, None]
    inverse = np.linalg.inv(forward)
    centre = np.array([(shape[0] - 1) / 2.0, (shape[1] - 1) / 2.0])
    # source = centre + inverse @ (output - centre - shift)
    matrices = np.empty((n, 2, 3), dtype=np.float64)
    matrices[:, :, :2] = inverse
    matrices[:, :, 2] = centre - np.einsum("nij,nj->ni", inverse, centre + shift)
    return matrices


def warp_affine_batch(
    images: np.ndarray,
    matrices: np.ndarray,
    *,
    out: np.ndarray | None = None,
    displacement: np.ndarray | None = None,
) -> np.ndarray:
    """Resample every image at the source coordinates given by its affine matrix.

    Bilinear interpolation; everything outside the image counts as 0, and pixels near the
    border blend towards 0 accordingly.

    Parameters
    ----------
    images : np.ndarray, shape (N, H, W)
        Batch of images; never modified.
    matrices : np.ndarray, shape (N, 2, 3)
        Output-to-source maps, as from :func:`affine_matrices`.
    out : np.ndarray, shape (N, H, W), float32, optional
        Where to write the result (must not overlap ``images``).
    displacement : np.ndarray, shape (N, 2, H, W), optional
        Row and column offsets in pixels added to every output pixel's coordinates before the
        affine map (elastic distortion, see :func:`.distort.elastic_displacements`).

    Returns
    -------
    np.ndarray, shape (N, H, W), float32
    """
    images = _check_batch(images)
    n, height, width = images.shape
    matrices = np.asarray(matrices)
    if matrices.shape != (n, 2, 3):
        raise ValueError(f"expected matrices of shape {(n, 2, 3)}, got {matrices.shape}")
    if out is None:
        out = np.empty((n, height, width), dtype=np.float32)
    else:
        _check_out(out, images)
    if n == 0:
        return out

    ws = workspace(n, height, width)
    # Pad with one zero row/column before and two after: after clipping the source coordinate
    # to [-1, H], both bilinear neighbours floor(s) and floor(s) + 1 are valid padded indices,
    # and any point more than a pixel outside reads only zeros. The border stays zero between
    # calls; only the interior is overwritten.
    ws.padded[:, 1 : height + 1, 1 : width + 1] = images
    flat = ws.padded.reshape(-1)
    padded_w = width + 3

    # Source coordinates of all N*H*W output pixels: an (N, H, 1) row term plus an (N, 1, W)
    # column term, so only the final sum is full size.
    m = matrices.astype(np.float32)
    src_r, src_c, r0, c0 = ws.src_r, ws.src_c, ws.r0, ws.c0
    if displacement is None:
        rows, cols = ws.rows, ws.cols
    else:
        if displacement.shape != (n, 2, height, width):
            raise ValueError(f"expected displacements of shape {(n, 2, height, width)}, "
                             f"got {displacement.shape}")
        rows, cols = ws.rows + displacement[:, 0], ws.cols + displacement[:, 1]
    np.add(
        m[:, 0, 0, None, None] * rows,
        m[:, 0, 1, None, None] * cols + m[:, 0, 2, None, None],
        out=src_r,
    )
    np.add(
        m[:, 1, 0, None, None] * rows,
        m[:, 1, 1, None, None] * cols + m[:, 1, 2, None, None],
        out=src_c,
    )
    np.clip(src_r, -1.0, height, out=src_r)
    np.clip(src_c, -1.0, width, out=src_c)
    np.floor(src_r, out=r0)
    np.floor(src_c, out=c0)
    src_r -= r0  # from here on: the fractional bilinear weights
    src_c -= c0

    # Flat index of the top-left neighbour: (r0 + 1) * padded_w + (c0 + 1) within an image is
    # small enough to be exact in float32; the per-image offsets are added as integers.
    r0 += 1.0
    r0 *= padded_w
    r0 += c0
    r0 += 1.0
    index = ws.index
    index[...] = r0
    index += ws.image_offsets

    # Taking from shifted views of the flat array avoids building three more index arrays.
    # mode="clip" only skips the buffered bounds check: every index is in range by construction.
    top_left, top_right, bottom_left, bottom_right = ws.corners
    np.take(flat, index, out=top_left, mode="clip")
    np.take(flat[1:], index, out=top_right, mode="clip")
    np.take(flat[padded_w:], index, out=bottom_left, mode="clip")
    np.take(flat[padded_w + 1 :], index, out=bottom_right, mode="clip")

    # Lerp along columns, then rows, reusing the gathered arrays as scratch space.
    top_right -= top_left
    top_right *= src_c
    top_left += top_right  # value on the top edge
    bottom_right -= bottom_left
    bottom_right *= src_c
    bottom_left += bottom_right  # value on the bottom edge
    bottom_left -= top_left
    bottom_left *= src_r
    np.add(top_left, bottom_left, out=out)
    return out


def _check_batch(images: np.ndarray) -> np.ndarray:
    """Validate a ``(N, H, W)`` batch and return it as an array (no copy)."""
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"expected a batch of images of shape (N, H, W), got {images.shape}")
    if not (np.issubdtype(images.dtype, np.floating) or np.issubdtype(images.dtype, np.integer)):
        raise ValueError(f"expected numeric images, got dtype {images.dtype}")
    return images


def _check_out(out: np.ndarray, images: np.ndarray) -> None:
    """Reject an ``out`` array of the wrong shape or dtype, or one sharing memory with the input."""
    if not isinstance(out, np.ndarray) or out.shape != images.shape or out.dtype != np.float32:
        got = (getattr(out, "shape", None), getattr(out, "dtype", None))
        raise ValueError(f"out must be a float32 array of shape {images.shape}, got {got}")
    if np.shares_memory(out, images):
        raise ValueError("out must not overlap the input images")
