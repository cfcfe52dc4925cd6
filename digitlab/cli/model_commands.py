"""``digitlab evaluate``, ``predict`` and ``info``: use and describe a saved model."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..assets import pretrained_model_path
from ..core.bounded_json import one_line
from ..core.errors import DataError, ModelFileError
from ..core.evaluation import evaluate
from ..core.model_fit import check_fits_mnist
from ..core.number import NumberReading, read_number_image
from ..core.predict import check_image_model, predict_image
from ..core.serialization import SavedModel, load_model
from .common import EXIT_FAILURE, EXIT_OK, UsageError, fail, print_json
from .dataset_commands import DATA_HELP, load_data

#: Shown in --help for an omitted MODEL.
SHIPPED = "the shipped model (resources/pretrained.npz)"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "evaluate", help="test accuracy, per-class accuracy, confusion matrix",
        description=f"Evaluate a model on the MNIST test set; without MODEL, {SHIPPED}.")
    p.add_argument("model", metavar="MODEL", nargs="?", help=f"model file (.npz); default: {SHIPPED}")
    p.add_argument("--data", metavar="DATA", help=DATA_HELP + "; its test split is evaluated")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    p.set_defaults(run=run_evaluate)

    p = subparsers.add_parser(
        "predict", help="read digits from image files",
        usage="%(prog)s [-h] [--number] [--json] [MODEL] IMAGE [IMAGE ...]",
        description="Print 'PATH DIGIT CONFIDENCE' per image, or 'PATH ? 0.00' for an image with "
                    "no ink (blank or uniform). Images (PNG, JPEG, any size, dark "
                    "on light or light on dark) go through the same MNIST-style preprocessing "
                    "as the drawing canvas: crop to the ink, fit into 20x20, centre by mass in 28x28. "
                    f"A first argument ending in .npz is the model; without one, {SHIPPED} reads them. "
                    "With --number, each image may hold a number ('2026'): its digits are "
                    "separated by their horizontal position and read one by one, and the line is "
                    "'PATH NUMBER CONF1,CONF2,...' ('?' for a digit not named).")
    p.add_argument("paths", metavar="[MODEL] IMAGE", nargs="+",
                   help=f"an optional model file (.npz; default: {SHIPPED}), then one or more images")
    p.add_argument("--number", action="store_true",
                   help="read a number of several digits side by side in each image (default: "
                        "one digit per image)")
    p.add_argument("--json", action="store_true",
                   help="print a JSON summary as the last line: per image the digit (null when "
                        "none is named), confidence, probabilities and the reason for no digit; "
                        "with --number the number, and per digit the digit, confidence, reason "
                        "and box [left, top, right, bottom] in pixels")
    p.set_defaults(run=run_predict)

    p = subparsers.add_parser(
        "info", help="architecture, settings and history of a model file",
        description=f"Describe a model file; without MODEL, {SHIPPED}.")
    p.add_argument("model", metavar="MODEL", nargs="?", help=f"model file (.npz); default: {SHIPPED}")
    p.add_argument("--json", action="store_true", help="print the model's config JSON")
    p.set_defaults(run=run_info)


def model_and_images(paths: list[str]) -> tuple[str | None, list[str]]:
    """Split ``predict``'s arguments: a first one ending in ``.npz`` is the model, the rest images.

    Raises UsageError when only a model is given.
    """
    if paths and Path(paths[0]).suffix.lower() == ".npz":
        if len(paths) == 1:
            raise UsageError(f"no IMAGE given after the model {paths[0]}")
        return paths[0], paths[1:]
    return None, list(paths)


def resolve_model(path: str | None) -> str:
    """``path``, or the shipped model's when None (UsageError if this installation lacks it)."""
    if path is not None:
        return path
    shipped = pretrained_model_path()
    if shipped is None:
        raise UsageError("no MODEL given and the shipped model (resources/pretrained.npz) is "
                         "missing; give a model file")
    return str(shipped)


def _load(path: str | None, for_digits: bool = False) -> SavedModel:
    """The model at ``path`` (default: the shipped one); a bad file raises ModelFileError
    (exit 1, one line). With ``for_digits``, a model that does not read MNIST digits into ten
    classes is refused too."""
    resolved = resolve_model(path)
    model = load_model(resolved)
    if for_digits:
        check_fits_mnist(model.network, resolved)
    return model


def run_evaluate(args: argparse.Namespace) -> int:
    model = _load(args.model, for_digits=True)
    mnist = load_data(args.data)
    result = evaluate(model.network, model.transform, mnist.test_images, mnist.test_labels,
                      temperature=model.calibration.temperature if model.calibration else None)
    per_class = result.per_class_accuracy
    print(f"test accuracy {result.accuracy * 100:.2f}%  loss {result.loss:.4f}  "
          f"({mnist.test_labels.size:,} images of {mnist.describe()['name']} from {mnist.source})")
    print("per-class accuracy: " + "  ".join(f"{d}:{a * 100:.1f}%" for d, a in enumerate(per_class)))
    print("confusion matrix (rows = true digit, columns = predicted):")
    print("      " + "".join(f"{d:>6}" for d in range(10)))
    for d, row in enumerate(result.confusion):
        print(f"{d:>6}" + "".join(f"{v:>6}" for v in row))
    if args.json:
        print_json({"data": mnist.describe(), "test_accuracy": result.accuracy, "test_loss": result.loss,
                    "per_class_accuracy": [float(a) for a in per_class],
                    "confusion_matrix": result.confusion.tolist()})
    return EXIT_OK


