"""MNIST's digits made into stand-ins for what DigitLab must read beyond MNIST, for
``tools/handwriting_eval.py``: stretched to fill their box, as noisy, unevenly lit or speckled
scans, on a ruled page or in a form's box, and drawn on the canvas along their centre lines (as
they are, or slanted, narrowed, widened, turned, broken or run on as other writers might draw
them). Each is made with its own
resampling, never with the training augmentation's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def stretched_to_grid(images: np.ndarray, grid: int = 16, binary: bool = False) -> np.ndarray:
    """Each digit's ink box resized to fill ``grid`` x ``grid`` (area averaging, aspect not
    kept), binarised at half intensity if asked: the picture a stretched scan would hold."""
    from digitlab.core.preprocess import _area_resample_matrix, ink_bounding_box
    out = np.zeros((len(images), grid, grid), dtype=np.float32)
    for k, image in enumerate(images):
        unit = image.astype(np.float32) / 255.0
        box = ink_bounding_box(unit, 0.3)
        if box is None:
            continue
        top, left, bottom, right = box
        crop = unit[top:bottom, left:right]
        rows = _area_resample_matrix(crop.shape[0], grid / crop.shape[0])[:grid]
        cols = _area_resample_matrix(crop.shape[1], grid / crop.shape[1])[:grid]
        small = rows @ crop @ cols.T
        out[k] = small > 0.5 if binary else small
    return out


def noisy_scans(images: np.ndarray, noise: float = 25.0, light: float = 0.0,
                specks: float = 0.0, seed: int = 0) -> np.ndarray:
    """Each digit as a scan or photo would hold it: enlarged twice, dark ink (35) on paper (235)
    with a 4-pixel margin, Gaussian noise of ``noise`` grey levels, the light falling off by
    ``light`` grey levels either way from the middle in a random direction, a share ``specks``
    of the pixels turned black or white (salt-and-pepper, as dust on a scan), clipped to uint8
    (64x64)."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:64, 0:64] - 31.5
    out = np.empty((len(images), 64, 64), dtype=np.uint8)
    for k, image in enumerate(images):
        paper = np.full((64, 64), 235.0)
        paper[4:60, 4:60] -= np.kron(image.astype(np.float64) / 255.0, np.ones((2, 2))) * 200.0
        if light:  # (drawn only then: the noisy scans stay the same set)
            angle = rng.uniform(0.0, 2.0 * np.pi)
            paper += light * (np.cos(angle) * cols + np.sin(angle) * rows) / 31.5
        out[k] = np.clip(np.rint(paper + rng.normal(0.0, noise, paper.shape)), 0, 255)
        if specks:  # (drawn only then: the other sets stay the same)
            hit = rng.random(paper.shape) < specks
            out[k][hit] = np.where(rng.random(int(hit.sum())) < 0.5, 0, 255)
    return out


def with_rules(images: np.ndarray, kind: str, seed: int = 0) -> np.ndarray:
    """Each digit on paper with printed lines, as a photo of a notebook or a cut-out of a form
    would hold it: enlarged twice, dark ink (35) on paper (235), Gaussian noise of 5 grey
    levels, and either ("ruled") a 96x96 page ruled every 40 px with lines 2 px thick (grey 150)
    at a random phase, the digit within 8 px of the middle, so most digits cross or touch a line,
    or ("boxed") a 72x72 cut-out with a box 2 px thick (grey 90) 1-6 px from each edge (uint8)."""
    rng = np.random.default_rng(seed)
    side = 96 if kind == "ruled" else 72
    out = np.empty((len(images), side, side), dtype=np.uint8)
    for k, image in enumerate(images):
        paper = np.full((side, side), 235.0)
        if kind == "ruled":
            for row in range(int(rng.integers(0, 40)), side - 1, 40):
                paper[row:row + 2, :] = 150.0
            top, left = (20 + rng.integers(-8, 9, size=2)).tolist()
        elif kind == "boxed":
            a, b = rng.integers(1, 7, size=2).tolist()  # the box's insets, top-left and bottom-right
            paper[a:a + 2, a:side - b] = paper[side - b - 2:side - b, a:side - b] = 90.0
            paper[a:side - b, a:a + 2] = paper[a:side - b, side - b - 2:side - b] = 90.0
            top = left = 8
        else:
            raise ValueError(f"unknown kind of rules {kind!r}")
        ink = np.kron(image.astype(np.float64) / 255.0, np.ones((2, 2)))
        region = paper[top:top + 56, left:left + 56]
        region[:] = np.minimum(region, 235.0 - ink * 200.0)
        out[k] = np.clip(np.rint(paper + rng.normal(0.0, 5.0, paper.shape)), 0, 255)
    return out


