"""``digitlab export MODEL --format onnx|numpy OUT``: a model others can run without DigitLab."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..core.serialization import load_model
from ..export import FORMATS, export_model
from .common import EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export", help="write a model as ONNX or as a NumPy-only folder",
        description="Export a model for use without DigitLab. 'onnx' writes one .onnx file "
                    "(opset 17; needs pip install digitlab[onnx]) taking uint8 (N, 28, 28) "
                    "MNIST-style digits and giving the probabilities; 'numpy' writes the folder "
                    "OUT with predict.py, mnist_style.py and weights.npz, which need only NumPy. "
                    "See docs/export.md.")
    p.add_argument("model", metavar="MODEL", help="a DigitLab model file (.npz)")
    p.add_argument("out", metavar="OUT", help="the .onnx file, or the folder for --format numpy")
    p.add_argument("--format", required=True, choices=list(FORMATS),
                   help="; ".join(f"{name}: {what}" for name, what in FORMATS.items()))
    p.add_argument("--force", action="store_true",
                   help="replace an existing .onnx file or an earlier export's folder")
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    model = load_model(args.model)  # a bad file: ModelFileError, exit 1 as everywhere
    started = time.perf_counter()
    written = export_model(model, args.format, Path(args.out), overwrite=args.force)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in written.iterdir()) if written.is_dir() else written.stat().st_size
    print(f"wrote {written} ({size / 1e6:.2f} MB, {seconds:.2f} s)")
    return EXIT_OK
