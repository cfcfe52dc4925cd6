"""Turn any grey image of a digit into a 28x28 MNIST-style input.

First the paper is removed (its level, the slope of uneven light and its noise, all measured
along the picture's border), so a photo or a scan looks like ink on black. Then the steps follow
the way MNIST itself was made (LeCun et al.): the digit is cropped to its ink,
scaled with anti-aliasing so its longer side is 20 px (aspect ratio kept), and pasted into a
28x28 frame so that its centre of mass sits at the centre of the frame. Before the fit, writing
narrower or wider than MNIST's is stretched or squeezed across to its widths (``limit_width``),
and writing slanted further than about 24 degrees is sheared back to that slant
(``limit_slant``): MNIST's writers and the training augmentation taught the network those
widths and slants. The drawing canvas,
``digitlab predict`` and the tests all use this one function, so a network sees drawn digits
in the same form as the digits it was trained on.

Conventions: images are row-major ``(rows, cols)``; pixel ``(i, j)`` has its centre at the
coordinates ``(i, j)``; ink is bright (1.0) on a dark (0.0) background.
"""

from __future__ import annotations

import numpy as np

from digitlab.core.errors import DataError, ModelFileError

__all__ = [
    "LABEL_SIDE",
    "PIPELINE_NAME",
    "digit_box",
    "downsampled_mask",
    "ink_components",
    "check_pipeline",
    "ink_extent",
    "prepare_picture",
    "FRAME_SIZE",
    "BOX_SIZE",
    "to_mnist_style",
    "ink_image",
    "ink_bounding_box",
    "centre_of_mass",
    "SLANT_LIMIT",
    "MAX_SLANT",
    "ink_slant",
    "limit_slant",
    "MIN_WIDTH",
    "MAX_WIDTH",
    "ink_width",
    "target_width",
    "limit_width",
    "RULE_SPAN",
    "MIN_RULE_LENGTH",
    "RULE_THICKNESS",
    "RULE_OVERHANG",
    "SIDE_RULE_OVERHANG",
    "without_rules",
]

#: Recorded in model files so a model is always fed inputs prepared the way it was trained on.
#: The one home of this name: the model record's default and :func:`check_pipeline` use it.
PIPELINE_NAME = "mnist-bbox20-com28"

# A hostile file can hold a name of any length; the error message quotes only its start.
_MAX_QUOTED_NAME = 60

#: Side of the output frame, in pixels.
FRAME_SIZE = 28
#: The digit's longer side after scaling, in pixels.
BOX_SIZE = 20

# Pixels fainter than this fraction of the strongest ink do not count when cropping, so faint
# paper texture, JPEG ringing or a stray anti-aliased speck does not widen the box.
_BBOX_FRACTION = 0.1
# The paper's noise, as a standard deviation, from the quietest quarter of the steps between
# neighbouring border pixels (less the paper's slope): for Gaussian noise of deviation s a step
# has deviation s * sqrt(2), whose lower quartile in absolute value is 0.3186 times that, hence
# s = 2.2191 * that quartile. Ink edges where strokes cross the border make the loudest steps,
# so the quartile ignores them unless ink fills three quarters of the border; clean paper gives 0.
_NOISE_PER_QUIET_STEP = 2.2191
# A separate blob of ink with fewer pixels than this fraction of the largest is a speck: it does
# not widen the digit's box (digit_box).
_SPECK_FRACTION = 0.02
#: Pictures are labelled on a copy whose longer side is at most this (block maximum), which
#: bounds the time a big photo takes; boxes are mapped back to full resolution.
LABEL_SIDE = 400
# Specks are found on a coarser copy (a 224 px drawing is labelled at 112 px): a speck within a
# block of the digit joins it, which is harmless, and the box is still taken at full resolution.
_SPECK_LABEL_SIDE = 128
# A picture with a shorter side than this has too little border to tell the paper's noise from
# the ripple a JPEG leaves along ink that reaches the border (a digit cropped tightly to its
# ink, about 20 px): only its level is measured. MNIST's 28 px pictures are measured.
_MIN_MEASURED_SIDE = 24
# The lit paper is removed this many rows at a time.
_ROWS_PER_BAND = 256
# A ramp's line climbs at most this many times the range of the pixels it is fitted to.
_MAX_CLIMB = 1.5
# A side with fewer unclipped pixels than this (or stretches of them) shows no ramp.
_MIN_RAMP_POINTS = 8
# A side's slope is measured on at most this many of its pixels (their pairs: 4,560).
_SLOPE_POINTS = 96
#: The steepest slant a prepared digit keeps, as the horizontal run per row of its ink (its
#: image moments: ``ink_slant``); 0.45 is about 24 degrees from upright. Writing slanted further
#: is sheared back to it (``limit_slant``): the network learned MNIST's slants and the training
#: augmentation's +-15 degrees, and read drawings slanted 40 degrees at 85% against 97% upright
#: (docs/handwriting.md). Chosen among 0.3, 0.45 and 0.6 as the one that kept every upright set
#: within 0.15 points.
SLANT_LIMIT = 0.45
#: Ink "slanted" more than this (about 50 degrees) is lying rather than leaning (a dash, a wide
#: stroke): its moment slant grows without bound as it flattens, and shearing it would squash it.
MAX_SLANT = 1.2
#: The narrowest and widest a prepared digit is (:func:`ink_width`, its ink's spread across over
#: its spread down once its slant is taken out): narrower writing is widened and wider writing
#: narrowed to these before the fit (:func:`limit_width`). The network learned MNIST's widths
#: (the narrowest and widest 1% of its test digits other than 1 lie below 0.31-0.53 and above
#: 0.95-1.43, by digit; 7.3% of them are narrower than 0.45 and 2.8% wider than 1.15, so the
#: limits sit inside MNIST's range, not at its edges) and the training augmentation's +-20%;
#: drawings narrowed to half their width read 84.5% against 97.2% as drawn, and 1.8 times as
#: wide 93.0% (docs/handwriting.md).
#: Chosen on those drawings among minima 0.40-0.50 and maxima 0.8-1.3 as the pair that lost
#: nothing on the upright sets; a maximum of 1.0 read the widest writing a little better but
#: squeezed a scribble and a W into digits.
MIN_WIDTH = 0.45
MAX_WIDTH = 1.15
#: Ink narrower than this is one stroke (a 1, pen width over height) and is not widened; just
#: above it the target width rises WIDEN_GAIN times as fast as the width, so there is no jump.
#: Chosen among 0.24-0.30 and gains 2-4 with MIN_WIDTH.
ONE_STROKE_WIDTH = 0.26
WIDEN_GAIN = 3.0
#: Ink this wide or wider is lying (a long dash), not wide writing: squeezing it would make a
#: blob of it. From SQUEEZE_FADES_FROM on, the squeeze fades out towards it, so two nearly equal
#: drawings on either side of it are not read one squeezed and one not.
LYING_WIDTH = 2.5
SQUEEZE_FADES_FROM = 2.0
#: The slant and width steps see the crop at most this many pixels on its longer side: a larger
#: crop (a photo's) is first reduced by area averaging, so their work and memory stay bounded
#: (the shear of a 25-megapixel photo's slanted stroke took 0.9 GB). Drawings are rendered at
#: 224 px (gui.widgets.draw_canvas.NETWORK_RENDER_SIDE) and are never reduced.
_SHAPE_SIDE = 256
# Below this contrast (on a 0..1 scale, after removing the background) the image is "empty":
# a blank canvas or a uniform photo returns zeros instead of amplified noise.
_MIN_INK = 0.05
#: A straight run of ink along at least this fraction of the picture (on a copy at most
#: LABEL_SIDE pixels on its longer side), at most RULE_THICKNESS of its length thick, is a rule
#: (a ruled page's line, a form's box) rather than a stroke of the digit when it also reaches
#: beyond the rest of the ink at both ends: a line across by RULE_OVERHANG of the rest's height
#: (a 7's bar or a 1's base does not), a line down by SIDE_RULE_OVERHANG, and only beside the
#: rest, never through it (a 4's stem goes through its bar). Rules are removed before the digit
#: is cropped (:func:`without_rules`): MNIST digits underlined or boxed read 28% and 11% before.
RULE_SPAN = 0.5
RULE_THICKNESS = 0.06
#: ...and at least this many pixels long on that copy: in a smaller picture one pixel is a
#: large part of a stroke, and a digit's bar cannot be told from a rule (a 10 px 7 lost its bar).
MIN_RULE_LENGTH = 32
RULE_OVERHANG = 0.25
SIDE_RULE_OVERHANG = 0.1


