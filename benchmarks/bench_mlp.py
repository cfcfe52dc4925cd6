"""Seconds per MNIST training epoch of DigitLab's trainer against PyTorch CPU, for the MLP.

The net is the ``mlp-momentum`` / ``mlp`` presets' 784-256-128-10 ReLU, batch 128, float32,
the full 60,000 training images (no validation split, no test evaluation):

- **ours**: the real :class:`digitlab.core.training.Trainer`, fed the uint8 images as in any
  run (each batch is gathered and converted to standardised float32 inside the step). "step"
  is the trainer's own per-epoch step time (gather + convert + forward + backward + update);
  "wall" is the whole epoch including the trainer's per-batch bookkeeping and events.
- **torch**: the same architecture starting from the same initial weights, the same optimiser
  and settings, float32 tensors preloaded and standardised, a per-epoch permutation sliced by
  index; only ``zero_grad + forward + loss + backward + step`` is timed ("step"), the slicing
  is in "wall". ``torch.set_num_threads(os.cpu_count())``.
- **GEMM floor**: NumPy's time for the matrix products alone, with the same shapes and
  batches, into preallocated outputs: 3 forward, 3 weight-gradient and 2 input-gradient
  products per step (the first layer's input gradient is needed by nobody, so neither
  DigitLab nor PyTorch computes it). No implementation that calls BLAS for them can beat it.

Momentum uses ``mlp-momentum`` (SGD momentum 0.9, lr 0.05); Adam uses ``mlp`` with its
cosine schedule replaced by a constant rate (lr 1e-3) so both sides do the same arithmetic.
Each side runs in its own worker process and they take turns epoch by epoch (ours, torch,
floor, ours, torch, floor, ...), so a busy machine hurts both alike. Reported per optimiser:
the ratio of the two sides' median epochs (the number to quote), the median of the per-round
ratios (robust to a burst of load that hits one epoch) and the ratio of the best epochs (the
least disturbed). On a busy two-core machine multithreaded BLAS (OpenBLAS here, MKL/OpenMP in
PyTorch) can slow an epoch down tenfold whenever another process takes a core: watch the
``load`` column, rerun, or compare single-threaded with ``--threads 1``, which such load barely
disturbs.

Peak memory: a full ``digitlab train --preset mlp`` run (loading, training, test evaluation,
saving) in a child process, measured as that child's ``ru_maxrss``.

    python benchmarks/bench_mlp.py                       # 3 epochs each, both optimisers
    python benchmarks/bench_mlp.py --epochs 5 --json     # more pairs; JSON summary last
    python benchmarks/bench_mlp.py --limit 12800 --epochs 2 --optimizers momentum   # quick look

MNIST comes from ``$DIGITLAB_MNIST_DIR`` or ``<repo>/../shared/mnist``. PyTorch is a
benchmark-only dependency (``pip install torch``).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

from digitlab._env import set_openblas_thread_timeout  # noqa: E402 (needs the path above)

#: benchmark name -> (DigitLab preset, settings changed for parity)
OPTIMIZERS: dict[str, tuple[str, dict[str, Any]]] = {
    "momentum": ("mlp-momentum", {}),
    "adam": ("mlp", {"schedule": "constant"}),
}


def threads() -> int:
    """Threads each side may use: ``--threads`` (passed on through the environment) or all cores."""
    return int(os.environ.get("OPENBLAS_NUM_THREADS") or os.cpu_count() or 1)


def mnist_dir() -> Path:
    env = os.environ.get("DIGITLAB_MNIST_DIR")
    return Path(env) if env else REPO.parent / "shared" / "mnist"


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20  # KiB on Linux, bytes on macOS


def bench_config(optimizer: str, epochs: int):
    """The preset's TrainConfig as benchmarked: full training set, no evaluation."""
    from digitlab.core.presets import get_preset

    preset, changes = OPTIMIZERS[optimizer]
    return get_preset(preset).with_settings(epochs=epochs, evaluate_test=False, val_split=0.0, **changes)


def training_data(limit: int | None, seed: int):
    from digitlab.core.data import load_mnist
    from digitlab.core.splits import TrainingData

    return TrainingData.from_mnist(load_mnist(mnist_dir()), 0.0, seed, train_limit=limit)


