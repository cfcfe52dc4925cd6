"""Backpropagation, step by step, on a network small enough to follow every number.

A 4-3-2 network (sigmoid hidden layer) and one sample. The output is either a sigmoid with the
squared error ``E = 1/2 sum_k (y_k - t_k)^2`` (the tutorials' sum of squares) or a softmax with
the cross-entropy ``E = -sum_k t_k log y_k``. :func:`backprop_steps` lists every value of the
forward pass, then every gradient of the backward pass, in the order the chain rule computes
them, each with its formula, the numbers that went in, and (for gradients) the numerical
derivative found by nudging that one quantity by +-h and running the rest of the forward pass:

    forward   z1 = W1 x + b1,  h = sigmoid(z1),  z2 = W2 h + b2,  y = out(z2),  E = loss(y, t)
    backward  dE/dy,  d2 = dE/dz2,  dE/dW2 = d2 h^T,  dE/db2 = d2,  dE/dh = W2^T d2,
              d1 = dE/dz1 = dE/dh * h (1 - h),  dE/dW1 = d1 x^T,  dE/db1 = d1

Formulas are written with symbols and numbers only, so they read the same in every language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .common import check_choice, check_whole

__all__ = ["LOSSES", "SIZES", "Step", "TinyNet", "backprop_steps", "forward", "numerical_derivative"]

#: units per layer: inputs, hidden, outputs
SIZES = (4, 3, 2)
#: output and loss pairs, by key
LOSSES = ("mse", "cross_entropy")
#: the central-difference step; in float64 it leaves an error near 1e-10
NUDGE = 1e-5

#: quantity -> (symbol shown, phase); every value and gradient the stepper visits, in order
QUANTITIES: dict[str, tuple[str, str]] = {
    "z1": ("z1", "forward"), "h": ("h", "forward"), "z2": ("z2", "forward"),
    "y": ("y", "forward"), "E": ("E", "forward"),
    "y'": ("\u2202E/\u2202y", "backward"), "z2'": ("\u03b42", "backward"),
    "W2'": ("\u2202E/\u2202W2", "backward"), "b2'": ("\u2202E/\u2202b2", "backward"),
    "h'": ("\u2202E/\u2202h", "backward"), "z1'": ("\u03b41", "backward"),
    "W1'": ("\u2202E/\u2202W1", "backward"), "b1'": ("\u2202E/\u2202b1", "backward"),
}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class TinyNet:
    """The network's weights and the one sample, all float64.

    ``x`` (4,) inputs, ``t`` (2,) one-hot target, ``W1`` (3, 4), ``b1`` (3,), ``W2`` (2, 3),
    ``b2`` (2,); ``loss`` one of :data:`LOSSES`.
    """

    x: np.ndarray
    t: np.ndarray
    W1: np.ndarray  # noqa: N815 - the tutorials' names
    b1: np.ndarray
    W2: np.ndarray  # noqa: N815
    b2: np.ndarray
    loss: str = "mse"

    def __post_init__(self) -> None:
        check_choice("loss", self.loss, LOSSES)
        n_in, n_hidden, n_out = SIZES
        expected = {"x": (n_in,), "t": (n_out,), "W1": (n_hidden, n_in), "b1": (n_hidden,),
                    "W2": (n_out, n_hidden), "b2": (n_out,)}
        for name, shape in expected.items():
            value = np.array(getattr(self, name), dtype=np.float64)  # a private copy
            if value.shape != shape:
                raise ValueError(f"{name} must have shape {shape}, got {value.shape}")
            value.setflags(write=False)
            object.__setattr__(self, name, value)

    @classmethod
    def random(cls, seed: int = 0, loss: str = "mse") -> TinyNet:
        """Weights ~ N(0, 1) (large enough that every number is worth reading), inputs in
        [0, 1] like pixels, and a random one-hot target."""
        check_whole("seed", seed, 0)
        rng = np.random.default_rng(seed)
        n_in, n_hidden, n_out = SIZES
        target = np.eye(n_out)[rng.integers(n_out)]
        return cls(x=rng.uniform(0, 1, n_in).round(2), t=target,
                   W1=rng.normal(0, 1, (n_hidden, n_in)).round(2), b1=rng.normal(0, 0.5, n_hidden).round(2),
                   W2=rng.normal(0, 1, (n_out, n_hidden)).round(2), b2=rng.normal(0, 0.5, n_out).round(2),
                   loss=loss)

    def with_loss(self, loss: str) -> TinyNet:
        return replace(self, loss=loss)


Nudge = tuple[str, tuple[int, ...], float]


def forward(net: TinyNet, nudge: Nudge | None = None) -> dict[str, np.ndarray]:
    """Every forward value; ``nudge = (quantity, index, delta)`` adds ``delta`` to one entry of
    a parameter (``"W1"``...) or of an intermediate value (``"z1"``, ``"h"``, ``"z2"``, ``"y"``)
    as soon as it is computed, and the rest of the pass uses the nudged number.

    Returns
    -------
    dict
        ``x, W1, b1, z1, h, W2, b2, z2, y`` as arrays and ``E`` as a 0-d array.
    """
    values: dict[str, np.ndarray] = {}

    def keep(name: str, value: np.ndarray) -> np.ndarray:
        value = np.array(value, dtype=np.float64)
        if nudge is not None and nudge[0] == name:
            value[nudge[1]] += nudge[2]
        values[name] = value
        return value

    x = keep("x", net.x)
    w1, b1, w2, b2 = keep("W1", net.W1), keep("b1", net.b1), keep("W2", net.W2), keep("b2", net.b2)
    h = keep("h", _sigmoid(keep("z1", w1 @ x + b1)))
    z2 = keep("z2", w2 @ h + b2)
    if net.loss == "mse":
        y = keep("y", _sigmoid(z2))
        loss = 0.5 * np.sum((y - net.t) ** 2)
    else:
        shifted = np.exp(z2 - z2.max())
        y = keep("y", shifted / shifted.sum())
        loss = -np.sum(net.t * np.log(y))
    values["E"] = np.array(loss)
    return values


def numerical_derivative(net: TinyNet, quantity: str, index: tuple[int, ...], h: float = NUDGE) -> float:
    """dE/d(quantity[index]) by central differences: (E(+h) - E(-h)) / 2h."""
    up = forward(net, (quantity, index, h))["E"]
    down = forward(net, (quantity, index, -h))["E"]
    return float((up - down) / (2 * h))


@dataclass(frozen=True)
class Step:
    """One number of the derivation.

    ``quantity`` a key of :data:`QUANTITIES` (a trailing ``'`` means "the gradient of E with
    respect to"), ``index`` its position, ``value`` the number, ``formula`` how it is computed
    in symbols and ``arithmetic`` the same with the numbers put in; ``numerical`` the central-
    difference derivative for a gradient (None for a forward value).
    """

    quantity: str
    index: tuple[int, ...]
    value: float
    formula: str
    arithmetic: str
    numerical: float | None = None

    @property
    def phase(self) -> str:
        return QUANTITIES[self.quantity][1]

    @property
    def label(self) -> str:
        """e.g. ``z1[2]`` or ``\u2202E/\u2202W2[1,0]`` (indices from 0, as in NumPy)."""
        base = QUANTITIES[self.quantity][0]
        return f"{base}[{','.join(map(str, self.index))}]" if self.index else base

    @property
    def relative_error(self) -> float | None:
        """|backprop - numerical| / max(|backprop| + |numerical|, 1e-12); None for a value."""
        if self.numerical is None:
            return None
        return abs(self.value - self.numerical) / max(abs(self.value) + abs(self.numerical), 1e-12)


def _d(name: str) -> str:
    """``dE/d<name>`` with the partial-derivative sign."""
    return f"\u2202E/\u2202{name}"


MINUS, DOT = "\u2212", "\u00b7"


def _n(value: float) -> str:
    """A number as the formulas show it: four decimals, brackets around negatives in products."""
    text = f"{value:.4f}"
    return f"({text})" if value < 0 else text


def _sum_of_products(pairs: list[tuple[str, str, float, float]],
                     tail: tuple[str, float] | None) -> tuple[str, str]:
    symbols = " + ".join(f"{a}\u00b7{b}" for a, b, _, _ in pairs)
    numbers = " + ".join(f"{_n(u)}\u00b7{_n(v)}" for _, _, u, v in pairs)
    if tail is not None:
        symbols += f" + {tail[0]}"
        numbers += f" + {_n(tail[1])}"
    return symbols, numbers


def backprop_steps(net: TinyNet) -> list[Step]:
    """Every forward value, then every gradient, in the order backpropagation computes them."""
    v = forward(net)
    x, w1, b1, z1, h = v["x"], v["W1"], v["b1"], v["z1"], v["h"]
    w2, b2, z2, y, loss = v["W2"], v["b2"], v["z2"], v["y"], float(v["E"])
    n_in, n_hidden, n_out = SIZES
    steps: list[Step] = []

    def add(quantity: str, index: tuple[int, ...], value: float, formula: str, arithmetic: str) -> None:
        numerical = None
        if quantity.endswith("'"):
            numerical = numerical_derivative(net, quantity[:-1], index)
        value = float(value) + 0.0  # no "-0.0000"
        steps.append(Step(quantity, index, value, formula, f"{arithmetic} = {value:.4f}", numerical))

    # -- forward ------------------------------------------------------------------------------
    for j in range(n_hidden):
        f, a = _sum_of_products([(f"W1[{j},{i}]", f"x[{i}]", w1[j, i], x[i]) for i in range(n_in)],
                                (f"b1[{j}]", b1[j]))
        add("z1", (j,), z1[j], f"z1[{j}] = {f}", a)
    for j in range(n_hidden):
        add("h", (j,), h[j], f"h[{j}] = \u03c3(z1[{j}]) = 1 / (1 + e^(\u2212z1[{j}]))",
            f"1 / (1 + e^(\u2212{_n(z1[j])}))")
    for k in range(n_out):
        f, a = _sum_of_products([(f"W2[{k},{j}]", f"h[{j}]", w2[k, j], h[j]) for j in range(n_hidden)],
                                (f"b2[{k}]", b2[k]))
        add("z2", (k,), z2[k], f"z2[{k}] = {f}", a)
    exps = np.exp(z2 - z2.max())
    for k in range(n_out):
        if net.loss == "mse":
            add("y", (k,), y[k], f"y[{k}] = \u03c3(z2[{k}])", f"1 / (1 + e^(\u2212{_n(z2[k])}))")
        else:
            add("y", (k,), y[k], f"y[{k}] = e^z2[{k}] / \u03a3 e^z2",
                f"{exps[k]:.4f} / {exps.sum():.4f} (after subtracting max z2 = {z2.max():.4f})")
    if net.loss == "mse":
        terms = " + ".join(f"({y[k]:.4f} \u2212 {net.t[k]:g})\u00b2" for k in range(n_out))
        add("E", (), loss, "E = \u00bd \u03a3 (y[k] \u2212 t[k])\u00b2", f"\u00bd [{terms}]")
    else:
        label = int(np.argmax(net.t))
        add("E", (), loss, "E = \u2212\u03a3 t[k] log y[k] = \u2212log y[target]",
            f"\u2212log {y[label]:.4f}")

    # -- backward -----------------------------------------------------------------------------
    if net.loss == "mse":
        dy = y - net.t
        d2 = dy * y * (1 - y)
        for k in range(n_out):
            add("y'", (k,), dy[k], f"{_d(f'y[{k}]')} = y[{k}] {MINUS} t[{k}]",
                f"{y[k]:.4f} {MINUS} {net.t[k]:g}")
        for k in range(n_out):
            add("z2'", (k,), d2[k],
                f"\u03b42[{k}] = {_d(f'z2[{k}]')} = {_d(f'y[{k}]')} {DOT} y[{k}] (1 {MINUS} y[{k}])",
                f"{_n(dy[k])} \u00b7 {y[k]:.4f} \u00b7 {1 - y[k]:.4f}")
    else:
        dy = -net.t / y
        d2 = y - net.t
        for k in range(n_out):
            add("y'", (k,), dy[k], f"{_d(f'y[{k}]')} = {MINUS}t[{k}] / y[{k}]",
                f"{MINUS}{net.t[k]:g} / {y[k]:.4f}")
        for k in range(n_out):
            add("z2'", (k,), d2[k], f"\u03b42[{k}] = \u2202E/\u2202z2[{k}] = y[{k}] \u2212 t[{k}]",
                f"{y[k]:.4f} \u2212 {net.t[k]:g}")
    for k in range(n_out):
        for j in range(n_hidden):
            add("W2'", (k, j), d2[k] * h[j], f"\u2202E/\u2202W2[{k},{j}] = \u03b42[{k}] \u00b7 h[{j}]",
                f"{_n(d2[k])} \u00b7 {h[j]:.4f}")
    for k in range(n_out):
        add("b2'", (k,), d2[k], f"\u2202E/\u2202b2[{k}] = \u03b42[{k}]", f"{d2[k]:.4f}")
    dh = w2.T @ d2
    for j in range(n_hidden):
        f, a = _sum_of_products([(f"W2[{k},{j}]", f"\u03b42[{k}]", w2[k, j], d2[k])
                                 for k in range(n_out)], None)
        add("h'", (j,), dh[j], f"\u2202E/\u2202h[{j}] = {f}", a)
    d1 = dh * h * (1 - h)
    for j in range(n_hidden):
        add("z1'", (j,), d1[j],
            f"\u03b41[{j}] = {_d(f'z1[{j}]')} = {_d(f'h[{j}]')} {DOT} h[{j}] (1 {MINUS} h[{j}])",
            f"{_n(dh[j])} \u00b7 {h[j]:.4f} \u00b7 {1 - h[j]:.4f}")
    for j in range(n_hidden):
        for i in range(n_in):
            add("W1'", (j, i), d1[j] * x[i], f"\u2202E/\u2202W1[{j},{i}] = \u03b41[{j}] \u00b7 x[{i}]",
                f"{_n(d1[j])} \u00b7 {x[i]:.4f}")
    for j in range(n_hidden):
        add("b1'", (j,), d1[j], f"\u2202E/\u2202b1[{j}] = \u03b41[{j}]", f"{d1[j]:.4f}")
    return steps
