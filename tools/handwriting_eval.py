"""Measure a model on pen strokes the way the Draw panel reads them, and choose its decline threshold.

The strokes go through the Draw panel's own path (the network renderer and the core's image
pipeline of :mod:`digitlab.gui.stroke_prediction`, then the model's calibrated probabilities and
:func:`digitlab.core.decline.decline_reason`), without the mouse events. A drawing whose strokes
the Draw panel's grouping (:func:`digitlab.core.segment.group_strokes`) takes for several digits
counts as a miss, as the ``?`` the app then shows would be. The rendered 28x28
inputs are cached (``--cache``, a private folder of ``.npz`` files read without pickle, keyed on
the rendering code and the data paths), so comparing models takes seconds. The tests replay a sample of
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
  speckled scan (1% of the pixels black or white); on a ruled page and in a form's box
  (``mnist_standins.with_rules``); and MNIST test *drawn on the canvas*: each
  digit thinned to its centre lines (``core.skeleton``) and those lines drawn as pen strokes
  through the Draw panel's renderer and pipeline, a stand-in for real writers' pen strokes
  (10,000 digits by the test set's writers, drawn with the canvas's even pen).

Usage::

    QT_QPA_PLATFORM=offscreen python tools/handwriting_eval.py MODEL [MODEL ...]
        [--holdout DIR] [--mnist DIR] [--choose-threshold] [--max-declined 0.02]
        [--write MODEL] [--views=ANGLES] [--styles] [--cache DIR]

``--styles`` also reads 2,000 of the shipped runs' validation digits drawn with their strokes
slanted (-20 to 40 degrees), narrowed or widened (x0.5 to x1.8) or turned (20 degrees either way):
how the reading holds up for writers unlike MNIST's.

``--choose-threshold`` prints the largest threshold on the calibrated top probability that
declines at most ``--max-declined`` of the real digits (pendigits train + the stroke digits);
``--write`` stores it in that model file's ``decline`` record. ``--views=-12,-6,0,6,12`` reads
every input at those angles and averages the readings (a measurement: the app reads once).
Problems with the paths are one line (exit 1), before any rendering.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling, also when loaded by path

# The stand-ins made from MNIST (tests load them from here: mnist_sets, drawn_on_canvas).
from mnist_standins import (  # noqa: E402, F401 (after the path above; re-exported)
    STYLE_DIGITS,
    drawn_on_canvas,
    mnist_sets,
    style_names,
    style_sets,
)


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


def render(drawings) -> tuple[np.ndarray, list, np.ndarray]:
    """The 28x28 inputs and ink statistics of the drawings, as the Draw panel makes them, and how
    many digits the Draw panel's grouping finds in each (more than one shows ``?``)."""
    from digitlab.core.segment import group_strokes
    from digitlab.gui.stroke_prediction import ink_stats, network_input_for_strokes
    from digitlab.gui.widgets.draw_canvas import DEFAULT_PEN_WIDTH
    inputs = np.stack([network_input_for_strokes(d) for d in drawings])
    found = np.array([len(group_strokes(d, DEFAULT_PEN_WIDTH)) for d in drawings])
    return inputs, [ink_stats(d) for d in drawings], found


def read_all(model, inputs: np.ndarray, inks: list, views: tuple[float, ...] = (0.0,),
             found: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, list]:
    """Digits (-1 when declined, or when the Draw panel would find several digits in a drawing:
    ``found`` counts them, and the app then shows ``?``), top calibrated probabilities and
    reasons.

    With several ``views`` (angles in degrees), each input is also read turned by each angle and
    the readings are averaged (the geometric mean of the probabilities, renormalised): a
    measurement of reading at several angles, which the app does not do (docs/handwriting.md).
    """
    from digitlab.core.decline import decline_reason
    from digitlab.core.predict import model_probabilities
    net = model.network
    if tuple(views) == (0.0,):
        probabilities = model_probabilities(
            model, model.transform.apply_unit(inputs, net.input_shape, net.dtype))
    else:
        probabilities = _read_at_angles(model, inputs, views)
    reasons = [decline_reason(p, model.decline, ink) for p, ink in zip(probabilities, inks,
                                                                       strict=True)]
    digits = np.where([r is None for r in reasons], probabilities.argmax(axis=1), -1)
    if found is not None:
        digits = np.where(np.asarray(found) > 1, -1, digits)
    return digits, probabilities.max(axis=1), reasons


def split_note(found: np.ndarray | None) -> str:
    """How many drawings the Draw panel would read as several digits (each counted as a miss)."""
    split = 0 if found is None else int(np.sum(np.asarray(found) > 1))
    return f"  ({split} seen as several digits)" if split else ""