def drawn_on_canvas(images: np.ndarray, move=None) -> np.ndarray:
    """MNIST digits as the Draw panel would see them drawn: each digit's centre lines (ink at
    half intensity or more, thinned) become pen strokes, one per pair of touching line pixels,
    rendered and prepared by the Draw panel's own path (not the training augmentation's
    ``core.redraw``). ``move`` maps each canvas point (x, y) first (a writing style)."""
    return _drawn(*_centre_line_steps(images), len(images), move)


def digits_found(ends: list, owners: list, count: int, move=None) -> np.ndarray:
    """How many digits the Draw panel's grouping (:func:`digitlab.core.segment.group_strokes`,
    with the canvas pen's width) finds in each drawing of :func:`_drawn`, taking each connected
    piece of its centre lines as one pen stroke: a digit broken into pieces that the grouping
    splits would show ``?`` in the app, and counts as a miss."""
    from digitlab.core.segment import group_strokes
    from digitlab.gui.widgets.draw_canvas import DEFAULT_PEN_WIDTH
    parent: dict[tuple, tuple] = {}

    def root(point: tuple) -> tuple:
        while parent.setdefault(point, point) != point:
            parent[point] = parent[parent[point]]
            point = parent[point]
        return point

    for (first, last), owner in zip(ends, owners, strict=True):
        parent[root((owner, *first))] = root((owner, *last))
    pieces: dict[tuple, list] = {}
    for (first, last), owner in zip(ends, owners, strict=True):
        piece = pieces.setdefault((owner, root((owner, *first))), [])
        piece.extend(move(*p) if move else tuple(p) for p in (first, last))
    strokes: list[list] = [[] for _ in range(count)]
    for (owner, _), points in pieces.items():
        strokes[owner].append(points)
    return np.array([len(group_strokes(s, DEFAULT_PEN_WIDTH)) for s in strokes])


def _centre_line_steps(images: np.ndarray) -> tuple[list, list]:
    """Every step of the digits' thinned centre lines as canvas (x, y) end points in 0..1, and
    the digit each belongs to."""
    from digitlab.core.skeleton import STROKE_INK, skeleton_segments, thin
    side = images.shape[1]
    segments, owners = skeleton_segments(thin(images >= STROKE_INK * 255))  # uint8 images
    # (row, column) pixel centres to canvas (x, y) in 0..1
    return ((segments[:, :, ::-1] + 0.5) / side).tolist(), owners.tolist()


def _drawn(ends: list, owners: list, count: int, move=None) -> np.ndarray:
    from digitlab.gui.stroke_prediction import network_input_for_strokes
    strokes: list[list] = [[] for _ in range(count)]
    for (first, last), owner in zip(ends, owners, strict=True):
        a, b = (move(*first), move(*last)) if move else (tuple(first), tuple(last))
        strokes[owner].append([a] if first == last else [a, b])
    return np.stack([network_input_for_strokes(s) for s in strokes])


#: how other writers might hold the pen: (name, kind, amount); a slant leans the top of the
#: strokes right by that many degrees, a width scales them across, a turn rotates them
WRITING_STYLES = (("slant -20", "slant", -20.0), ("slant 20", "slant", 20.0),
                  ("slant 30", "slant", 30.0), ("slant 40", "slant", 40.0),
                  ("width x0.5", "width", 0.5), ("width x0.7", "width", 0.7),
                  ("width x1.4", "width", 1.4), ("width x1.8", "width", 1.8),
                  ("turn -20", "turn", -20.0), ("turn 20", "turn", 20.0))