# -- workers: each serves "run one epoch" requests over a pipe -------------------------------------
def digitlab_worker(optimizer: str, epochs: int, limit: int | None, conn) -> None:
    """Run the real Trainer; block in its epoch-end event until the parent says go on."""
    from digitlab.core.events import EpochEnd
    from digitlab.core.training import Trainer

    try:
        config = bench_config(optimizer, epochs)
        trainer = Trainer(config, training_data(limit, config.run.seed))
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", peak_rss_mib()))
    began = [0.0]

    def on_event(event: object) -> None:
        if isinstance(event, EpochEnd):
            wall = time.perf_counter() - began[0]
            m = event.metrics
            conn.send((m.seconds, wall, m.train_loss, peak_rss_mib()))
            if conn.recv() is None:
                trainer.control.request_stop()
            began[0] = time.perf_counter()

    if conn.recv() is None:
        return
    began[0] = time.perf_counter()
    trainer.run(on_event)


class TorchRunner:
    """The same net, weights, optimiser and (standardised) inputs in PyTorch."""

    def __init__(self, optimizer: str, limit: int | None) -> None:
        import torch
        from torch import nn

        from digitlab.core.inputs import InputTransform
        from digitlab.core.training import Trainer

        torch.set_num_threads(threads())
        config = bench_config(optimizer, 1)
        data = training_data(limit, config.run.seed)
        trainer = Trainer(config, data)  # only for its initial weights and fitted transform
        transform: InputTransform = trainer.transform
        x = transform.apply(data.train.images, (784,), np.float32)
        self.x = torch.from_numpy(x)
        self.y = torch.from_numpy(data.train.labels.astype(np.int64))
        self.model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                                   nn.Linear(128, 10))
        ours = list(trainer.network.named_parameters().values())
        with torch.no_grad():  # DigitLab's W is (in, out), torch's (out, in)
            for param, value in zip(self.model.parameters(), ours, strict=True):
                param.copy_(torch.from_numpy(value.T.copy() if value.ndim == 2 else value))
        opt = config.optimizer.settings
        if config.optimizer.name == "momentum":
            self.opt = torch.optim.SGD(self.model.parameters(), lr=opt["lr"],
                                       momentum=opt["momentum"])
        else:
            self.opt = torch.optim.Adam(self.model.parameters(), lr=opt["lr"],
                                        betas=(opt["beta1"], opt["beta2"]), eps=1e-8)
        self.loss = nn.CrossEntropyLoss()
        self.batch = config.data.batch_size
        self.generator = torch.Generator().manual_seed(config.run.seed)
        self.torch = torch

    def epoch(self) -> tuple[float, float, float]:
        torch, model, opt = self.torch, self.model, self.opt
        began = time.perf_counter()
        order = torch.randperm(len(self.y), generator=self.generator)
        step_time, loss_sum = 0.0, 0.0
        for start in range(0, len(order), self.batch):
            index = order[start:start + self.batch]
            xb, yb = self.x[index], self.y[index]
            step_began = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = self.loss(model(xb), yb)
            loss.backward()
            opt.step()
            step_time += time.perf_counter() - step_began
            loss_sum += loss.item() * len(index)
        return step_time, time.perf_counter() - began, loss_sum / len(order)


