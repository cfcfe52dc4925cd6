"""Optimisers: SGD, momentum, Nesterov momentum, Adagrad, Adadelta, RMSprop and Adam.

One contract for all: ``update(params, grads)`` changes every array in ``params`` in place using
the array of the same name in ``grads``, at the learning rate ``self.lr`` (which a schedule may
change between steps). Per-parameter state ("slots": velocities, running averages) is created
lazily on the first update, keyed by parameter name, so the optimiser needs no set-up call.

All the rules are element-wise, so the network can pass its parameters as one contiguous array
(``{"all": flat}``), and a whole step costs a handful of NumPy calls however many layers there are.
Those calls work in place: an expression such as ``self.lr * grad`` would allocate a new array
the size of the whole network on every step, so each rule writes its intermediate results into
one reusable ``scratch`` array instead (the formula each block computes is in its comment).
"""

from __future__ import annotations

import inspect
import math
from typing import Any, ClassVar

import numpy as np

from .errors import ConfigError


def _check(name: str, value: float, low: float, high: float | None = None,
           low_inclusive: bool = False) -> float:
    ok = isinstance(value, (int, float)) and np.isfinite(value) and (
        value >= low if low_inclusive else value > low) and (high is None or value < high)
    if not ok:
        bound = f"[{low}, " if low_inclusive else f"({low}, "
        bound += f"{high})" if high is not None else "inf)"
        raise ConfigError(f"{name} must be in {bound}, got {value!r}")
    return float(value)


class Optimizer:
    name: ClassVar[str] = "optimizer"

    def __init__(self, lr: float) -> None:
        self.lr = _check("learning rate", lr, 0.0)
        self.slots: dict[str, dict[str, np.ndarray]] = {}
        #: number of updates made so far (Adam's bias correction counts from 1)
        self.steps = 0

    def _slot(self, kind: str, name: str, like: np.ndarray) -> np.ndarray:
        per_kind = self.slots.setdefault(kind, {})
        if name not in per_kind:
            per_kind[name] = np.zeros_like(like)
        return per_kind[name]

    def _scratch(self, name: str, like: np.ndarray) -> np.ndarray:
        """A work array shaped like ``like`` for intermediate results; its contents are garbage."""
        return self._slot("scratch", name, like)

    def update(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.steps += 1
        for name, param in params.items():
            self._update_one(name, param, grads[name])

    def _update_one(self, name: str, param: np.ndarray, grad: np.ndarray) -> None:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        return {"optimizer": self.name, "lr": self.lr}


class SGD(Optimizer):
    """Plain gradient descent: ``p -= lr * g``."""

    name = "sgd"

    def _update_one(self, name, param, grad):
        step = np.multiply(grad, self.lr, out=self._scratch(name, param))
        param -= step


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v = mu * v - lr * g; p += v``. The velocity averages recent
    gradients, so steps grow along consistent directions and zig-zags cancel."""

    name = "momentum"

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = _check("momentum", momentum, 0.0, 1.0, low_inclusive=True)

    def _update_one(self, name, param, grad):
        v = self._slot("velocity", name, param)
        v *= self.momentum
        v -= np.multiply(grad, self.lr, out=self._scratch(name, param))  # v = mu * v - lr * g
        param += v

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum}


class Nesterov(Momentum):
    """Nesterov momentum in the form Keras and PyTorch use:
    ``v = mu * v - lr * g; p += mu * v - lr * g`` (a look-ahead along the new velocity)."""

    name = "nesterov"

    def _update_one(self, name, param, grad):
        v = self._slot("velocity", name, param)
        scratch = self._scratch(name, param)
        v *= self.momentum
        v -= np.multiply(grad, self.lr, out=scratch)  # v = mu * v - lr * g
        param -= scratch
        param += np.multiply(v, self.momentum, out=scratch)  # p += mu * v - lr * g


def _scaled_step(param: np.ndarray, grad: np.ndarray, h: np.ndarray, lr: float, eps: float,
                 scratch: np.ndarray) -> None:
    """``p -= lr * g / (sqrt(h) + eps)``, the step Adagrad and RMSprop share, in place."""
    denom = np.sqrt(h, out=scratch)
    denom += eps
    np.divide(grad, denom, out=denom)
    denom *= lr
    param -= denom


class Adagrad(Optimizer):
    """``h += g**2; p -= lr * g / (sqrt(h) + eps)``: each parameter's rate shrinks with the
    total size of its past gradients."""

    name = "adagrad"

    def __init__(self, lr: float, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.eps = _check("eps", eps, 0.0)

    def _update_one(self, name, param, grad):
        h = self._slot("sum_sq", name, param)
        scratch = self._scratch(name, param)
        h += np.multiply(grad, grad, out=scratch)  # h += g**2
        _scaled_step(param, grad, h, self.lr, self.eps, scratch)

    def get_config(self):
        return {**super().get_config(), "eps": self.eps}


class RMSprop(Optimizer):
    """Adagrad with a leaky average: ``h = rho * h + (1 - rho) * g**2;
    p -= lr * g / (sqrt(h) + eps)``, so the rate does not decay to zero."""

    name = "rmsprop"

    def __init__(self, lr: float, rho: float = 0.9, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.rho = _check("rho", rho, 0.0, 1.0)
        self.eps = _check("eps", eps, 0.0)

    def _update_one(self, name, param, grad):
        h = self._slot("mean_sq", name, param)
        scratch = self._scratch(name, param)
        h *= self.rho
        np.multiply(grad, grad, out=scratch)
        scratch *= 1 - self.rho
        h += scratch  # h = rho * h + (1 - rho) * g**2
        _scaled_step(param, grad, h, self.lr, self.eps, scratch)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "eps": self.eps}


class Adadelta(Optimizer):
    """Zeiler's Adadelta: the step is ``sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g``, so its
    units match the parameter's; ``lr`` (usually 1.0) scales it as in Keras and PyTorch."""

    name = "adadelta"

    def __init__(self, lr: float = 1.0, rho: float = 0.95, eps: float = 1e-6) -> None:
        super().__init__(lr)
        self.rho = _check("rho", rho, 0.0, 1.0)
        self.eps = _check("eps", eps, 0.0)

    def _update_one(self, name, param, grad):
        mean_sq_grad = self._slot("mean_sq_grad", name, param)
        mean_sq_step = self._slot("mean_sq_step", name, param)
        mean_sq_grad *= self.rho
        mean_sq_grad += (1 - self.rho) * grad * grad
        step = np.sqrt(mean_sq_step + self.eps) / np.sqrt(mean_sq_grad + self.eps) * grad
        mean_sq_step *= self.rho
        mean_sq_step += (1 - self.rho) * step * step
        param -= self.lr * step

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "eps": self.eps}