#: strokes other writers might leave unfinished or run on past their ends: (name, kind, amount in
#: canvas units, a digit being about 0.71 of the canvas tall); a gap takes out each digit's
#: centre lines within that distance of one of their points (chosen at random, seeded), an
#: overshoot runs every free end of the lines that far on, straight
STROKE_STYLES = (("gap 8%", "gap", 0.03), ("gap 14%", "gap", 0.05),
                 ("overshoot 7%", "overshoot", 0.05), ("overshoot 14%", "overshoot", 0.1))
#: validation digits drawn in each style (a fixed sample: every style draws the same digits)
STYLE_DIGITS = 2000


def style_transform(kind: str, amount: float):
    """A map of canvas points (x, y in 0..1, y down) about the pad's centre for one style."""
    if kind == "slant":
        lean = float(np.tan(np.deg2rad(amount)))
        return lambda x, y: (x + lean * (0.5 - y), y)
    if kind == "width":
        return lambda x, y: (0.5 + (x - 0.5) * amount, y)
    if kind == "turn":  # counter-clockwise as seen for a positive angle
        c, s = float(np.cos(np.deg2rad(amount))), float(np.sin(np.deg2rad(amount)))
        return lambda x, y: (0.5 + c * (x - 0.5) + s * (y - 0.5), 0.5 - s * (x - 0.5) + c * (y - 0.5))
    raise ValueError(f"unknown writing style {kind!r}")


def with_gaps(ends: list, owners: list, radius: float, seed: int = 5) -> tuple[list, list]:
    """The steps of centre lines (:func:`_centre_line_steps`) without those whose middle lies
    within ``radius`` of the middle of one step per digit, chosen at random: a stroke left
    unfinished or a pen that skipped."""
    middles = np.asarray(ends, dtype=np.float64).mean(axis=1)
    owner_of = np.asarray(owners)
    rng = np.random.default_rng(seed)
    keep = np.ones(len(owners), dtype=bool)
    for owner in np.unique(owner_of):
        mine = np.flatnonzero(owner_of == owner)
        centre = middles[rng.choice(mine)]
        keep[mine[np.hypot(*(middles[mine] - centre).T) < radius]] = False
    return ([e for e, k in zip(ends, keep, strict=True) if k],
            [o for o, k in zip(owners, keep, strict=True) if k])


def with_overshoots(ends: list, owners: list, length: float) -> tuple[list, list]:
    """The steps of centre lines (:func:`_centre_line_steps`) and, at every free end of them (a
    point only one step of its digit touches), a straight step ``length`` further on in the
    direction the line was going: strokes run on past where they should stop."""
    touches: dict[tuple, int] = {}
    for (first, last), owner in zip(ends, owners, strict=True):
        if first != last:
            for point in (first, last):
                key = (owner, *point)
                touches[key] = touches.get(key, 0) + 1
    runs, run_owners = [], []
    for (first, last), owner in zip(ends, owners, strict=True):
        if first == last:
            continue
        for end, other in ((first, last), (last, first)):
            if touches[(owner, *end)] == 1:
                direction = np.subtract(end, other)
                tip = np.asarray(end) + direction / np.hypot(*direction) * length
                runs.append([list(end), tip.tolist()])
                run_owners.append(owner)
    return ends + runs, owners + run_owners


def style_names() -> tuple[str, ...]:
    """Every set :func:`drawn_in_styles` draws, in order."""
    return ("plain", *(style[0] for style in WRITING_STYLES + STROKE_STYLES))