def run_predict(args: argparse.Namespace) -> int:
    from ..imageio import load_grey_image  # Qt's image decoders; only this command needs them

    model_path, images = model_and_images(args.paths)
    model = _load(model_path)
    try:
        check_image_model(model)
    except ModelFileError as exc:
        raise ModelFileError(f"{resolve_model(model_path)}: {exc}") from None
    status = EXIT_OK
    readings = []
    for path in images:
        try:
            if args.number:
                readings.append(_print_number(path, read_number_image(model, load_grey_image(path))))
                continue
            prediction = predict_image(model, load_grey_image(path))
        except DataError as exc:
            fail(str(exc))
            status = EXIT_FAILURE
            readings.append({"path": path, "error": str(exc)})
            continue
        if prediction.digit is None:  # declined: blank, a dot, or unlike any digit
            print(f"{path} ? {prediction.confidence:.2f}")
        else:
            print(f"{path} {prediction.digit} {prediction.confidence:.4f}")
        readings.append({"path": path, "digit": prediction.digit,
                         "confidence": prediction.confidence,
                         "probabilities": [float(p) for p in prediction.probabilities],
                         "reason": prediction.reason})
    if args.json:
        print_json({"predictions": readings})
    return status


def _print_number(path: str, reading: NumberReading) -> dict:
    """Print ``PATH NUMBER CONF1,CONF2,...`` (``PATH ? 0.00`` with no ink) and return the
    reading's JSON record."""
    if len(reading) == 0:
        print(f"{path} ? 0.00")
    else:
        print(f"{path} {reading.text} " + ",".join(f"{c:.4f}" for c in reading.confidences))
    return {"path": path, "number": reading.text or None,
            "digits": [{"digit": p.digit, "confidence": p.confidence, "reason": p.reason,
                        "box": box.as_list()}
                       for p, box in zip(reading.predictions, reading.boxes, strict=True)]}


def run_info(args: argparse.Namespace) -> int:
    model = _load(args.model)
    if args.json:
        from ..core.serialization import model_config

        print(json.dumps(model_config(model), indent=2))
        return EXIT_OK
    net = model.network
    print(f"{Path(resolve_model(args.model)).name}: DigitLab model (written by version "
          f"{model.digitlab_version or 'unknown'})")
    print(net.summary())
    t = model.transform
    print(f"preprocessing: pixels * {t.scale:.6g}, minus {t.mean:.4f}, divided by {t.std:.4f}; "
          f"image pipeline {t.pipeline}")
    print(f"provenance: {model.describe_provenance()}")
    merged = bool(model.merged_members)
    if model.config is not None:
        print("settings: the first member's, with the merged layers (what Continue training "
              "uses)" if merged else f"preset: {one_line(model.preset or 'none (own settings)', 80)}")
        for name, record in model.config.to_dict().items():
            if name == "network":
                continue
            chosen = f"{record.pop('name')} " if "name" in record else ""
            settings = ", ".join(f"{k}={v}" for k, v in record.items())
            print(f"{name}: {chosen}({settings})" if chosen else f"{name}: {settings}")
    if model.command:
        print(f"command: {one_line(model.command, 2000)}")
    if model.data:
        print("data set: " + one_line(", ".join(f"{k}={v}" for k, v in model.data.items()), 400))
    if model.resume is not None:
        state = model.resume
        print(f"resumable: {state.iteration:,} of {state.planned_iterations:,} planned updates done"
              + (" (interrupted: Continue finishes the run)" if state.unfinished else ""))
    cal = model.calibration
    print("calibration: " + (f"temperature {cal.temperature:.3f} (fitted on the {cal.fitted_on}; "
                             f"ECE {cal.ece_before * 100:.2f}% -> {cal.ece_after * 100:.2f}%)"
                             if cal is not None else "none (probabilities as the network gives them)"))
    rule = model.decline
    print("decline: " + (f"{rule.method} below {rule.threshold:.4f} reads as 'unlike any digit'"
                         if rule is not None else "blank images and ink statistics only"))
    if model.history:
        print(f"{'epoch':>5} {'train loss':>10} {'train acc':>9} {'val acc':>8} {'test acc':>8} "
              f"{'seconds':>8}")

        def pct(v: float | None) -> str:
            return "-" if v is None else f"{v * 100:.2f}"

        for m in model.history:
            print(f"{m.epoch:>5} {m.train_loss:>10.4f} {pct(m.train_accuracy):>9} "
                  f"{pct(m.val_accuracy):>8} {pct(m.test_accuracy):>8} {m.seconds:>8.2f}")
    elif merged:
        print("history: none of its own (merged; `--json` gives each member's settings and "
              "provenance)")
    else:
        print("history: not trained")
    sys.stdout.flush()
    return EXIT_OK