def to_mnist_style(image: np.ndarray, *, invert: bool | None = None,
                   limit_writing: bool = True) -> np.ndarray:
    """Prepare a grey image of one digit the way MNIST digits were prepared.

    Parameters
    ----------
    image : np.ndarray, shape (H, W)
        Grey image of any size: integers (``uint8`` 0..255, other integer types scaled by
        their maximum), booleans, or floats in [0, 1] (values outside are clipped).
        Either polarity. Never modified.
    invert : bool or None
        ``True`` if the ink is dark on a light background, ``False`` if it is light on dark,
        ``None`` to detect it: the background is taken as the median of the border pixels and
        the image is inverted when that is brighter than mid-grey.
    limit_writing : bool
        Bring writing narrower than :data:`MIN_WIDTH` or wider than :data:`MAX_WIDTH` to
        those widths (:func:`limit_width`) and shear writing slanted more than
        :data:`SLANT_LIMIT` back to it (:func:`limit_slant`), as every picture and drawing
        that is *read* is. ``False`` keeps width and slant: for training images, which keep
        theirs as MNIST's own digits do (the generated non-digits), so a recorded training
        run gives the same weights again.

    Returns
    -------
    np.ndarray, shape (28, 28), float32
        Values in [0, 1], ink = 1. The ink's longer side is 20 px and its centre of mass is
        at ``(14, 14)`` to within half a pixel (as in MNIST); with ``limit_writing``, writing
        slanted past the limit was sheared back to it, and too narrow or wide writing was
        stretched or squeezed across, before the fit (its strokes soften a little).
        All zeros if there is no ink.

    Raises
    ------
    DataError
        If ``image`` is not a non-empty 2-D array of finite numbers.

    Notes
    -----
    The centring shift is a whole number of pixels, as in the original MNIST (whose centres of
    mass are spread uniformly over ``14 +- 0.5``). A sub-pixel shift would need interpolation,
    which blurs the strokes a second time; an integer shift keeps the anti-aliased digit exactly
    as the resampling produced it. For the rare digit whose centre of mass is so far from the
    middle of its box that centring would push ink off the frame, the shift stops at the frame
    edge: losing part of a stroke would hurt recognition more than an off-centre digit.
    """
    return prepare_picture(image, invert=invert, limit_writing=limit_writing)[0]


