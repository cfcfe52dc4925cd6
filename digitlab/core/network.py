"""The network: an ordered stack of layers, a loss, and the parameters they own.

Parameters live in one contiguous array (and gradients in another); each layer's
``params``/``grads`` entries are views into them. This is deliberate, not accidental aliasing:
it lets an optimiser update every parameter with a few NumPy calls (``flat_parameters()``),
while ``named_parameters()`` still gives the per-layer arrays a learner expects, named
``layers.<index>.<name>`` exactly as in the model file.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import Softmax, softmax
from .errors import ConfigError
from .layers import Layer, Shape
from .losses import Loss, get_loss
from .pooling import pool_before_relu
from .registry import build_layer

#: layers a network may have (a config with more is refused before anything is built)
MAX_LAYERS = 1000
#: largest size of one axis of any shape, and numbers in one sample's activation: bounds that
#: keep every shape product inside int64 whatever a config says
MAX_AXIS = 2**31 - 1
MAX_SAMPLE_SIZE = 2**40


@dataclass(frozen=True)
class LayerPlan:
    """What one layer of a config needs, computed from shapes alone (nothing allocated).

    ``work_size`` counts the numbers one sample holds at once in inference: the layer's input,
    its output and its scratch (see :meth:`~digitlab.core.layers.Layer.scratch_size`).
    """

    index: int
    layer: Layer
    input_shape: Shape
    output_shape: Shape
    param_shapes: dict[str, Shape]
    buffer_shapes: dict[str, Shape]
    work_size: int

    @property
    def stored_shapes(self) -> dict[str, Shape]:
        """Parameters and buffers by model-file name ``layers.<index>.<name>``."""
        return {f"layers.{self.index}.{name}": shape
                for name, shape in {**self.param_shapes, **self.buffer_shapes}.items()}


def _checked_shape(what: str, shape: Any) -> Shape:
    if (not isinstance(shape, (list, tuple)) or not 1 <= len(shape) <= 3
            or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in shape)):
        raise ConfigError(f"{what} must be 1 to 3 positive whole numbers, got {shape!r}"[:200])
    if max(shape) > MAX_AXIS or math.prod(shape) > MAX_SAMPLE_SIZE:
        raise ConfigError(f"{what} {tuple(shape)} is too large ({math.prod(shape):,} numbers)")
    return tuple(shape)


def plan_layers(layers: Sequence[Layer], input_shape: Shape) -> list[LayerPlan]:
    """Every layer's input, output and parameter shapes for ``input_shape``, and the numbers
    one sample holds at once: pure arithmetic on shapes, so a hostile or mistaken configuration
    is refused (:class:`ConfigError`) before any array is allocated."""
    if len(layers) > MAX_LAYERS:
        raise ConfigError(f"a network may have at most {MAX_LAYERS} layers, this one has {len(layers):,}")
    shape = _checked_shape("input_shape", tuple(input_shape))
    plan = []
    for index, layer in enumerate(layers):
        try:
            output = _checked_shape(f"the output of layer {index} ({layer.type_name})",
                                    layer.output_shape(shape))
            work = math.prod(shape) + math.prod(output) + layer.scratch_size(shape)
            step = LayerPlan(index, layer, shape, output, layer.param_shapes(shape),
                             layer.buffer_shapes(shape), work)
        except ConfigError as exc:
            raise ConfigError(f"layer {index} ({layer.type_name}): {exc}") from None
        except (TypeError, ValueError, ArithmeticError, IndexError) as exc:
            # a setting of a type the layer's own checks did not foresee (configs come from files)
            raise ConfigError(f"layer {index} has a bad setting ({type(exc).__name__}: {exc})") from None
        plan.append(step)
        shape = output
    return plan


def walk_shapes(entries: Sequence[dict[str, Any]], input_shape: Shape) -> list[LayerPlan]:
    """:func:`plan_layers` for config entries (``{"type": ..., ...}``)."""
    if len(entries) > MAX_LAYERS:
        raise ConfigError(f"a network may have at most {MAX_LAYERS} layers, this one has {len(entries):,}")
    layers = []
    for index, entry in enumerate(entries):
        try:
            layers.append(build_layer(dict(entry) if isinstance(entry, dict) else entry))
        except ConfigError:
            raise
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise ConfigError(f"layer {index} has a bad setting ({type(exc).__name__}: {exc})") from None
    return plan_layers(layers, input_shape)


def network_plan(config: dict[str, Any]) -> list[LayerPlan]:
    """:func:`walk_shapes` for a whole network config (``input_shape``, ``layers``, ``loss``),
    checked as a file's JSON must be, without building anything: callers compare
    :func:`plan_sizes` with a memory budget before calling :meth:`Network.from_config`."""
    if not isinstance(config, dict):
        raise ConfigError(f"a network config must be a JSON object, got {type(config).__name__}")
    for key in ("input_shape", "layers"):
        if key not in config:
            raise ConfigError(f"network config lacks {key!r}")
    entries = config["layers"]
    if not isinstance(entries, list) or not entries:
        raise ConfigError("layers must be a non-empty list of layer entries")
    loss = config.get("loss", "softmax_cross_entropy")
    if not isinstance(loss, str):
        raise ConfigError(f"loss must be a name, got {loss!r}"[:200])
    get_loss(loss)
    _checked_shape("input_shape", config["input_shape"])
    return walk_shapes(entries, tuple(config["input_shape"]))


def plan_sizes(plan: list[LayerPlan]) -> tuple[int, int]:
    """``(stored, work)``: numbers in all parameters and buffers, and the largest
    :attr:`LayerPlan.work_size` (one sample's inference memory, in numbers)."""
    stored = sum(math.prod(s) for step in plan for s in step.stored_shapes.values())
    return stored, max(step.work_size for step in plan)


class Network:
    """A feed-forward network.

    Parameters
    ----------
    layers : the layers in order (activations are layers of their own).
    input_shape : shape of one sample, e.g. ``(784,)`` or ``(1, 28, 28)``.
    loss : loss name, see :func:`digitlab.core.losses.get_loss`.
    dtype : ``np.float32`` for training, ``np.float64`` for gradient checks.
    rng : generator for the initial weights (and dropout masks).
    """

    def __init__(self, layers: list[Layer], input_shape: Shape, loss: str = "softmax_cross_entropy",
                 dtype: Any = np.float32, rng: np.random.Generator | None = None) -> None:
        if not layers:
            raise ConfigError("a network needs at least one layer")
        self.layers = list(layers)
        self.input_shape = tuple(int(d) for d in input_shape)
        self.loss_name = loss
        self.loss_fn: Loss = get_loss(loss)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ConfigError(f"dtype must be float32 or float64, got {self.dtype}")
        self._allocate()
        self.initialize(rng if rng is not None else np.random.default_rng(0))
        # With a fused softmax + cross-entropy, training stops before a final softmax layer and
        # the loss applies softmax itself.
        skip_last = self.loss_fn.fuses_softmax and isinstance(self.layers[-1], Softmax)
        self._train_layers = pool_before_relu(self.layers[:-1] if skip_last else self.layers)
        if self._train_layers:
            self._train_layers[0].needs_input_grad = False

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_config(cls, config: dict[str, Any], dtype: Any = np.float32,
                    rng: np.random.Generator | None = None) -> Network:
        """Build from ``{"input_shape": [...], "layers": [...], "loss": ...}``."""
        try:
            layers = [build_layer(entry) for entry in config["layers"]]
            input_shape = tuple(config["input_shape"])
        except KeyError as exc:
            raise ConfigError(f"network config lacks {exc.args[0]!r}") from None
        return cls(layers, input_shape, config.get("loss", "softmax_cross_entropy"), dtype, rng)

    def get_config(self) -> dict[str, Any]:
        return {"input_shape": list(self.input_shape),
                "layers": [layer.get_config() for layer in self.layers],
                "loss": self.loss_name}

    def _allocate(self) -> None:
        plans = plan_layers(self.layers, self.input_shape)
        self.layer_input_shapes: list[Shape] = [p.input_shape for p in plans]
        self.output_shape = plans[-1].output_shape
        shapes = [(p.layer, k, s) for p in plans for k, s in p.param_shapes.items()]
        buffer_shapes = [(p.layer, k, s) for p in plans for k, s in p.buffer_shapes.items()]
        total = sum(int(np.prod(s)) for _, _, s in shapes)
        self._flat_params = np.zeros(total, dtype=self.dtype)
        self._flat_grads = np.zeros(total, dtype=self.dtype)
        offset = 0
        for layer, name, s in shapes:
            size = int(np.prod(s))
            layer.params[name] = self._flat_params[offset:offset + size].reshape(s)
            layer.grads[name] = self._flat_grads[offset:offset + size].reshape(s)
            offset += size
        for layer, name, s in buffer_shapes:
            layer.buffers[name] = np.zeros(s, dtype=self.dtype)

    def initialize(self, rng: np.random.Generator) -> None:
        """Re-draw every parameter from ``rng`` (layer by layer, in order)."""
        for layer in self.layers:
            layer.initialize(rng)

    def copy(self, dtype: Any = None) -> Network:
        """An independent network with the same architecture and weights (optionally recast)."""
        twin = Network.from_config(self.get_config(), dtype or self.dtype)
        twin.load_state_dict(self.state_dict())
        return twin

    # -- parameters ------------------------------------------------------------------------
    def _named(self, kind: str) -> Iterator[tuple[str, np.ndarray]]:
        for index, layer in enumerate(self.layers):
            for name, array in getattr(layer, kind).items():
                yield f"layers.{index}.{name}", array

    def named_parameters(self) -> dict[str, np.ndarray]:
        """Trainable arrays by model-file name (views: writing to them changes the network)."""
        return dict(self._named("params"))

    def named_gradients(self) -> dict[str, np.ndarray]:
        """Gradients of the last :meth:`backward`, named like the parameters (views)."""
        return dict(self._named("grads"))

    def named_buffers(self) -> dict[str, np.ndarray]:
        return dict(self._named("buffers"))

    def flat_parameters(self) -> np.ndarray:
        """All parameters as one contiguous 1-D view."""
        return self._flat_params

    def flat_gradients(self) -> np.ndarray:
        return self._flat_grads

    def decayed_parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(weight, gradient) pairs that L2 weight decay applies to: weights, not biases."""
        return [(layer.params[n], layer.grads[n]) for layer in self.layers for n in layer.decay_names
                if n in layer.params]

    @property
    def parameter_count(self) -> int:
        return int(self._flat_params.size)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter and buffer, by model-file name."""
        state = {k: v.copy() for k, v in self._named("params")}
        state.update({k: v.copy() for k, v in self._named("buffers")})
        return state

    def load_state_dict(self, state: dict[str, np.ndarray], strict: bool = True) -> None:
        """Copy arrays into the network; with ``strict`` the names must match exactly."""
        targets = {**self.named_parameters(), **self.named_buffers()}
        if strict:
            missing = sorted(set(targets) - set(state))
            unexpected = sorted(set(state) - set(targets))
            if missing or unexpected:
                raise ConfigError(f"weights do not fit this network: missing {missing}, "
                                  f"unexpected {unexpected}")
        for name, target in targets.items():
            if name not in state:
                continue
            value = np.asarray(state[name])
            if value.shape != target.shape:
                raise ConfigError(f"{name} has shape {value.shape}, the network needs {target.shape}")
            target[...] = value

    # -- computation -----------------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Output the loss works on: scores (before a final softmax) with cross-entropy."""
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        for layer in self._train_layers:
            x = layer.forward(x, training)
        return x

    def predict_proba(self, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        """Class probabilities (N, K) in inference mode, computed ``batch_size`` at a time."""
        outputs = []
        for start in range(0, x.shape[0], batch_size):
            y = self.forward(x[start:start + batch_size], training=False)
            if self.loss_fn.fuses_softmax:
                y = softmax(y)
            outputs.append(y)
        return np.concatenate(outputs) if outputs else np.zeros((0,) + self.output_shape)

    def predict(self, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        return np.argmax(self.predict_proba(x, batch_size), axis=1)

    def l2_penalty(self, l2: float) -> float:
        if l2 == 0:
            return 0.0
        return 0.5 * l2 * sum(float(np.sum(w * w, dtype=np.float64))
                              for w, _ in self.decayed_parameters())

    def loss(self, x: np.ndarray, t: np.ndarray, l2: float = 0.0, training: bool = True) -> float:
        """Mean loss on a batch, plus ``0.5 * l2 * sum(W**2)`` over the weights.

        The output is kept as ``last_output`` so accuracy needs no second forward pass."""
        self.last_output = self.forward(x, training)
        return self.loss_fn.forward(self.last_output, t) + self.l2_penalty(l2)

    def output_probabilities(self) -> np.ndarray:
        """Class probabilities for the last :meth:`loss` call's batch."""
        if self.loss_fn.fuses_softmax:
            return softmax(self.last_output)
        return self.last_output

    def backward(self, l2: float = 0.0) -> None:
        """Backpropagate from the last :meth:`loss` call, overwriting every gradient."""
        dout = self.loss_fn.backward()
        for layer in reversed(self._train_layers):
            dout = layer.backward(dout)
        if l2:
            for weight, grad in self.decayed_parameters():
                grad += l2 * weight

    def release_step_memory(self) -> None:
        """Let every layer drop what its last training forward kept for backward (and its work
        arrays): before an evaluation, so the two do not add up."""
        for layer in self.layers:
            layer.release_step_memory()

    def gradient(self, x: np.ndarray, t: np.ndarray, l2: float = 0.0) -> float:
        """Loss on a batch, with all gradients filled in by backprop. Returns the loss."""
        value = self.loss(x, t, l2, training=True)
        self.backward(l2)
        return value

    def summary(self) -> str:
        """One line per layer with its output shape and parameter count."""
        lines = [f"input {self.input_shape}"]
        shape = self.input_shape
        for index, layer in enumerate(self.layers):
            shape = layer.output_shape(shape)
            count = sum(p.size for p in layer.params.values())
            lines.append(f"{index:>2} {layer!r:<48} -> {shape}  {count:,} params")
        lines.append(f"total {self.parameter_count:,} parameters, loss {self.loss_name}")
        return "\n".join(lines)
