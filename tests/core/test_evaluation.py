"""Accuracy, the confusion matrix (rows = true labels), per-class accuracy and evaluate()."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.errors import Cancelled
from digitlab.core.evaluation import evaluate, loss_and_accuracy
from digitlab.core.inputs import InputTransform
from digitlab.core.metrics import accuracy, confusion_matrix, per_class_accuracy
from digitlab.core.network import Network

LABELS = np.array([0, 0, 1, 2, 2, 2, 3])
PREDICTED = np.array([0, 1, 1, 2, 0, 2, 1])


def test_confusion_matrix_rows_are_true_labels():
    """Entry [true, predicted] counts the samples of class true predicted as predicted."""
    matrix = confusion_matrix(PREDICTED, LABELS, classes=4)
    expected = np.array([[1, 1, 0, 0],   # true 0: once right, once called 1
                         [0, 1, 0, 0],   # true 1: right
                         [1, 0, 2, 0],   # true 2: twice right, once called 0
                         [0, 1, 0, 0]])  # true 3: called 1
    np.testing.assert_array_equal(matrix, expected)
    assert matrix.sum() == LABELS.size
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(LABELS, minlength=4))


def test_per_class_accuracy_and_accuracy():
    """Per-class accuracy is each row's diagonal share (NaN for an absent class); accuracy the
    overall share of correct predictions."""
    matrix = confusion_matrix(PREDICTED, LABELS, classes=5)
    np.testing.assert_allclose(per_class_accuracy(matrix)[:4], [0.5, 1.0, 2 / 3, 0.0])
    assert np.isnan(per_class_accuracy(matrix)[4])
    assert accuracy(PREDICTED, LABELS) == pytest.approx(4 / 7)
    assert accuracy(np.array([], int), np.array([], int)) == 0.0


def _constant_network(predicted_class: int) -> Network:
    """A 784-10 network that always predicts ``predicted_class`` (zero weights, one large bias)."""
    net = Network.from_config({"input_shape": [784], "layers": [{"type": "dense", "units": 10},
                                                                  {"type": "softmax"}]})
    params = net.named_parameters()
    params["layers.0.W"][...] = 0
    params["layers.0.b"][...] = 0
    params["layers.0.b"][predicted_class] = 5
    return net


def test_evaluate_on_a_network_with_known_predictions():
    """evaluate() gives predictions, confidences, loss, accuracy and the confusion matrix."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (50, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 50).astype(np.uint8)
    result = evaluate(_constant_network(3), InputTransform(), images, labels, batch_size=16)
    assert (result.predictions == 3).all()
    p3 = np.exp(5) / (np.exp(5) + 9)
    np.testing.assert_allclose(result.confidences, p3, rtol=1e-6)
    p_other = 1 / (np.exp(5) + 9)
    expected_loss = np.mean(np.where(labels == 3, -np.log(p3), -np.log(p_other)))
    assert result.loss == pytest.approx(expected_loss, rel=1e-5)
    assert result.accuracy == pytest.approx(np.mean(labels == 3))
    expected = np.zeros((10, 10), int)
    expected[:, 3] = np.bincount(labels, minlength=10)
    np.testing.assert_array_equal(result.confusion, expected)
    classes_present = np.bincount(labels, minlength=10) > 0
    np.testing.assert_array_equal(result.per_class_accuracy[classes_present],
                                  (np.arange(10) == 3)[classes_present].astype(float))
    loss, acc = loss_and_accuracy(_constant_network(3), InputTransform(), images, labels, batch_size=7)
    assert loss == pytest.approx(result.loss, rel=1e-6) and acc == result.accuracy


def test_loss_and_accuracy_of_an_empty_set():
    """An empty set has NaN loss and zero accuracy instead of failing."""
    empty = np.zeros((0, 28, 28), np.uint8)
    loss, acc = loss_and_accuracy(_constant_network(0), InputTransform(), empty, np.zeros(0, np.uint8))
    assert np.isnan(loss) and acc == 0.0


def test_evaluate_reports_progress_per_batch_and_stops_when_asked():
    """on_progress gets the fraction done after each batch, ending at 1; should_stop raises
    Cancelled before the next batch."""
    images = np.zeros((50, 28, 28), np.uint8)
    labels = np.zeros(50, np.uint8)
    fractions: list[float] = []
    evaluate(_constant_network(0), InputTransform(), images, labels, batch_size=16,
             on_progress=fractions.append)
    assert fractions == pytest.approx([16 / 50, 32 / 50, 48 / 50, 1.0])
    batches_done: list[float] = []
    with pytest.raises(Cancelled):
        evaluate(_constant_network(0), InputTransform(), images, labels, batch_size=16,
                 on_progress=batches_done.append, should_stop=lambda: len(batches_done) == 2)
    assert len(batches_done) == 2