def prepare_picture(image: np.ndarray, *, invert: bool | None = None,
                    limit_writing: bool = True) -> tuple[np.ndarray, float | None]:
    """:func:`to_mnist_style` and :func:`ink_extent` of one picture, its paper measured once.

    Returns
    -------
    digit : np.ndarray, shape (28, 28), float32
        As :func:`to_mnist_style`.
    extent : float or None
        As :func:`ink_extent`.
    """
    ink = _ink_image(image, invert)
    peak = float(ink.max())
    if peak < _MIN_INK:
        return np.zeros((FRAME_SIZE, FRAME_SIZE), dtype=np.float32), None
    without_rules(ink, in_place=True)  # ink is this function's own array
    box = digit_box(ink, _BBOX_FRACTION * peak)
    if box is None:  # nothing but a ruled page's lines: a blank page
        return np.zeros((FRAME_SIZE, FRAME_SIZE), dtype=np.float32), None
    top, left, bottom, right = box
    extent = max(bottom - top, right - left) / max(ink.shape)
    crop = ink[top:bottom, left:right]
    # Stretch the contrast so the digit's strongest ink is 1, like the black pen strokes of NIST
    # forms; a faint pencil photo and a bold canvas drawing then look alike to the network.
    crop /= crop.max()
    if limit_writing:
        # Width first: it does not change with a shear, but widening multiplies the slant.
        if max(crop.shape) > _SHAPE_SIDE:
            crop = _resampled(crop, _SHAPE_SIDE / max(crop.shape))
        crop = limit_slant(limit_width(crop))

    digit = _resampled(crop, BOX_SIZE / max(crop.shape))
    np.clip(digit, 0.0, 1.0, out=digit)  # undo float round-off only

    return _paste_centred(digit), extent


