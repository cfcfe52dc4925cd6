"""Loss values against the tutorials' worked figures, label forms, stability and the registry."""

from __future__ import annotations

import numpy as np
import pytest

from digitlab.core.activations import softmax
from digitlab.core.errors import ConfigError
from digitlab.core.losses import (
    LOSSES,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    get_loss,
    one_hot,
)

# The tutorial's example: the true class is 2; the first output puts 0.6 on it, the second on 7.
T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float64)
Y_GOOD = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_BAD = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


@pytest.mark.parametrize("y,expected", [(Y_GOOD, 0.0975), (Y_BAD, 0.5975)])
def test_sum_of_squares_tutorial_figures(y, expected):
    """0.5*sum((y-t)**2) gives the tutorial's 0.0975 and 0.5975, for one-hot and index labels."""
    loss = MeanSquaredError()
    assert loss.forward(y[None], T[None]) == pytest.approx(expected, abs=1e-12)
    assert loss.forward(y[None], np.array([2])) == pytest.approx(expected, abs=1e-12)
    assert 0.5 * np.sum((y - T) ** 2) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("y,expected", [(Y_GOOD, 0.5108), (Y_BAD, 2.3026)])
def test_cross_entropy_tutorial_figures(y, expected):
    """-log(p[true]) gives 0.5108 and 2.3026; SoftmaxCrossEntropy on scores log(p) agrees."""
    assert -np.log(y[2]) == pytest.approx(expected, abs=1e-4)
    with np.errstate(divide="ignore"):
        scores = np.log(y)[None]  # softmax(log p) == p because p sums to 1; log 0 = -inf is fine
    loss = SoftmaxCrossEntropy()
    assert loss.forward(scores, np.array([2])) == pytest.approx(expected, abs=1e-4)
    np.testing.assert_allclose(loss.probabilities[0], y, atol=1e-15)
    # One-hot labels need finite scores (0 * -inf is NaN), so nudge the zeros as the tutorial does.
    finite_scores = np.log(y + 1e-7)[None]
    assert loss.forward(finite_scores, T[None]) == pytest.approx(expected, abs=1e-4)


def test_batch_losses_are_means_of_per_sample_losses():
    """Both losses average the per-sample loss over the batch (documented as such)."""
    y = np.stack([Y_GOOD, Y_BAD])
    assert MeanSquaredError().forward(y, np.array([2, 2])) == pytest.approx((0.0975 + 0.5975) / 2)
    scores = np.log(y + 1e-12)
    ce = SoftmaxCrossEntropy().forward(scores, np.array([2, 2]))
    assert ce == pytest.approx((-np.log(0.6) - np.log(0.1)) / 2, abs=1e-9)


def test_index_and_one_hot_labels_agree():
    """Cross-entropy and MSE give the same loss and gradient for index and one-hot labels."""
    rng = np.random.default_rng(0)
    scores = rng.standard_normal((6, 4))
    labels = rng.integers(0, 4, 6)
    for loss in (SoftmaxCrossEntropy(), MeanSquaredError()):
        a = loss.forward(scores, labels)
        grad_a = loss.backward()
        b = loss.forward(scores, one_hot(labels, 4, np.float64))
        grad_b = loss.backward()
        assert a == pytest.approx(b, rel=1e-12)
        np.testing.assert_allclose(grad_a, grad_b, atol=1e-15)


def test_cross_entropy_gradient_is_p_minus_t_over_n():
    """The fused gradient with respect to the scores is (softmax - t) / N."""
    rng = np.random.default_rng(1)
    scores = rng.standard_normal((5, 3))
    labels = rng.integers(0, 3, 5)
    loss = SoftmaxCrossEntropy()
    loss.forward(scores, labels)
    np.testing.assert_allclose(loss.backward(), (softmax(scores) - one_hot(labels, 3, np.float64)) / 5,
                               atol=1e-15)


def test_loss_inputs_are_not_modified():
    """Neither loss writes into the output or targets it was given."""
    rng = np.random.default_rng(2)
    scores = rng.standard_normal((4, 3))
    targets = rng.random((4, 3))
    scores_copy, targets_copy = scores.copy(), targets.copy()
    for loss in (SoftmaxCrossEntropy(), MeanSquaredError()):
        loss.forward(scores, targets)
        loss.backward()
    np.testing.assert_array_equal(scores, scores_copy)
    np.testing.assert_array_equal(targets, targets_copy)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_is_stable_for_huge_scores(dtype):
    """Scores of +-1e4 (and up to 1e30) give finite losses, gradients and probabilities, no NaN."""
    scores = np.array([[1e4, 1e4 + 1, 1e4 + 2], [-1e4, -1e4 - 5, -1e4], [1e30, 0, -1e30]], dtype=dtype)
    labels = np.array([2, 1, 2])
    loss = SoftmaxCrossEntropy()
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        value = loss.forward(scores, labels)
        grad = loss.backward()
        probs = softmax(scores)
    assert np.isfinite(value) and np.isfinite(grad).all() and np.isfinite(probs).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    # Shift invariance: the first row behaves like scores (0, 1, 2).
    expected_row0 = -np.log(np.exp(2) / np.exp([0.0, 1.0, 2.0]).sum())
    row0 = SoftmaxCrossEntropy().forward(scores[:1], labels[:1])
    assert row0 == pytest.approx(expected_row0, rel=1e-5)
    # The third row's true class has probability exp(-2e30): the loss is huge but finite.
    assert np.isfinite(SoftmaxCrossEntropy().forward(scores[2:], labels[2:]))


def test_get_loss_names_aliases_and_unknown():
    """get_loss resolves names and aliases; an unknown name raises ConfigError listing the options."""
    assert isinstance(get_loss("softmax_cross_entropy"), SoftmaxCrossEntropy)
    assert isinstance(get_loss("cross_entropy"), SoftmaxCrossEntropy)
    assert isinstance(get_loss("mean_squared_error"), MeanSquaredError)
    assert isinstance(get_loss("mse"), MeanSquaredError)
    with pytest.raises(ConfigError) as info:
        get_loss("hinge")
    message = str(info.value)
    assert "'hinge'" in message and all(name in message for name in LOSSES)
