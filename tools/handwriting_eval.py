"""Measure a model on pen strokes the way the Draw panel reads them, and choose its decline threshold.

The strokes go through the Draw panel's own path (the network renderer and the core's image
pipeline of :mod:`digitlab.gui.stroke_prediction`, then the model's calibrated probabilities and
:func:`digitlab.core.decline.decline_reason`), without the mouse events. The rendered 28x28
inputs are cached (``--cache``), so comparing models takes seconds. The tests replay a sample of
the same strokes with real mouse events into ``drawCanvas``.

Data (none of it the pendigits ``test`` split, which stays unseen):

- the pendigits ``train`` split, each digit one polyline as the replay test draws it;
- ``tests/data/stroke_digits.json`` (digits and non-digits, see tests/data/README.md);
- with ``--mnist DIR`` (default ``$DIGITLAB_MNIST_DIR``): MNIST test as it is, and MNIST test
  stretched to fill a 16x16 grid in both directions, in grey and binarised, as some scanned
  collections store digits, then read through ``digitlab predict``'s pipeline
  (``core.preprocess``). These stand-ins for stretched scans are made here with their own
  resampling, not with the training augmentation's (``core.box_stretch``); and MNIST test as a
  noisy scan (dark ink on paper, enlarged twice, Gaussian noise of 25 grey levels), as an
  unevenly lit photo (the light falling off by 40 grey levels either way, noise 5) and as a
  speckled scan (1% of the pixels black or white); and MNIST test *drawn on the canvas*: each
  digit thinned to its centre lines (``core.skeleton``) and those lines drawn as pen strokes
  through the Draw panel's renderer and pipeline, a stand-in for real writers' pen strokes
  (10,000 digits by the test set's writers, drawn with the canvas's even pen).

Usage::

    QT_QPA_PLATFORM=offscreen python tools/handwriting_eval.py MODEL [MODEL ...]
        [--holdout DIR] [--choose-threshold] [--max-declined 0.02] [--write MODEL]

``--choose-threshold`` prints the largest threshold on the calibrated top probability that
declines at most ``--max-declined`` of the real digits (pendigits train + the stroke digits);
``--write`` stores it in that model file's ``decline`` record.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def pendigits_train(holdout: Path) -> tuple[list[list[list[tuple[float, float]]]], np.ndarray]:
    """The train split as single-polyline drawings in canvas coordinates (0..1)."""
    with np.load(holdout / "pendigits_strokes.npz", allow_pickle=False) as archive:
        points, offsets = archive["points"], archive["sample_offsets"]
        labels, split = archive["labels"], archive["split"]
    chosen = np.flatnonzero(split == "train")
    drawings = [[[(0.15 + 0.7 * x / 100, 0.15 + 0.7 * y / 100)
                  for x, y in points[offsets[i]:offsets[i + 1]]]] for i in chosen]
    return drawings, labels[chosen].astype(int)


def stroke_set(path: Path) -> tuple[list, np.ndarray, list, list[str], list[str]]:
    data = json.loads(path.read_text())
    def canvas(strokes):
        return [[(0.15 + 0.7 * x / 100, 0.15 + 0.7 * y / 100) for x, y in s] for s in strokes]
    digits = [canvas(d["strokes"]) for d in data["digits"]]
    labels = np.array([d["label"] for d in data["digits"]])
    forms = [f"{d['label']}:{d['form']}" for d in data["digits"]]
    others = [canvas(d["strokes"]) for d in data["non_digits"]]
    kinds = [d["kind"] for d in data["non_digits"]]
    return digits, labels, others, kinds, forms


def render(drawings) -> tuple[np.ndarray, list]:
    """The 28x28 inputs and ink statistics of the drawings, as the Draw panel makes them."""
    from digitlab.gui.stroke_prediction import ink_stats, network_input_for_strokes
    inputs = np.stack([network_input_for_strokes(d) for d in drawings])
    return inputs, [ink_stats(d) for d in drawings]


def read_all(model, inputs: np.ndarray, inks: list) -> tuple[np.ndarray, np.ndarray, list]:
    """Digits (-1 when declined), top calibrated probabilities and reasons."""
    from digitlab.core.decline import decline_reason
    from digitlab.core.predict import model_probabilities
    net = model.network
    x = model.transform.apply_unit(inputs, net.input_shape, net.dtype)
    probabilities = model_probabilities(model, x)
    reasons = [decline_reason(p, model.decline, ink) for p, ink in zip(probabilities, inks,
                                                                       strict=True)]
    digits = np.where([r is None for r in reasons], probabilities.argmax(axis=1), -1)
    return digits, probabilities.max(axis=1), reasons


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


def drawn_on_canvas(images: np.ndarray) -> np.ndarray:
    """MNIST digits as the Draw panel would see them drawn: each digit's centre lines (ink at
    half intensity or more, thinned) become pen strokes, one per pair of touching line pixels,
    rendered and prepared by the Draw panel's own path (not the training augmentation's
    ``core.redraw``)."""
    from digitlab.core.skeleton import skeleton_segments, thin
    from digitlab.gui.stroke_prediction import network_input_for_strokes
    side = images.shape[1]
    segments, owners = skeleton_segments(thin(images >= 128))
    # (row, column) pixel centres to canvas (x, y) in 0..1
    ends = (segments[:, :, ::-1] + 0.5) / side
    strokes: list[list] = [[] for _ in images]
    for (first, last), owner in zip(ends.tolist(), owners.tolist(), strict=True):
        strokes[owner].append([tuple(first)] if first == last else [tuple(first), tuple(last)])
    return np.stack([network_input_for_strokes(s) for s in strokes])


def mnist_sets(folder: Path, held_out: bool = False) -> dict:
    """MNIST test, as 28x28 network inputs and as stretched pictures (grey and binary), noisy,
    unevenly lit and speckled pictures read as ``predict`` reads a picture, and drawn on the
    canvas (:func:`drawn_on_canvas`); with ``held_out``, also the shipped runs' validation
    digits drawn on the canvas."""
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
    sets["drawn on the canvas"] = drawn_on_canvas(data.test_images)
    if held_out:
        # The shipped runs' validation digits (seed 0, 10%), never trained on: drawn on the
        # canvas, they choose between candidate models without looking at MNIST test.
        validation = TrainingData.from_mnist(data, val_split=0.1, seed=0).validation
        sets["validation drawn on the canvas"] = drawn_on_canvas(validation.images)
        sets["validation labels"] = validation.labels.astype(int)
    return sets


#: the code that turns strokes and pictures into network inputs: a change to any of it makes
#: the cached inputs stale
_RENDERING_CODE = ("digitlab/core/preprocess.py", "digitlab/core/skeleton.py",
                   "digitlab/gui/widgets/draw_canvas.py", "digitlab/gui/stroke_prediction.py",
                   "tools/handwriting_eval.py")


def _cache_key(*data_paths: str | None) -> str:
    digest = hashlib.sha256()
    for name in _RENDERING_CODE:
        digest.update((ROOT / name).read_bytes())
    for path in data_paths:
        digest.update(str(Path(path).resolve() if path else None).encode())
    return digest.hexdigest()


def _cached(path: Path, key: str):
    """What the cache at ``path`` holds if it was made with ``key``, else None. The cache is
    this tool's own file (a pickle); point ``--cache`` only at files it wrote."""
    if not path.is_file():
        return None
    with path.open("rb") as stream:
        stored = pickle.load(stream)
    return stored[1] if isinstance(stored, tuple) and stored[0] == key else None