def _long_runs(mask: np.ndarray, span: int) -> list[tuple[int, int, int, int]]:
    """Thin bands of consecutive rows whose runs of ink are at least ``span`` long, each as
    ``(first row, last row, first column, last column)`` of those runs (inclusive).

    A band is thin when it is at most :data:`RULE_THICKNESS` of its length thick and the rows
    two beyond it on either side hold ink along at most half its length: a thick stroke lying
    a little askew has only a few rows with a run that long, but ink all along the rows beside.
    """
    height, width = mask.shape
    rows = np.flatnonzero(np.count_nonzero(mask, axis=1) >= span)  # only they can hold such a run
    if rows.size == 0:
        return []
    padded = np.zeros((rows.size, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask[rows]
    edges = np.diff(padded, axis=1)
    run_index, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)  # exclusive; same row-major order as the starts
    long = ends - starts >= span
    bands: list[list[int]] = []
    for row, start, end in zip(rows[run_index[long]].tolist(), starts[long].tolist(),
                               (ends[long] - 1).tolist(), strict=True):
        if bands and row - bands[-1][1] <= 1:
            band = bands[-1]
            band[1], band[2], band[3] = row, min(band[2], start), max(band[3], end)
        else:
            bands.append([row, row, start, end])

    def beside(row: int, first: int, last: int) -> float:
        return float(mask[row, first:last + 1].mean()) if 0 <= row < height else 0.0

    return [(a, b, c, d) for a, b, c, d in bands
            if b - a + 1 <= max(1.0, RULE_THICKNESS * (d - c + 1))
            and beside(a - 2, c, d) <= 0.5 and beside(b + 2, c, d) <= 0.5]


def without_rules(ink: np.ndarray, threshold: float | None = None, *,
                  in_place: bool = False) -> np.ndarray:
    """``ink`` without the straight lines of a ruled page or a form's box around the digit.

    A rule is a thin run of ink (brighter than ``threshold``) along at least
    :data:`RULE_SPAN` of the picture (and :data:`MIN_RULE_LENGTH` pixels) that reaches beyond
    the rest of the ink at both ends: by :data:`RULE_OVERHANG` of the rest's height for a line
    across, by :data:`SIDE_RULE_OVERHANG` for a line down, which must also lie beside the rest,
    not through it (a 4's stem goes through its bar); an end that meets a rule of the other
    direction (a box's corner) reaches far enough. Rules are found on a copy at most
    :data:`LABEL_SIDE` pixels on its longer side (block maximum) and cleared at full size, with
    one pixel of that copy to spare on each side; where the digit's ink meets a rule (ink just
    before or just after it: a stroke crossing it, or running along it as a 2's base on the
    line), the rule's pixels are kept as the stroke's. A picture of nothing but two or more
    lines across is a blank ruled page and loses them all; one line alone (a 1 or a dash
    written thin), lines down alone and every drawing of a digit keep their ink.

    Parameters
    ----------
    ink : np.ndarray, shape (H, W), float
        Bright ink on 0, as :func:`ink_image` gives it.
    threshold : float or None
        What counts as ink; ``None`` for the digit box's own (a tenth of the strongest ink).
    in_place : bool
        Clear the rules in ``ink`` itself instead of a copy.

    Returns
    -------
    np.ndarray
        ``ink`` itself when there is no rule (or with ``in_place``, then with its rules set to
        0), else a copy with the rules set to 0.
    """
    mask = ink > (_BBOX_FRACTION * float(ink.max()) if threshold is None else threshold)
    small, factor = downsampled_mask(mask)
    height, width = small.shape
    across = _long_runs(small, max(MIN_RULE_LENGTH, int(np.ceil(RULE_SPAN * width))))
    down = [(c0, c1, r0, r1) for r0, r1, c0, c1 in  # as (rows, columns) too
            _long_runs(small.T, max(MIN_RULE_LENGTH, int(np.ceil(RULE_SPAN * height))))]
    if not across and not down:
        return ink
    rest = small.copy()
    for r0, r1, c0, c1 in across:
        rest[max(r0 - 1, 0):r1 + 2, c0:c1 + 1] = False
    for r0, r1, c0, c1 in down:
        rest[r0:r1 + 1, max(c0 - 1, 0):c1 + 2] = False
    box = digit_box(rest, 0.5)
    if box is None:
        # Nothing but long thin lines: several across are a blank ruled page; one line (a 1 or
        # a dash written thin) or lines down only (an 11) are what was written.
        if len(across) < 2:
            return ink
        rules = [("across", band) for band in across]
    else:
        rules = _rules_beyond(box, across, down)
    if not rules:
        return ink
    full_height, full_width = ink.shape
    regions = []
    for direction, (r0, r1, c0, c1) in rules:  # one pixel of the small copy to spare
        if direction == "across":
            regions.append((direction, slice(max((r0 - 1) * factor, 0), min((r1 + 2) * factor, full_height)),
                            slice(c0 * factor, min((c1 + 1) * factor, full_width))))
        else:
            regions.append((direction, slice(r0 * factor, min((r1 + 1) * factor, full_height)),
                            slice(max((c0 - 1) * factor, 0), min((c1 + 2) * factor, full_width))))
    ruled = np.zeros(mask.shape, dtype=bool)
    for _, rows, cols in regions:
        ruled[rows, cols] = True
    others = mask & ~ruled  # the digit's ink: where it meets a rule, the rule's pixels are kept
    cleared = ink if in_place else ink.copy()
    for direction, rows, cols in regions:
        if direction == "across":
            cleared[rows, cols] *= _touched(others, rows, cols)[None, :]
        else:
            cleared[rows, cols] *= _touched(others.T, cols, rows)[:, None]
    return cleared


def _rules_beyond(box: tuple[int, int, int, int], across: list, down: list) -> list:
    """The bands that reach beyond the rest of the ink's ``box`` as a rule must (see
    :func:`without_rules`), each as ``("across" or "down", band)``."""
    top, left, bottom, right = box  # exclusive ends
    overhang, side_overhang = (RULE_OVERHANG * (bottom - top), SIDE_RULE_OVERHANG * (bottom - top))
    rules: list[tuple[str, tuple[int, int, int, int]]] = []
    # An end that meets a rule of the other direction (a box's corner) counts as reaching beyond.
    changed = True
    while changed:
        changed = False
        for band in across:
            first, last = band[2], band[3]
            if ("across", band) not in rules and (
                    first <= left - overhang or _meets(first, band, rules, "down")) and (
                    last >= right - 1 + overhang or _meets(last, band, rules, "down")):
                rules.append(("across", band))
                changed = True
        for band in down:
            first, last = band[0], band[1]
            if ("down", band) not in rules and (band[3] < left or band[2] >= right) and (
                    first <= top - side_overhang or _meets(first, band, rules, "across")) and (
                    last >= bottom - 1 + side_overhang or _meets(last, band, rules, "across")):
                rules.append(("down", band))
                changed = True
    return rules


def _meets(end: int, band: tuple[int, int, int, int], rules: list, direction: str) -> bool:
    """Whether the end ``end`` of ``band`` (a column of a line across, or a row of a line down)
    lies within a pixel of a rule of the other ``direction`` that the band crosses or reaches."""
    for kind, (r0, r1, c0, c1) in rules:
        if kind != direction:
            continue
        if direction == "down" and c0 - 1 <= end <= c1 + 1 and r0 - 1 <= band[1] and band[0] <= r1 + 1:
            return True
        if direction == "across" and r0 - 1 <= end <= r1 + 1 and c0 - 1 <= band[3] and band[2] <= c1 + 1:
            return True
    return False


def _touched(others: np.ndarray, rows: slice, cols: slice) -> np.ndarray:
    """Per column of ``cols``: 1.0 where other ink lies just above or just below ``rows`` (a
    stroke crossing the rule or running along it there, whose ink the rule's pixels are), else
    0.0."""
    width = cols.stop - cols.start
    before = others[rows.start - 1, cols] if rows.start > 0 else np.zeros(width, bool)
    after = others[rows.stop, cols] if rows.stop < others.shape[0] else np.zeros(width, bool)
    return (before | after).astype(np.float32)


def _ink_moments(image: np.ndarray) -> tuple[float, float, float, float] | None:
    """The row of the ink's centre of mass and its second moments about it: the variance of
    its rows, of its columns and their covariance (intensity-weighted); ``None`` without ink
    or without height (one row of ink)."""
    img = np.asarray(image, dtype=np.float64)
    centre = centre_of_mass(img)
    if centre is None:
        return None
    rows = np.arange(img.shape[0]) - centre[0]
    cols = np.arange(img.shape[1]) - centre[1]
    mass = img.sum()
    var_row = img.sum(axis=1) @ rows ** 2 / mass
    if var_row < 1e-6:
        return None
    var_col = img.sum(axis=0) @ cols ** 2 / mass
    return centre[0], float(var_row), float(var_col), float(rows @ img @ cols / mass)


def ink_slant(image: np.ndarray) -> tuple[float, float] | None:
    """How far the ink leans: the columns it moves per row down (``cov(row, col) / var(row)``
    of its intensity), and the row of its centre of mass; ``None`` without ink or height.

    Positive means the ink runs right as it goes down (its top leans left, a backslant);
    writing whose top leans right, as most slanted handwriting does, is negative.
    """
    moments = _ink_moments(image)
    if moments is None:
        return None
    centre_row, var_row, _, cov = moments
    return cov / var_row, centre_row


def ink_width(image: np.ndarray) -> float | None:
    """How wide the ink is for its height, whatever its slant: the spread of its columns left
    once its slant is taken out, over the spread of its rows (``sqrt((var(col) - cov^2 /
    var(row)) / var(row))``); ``None`` without ink or height.

    A shear leaves it as it is, so it measures the writing rather than its lean: a 1 is about
    0.1-0.2 (its pen width), MNIST's other digits about 0.5-0.9, a dash far more than 1.
    """
    moments = _ink_moments(image)
    if moments is None:
        return None
    _, var_row, var_col, cov = moments
    return float(np.sqrt(max(var_col - cov * cov / var_row, 0.0) / var_row))


def limit_slant(crop: np.ndarray, limit: float = SLANT_LIMIT) -> np.ndarray:
    """A digit cropped to its ink (float, ink bright) sheared back to ``limit`` when it leans
    further (:func:`ink_slant`), and cropped to its ink again; the same array when it leans
    less, or so far (beyond :data:`MAX_SLANT`) that it is lying ink rather than slanted writing.

    The shear is about the centre of mass's row, on the crop before it is fitted into the 20 px
    box, so the fitted digit keeps every promise of :func:`to_mnist_style`. Each row moves
    sideways by a fraction of a pixel times its distance from that row, read by linear
    interpolation between the two nearest pixels (which softens the strokes a little, as any
    sub-pixel shift does).
    """
    slant = ink_slant(crop)
    if slant is None or not limit < abs(slant[0]) <= MAX_SLANT:
        return crop
    excess = slant[0] - float(np.clip(slant[0], -limit, limit))
    height, width = crop.shape
    # Row r's ink moves by -excess * (r - centre row); widen the frame so every row fits.
    moves = -excess * (np.arange(height) - slant[1])
    room = int(np.ceil(moves.max() - moves.min())) + 1
    source = (np.arange(width + room)[None, :] - (moves - moves.min())[:, None])
    left = np.floor(source).astype(np.int64)
    right_share = (source - left).astype(np.float32)
    padded = np.pad(crop.astype(np.float32, copy=False), ((0, 0), (1, 2)))
    rows = np.arange(height)[:, None]
    sheared = (padded[rows, np.clip(left, -1, width) + 1] * (1 - right_share)
               + padded[rows, np.clip(left + 1, -1, width) + 1] * right_share)
    box = ink_bounding_box(sheared, _BBOX_FRACTION * float(sheared.max()))
    assert box is not None  # the ink moved, it did not vanish
    top, left_edge, bottom, right = box
    return sheared[top:bottom, left_edge:right]


def target_width(width: float) -> float:
    """The width (:func:`ink_width`) :func:`limit_width` gives ink of this width.

    - up to :data:`ONE_STROKE_WIDTH` (one stroke, a 1): the width itself;
    - up to :data:`MIN_WIDTH`: :data:`WIDEN_GAIN` times as far above ``ONE_STROKE_WIDTH`` as the
      width, but at most ``MIN_WIDTH``, so a stroke-like digit is widened a little and a narrow
      7 or 8 to ``MIN_WIDTH``, with no jump between them;
    - up to :data:`MAX_WIDTH`: the width itself;
    - beyond: ``MAX_WIDTH``, fading from :data:`SQUEEZE_FADES_FROM` back to the width itself at
      :data:`LYING_WIDTH` and beyond (lying ink).
    """
    if width <= ONE_STROKE_WIDTH or MIN_WIDTH <= width <= MAX_WIDTH or width >= LYING_WIDTH:
        return width
    if width < MIN_WIDTH:
        return min(MIN_WIDTH, ONE_STROKE_WIDTH + WIDEN_GAIN * (width - ONE_STROKE_WIDTH))
    fade = max(0.0, (width - SQUEEZE_FADES_FROM) / (LYING_WIDTH - SQUEEZE_FADES_FROM))
    return MAX_WIDTH + fade * (width - MAX_WIDTH)


def limit_width(crop: np.ndarray) -> np.ndarray:
    """A digit cropped to its ink (float, ink bright) stretched or squeezed across to the widths
    MNIST's writers used (:func:`ink_width`): to at most :data:`MAX_WIDTH`, and a narrow digit
    that is more than one stroke to at least :data:`MIN_WIDTH`; the same array otherwise.

    Ink as narrow as one stroke (below :data:`ONE_STROKE_WIDTH`: a 1) or lying (from
    :data:`LYING_WIDTH` on: a long dash) is left alone; the target width is continuous in the
    width (:func:`target_width`). The columns are resampled by area averaging (sharp when
    stretching, anti-aliased when squeezing), so the digit keeps its height and its rows. The
    resampling matrix is the crop's width squared: :func:`prepare_picture` hands this step a
    crop of at most ``_SHAPE_SIDE`` px. It runs before :func:`limit_slant`, since widening by a
    factor multiplies the slant by it.
    """
    width = ink_width(crop)
    if width is None:
        return crop
    target = target_width(width)
    if abs(target - width) <= 1e-3 * width:
        return crop
    cols = _area_resample_matrix(crop.shape[1], target / width)
    return crop.astype(np.float32, copy=False) @ cols.T


def ink_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """Label the 8-connected components of a boolean image.

    Works on runs of ink per row (union-find over runs that touch in adjacent rows), so the cost
    grows with the number of runs, not of pixels.

    Parameters
    ----------
    mask : np.ndarray, shape (H, W), bool

    Returns
    -------
    labels : np.ndarray, shape (H, W), int32
        0 for background, 1..n for the components (numbered in order of first appearance).
    n : int
        The number of components.
    """
    mask = np.asarray(mask, dtype=bool)
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    run_rows, run_starts = np.nonzero(edges == 1)
    _, run_ends = np.nonzero(edges == -1)  # exclusive; same row-major order as the starts
    parent = list(range(len(run_rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_first = np.searchsorted(run_rows, np.arange(height + 1))
    for row in range(1, height):
        above = range(row_first[row - 1], row_first[row])
        for i in range(row_first[row], row_first[row + 1]):
            for j in above:
                # 8-connected: runs touch when they overlap after growing one pixel sideways.
                if run_starts[j] <= run_ends[i] and run_starts[i] <= run_ends[j]:
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[max(ri, rj)] = min(ri, rj)
    labels = np.zeros((height, width), dtype=np.int32)
    roots: dict[int, int] = {}
    for i in range(len(run_rows)):
        label = roots.setdefault(find(i), len(roots) + 1)
        labels[run_rows[i], run_starts[i]:run_ends[i]] = label
    return labels, len(roots)


def downsampled_mask(mask: np.ndarray, side: int = LABEL_SIDE) -> tuple[np.ndarray, int]:
    """``mask`` reduced by an integer factor (block maximum) so its longer side is at most
    ``side``; returns the reduced mask and the factor."""
    factor = max(1, int(np.ceil(max(mask.shape) / side)))
    if factor == 1:
        return mask, 1
    h = -(-mask.shape[0] // factor) * factor
    w = -(-mask.shape[1] // factor) * factor
    grown = np.zeros((h, w), dtype=bool)
    grown[:mask.shape[0], :mask.shape[1]] = mask
    return grown.reshape(h // factor, factor, w // factor, factor).any(axis=(1, 3)), factor


def ink_extent(image: np.ndarray, *, invert: bool | None = None) -> float | None:
    """How much of the image the ink spans: its box's longer side over the image's longer side.

    Parameters
    ----------
    image, invert
        As for :func:`to_mnist_style` (the same ink detection and cropping threshold).

    Returns
    -------
    float or None
        In (0, 1]; ``None`` when the image has no ink (where :func:`to_mnist_style` gives zeros).
    """
    return prepare_picture(image, invert=invert)[1]


def check_pipeline(recorded: str | None) -> None:
    """Refuse a model whose images were prepared by a pipeline this DigitLab does not have.

    Parameters
    ----------
    recorded : str or None
        The ``pipeline`` a model file records under ``preprocessing``. ``None`` (a file written
        before the name was recorded, or by hand without it) means :data:`PIPELINE_NAME`, the
        only pipeline there has ever been.

    Raises
    ------
    ModelFileError
        One line naming the unknown pipeline and the known one.
    """
    if recorded is None or recorded == PIPELINE_NAME:
        return
    quoted = repr(recorded)
    if len(quoted) > _MAX_QUOTED_NAME:
        quoted = quoted[:_MAX_QUOTED_NAME] + "..."
    raise ModelFileError(f"the model's image pipeline {quoted} is unknown (this DigitLab prepares "
                         f"images with {PIPELINE_NAME!r} only)")


def ink_bounding_box(image: np.ndarray, threshold: float) -> tuple[int, int, int, int] | None:
    """Smallest box holding every pixel brighter than ``threshold``.

    Parameters
    ----------
    image : np.ndarray, shape (H, W)
        Ink image (ink bright).
    threshold : float
        Pixels with a value strictly greater than this count as ink.

    Returns
    -------
    tuple of int or None
        ``(top, left, bottom, right)`` with ``bottom`` and ``right`` exclusive, so
        ``image[top:bottom, left:right]`` is the box; ``None`` if no pixel is ink.
    """
    mask = np.asarray(image) > threshold
    if mask.ndim != 2:
        raise DataError(f"expected a 2-D image, got shape {mask.shape}")
    ink_rows = np.flatnonzero(mask.any(axis=1))
    if ink_rows.size == 0:
        return None
    ink_cols = np.flatnonzero(mask.any(axis=0))
    return (
        int(ink_rows[0]),
        int(ink_cols[0]),
        int(ink_rows[-1]) + 1,
        int(ink_cols[-1]) + 1,
    )


def digit_box(image: np.ndarray, threshold: float) -> tuple[int, int, int, int] | None:
    """The box of the ink brighter than ``threshold``, leaving out specks.

    A separate blob of ink with fewer pixels than _SPECK_FRACTION of the largest one (dust on a
    scan, a stray dot, salt noise) would otherwise widen the box and shrink the digit. The parts
    of a digit (a 5's bar, a broken stroke) are far larger and stay. A picture whose ink is one
    blob, or has no specks, gets :func:`ink_bounding_box` exactly.

    Returns
    -------
    tuple of int or None
        ``(top, left, bottom, right)`` as :func:`ink_bounding_box`; ``None`` if no pixel is ink.

    Raises
    ------
    DataError
        If ``image`` is not 2-D.
    """
    mask = np.asarray(image) > threshold
    if mask.ndim != 2:
        raise DataError(f"expected a 2-D image, got shape {mask.shape}")
    small, factor = downsampled_mask(mask, _SPECK_LABEL_SIDE)
    labels, count = ink_components(small)
    if count <= 1:
        return ink_bounding_box(mask, 0.5)
    sizes = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    keep = np.flatnonzero(sizes >= _SPECK_FRACTION * sizes.max()) + 1
    if keep.size == count:
        return ink_bounding_box(mask, 0.5)
    kept = np.isin(labels, keep)
    if factor > 1:
        kept = np.repeat(np.repeat(kept, factor, axis=0), factor, axis=1)
        kept = kept[:mask.shape[0], :mask.shape[1]]
    return ink_bounding_box(mask & kept, 0.5)


def centre_of_mass(image: np.ndarray) -> tuple[float, float] | None:
    """Intensity-weighted mean pixel position.

    Parameters
    ----------
    image : np.ndarray, shape (H, W)
        Ink image (ink bright, background 0; negative values are not meaningful).

    Returns
    -------
    tuple of float or None
        ``(row, col)`` in pixel coordinates (the centre of pixel ``(i, j)`` is ``(i, j)``);
        ``None`` if the image has no mass.
    """
    img = np.asarray(image, dtype=np.float64)
    if img.ndim != 2:
        raise DataError(f"expected a 2-D image, got shape {img.shape}")
    mass = img.sum()
    if not mass > 0:
        return None
    row = img.sum(axis=1) @ np.arange(img.shape[0]) / mass
    col = img.sum(axis=0) @ np.arange(img.shape[1]) / mass
    return float(row), float(col)


def ink_image(image: np.ndarray, *, invert: bool | None = None) -> np.ndarray:
    """The image as bright ink on a zero background, the way :func:`to_mnist_style` sees it.

    Parameters
    ----------
    image : np.ndarray, shape (H, W)
        As for :func:`to_mnist_style` (never modified).
    invert : bool or None
        As for :func:`to_mnist_style`: ``None`` detects the polarity from the border.

    Returns
    -------
    np.ndarray, shape (H, W), float32
        A new array in [0, 1], the paper removed (its level, the slope of uneven light and
        its noise, measured on the border; not contrast-stretched).

    Raises
    ------
    DataError
        If ``image`` is not a non-empty 2-D array of finite numbers.
    """
    return _ink_image(image, invert)


def _ink_image(image: np.ndarray, invert: bool | None) -> np.ndarray:
    """A new float32 array in [0, 1] with bright ink and the paper (its level, the slope of
    uneven light and its noise; :func:`_paper`) removed."""
    arr = np.asarray(image)
    if arr.ndim != 2 or arr.size == 0:
        raise DataError(f"expected a non-empty 2-D grey image, got shape {arr.shape}")
    if arr.dtype == np.bool_:
        grey = arr.astype(np.float32)
    elif np.issubdtype(arr.dtype, np.integer):
        grey = arr.astype(np.float32) / np.float32(np.iinfo(arr.dtype).max)
    elif np.issubdtype(arr.dtype, np.floating):
        grey = arr.astype(np.float32)  # always a copy: the input is never written
        if not np.isfinite(grey).all():
            raise DataError("the image contains NaN or infinite values")
    else:
        raise DataError(f"expected a numeric grey image, got dtype {arr.dtype}")
    np.clip(grey, 0.0, 1.0, out=grey)

    # The border is almost always background, even when the digit touches one edge; medians
    # ignore the strokes that do reach it.
    level, slope_down, slope_across, noise = _paper(grey)
    if invert is None:
        invert = level > 0.5
    if invert:
        np.subtract(1.0, grey, out=grey)
        level, slope_down, slope_across = 1.0 - level, -slope_down, -slope_across

    # Paper is rarely pure white, evenly lit or noiseless: subtract the paper (its level, and
    # its slope where the lighting is uneven) plus the level its noise rarely exceeds, so the
    # background becomes 0 instead of faint ink or a field of specks that would widen the ink's
    # box and shrink the digit; then rescale so full-strength ink stays at 1. A clean, evenly
    # lit picture (a drawing, an MNIST digit, nearly every digit cropped tightly to its ink)
    # measures no slope and no noise and is unchanged.
    if slope_down or slope_across:
        height, width = grey.shape
        down = (np.float32(slope_down) * (np.arange(height, dtype=np.float32) - (height - 1) / 2)
                + np.float32(level))
        across = np.float32(slope_across) * (np.arange(width, dtype=np.float32) - (width - 1) / 2)
        # A band of rows at a time keeps the extra memory small for a large photo.
        for top in range(0, height, _ROWS_PER_BAND):
            paper = np.add.outer(down[top:top + _ROWS_PER_BAND], across)
            # Where the lit paper would be brighter than white the picture clipped it to white:
            # no more than that was recorded, so no more is removed there.
            np.maximum(paper, 0.0, out=paper)
            grey[top:top + _ROWS_PER_BAND] -= paper
    else:
        grey -= level
    # Donoho and Johnstone's universal threshold: noise of N pixels stays below sigma *
    # sqrt(2 ln N) but for a pixel or so, whatever the picture's size.
    grey -= noise * np.sqrt(2.0 * np.log(grey.size))
    if level < 1.0:
        grey /= 1.0 - level
    # (paper lit more brightly than at the centre leaves its ink a little above 1)
    np.clip(grey, 0.0, 1.0, out=grey)
    return grey


def _paper(grey: np.ndarray) -> tuple[float, float, float, float]:
    """The paper under the ink, measured on the image's border: its level at the image's
    centre, its slope per pixel downwards and across (uneven lighting), and its noise as a
    standard deviation.

    Every estimate is robust to the strokes of a digit that reaches the border: the level is
    the median of the border (less the slope); the noise comes from the quietest quarter of the
    steps between neighbouring border pixels (paper runs, not ink edges); and a slope counts
    only when it looks like light falling across the whole sheet (:func:`_lighting_slope`).
    A picture less than _MIN_MEASURED_SIDE pixels high or wide has too little border to tell
    paper from ink: only its level is measured.
    """
    height, width = grey.shape
    border = np.concatenate([grey[0], grey[-1], grey[1:-1, 0], grey[1:-1, -1]])
    if min(height, width) < _MIN_MEASURED_SIDE:
        return float(np.median(border)), 0.0, 0.0, 0.0
    slope_across = _lighting_slope(grey[0], grey[-1], grey[:, 0], grey[:, -1])
    slope_down = _lighting_slope(grey[:, 0], grey[:, -1], grey[0], grey[-1])
    steps = np.concatenate([np.diff(grey[0]) - slope_across, np.diff(grey[-1]) - slope_across,
                            np.diff(grey[:, 0]) - slope_down, np.diff(grey[:, -1]) - slope_down])
    noise = _NOISE_PER_QUIET_STEP * float(np.quantile(np.abs(steps), 0.25))
    if slope_down or slope_across:
        rows = np.arange(height) - (height - 1) / 2
        cols = np.arange(width) - (width - 1) / 2
        tilt = np.concatenate([slope_down * rows[0] + slope_across * cols,
                               slope_down * rows[-1] + slope_across * cols,
                               slope_down * rows[1:-1] + slope_across * cols[0],
                               slope_down * rows[1:-1] + slope_across * cols[-1]])
        border = border - tilt
    return float(np.median(border)), slope_down, slope_across, noise


def _lighting_slope(one_side: np.ndarray, other_side: np.ndarray, first_end: np.ndarray,
                    last_end: np.ndarray) -> float:
    """The paper's slope per pixel along two opposite sides (``one_side``, ``other_side``),
    checked against the two sides across their ends (``first_end`` at their first pixel,
    ``last_end`` at their last); 0 unless it looks like lighting.

    Lighting tilts the whole sheet: each side is a ramp rather than a step (:func:`_ramp_slope`),
    both slope the same way (the steeper is taken, as paper clipped at white flattens a side)
    and the far end is brighter or darker than the near end by about the slope times the
    distance (within 30%; less if an end is clipped at white or black). A digit that reaches
    the border makes steps, not ramps, and one side's steps do not repeat on the opposite side
    and across.
    """
    a, b = _ramp_slope(one_side), _ramp_slope(other_side)
    if a * b <= 0.0:
        return 0.0
    slope = a if abs(a) > abs(b) else b
    expected = slope * (one_side.size - 1)
    near, far = float(np.median(first_end)), float(np.median(last_end))
    observed = far - near
    if observed * expected <= 0.0 or abs(observed) > 1.3 * abs(expected):
        return 0.0
    # An end side clipped at white (or black) shows less of the difference than there is.
    clipped = any(level in (0.0, 1.0) for level in (near, far))
    return slope if clipped or abs(observed) >= 0.7 * abs(expected) else 0.0


def _ramp_slope(values: np.ndarray) -> float:
    """The side's slope if the side is a ramp rather than a step, else 0.

    Light falling across the paper makes a ramp: over any short stretch (a sixteenth of the
    side) it changes by little more than its slope says. A stroke that reaches the border makes
    a step, which changes by most of the side's rise within a few pixels. The side is a ramp
    when, less the slope, nearly all short stretches (all but 3%) change by less than half the
    rise. Pixels at 0 or 1 are left out: paper lit so brightly that it clips at white no longer
    shows the ramp there (and paper that is exactly black or white is flat anyway); they must
    span a quarter of the side, the line may not climb much more over them (_MAX_CLIMB) than
    they do, nor more than from black to white over the side.
    """
    if values.size < 2 or values.min() == values.max():  # a flat side (a drawing's, say)
        return 0.0
    shown = (values > 0.0) & (values < 1.0)
    positions = _sample_positions(values.size)
    positions = positions[shown[positions]]
    if positions.size < _MIN_RAMP_POINTS:
        return 0.0
    first, second = np.triu_indices(positions.size, k=1)
    slope = float(np.median((values[positions[second]] - values[positions[first]])
                            / (positions[second] - positions[first])))  # Theil-Sen
    if slope == 0.0:
        return 0.0
    stretch = max(2, values.size // 16)
    both_shown = shown[stretch:] & shown[:-stretch]
    if both_shown.sum() < _MIN_RAMP_POINTS:
        return 0.0
    # Light changes slowly: the shown pixels span at least a quarter of the side, the line over
    # them climbs not much more than they do, and over the whole side it climbs less than from
    # black to white. The slope of a few strokes' ink edges fails these.
    span = positions[-1] - positions[0]
    climb = abs(slope) * span
    if (span < values.size / 4 or abs(slope) * (values.size - 1) > 1.0
            or climb > _MAX_CLIMB * float(values[shown].max() - values[shown].min())):
        return 0.0
    changes = np.abs(values[stretch:] - values[:-stretch] - np.float32(slope * stretch))
    rise = abs(slope) * (values.size - 1)
    return slope if float(np.quantile(changes[both_shown], 0.97)) <= 0.5 * rise else 0.0


def _sample_positions(size: int) -> np.ndarray:
    """At most _SLOPE_POINTS evenly spaced positions along a side of ``size`` pixels."""
    return np.unique(np.linspace(0, size - 1, min(size, _SLOPE_POINTS)).astype(np.intp))


def _area_resample_matrix(n_in: int, scale: float) -> np.ndarray:
    """Box-filter resampling matrix for one axis.

    Output pixel ``i`` covers the input interval ``[i / scale, (i + 1) / scale)`` and takes the
    average of the input over it (area averaging), with zero beyond the input. This is the
    correct anti-aliasing filter when shrinking and a sharp, mass-preserving resampling when
    enlarging.

    Parameters
    ----------
    n_in : int
        Input length along the axis.
    scale : float
        Output pixels per input pixel (> 0).

    Returns
    -------
    np.ndarray, shape (n_out, n_in), float32
        ``n_out = ceil(n_in * scale)``; ``out = R @ x`` resamples a column vector ``x``.
    """
    # The tolerance keeps an exact 20.0 from becoming 21 through float round-off.
    n_out = max(1, int(np.ceil(n_in * scale - 1e-6)))
    starts = np.arange(n_out)[:, None] / scale  # (n_out, 1), in input pixels
    ends = starts + 1.0 / scale
    pixel = np.arange(n_in)[None, :]  # input pixel j spans [j, j + 1)
    overlap = np.minimum(ends, pixel + 1) - np.maximum(starts, pixel)
    np.clip(overlap, 0.0, None, out=overlap)
    # overlap / footprint length: a fully covered output pixel's weights sum to 1, a partly
    # covered last pixel is proportionally fainter (it is partly background).
    return (overlap * scale).astype(np.float32)


def _resampled(image: np.ndarray, scale: float) -> np.ndarray:
    """The image scaled by ``scale`` both ways by area averaging (:func:`_area_resample_matrix`)."""
    rows = _area_resample_matrix(image.shape[0], scale)
    cols = _area_resample_matrix(image.shape[1], scale)
    return rows @ image @ cols.T


def _paste_centred(digit: np.ndarray) -> np.ndarray:
    """Paste a digit of at most 20x20 into a 28x28 frame, centre of mass at (14, 14)."""
    com = centre_of_mass(digit)
    assert com is not None  # the caller checked for ink
    height, width = digit.shape
    # floor(x + 0.5) rounds halves consistently (np.round would go to even).
    top = int(np.floor(FRAME_SIZE / 2 - com[0] + 0.5))
    left = int(np.floor(FRAME_SIZE / 2 - com[1] + 0.5))
    top = min(max(top, 0), FRAME_SIZE - height)
    left = min(max(left, 0), FRAME_SIZE - width)
    frame = np.zeros((FRAME_SIZE, FRAME_SIZE), dtype=np.float32)
    frame[top : top + height, left : left + width] = digit
    return frame
