"""Outlier exposure: training batches extended with non-digits whose target is "no digit".

Hendrycks, Mazeika and Dietterich (2019), "Deep anomaly detection with outlier exposure": add
images that are none of the classes to training with the uniform distribution as target. The
network keeps its ten outputs (old files and tools still read it), learns to be unsure about
things unlike any digit, and a threshold on its (calibrated) top probability then declines them
(:mod:`digitlab.core.decline`).

The non-digits come from :mod:`digitlab.core.negatives`: a bank drawn once per run from the
run's seed, then sampled and augmented like the real images on every batch.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .negatives import negative_images

__all__ = ["BANK_SIZE", "NegativeBank", "bank_size"]

#: generated non-digits per run: enough variety once augmented, about 10 s to draw
BANK_SIZE = 1500
#: a short run (a fine-tune of a few dozen steps) draws each bank image about this often
_DRAWS_PER_IMAGE = 8


def bank_size(draws: int) -> int:
    """Bank size for a run that will draw ``draws`` non-digits: BANK_SIZE for a real training
    run, fewer for a short fine-tune, which would otherwise wait seconds for images it never
    uses."""
    return int(min(BANK_SIZE, max(64, -(-draws // _DRAWS_PER_IMAGE))))


class NegativeBank:
    """A run's generated non-digits and the batches extended with them.

    Parameters
    ----------
    seed : np.random.SeedSequence
        Draws the bank (the same seed gives the same bank).
    fraction : float
        Non-digits added per real image of a batch.
    size : int
        Images in the bank.
    """

    def __init__(self, seed: np.random.SeedSequence, fraction: float, size: int = BANK_SIZE) -> None:
        self.fraction = fraction
        self.images = negative_images(size, np.random.default_rng(seed))  # (size, 28, 28)

    def count(self, batch: int) -> int:
        """How many non-digits go with a batch of ``batch`` real images."""
        return int(round(self.fraction * batch))

    def extend(self, x: np.ndarray, labels: np.ndarray, classes: int,
               rng: np.random.Generator,
               prepare: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The batch with non-digits appended, and soft targets for all of it.

        Parameters
        ----------
        x : np.ndarray, shape (B, ...)
            The real images as network inputs.
        labels : np.ndarray, shape (B,), int
            Their classes.
        classes : int
            Number of outputs.
        rng : np.random.Generator
            Chooses the non-digits (the run's augmentation generator: saved for resuming).
        prepare : callable
            Unit images (K, 28, 28) in [0, 1] -> network inputs, augmented as the real ones.

        Returns
        -------
        x : np.ndarray, shape (B + K, ...)
        targets : np.ndarray, shape (B + K, classes)
            One-hot rows for the real images, ``1 / classes`` everywhere for the non-digits.
        """
        k = self.count(len(labels))
        targets = np.zeros((len(labels) + k, classes), dtype=x.dtype)
        targets[np.arange(len(labels)), labels] = 1
        if k == 0:
            return x, targets
        targets[len(labels):] = 1.0 / classes
        chosen = self.images[rng.integers(0, len(self.images), k)]
        return np.concatenate([x, prepare(chosen).astype(x.dtype, copy=False)]), targets
