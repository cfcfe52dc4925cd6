"""Seconds per MNIST training epoch: DigitLab's NumPy convolution layers against PyTorch CPU.

Both frameworks train the same architecture from the same initial weights, on the same
shuffled batches, with Adam (lr 1e-3) in float32 on data preloaded as float32 arrays/tensors;
each step is ``forward + backward + update`` and only step time is counted (gathering a batch
by index is excluded on both sides). Each framework runs in its own worker process, so the
NumPy side never imports torch and each reports its own peak resident memory; the workers take
turns epoch by epoch (the order swapping every epoch), so a noisy machine hurts both alike.

    python benchmarks/bench_cnn.py                       # 3 epochs of each net on full MNIST
    python benchmarks/bench_cnn.py --nets cnn --limit 6400 --epochs 2   # a quick look
    python benchmarks/bench_cnn.py --blas-spin default   # OpenBLAS threads busy-wait (slower)
    python benchmarks/bench_cnn.py --threads 1           # both sides single-threaded (steadier)
    python benchmarks/bench_cnn.py --profile-only        # where a cnn step's time goes, before/after

After the training epochs it times the evaluation of the 10,000 test digits (``predict_proba``
against a ``torch.no_grad()`` loop, batches of 1000, alternating) and prints a profile of one
``cnn`` training step, per layer, twice: "before" runs the layers as the code before issue 15
did (im2col for every convolution, ReLU before the max pool), "after" as shipped (convolution
algorithm chosen per shape, max pool before ReLU).

MNIST is read from ``$DIGITLAB_MNIST_DIR`` or ``<repo>/../shared/mnist`` (the IDX ``.gz``
files). PyTorch is a benchmark-only dependency (``pip install torch``).
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from digitlab._env import set_openblas_thread_timeout

REPO = Path(__file__).resolve().parents[1]

NETS: dict[str, list[dict[str, Any]]] = {
    "cnn": [
        {"type": "conv2d", "filters": 32, "kernel_size": 3, "padding": 1}, {"type": "relu"},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "conv2d", "filters": 64, "kernel_size": 3, "padding": 1}, {"type": "relu"},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "flatten"}, {"type": "dense", "units": 128}, {"type": "relu"},
        {"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 10}, {"type": "softmax"},
    ],
    "lenet": [
        {"type": "conv2d", "filters": 8, "kernel_size": 5}, {"type": "relu"},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "conv2d", "filters": 16, "kernel_size": 5}, {"type": "relu"},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "flatten"}, {"type": "dense", "units": 10}, {"type": "softmax"},
    ],
    # the `tutorial-cnn` preset's layers (the Keras tutorial's net), trained here with Adam too
    "tutorial": [
        {"type": "conv2d", "filters": 4, "kernel_size": 5}, {"type": "tanh"},
        {"type": "conv2d", "filters": 8, "kernel_size": 3}, {"type": "tanh"},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "conv2d", "filters": 16, "kernel_size": 3}, {"type": "tanh"},
        {"type": "max_pool2d", "pool_size": 2},
        {"type": "flatten"}, {"type": "dense", "units": 128}, {"type": "tanh"},
        {"type": "dense", "units": 10}, {"type": "softmax"},
    ],
}


# -- data ----------------------------------------------------------------------------------------
def mnist_dir() -> Path:
    env = os.environ.get("DIGITLAB_MNIST_DIR")
    return Path(env) if env else REPO.parent / "shared" / "mnist"


def _read_idx(path: Path, header: int) -> np.ndarray:
    with gzip.open(path, "rb") as handle:
        return np.frombuffer(handle.read(), dtype=np.uint8, offset=header)


def load_mnist_train(limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Training images as float32 (N, 1, 28, 28) in [0, 1] and labels as int64 (N,)."""
    folder = mnist_dir()
    images = _read_idx(folder / "train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    labels = _read_idx(folder / "train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = np.empty(images.shape, dtype=np.float32)
    np.multiply(images, np.float32(1 / 255), out=x)
    return x, labels


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20  # KiB on Linux, bytes on macOS


# -- the two workers -----------------------------------------------------------------------------
def build_digitlab(net: str, seed: int):
    from digitlab.core.network import Network

    config = {"input_shape": [1, 28, 28], "layers": NETS[net], "loss": "softmax_cross_entropy"}
    return Network.from_config(config, dtype=np.float32, rng=np.random.default_rng(seed))


class DigitLabRunner:
    """A step as DigitLab's trainer takes it: the batch in two halves, one per core
    (``digitlab.core.batch_halves``), unless ``halves`` is False (``--no-halves``)."""

    def __init__(self, net: str, seed: int, x: np.ndarray, y: np.ndarray, halves: bool = True) -> None:
        from digitlab.core.batch_halves import BatchHalves
        from digitlab.core.optimizers import Adam

        self.net = build_digitlab(net, seed)
        self.opt = Adam(1e-3)
        self.x, self.y = x, y
        self.halves = BatchHalves(self.net) if halves else None

    def epoch(self, order: np.ndarray, batch: int) -> tuple[list[float], float]:
        net, opt, steps, loss_sum = self.net, self.opt, [], 0.0
        params, grads = {"all": net.flat_parameters()}, {"all": net.flat_gradients()}
        gradient = self.halves.gradient if self.halves is not None else net.gradient
        for start in range(0, len(order), batch):
            index = order[start:start + batch]
            xb, yb = self.x[index], self.y[index]
            began = time.perf_counter()
            loss_sum += gradient(xb, yb) * len(index)
            opt.update(params, grads)
            steps.append(time.perf_counter() - began)
        return steps, loss_sum / len(order)


class TorchRunner:
    def __init__(self, net: str, seed: int, x: np.ndarray, y: np.ndarray) -> None:
        import torch
        from torch import nn

        shapes = build_digitlab(net, seed).layer_input_shapes
        layers: list[nn.Module] = []
        for entry, shape in zip(NETS[net], shapes, strict=True):
            kind = entry["type"]
            if kind == "conv2d":
                layers.append(nn.Conv2d(shape[0], entry["filters"], entry["kernel_size"],
                                        padding=entry.get("padding", 0)))
            elif kind == "dense":
                layers.append(nn.Linear(shape[0], entry["units"]))
            elif kind == "max_pool2d":
                layers.append(nn.MaxPool2d(entry["pool_size"]))
            elif kind == "dropout":
                layers.append(nn.Dropout(entry["rate"]))
            elif kind != "softmax":  # CrossEntropyLoss applies the softmax
                layers.append({"relu": nn.ReLU, "tanh": nn.Tanh, "flatten": nn.Flatten}[kind]())
        self.model = nn.Sequential(*layers)
        # Start from DigitLab's initial weights: conv W is (out, in, kh, kw) in both; a dense W
        # is (in, out) here and (out, in) in torch.
        ours = [a for _, a in build_digitlab(net, seed).named_parameters().items()]
        with torch.no_grad():
            for param, value in zip(self.model.parameters(), ours, strict=True):
                param.copy_(torch.from_numpy(value.T.copy() if value.ndim == 2 else value))
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.loss = nn.CrossEntropyLoss()
        self.torch = torch
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)

    def epoch(self, order: np.ndarray, batch: int) -> tuple[list[float], float]:
        torch, model, opt = self.torch, self.model, self.opt
        model.train()
        order_t = torch.from_numpy(order)
        steps, loss_sum = [], 0.0
        for start in range(0, len(order), batch):
            index = order_t[start:start + batch]
            xb, yb = self.x[index], self.y[index]
            began = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = self.loss(model(xb), yb)
            loss.backward()
            opt.step()
            steps.append(time.perf_counter() - began)
            loss_sum += loss.item() * len(index)
        return steps, loss_sum / len(order)