def per_digit(read: np.ndarray, labels: np.ndarray) -> str:
    return " ".join(f"{d}:{np.mean(read[labels == d] == d) * 100:.0f}" for d in range(10))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--holdout", default=os.environ.get("DIGITLAB_HOLDOUT_DIR",
                                                            str(ROOT.parent / "shared" / "holdout")))
    parser.add_argument("--strokes", default=str(ROOT / "tests" / "data" / "stroke_digits.json"))
    parser.add_argument("--mnist", default=os.environ.get("DIGITLAB_MNIST_DIR"),
                        help="MNIST folder for the plain and stretched MNIST test figures")
    parser.add_argument("--choose-threshold", action="store_true")
    parser.add_argument("--max-declined", type=float, default=0.02)
    parser.add_argument("--write", metavar="MODEL", help="store the chosen threshold in MODEL")
    parser.add_argument("--cache", default="/tmp/digitlab_handwriting_eval.pkl",
                        help="where the rendered inputs are kept between runs")
    args = parser.parse_args()

    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (keeps Qt alive)
    from digitlab.core.decline import DECLINE_METHOD, DeclineRule
    from digitlab.core.serialization import load_model, save_model

    # The cache is only good for the code and data that made it: its key names both.
    key = _cache_key(args.holdout, args.strokes, args.mnist)
    cache = Path(args.cache)
    rendered = _cached(cache, key)
    if rendered is None:
        pen, pen_labels = pendigits_train(Path(args.holdout))
        mine, mine_labels, others, kinds, forms = stroke_set(Path(args.strokes))
        rendered = {"pen": (*render(pen), pen_labels), "mine": (*render(mine), mine_labels),
                    "others": render(others), "kinds": kinds, "forms": forms}
        with cache.open("wb") as stream:
            pickle.dump((key, rendered), stream)
    mnist = None
    if args.mnist:
        mnist_cache = cache.with_name(cache.stem + "_mnist.pkl")
        mnist = _cached(mnist_cache, key)
        if mnist is None:
            mnist = mnist_sets(Path(args.mnist), held_out=True)
            with mnist_cache.open("wb") as stream:
                pickle.dump((key, mnist), stream)
    pen_inputs, pen_inks, pen_labels = rendered["pen"]
    mine_inputs, mine_inks, mine_labels = rendered["mine"]
    other_inputs, other_inks = rendered["others"]
    kinds, forms = rendered["kinds"], rendered["forms"]
    for name in args.models:
        model = load_model(name)
        model.decline = None  # measure the bare readings; the threshold is applied below
        pen_read, pen_top, _ = read_all(model, pen_inputs, pen_inks)
        mine_read, mine_top, _ = read_all(model, mine_inputs, mine_inks)
        other_read, other_top, other_reasons = read_all(model, other_inputs, other_inks)
        print(f"== {name}")
        print(f"pendigits train ({len(pen_labels)}): {np.mean(pen_read == pen_labels) * 100:.2f}%"
              f"  per digit {per_digit(pen_read, pen_labels)}")
        print(f"stroke digits ({len(mine_labels)}): {np.mean(mine_read == mine_labels) * 100:.2f}%"
              f"  per digit {per_digit(mine_read, mine_labels)}")
        wrong = sorted({f for f, r, t in zip(forms, mine_read, mine_labels, strict=True) if r != t})
        print(f"  misread forms: {', '.join(wrong) or 'none'}")
        if mnist is not None:
            no_ink = [None] * len(mnist["labels"])
            for kind in ("plain", "stretched grey", "stretched binary", "noisy scan",
                         "unevenly lit", "speckled scan", "drawn on the canvas"):
                read, _, _ = read_all(model, mnist[kind], no_ink)
                print(f"MNIST test {kind}: {np.mean(read == mnist['labels']) * 100:.2f}%"
                      f"  per digit {per_digit(read, mnist['labels'])}")
            validation_labels = mnist["validation labels"]
            read, _, _ = read_all(model, mnist["validation drawn on the canvas"],
                                  [None] * len(validation_labels))
            print(f"validation split (seed 0, 10%) drawn on the canvas: "
                  f"{np.mean(read == validation_labels) * 100:.2f}%  "
                  f"per digit {per_digit(read, validation_labels)}")
        # A real digit declined by the ink statistics alone counts as declined at any threshold.
        real_top = np.concatenate([np.where(pen_read < 0, -1.0, pen_top),
                                   np.where(mine_read < 0, -1.0, mine_top)])
        ink_declined = np.array([r is not None for r in other_reasons])
        if args.choose_threshold:
            # The largest threshold declining at most max_declined of the real digits.
            threshold = float(np.quantile(real_top, args.max_declined, method="lower"))
            rule = DeclineRule(DECLINE_METHOD, threshold)
            declined_real = np.mean(real_top < threshold)
            declined_other = np.mean(ink_declined | (other_top < threshold))
            print(f"threshold {threshold:.4f}: declines {declined_real * 100:.2f}% of real digits, "
                  f"{declined_other * 100:.1f}% of non-digits")
            for kind in dict.fromkeys(kinds):
                mask = np.array([k == kind for k in kinds])
                rate = np.mean((ink_declined | (other_top < threshold))[mask])
                print(f"  {kind}: {rate * 100:.0f}% declined")
            pen_ok = np.mean((pen_read == pen_labels) & (pen_top >= threshold))
            mine_ok = np.mean((mine_read == mine_labels) & (mine_top >= threshold))
            print(f"stroke digits read correctly and not declined: {mine_ok * 100:.2f}%")
            print(f"pendigits train read correctly and not declined: {pen_ok * 100:.2f}%")
            if args.write:
                target = load_model(args.write)
                target.decline = rule
                save_model(args.write, target)
                print(f"wrote the threshold into {args.write}")


if __name__ == "__main__":
    main()