def _read_at_angles(model, inputs: np.ndarray, views: tuple[float, ...]) -> np.ndarray:
    from digitlab.core.augment import affine_matrices, warp_affine_batch
    from digitlab.core.predict import model_probabilities
    net = model.network
    n = len(inputs)
    log_sum = np.zeros((n, 10))
    for angle in views:
        turned = inputs if angle == 0 else warp_affine_batch(
            np.asarray(inputs, np.float32),
            affine_matrices(inputs.shape[1:], np.full(n, angle), np.ones(n), np.zeros((n, 2))))
        x = model.transform.apply_unit(turned, net.input_shape, net.dtype)
        log_sum += np.log(np.clip(model_probabilities(model, x), 1e-30, None))
    probabilities = np.exp(log_sum / len(views))
    return probabilities / probabilities.sum(axis=1, keepdims=True)


#: the code that turns strokes and pictures into network inputs (and groups strokes into
#: digits): a change to any of it makes the cached inputs stale
_RENDERING_CODE = ("digitlab/core/preprocess.py", "digitlab/core/skeleton.py",
                   "digitlab/core/segment.py", "digitlab/core/data.py", "digitlab/core/splits.py",
                   "digitlab/gui/widgets/draw_canvas.py", "digitlab/gui/stroke_prediction.py",
                   "tools/handwriting_eval.py", "tools/mnist_standins.py")


def _cache_key(*data: Path) -> str:
    """What a cache's inputs depend on: the rendering code, Qt (which anti-aliases the strokes)
    and the data: each file's contents if it is small (the stroke set), else its name, size and
    time; a folder stands for the files in it."""
    import PySide6
    digest = hashlib.sha256(PySide6.__version__.encode())
    for name in _RENDERING_CODE:
        digest.update((ROOT / name).read_bytes())
    files = [f for d in data for f in (sorted(d.glob("*")) if d.is_dir() else [d])]
    for path in files:
        stat = path.stat() if path.is_file() else None
        digest.update(str(path.resolve()).encode())
        if stat is not None and stat.st_size < 1 << 20:
            digest.update(path.read_bytes())
        else:
            digest.update(f"{stat and (stat.st_size, stat.st_mtime_ns)}".encode())
    return digest.hexdigest()


class ToolError(Exception):
    """A problem the user can fix (a path, a folder), reported as one line."""


def _load_cache(path: Path, key: str) -> dict[str, np.ndarray] | None:
    """The arrays of the cache file at ``path`` if it was made with ``key``; None if there is no
    file or it is stale. Cache files are ``.npz`` read without pickle, so a planted file cannot
    run code; a file this tool did not write is refused, never overwritten."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ToolError(f"{path} is not a cache this tool wrote ({exc}); "
                        f"move it or choose another --cache folder") from None
    if "cache_key" not in arrays:
        raise ToolError(f"{path} is not a cache this tool wrote; move it or choose another "
                        f"--cache folder")
    return arrays if str(arrays.pop("cache_key")) == key else None


def _store_cache(path: Path, key: str, arrays: dict[str, np.ndarray]) -> None:
    from digitlab.core.atomic import atomic_write
    with atomic_write(path) as stream:
        np.savez(stream, cache_key=np.array(key), **arrays)


def _cache_folder(folder: Path) -> Path:
    """Create the cache folder (private to the user) and check it can be written, before any
    rendering is done."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(f"cannot use {folder} as the cache folder: {exc.strerror or exc}") from None
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise ToolError(f"cannot write the cache folder {folder}; choose another with --cache")
    return folder


def _ink_arrays(prefix: str, inks: list) -> dict[str, np.ndarray]:
    """Ink statistics as arrays: the extent (NaN for none) and the strokes (-1 for none)."""
    return {f"{prefix}_extent": np.array([np.nan if i is None else i.extent for i in inks]),
            f"{prefix}_strokes": np.array([-1 if i is None or i.strokes is None else i.strokes
                                           for i in inks])}


def _inks(arrays: dict[str, np.ndarray], prefix: str) -> list:
    from digitlab.core.decline import InkStats
    return [None if np.isnan(extent) else InkStats(float(extent), None if n < 0 else int(n))
            for extent, n in zip(arrays[f"{prefix}_extent"], arrays[f"{prefix}_strokes"],
                                 strict=True)]


