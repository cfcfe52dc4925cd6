"""The layer contract and the basic layers: dense, flatten, dropout.

Every layer has the same small contract:

- ``param_shapes(input_shape)`` names the trainable arrays it needs and their shapes;
  the network allocates them (in one contiguous block, so an optimiser can update every
  parameter with a handful of NumPy calls) and hands each layer *views* in ``self.params``
  and ``self.grads``. A layer writes into those views in place and never rebinds them.
- ``initialize(rng)`` fills its parameters from a seeded generator.
- ``forward(x, training)`` returns the output and caches only what ``backward`` needs.
- ``backward(dout)`` writes parameter gradients into ``self.grads`` and returns the gradient
  with respect to its input. It never writes into an array it was given.
- ``get_config()`` returns the JSON settings that rebuild it; ``output_shape(input_shape)``
  tells the next layer what it receives, and ``scratch_size(input_shape)`` how much work memory
  one sample needs beyond its input and output. With ``param_shapes`` these let
  :func:`~digitlab.core.network.network_plan` size a network from its config alone, so a model
  file asking for terabytes is refused before anything is allocated.

Shapes exclude the batch dimension: a dense layer sees ``(features,)``, a convolution
``(channels, height, width)``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .errors import ConfigError
from .initializers import fill_normal, init_std
from .registry import ACTIVATIONS, INITIALIZERS, LAYERS

Shape = tuple[int, ...]


class Layer:
    """Base class: a layer with no parameters that passes its input through unchanged."""

    type_name: ClassVar[str] = "layer"
    #: names of parameters that L2 weight decay applies to (weights, never biases)
    decay_names: ClassVar[tuple[str, ...]] = ()
    #: names of non-trainable state saved with the model (batch-norm running statistics)
    buffer_names: ClassVar[tuple[str, ...]] = ()

    #: activations are listed apart too (the choices of an activation row)
    is_activation: ClassVar[bool] = False
    #: whether one sample's output depends on the other samples of the batch (batch
    #: normalisation): such a network's batch cannot be computed in parts (batch_halves)
    mixes_samples: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A class that names its own type joins the layer registry: defining it is enough.
        super().__init_subclass__(**kwargs)
        if "type_name" in cls.__dict__:
            LAYERS.register(cls)
            if cls.is_activation:
                ACTIVATIONS.register(cls)

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}
        #: set by the network: the first layer need not compute a gradient for its input
        self.needs_input_grad = True

    # -- structure -------------------------------------------------------------------------
    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        """Trainable arrays this layer needs for ``input_shape``, in a fixed order."""
        return {}

    def buffer_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        """Non-trainable saved arrays (e.g. running statistics) for ``input_shape``."""
        return {}

    def output_shape(self, input_shape: Shape) -> Shape:
        return input_shape

    def scratch_size(self, input_shape: Shape) -> int:
        """Numbers of work memory one sample needs in inference, besides its input and output
        (a convolution's padded image and im2col matrix). Used to bound memory before building."""
        return 0

    def initialize(self, rng: np.random.Generator) -> None:
        """Fill ``self.params`` (already allocated views) from ``rng``."""

    def get_config(self) -> dict[str, Any]:
        return {"type": self.type_name}

    # -- computation -----------------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout

    def release_step_memory(self) -> None:
        """Drop what the last training forward kept for backward (by convention, private array
        attributes and lists of arrays); the next forward makes them again. Called before an
        evaluation, whose own arrays would otherwise come on top."""
        for name, value in list(vars(self).items()):
            if name.startswith("_") and (isinstance(value, np.ndarray) or (
                    isinstance(value, list) and any(isinstance(v, np.ndarray) for v in value))):
                setattr(self, name, None)

    def __repr__(self) -> str:
        settings = {k: v for k, v in self.get_config().items() if k != "type"}
        inner = ", ".join(f"{k}={v!r}" for k, v in settings.items())
        return f"{type(self).__name__}({inner})"


def check_positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def check_init(init: str, init_scale: float) -> None:
    INITIALIZERS.get(init)  # an unknown name is a ConfigError listing the options
    if not (isinstance(init_scale, (int, float)) and init_scale > 0 and np.isfinite(init_scale)):
        raise ConfigError(f"init_scale must be a positive number, got {init_scale!r}")


class Dense(Layer):
    """Fully connected layer ``y = x @ W + b``.

    Parameters
    ----------
    units : number of outputs.
    init : ``"normal"`` (std ``init_scale``), ``"xavier"`` or ``"he"``. Biases start at zero.

    Shapes: ``x`` (N, in) -> ``y`` (N, units); ``W`` (in, units); ``b`` (units,).
    """

    type_name = "dense"
    decay_names = ("W",)

    def __init__(self, units: int, init: str = "he", init_scale: float = 0.01) -> None:
        super().__init__()
        self.units = check_positive_int("dense units", units)
        check_init(init, init_scale)
        self.init = init
        self.init_scale = float(init_scale)
        self._x: np.ndarray | None = None

    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        if len(input_shape) != 1:
            raise ConfigError(
                f"a dense layer needs a flat input but receives shape {input_shape}; "
                "put a flatten layer before it"
            )
        return {"W": (input_shape[0], self.units), "b": (self.units,)}

    def output_shape(self, input_shape: Shape) -> Shape:
        self.param_shapes(input_shape)
        return (self.units,)

    def initialize(self, rng: np.random.Generator) -> None:
        weights = self.params["W"]
        fill_normal(weights, init_std(self.init, weights.shape, self.init_scale), rng)
        self.params["b"][...] = 0

    def get_config(self) -> dict[str, Any]:
        return {"type": self.type_name, "units": self.units, "init": self.init,
                "init_scale": self.init_scale}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._x = x
        out = x @ self.params["W"]
        out += self.params["b"]
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        x = self._x
        np.matmul(x.T, dout, out=self.grads["W"])
        np.sum(dout, axis=0, out=self.grads["b"])
        if not self.needs_input_grad:
            return dout  # nobody reads it; skip a (N, out) x (out, in) product
        return dout @ self.params["W"].T


class Flatten(Layer):
    """Reshape ``(N, C, H, W)`` (or any shape) to ``(N, C*H*W)`` for dense layers."""

    type_name = "flatten"

    def output_shape(self, input_shape: Shape) -> Shape:
        return (int(np.prod(input_shape)),)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout.reshape(self._shape)


class Dropout(Layer):
    """Inverted dropout: in training, zero each input with probability ``rate`` and scale the
    survivors by ``1 / (1 - rate)``, so nothing needs rescaling at test time.

    The mask comes from the layer's own generator (seeded by the network), or from draws made
    for it beforehand (:attr:`next_draws`). Setting
    ``freeze_mask = True`` reuses the last mask, which a numerical gradient needs so that every
    perturbed forward pass sees the same network.
    """

    type_name = "dropout"

    def __init__(self, rate: float = 0.5) -> None:
        super().__init__()
        if not (isinstance(rate, (int, float)) and 0 <= rate < 1):
            raise ConfigError(f"dropout rate must be in [0, 1), got {rate!r}")
        self.rate = float(rate)
        self.rng = np.random.default_rng(0)
        self.freeze_mask = False
        self._mask: np.ndarray | None = None
        #: uniform draws for the next training forward instead of drawing them from ``rng``:
        #: a batch computed in two halves draws the whole batch's once, so its masks are the
        #: ones the unsplit batch would get
        self.next_draws: np.ndarray | None = None

    def initialize(self, rng: np.random.Generator) -> None:
        self.rng = np.random.default_rng(rng.integers(2**63))

    def get_config(self) -> dict[str, Any]:
        return {"type": self.type_name, "rate": self.rate}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if not training or self.rate == 0:
            self._mask = None
            return x
        if not (self.freeze_mask and self._mask is not None and self._mask.shape == x.shape):
            if self.next_draws is not None:  # drawn for this input already (batch_halves)
                draws, self.next_draws = self.next_draws, None
                if draws.shape != x.shape:
                    raise ValueError(f"dropout draws of shape {draws.shape} for an input of {x.shape}")
            else:
                draws = self.rng.random(x.shape, dtype=np.float32)
            keep = draws >= self.rate
            self._mask = keep.astype(x.dtype) / x.dtype.type(1 - self.rate)
        return x * self._mask

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout if self._mask is None else dout * self._mask