def drawn_in_styles(images: np.ndarray) -> dict[str, np.ndarray]:
    """The digits drawn on the canvas as :func:`drawn_on_canvas` does, once as they are
    ("plain"), once in each of :data:`WRITING_STYLES` (their pen strokes slanted, narrowed,
    widened or turned before the Draw panel's renderer sees them) and once in each of
    :data:`STROKE_STYLES` (with a gap, or with every line running on past its ends)."""
    ends, owners = _centre_line_steps(images)  # thinned once for every style
    count = len(images)
    out = {"plain": _drawn(ends, owners, count),
           "plain digits": digits_found(ends, owners, count)}
    for name, kind, amount in WRITING_STYLES:
        move = style_transform(kind, amount)
        out[name] = _drawn(ends, owners, count, move)
        out[f"{name} digits"] = digits_found(ends, owners, count, move)
    for name, kind, amount in STROKE_STYLES:
        changed = (with_gaps(ends, owners, amount) if kind == "gap"
                   else with_overshoots(ends, owners, amount))
        out[name] = _drawn(*changed, count)
        out[f"{name} digits"] = digits_found(*changed, count)
    return out


def style_sets(folder: Path) -> dict[str, np.ndarray]:
    """:data:`STYLE_DIGITS` of the shipped runs' validation digits (seed 0, 10%; a fixed sample)
    drawn in every writing style, and their labels."""
    from digitlab.core.data import load_mnist
    from digitlab.core.splits import TrainingData
    validation = TrainingData.from_mnist(load_mnist(folder), val_split=0.1, seed=0).validation
    chosen = np.sort(np.random.default_rng(2).choice(len(validation), STYLE_DIGITS, replace=False))
    sets = drawn_in_styles(validation.images[chosen])
    sets["labels"] = validation.labels[chosen].astype(int)
    return sets


def mnist_sets(folder: Path, drawn: bool = False, held_out: bool = False) -> dict:
    """MNIST test, as 28x28 network inputs and as stretched pictures (grey and binary), noisy,
    unevenly lit and speckled pictures, and pictures on a ruled page and in a form's box
    (:func:`with_rules`), read as ``predict`` reads a picture, and drawn on the
    canvas (:func:`drawn_on_canvas`, with ``drawn``; it needs a Qt application; with how many
    digits the Draw panel finds in each, :func:`digits_found`); with ``held_out``, also the
    shipped runs' validation digits drawn on the canvas."""
    from digitlab.core.data import load_mnist
    from digitlab.core.preprocess import to_mnist_style
    from digitlab.core.splits import TrainingData
    data = load_mnist(folder)
    sets = {"plain": data.test_images.astype(np.float32) / 255.0,
            "labels": data.test_labels.astype(int)}
    for name, binary in (("stretched grey", False), ("stretched binary", True)):
        sets[name] = np.stack([to_mnist_style(p, invert=False)
                               for p in stretched_to_grid(data.test_images, binary=binary)])
    # polarity detected from the picture, as predict does
    sets["noisy scan"] = np.stack([to_mnist_style(p) for p in noisy_scans(data.test_images)])
    sets["unevenly lit"] = np.stack([to_mnist_style(p) for p in
                                     noisy_scans(data.test_images, noise=5.0, light=40.0)])
    sets["speckled scan"] = np.stack([to_mnist_style(p) for p in
                                      noisy_scans(data.test_images, noise=0.0, specks=0.01)])
    for kind, name in (("ruled", "on a ruled page"), ("boxed", "in a form's box")):
        sets[name] = np.stack([to_mnist_style(p) for p in with_rules(data.test_images, kind)])
    if drawn:
        steps = _centre_line_steps(data.test_images)
        sets["drawn on the canvas"] = _drawn(*steps, len(data.test_images))
        sets["drawn on the canvas digits"] = digits_found(*steps, len(data.test_images))
    if drawn and held_out:
        # The shipped runs' validation digits (seed 0, 10%), never trained on: drawn on the
        # canvas, they choose between candidate models without looking at MNIST test.
        validation = TrainingData.from_mnist(data, val_split=0.1, seed=0).validation
        steps = _centre_line_steps(validation.images)
        sets["validation drawn on the canvas"] = _drawn(*steps, len(validation.images))
        sets["validation drawn on the canvas digits"] = digits_found(*steps,
                                                                     len(validation.images))
        sets["validation labels"] = validation.labels.astype(int)
    return sets
