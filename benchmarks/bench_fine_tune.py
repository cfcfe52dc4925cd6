"""What "Fine-tune on my digits" does for the shipped model, and how long it takes.

"My digits" are stand-ins for one person's handwriting: pendigits ``train`` samples (real pen
strokes, not MNIST; see ../shared/holdout/README.md) replayed through the app's own stroke
renderer into 28x28 network inputs. Each round takes a different random set of ``--digits``
samples, fine-tunes the shipped model exactly as the Draw panel's browser does
(``core.my_digits``: MNIST plus the non-held-out digits oversampled, the model's own settings for
60 updates at a tenth of its learning rate, a fresh optimiser) and reports the accuracy on the
held-out digits before and after, the MNIST test accuracy after, and the seconds for the data
to be put together and for the run.
Medians over ``--rounds``; the machine is shared, so the times are noisy.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_fine_tune.py --rounds 3 --digits 80
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from digitlab.assets import pretrained_model_path  # noqa: E402
from digitlab.core.data import load_mnist  # noqa: E402
from digitlab.core.evaluation import loss_and_accuracy  # noqa: E402
from digitlab.core.my_digits import (  # noqa: E402
    MyDigits,
    accuracy_on,
    fine_tune_config,
    fine_tune_data,
    held_out,
)
from digitlab.core.presets import get_preset  # noqa: E402
from digitlab.core.serialization import load_model  # noqa: E402
from digitlab.core.splits import TrainingData  # noqa: E402
from digitlab.core.training import Trainer  # noqa: E402
from digitlab.gui.stroke_prediction import network_input_for_strokes  # noqa: E402


def pendigits_inputs(path: Path, count: int, seed: int) -> MyDigits:
    d = np.load(path, allow_pickle=False)
    points, so, sso = d["points"], d["stroke_offsets"], d["sample_stroke_offsets"]
    train = np.flatnonzero(d["split"] == "train")
    chosen = np.random.default_rng(seed).choice(train, count, replace=False)
    images = []
    for i in chosen:
        strokes = [[(0.1 + 0.8 * x / 100, 0.1 + 0.8 * y / 100) for x, y in points[so[k]:so[k + 1]]]
                   for k in range(sso[i], sso[i + 1])]
        images.append(np.round(network_input_for_strokes(strokes) * 255).astype(np.uint8))
    return MyDigits(np.stack(images), d["labels"][chosen].astype(np.uint8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--digits", type=int, default=80)
    args = parser.parse_args()
    mnist = load_mnist(os.environ.get("DIGITLAB_MNIST_DIR") or REPO.parent / "shared" / "mnist")
    holdout = Path(os.environ.get("DIGITLAB_HOLDOUT_DIR") or REPO.parent / "shared" / "holdout")
    model = load_model(pretrained_model_path())
    config = model.config or get_preset("mlp")
    rows = []
    for round_index in range(args.rounds):
        digits = pendigits_inputs(holdout / "pendigits_strokes.npz", args.digits, seed=round_index)
        measure = held_out(digits)
        before = accuracy_on(model.network, model.transform, measure)
        started = time.perf_counter()
        data = fine_tune_data(mnist, digits)
        prepared = time.perf_counter()
        result = Trainer(fine_tune_config(config), TrainingData.for_config(data, fine_tune_config(config)),
                         model.network.copy(), model.transform).run()
        trained = time.perf_counter()
        after = accuracy_on(result.network, result.transform, measure)
        mnist_after = loss_and_accuracy(result.network, result.transform, mnist.test_images,
                                        mnist.test_labels)[1]
        rows.append((len(measure), before, after, mnist_after, prepared - started, trained - prepared))
        print(f"round {round_index}: {len(measure)} held out: {before:.1%} -> {after:.1%}; "
              f"MNIST test after {mnist_after:.2%}; data {prepared - started:.2f} s, "
              f"run {trained - prepared:.2f} s ({result.iterations} updates)", flush=True)
    mnist_before = loss_and_accuracy(model.network, model.transform, mnist.test_images,
                                     mnist.test_labels)[1]
    median = [statistics.median(column) for column in zip(*rows, strict=True)]
    print(f"median of {args.rounds}: held-out {median[1]:.1%} -> {median[2]:.1%} "
          f"(about {median[0]:.0f} digits each); MNIST test {mnist_before:.2%} -> {median[3]:.2%}; "
          f"data {median[4]:.2f} s, run {median[5]:.2f} s")


if __name__ == "__main__":
    main()
