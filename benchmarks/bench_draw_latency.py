"""Draw-to-prediction latency: pen strokes to probabilities, in-process, as the Draw panel does it.

The Draw panel reads the drawing while the pen moves (at most every 60 ms) and once more when the
pen lifts, through ``gui.number_prediction.predict_number_strokes``: group the strokes into
digits, then per digit ``gui.stroke_prediction.predict_strokes`` (rasterise at 224 px, the core's
MNIST-style preprocessing, the network). This script times exactly that call on realistic
drawings:

* **pendigits**: the ``train`` split of ``../shared/holdout/pendigits_strokes.npz`` (real pen
  trajectories of 30 writers), placed on the canvas as the replay test draws them (70% of the
  square, points every 4 px of a 280 px canvas, as mouse-move events arrive); each drawing is
  timed once complete (the pen lifted) and at one and two thirds of its points (the pen moving);
* **numbers**: 2 to 4 of those digits side by side (a number such as "2026"), complete.

Contenders, taken in turns drawing by drawing so a load change hits all alike:

* ``shipped``: the shipped model (``resources/pretrained.npz``) through the panel's path;
* ``shipped-1digit``: the same model through ``predict_strokes`` alone (the path before numbers
  were segmented), to show what the grouping costs;
* ``cnn-random``: the ``cnn`` preset's architecture with random weights through the panel's path
  (the shipped model may become a CNN).

Reported per contender: median, p95 and max in ms (wall clock, and this thread's CPU time: on a
loaded 2-core machine the wall-clock tail is mostly waiting for a core), and the median of the
paired ratios against ``shipped-1digit``; plus a breakdown of the shipped path (rasterise /
preprocess / network) and the load average before and after (the machine is shared: say when a
run was disturbed).

    python benchmarks/bench_draw_latency.py [--drawings 400] [--rounds 3] [--json]

Runs offscreen (Qt's raster engine draws the strokes; no window is shown).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from digitlab._env import set_openblas_thread_timeout  # noqa: E402 - before NumPy loads

set_openblas_thread_timeout()  # as the digitlab command (and so the Draw panel) runs

import numpy as np  # noqa: E402

#: The drawing square, as on screen (MIN_SIDE of the canvas).
CANVAS_PX = 280.0
#: Mouse-move spacing in canvas pixels (a real mouse reports a point every few pixels).
MOVE_STEP_PX = 4.0
#: The digit's 0-100 box spans this fraction of the square (as the replay test draws).
DIGIT_FRACTION = 0.7
TARGET_MEDIAN_MS, TARGET_P95_MS = 10.0, 25.0


def _holdout() -> Path:
    folder = os.environ.get("DIGITLAB_HOLDOUT_DIR", "").strip()
    return (Path(folder) if folder else REPO.parent / "shared" / "holdout") / "pendigits_strokes.npz"


def _dense(polyline: np.ndarray, scale: float, origin: np.ndarray) -> list[tuple[float, float]]:
    """Canvas points (0..1) along a 0-100 polyline, MOVE_STEP_PX apart."""
    corners = origin + polyline.astype(np.float64) * scale
    step = MOVE_STEP_PX / CANVAS_PX
    path = [corners[0]]
    for start, end in zip(corners[:-1], corners[1:], strict=True):
        n = max(1, int(np.ceil(np.linalg.norm(end - start) / step)))
        path += [start + (end - start) * k / n for k in range(1, n + 1)]
    return [(float(x), float(y)) for x, y in path]


def drawings(count: int, seed: int = 1) -> tuple[list[list[list[tuple[float, float]]]], list]:
    """(single digits as stroke lists, including the pen-moving prefixes), (numbers)."""
    with np.load(_holdout(), allow_pickle=False) as archive:
        points, offsets, split = archive["points"], archive["sample_offsets"], archive["split"]
    train = np.flatnonzero(split == "train")  # the test split stays unseen
    rng = np.random.default_rng(seed)
    chosen = rng.choice(train, count, replace=False)
    polylines = [points[offsets[i]:offsets[i + 1]] for i in chosen]
    scale = DIGIT_FRACTION / 100
    origin = np.full(2, (1 - DIGIT_FRACTION) / 2)
    singles = []
    for polyline in polylines:
        stroke = _dense(polyline, scale, origin)
        singles += [[stroke[:max(2, len(stroke) // 3)]], [stroke[:max(2, 2 * len(stroke) // 3)]],
                    [stroke]]
    numbers = []
    for k in range(count // 4):
        n = int(rng.integers(2, 5))
        size = 0.8 / (n * 1.2)  # each digit's 0-100 box, side by side with a gap
        strokes = [_dense(polylines[(k * 4 + j) % count], size / 100,
                          np.array([0.1 + j * size * 1.2, 0.5 - size / 2])) for j in range(n)]
        numbers.append(strokes)
    return singles, numbers


def _cnn_model():
    from digitlab.core.network import Network
    from digitlab.core.presets import get_preset
    from digitlab.core.serialization import SavedModel

    spec = get_preset("cnn").network
    rng = np.random.default_rng(0)
    network = Network.from_config({"input_shape": list(spec.input_shape),
                                   "layers": [dict(e) for e in spec.layers], "loss": spec.loss})
    network.initialize(rng)
    return SavedModel(network)


def _stats(ms: list[float]) -> dict[str, float]:
    a = np.asarray(ms)
    return {"n": int(a.size), "median_ms": float(np.median(a)),
            "p95_ms": float(np.percentile(a, 95)), "max_ms": float(a.max())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--drawings", type=int, default=400, help="pendigits drawings (default 400)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over them (default 3)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary last")
    args = parser.parse_args(argv)
    if not _holdout().is_file():
        print(f"no pendigits strokes at {_holdout()} (set DIGITLAB_HOLDOUT_DIR)", file=sys.stderr)
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from digitlab.assets import pretrained_model_path
    from digitlab.core.predict import predict_network_input
    from digitlab.core.preprocess import to_mnist_style
    from digitlab.core.serialization import load_model
    from digitlab.gui.number_prediction import predict_number_strokes
    from digitlab.gui.stroke_prediction import predict_strokes, stroke_image

    app = QApplication.instance() or QApplication([])  # noqa: F841 - QPainter needs it
    shipped = load_model(pretrained_model_path())
    cnn = _cnn_model()
    singles, numbers = drawings(args.drawings)
    contenders = {"shipped": lambda s: predict_number_strokes(shipped, s),
                  "shipped-1digit": lambda s: predict_strokes(shipped, s),
                  "cnn-random": lambda s: predict_number_strokes(cnn, s)}
    for call in contenders.values():  # warm up caches, BLAS threads, Qt's raster engine
        for strokes in singles[:20]:
            call(strokes)

    load_before = os.getloadavg()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    # CPU time of this thread for the same calls: what the work costs when no other process
    # takes the core (wall-clock p95 on a loaded 2-core machine is mostly time spent waiting).
    cpu_times: dict[str, list[float]] = {name: [] for name in contenders}
    number_times: dict[str, list[float]] = {"shipped": [], "cnn-random": []}
    stages: dict[str, list[float]] = {"rasterise": [], "preprocess": [], "network": []}
    ratios: dict[str, list[float]] = {"shipped": [], "cnn-random": []}
    names = list(contenders)
    for round_ in range(args.rounds):
        for i, strokes in enumerate(singles):
            order = names[(i + round_) % 3:] + names[:(i + round_) % 3]  # rotate who goes first
            took = {}
            for name in order:
                start, cpu_start = time.perf_counter(), time.thread_time()
                contenders[name](strokes)
                took[name] = (time.perf_counter() - start) * 1000
                times[name].append(took[name])
                cpu_times[name].append((time.thread_time() - cpu_start) * 1000)
            for name in ratios:
                ratios[name].append(took[name] / took["shipped-1digit"])
            t0 = time.perf_counter()
            image = stroke_image(strokes)
            t1 = time.perf_counter()
            digit = to_mnist_style(image, invert=False)
            t2 = time.perf_counter()
            predict_network_input(shipped, digit)
            t3 = time.perf_counter()
            for stage, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                stages[stage].append(seconds * 1000)
        for strokes in numbers:
            for name, model in (("shipped", shipped), ("cnn-random", cnn)):
                start = time.perf_counter()
                predict_number_strokes(model, strokes)
                number_times[name].append((time.perf_counter() - start) * 1000)
    load_after = os.getloadavg()

    summary = {
        "drawings": args.drawings, "rounds": args.rounds,
        "load_average_before": load_before, "load_average_after": load_after,
        "one_digit": {name: _stats(ms) for name, ms in times.items()},
        "one_digit_thread_cpu": {name: _stats(ms) for name, ms in cpu_times.items()},
        "numbers": {name: _stats(ms) for name, ms in number_times.items()},
        "paired_ratio_vs_1digit": {name: float(np.median(r)) for name, r in ratios.items()},
        "shipped_stages_median_ms": {k: float(np.median(v)) for k, v in stages.items()},
        "cpus": os.cpu_count(),
    }
    print(f"{len(singles)} one-digit drawings (complete and pen-moving prefixes) x {args.rounds} "
          f"rounds, {len(numbers)} numbers of 2-4 digits; load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after ({os.cpu_count()} CPUs)")
    print(f"{'contender':<16}{'drawing':<10}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}"
          f"{'x 1digit':>10}")
    for kind, table in (("one digit", summary["one_digit"]), ("number", summary["numbers"])):
        for name, s in table.items():
            ratio = summary["paired_ratio_vs_1digit"].get(name) if kind == "one digit" else None
            print(f"{name:<16}{kind:<10}{s['median_ms']:>10.2f}{s['p95_ms']:>9.2f}"
                  f"{s['max_ms']:>9.1f}{'' if ratio is None else f'{ratio:>10.2f}'}")
    print("thread CPU time, one digit: " + "; ".join(
        f"{name} median {s['median_ms']:.2f} ms, p95 {s['p95_ms']:.2f} ms"
        for name, s in summary["one_digit_thread_cpu"].items()))
    print("shipped path, median per stage: " + ", ".join(
        f"{k} {v:.2f} ms" for k, v in summary["shipped_stages_median_ms"].items()))
    one = summary["one_digit"]["shipped"]
    met = one["median_ms"] <= TARGET_MEDIAN_MS and one["p95_ms"] <= TARGET_P95_MS
    print(f"target (shipped, one digit): median <= {TARGET_MEDIAN_MS:.0f} ms, p95 <= "
          f"{TARGET_P95_MS:.0f} ms: {'met' if met else 'NOT met'}")
    if args.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
