"""The Neuron lab's update time and the Inside numbers of issue 13 (edits and robustness).

For each model (the shipped one, and any ``--models`` files, e.g. a trained mlp and cnn):

1. **Update time** in the Neuron lab: from a change in the view (a unit switched off, the prune
   slider moved, the noise slider moved) to the new accuracy on the 2,000-image subset shown,
   measured on the GUI thread (offscreen window), *including* the 120 ms during which rapid
   changes are gathered. The three kinds of change take turns, ``--repeats`` rounds; medians.
   Targets: 1 s for an MLP, 3 s for a CNN. The core's own scoring time is printed beside it.
2. **Accuracy drop** when the 10% most active units of the first hidden layer (highest mean
   value on the subset) are switched off, and, for comparison, the median over five draws of
   10% of the units at random.
3. **Reject curve**: accuracy on all 2,000 subset digits and on the 95% most confident.
4. **Robustness curves**: seconds to compute every damage curve (1,000 digits) and the reject
   curve on the job helper.

    python benchmarks/bench_neuronlab.py [--models a.npz b.npz] [--repeats 5] [--json]

MNIST comes from ``$DIGITLAB_MNIST_DIR`` or ``<repo>/../shared/mnist``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _mnist_dir() -> Path:
    env = os.environ.get("DIGITLAB_MNIST_DIR", "").strip()
    return Path(env) if env else REPO.parent / "shared" / "mnist"


def _wait(app, condition, timeout: float = 300.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the view did not finish in time")
        app.processEvents()
        time.sleep(0.002)


def measure_model(app, path: Path, data, repeats: int) -> dict:
    import numpy as np

    from digitlab.core.edit_scoring import EditScorer
    from digitlab.core.model_edit import most_active_units
    from digitlab.gui.inside.context import InsideContext
    from digitlab.gui.inside.neuron_lab import NeuronLab
    from digitlab.gui.inside.robustness_panel import RobustnessPanel
    from digitlab.gui.session import Session

    session = Session()
    session.load_model(path)
    session.data = data
    lab = NeuronLab(session, InsideContext())
    lab.resize(1000, 650)
    lab.show()
    _wait(app, lambda: lab.score is not None and not lab.runner.busy)
    hidden = lab.hidden[0]

    def change(kind: str, step: int):
        if kind == "unit":
            lab.toggle_unit(step % hidden.units)
        elif kind == "prune":
            lab.prune_slider.setValue(10 + 10 * (step % 8))
        else:
            lab.noise_slider.setValue(10 + 10 * (step % 8))

    updates: dict[str, list[float]] = {"unit": [], "prune": [], "noise": []}
    for step in range(repeats):
        for kind in updates:
            lab.reset()
            _wait(app, lambda: not lab.runner.busy)
            delivered: list = []
            lab.runner.result_ready.connect(delivered.append)
            started = time.perf_counter()
            change(kind, step)
            _wait(app, lambda delivered=delivered: bool(delivered) and not lab.runner.busy)
            updates[kind].append(time.perf_counter() - started)
            lab.runner.result_ready.disconnect(delivered.append)

    scorer: EditScorer = lab.scorer
    core: dict[str, list[float]] = {"unit": [], "prune": []}
    for _ in range(repeats):
        for kind, edits in (("unit", [{"op": "units", "layer": hidden.index, "units": [0], "scale": 0.0}]),
                            ("prune", [{"op": "prune", "fraction": 0.5, "scope": "global"}])):
            started = time.perf_counter()
            scorer.score(edits)
            core[kind].append(time.perf_counter() - started)

    baseline = scorer.score([]).accuracy
    top = most_active_units(scorer.network, scorer.x, hidden, 0.1)
    top_off = scorer.score([{"op": "units", "layer": hidden.index, "units": top, "scale": 0.0}]).accuracy
    rng = np.random.default_rng(0)
    random_off = statistics.median(scorer.score([{"op": "units", "layer": hidden.index, "scale": 0.0,
                                                  "units": sorted(int(u) for u in rng.choice(
                                                      hidden.units, len(top), replace=False))}]).accuracy
                                   for _ in range(5))
    lab.close()

    panel = RobustnessPanel(session, InsideContext())
    panel.show()
    started = time.perf_counter()
    panel.compute()
    _wait(app, lambda: panel.reject is not None and not panel.runner.busy, 3600)
    curve_seconds = time.perf_counter() - started
    reject = panel.reject
    curves = {name: [round(float(a), 4) for a in acc] for name, acc in panel.curves.items()}
    panel.close()
    return {
        "model": path.name,
        "layers": " ".join(e["type"] for e in session.model.network.get_config()["layers"]),
        "first_hidden": f"layer {hidden.index}, {hidden.units} units",
        "update_median_s": {k: round(statistics.median(v), 3) for k, v in updates.items()},
        "update_max_s": {k: round(max(v), 3) for k, v in updates.items()},
        "core_score_median_s": {k: round(statistics.median(v), 3) for k, v in core.items()},
        "subset_accuracy": baseline, "top10_off_accuracy": top_off, "random10_off_accuracy": random_off,
        "reject_accuracy_at_95": reject.accuracy_at_coverage(0.95),
        "reject_threshold_at_95": reject.threshold_for_coverage(0.95),
        "curves_seconds": round(curve_seconds, 1), "curves": curves,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="*", type=Path, default=[])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DIGITLAB_HOME", tempfile.mkdtemp(prefix="digitlab-bench-"))
    sys.path.insert(0, str(REPO))
    from PySide6.QtWidgets import QApplication

    from digitlab.assets import pretrained_model_path
    from digitlab.core.data import load_mnist

    app = QApplication.instance() or QApplication([])
    data = load_mnist(_mnist_dir())
    load = os.getloadavg()[0]
    results = [measure_model(app, path, data, args.repeats)
               for path in [pretrained_model_path(), *args.models]]
    if args.json:
        print(json.dumps({"load_average_at_start": load, "results": results}, indent=1))
        return 0
    print(f"load average at start: {load:.1f} (2 cores)")
    for r in results:
        print(f"\n{r['model']}: {r['layers']}")
        print("  update in the view (median / max s): " + ", ".join(
            f"{k} {r['update_median_s'][k]} / {r['update_max_s'][k]}" for k in r["update_median_s"]))
        print("  core scoring (median s): " + ", ".join(
            f"{k} {v}" for k, v in r["core_score_median_s"].items()))
        print(f"  subset accuracy {r['subset_accuracy']:.4f}; 10% most active of {r['first_hidden']} "
              f"off: {r['top10_off_accuracy']:.4f}; 10% at random off (median of 5): "
              f"{r['random10_off_accuracy']:.4f}")
        print(f"  reject curve: accuracy at 95% coverage {r['reject_accuracy_at_95']:.4f} "
              f"(threshold {r['reject_threshold_at_95']:.3f})")
        print(f"  robustness curves + reject curve: {r['curves_seconds']} s")
        for name, accuracies in r["curves"].items():
            print(f"    {name:<10} {' '.join(f'{a:.3f}' for a in accuracies)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
