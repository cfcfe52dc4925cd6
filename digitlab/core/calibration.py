"""Honest confidence: temperature scaling, and how far confidence is from accuracy.

A network trained with cross-entropy is usually over-confident: among the digits it reads with
"99%", fewer than 99% are right. Temperature scaling (Guo et al., 2017) divides the scores
before the softmax by one number ``T`` fitted on held-out data, so that the probabilities mean
what they say; ``T > 1`` softens them, and the answer (the largest score) never changes.

The expected calibration error (ECE) sorts predictions into bins by confidence and averages,
weighted by bin size, the gap between each bin's mean confidence and its accuracy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import softmax
from .errors import ConfigError
from .network import Network

#: bins of the reliability diagram and the ECE
ECE_BINS = 15


def network_scores(network: Network, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """Scores before the softmax, (N, K): the network's output with a fused cross-entropy, else
    the log of its probabilities (a temperature then sharpens or softens those)."""
    outputs = []
    for start in range(0, x.shape[0], batch_size):
        y = network.forward(x[start:start + batch_size], training=False)
        if not network.loss_fn.fuses_softmax:
            y = np.log(np.clip(y, 1e-12, None))
        outputs.append(y.astype(np.float64))
    return np.concatenate(outputs) if outputs else np.zeros((0,) + tuple(network.output_shape))


def tempered_probabilities(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """``softmax(scores / T)`` row by row."""
    return softmax(np.asarray(scores, dtype=np.float64) / temperature)


def negative_log_likelihood(scores: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    z = np.asarray(scores, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(z).sum(axis=1))
    return float(np.mean(log_norm - z[np.arange(len(labels)), labels]))


def fit_temperature(scores: np.ndarray, labels: np.ndarray, low: float = 0.05,
                    high: float = 20.0) -> float:
    """The ``T`` in [low, high] that minimises the held-out negative log-likelihood.

    The likelihood is unimodal in ``log T``, so a golden-section search on ``log T`` finds it
    (60 steps narrow the interval by a factor of about 3e12)."""
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) == 0:
        raise ConfigError("calibration needs at least one held-out sample")
    a, b = math.log(low), math.log(high)
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc = negative_log_likelihood(scores, labels, math.exp(c))
    fd = negative_log_likelihood(scores, labels, math.exp(d))
    for _ in range(60):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = negative_log_likelihood(scores, labels, math.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = negative_log_likelihood(scores, labels, math.exp(d))
    return float(math.exp((a + b) / 2))


def reliability_table(probabilities: np.ndarray, labels: np.ndarray,
                      bins: int = ECE_BINS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per confidence bin ``[i/bins, (i+1)/bins)``: (mean confidence, accuracy, count); empty
    bins have NaN confidence and accuracy."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == np.asarray(labels)
    index = np.minimum((confidence * bins).astype(np.int64), bins - 1)
    counts = np.bincount(index, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(index, confidence, minlength=bins) / counts
        accuracy = np.bincount(index, correct.astype(np.float64), minlength=bins) / counts
    return mean_confidence, accuracy, counts


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray,
                               bins: int = ECE_BINS) -> float:
    """Bin-size-weighted mean |confidence - accuracy| over the confidence bins (0..1)."""
    mean_confidence, accuracy, counts = reliability_table(probabilities, labels, bins)
    used = counts > 0
    if not used.any():
        return 0.0
    gaps = np.abs(mean_confidence[used] - accuracy[used])
    return float(np.sum(gaps * counts[used]) / counts.sum())


@dataclass(frozen=True)
class Calibration:
    """A fitted temperature and what it did on the data it was fitted on."""

    temperature: float
    ece_before: float
    ece_after: float
    fitted_on: str
    samples: int

    def __post_init__(self) -> None:
        for name in ("temperature", "ece_before", "ece_after"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ConfigError(f"calibration {name} must be a finite number, got {value!r}")
        if not 1e-3 <= self.temperature <= 1e3:
            raise ConfigError(f"calibration temperature must be in [0.001, 1000], got {self.temperature!r}")
        if not isinstance(self.fitted_on, str) or len(self.fitted_on) > 200:
            raise ConfigError("calibration fitted_on must be a short text")
        if isinstance(self.samples, bool) or not isinstance(self.samples, int) or self.samples < 1:
            raise ConfigError(f"calibration samples must be a whole number >= 1, got {self.samples!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"temperature": self.temperature, "ece_before": self.ece_before,
                "ece_after": self.ece_after, "fitted_on": self.fitted_on, "samples": self.samples}

    @classmethod
    def from_dict(cls, data: Any) -> Calibration:
        if not isinstance(data, dict):
            raise ConfigError("calibration must be a mapping")
        keys = {"temperature", "ece_before", "ece_after", "fitted_on", "samples"}
        if set(data) != keys:
            raise ConfigError(f"calibration must have exactly {', '.join(sorted(keys))}")
        return cls(**data)


def calibrate(network: Network, x: np.ndarray, labels: np.ndarray, fitted_on: str) -> Calibration:
    """Fit the temperature on held-out inputs ``x`` (already transformed) and their labels."""
    scores = network_scores(network, x)
    temperature = fit_temperature(scores, labels)
    return Calibration(temperature,
                       expected_calibration_error(tempered_probabilities(scores), labels),
                       expected_calibration_error(tempered_probabilities(scores, temperature), labels),
                       fitted_on, int(len(labels)))


#: fewer held-out digits than this give no temperature: the fit would mostly follow noise
MIN_CALIBRATION_IMAGES = 100


def calibrate_if_it_helps(network: Network, x: np.ndarray, labels: np.ndarray,
                          fitted_on: str) -> Calibration | None:
    """The temperature fitted on held-out inputs ``x`` (already transformed), kept only if there
    are at least :data:`MIN_CALIBRATION_IMAGES` of them and it lowers the calibration error
    there; else None (the probabilities stay as the network gives them)."""
    if len(labels) < MIN_CALIBRATION_IMAGES:
        return None
    fitted = calibrate(network, x, labels, fitted_on)
    return fitted if fitted.ece_after <= fitted.ece_before else None
