"""Batch normalisation of flat ``(N, F)`` features or of ``(N, C, H, W)`` image channels."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ConfigError
from .image_geometry import channels_first, channels_last
from .layers import Layer, Shape


class BatchNorm(Layer):
    """Batch normalisation (Ioffe & Szegedy, 2015): ``y = gamma * (x - mean) / sqrt(var + eps)
    + beta``, per feature of a flat input (N, F) or per channel of an image (N, C, H, W).

    In training ``mean`` and ``var`` are the batch's (the biased variance, over the batch and,
    for images, all pixels), and the running statistics move towards them:
    ``running = momentum * running + (1 - momentum) * batch`` (Keras's convention; PyTorch's
    ``momentum`` is one minus this). In inference the running statistics are used, so a single
    sample gives a deterministic answer.

    Parameters: ``gamma`` (ones) and ``beta`` (zeros), shape (C,). Buffers saved with the model:
    ``running_mean`` (zeros) and ``running_var`` (ones), shape (C,).
    """

    mixes_samples = True  # training normalises with the batch's own statistics

    type_name = "batch_norm"
    buffer_names = ("running_mean", "running_var")

    def __init__(self, momentum: float = 0.9, eps: float = 1e-5) -> None:
        super().__init__()
        if not (isinstance(momentum, (int, float)) and 0 <= momentum < 1):
            raise ConfigError(f"batch_norm momentum must be in [0, 1), got {momentum!r}")
        if not (isinstance(eps, (int, float)) and eps > 0 and np.isfinite(eps)):
            raise ConfigError(f"batch_norm eps must be a positive number, got {eps!r}")
        self.momentum = float(momentum)
        self.eps = float(eps)

    def _features(self, input_shape: Shape) -> Shape:
        if len(input_shape) not in (1, 3):
            raise ConfigError(f"batch_norm needs a flat (features,) or image (channels, height, "
                              f"width) input, got shape {input_shape}")
        return (int(input_shape[0]),)

    def param_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        features = self._features(input_shape)
        return {"gamma": features, "beta": features}

    def buffer_shapes(self, input_shape: Shape) -> dict[str, Shape]:
        features = self._features(input_shape)
        return {"running_mean": features, "running_var": features}

    def output_shape(self, input_shape: Shape) -> Shape:
        self._features(input_shape)
        return input_shape

    def initialize(self, rng: np.random.Generator) -> None:
        self.params["gamma"][...] = 1
        self.params["beta"][...] = 0
        self.buffers["running_mean"][...] = 0
        self.buffers["running_var"][...] = 1

    def get_config(self) -> dict[str, Any]:
        return {"type": self.type_name, "momentum": self.momentum, "eps": self.eps}

    @staticmethod
    def _as_rows(x: np.ndarray) -> np.ndarray:
        """(N, F) itself, or an image (N, C, H, W) as (N*H*W, C) rows (a view when the image
        is channels-last in memory, as the other layers here produce it)."""
        return x if x.ndim == 2 else channels_last(x).reshape(-1, x.shape[1])

    @staticmethod
    def _like_input(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        if len(shape) == 2:
            return rows
        n, c, h, w = shape
        return channels_first(rows.reshape(n, h, w, c))

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        rows = self._as_rows(x)
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not training:
            scale = gamma / np.sqrt(self.buffers["running_var"] + x.dtype.type(self.eps))
            out = (rows - self.buffers["running_mean"]) * scale
            out += beta
            return self._like_input(out, x.shape)
        mean = rows.mean(axis=0)
        centred = rows - mean
        var = np.mean(centred * centred, axis=0)
        inv_std = 1 / np.sqrt(var + x.dtype.type(self.eps))
        normalised = centred
        normalised *= inv_std
        self._normalised, self._inv_std, self._x_shape = normalised, inv_std, x.shape
        keep = self.momentum
        for name, batch_value in (("running_mean", mean), ("running_var", var)):
            running = self.buffers[name]
            running *= keep
            running += (1 - keep) * batch_value
        out = normalised * gamma
        out += beta
        return self._like_input(out, x.shape)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        rows = self._as_rows(dout)
        normalised = self._normalised
        dbeta, dgamma = self.grads["beta"], self.grads["gamma"]
        np.sum(rows, axis=0, out=dbeta)
        np.sum(rows * normalised, axis=0, out=dgamma)
        # dx = gamma * inv_std * (dy - mean(dy) - xhat * mean(dy * xhat))
        count = rows.shape[0]
        dx = normalised * (dgamma / count)
        dx += dbeta / count
        np.subtract(rows, dx, out=dx)
        dx *= self.params["gamma"] * self._inv_std
        return self._like_input(dx, self._x_shape)
