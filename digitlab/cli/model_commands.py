"""``digitlab evaluate``, ``predict`` and ``info``: use and describe a saved model."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ..core.data import load_mnist
from ..core.errors import DataError
from ..core.evaluation import evaluate
from ..core.model_fit import check_fits_mnist
from ..core.preprocess import to_mnist_style
from ..core.serialization import SavedModel, load_model
from ..paths import resolve_data_dir
from .common import EXIT_FAILURE, EXIT_OK, fail, print_json


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("evaluate", help="test accuracy, per-class accuracy, confusion matrix",
                              description="Evaluate a model on the MNIST test set.")
    p.add_argument("model", metavar="FILE")
    p.add_argument("--data", metavar="DIR", help="MNIST folder")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    p.set_defaults(run=run_evaluate)

    p = subparsers.add_parser(
        "predict", help="read digits from image files",
        description="Print 'PATH DIGIT CONFIDENCE' per image. Images (PNG, JPEG, any size, dark "
                    "on light or light on dark) go through the same MNIST-style preprocessing "
                    "as the drawing canvas: crop to the ink, fit into 20x20, centre by mass in 28x28.")
    p.add_argument("model", metavar="FILE")
    p.add_argument("images", metavar="IMAGE", nargs="+")
    p.set_defaults(run=run_predict)

    p = subparsers.add_parser("info", help="architecture, settings and history of a model file")
    p.add_argument("model", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the model's config JSON")
    p.set_defaults(run=run_info)


def _load(path: str, for_digits: bool = False) -> SavedModel:
    """The model at ``path``; a bad file raises ModelFileError (exit 1, one line). With
    ``for_digits``, a model that does not read MNIST digits into ten classes is refused too."""
    model = load_model(path)
    if for_digits:
        check_fits_mnist(model.network, path)
    return model


def run_evaluate(args: argparse.Namespace) -> int:
    model = _load(args.model, for_digits=True)
    mnist = load_mnist(resolve_data_dir(args.data))
    result = evaluate(model.network, model.transform, mnist.test_images, mnist.test_labels)
    per_class = result.per_class_accuracy
    print(f"test accuracy {result.accuracy * 100:.2f}%  loss {result.loss:.4f}  "
          f"({mnist.test_labels.size:,} images from {mnist.source})")
    print("per-class accuracy: " + "  ".join(f"{d}:{a * 100:.1f}%" for d, a in enumerate(per_class)))
    print("confusion matrix (rows = true digit, columns = predicted):")
    print("      " + "".join(f"{d:>6}" for d in range(10)))
    for d, row in enumerate(result.confusion):
        print(f"{d:>6}" + "".join(f"{v:>6}" for v in row))
    if args.json:
        print_json({"test_accuracy": result.accuracy, "test_loss": result.loss,
                    "per_class_accuracy": [float(a) for a in per_class],
                    "confusion_matrix": result.confusion.tolist()})
    return EXIT_OK


def predict_image(model: SavedModel, image: np.ndarray) -> tuple[int, float, np.ndarray]:
    """Digit, confidence and the 28x28 input for one grey image of any size and polarity."""
    digit28 = to_mnist_style(image)
    x = model.transform.apply_unit(digit28[None], model.network.input_shape, model.network.dtype)
    probs = model.network.predict_proba(x)[0]
    digit = int(np.argmax(probs))
    return digit, float(probs[digit]), digit28


def run_predict(args: argparse.Namespace) -> int:
    from ..imageio import load_grey_image  # Qt's image decoders; only this command needs them

    model = _load(args.model, for_digits=True)
    status = EXIT_OK
    for path in args.images:
        try:
            digit, confidence, _ = predict_image(model, load_grey_image(path))
        except DataError as exc:
            fail(str(exc))
            status = EXIT_FAILURE
            continue
        print(f"{path} {digit} {confidence:.4f}")
    return status


def run_info(args: argparse.Namespace) -> int:
    model = _load(args.model)
    if args.json:
        from ..core.serialization import model_config

        print(json.dumps(model_config(model), indent=2))
        return EXIT_OK
    net = model.network
    print(f"{Path(args.model).name}: DigitLab model (written by version "
          f"{model.digitlab_version or 'unknown'})")
    print(net.summary())
    t = model.transform
    print(f"preprocessing: pixels * {t.scale:.6g}, minus {t.mean:.4f}, divided by {t.std:.4f}; "
          f"image pipeline {t.pipeline}")
    config = model.training.get("config", {})
    if config:
        keys = ("optimizer", "lr", "momentum", "schedule", "batch_size", "epochs", "l2", "val_split",
                "sampling", "seed", "gradients", "normalize", "augment")
        print("training: " + ", ".join(f"{k}={config[k]}" for k in keys if k in config))
    if "command" in model.training:
        print(f"command: {model.training['command']}")
    if "data" in model.training:
        print(f"data: {model.training['data']}")
    if model.history:
        print(f"{'epoch':>5} {'train loss':>10} {'train acc':>9} {'val acc':>8} {'test acc':>8} "
              f"{'seconds':>8}")

        def pct(v: float | None) -> str:
            return "-" if v is None else f"{v * 100:.2f}"

        for m in model.history:
            print(f"{m.epoch:>5} {m.train_loss:>10.4f} {pct(m.train_accuracy):>9} "
                  f"{pct(m.val_accuracy):>8} {pct(m.test_accuracy):>8} {m.seconds:>8.2f}")
    else:
        print("history: not trained")
    sys.stdout.flush()
    return EXIT_OK
