"""``digitlab gradcheck``: compare backprop with numerical differentiation for a preset."""

from __future__ import annotations

import argparse
import os

import numpy as np

from ..core.data import load_mnist
from ..core.errors import ConfigError, DataError
from ..core.gradcheck import gradient_check, sampled_gradient_check
from ..core.inputs import InputTransform
from ..core.presets import get_preset
from ..paths import resolve_data_dir
from .common import EXIT_FAILURE, EXIT_OK, UsageError, print_json
from .progress import ProgressLine

#: relative error below which float64 backprop is taken to be right
TOLERANCE = 1e-6


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "gradcheck", help="check backprop against numerical differentiation",
        description="Build a preset's network in float64 and compare, tensor by tensor, the "
                    "gradient from backpropagation with the central-difference one.")
    p.add_argument("--preset", default="tutorial-relu")
    p.add_argument("--samples", type=int, default=4, help="batch size used (default 4)")
    p.add_argument("--entries", type=int, default=0,
                   help="check only this many random entries per tensor (0 = all; large nets)")
    p.add_argument("--data", metavar="DIR", help="MNIST folder (random inputs if none is found)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def _batch(args, config) -> tuple[np.ndarray, np.ndarray, str]:
    rng = np.random.default_rng(args.seed)
    folder = resolve_data_dir(args.data)
    try:
        mnist = load_mnist(folder)
        idx = rng.choice(mnist.train_labels.size, args.samples, replace=False)
        x = InputTransform().apply(mnist.train_images[idx], config.network.input_shape, np.float64)
        return x, mnist.train_labels[idx].astype(np.intp), f"{args.samples} MNIST images"
    except DataError:
        if args.data or os.environ.get("DIGITLAB_MNIST_DIR"):
            raise
        x = rng.random((args.samples, *config.network.input_shape))
        return x, rng.integers(0, 10, args.samples), f"{args.samples} random inputs (no MNIST found)"


def run(args: argparse.Namespace) -> int:
    if args.samples < 1 or args.entries < 0:
        raise UsageError("--samples must be >= 1 and --entries >= 0")
    try:
        config = get_preset(args.preset)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    network = config.with_settings(gradients="numerical").build_network(np.random.default_rng(args.seed))
    x, t, what = _batch(args, config)
    line = ProgressLine()
    count = network.parameter_count if not args.entries else "sampled"
    line.print(f"gradient check of preset {args.preset} ({count} parameters) on {what}, float64")
    if args.entries:
        rows = sampled_gradient_check(network, x, t, config.run.l2, args.entries,
                                      np.random.default_rng(args.seed),
                                      on_progress=lambda d, n: line.update(d / n, f"{d}/{n} entries"))
    else:
        rows = gradient_check(network, x, t, config.run.l2)
    line.clear()
    worst = max(r.relative_error for r in rows)
    for r in rows:
        verdict = "ok" if r.relative_error < TOLERANCE else "MISMATCH"
        print(f"{r.name:<16} {str(r.shape):<14} relative error {r.relative_error:.2e}  {verdict}")
    print(f"worst relative error {worst:.2e} (tolerance {TOLERANCE:g})")
    if args.json:
        print_json({"worst_relative_error": worst,
                    "tensors": {r.name: r.relative_error for r in rows}})
    return EXIT_OK if worst < TOLERANCE else EXIT_FAILURE