class GemmFloor:
    """Only the MLP's matrix products, batch by batch, into preallocated arrays."""

    def __init__(self, samples: int, batch: int) -> None:
        rng = np.random.default_rng(0)
        sizes = [784, 256, 128, 10]
        self.weights = [rng.standard_normal((a, b), dtype=np.float32) * 0.05
                        for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        self.grads = [np.empty_like(w) for w in self.weights]
        self.batches = [min(batch, samples - start) for start in range(0, samples, batch)]
        self.buffers = {n: self._buffers(n, sizes, rng) for n in set(self.batches)}

    @staticmethod
    def _buffers(n: int, sizes: list[int], rng: np.random.Generator) -> dict[str, list[np.ndarray]]:
        acts = [rng.standard_normal((n, s), dtype=np.float32) for s in sizes]
        return {"acts": acts, "deltas": [a.copy() for a in acts]}

    def epoch(self) -> tuple[float, float, float]:
        w, g = self.weights, self.grads
        began = time.perf_counter()
        for n in self.batches:
            a, d = self.buffers[n]["acts"], self.buffers[n]["deltas"]
            for i in range(3):  # forward: a[i+1] = a[i] @ W[i]
                np.matmul(a[i], w[i], out=a[i + 1])
            for i in (2, 1, 0):  # backward: dW[i] = a[i].T @ d[i+1]; d[i] = d[i+1] @ W[i].T
                np.matmul(a[i].T, d[i + 1], out=g[i])
                if i:
                    np.matmul(d[i + 1], w[i].T, out=d[i])
        seconds = time.perf_counter() - began
        return seconds, seconds, float("nan")


def simple_worker(kind: str, optimizer: str, limit: int | None, conn) -> None:
    try:
        if kind == "torch":
            runner: TorchRunner | GemmFloor = TorchRunner(optimizer, limit)
        else:
            samples = len(training_data(limit, 0).train)
            runner = GemmFloor(samples, bench_config(optimizer, 1).data.batch_size)
        conn.send(("ready", peak_rss_mib()))
        while conn.recv() is not None:
            step, wall, loss = runner.epoch()
            conn.send((step, wall, loss, peak_rss_mib()))
    except Exception as exc:  # report to the parent instead of dying silently
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def start_worker(ctx, target, args: tuple):
    parent, child = ctx.Pipe()
    process = ctx.Process(target=target, args=(*args, child), daemon=True)
    process.start()
    reply = parent.recv()
    if reply[0] == "error":
        raise SystemExit(f"{args[0]} worker failed: {reply[1]}")
    return process, parent


def next_epoch(conn) -> tuple[float, float, float, float]:
    conn.send("go")
    reply = conn.recv()
    if reply[0] == "error":
        raise SystemExit(f"worker failed: {reply[1]}")
    return reply


# -- the comparison --------------------------------------------------------------------------------
def bench_optimizer(optimizer: str, args: argparse.Namespace) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    workers = {
        "ours": start_worker(ctx, digitlab_worker, (optimizer, args.epochs, args.limit)),
        "torch": start_worker(ctx, simple_worker, ("torch", optimizer, args.limit)),
        "floor": start_worker(ctx, simple_worker, ("floor", optimizer, args.limit)),
    }
    step: dict[str, list[float]] = {k: [] for k in workers}
    wall: dict[str, list[float]] = {k: [] for k in workers}
    peak: dict[str, float] = {}
    print(f"\n{optimizer}: preset {OPTIMIZERS[optimizer][0]} {OPTIMIZERS[optimizer][1] or ''}")
    print(f"{'epoch':>5} {'ours step':>9} {'ours wall':>9} {'torch step':>10} {'torch wall':>10} "
          f"{'floor':>6} {'ratio':>6} {'ours loss':>9} {'torch loss':>10} {'load':>5}")
    for epoch in range(args.epochs):
        losses = {}
        for kind, (_, conn) in workers.items():  # strictly ours, torch, floor in every round
            s, w, losses[kind], peak[kind] = next_epoch(conn)
            step[kind].append(s)
            wall[kind].append(w)
        print(f"{epoch + 1:>5} {step['ours'][-1]:9.3f} {wall['ours'][-1]:9.3f} "
              f"{step['torch'][-1]:10.3f} {wall['torch'][-1]:10.3f} {step['floor'][-1]:6.3f} "
              f"{step['ours'][-1] / step['torch'][-1]:6.2f} {losses['ours']:9.4f} "
              f"{losses['torch']:10.4f} {os.getloadavg()[0]:5.1f}", flush=True)
    for process, conn in workers.values():
        conn.send(None)
        process.join(timeout=30)
    med = {k: statistics.median(v) for k, v in step.items()}
    med_wall = {k: statistics.median(v) for k, v in wall.items()}
    best = {k: min(v) for k, v in step.items()}
    paired = statistics.median(a / b for a, b in zip(step["ours"], step["torch"], strict=True))
    result = {"ours_step": med["ours"], "ours_wall": med_wall["ours"], "torch_step": med["torch"],
              "torch_wall": med_wall["torch"], "gemm_floor": med["floor"],
              "ratio": med["ours"] / med["torch"], "ratio_wall": med_wall["ours"] / med_wall["torch"],
              "ratio_paired": paired, "ours_best": best["ours"], "torch_best": best["torch"],
              "floor_best": best["floor"], "ratio_best": best["ours"] / best["torch"],
              "over_floor": med["ours"] / med["floor"], "torch_over_floor": med["torch"] / med["floor"],
              "ours_worker_peak_mib": peak["ours"], "torch_worker_peak_mib": peak["torch"],
              "epochs": {k: v for k, v in step.items()}}
    print(f"median  ours {med['ours']:.3f} s (wall {med_wall['ours']:.3f})  torch {med['torch']:.3f} s "
          f"(wall {med_wall['torch']:.3f})  ratio ours/torch {result['ratio']:.2f} "
          f"(wall {result['ratio_wall']:.2f})  GEMM floor {med['floor']:.3f} s: ours x"
          f"{result['over_floor']:.2f}, torch x{result['torch_over_floor']:.2f}")
    print(f"        median of per-round ratios {paired:.2f}; best epochs: ours {best['ours']:.3f} s, "
          f"torch {best['torch']:.3f} s, ratio {result['ratio_best']:.2f}, floor {best['floor']:.3f} s")
    return result


def training_run_peak_mib(epochs: int) -> tuple[float, str]:
    """Peak RSS of ``digitlab train --preset mlp`` in a child process (its own ru_maxrss)."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "digitlab", "train", "--preset", "mlp", "--epochs",
                   str(epochs), "--data", str(mnist_dir()), "--out", str(Path(folder) / "m.npz"),
                   "--json"]
        paths = [str(REPO)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        output = child.stdout.read().decode() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
        if status != 0:
            raise SystemExit(f"digitlab train failed with status {status}")
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return peak, output.strip().splitlines()[-1] if output.strip() else ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs of each (default 3)")
    parser.add_argument("--optimizers", default="momentum,adam",
                        help="comma-separated: " + ", ".join(OPTIMIZERS))
    parser.add_argument("--limit", type=int, default=None, help="train on the first N samples only")
    parser.add_argument("--memory-epochs", type=int, default=1,
                        help="epochs of the peak-memory training run (default 1; 0 skips it)")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS/torch threads for both sides (default: all cores)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    args = parser.parse_args(argv)
    set_openblas_thread_timeout()  # as the digitlab command does; the spawned workers inherit it
    if args.threads:  # read by OpenBLAS when the spawned workers import NumPy, and by threads()
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = str(args.threads)
    chosen = [name.strip() for name in args.optimizers.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in OPTIMIZERS]
    if unknown or args.epochs < 1:
        parser.error(f"unknown optimizer(s) {unknown}; choose from {', '.join(OPTIMIZERS)}"
                     if unknown else "--epochs must be >= 1")
    torch_version = importlib.metadata.version("torch")  # importing it here would skew the RSS

    cores = os.cpu_count() or 1
    print(f"numpy {np.__version__}, torch {torch_version} (set_num_threads({threads()}), "
          f"OpenBLAS threads {threads()}), "
          f"{cores} cores, {platform.processor() or platform.machine()}; MNIST from {mnist_dir()}"
          + (f", first {args.limit} samples" if args.limit else ""))
    summary: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "cores": cores, "threads": threads(),
                               "numpy": np.__version__, "torch": torch_version,
                               "limit": args.limit, "epochs": args.epochs}
    # Memory first, while this process is still small: Linux carries a process's peak RSS over
    # fork and exec, so a child started from a large parent would report the parent's size.
    if args.memory_epochs > 0:
        peak, line = training_run_peak_mib(args.memory_epochs)
        summary["training_run_peak_mib"] = peak
        print(f"peak RSS of `digitlab train --preset mlp --epochs {args.memory_epochs}` "
              f"(full MNIST, test evaluation, save): {peak:.0f} MiB (target <= 300 MiB)")
        if line:
            print(f"  its --json line: {line}")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    for name in chosen:
        summary[name] = bench_optimizer(name, args)
    print("\nsummary (median s/epoch of step time; ratios ours/torch)")
    print(f"{'optimizer':<10} {'ours':>7} {'torch':>7} {'ratio':>6} {'paired':>6} {'best':>6} "
          f"{'GEMM floor':>10} {'ours/floor':>10} {'torch peak MiB':>14}")
    for name in chosen:
        r = summary[name]
        print(f"{name:<10} {r['ours_step']:7.3f} {r['torch_step']:7.3f} {r['ratio']:6.2f} "
              f"{r['ratio_paired']:6.2f} {r['ratio_best']:6.2f} {r['gemm_floor']:10.3f} "
              f"{r['over_floor']:10.2f} {r['torch_worker_peak_mib']:14.0f}")
    if args.json:
        print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()
