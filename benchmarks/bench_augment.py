"""Is augmentation a bottleneck? Time per batch of 128 of each augmentation against a training step.

Contenders, run in alternation (round-robin, so a load spike hits them all alike), each
``--repeats`` rounds of ``--batches`` batches:

- ``affine``: rotation, shift, zoom, slant and width (the augmenter before this change);
- ``full``: the shipped model's augmentation: affine + elastic distortion + stroke width;
- ``full+redraw``: ``full`` with 30% of the digits thinned and drawn again with an even pen
  (``--redraw-frac 0.3``, :mod:`digitlab.core.redraw`);
- ``full+negatives``: ``full`` plus the outlier-exposure batch extension (0.2 non-digits per
  image, themselves augmented);
- ``mlp step`` / ``cnn step``: one training step (forward, backward, Adam update) of the ``mlp``
  and ``cnn`` presets on a batch of 128, without augmentation.

The images are MNIST training digits when ``$DIGITLAB_MNIST_DIR`` is set, else noisy bars.
Reports the median milliseconds per batch and, per round, the paired ratio of each augmentation
to the MLP step (median over rounds). Usage::

    python benchmarks/bench_augment.py [--repeats 7] [--batches 20] [--no-cnn] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from digitlab.core.augment import AugmentConfig, augment_batch
from digitlab.core.optimizers import Adam
from digitlab.core.outlier_exposure import NegativeBank
from digitlab.core.presets import get_preset

BATCH = 128
AFFINE = dict(rotation_deg=12, shift_frac=0.1, zoom_frac=0.1, shear_deg=15, aspect_frac=0.2)
FULL = dict(AFFINE, elastic_alpha=30, elastic_sigma=5, stroke_width=1)
REDRAW = dict(FULL, redraw_frac=0.3)


def _images(n: int) -> np.ndarray:
    """The first ``n`` MNIST training digits when ``$DIGITLAB_MNIST_DIR`` holds MNIST (thinning
    and redrawing cost more on real digits than on bars), else noisy vertical bars."""
    folder = os.environ.get("DIGITLAB_MNIST_DIR")
    if folder:
        from digitlab.core.data import load_mnist
        return load_mnist(folder).train_images[:n].astype(np.float32) / 255.0
    rng = np.random.default_rng(0)
    images = np.zeros((n, 28, 28), np.float32)
    images[:, 6:22, 12:15] = 1.0
    return np.clip(images + rng.random(images.shape, dtype=np.float32) * 0.1, 0, 1)


def _step(preset: str):
    config = get_preset(preset)
    network = config.build_network(np.random.default_rng(0))
    optimizer = Adam(lr=1e-3)
    params, grads = {"all": network.flat_parameters()}, {"all": network.flat_gradients()}
    x = _images(BATCH).reshape((BATCH, *network.input_shape))
    t = np.arange(BATCH) % 10

    def run() -> None:
        network.gradient(x, t)
        optimizer.update(params, grads)
    return run


def _augmenter(settings: dict, negatives: bool):
    config = AugmentConfig(**settings)
    rng = np.random.default_rng(1)
    images = _images(BATCH)
    bank = NegativeBank(np.random.SeedSequence(2), 0.2, size=200) if negatives else None
    labels = np.arange(BATCH) % 10

    def run() -> None:
        # labels: the transforms for digits only (here the redrawing) apply
        x = augment_batch(images, config, rng, labels=labels).reshape(BATCH, -1)
        if bank is not None:
            bank.extend(x, labels, 10, rng,
                        lambda unit: augment_batch(unit, config, rng).reshape(len(unit), -1))
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--no-cnn", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    contenders = {"affine": _augmenter(AFFINE, False), "full": _augmenter(FULL, False),
                  "full+redraw": _augmenter(REDRAW, False),
                  "full+negatives": _augmenter(FULL, True), "mlp step": _step("mlp")}
    if not args.no_cnn:
        contenders["cnn step"] = _step("cnn")
    for run in contenders.values():
        run()  # warm-up: workspaces, BLAS threads
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.repeats):
        for name, run in contenders.items():
            start = time.perf_counter()
            for _ in range(args.batches):
                run()
            times[name].append((time.perf_counter() - start) / args.batches * 1000)
    mlp = np.array(times["mlp step"])
    report = {name: {"median_ms": float(np.median(v)),
                     "ratio_to_mlp_step": float(np.median(np.array(v) / mlp))}
              for name, v in times.items()}
    for name, r in report.items():
        print(f"{name:>15}: {r['median_ms']:7.2f} ms per batch of {BATCH}  "
              f"({r['ratio_to_mlp_step']:.2f}x an MLP step, paired median)")
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
