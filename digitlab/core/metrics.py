"""Accuracy, confusion matrix and per-class accuracy."""

from __future__ import annotations

import numpy as np


def accuracy(predicted: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of ``predicted`` equal to ``labels`` (0.0 for an empty set)."""
    return float(np.mean(predicted == labels)) if labels.size else 0.0


def confusion_matrix(predicted: np.ndarray, labels: np.ndarray, classes: int = 10) -> np.ndarray:
    """Counts (classes, classes): rows are true labels, columns are predictions."""
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (labels.astype(np.int64), predicted.astype(np.int64)), 1)
    return matrix


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """Recall of each class from a confusion matrix (NaN for a class with no samples)."""
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / np.maximum(totals, 1), np.nan)