class Adam(Optimizer):
    """Adam: momentum on the gradient (``m``) and RMSprop on its square (``v``), both
    bias-corrected for their zero start: ``p -= lr * m_hat / (sqrt(v_hat) + eps)``."""

    name = "adam"

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.beta1 = _check("beta1", beta1, 0.0, 1.0, low_inclusive=True)
        self.beta2 = _check("beta2", beta2, 0.0, 1.0, low_inclusive=True)
        self.eps = _check("eps", eps, 0.0)

    def _update_one(self, name, param, grad):
        # The moments are stored divided by (1 - beta): M = m / (1 - b1) and V = v / (1 - b2).
        # Then m = b1 * m + (1 - b1) * g becomes M = b1 * M + g (likewise V = b2 * V + g**2),
        # one pass over the arrays less each, and the factors come back as scalars below.
        big_m = self._slot("m_over_1_minus_beta1", name, param)
        big_v = self._slot("v_over_1_minus_beta2", name, param)
        scratch = self._scratch(name, param)
        big_m *= self.beta1
        big_m += grad
        big_v *= self.beta2
        big_v += np.multiply(grad, grad, out=scratch)
        # p -= lr * m_hat / (sqrt(v_hat) + eps), where m_hat = (1 - b1) * M / c1 and
        # sqrt(v_hat) = sqrt(1 - b2) * sqrt(V) / c2 with c1 = 1 - b1**t, c2 = sqrt(1 - b2**t).
        # With r = c2 / sqrt(1 - b2) that is p -= (lr * (1 - b1) / c1 * r) * M / (sqrt(V) + eps * r):
        # every correction is a Python float (which keeps float32 arrays float32), and the step
        # is four passes over the scratch array.
        t = self.steps
        r = math.sqrt(1 - self.beta2**t) / math.sqrt(1 - self.beta2)
        denom = np.sqrt(big_v, out=scratch)
        denom += self.eps * r
        np.divide(big_m, denom, out=denom)
        denom *= self.lr * (1 - self.beta1) / (1 - self.beta1**t) * r
        param -= denom

    def get_config(self):
        return {**super().get_config(), "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, Adagrad, Adadelta, RMSprop, Adam)
}


def get_optimizer(name: str, **settings: float) -> Optimizer:
    """Build an optimiser by name; ``settings`` not used by that optimiser are ignored."""
    if name not in OPTIMIZERS:
        raise ConfigError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    cls = OPTIMIZERS[name]
    accepted = inspect.signature(cls.__init__).parameters
    return cls(**{k: v for k, v in settings.items() if k in accepted and v is not None})
