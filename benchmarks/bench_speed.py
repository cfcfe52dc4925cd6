"""Every speed target of issue 15 in one run: CNN and MLP training against PyTorch, the ``cnn``
evaluation, peak memory of a ``cnn`` training run, and launch to a usable window.

It runs ``bench_cnn.py``, ``bench_mlp.py`` and ``bench_startup.py`` one after the other (each
alternates its own contenders), a ``digitlab train --preset cnn --epochs 1`` for the peak memory,
and prints one table of the measured ratios next to their targets.

    python benchmarks/bench_speed.py                     # full MNIST, 3 epochs each
    python benchmarks/bench_speed.py --limit 19200 --epochs 4 --startup-rounds 3

This machine sets ``OPENBLAS_CORETYPE=Haswell`` (and ``OPENBLAS_L2_SIZE``) for safety; a user's
machine does not, and OpenBLAS then picks faster kernels. To measure what a user gets, unset both
for this command alone: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/...``.
The header says which kernel ran.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def run(command: list[str], env: dict[str, str] | None = None) -> str:
    """Run a benchmark script, echo its output, return it."""
    print("\n$ " + " ".join(command[1:]), flush=True)
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    print(done.stdout[-6000:], end="", flush=True)
    if done.returncode != 0:
        raise SystemExit(f"{command[1]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def cnn_training_peak_mib() -> float:
    """Peak RSS of ``digitlab train --preset cnn --epochs 1`` (uint8 images, test evaluation)."""
    with tempfile.TemporaryDirectory() as folder:
        child = subprocess.Popen([sys.executable, "-m", "digitlab", "train", "--preset", "cnn",
                                  "--epochs", "1", "--out", str(Path(folder) / "cnn.npz")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env={**os.environ, "PYTHONPATH": str(REPO)})
        _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit("digitlab train --preset cnn failed")
    return usage.ru_maxrss / 1024


def blas_kernel() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (no threadpoolctl)"
    import numpy  # noqa: F401  (loads OpenBLAS)

    return ", ".join(f"{i.get('internal_api')} {i.get('architecture')}" for i in threadpool_info()
                     if i.get("user_api") == "blas") or "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs of each CNN and MLP contender")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N samples only")
    parser.add_argument("--startup-rounds", type=int, default=5)
    args = parser.parse_args(argv)
    python = sys.executable
    limit = ["--limit", str(args.limit)] if args.limit else []
    print(f"BLAS: {blas_kernel()}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}; "
          f"load average {os.getloadavg()[0]:.1f}")
    cnn = last_json(run([python, str(HERE / "bench_cnn.py"), "--epochs", str(args.epochs),
                         "--profile-steps", "30", "--json", *limit]))
    mlp = last_json(run([python, str(HERE / "bench_mlp.py"), "--epochs", str(args.epochs),
                         "--json", *limit]))
    startup = run([python, str(HERE / "bench_startup.py"), "--rounds", str(args.startup_rounds)])
    launches = {kind: float(match) for kind, match in
                re.findall(r"this\s+(cold|warm): launch->shown ([0-9.]+) s", startup)}
    peak = cnn_training_peak_mib()
    rows = [
        ("cnn epoch / PyTorch", cnn["cnn"]["ratio_total"], "<= 1.0"),
        ("lenet epoch / PyTorch", cnn["lenet"]["ratio_total"], "<= 1.1"),
        ("tutorial CNN epoch / PyTorch", cnn["tutorial"]["ratio_total"], "reported"),
        ("cnn test-set evaluation / torch.no_grad()", cnn["cnn"]["ratio_eval"], "<= 1.0"),
        ("MLP epoch / PyTorch, SGD momentum", mlp["momentum"]["ratio"], "<= 0.7 (stretch)"),
        ("MLP epoch / PyTorch, Adam", mlp["adam"]["ratio"], "<= 0.7 (stretch)"),
        ("MLP epoch / GEMM floor, SGD momentum", mlp["momentum"]["over_floor"], "as low as it goes"),
        ("MLP epoch / GEMM floor, Adam", mlp["adam"]["over_floor"], "as low as it goes"),
        ("peak MiB, digitlab train --preset cnn --epochs 1", peak, "<= 300"),
        ("launch to usable window, cold (s)", launches.get("cold", float("nan")), "<= 1.0"),
        ("launch to usable window, warm (s)", launches.get("warm", float("nan")), "<= 1.0"),
    ]
    print("\nissue 15 targets (ratios: median epochs, ours / PyTorch)")
    for name, value, target in rows:
        print(f"  {name:<48} {value:8.2f}   target {target}")


if __name__ == "__main__":
    main()
