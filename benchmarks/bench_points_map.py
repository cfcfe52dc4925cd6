"""How long the points map takes for 2,000 test digits: features, PCA and t-SNE per stage.

For a model (the shipped 784-256-128-10 MLP by default, or ``--model FILE``), 2,000 test digits
(the map's own choice, :func:`~digitlab.core.points_map.choose_digits`) are pushed through the
network once, keeping each stage's 50 principal components (``features``: what the view's
Compute button does); then the two-dimensional map of a stage by PCA (the first two
components) and by t-SNE (DigitLab's NumPy t-SNE, 500 steps, perplexity 30) for the input pixels
and for the last hidden layer. Each is repeated ``--repeats`` times in turn (features, t-SNE of
the pixels, t-SNE of the hidden layer, features, ...) and reported as the median wall time and
the median CPU time (``process_time``; with ``OPENBLAS_NUM_THREADS=1`` the CPU time is the
steadier figure on a shared machine, since other processes cannot inflate it). The load average
is printed before and after: a high one means the wall times were disturbed.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_points_map.py [--repeats 3] [--model FILE] [--json]

The quality check printed beside the times: the share of digits whose nearest neighbour on the
map has the same label (1.0 = classes perfectly apart).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from digitlab._env import set_openblas_thread_timeout  # noqa: E402

set_openblas_thread_timeout()

import numpy as np  # noqa: E402

from digitlab.assets import pretrained_model_path  # noqa: E402
from digitlab.core.data import load_mnist  # noqa: E402
from digitlab.core.points_map import MAP_POINTS, choose_digits, embed, map_features  # noqa: E402
from digitlab.core.serialization import load_model  # noqa: E402


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def neighbour_agreement(xy: np.ndarray, labels: np.ndarray) -> float:
    sq = np.einsum("ij,ij->i", xy, xy)
    d = sq[:, None] + sq[None, :] - 2 * xy @ xy.T
    np.fill_diagonal(d, np.inf)
    return float(np.mean(labels[np.argmin(d, axis=1)] == labels))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    mnist = load_mnist(Path(os.environ.get("DIGITLAB_MNIST_DIR", REPO.parent / "shared" / "mnist")))
    model = load_model(args.model or pretrained_model_path())
    indices = choose_digits(mnist, MAP_POINTS)
    load_before = os.getloadavg()[0]
    times: dict[str, list[tuple[float, float]]] = {}
    quality: dict[str, float] = {}
    hidden = len(model.network.layers) - 3  # the last hidden layer's activation
    for _ in range(args.repeats):
        mapped, wall, cpu = timed(lambda: map_features(model, mnist, indices))
        times.setdefault("features (all stages)", []).append((wall, cpu))
        for name, stage in (("input pixels", 0), (f"layer {hidden + 1}", hidden)):
            for method in ("pca", "tsne"):
                xy, wall, cpu = timed(lambda s=mapped.stages[stage], m=method: embed(s, m))
                key = f"{method} {name}"
                times.setdefault(key, []).append((wall, cpu))
                quality[key] = neighbour_agreement(xy, mapped.labels)
    summary = {key: {"wall_median_s": statistics.median(w for w, _ in runs),
                     "cpu_median_s": statistics.median(c for _, c in runs),
                     "nearest_neighbour_same_label": quality.get(key)}
               for key, runs in times.items()}
    load_after = os.getloadavg()[0]
    print(f"{indices.size} digits, model {args.model or 'shipped'} ({len(model.network.layers)} layers), "
          f"{args.repeats} repeats, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'default')}")
    print(f"load average before {load_before:.1f}, after {load_after:.1f} (2 cores)")
    print(f"{'what':32} {'wall (median)':>14} {'CPU (median)':>13} {'nn same label':>14}")
    for key, row in summary.items():
        agreement = row["nearest_neighbour_same_label"]
        print(f"{key:32} {row['wall_median_s']:13.2f}s {row['cpu_median_s']:12.2f}s "
              f"{'' if agreement is None else f'{agreement:14.3f}'}")
    if args.json:
        print(json.dumps({"load": [load_before, load_after], "results": summary}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
