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

import math
from typing import Any, ClassVar

import numpy as np

from .errors import ConfigError
from .registry import OPTIMIZERS
from .spec import Setting, check_settings


def learning_rate(default: float) -> Setting:
    return Setting("lr", default, low=0.0, low_open=True, title="learning rate",
                   help="Learning rate: the step size of each update")


EPS = Setting("eps", 1e-8, low=0.0, low_open=True,
              help="Small number added to denominators for stability")


class Optimizer:
    """Base class. A subclass declares its ``name`` and ``settings`` and implements
    ``_update_one``; the constructor takes exactly the declared settings (validated, with
    their defaults) and makes each an attribute. Declaring ``name`` registers the class."""

    name: ClassVar[str] = "optimizer"
    settings: ClassVar[tuple[Setting, ...]] = (learning_rate(0.01),)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            OPTIMIZERS.register(cls)

    def __init__(self, lr: float | None = None, **settings: Any) -> None:
        if lr is not None:
            settings["lr"] = lr
        for key, value in check_settings(f"the {self.name} optimizer", self.settings,
                                         settings).items():
            setattr(self, key, value)
        self.lr: float
        self.slots: dict[str, dict[str, np.ndarray]] = {}
        #: number of updates made so far (Adam's bias correction counts from 1)
        self.steps = 0

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {s.name: s.default for s in cls.settings}

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
        """``{"name": ..., **settings}``: rebuilds this optimiser with :func:`get_optimizer`."""
        return {"name": self.name, **{s.name: getattr(self, s.name) for s in self.settings}}

    # -- state, for resuming a run exactly ---------------------------------------------------
    def state_dict(self) -> tuple[int, dict[str, np.ndarray]]:
        """The step count and copies of the slots (scratch excluded: its contents are garbage),
        named ``<kind>.<parameter>``."""
        arrays = {f"{kind}.{name}": value.copy() for kind, per_kind in self.slots.items()
                  if kind != "scratch" for name, value in per_kind.items()}
        return self.steps, arrays

    def load_state_dict(self, steps: int, arrays: dict[str, np.ndarray],
                        like: dict[str, np.ndarray]) -> None:
        """Restore :meth:`state_dict`; ``like`` are the parameters the slots must match."""
        slots: dict[str, dict[str, np.ndarray]] = {}
        for key, value in arrays.items():
            kind, _, name = key.partition(".")
            if name not in like or value.shape != like[name].shape:
                raise ConfigError(f"optimizer state {key!r} does not match the network's parameters")
            slots.setdefault(kind, {})[name] = value.astype(like[name].dtype, copy=True)
        self.slots, self.steps = slots, int(steps)


class SGD(Optimizer):
    """Plain gradient descent: ``p -= lr * g``."""

    name = "sgd"
    settings = (learning_rate(0.01),)

    def _update_one(self, name, param, grad):
        step = np.multiply(grad, self.lr, out=self._scratch(name, param))
        param -= step


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v = mu * v - lr * g; p += v``. The velocity averages recent
    gradients, so steps grow along consistent directions and zig-zags cancel."""

    name = "momentum"
    settings = (learning_rate(0.01),
                Setting("momentum", 0.9, low=0.0, high=1.0, high_open=True,
                        help="The fraction of the previous update carried into the next"))

    def _update_one(self, name, param, grad):
        v = self._slot("velocity", name, param)
        v *= self.momentum
        v -= np.multiply(grad, self.lr, out=self._scratch(name, param))  # v = mu * v - lr * g
        param += v


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
    settings = (learning_rate(0.01), EPS)

    def _update_one(self, name, param, grad):
        h = self._slot("sum_sq", name, param)
        scratch = self._scratch(name, param)
        h += np.multiply(grad, grad, out=scratch)  # h += g**2
        _scaled_step(param, grad, h, self.lr, self.eps, scratch)


class RMSprop(Optimizer):
    """Adagrad with a leaky average: ``h = rho * h + (1 - rho) * g**2;
    p -= lr * g / (sqrt(h) + eps)``, so the rate does not decay to zero."""

    name = "rmsprop"
    settings = (learning_rate(1e-3),
                Setting("rho", 0.9, low=0.0, high=1.0, low_open=True, high_open=True,
                        help="Decay rate of the running average of squared gradients"),
                EPS)

    def _update_one(self, name, param, grad):
        h = self._slot("mean_sq", name, param)
        scratch = self._scratch(name, param)
        h *= self.rho
        np.multiply(grad, grad, out=scratch)
        scratch *= 1 - self.rho
        h += scratch  # h = rho * h + (1 - rho) * g**2
        _scaled_step(param, grad, h, self.lr, self.eps, scratch)


class Adadelta(Optimizer):
    """Zeiler's Adadelta: the step is ``sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g``, so its
    units match the parameter's; ``lr`` (usually 1.0) scales it as in Keras and PyTorch."""

    name = "adadelta"
    settings = (learning_rate(1.0),
                Setting("rho", 0.95, low=0.0, high=1.0, low_open=True, high_open=True,
                        help="Decay rate of the running averages of squared gradients and steps"),
                Setting("eps", 1e-6, low=0.0, low_open=True,
                        help="Small number added to denominators for stability"))

    def _update_one(self, name, param, grad):
        mean_sq_grad = self._slot("mean_sq_grad", name, param)
        mean_sq_step = self._slot("mean_sq_step", name, param)
        mean_sq_grad *= self.rho
        mean_sq_grad += (1 - self.rho) * grad * grad
        step = np.sqrt(mean_sq_step + self.eps) / np.sqrt(mean_sq_grad + self.eps) * grad
        mean_sq_step *= self.rho
        mean_sq_step += (1 - self.rho) * step * step
        param -= self.lr * step


class Adam(Optimizer):
    """Adam: momentum on the gradient (``m``) and RMSprop on its square (``v``), both
    bias-corrected for their zero start: ``p -= lr * m_hat / (sqrt(v_hat) + eps)``."""

    name = "adam"
    settings = (learning_rate(1e-3),
                Setting("beta1", 0.9, low=0.0, high=1.0, high_open=True,
                        help="Decay rate of the running mean of the gradients"),
                Setting("beta2", 0.999, low=0.0, high=1.0, high_open=True,
                        help="Decay rate of the running mean of the squared gradients"),
                EPS)

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


def get_optimizer(name: str, **settings: Any) -> Optimizer:
    """Build an optimiser by name from its settings; a setting it does not take is an error."""
    return OPTIMIZERS.get(name)(**settings)