def load_mnist_test() -> np.ndarray:
    """The 10,000 test images as float32 (N, 1, 28, 28) in [0, 1]."""
    images = _read_idx(mnist_dir() / "t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    return (images * np.float32(1 / 255)).astype(np.float32)


def evaluate(runner, x: np.ndarray) -> float:
    """Seconds to get class probabilities for ``x`` in batches of 1000 (inference mode)."""
    began = time.perf_counter()
    if isinstance(runner, DigitLabRunner):
        runner.net.predict_proba(x, batch_size=1000)
    else:
        torch, model = runner.torch, runner.model
        model.eval()
        with torch.no_grad():
            for start in range(0, len(x), 1000):
                torch.softmax(model(torch.from_numpy(x[start:start + 1000])), dim=1)
    return time.perf_counter() - began


def worker(kind: str, net: str, seed: int, limit: int | None, threads: int, halves: bool, conn) -> None:
    """Serve ``epoch`` requests over ``conn``: reply ``(step times, mean loss, peak MiB)``;
    an ``"eval"`` request times the test set's evaluation."""
    try:
        x, y = load_mnist_train(limit)
        runner = DigitLabRunner(net, seed, x, y, halves) if kind == "numpy" else TorchRunner(net, seed, x, y)
        if kind == "torch" and threads:
            runner.torch.set_num_threads(threads)
        test_x = None
        conn.send(("ready", peak_rss_mib()))
        while True:
            request = conn.recv()
            if request is None:
                return
            if request == "eval":
                test_x = load_mnist_test() if test_x is None else test_x
                conn.send((evaluate(runner, test_x),))
                continue
            order, batch = request
            steps, loss = runner.epoch(order, batch)
            conn.send((steps, loss, peak_rss_mib()))
    except Exception as exc:  # report to the parent instead of dying silently
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def start_worker(ctx, kind: str, net: str, args: argparse.Namespace):
    parent, child = ctx.Pipe()
    process = ctx.Process(target=worker, args=(kind, net, args.seed, args.limit, args.threads,
                                                    not args.no_halves, child),
                          daemon=True)
    process.start()
    reply = parent.recv()
    if reply[0] == "error":
        raise SystemExit(f"{kind} worker failed: {reply[1]}")
    return process, parent


def ask(conn, order: np.ndarray, batch: int) -> tuple[list[float], float, float]:
    conn.send((order, batch))
    reply = conn.recv()
    if reply[0] == "error":
        raise SystemExit(f"worker failed: {reply[1]}")
    return reply


def ask_eval(conn) -> float:
    conn.send("eval")
    reply = conn.recv()
    if reply[0] == "error":
        raise SystemExit(f"worker failed: {reply[1]}")
    return reply[0]


def bench_net(net: str, args: argparse.Namespace, samples: int) -> dict[str, float]:
    """Alternate epochs between the workers; per framework return the median over epochs of
    the summed step time and of the *typical* epoch (median step x steps), which a busy
    machine's occasional stalls barely move, and the peak RSS."""
    ctx = mp.get_context("spawn")
    kinds = ["numpy"] + ([] if args.no_torch else ["torch"])
    workers = {kind: start_worker(ctx, kind, net, args) for kind in kinds}
    rng = np.random.default_rng(args.seed)
    total: dict[str, list[float]] = {kind: [] for kind in kinds}
    typical: dict[str, list[float]] = {kind: [] for kind in kinds}
    peaks: dict[str, float] = {}
    nan = float("nan")
    print(f"\n{net}: {samples} samples, batch {args.batch}, {args.epochs} epoch(s); seconds per epoch "
          "as the sum of step times and as median step x steps")
    print(f"{'epoch':>5} {'ours':>7} {'torch':>7} {'ratio':>6} | {'ours':>7} {'torch':>7} {'ratio':>6} | "
          f"{'ours loss':>9} {'torch loss':>10}")
    for epoch in range(args.epochs):
        order = rng.permutation(samples)
        losses = {}
        for kind in (kinds if epoch % 2 == 0 else kinds[::-1]):
            steps, losses[kind], peaks[kind] = ask(workers[kind][1], order, args.batch)
            total[kind].append(sum(steps))
            typical[kind].append(statistics.median(steps) * len(steps))
        row = [total["numpy"][-1], total["torch"][-1] if "torch" in kinds else nan]
        row2 = [typical["numpy"][-1], typical["torch"][-1] if "torch" in kinds else nan]
        print(f"{epoch + 1:>5} {row[0]:7.2f} {row[1]:7.2f} {row[0] / row[1]:6.2f} | {row2[0]:7.2f} "
              f"{row2[1]:7.2f} {row2[0] / row2[1]:6.2f} | {losses['numpy']:9.4f} "
              f"{losses.get('torch', nan):10.4f}", flush=True)
    evals: dict[str, list[float]] = {kind: [] for kind in kinds}
    for round_ in range(args.eval_rounds):
        for kind in (kinds if round_ % 2 == 0 else kinds[::-1]):
            evals[kind].append(ask_eval(workers[kind][1]))
    if args.eval_rounds:
        ours_eval = statistics.median(evals["numpy"])
        torch_eval = statistics.median(evals["torch"]) if "torch" in kinds else nan
        print(f"evaluation of 10,000 test digits, median of {args.eval_rounds}: ours {ours_eval:.3f} s, "
              f"torch.no_grad() {torch_eval:.3f} s, ratio {ours_eval / torch_eval:.2f}", flush=True)
    for process, conn in workers.values():
        conn.send(None)
        process.join()
    result = {"ours_rss": peaks["numpy"], "torch_rss": peaks.get("torch", nan)}
    if args.eval_rounds:
        result.update({"ours_eval": ours_eval, "torch_eval": torch_eval,
                       "ratio_eval": ours_eval / torch_eval})
    for label, series in (("total", total), ("typical", typical)):
        ours = statistics.median(series["numpy"])
        theirs = statistics.median(series["torch"]) if "torch" in kinds else nan
        result.update({f"ours_{label}": ours, f"torch_{label}": theirs, f"ratio_{label}": ours / theirs})
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--nets", default="cnn,lenet,tutorial", help="comma-separated: " + ", ".join(NETS))
    parser.add_argument("--limit", type=int, default=None, help="train on the first N samples only")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-torch", action="store_true", help="time DigitLab alone")
    parser.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    parser.add_argument("--no-halves", action="store_true",
                        help="DigitLab steps on the whole batch (as before batch_halves), not in two halves")
    parser.add_argument("--threads", type=int, default=0,
                        help="threads per side (OPENBLAS_NUM_THREADS, torch.set_num_threads); 0: all cores")
    parser.add_argument("--eval-rounds", type=int, default=3, help="timed evaluations of the test set")
    parser.add_argument("--profile-steps", type=int, default=30,
                        help="steps in the before/after profile of a cnn step (0: no profile)")
    parser.add_argument("--profile-only", action="store_true", help="print the cnn step profile only")
    parser.add_argument("--blas-spin", choices=("short", "default"), default="short",
                        help="OpenBLAS idle threads: sleep at once (OPENBLAS_THREAD_TIMEOUT=4, which "
                             "an app should set) or busy-wait ~0.1 s after each product (default)")
    args = parser.parse_args(argv)
    # The workers inherit this and their NumPy reads it at load time. With the default spin the
    # idle BLAS threads keep the second core busy between products, and digitlab.core.parallel
    # then runs the convolution's copies on one thread only.
    if args.blas_spin == "short":
        set_openblas_thread_timeout()  # what the digitlab entry points do
    else:
        os.environ.pop("OPENBLAS_THREAD_TIMEOUT", None)
    if args.threads:
        os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(args.threads)
    if args.profile_only:
        print_step_profile(args)
        return
    nets = [name.strip() for name in args.nets.split(",") if name.strip()]
    unknown = [name for name in nets if name not in NETS]
    if unknown:
        parser.error(f"unknown net(s) {unknown}; choose from {', '.join(NETS)}")
    samples = len(load_mnist_train(args.limit)[1])
    spin = os.environ.get("OPENBLAS_THREAD_TIMEOUT", "OpenBLAS default")
    print(f"numpy {np.__version__}, {os.cpu_count()} CPUs, OPENBLAS_THREAD_TIMEOUT={spin}; "
          f"MNIST from {mnist_dir()}")
    results = {net: bench_net(net, args, samples) for net in nets}
    scope = "full MNIST" if args.limit is None else f"--limit {args.limit}"
    print(f"\nmedian over {args.epochs} epoch(s), {scope}: seconds per epoch (sum of step times; "
          "median step x steps in brackets) and peak RSS")
    print(f"{'net':<6} {'ours s':>15} {'torch s':>15} {'ratio':>13} {'ours MiB':>9} {'torch MiB':>10} "
          f"{'eval ours/torch s':>18} {'ratio':>6}")
    for net, r in results.items():
        print(f"{net:<6} {r['ours_total']:7.2f} ({r['ours_typical']:5.2f}) "
              f"{r['torch_total']:7.2f} ({r['torch_typical']:5.2f}) "
              f"{r['ratio_total']:5.2f} ({r['ratio_typical']:4.2f}) "
              f"{r['ours_rss']:9.0f} {r['torch_rss']:10.0f} "
              f"{r.get('ours_eval', float('nan')):8.3f}/{r.get('torch_eval', float('nan')):<8.3f} "
              f"{r.get('ratio_eval', float('nan')):6.2f}")
    if args.profile_steps and "cnn" in nets:
        print_step_profile(args)
    if args.json:
        import json

        print(json.dumps({"limit": args.limit, "epochs": args.epochs, "halves": not args.no_halves,
                          **results}, separators=(",", ":")))


def print_step_profile(args: argparse.Namespace) -> None:
    """Run :mod:`profile_cnn_step` in a fresh process (so its NumPy sees the thread settings)."""
    import subprocess

    script = Path(__file__).with_name("profile_cnn_step.py")
    subprocess.run([sys.executable, str(script), "--steps", str(args.profile_steps)], check=True)


if __name__ == "__main__":
    main()
