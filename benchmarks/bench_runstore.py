"""What the run history costs a training run: throughput with and without it, and its size.

A run of the ``mlp`` preset (784-256-128-10, Adam, batch 128) on MNIST, timed as a whole
(``Trainer.run``, test evaluation off), alternately with the run history recording it (the
command line's way: a :class:`~digitlab.core.run_recorder.RunRecorder` as the trainer's listener,
on the training thread, into a fresh SQLite file per round) and without it (a listener that does
nothing). Reported: each side's median samples per second and the **median of the paired
ratios** (round i with / round i without), robust to load that hits one round; the store's size
per run (the file after a WAL checkpoint, divided by the runs in it). Because a shared machine's
load makes whole-run times jump by tens of percent, two steadier figures come with it: the
paired ratio of CPU times (``process_time``; run it with ``OPENBLAS_NUM_THREADS=1`` so BLAS
threads do not spin into it) and the share of each recorded run's wall time spent inside the
recorder's calls (the direct cost, which other processes hardly disturb).

    python benchmarks/bench_runstore.py                       # 7 pairs, 10,000 images, 1 epoch
    python benchmarks/bench_runstore.py --report-every 1      # the worst case: every batch
    python benchmarks/bench_runstore.py --limit 60000 --json  # full epochs; JSON summary last

MNIST comes from ``$DIGITLAB_MNIST_DIR`` or ``<repo>/../shared/mnist``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from digitlab.core.data import load_mnist  # noqa: E402
from digitlab.core.presets import get_preset  # noqa: E402
from digitlab.core.run_recorder import RunRecorder  # noqa: E402
from digitlab.core.splits import TrainingData  # noqa: E402
from digitlab.core.training import Trainer  # noqa: E402


def _mnist_dir() -> Path:
    explicit = os.environ.get("DIGITLAB_MNIST_DIR", "").strip()
    return Path(explicit) if explicit else REPO.parent / "shared" / "mnist"


def _one_run(config, data, store: Path | None) -> dict[str, float]:
    """One whole run: its wall and CPU seconds, the seconds spent inside the recorder, and the
    samples it trained on."""
    recorder = RunRecorder(store, "cli") if store is not None else None
    inside = 0.0

    def listener(event) -> None:
        nonlocal inside
        if recorder is not None:
            entered = time.perf_counter()
            recorder(event)
            inside += time.perf_counter() - entered

    started, started_cpu = time.perf_counter(), time.process_time()
    if recorder is not None:
        entered = time.perf_counter()
        recorder.start(config, preset="mlp", command="bench")
        inside += time.perf_counter() - entered
    result = Trainer(config, data).run(listener)
    if recorder is not None:
        entered = time.perf_counter()
        recorder.finish(result.reason, message=result.message, result=result.summary())
        recorder.close()
        inside += time.perf_counter() - entered
    return {"wall": time.perf_counter() - started, "cpu": time.process_time() - started_cpu,
            "inside": inside, "samples": result.iterations * config.data.batch_size}


def _store_size(path: Path) -> tuple[int, int, int]:
    """Bytes of the file after folding the WAL in, runs and batch rows in it."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        runs = db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        batches = db.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
    return path.stat().st_size, runs, batches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="pairs of runs (default 7)")
    parser.add_argument("--limit", type=int, default=10_000, help="training images (default 10,000)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--report-every", type=int, default=10,
                        help="batches between progress reports (the preset's 10; 1 = every batch)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary last")
    args = parser.parse_args()
    config = get_preset("mlp").with_settings(schedule="constant", train_limit=args.limit,
                                             epochs=args.epochs, evaluate_test=False,
                                             report_every=args.report_every)
    data = TrainingData.for_config(load_mnist(_mnist_dir()), config)
    _one_run(config, data, None)  # warm-up: caches, BLAS threads
    with tempfile.TemporaryDirectory() as folder:
        shared = Path(folder) / "all-runs.sqlite3"
        ratios, cpu_ratios, with_rates, without_rates, inside_shares = [], [], [], [], []
        print(f"{'round':>5} {'without (samples/s)':>20} {'with (samples/s)':>17} {'ratio':>6} "
              f"{'CPU ratio':>9} {'in recorder':>11}")
        for i in range(args.rounds):
            # Alternate which side goes first, so a trend in load hits both alike.
            order = (False, True) if i % 2 == 0 else (True, False)
            runs = {recording: _one_run(config, data, shared if recording else None)
                    for recording in order}
            rates = {k: r["samples"] / r["wall"] for k, r in runs.items()}
            with_rates.append(rates[True])
            without_rates.append(rates[False])
            ratios.append(rates[True] / rates[False])
            cpu_ratios.append(runs[False]["cpu"] / runs[True]["cpu"])
            inside_shares.append(runs[True]["inside"] / runs[True]["wall"])
            print(f"{i + 1:>5} {rates[False]:>20,.0f} {rates[True]:>17,.0f} {ratios[-1]:>6.3f} "
                  f"{cpu_ratios[-1]:>9.3f} {inside_shares[-1] * 100:>10.2f}%")
        size, runs, batch_rows = _store_size(shared)
        # One more store holding a single run, for the marginal size of a run.
        single = Path(folder) / "one-run.sqlite3"
        _one_run(config, data, single)
        one_size, _, one_batches = _store_size(single)
        empty = Path(folder) / "empty.sqlite3"
        RunRecorder(empty, "cli").start(config)
        empty_size, _, _ = _store_size(empty)
    summary = {
        "median_samples_per_second_without": statistics.median(without_rates),
        "median_samples_per_second_with": statistics.median(with_rates),
        "median_paired_ratio": statistics.median(ratios),
        "overhead_percent": (1 - statistics.median(ratios)) * 100,
        "median_paired_cpu_ratio": statistics.median(cpu_ratios),
        "median_percent_of_wall_time_inside_recorder": statistics.median(inside_shares) * 100,
        "store_bytes_per_run": size / runs,
        "runs_in_store": runs,
        "batch_rows_per_run": batch_rows / runs,
        "one_run_file_bytes": one_size,
        "file_bytes_with_one_unfinished_run_no_batches": empty_size,
        "report_every": args.report_every,
        "training_images": len(data.train),
        "epochs": args.epochs,
    }
    print(f"median paired ratio (with / without): {summary['median_paired_ratio']:.4f} "
          f"-> overhead {summary['overhead_percent']:.2f}%; CPU-time ratio "
          f"{summary['median_paired_cpu_ratio']:.4f}; time inside the recorder "
          f"{summary['median_percent_of_wall_time_inside_recorder']:.3f}% of the run")
    print(f"store size: {size:,} bytes for {runs} runs = {size / runs:,.0f} bytes per run "
          f"({batch_rows / runs:.0f} batch reports and {args.epochs} epochs each); "
          f"a file with one run: {one_size:,} bytes ({one_batches} batch rows)")
    if args.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
