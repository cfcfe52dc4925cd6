"""Which pixels pushed the answer: the gradient of a class score with respect to the input.

The score of class ``c`` is the network's output before its final softmax, ``z_c`` (the
"logit"). Its gradient with respect to the 28x28 image says how much each pixel would raise
``z_c`` if it were a little brighter; ``gradient * image`` keeps only the ink that is there
(a background pixel, 0, contributes nothing). "Why not ``k``?" is the gradient of
``z_c - z_k``: the pixels that make ``c`` win over ``k``.

The gradient comes from the network's own backward pass (the same layer code that trains it),
run on a private copy so the shown network's caches and training state are left alone.
:func:`class_scores` is the plain inference forward pass: the tests differentiate it
numerically as the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .activations import Softmax
from .batchnorm import BatchNorm
from .layers import Dropout, Layer
from .network import Network

if TYPE_CHECKING:  # only the type: serialization imports much of the core
    from .serialization import SavedModel

__all__ = ["Saliency", "class_scores", "input_gradient", "saliency_map", "score_layers"]


def score_layers(network: Network) -> list[Layer]:
    """The layers up to the class scores: all of them but a final softmax."""
    layers = network.layers
    return layers[:-1] if isinstance(layers[-1], Softmax) else list(layers)


def class_scores(network: Network, x: np.ndarray) -> np.ndarray:
    """Scores before the softmax, shape (N, K), in inference mode.

    Parameters
    ----------
    network : Network
    x : np.ndarray, shape (N, *network.input_shape)
        Network inputs (after the model's input transform).
    """
    y = np.asarray(x, dtype=network.dtype)
    for layer in score_layers(network):
        y = layer.forward(y, False)
    return np.array(y, copy=True)


def _forward_for_backward(layer: Layer, x: np.ndarray) -> np.ndarray:
    """The inference output of ``layer``, leaving what its backward needs cached.

    Most layers cache only in training mode, and compute the same output there. Dropout and
    batch norm differ in training (a random mask; batch statistics), so they run in inference
    mode: dropout's backward then passes the gradient through, and batch norm's is done by
    :func:`_backward` with its running statistics.
    """
    return layer.forward(x, not isinstance(layer, (Dropout, BatchNorm)))


def _backward(layer: Layer, dout: np.ndarray) -> np.ndarray:
    if isinstance(layer, BatchNorm):
        # inference batch norm is y = (x - mean) * scale + beta, per feature or channel
        scale = layer.params["gamma"] / np.sqrt(layer.buffers["running_var"] + layer.eps)
        return dout * (scale if dout.ndim == 2 else scale[:, None, None])
    return layer.backward(dout)


def input_gradient(network: Network, x: np.ndarray, score_weights: np.ndarray,
                   dtype: Any = None, *, private: bool = False) -> np.ndarray:
    """Gradient of ``sum_k score_weights[k] * z_k(x)`` with respect to the network input.

    Parameters
    ----------
    network : Network
        Any DigitLab network (MLP or CNN); it is not modified (a copy does the work).
    x : np.ndarray, shape (N, *network.input_shape)
    score_weights : np.ndarray, shape (K,) or (N, K)
        The combination of class scores to differentiate: one-hot ``c`` for ``z_c``,
        ``e_c - e_k`` for ``z_c - z_k``.
    dtype : float32 or float64, optional
        Precision of the copy (default: the network's).
    private : bool
        The caller owns ``network`` and nobody else uses it meanwhile: work on it directly
        instead of a copy (its layers' caches are overwritten; its weights are not changed).

    Returns
    -------
    np.ndarray, shape like ``x``, dtype of the copy
    """
    same_dtype = dtype is None or np.dtype(dtype) == network.dtype
    twin = network if private and same_dtype else network.copy(dtype)
    layers = score_layers(twin)
    for layer in layers:
        layer.needs_input_grad = True  # the network skips it for its first layer
    y = np.asarray(x, dtype=twin.dtype)
    for layer in layers:
        y = _forward_for_backward(layer, y)
    grad = np.broadcast_to(np.asarray(score_weights, dtype=twin.dtype), y.shape).copy()
    for layer in reversed(layers):
        grad = _backward(layer, grad)
    return np.array(grad, copy=True)


@dataclass(frozen=True, eq=False)
class Saliency:
    """Why a model reads one digit as ``target`` (rather than ``versus``).

    Attributes
    ----------
    gradient : np.ndarray, shape (28, 28)
        d(score) / d(pixel), pixels in [0, 1] (ink = 1); score ``z_target`` or
        ``z_target - z_versus``.
    times_input : np.ndarray, shape (28, 28)
        ``gradient * image``: the part of the score each inked pixel accounts for, to first order.
    scores : np.ndarray, shape (10,)
        The class scores ``z`` for the image.
    target : int
        The class explained.
    versus : int or None
        The class it is compared with, if any.
    """

    gradient: np.ndarray
    times_input: np.ndarray
    scores: np.ndarray
    target: int
    versus: int | None = None


def saliency_map(model: SavedModel, image: np.ndarray, target: int | None = None,
                 versus: int | None = None, *, private: bool = False) -> Saliency:
    """The saliency of class ``target`` (optionally against ``versus``) for a 28x28 image.

    Parameters
    ----------
    model : SavedModel
        Its input transform maps the image to the network input: ``x = (image - mean) / std``
        in pixel units of [0, 1], so ``d/d image = d/dx / std``.
    image : np.ndarray, shape (28, 28)
        MNIST-style, floats in [0, 1], ink = 1.
    target : int or None
        The class explained; None for the answer (the largest score).
    versus : int or None
        Another class: explain ``z_target - z_versus`` ("why not ``versus``?").
    private : bool
        See :func:`input_gradient`: ``model.network`` is the caller's own copy.
    """
    network = model.network
    image = np.asarray(image, dtype=np.float64).reshape(28, 28)
    classes = int(np.prod(network.output_shape))
    x = model.transform.apply_unit(image[None], network.input_shape, network.dtype)
    scores = class_scores(network, x)[0].astype(np.float64)
    if target is None:
        target = int(np.argmax(scores))
    if versus == target:
        versus = None
    for name, value in (("target", target), ("versus", versus)):
        if value is not None and not 0 <= value < classes:
            raise ValueError(f"{name} must be a class 0..{classes - 1}, got {value}")
    weights = np.zeros(classes)
    weights[target] += 1.0
    if versus is not None:
        weights[versus] -= 1.0
    grad_x = input_gradient(network, x, weights, private=private).reshape(28, 28).astype(np.float64)
    gradient = grad_x / model.transform.std
    return Saliency(gradient, gradient * image, scores, int(target), versus)
