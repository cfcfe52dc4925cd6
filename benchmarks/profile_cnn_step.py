"""Where the time of one ``cnn`` training step goes, layer by layer, before and after issue 15.

"before" runs the net as the code before issue 15 did: im2col for every convolution and the
layers in the config's order (ReLU, then max pool). "after" runs it as shipped: each
convolution's algorithm chosen per shape (``digitlab.core.conv_choice``) and the max pool
before the ReLU (``digitlab.core.pooling.pool_before_relu``). The two networks start from the
same weights and take turns step by step on the same batches (batch 128 from the first 6,400
MNIST training images, Adam); the first steps are warm-up and not counted. Reported: median
wall milliseconds per layer call and per step, and the ratio after/before.

    python benchmarks/profile_cnn_step.py [--steps 30]
"""

from __future__ import annotations

import argparse
import statistics
import time

from digitlab._env import set_openblas_thread_timeout

set_openblas_thread_timeout()

import numpy as np  # noqa: E402  (after the BLAS setting)
from bench_cnn import build_digitlab, load_mnist_train  # noqa: E402

from digitlab.core import conv_choice  # noqa: E402
from digitlab.core.conv import Conv2D  # noqa: E402
from digitlab.core.optimizers import Adam  # noqa: E402

WARMUP = 5


def make_variant(before: bool):
    """A ``cnn`` network, its optimiser, and the layers in the order a step runs them."""
    net = build_digitlab("cnn", seed=0)
    order = list(net._train_layers)
    if before:
        order = list(net.layers[:-1])  # config order; the final softmax is fused into the loss
        for layer in order:
            if isinstance(layer, Conv2D):
                layer.algorithm = "im2col"
    return net, Adam(1e-3), order


def timed_step(net, opt, order, xb, yb, times: dict[str, list[float]]) -> None:
    """One training step, each layer call timed into ``times``."""
    def clock(name: str, fn, *args):
        began = time.perf_counter()
        result = fn(*args)
        times.setdefault(name, []).append(time.perf_counter() - began)
        return result

    began = time.perf_counter()
    h = xb
    for layer in order:
        h = clock(f"{layer.type_name} fwd #{net.layers.index(layer)}", layer.forward, h, True)
    clock("loss fwd+bwd", lambda: (net.loss_fn.forward(h, yb), net.loss_fn.backward()))
    d = net.loss_fn.backward()
    for layer in reversed(order):
        d = clock(f"{layer.type_name} bwd #{net.layers.index(layer)}", layer.backward, d)
    clock("adam", opt.update, {"all": net.flat_parameters()}, {"all": net.flat_gradients()})
    times.setdefault("STEP", []).append(time.perf_counter() - began)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args(argv)
    x, y = load_mnist_train(6400)
    variants = {"before": make_variant(True), "after": make_variant(False)}
    times: dict[str, dict[str, list[float]]] = {name: {} for name in variants}
    rng = np.random.default_rng(0)
    for step in range(WARMUP + args.steps):
        index = rng.choice(len(x), 128, replace=False)
        names = list(variants) if step % 2 == 0 else list(variants)[::-1]
        for name in names:
            sink = {} if step < WARMUP else times[name]
            timed_step(*variants[name], x[index], y[index], sink)
    print(f"\nprofile of one cnn training step (batch 128), median ms over {args.steps} steps, "
          "variants alternating")
    keys = sorted(set(times["before"]) | set(times["after"]), key=_layer_order)
    print(f"{'phase':<22} {'before':>8} {'after':>8} {'after/before':>13}")
    for key in keys:
        b = statistics.median(times["before"][key]) * 1e3 if key in times["before"] else float("nan")
        a = statistics.median(times["after"][key]) * 1e3 if key in times["after"] else float("nan")
        print(f"{key:<22} {b:8.2f} {a:8.2f} {a / b:13.2f}")
    pairs = [a / b for a, b in zip(times["after"]["STEP"], times["before"]["STEP"], strict=True)]
    print(f"median of the per-step ratios after/before: {statistics.median(pairs):.2f}")
    choices = {f"{key[0]}x{key[1]}x{key[2]}x{key[3]} -> {key[4]}": name
               for key, name in conv_choice.chosen().items()}
    print(f"convolution algorithms chosen (batch x channels x height x width -> filters): {choices}")


def _layer_order(key: str) -> tuple[int, int, str]:
    """Forward phases by layer index, then backward in reverse, then the rest."""
    if "#" in key:
        index = int(key.split("#")[1])
        return (0, index, key) if "fwd" in key else (1, -index, key)
    return (2 if key != "STEP" else 3, 0, key)


if __name__ == "__main__":
    main()