def render_strokes(holdout: Path, strokes: Path) -> dict[str, np.ndarray]:
    """Pendigits train, the stroke digits and the non-digits as the Draw panel's inputs."""
    pen, pen_labels = pendigits_train(holdout)
    mine, mine_labels, others, kinds, forms = stroke_set(strokes)
    arrays = {"pen_labels": pen_labels, "mine_labels": mine_labels,
              "kinds": np.array(kinds), "forms": np.array(forms)}
    for prefix, drawings in (("pen", pen), ("mine", mine), ("others", others)):
        inputs, inks, found = render(drawings)
        arrays[f"{prefix}_inputs"] = inputs
        arrays[f"{prefix}_digits"] = found
        arrays.update(_ink_arrays(prefix, inks))
    return arrays


def _angles(text: str) -> tuple[float, ...]:
    try:
        angles = tuple(float(a) for a in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of angles") from None
    if not all(np.isfinite(a) and abs(a) <= 90 for a in angles):
        raise argparse.ArgumentTypeError("angles must be finite and within 90 degrees")
    return angles


def per_digit(read: np.ndarray, labels: np.ndarray) -> str:
    return " ".join(f"{d}:{np.mean(read[labels == d] == d) * 100:.0f}" for d in range(10))


def main() -> None:
    from digitlab.paths import user_cache_dir
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
    parser.add_argument("--views", type=_angles, default=(0.0,), metavar="ANGLES",
                        help="read every input turned by each of these angles (degrees, "
                             "comma-separated; write --views=-12,-6,0,6,12 with '=' when the "
                             "first is negative) and average the readings; a measurement only, "
                             "the app reads each drawing once")
    parser.add_argument("--styles", action="store_true",
                        help=f"also read {STYLE_DIGITS:,} of the shipped runs' validation digits "
                             "drawn on the canvas with their strokes slanted, narrowed, widened, "
                             "turned, broken by a gap or run on past their ends (needs --mnist; "
                             "about two minutes the first time)")
    parser.add_argument("--cache", default=str(user_cache_dir() / "handwriting_eval"),
                        help="the folder where the rendered inputs are kept between runs "
                             "(default: %(default)s)")
    args = parser.parse_args()

    if args.write and args.views != (0.0,):
        raise ToolError("--write stores a threshold for reading each drawing once, as the app "
                        "does; choose it without --views")
    from digitlab.core.errors import DigitLabError
    from digitlab.core.serialization import load_model, save_model
    holdout, strokes = Path(args.holdout), Path(args.strokes)
    mnist_folder = Path(args.mnist) if args.mnist else None
    # Everything the run needs is checked before the minutes of rendering.
    if not (holdout / "pendigits_strokes.npz").is_file():
        raise ToolError(f"no pendigits_strokes.npz in {holdout}; pass --holdout or set "
                        f"DIGITLAB_HOLDOUT_DIR")
    if not strokes.is_file():
        raise ToolError(f"no stroke set at {strokes}; pass --strokes")
    if mnist_folder is not None and not mnist_folder.is_dir():
        raise ToolError(f"no MNIST folder at {mnist_folder}; pass --mnist or set "
                        f"DIGITLAB_MNIST_DIR (or leave it empty to skip MNIST)")
    if mnist_folder is not None:
        from digitlab.core.data import find_mnist_files
        found = find_mnist_files(mnist_folder)
        if not found or not all(found.values()):
            raise ToolError(f"{mnist_folder} does not hold the four MNIST files (or mnist.npz); "
                            f"pass --mnist or set DIGITLAB_MNIST_DIR")
    if args.styles and mnist_folder is None:
        raise ToolError("--styles draws MNIST's validation digits: pass --mnist or set "
                        "DIGITLAB_MNIST_DIR")
    try:
        models = {name: load_model(name) for name in args.models}
    except (DigitLabError, OSError) as exc:
        raise ToolError(str(exc)) from None
    folder = _cache_folder(Path(args.cache))

    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (keeps Qt alive)
    from digitlab.core.decline import CHOSEN_BY_TOOL, DECLINE_METHOD, DeclineRule

    # A cache is only good for the code and data that made it: its key names both.
    strokes_key = _cache_key(holdout / "pendigits_strokes.npz", strokes)
    rendered = _load_cache(folder / "strokes.npz", strokes_key)
    mnist = None
    if mnist_folder is not None:
        mnist_key = _cache_key(mnist_folder)
        mnist = _load_cache(folder / "mnist.npz", mnist_key)
    if rendered is None:
        rendered = render_strokes(holdout, strokes)
        _store_cache(folder / "strokes.npz", strokes_key, rendered)
    styles = None
    if args.styles:
        styles = _load_cache(folder / "styles.npz", mnist_key)
        if styles is None:
            try:
                styles = style_sets(mnist_folder)
            except DigitLabError as exc:
                raise ToolError(str(exc)) from None
            _store_cache(folder / "styles.npz", mnist_key, styles)
    if mnist_folder is not None and mnist is None:
        try:
            mnist = mnist_sets(mnist_folder, drawn=True, held_out=True)
        except DigitLabError as exc:
            raise ToolError(str(exc)) from None
        _store_cache(folder / "mnist.npz", mnist_key, mnist)
    pen_inputs, pen_inks, pen_labels = (rendered["pen_inputs"], _inks(rendered, "pen"),
                                        rendered["pen_labels"])
    mine_inputs, mine_inks, mine_labels = (rendered["mine_inputs"], _inks(rendered, "mine"),
                                           rendered["mine_labels"])
    other_inputs, other_inks = rendered["others_inputs"], _inks(rendered, "others")
    kinds, forms = rendered["kinds"].tolist(), rendered["forms"].tolist()
    for name, model in models.items():
        model.decline = None  # measure the bare readings; the threshold is applied below
        pen_read, pen_top, _ = read_all(model, pen_inputs, pen_inks, args.views,
                                        rendered["pen_digits"])
        mine_read, mine_top, _ = read_all(model, mine_inputs, mine_inks, args.views,
                                          rendered["mine_digits"])
        other_read, other_top, other_reasons = read_all(model, other_inputs, other_inks,
                                                       args.views)
        print(f"== {name}")
        print(f"pendigits train ({len(pen_labels)}): {np.mean(pen_read == pen_labels) * 100:.2f}%"
              f"  per digit {per_digit(pen_read, pen_labels)}{split_note(rendered['pen_digits'])}")
        print(f"stroke digits ({len(mine_labels)}): {np.mean(mine_read == mine_labels) * 100:.2f}%"
              f"  per digit {per_digit(mine_read, mine_labels)}"
              f"{split_note(rendered['mine_digits'])}")
        wrong = Counter(f for f, r, t in zip(forms, mine_read, mine_labels, strict=True) if r != t)
        print("  misread forms: " + (", ".join(f"{form} x{count}" if count > 1 else form
                                              for form, count in sorted(wrong.items()))
                                     or "none"))
        if mnist is not None:
            no_ink = [None] * len(mnist["labels"])
            for kind in ("plain", "stretched grey", "stretched binary", "noisy scan",
                         "unevenly lit", "speckled scan", "on a ruled page", "in a form's box",
                         "drawn on the canvas"):
                found = mnist.get(f"{kind} digits")  # drawn on the canvas: digits found
                read, _, _ = read_all(model, mnist[kind], no_ink, args.views, found)
                print(f"MNIST test {kind}: {np.mean(read == mnist['labels']) * 100:.2f}%"
                      f"  per digit {per_digit(read, mnist['labels'])}{split_note(found)}")
            # Held out only from a model trained as the shipped runs are: 10%, seed 0.
            if model.config.data.val_split == 0.1 and model.config.run.seed == 0:
                validation_labels = mnist["validation labels"]
                found = mnist["validation drawn on the canvas digits"]
                read, _, _ = read_all(model, mnist["validation drawn on the canvas"],
                                      [None] * len(validation_labels), args.views, found)
                print(f"validation split (seed 0, 10%) drawn on the canvas: "
                      f"{np.mean(read == validation_labels) * 100:.2f}%  "
                      f"per digit {per_digit(read, validation_labels)}{split_note(found)}")
            else:
                print("validation split (seed 0, 10%) drawn on the canvas: not held out from "
                      "this model's training")
        if styles is not None:
            held = model.config is not None and (model.config.data.val_split,
                                                 model.config.run.seed) == (0.1, 0)
            figures = []
            for name in style_names():
                found = styles[f"{name} digits"]
                read, _, _ = read_all(model, styles[name], [None] * len(styles["labels"]),
                                      args.views, found)
                split = int(np.sum(found > 1))
                figures.append(f"{name} {np.mean(read == styles['labels']) * 100:.1f}%"
                               + (f" ({split} split)" if split else ""))
            print(f"validation digits drawn in other writing styles ({STYLE_DIGITS:,}"
                  f"{'' if held else '; not held out from this model'}): " + ", ".join(figures))
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
                target = load_model(args.write)  # the file as it is now, whatever was read
                target.decline = rule
                # The note says how this threshold was chosen (a carried-over note no longer
                # describes it).
                steps = list(target.provenance) or [{"kind": "unknown"}]
                steps[-1] = {**steps[-1], "decline": {"chosen_by": CHOSEN_BY_TOOL,
                                                      "declined_share": args.max_declined}}
                target.provenance = steps
                save_model(args.write, target)
                print(f"wrote the threshold into {args.write}")


if __name__ == "__main__":
    try:
        main()
    except ToolError as exc:
        raise SystemExit(f"handwriting_eval: {exc}") from None
